# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run zendesk_session and hide a result that carries a session token from display."""

from __future__ import annotations

from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import SecretResultAction


class ActionModule(SecretResultAction):
    """A result with ``session.full_token`` (and the same value in ``connection.oauth_token``) is hidden from display callbacks."""

    SECRET_PATHS = (("session", "full_token"), ("connection", "oauth_token"))

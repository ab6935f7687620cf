# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run zendesk_oauth_token and hide a result that carries a freshly minted token from display."""

from __future__ import annotations

from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import SecretResultAction


class ActionModule(SecretResultAction):
    """A result with ``token.full_token`` (a token minted by this run) is hidden from display callbacks."""

    SECRET_PATHS = (("token", "full_token"),)

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run zendesk_oauth_token_info with the collection's version (its results never carry a secret)."""

from __future__ import annotations

from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import SecretResultAction


class ActionModule(SecretResultAction):
    """No SECRET_PATHS: only the shared controller-side behaviour."""

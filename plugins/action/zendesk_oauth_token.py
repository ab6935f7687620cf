# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run zendesk_oauth_token and hide a result that carries a freshly minted token from display."""

from __future__ import annotations

from ansible.plugins.action import ActionBase


def carries_secret(result):
    """True when a successful result holds a token value (token.full_token)."""
    token = result.get("token")
    return not result.get("failed") and isinstance(token, dict) and bool(token.get("full_token"))


class ActionModule(ActionBase):
    """Execute the module; mark a result with ``full_token`` as no_log for display callbacks.

    ``register:`` still receives the whole result: Ansible censors only the copy it hands to
    callbacks. A failed result is shown as usual, so errors stay visible.
    """

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result.update(self._execute_module(module_name=self._task.resolved_action or "obscura.zendesk.zendesk_oauth_token",
                                           task_vars=task_vars, wrap_async=self._task.async_val))
        if carries_secret(result):
            result["_ansible_no_log"] = True
        return result

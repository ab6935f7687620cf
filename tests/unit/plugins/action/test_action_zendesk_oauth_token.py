# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the action plugin that hides a result carrying a minted token from display."""

from __future__ import annotations

from unittest import mock

import pytest

from ansible.playbook.task import Task
from ansible_collections.obscura.zendesk.plugins.action.zendesk_oauth_token import ActionModule
from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import carries_secret


@pytest.mark.parametrize("result,hidden", [
    ({"changed": True, "token": {"id": 1, "full_token": "x" * 64}}, True),
    ({"changed": False, "token": {"id": 1}}, False),
    ({"changed": False, "revoked": [1]}, False),
    ({"failed": True, "msg": "boom", "token": {"full_token": "x" * 64}}, False),
])
def test_carries_secret(result, hidden):
    assert carries_secret(result, ActionModule.SECRET_PATHS) is hidden


@pytest.mark.parametrize("module_result,no_log", [
    ({"changed": True, "token": {"id": 1, "full_token": "y" * 64}}, True),
    ({"changed": False, "token": {"id": 1}}, None),
    ({"failed": True, "msg": "Zendesk said no"}, None),
])
def test_run_marks_only_results_with_a_value_as_no_log(module_result, no_log):
    task = Task()
    task.action = "obscura.zendesk.zendesk_oauth_token"
    task.args = {}
    plugin = ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    with mock.patch.object(ActionModule, "_execute_module", return_value=dict(module_result)):
        result = plugin.run(task_vars={})
    assert result.get("_ansible_no_log") is no_log
    assert result.get("token") == module_result.get("token")  # register keeps the whole result

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the action plugin that hides a result carrying a client secret from display."""

from __future__ import annotations

from unittest import mock

import pytest

from ansible.playbook.task import Task
from ansible_collections.obscura.zendesk.plugins.action.zendesk_oauth_client import ActionModule
from ansible_collections.obscura.zendesk.tests.unit.plugins.action.doubles import an_action


@pytest.mark.parametrize("module_result,no_log", [
    ({"changed": True, "client": {"id": 3, "secret": "s" * 64}}, True),
    ({"changed": True, "client": {"id": 3}, "diff": {"after": {"secret": "<new secret, returned once in client.secret>"}}}, None),
    ({"changed": False, "client": {}, "tokens_revoked": 0}, None),
    ({"failed": True, "msg": "could not write dest", "client": {"id": 3}}, None),
])
def test_only_results_with_a_secret_are_hidden(module_result, no_log):
    task = Task()
    task.action = "obscura.zendesk.zendesk_oauth_client"
    task.args = {}
    plugin = an_action(ActionModule, task)
    with mock.patch.object(ActionModule, "_execute_module", return_value=dict(module_result)):
        result = plugin.run(task_vars={})
    assert result.get("_ansible_no_log") is no_log
    assert result.get("client") == module_result.get("client")  # register keeps the whole result

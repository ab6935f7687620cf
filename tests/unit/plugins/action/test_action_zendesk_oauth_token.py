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
from ansible_collections.obscura.zendesk.plugins.plugin_utils.fleet_tokens import CHECK_MODE_PLACEHOLDER
from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import carries_secret
from ansible_collections.obscura.zendesk.tests.unit.plugins.action.doubles import an_action

OLD = "old" + "0" * 61
NEW = "new" + "1" * 61
MINTED = "mnt" + "2" * 61
FLEET = {"read": "zd_read", "written": "zd_written"}


@pytest.mark.parametrize("result,hidden", [
    ({"changed": True, "token": {"id": 1, "full_token": "x" * 64}}, True),
    ({"changed": False, "token": {"id": 1}}, False),
    ({"changed": False, "revoked": [1]}, False),
    ({"failed": True, "msg": "boom", "token": {"full_token": "x" * 64}}, False),
    ({"changed": False, "token": {"id": 1}, "value": "x" * 64}, True),
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
    plugin = an_action(ActionModule, task)
    with mock.patch.object(ActionModule, "_execute_module", return_value=dict(module_result)):
        result = plugin.run(task_vars={})
    assert result.get("_ansible_no_log") is no_log
    assert result.get("token") == module_result.get("token")  # register keeps the whole result


def fleet_task_vars(batch=("web", "api")):
    """A play of three hosts: web and api in the current batch, db given NEW by an earlier batch."""
    hostvars = {"web": {"zd_read": {"value": OLD}, "zd_written": {"value": "an earlier use of the role" * 3}},
                "api": {"zd_read": {"value": ""}},
                "db": {"zd_read": {"value": ""}, "zd_written": {"value": NEW}}}
    return {"hostvars": hostvars, "ansible_play_hosts_all": ["web", "api", "db"], "ansible_play_batch": list(batch)}


def run_fleet(args, module_result, check_mode=False, task_vars=None):
    """Run the plugin with ``args``; return (result, the module's arguments or None when it did not run)."""
    task = Task()
    task.action = "obscura.zendesk.zendesk_oauth_token"
    task.args = dict(args)
    task.check_mode = check_mode
    plugin = an_action(ActionModule, task)
    with mock.patch.object(ActionModule, "_execute_module", return_value=dict(module_result)) as execute:
        result = plugin.run(task_vars=task_vars or fleet_task_vars())
    return result, execute.call_args.kwargs["module_args"] if execute.called else None


def test_fleet_gathers_held_tokens_from_hostvars_and_hands_back_the_kept_value_hidden():
    result, module_args = run_fleet({"client_id": 2, "_fleet": FLEET},
                                    {"changed": False, "held": [{}, {}], "kept_index": 1, "replaced": [7], "token": {"id": 8}})
    assert module_args["held_tokens"] == [OLD, NEW] and "_fleet" not in module_args
    assert result["value"] == NEW and result["lacking"] == [] and result["_ansible_no_log"] is True
    assert result["replaced"] == [7]


def test_fleet_hands_back_the_minted_value_and_the_hosts_that_lack_it():
    result, dummy = run_fleet({"client_id": 2, "_fleet": FLEET},
                              {"changed": True, "held": [], "kept_index": None, "replaced": [7],
                               "token": {"id": 9, "full_token": MINTED}})
    assert result["value"] == MINTED and result["lacking"] == ["db"] and result["_ansible_no_log"] is True


def test_fleet_in_check_mode_hands_back_a_placeholder_when_a_token_would_be_minted():
    result, dummy = run_fleet({"client_id": 2, "_fleet": FLEET}, {"changed": True, "held": [], "kept_index": None, "token": {}},
                              check_mode=True)
    assert result["value"] == CHECK_MODE_PLACEHOLDER and result["lacking"] == ["db"]


def test_fleet_adds_nothing_to_a_failure():
    result, dummy = run_fleet({"client_id": 2, "_fleet": FLEET}, {"failed": True, "msg": "Zendesk said no"})
    assert "value" not in result and "lacking" not in result and "_ansible_no_log" not in result


@pytest.mark.parametrize("args,phrase", [
    ({"client_id": 2, "_fleet": {"read": "zd_read"}}, "_fleet must name two registered variables"),
    ({"client_id": 2, "_fleet": FLEET, "held_tokens": [OLD]}, "Set only one of held_tokens and _fleet"),
])
def test_a_bad_fleet_option_fails_without_running_the_module(args, phrase):
    result, module_args = run_fleet(args, {"changed": True})
    assert result["failed"] and phrase in result["msg"] and module_args is None


def test_without_fleet_the_task_arguments_go_to_the_module_unchanged():
    result, module_args = run_fleet({"client_id": 2, "held_tokens": [OLD]},
                                    {"changed": False, "held": [{}], "kept_index": 0, "token": {"id": 7}})
    assert module_args["held_tokens"] == [OLD] and "value" not in result and "lacking" not in result

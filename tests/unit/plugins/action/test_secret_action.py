# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the shared action base: the collection's version from its metadata, passed to every module."""

from __future__ import annotations

import os
from unittest import mock

import pytest
import yaml

from ansible.playbook.task import Task
from ansible_collections.obscura.zendesk.plugins.action.zendesk_oauth_client_info import ActionModule as ClientInfoAction
from ansible_collections.obscura.zendesk.plugins.action.zendesk_session import ActionModule as SessionAction
from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import carries_secret, collection_version
from ansible_collections.obscura.zendesk.tests.unit.plugins.action.doubles import an_action

GALAXY = os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "galaxy.yml")


def test_version_comes_from_galaxy_yml_in_a_source_tree():
    with open(GALAXY, encoding="utf-8") as handle:
        assert collection_version() == yaml.safe_load(handle)["version"]


def test_version_prefers_the_manifest_of_an_installed_build(tmp_path):
    source, installed = tmp_path / "source", tmp_path / "installed"
    for root in (source, installed):
        root.mkdir()
        (root / "galaxy.yml").write_text("version: 1.0.0\n", encoding="utf-8")
    (installed / "MANIFEST.json").write_text('{"collection_info": {"version": "2.3.4"}}', encoding="utf-8")
    assert collection_version(source) == "1.0.0" and collection_version(installed) == "2.3.4"


@pytest.mark.parametrize("name,content", [("MANIFEST.json", "{"), ("MANIFEST.json", "{}"), ("galaxy.yml", "[")])
def test_unreadable_metadata_gives_no_version(tmp_path, name, content):
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert collection_version(tmp_path) is None
    assert collection_version(tmp_path / "missing") is None


def run_plugin(plugin_class, action, args, module_result):
    task = Task()
    task.action = action
    task.args = dict(args)
    plugin = an_action(plugin_class, task)
    with mock.patch.object(plugin_class, "_execute_module", return_value=dict(module_result)) as execute:
        result = plugin.run(task_vars={})
    return result, execute.call_args.kwargs["module_args"], task


def test_every_module_gets_the_version_as_a_hidden_option_without_changing_the_task():
    result, module_args, task = run_plugin(ClientInfoAction, "obscura.zendesk.zendesk_oauth_client_info", {"name": "x"}, {"clients": []})
    assert module_args == {"name": "x", "_collection_version": collection_version()}
    assert task.args == {"name": "x"} and "_ansible_no_log" not in result


@pytest.mark.parametrize("module_result,hidden", [
    ({"changed": True, "session": {"full_token": "t" * 64}, "connection": {"oauth_token": "t" * 64}}, True),
    ({"changed": False, "session": {}, "connection": {}}, False),
    ({"failed": True, "msg": "Zendesk refused the client credentials"}, False),
])
def test_session_results_with_a_token_are_hidden(module_result, hidden):
    result, dummy, dummy = run_plugin(SessionAction, "obscura.zendesk.zendesk_session", {}, module_result)
    assert bool(result.get("_ansible_no_log")) is hidden
    assert carries_secret(module_result, SessionAction.SECRET_PATHS) is hidden
    assert result.get("session") == module_result.get("session")


def test_the_warnings_of_a_hidden_result_are_displayed_by_the_plugin():
    """ansible-core 2.18 censors a hidden result's warnings with it: the plugin displays them itself, once."""
    warning = "oauth client app: the secret was regenerated in place"
    with mock.patch("ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action.Display") as display:
        result, _args, _task = run_plugin(SessionAction, "obscura.zendesk.zendesk_session", {},
                                          {"session": {"full_token": "tok"}, "warnings": [warning]})
    assert result["_ansible_no_log"] is True and "warnings" not in result
    display.return_value.warning.assert_called_once_with(warning)
    with mock.patch("ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action.Display") as display:
        result, _args, _task = run_plugin(ClientInfoAction, "obscura.zendesk.zendesk_oauth_client_info", {},
                                          {"clients": [], "warnings": [warning]})
    assert result["warnings"] == [warning] and not display.called

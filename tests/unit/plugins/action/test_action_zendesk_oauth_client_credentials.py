# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the action plugin of zendesk_oauth_client_credentials: the pairs it gathers from the fleet, the secret
and the hosts lacking it that it hands back, and the hiding of results with a secret."""

from __future__ import annotations

from unittest import mock

import pytest

from ansible.playbook.task import Task
from ansible_collections.obscura.zendesk.plugins.action.zendesk_oauth_client_credentials import ActionModule
from ansible_collections.obscura.zendesk.plugins.plugin_utils.fleet_tokens import SECRET_CHECK_MODE_PLACEHOLDER
from ansible_collections.obscura.zendesk.tests.unit.plugins.action.doubles import an_action

BLUE, GREEN = ("app_blue", "blue" + "3" * 40), ("app_green", "green" + "4" * 40)
NEW = "new" + "5" * 40
FLEET = {"read": "zd_read", "written": "zd_written"}
IDENTIFIERS = [BLUE[0], GREEN[0]]


def pair_result(identifier, secret):
    """What zendesk_token_file registers with keys [IDENTIFIER_KEY, SECRET_KEY]."""
    return {"held_values": {"ZENDESK_OAUTH_CLIENT_IDENTIFIER": identifier, "ZENDESK_OAUTH_CLIENT_SECRET": secret}}


def fleet_task_vars():
    """Three hosts: web (BLUE) and api (nothing) in the batch, db given GREEN by an earlier batch (it read BLUE)."""
    hostvars = {"web": {"zd_read": pair_result(*BLUE), "zd_written": pair_result(*GREEN)},
                "api": {"zd_read": pair_result("", "")},
                "db": {"zd_read": pair_result(*BLUE), "zd_written": pair_result(*GREEN)}}
    return {"hostvars": hostvars, "ansible_play_hosts_all": ["web", "api", "db"], "ansible_play_batch": ["web", "api"]}


def run_plugin(args, module_result, check_mode=False):
    """Run the plugin with ``args``; (result, the module's arguments or None when it did not run)."""
    task = Task()
    task.action = "obscura.zendesk.zendesk_oauth_client_credentials"
    task.args = dict(args)
    task.check_mode = check_mode
    plugin = an_action(ActionModule, task)
    with mock.patch.object(ActionModule, "_execute_module", return_value=dict(module_result)) as execute:
        result = plugin.run(task_vars=fleet_task_vars())
    return result, execute.call_args.kwargs["module_args"] if execute.called else None


def decided(identifier, kept_index=None, regenerated=False, **more):
    """A module result."""
    return dict(changed=regenerated, identifier=identifier, client_id=7, regenerated=regenerated, retire=None,
                retire_client_id=None, kept_index=kept_index, validated=1, **more)


def test_fleet_gathers_pairs_and_hands_back_the_kept_secret_hidden():
    result, module_args = run_plugin({"identifiers": IDENTIFIERS, "_fleet": FLEET}, decided(GREEN[0], kept_index=2))
    assert module_args["held"] == [dict(identifier=BLUE[0], secret=BLUE[1]), dict(identifier=BLUE[0], secret=BLUE[1]),
                                   dict(identifier=GREEN[0], secret=GREEN[1])]
    assert "_fleet" not in module_args and module_args["identifiers"] == IDENTIFIERS
    assert result["secret"] == GREEN[1] and result["lacking"] == [] and result["_ansible_no_log"] is True


def test_fleet_hands_back_the_regenerated_secret_and_the_hosts_that_lack_it():
    result, dummy = run_plugin({"identifiers": IDENTIFIERS, "_fleet": FLEET}, decided(BLUE[0], regenerated=True, secret=NEW))
    assert result["secret"] == NEW and result["lacking"] == ["db"] and result["_ansible_no_log"] is True


def test_fleet_hands_back_a_given_secret_no_host_holds():
    result, module_args = run_plugin({"identifiers": [BLUE[0]], "secret": " %s " % NEW, "_fleet": FLEET}, decided(BLUE[0]))
    assert module_args["secret"] == " %s " % NEW
    assert result["secret"] == NEW and result["lacking"] == ["db"]


def test_fleet_in_check_mode_hands_back_a_placeholder_when_a_secret_would_be_regenerated():
    result, dummy = run_plugin({"identifiers": IDENTIFIERS, "_fleet": FLEET}, decided(BLUE[0], regenerated=True), check_mode=True)
    assert result["secret"] == SECRET_CHECK_MODE_PLACEHOLDER and result["lacking"] == ["db"] and result["_ansible_no_log"] is True


def test_fleet_adds_nothing_to_a_failure():
    result, dummy = run_plugin({"identifiers": IDENTIFIERS, "_fleet": FLEET}, {"failed": True, "msg": "OAuth client 'x' is public"})
    assert "secret" not in result and "lacking" not in result and "_ansible_no_log" not in result


@pytest.mark.parametrize("args,phrase", [
    ({"identifiers": IDENTIFIERS, "_fleet": {"read": "zd_read"}}, "_fleet must name two registered variables"),
    ({"identifiers": IDENTIFIERS, "_fleet": FLEET, "held": []}, "Set only one of held and _fleet"),
])
def test_a_bad_fleet_option_fails_without_running_the_module(args, phrase):
    result, module_args = run_plugin(args, decided(BLUE[0]))
    assert result["failed"] and phrase in result["msg"] and module_args is None


def test_without_fleet_only_a_regenerated_secret_hides_the_result():
    given = [dict(identifier=BLUE[0], secret=BLUE[1])]
    kept, module_args = run_plugin({"identifiers": IDENTIFIERS, "held": given}, decided(BLUE[0], kept_index=0))
    assert module_args["held"] == given and "secret" not in kept and "lacking" not in kept and "_ansible_no_log" not in kept
    regenerated, dummy = run_plugin({"identifiers": IDENTIFIERS, "held": given}, decided(GREEN[0], regenerated=True, secret=NEW))
    assert regenerated["secret"] == NEW and regenerated["_ansible_no_log"] is True

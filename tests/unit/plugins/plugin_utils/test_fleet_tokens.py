# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of what the role's decision gathers from the hosts of a play and hands back to the role."""

from __future__ import annotations

import pytest

from ansible_collections.obscura.zendesk.plugins.plugin_utils.fleet_tokens import (
    CHECK_MODE_PLACEHOLDER,
    SECRET_CHECK_MODE_PLACEHOLDER,
    FleetHoldings,
    chosen_secret,
    chosen_value,
    fleet_holdings,
    fleet_problem,
    registered_pair,
    registered_value,
)
from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import ArgumentsProblem

FLEET = {"read": "read_var", "written": "written_var"}
OLD, NEW, MINTED = "old" + "0" * 61, "new" + "1" * 61, "mnt" + "2" * 61
BLUE, GREEN = ("app_blue", "blue" + "3" * 40), ("app_green", "green" + "4" * 40)


def host(read=None, written=None):
    """A host's variables with a registered read and write (None: not registered)."""
    host_vars = {"unrelated": 1}
    if read is not None:
        host_vars["read_var"] = {"value": read, "exists": True}
    if written is not None:
        host_vars["written_var"] = {"value": written, "changed": True}
    return host_vars


@pytest.mark.parametrize("host_vars,value", [
    ({"read_var": {"value": " %s\n" % OLD}}, OLD),
    ({"read_var": {"value": ""}}, ""),
    ({"read_var": {"exists": False}}, ""),
    ({"read_var": {"skipped": True, "value": None}}, ""),
    ({"read_var": "not a result"}, ""),
    ({}, ""),
])
def test_registered_value(host_vars, value):
    assert registered_value(host_vars, "read_var") == value


def test_hosts_of_the_batch_count_with_what_they_read_earlier_batches_also_with_what_they_were_given():
    hostvars = {"a": host(read=OLD, written=NEW), "b": host(read="", written=NEW), "c": host(read=OLD, written="stale" * 13),
                "d": host()}
    holdings = FleetHoldings.gather(hostvars, ["a", "b", "c", "d"], batch=["c", "d"], fleet=FLEET)
    assert holdings.values == {"a": [OLD, NEW], "b": [NEW], "c": [OLD], "d": []}
    assert holdings.held() == [OLD, NEW, NEW, OLD]


def test_writes_are_the_hosts_of_the_batch_holding_another_value_or_an_unsettled_file():
    hostvars = {"a": host(read=NEW, written=NEW), "b": host(read=NEW), "c": host(read=OLD), "d": host(read=NEW), "e": host()}
    hostvars["b"]["read_var"]["settled"] = True
    hostvars["c"]["read_var"]["settled"] = True
    holdings = FleetHoldings.gather(hostvars, list(hostvars), batch=["b", "c", "d", "e"], fleet=FLEET)
    assert holdings.unsettled == {"d", "e"}, "a host outside the batch is not written now, settled or not"
    assert holdings.writes(NEW, batch=["b", "c", "d", "e"]) == ["c", "d", "e"]
    assert holdings.writes(OLD, batch=["b", "c"]) == ["b"]


def test_lacking_are_the_hosts_outside_those_written_now_that_do_not_hold_the_value():
    holdings = FleetHoldings({"a": [OLD, NEW], "b": [OLD], "c": [], "d": [OLD]})
    assert holdings.lacking(NEW, writable=["c", "d"]) == ["b"]
    assert holdings.lacking(OLD, writable=["c"]) == []
    assert holdings.lacking(MINTED, writable=["a", "b", "c"]) == ["d"]


@pytest.mark.parametrize("result,check_mode,value", [
    ({"kept_index": 1, "token": {"id": 7}}, False, NEW),
    ({"kept_index": 0, "token": {"id": 7}}, True, OLD),
    ({"kept_index": None, "token": {"id": 8, "full_token": MINTED}}, False, MINTED),
    ({"kept_index": None, "token": {}}, True, CHECK_MODE_PLACEHOLDER),
    ({"kept_index": None, "token": {}}, False, None),
])
def test_chosen_value(result, check_mode, value):
    assert chosen_value(result, [OLD, NEW], check_mode) == value


@pytest.mark.parametrize("fleet,ok", [
    (FLEET, True),
    ({"read": "read_var"}, False),
    ({"read": "read_var", "written": ""}, False),
    ({"read": "read_var", "written": 3}, False),
    ({"read": "a", "written": "b", "other": "c"}, False),
    ("read_var", False),
])
def test_fleet_problem(fleet, ok):
    assert (fleet_problem(fleet) is None) is ok


def test_a_host_outside_the_batch_that_read_what_it_was_given_holds_it_once():
    holdings = FleetHoldings.gather({"a": host(read=NEW, written=NEW)}, ["a"], batch=[], fleet=FLEET)
    assert holdings.values == {"a": [NEW]}


def pair_result(identifier, secret):
    """What zendesk_token_file registers with two keys, the identifier's first."""
    return {"held_values": {"ZENDESK_OAUTH_CLIENT_IDENTIFIER": identifier, "ZENDESK_OAUTH_CLIENT_SECRET": secret}, "held": True}


@pytest.mark.parametrize("registered,pair", [
    (pair_result(" %s" % BLUE[0], BLUE[1] + "\n"), BLUE),
    ({"held_values": {"zendesk.oauth_client_identifier": GREEN[0], "zendesk.oauth_client_secret": GREEN[1], "zendesk.url": "u"}}, GREEN),
    (pair_result(BLUE[0], ""), None),
    (pair_result("", BLUE[1]), None),
    ({"held_values": {"only": BLUE[0]}}, None),
    ({"held_values": None}, None),
    ({"value": OLD}, None),
    ("not a result", None),
])
def test_registered_pair(registered, pair):
    assert registered_pair({"read_var": registered}, "read_var") == pair
    assert registered_pair({}, "read_var") is None


def test_pairs_are_gathered_like_values():
    hostvars = {"a": {"read_var": pair_result(*BLUE), "written_var": pair_result(*GREEN)},
                "b": {"read_var": pair_result(*BLUE)}, "c": {"read_var": pair_result("", "")}}
    holdings = FleetHoldings.gather(hostvars, ["a", "b", "c"], batch=["b", "c"], fleet=FLEET, holding=registered_pair)
    assert holdings.values == {"a": [BLUE, GREEN], "b": [BLUE], "c": []}
    assert holdings.held() == [BLUE, GREEN, BLUE]
    assert holdings.lacking(GREEN, writable=["b", "c"]) == []
    assert holdings.lacking(BLUE, writable=["c"]) == []
    assert holdings.lacking(BLUE, writable=["a"]) == ["c"]
    assert holdings.lacking(GREEN, writable=["a"]) == ["b", "c"]


def test_fleet_holdings_takes_fleet_out_of_the_arguments():
    task_vars = {"hostvars": {"a": host(read=OLD)}, "ansible_play_hosts_all": ["a"], "ansible_play_batch": ["a"]}
    args = {"client_id": 2, "_fleet": FLEET}
    assert fleet_holdings(args, task_vars, "held_tokens").held() == [OLD] and args == {"client_id": 2}
    assert fleet_holdings(args, task_vars, "held_tokens") is None


@pytest.mark.parametrize("args,phrase", [
    ({"_fleet": {"read": "read_var"}}, "_fleet must name two registered variables"),
    ({"_fleet": FLEET, "held": []}, "Set only one of held and _fleet"),
])
def test_fleet_holdings_refuses_a_bad_fleet(args, phrase):
    with pytest.raises(ArgumentsProblem, match=phrase):
        fleet_holdings(args, {}, "held", registered_pair)


@pytest.mark.parametrize("result,given,check_mode,secret", [
    ({"regenerated": True, "secret": "fresh" * 8, "kept_index": None}, None, False, "fresh" * 8),
    ({"regenerated": True, "kept_index": None}, None, True, SECRET_CHECK_MODE_PLACEHOLDER),
    ({"regenerated": False, "kept_index": 1}, None, False, GREEN[1]),
    ({"regenerated": False, "kept_index": 0}, BLUE[1], True, BLUE[1]),
    ({"regenerated": False, "kept_index": None}, "given" * 8, False, "given" * 8),
])
def test_chosen_secret(result, given, check_mode, secret):
    assert chosen_secret(result, [BLUE, GREEN], given, check_mode) == secret

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of what the role's decision gathers from the hosts of a play and hands back to the role."""

from __future__ import annotations

import pytest

from ansible_collections.obscura.zendesk.plugins.plugin_utils.fleet_tokens import (
    CHECK_MODE_PLACEHOLDER,
    FleetHoldings,
    chosen_value,
    fleet_problem,
    registered_value,
)

FLEET = {"read": "read_var", "written": "written_var"}
OLD, NEW, MINTED = "old" + "0" * 61, "new" + "1" * 61, "mnt" + "2" * 61


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
    assert holdings.held_tokens() == [OLD, NEW, NEW, OLD]


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

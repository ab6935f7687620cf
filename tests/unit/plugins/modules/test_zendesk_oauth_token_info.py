# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of zendesk_oauth_token_info: its result, bad input before any request, Zendesk errors."""

from __future__ import annotations

import pytest
import responses

from ansible_collections.obscura.zendesk.plugins.modules import zendesk_oauth_token_info

BASE = "https://obscura.zendesk.com"
TOKENS = BASE + "/api/v2/oauth/tokens"
LEAKED = "4e1d2c3b4a5968778695a4b3c2d1e0f0123456789abcdef0123456789abcdef"
TOKEN = {"id": 5, "token": LEAKED[:10], "client_id": 7, "user_id": 1, "scopes": ["read"], "created_at": "2026-11-30T00:00:00Z",
         "expires_at": None, "used_at": None, "url": "u"}
USER = {"id": 1, "name": "Admin", "email": "a@example.com", "role": "admin", "active": True, "suspended": False}


@pytest.fixture(name="run")
def run_fixture(run_module):
    return lambda args, **kwargs: run_module(zendesk_oauth_token_info.main, args, **kwargs)


def account():
    """One token of an admin on client 7."""
    responses.get(TOKENS, json={"tokens": [TOKEN], "meta": {"has_more": False}})
    responses.get(BASE + "/api/v2/users/show_many", json={"users": [USER]})
    responses.get(BASE + "/api/v2/oauth/clients", json={"clients": [{"id": 7}], "meta": {"has_more": False}})


@responses.activate
def test_result_shape(run):
    account()
    result = run({"all_users": True}, check_mode=True)
    assert result["changed"] is False and "matched_by" not in result
    assert result["tokens"] == [dict({k: v for k, v in TOKEN.items() if k != "token"}, owner=USER, problems=["no_expiry"])]
    assert result["summary"]["total"] == 1 and result["summary"]["no_expiry"] == 1 and len(result["summary"]) == 9


@responses.activate
def test_a_prefix_lookup_says_how_it_matched_and_never_echoes(run):
    account()
    result = run({"all_users": True, "token": LEAKED[:10]})
    assert result["matched_by"] == "prefix" and [t["id"] for t in result["tokens"]] == [5]
    assert LEAKED[:10] not in str(result)


@pytest.mark.parametrize("args,phrase", [
    ({"client_id": 2, "client_identifier": "x"}, "Set only one of client_id, client_identifier and client_name"),
    ({"token": "short"}, "at least its first 10 characters"),
    ({"unused_for_days": -1}, "unused_for_days must be 0"),
])
@responses.activate
def test_bad_input_fails_before_any_request(run, args, phrase):
    result = run(args)
    assert result["failed"] is True and phrase in result["msg"] and not responses.calls


@responses.activate
def test_server_errors_are_explained(run):
    responses.get(TOKENS, status=500, json={"error": "InternalServerError"})
    result = run({"all_users": True})
    assert result["failed"] is True and "Could not read the OAuth token inventory" in result["msg"] and result["status"] == 500

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the zendesk_oauth_client_credentials module: input checked before any call, failures without secrets,
and the role's _keep_session (HTTP mocked with responses; the decision itself: module_utils/test_client_credentials.py)."""

from __future__ import annotations

import atexit
import json
from unittest import mock

import pytest
import responses

from ansible.module_utils import basic
from ansible_collections.obscura.zendesk.plugins.modules import zendesk_oauth_client_credentials

BASE = "https://obscura.zendesk.com"
CLIENTS = BASE + "/api/v2/oauth/clients"
SECRET = "held-secret-0123456789abcdef0123456789abcdef"
NEW = "new-secret-0123456789abcdef0123456789abcdef0"
SESSION = "session-token-0123456789abcdef0123456789abcdef"
CREDENTIALS = dict(subdomain="obscura", oauth_client_identifier="ansible_automation",
                   oauth_client_secret="automation-secret-0123456789abcdef")
SLOTS = [{"id": 1, "identifier": "app_blue", "kind": "confidential"}, {"id": 2, "identifier": "app_green", "kind": "confidential"}]


def calls():
    return ["%s %s" % (c.request.method, c.request.path_url.split("?")[0]) for c in responses.calls]


@responses.activate
@pytest.mark.parametrize("args,phrase", [
    ({"identifiers": []}, "identifiers must list one or two"),
    ({"identifiers": ["app_blue", "app_green"], "secret": SECRET}, "exactly one entry in identifiers"),
    ({"identifiers": ["app_blue"], "secret": SECRET, "rotate": True}, "remove one of them"),
    ({"identifiers": ["app_blue"], "held": [{"identifier": "app_blue"}]}, "secret"),
])
def test_bad_input_fails_before_any_call(run_module, args, phrase):
    result = run_module(zendesk_oauth_client_credentials.main, args)
    assert result["failed"] and phrase in result["msg"] and calls() == []
    assert SECRET not in json.dumps(result)


@responses.activate
def test_a_missing_client_fails_after_the_one_listing(run_module):
    responses.get(CLIENTS, json={"clients": SLOTS[:1], "meta": {"has_more": False}})
    result = run_module(zendesk_oauth_client_credentials.main,
                        {"identifiers": ["app_blue", "app_green"], "held": [{"identifier": "app_blue", "secret": SECRET}]})
    assert result["failed"] and "'app_green' (identifiers) does not exist in Zendesk" in result["msg"]
    assert calls() == ["GET /api/v2/oauth/clients"] and SECRET not in json.dumps(result)


@responses.activate
def test_a_server_error_fails_with_what_was_being_decided(run_module):
    responses.get(CLIENTS, status=500, json={"error": "InternalError"})
    result = run_module(zendesk_oauth_client_credentials.main, {"identifiers": ["app_blue"], "retries": 0})
    assert result["failed"] and result["msg"].startswith("Could not decide the client credentials of app_blue.")
    assert "Run again later" in result["msg"]


def run_keeping(run_module, identifiers, keep):
    """A run with client-credentials connection options and the role's _keep_session; nothing held, so a slot is regenerated.

    Its result, with the warnings the module gave.
    """
    responses.post(BASE + "/oauth/tokens", json={"access_token": SESSION, "token_type": "bearer", "expires_in": 3600})
    responses.get(CLIENTS, json={"clients": SLOTS, "meta": {"has_more": False}})
    responses.put(CLIENTS + "/1/generate_secret", json={"client": dict(SLOTS[0], secret=NEW)})
    responses.delete(BASE + "/api/v2/oauth/tokens/current", status=204)
    with mock.patch.object(atexit, "register"), mock.patch.object(basic.AnsibleModule, "warn") as warn:
        result = run_module(zendesk_oauth_client_credentials.main, dict(CREDENTIALS, identifiers=identifiers, _keep_session=keep),
                            connection=False)
    return dict(result, warned=[call.args[0] for call in warn.call_args_list])


@responses.activate
def test_keep_session_for_revocations_hands_the_session_on_when_a_slot_is_to_be_retired(run_module):
    result = run_keeping(run_module, ["app_blue", "app_green"], "for_revocations")
    assert not result["failed"] and result["retire"] == "app_green" and result["secret"] == NEW
    assert result["session"]["full_token"] == SESSION and "DELETE /api/v2/oauth/tokens/current" not in calls()
    assert result["warned"] == []


@responses.activate
def test_keep_session_for_revocations_closes_the_session_when_nothing_is_to_be_retired(run_module):
    result = run_keeping(run_module, ["app_blue"], "for_revocations")
    assert not result["failed"] and result["retire"] is None and "session" not in result
    assert calls()[-1] == "DELETE /api/v2/oauth/tokens/current"
    assert len(result["warned"]) == 1 and "regenerated in place" in result["warned"][0]

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of client credentials in a module run (one exchange, revoked at the end) and of zendesk_session."""

from __future__ import annotations

import atexit
import contextlib
import json
from unittest import mock

import pytest
import responses
from responses import matchers

from ansible.module_utils import basic
from ansible.module_utils.common.warnings import get_warning_messages
from ansible_collections.obscura.zendesk.plugins.modules import zendesk_oauth_client_info, zendesk_session

BASE = "https://obscura.zendesk.com"
GRANT = BASE + "/oauth/tokens"
CURRENT = BASE + "/api/v2/oauth/tokens/current"
CLIENTS = BASE + "/api/v2/oauth/clients"
SECRET = "client-secret-0123456789abcdef0123456789abcdef0123456789abcdef"
TOKEN = "session-token-0123456789abcdef0123456789abcdef0123456789abcdef"
CREDENTIALS = dict(subdomain="obscura", oauth_client_identifier="ansible_automation", oauth_client_secret=SECRET)


class Exit(Exception):
    """exit_json or fail_json was called; ``result`` holds its arguments."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


def run(module, args, check_mode=False):
    """Run a module's main() with ``args``; return its result (``failed`` set for fail_json)."""
    args = dict(args, _ansible_check_mode=check_mode)

    def leave(failed):
        def stop(self, msg=None, **result):
            raise Exit(dict(result, failed=failed, msg=msg))
        return stop

    payload = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(basic, "_ANSIBLE_ARGS", payload))
        stack.enter_context(mock.patch.object(basic.AnsibleModule, "exit_json", leave(False)))
        stack.enter_context(mock.patch.object(basic.AnsibleModule, "fail_json", leave(True)))
        registered = stack.enter_context(mock.patch.object(atexit, "register"))
        if hasattr(basic, "_ANSIBLE_PROFILE"):
            stack.enter_context(mock.patch.object(basic, "_ANSIBLE_PROFILE", "legacy"))
        with pytest.raises(Exit) as done:
            module.main()
    return done.value.result, registered


def calls():
    return ["%s %s" % (c.request.method, c.request.path_url.split("?")[0]) for c in responses.calls]


def expect_grant(expires_in=600, scope="read write", status=201, body=None):
    wanted = {"grant_type": "client_credentials", "client_id": "ansible_automation", "client_secret": SECRET, "scope": scope,
              "expires_in": expires_in}
    responses.post(GRANT, status=status, match=[matchers.json_params_matcher(wanted)],
                   json=body or {"access_token": TOKEN, "token_type": "bearer", "scope": scope, "expires_in": expires_in})


def expect_revoke(status=204):
    responses.delete(CURRENT, status=status, match=[matchers.header_matcher({"Authorization": "Bearer " + TOKEN})])


# --- a module run with client credentials ------------------------------------------------------


@responses.activate
def test_a_module_run_exchanges_once_uses_the_token_and_revokes_it_at_the_end():
    expect_grant()
    responses.get(CLIENTS, json={"clients": [], "meta": {"has_more": False}}, match=[matchers.header_matcher({"Authorization": "Bearer " + TOKEN})])
    expect_revoke()
    result, registered = run(zendesk_oauth_client_info, CREDENTIALS)
    assert not result["failed"] and result["clients"] == []
    assert calls() == ["POST /oauth/tokens", "GET /api/v2/oauth/clients", "DELETE /api/v2/oauth/tokens/current"]
    assert registered.call_count == 1  # the safety net for a run that ends with an uncaught exception
    assert TOKEN not in json.dumps(result) and SECRET not in json.dumps(result)


@responses.activate
def test_keep_session_hands_a_play_session_on_instead_of_revoking_it():
    """The role's decision task (hidden _keep_session): one exchange for an hour, no revocation, the session returned."""
    expect_grant(expires_in=3600)
    responses.get(CLIENTS, json={"clients": [], "meta": {"has_more": False}})
    result, registered = run(zendesk_oauth_client_info, dict(CREDENTIALS, _keep_session=True))
    assert not result["failed"] and calls() == ["POST /oauth/tokens", "GET /api/v2/oauth/clients"]
    assert result["connection"] == {"oauth_token": TOKEN, "oauth_client_identifier": "", "oauth_client_secret": ""}
    assert result["session"]["full_token"] == TOKEN and result["session"]["expires_in"] == 3600
    registered.call_args.args[0]()  # the interpreter-exit safety net has nothing left to revoke
    assert calls() == ["POST /oauth/tokens", "GET /api/v2/oauth/clients"]


@responses.activate
def test_keep_session_still_revokes_the_session_of_a_failed_run():
    expect_grant(expires_in=3600)
    responses.get(CLIENTS, status=403, json={"error": "Forbidden", "description": "You do not have access"})
    expect_revoke()
    result, dummy = run(zendesk_oauth_client_info, dict(CREDENTIALS, _keep_session=True))
    assert result["failed"] and "session" not in result and TOKEN not in json.dumps(result)
    assert calls()[-1] == "DELETE /api/v2/oauth/tokens/current"


@responses.activate
def test_keep_session_without_client_credentials_returns_no_session():
    responses.get(CLIENTS, json={"clients": [], "meta": {"has_more": False}})
    result, dummy = run(zendesk_oauth_client_info, dict(subdomain="obscura", oauth_token="admin-token-0123456789", _keep_session=True))
    assert not result["failed"] and "session" not in result and "connection" not in result


@responses.activate
def test_a_failed_run_revokes_its_token_too():
    expect_grant()
    responses.get(CLIENTS, status=403, json={"error": "Forbidden", "description": "You do not have access"})
    expect_revoke()
    result, dummy = run(zendesk_oauth_client_info, CREDENTIALS)
    assert result["failed"] and "client's owner" in result["msg"]
    assert calls()[-1] == "DELETE /api/v2/oauth/tokens/current"


@responses.activate
def test_the_safety_net_revokes_once_after_an_uncaught_exception():
    expect_grant()
    expect_revoke()
    with mock.patch.object(zendesk_oauth_client_info, "find_clients", side_effect=RuntimeError("bug")), \
            mock.patch.object(atexit, "register") as registered:
        payload = json.dumps({"ANSIBLE_MODULE_ARGS": CREDENTIALS}).encode()
        with mock.patch.object(basic, "_ANSIBLE_ARGS", payload), pytest.raises(RuntimeError):
            if hasattr(basic, "_ANSIBLE_PROFILE"):
                with mock.patch.object(basic, "_ANSIBLE_PROFILE", "legacy"):
                    zendesk_oauth_client_info.main()
            else:
                zendesk_oauth_client_info.main()
    close = registered.call_args.args[0]
    close()
    close()
    assert calls() == ["POST /oauth/tokens", "DELETE /api/v2/oauth/tokens/current"]


@responses.activate
def test_a_revocation_that_fails_is_a_warning_not_a_failure():
    expect_grant()
    responses.get(CLIENTS, json={"clients": [], "meta": {"has_more": False}})
    responses.delete(CURRENT, status=500, json={"error": "InternalError"})
    result, dummy = run(zendesk_oauth_client_info, dict(CREDENTIALS, retries=0))
    assert not result["failed"]
    assert any("Could not revoke the session token" in warning for warning in get_warning_messages())


@responses.activate
@pytest.mark.parametrize("status,body,phrase", [
    (401, {"error": "invalid_client", "error_description": "Client authentication failed"}, "oauth_client_secret"),
    (400, {"error": "unauthorized_client", "error_description": "not authorized"}, "confidential"),
    (400, {"error": "invalid_scope", "error_description": "invalid scope"}, "oauth_client_scopes"),
])
def test_a_refused_exchange_fails_with_advice_and_makes_no_other_call(status, body, phrase):
    expect_grant(status=status, body=body)
    result, dummy = run(zendesk_oauth_client_info, CREDENTIALS)
    assert result["failed"] and phrase in result["msg"] and result["status"] == status
    assert calls() == ["POST /oauth/tokens"]


@responses.activate
@pytest.mark.parametrize("args,phrases", [
    (dict(subdomain="obscura", oauth_client_identifier="ansible_automation"), ["oauth_client_identifier", "oauth_client_secret"]),
    (dict(subdomain="obscura", oauth_client_secret=SECRET), ["oauth_client_secret", "oauth_client_identifier"]),
    (dict(CREDENTIALS, oauth_token="t" * 40), ["exactly one", "oauth_token", "oauth_client_secret"]),
])
def test_bad_credentials_fail_before_any_call(args, phrases):
    result, dummy = run(zendesk_oauth_client_info, args)
    assert result["failed"] and len(responses.calls) == 0
    for phrase in phrases:
        assert phrase in result["msg"]
    assert SECRET not in result["msg"]


# --- zendesk_session --------------------------------------------------------------------------


@responses.activate
@pytest.mark.parametrize("check_mode", [False, True])
def test_present_opens_one_session_for_later_tasks(check_mode):
    expect_grant(expires_in=1800, scope="read")
    result, registered = run(zendesk_session, dict(CREDENTIALS, expires_in=1800, oauth_client_scopes=["read"]), check_mode=check_mode)
    assert not result["failed"] and result["changed"] is True
    assert result["session"]["full_token"] == TOKEN and result["session"]["scopes"] == ["read"] and result["session"]["expires_in"] == 1800
    assert result["connection"] == {"oauth_token": TOKEN, "oauth_client_identifier": "", "oauth_client_secret": ""}
    assert calls() == ["POST /oauth/tokens"] and registered.call_count == 0  # nothing revokes it at the end of this run


@responses.activate
def test_present_with_other_credentials_passes_them_through():
    result, dummy = run(zendesk_session, dict(subdomain="obscura", oauth_token="t" * 40))
    assert result == dict(changed=False, session={}, connection={}, failed=False, msg=None)
    assert len(responses.calls) == 0


@responses.activate
@pytest.mark.parametrize("args,phrases", [
    (dict(CREDENTIALS, expires_in=300), ["expires_in", "more than 300"]),
    (dict(CREDENTIALS, expires_in=172800), ["expires_in", "172800"]),
    (dict(subdomain="obscura"), ["No Zendesk credentials", "oauth_client_identifier"]),
])
def test_present_refuses_bad_input_before_any_call(args, phrases):
    result, dummy = run(zendesk_session, args)
    assert result["failed"] and len(responses.calls) == 0
    for phrase in phrases:
        assert phrase in result["msg"]


@responses.activate
@pytest.mark.parametrize("status,changed", [(204, True), (401, False)])
def test_absent_revokes_the_session_token_by_value(status, changed):
    expect_revoke(status)
    result, dummy = run(zendesk_session, dict(subdomain="obscura", state="absent", session_token=TOKEN))
    assert not result["failed"] and result["changed"] is changed
    assert calls() == ["DELETE /api/v2/oauth/tokens/current"]


@responses.activate
def test_absent_with_client_credentials_does_not_exchange():
    expect_revoke()
    result, dummy = run(zendesk_session, dict(CREDENTIALS, state="absent", session_token=TOKEN))
    assert result["changed"] is True and calls() == ["DELETE /api/v2/oauth/tokens/current"]


@responses.activate
def test_absent_without_a_token_does_nothing():
    result, dummy = run(zendesk_session, dict(subdomain="obscura", oauth_token="t" * 40, state="absent", session_token=""))
    assert result["changed"] is False and len(responses.calls) == 0


@responses.activate
def test_absent_reports_a_failed_revocation():
    responses.delete(CURRENT, status=500, json={"error": "InternalError"})
    result, dummy = run(zendesk_session, dict(subdomain="obscura", state="absent", session_token=TOKEN, retries=0))
    assert result["failed"] and "Could not revoke the session token" in result["msg"] and TOKEN not in result["msg"]


@responses.activate
def test_the_version_from_the_action_plugin_is_the_user_agent_not_an_option():
    expect_grant()
    responses.get(CLIENTS, json={"clients": [], "meta": {"has_more": False}},
                  match=[matchers.header_matcher({"User-Agent": "obscura.zendesk/4.5.6 (Ansible collection)"})])
    expect_revoke()
    result, dummy = run(zendesk_oauth_client_info, dict(CREDENTIALS, _collection_version="4.5.6"))
    assert not result["failed"] and "_collection_version" not in json.dumps(result)

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of zendesk_oauth_token: input checks and the idempotency table, HTTP mocked with responses."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timezone
from unittest import mock

import pytest
import responses
from responses import matchers

from ansible.module_utils import basic
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import public_token
from ansible_collections.obscura.zendesk.plugins.modules import zendesk_oauth_token

BASE = "https://obscura.zendesk.com"
TOKENS = BASE + "/api/v2/oauth/tokens"
CLIENTS = BASE + "/api/v2/oauth/clients"
ADMIN = "admin-oauth-token-0123456789abcdef"
HELD = "held0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
OTHER = "other0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
MINTED = "new00123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"

# Zendesk's answer to an expired, revoked or unknown Bearer token.
INVALID_TOKEN = {"error": "invalid_token",
                 "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons."}


class Exit(Exception):
    """exit_json or fail_json was called; ``result`` holds its arguments."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


def run(args, check_mode=False):
    """Run the module's main() with ``args``; return (result dict, failed flag)."""
    args = dict(dict(subdomain="obscura", oauth_token=ADMIN), **args)
    if check_mode:
        args["_ansible_check_mode"] = True

    def leave(failed):
        def stop(self, **result):
            raise Exit(dict(result, failed=failed))
        return stop

    payload = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
    with mock.patch.object(basic, "_ANSIBLE_ARGS", payload), \
            mock.patch.object(basic.AnsibleModule, "exit_json", leave(False)), \
            mock.patch.object(basic.AnsibleModule, "fail_json", leave(True)):
        if hasattr(basic, "_ANSIBLE_PROFILE"):
            with mock.patch.object(basic, "_ANSIBLE_PROFILE", "legacy"):
                return _main()
        return _main()


def _main():
    with pytest.raises(Exit) as done:
        zendesk_oauth_token.main()
    return done.value.result


def token(token_id=1, client_id=2, scopes=("read",), **extra):
    return dict(dict(id=token_id, client_id=client_id, user_id=1001, scopes=list(scopes), created_at="2026-11-01T00:00:00Z",
                     expires_at=None, used_at=None, url="%s/%s" % (TOKENS, token_id)), **extra)


def page(items, key="tokens"):
    return {key: items, "meta": {"has_more": False}, "links": {"next": None}}


def methods():
    return [(c.request.method, c.request.path_url.split("?")[0]) for c in responses.calls]


def writes():
    return [m for m in methods() if m[0] != "GET"]


def mint_response(token_id=50, scopes=("read",)):
    responses.post(TOKENS, status=201, json={"token": token(token_id, scopes=scopes, token=MINTED[:10], full_token=MINTED)})


# --- bad input: fails before any request, naming the option ----------------------------------

@pytest.mark.parametrize("args,names", [
    (dict(), ["client_id", "client_identifier", "client_name"]),
    (dict(client_id=2, token_id=5), ["token_id", "state=absent"]),
    (dict(state="absent"), ["token_id", "current_token"]),
    (dict(state="absent", token_id=1, current_token=HELD), ["token_id", "current_token"]),
    (dict(state="absent", client_id=2, dest="/tmp/x"), ["dest"]),
    (dict(client_id=2, scopes=["chat"]), ["chat", "Chat product"]),
    (dict(client_id=2, scopes=["tickets"]), ["tickets:read"]),
    (dict(client_id=2, scopes=[]), ["scopes"]),
    (dict(client_id=0), ["client_id"]),
    (dict(state="absent", token_id=-3), ["token_id"]),
    (dict(client_id=2, renew_before=-1), ["renew_before"]),
    (dict(client_name=" "), ["client_name"]),
    (dict(client_identifier=""), ["client_identifier"]),
    (dict(client_id=2, client_name="x"), ["Set only one of client_id", "client_name"]),
    (dict(client_id=2, state="gone"), ["state"]),
    (dict(client_id=2, recreate="sometimes"), ["recreate"]),
    (dict(client_id=2, oauth_token=None), ["oauth_token"]),
    (dict(client_id=2, subdomain="evil.com/x"), ["subdomain"]),
    (dict(client_id=2, subdomain=None, url="http://zendesk.example.com"), ["url", "https://"]),
    (dict(client_id=2, api_token="tok-value-123"), ["api_token", "oauth_token"]),
    (dict(client_id=2, timeout=-1), ["timeout"]),
    (dict(client_id=2, unknown_option=1), ["unknown_option"]),
    (dict(client_id=2, held_tokens=[HELD], current_token=OTHER), ["current_token", "held_tokens"]),
    (dict(state="absent", token_id=3, held_tokens=[HELD]), ["held_tokens", "state=present", "current_token"]),
])
@responses.activate
def test_bad_input_fails_before_any_request(args, names):
    result = run(args)
    assert result["failed"], result
    for name in names:
        assert name in result["msg"]
    assert len(responses.calls) == 0
    assert "tok-value-123" not in json.dumps(result)
    assert_no_held_value(result)


# --- state=present -------------------------------------------------------------------------

@responses.activate
def test_valid_current_token_is_kept_without_writes():
    responses.get(TOKENS + "/current", json={"token": token(7, scopes=["write", "read"])}, match=[matchers.header_matcher({"Authorization": "Bearer " + HELD})])
    result = run(dict(client_id=2, scopes=["read", "write", "read"], current_token=HELD))
    assert not result["failed"] and result["changed"] is False
    assert result["current_token_valid"] is True and result["token"]["id"] == 7
    assert HELD not in json.dumps(result) and "full_token" not in result["token"]
    assert methods() == [("GET", "/api/v2/oauth/tokens/current")]


@pytest.mark.parametrize("current,problem", [
    (dict(status=401, json=INVALID_TOKEN), "revoked"),
    (dict(json={"token": token(7, client_id=3)}), "another OAuth client"),
    (dict(json={"token": token(7, scopes=["read", "write"])}), "other scopes"),
    (dict(json={"token": token(7, expires_at="2020-01-01T00:00:00Z")}), "expired"),
])
@responses.activate
def test_unusable_current_token_mints_a_new_one(current, problem):
    responses.get(TOKENS + "/current", **current)
    mint_response()
    result = run(dict(client_id=2, current_token=HELD))
    assert result["changed"] is True and result["current_token_valid"] is False
    assert problem in result["current_token_problem"]
    assert result["token"]["full_token"] == MINTED
    assert writes() == [("POST", "/api/v2/oauth/tokens")]


@responses.activate
def test_recreate_always_rotates_even_a_valid_current_token():
    responses.get(TOKENS + "/current", json={"token": token(7)})
    mint_response()
    result = run(dict(client_id=2, current_token=HELD, recreate="always"))
    assert result["changed"] is True and result["current_token_valid"] is True
    assert result["token"]["full_token"] == MINTED
    assert writes() == [("POST", "/api/v2/oauth/tokens")]


@responses.activate
def test_existing_token_counts_as_present_with_recreate_never():
    responses.get(TOKENS, json=page([token(3, scopes=["read"]), token(4, scopes=["read", "write"])]))
    result = run(dict(client_id=2, scopes=["read"]))
    assert result["changed"] is False and result["token"]["id"] == 3
    assert writes() == []


@responses.activate
def test_expired_existing_token_does_not_count():
    responses.get(TOKENS, json=page([token(3, expires_at="2020-01-01T00:00:00Z")]))
    mint_response()
    assert run(dict(client_id=2))["changed"] is True
    assert writes() == [("POST", "/api/v2/oauth/tokens")]


@responses.activate
def test_recreate_always_mints_without_reading_tokens():
    mint_response()
    result = run(dict(client_id=2, recreate="always"))
    assert result["changed"] is True and result["token"]["full_token"] == MINTED
    assert methods() == [("POST", "/api/v2/oauth/tokens")]


@responses.activate
def test_client_name_is_resolved_once():
    responses.get(CLIENTS, json=page([dict(id=2, name="App", identifier="app")], key="clients"))
    responses.get(TOKENS, json=page([]))
    mint_response()
    result = run(dict(client_name="App"))
    assert result["changed"] is True
    assert methods() == [("GET", "/api/v2/oauth/clients"), ("GET", "/api/v2/oauth/tokens"), ("POST", "/api/v2/oauth/tokens")]


@responses.activate
def test_check_mode_predicts_a_mint_without_writing():
    responses.get(TOKENS, json=page([]))
    responses.get(CLIENTS + "/2", json={"client": dict(id=2, name="App", identifier="app")})
    result = run(dict(client_id=2), check_mode=True)
    assert result["changed"] is True and result["token"] == {}
    assert writes() == []


@responses.activate
def test_check_mode_fails_like_the_real_run_for_an_unknown_client_id():
    responses.get(TOKENS, json=page([]))
    responses.get(CLIENTS + "/99", status=404, json={"error": "RecordNotFound", "description": "Not found"})
    result = run(dict(client_id=99), check_mode=True)
    assert result["failed"] and "client_id=99" in result["msg"]


@responses.activate
def test_server_error_on_post_is_one_post_and_a_clear_failure():
    responses.get(TOKENS, json=page([]))
    responses.post(TOKENS, status=500, json={"error": "InternalError"})
    result = run(dict(client_id=2))
    assert result["failed"] and "HTTP 500" in result["msg"] and "POST /api/v2/oauth/tokens" in result["msg"]
    assert writes() == [("POST", "/api/v2/oauth/tokens")]


@responses.activate
def test_dest_is_written_0600(tmp_path):
    dest = tmp_path / "token"
    mint_response()
    result = run(dict(client_id=2, recreate="always", dest=str(dest)))
    assert result["changed"] is True
    assert dest.read_text() == MINTED + "\n"
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600


@responses.activate
def test_dest_failure_revokes_the_new_token_and_keeps_nothing_half_done(tmp_path):
    mint_response(token_id=50)
    responses.delete(TOKENS + "/50", status=204)
    result = run(dict(client_id=2, recreate="always", dest=str(tmp_path / "missing-dir" / "token")))
    assert result["failed"] and "dest" in result["msg"] and "revoked again" in result["msg"]
    assert MINTED not in json.dumps(result)
    assert writes() == [("POST", "/api/v2/oauth/tokens"), ("DELETE", "/api/v2/oauth/tokens/50")]


@responses.activate
def test_dest_failure_with_a_failing_revoke_names_the_token_without_its_value(tmp_path):
    mint_response(token_id=51)
    responses.delete(TOKENS + "/51", status=500, json={"error": "InternalError"})
    result = run(dict(client_id=2, recreate="always", dest=str(tmp_path / "missing-dir" / "token")))
    assert result["failed"] and "token_id=51" in result["msg"]
    assert MINTED not in json.dumps(result) and "token" not in result


@responses.activate
def test_confirmed_current_token_is_written_to_dest(tmp_path):
    dest = tmp_path / "token"
    dest.write_text("old\n")
    responses.get(TOKENS + "/current", json={"token": token(7)})
    result = run(dict(client_id=2, current_token=HELD, dest=str(dest)))
    assert result["changed"] is True and dest.read_text() == HELD + "\n"
    assert run(dict(client_id=2, current_token=HELD, dest=str(dest)))["changed"] is False


# --- held_tokens: the values a fleet holds -------------------------------------------------


def current_by_value(answers):
    """GET /tokens/current answered per Bearer value: value -> token metadata, or None for 401."""
    for value, answer in answers.items():
        bearer = matchers.header_matcher({"Authorization": "Bearer " + value})
        if answer is None:
            responses.get(TOKENS + "/current", status=401, json=INVALID_TOKEN, match=[bearer])
        else:
            responses.get(TOKENS + "/current", json={"token": answer}, match=[bearer])


def assert_no_held_value(result):
    text = json.dumps(result)
    assert HELD not in text and OTHER not in text


@responses.activate
def test_held_tokens_keep_the_valid_one_with_one_check_per_distinct_value():
    current_by_value({HELD: token(7)})
    result = run(dict(client_id=2, held_tokens=["", HELD, " %s " % HELD, HELD]))
    assert not result["failed"] and result["changed"] is False
    assert result["kept_index"] == 1 and result["replaced"] == [] and result["token"]["id"] == 7
    assert result["held"] == [dict(valid=True, problem=None, token=public_token(token(7)))]
    assert methods() == [("GET", "/api/v2/oauth/tokens/current")]
    assert "full_token" not in result["token"] and "current_token_valid" not in result
    assert_no_held_value(result)


@responses.activate
def test_held_tokens_keep_the_newest_valid_one_and_list_the_others_as_replaced():
    current_by_value({OTHER: token(8, created_at="2026-11-20T00:00:00Z"), HELD: token(7)})
    result = run(dict(client_id=2, held_tokens=[HELD, OTHER, HELD]))
    assert result["changed"] is False and result["kept_index"] == 1 and result["replaced"] == [7]
    assert [check["valid"] for check in result["held"]] == [True, True]
    assert writes() == []
    assert_no_held_value(result)


@pytest.mark.parametrize("held,answers,replaced,problems", [
    ([], {}, [], []),
    (["", "  "], {}, [], []),
    ([HELD], {HELD: None}, [], ["revoked"]),
    ([HELD, OTHER], {HELD: token(7, client_id=3), OTHER: token(8, scopes=["write"])}, [7, 8], ["another OAuth client", "other scopes"]),
])
@responses.activate
def test_held_tokens_none_valid_mints_one(held, answers, replaced, problems):
    current_by_value(answers)
    mint_response()
    result = run(dict(client_id=2, held_tokens=held))
    assert result["changed"] is True and result["kept_index"] is None and result["replaced"] == replaced
    assert result["token"]["full_token"] == MINTED
    assert [check["valid"] for check in result["held"]] == [False] * len(problems)
    for check, problem in zip(result["held"], problems):
        assert problem in check["problem"]
    assert writes() == [("POST", "/api/v2/oauth/tokens")]
    assert_no_held_value(result)


@responses.activate
def test_held_tokens_expiring_within_renew_before_count_as_invalid():
    current_by_value({HELD: token(7, expires_at="2026-12-01T00:00:00Z")})
    mint_response()
    with mock.patch("ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens.utcnow",
                    return_value=datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)):
        result = run(dict(client_id=2, held_tokens=[HELD], renew_before=7 * 86400))
    assert result["changed"] is True and "renew_before" in result["held"][0]["problem"] and result["replaced"] == [7]


@responses.activate
def test_held_tokens_rotation_mints_although_one_is_valid():
    current_by_value({HELD: token(7)})
    mint_response()
    result = run(dict(client_id=2, held_tokens=[HELD], recreate="always"))
    assert result["changed"] is True and result["kept_index"] is None and result["replaced"] == [7]
    assert result["held"][0]["valid"] is True and result["token"]["full_token"] == MINTED


@responses.activate
def test_held_tokens_unfinished_rotation_keeps_the_newest_without_a_second_mint():
    current_by_value({HELD: token(7), OTHER: token(8, created_at="2026-11-20T00:00:00Z")})
    result = run(dict(client_id=2, held_tokens=[HELD, OTHER], recreate="always"))
    assert result["changed"] is False and result["kept_index"] == 1 and result["replaced"] == [7]
    assert writes() == []


@responses.activate
def test_held_tokens_check_mode_predicts_a_mint_with_reads_only():
    current_by_value({HELD: None})
    responses.get(CLIENTS + "/2", json={"client": dict(id=2, name="App", identifier="app")})
    result = run(dict(client_id=2, held_tokens=[HELD]), check_mode=True)
    assert result["changed"] is True and result["token"] == {} and result["kept_index"] is None
    assert writes() == []


@responses.activate
def test_held_tokens_with_a_client_name_resolve_it_once():
    responses.get(CLIENTS, json=page([dict(id=2, name="App", identifier="app")], key="clients"))
    current_by_value({HELD: token(7)})
    result = run(dict(client_name="App", held_tokens=[HELD]))
    assert result["changed"] is False and result["kept_index"] == 0
    assert methods() == [("GET", "/api/v2/oauth/clients"), ("GET", "/api/v2/oauth/tokens/current")]


@responses.activate
def test_held_tokens_kept_value_goes_to_dest(tmp_path):
    dest = tmp_path / "token"
    current_by_value({HELD: token(7)})
    result = run(dict(client_id=2, held_tokens=["", HELD], dest=str(dest)))
    assert result["changed"] is True and dest.read_text() == HELD + "\n"
    assert_no_held_value(result)


# --- state=absent --------------------------------------------------------------------------

@responses.activate
def test_absent_by_id_and_already_gone():
    responses.delete(TOKENS + "/5", status=204)
    responses.delete(TOKENS + "/6", status=404, json={"error": "RecordNotFound"})
    assert run(dict(state="absent", token_id=5))["revoked"] == [5]
    gone = run(dict(state="absent", token_id=6))
    assert gone["changed"] is False and gone["revoked"] == []


@responses.activate
def test_absent_by_value_revokes_exactly_that_token():
    responses.get(TOKENS + "/current", json={"token": token(7)})
    responses.delete(TOKENS + "/current", status=204, match=[matchers.header_matcher({"Authorization": "Bearer " + HELD})])
    result = run(dict(state="absent", current_token=HELD))
    assert result["changed"] is True and result["revoked"] == [7]
    assert writes() == [("DELETE", "/api/v2/oauth/tokens/current")]


@responses.activate
def test_absent_by_value_already_revoked():
    responses.get(TOKENS + "/current", status=401, json=INVALID_TOKEN)
    result = run(dict(state="absent", current_token=HELD))
    assert result["changed"] is False and writes() == []


@responses.activate
def test_absent_by_client_and_scopes():
    responses.get(TOKENS, json=page([token(1, scopes=["read"]), token(2, scopes=["read", "write"]), token(3, client_id=9)]))
    responses.delete(TOKENS + "/1", status=204)
    result = run(dict(state="absent", client_id=2, scopes=["read"]))
    assert result["revoked"] == [1]
    assert writes() == [("DELETE", "/api/v2/oauth/tokens/1")]


@responses.activate
def test_absent_check_mode_only_reads():
    responses.get(TOKENS, json=page([token(1), token(2)]))
    result = run(dict(state="absent", client_id=2), check_mode=True)
    assert result["changed"] is True and result["revoked"] == [1, 2] and writes() == []


# --- source=client_credentials and the run's own session ---------------------------------------

GRANT = BASE + "/oauth/tokens"
SECRET = "appsecret0123456789abcdef0123456789abcdef0123456789abcdef01234567"
CONNECTION_SECRET = "connsecret0123456789abcdef0123456789abcdef0123456789abcdef012345"
SESSION = "session0123456789abcdef0123456789abcdef0123456789abcdef012345678"
MY_APP = {"id": 2, "identifier": "my_app", "name": "OAuth client for my app", "user_id": 1001}
GRANT_EXPIRY = "2026-12-07T10:00:00Z"


def as_client_credentials(args, identifier="my_app"):
    """Connection options of a run with client credentials (the run opens its own session)."""
    return dict(args, oauth_token=None, oauth_client_identifier=identifier, oauth_client_secret=CONNECTION_SECRET)


def expect_session(session_id=77, looked_up=True):
    """The run's session: its exchange, revocation, and (when ``looked_up``) the read of its id as itself."""
    responses.post(GRANT, status=201, json={"access_token": SESSION, "token_type": "bearer", "scope": "read write", "expires_in": 600},
                   match=[matchers.json_params_matcher({"grant_type": "client_credentials", "client_id": "my_app",
                                                        "client_secret": CONNECTION_SECRET, "scope": "read write",
                                                        "expires_in": 600})])
    responses.delete(TOKENS + "/current", status=204, match=[matchers.header_matcher({"Authorization": "Bearer " + SESSION})])
    if looked_up:
        responses.get(TOKENS + "/current", json={"token": token(session_id, scopes=["read", "write"], expires_at=GRANT_EXPIRY)},
                      match=[matchers.header_matcher({"Authorization": "Bearer " + SESSION})])


def expect_client_lookup(client=None):
    responses.get(CLIENTS, json=page([client or MY_APP], key="clients"))


def expect_grant_mint(secret=SECRET, lifetime=86400, scope=None, token_id=60):
    """The mint at POST /oauth/tokens, matched on its exact body, and the read of the new token's id as itself."""
    body = {"grant_type": "client_credentials", "client_id": "my_app", "client_secret": secret, "expires_in": lifetime}
    if scope is not None:
        body["scope"] = scope
    responses.post(GRANT, status=201, json={"access_token": MINTED, "token_type": "bearer", "scope": scope or "read",
                                            "expires_in": lifetime},
                   match=[matchers.json_params_matcher(body)])
    responses.get(TOKENS + "/current", json={"token": token(token_id, scopes=(scope or "read").split(), expires_at=GRANT_EXPIRY)},
                  match=[matchers.header_matcher({"Authorization": "Bearer " + MINTED})])


def assert_no_secret(result, *secrets):
    dumped = json.dumps({k: v for k, v in result.items() if k != "token"})
    for secret in secrets + (SECRET, CONNECTION_SECRET, SESSION):
        assert secret not in dumped


@pytest.mark.parametrize("args,names", [
    (dict(lifetime=300), ["lifetime", "301", "172799", "300"]),
    (dict(lifetime=172800), ["lifetime", "301", "172799"]),
    (dict(source="tokens_api", lifetime=3600), ["lifetime", "source=client_credentials"]),
    (dict(source="tokens_api", client_secret=SECRET), ["client_secret", "source=client_credentials"]),
    (dict(client_secret=None), ["client_secret", "oauth_client_secret"]),
    (dict(state="absent", client_secret=None, lifetime=3600), ["lifetime", "state=present"]),
])
@responses.activate
def test_bad_lifetime_or_missing_secret_fails_before_any_request(args, names):
    result = run(dict(dict(client_identifier="my_app", source="client_credentials", client_secret=SECRET), **args))
    assert result["failed"], result
    for name in names:
        assert name in result["msg"]
    assert len(responses.calls) == 0
    assert SECRET not in json.dumps(result)


@responses.activate
def test_another_client_than_the_connections_needs_its_own_secret_before_any_request():
    result = run(as_client_credentials(dict(client_identifier="my_app", source="client_credentials"), identifier="automation"))
    assert result["failed"] and "client_secret" in result["msg"] and len(responses.calls) == 0


@responses.activate
def test_grant_mint_sends_expires_in_always_and_no_scope_unless_asked():
    expect_client_lookup()
    responses.get(TOKENS, json=page([]), match=[matchers.query_param_matcher({"all": "true", "client_id": "2", "page[size]": "100"})])
    expect_grant_mint()
    result = run(dict(client_identifier="my_app", source="client_credentials", client_secret=SECRET))
    assert not result["failed"] and result["changed"] is True, result
    assert result["token"]["id"] == 60 and result["token"]["expires_at"] == GRANT_EXPIRY and result["token"]["full_token"] == MINTED
    assert methods() == [("GET", "/api/v2/oauth/clients"), ("GET", "/api/v2/oauth/tokens"), ("POST", "/oauth/tokens"),
                         ("GET", "/api/v2/oauth/tokens/current")]
    assert "scope" not in json.loads(responses.calls[2].request.body)
    assert_no_secret(result)


@responses.activate
def test_grant_mint_with_asked_scopes_and_lifetime_recreate_always():
    expect_client_lookup()
    expect_grant_mint(lifetime=3600, scope="read write")
    result = run(dict(client_name="OAuth client for my app", source="client_credentials", client_secret=SECRET,
                      scopes=["write", "read"], lifetime=3600, recreate="always"), check_mode=False)
    assert not result["failed"] and result["token"]["scopes"] == ["read", "write"], result
    assert json.loads(responses.calls[1].request.body)["scope"] == "read write"
    assert writes() == [("POST", "/oauth/tokens")]


@responses.activate
def test_grant_mint_check_mode_predicts_without_a_grant():
    responses.get(CLIENTS + "/2", json={"client": MY_APP})
    responses.get(TOKENS, json=page([]))
    result = run(dict(client_id=2, source="client_credentials", client_secret=SECRET, lifetime=7200), check_mode=True)
    assert not result["failed"] and result["changed"] is True and result["token"] == {}
    assert result["diff"]["after"] == {"client_id": 2, "scopes": None, "lifetime": 7200}
    assert methods() == [("GET", "/api/v2/oauth/clients/2"), ("GET", "/api/v2/oauth/tokens")]


@responses.activate
def test_grant_source_counts_a_token_of_the_clients_owner_as_present():
    expect_client_lookup()
    owners = token(40, scopes=["read"], expires_at="2026-12-30T00:00:00Z")
    responses.get(TOKENS, json=page([token(41, user_id=5), owners]),
                  match=[matchers.query_param_matcher({"all": "true", "client_id": "2", "page[size]": "100"})])
    result = run(dict(client_identifier="my_app", source="client_credentials", client_secret=SECRET))
    assert not result["failed"] and result["changed"] is False and result["token"]["id"] == 40
    assert writes() == []


@responses.activate
def test_the_connections_own_client_uses_the_connection_secret():
    expect_session()
    expect_client_lookup()
    responses.get(TOKENS, json=page([token(77, scopes=["read", "write"], expires_at=GRANT_EXPIRY)]))
    expect_grant_mint(secret=CONNECTION_SECRET, scope="read write")
    result = run(as_client_credentials(dict(client_identifier="my_app", source="client_credentials", scopes=["read", "write"])))
    assert not result["failed"] and result["changed"] is True and result["token"]["id"] == 60, result
    assert_no_secret(result)
    assert methods()[-1] == ("DELETE", "/api/v2/oauth/tokens/current")


@responses.activate
def test_a_refused_grant_mint_names_client_secret_and_never_shows_it():
    expect_client_lookup()
    responses.post(GRANT, status=401, json={"error": "invalid_client", "error_description": "Client authentication failed " + SECRET})
    result = run(dict(client_identifier="my_app", source="client_credentials", client_secret=SECRET, recreate="always"))
    assert result["failed"] and "mint a token for client_identifier='my_app'" in result["msg"] and "client_secret" in result["msg"]
    assert SECRET not in json.dumps(result)


@responses.activate
def test_a_minted_token_whose_id_cannot_be_read_is_revoked_again():
    expect_client_lookup()
    responses.post(GRANT, status=201, json={"access_token": MINTED, "token_type": "bearer", "expires_in": 86400})
    responses.get(TOKENS + "/current", status=500, json={"error": "InternalError"})
    responses.delete(TOKENS + "/current", status=204, match=[matchers.header_matcher({"Authorization": "Bearer " + MINTED})])
    result = run(dict(client_identifier="my_app", source="client_credentials", client_secret=SECRET, recreate="always"))
    assert result["failed"] and "revoked again" in result["msg"] and "token" not in result
    assert MINTED not in json.dumps(result)


@pytest.mark.parametrize("check_mode", [False, True])
@responses.activate
def test_the_runs_session_never_counts_as_an_existing_token(check_mode):
    expect_session(session_id=77)
    expect_client_lookup()
    responses.get(TOKENS, json=page([token(77, scopes=["read", "write"], expires_at=GRANT_EXPIRY)]))
    mint_response(token_id=50, scopes=("read", "write"))
    result = run(as_client_credentials(dict(client_name="OAuth client for my app", scopes=["read", "write"])), check_mode=check_mode)
    assert not result["failed"] and result["changed"] is True, result
    assert not result.get("warnings")
    assert ("POST", "/api/v2/oauth/tokens") in writes() or check_mode
    assert_no_secret(result)


@responses.activate
def test_absent_by_client_never_revokes_the_runs_session():
    expect_session(session_id=77)
    responses.get(TOKENS, json=page([token(77, scopes=["read", "write"]), token(78)]))
    responses.delete(TOKENS + "/78", status=204)
    result = run(as_client_credentials(dict(state="absent", client_id=2)))
    assert not result["failed"] and result["revoked"] == [78], result
    assert ("DELETE", "/api/v2/oauth/tokens/77") not in writes()


@responses.activate
def test_the_session_id_is_read_only_when_a_listing_has_tokens():
    expect_session(looked_up=False)
    responses.get(TOKENS, json=page([]))
    result = run(as_client_credentials(dict(state="absent", client_id=2)))
    assert not result["failed"] and result["changed"] is False
    assert methods() == [("POST", "/oauth/tokens"), ("GET", "/api/v2/oauth/tokens"), ("DELETE", "/api/v2/oauth/tokens/current")]


@responses.activate
def test_grant_source_keeps_a_valid_held_token_without_a_client_lookup():
    responses.get(TOKENS + "/current", json={"token": token(60, expires_at="2026-12-30T00:00:00Z")},
                  match=[matchers.header_matcher({"Authorization": "Bearer " + HELD})])
    result = run(dict(client_id=2, source="client_credentials", client_secret=SECRET, current_token=HELD))
    assert not result["failed"] and result["changed"] is False and result["current_token_valid"] is True
    assert methods() == [("GET", "/api/v2/oauth/tokens/current")]


# --- the role's decision task hands its session on only when revocations follow -----------------

def expect_play_session():
    """The decision task's exchange: a session for the play (an hour); its revocation, if the run makes it."""
    responses.post(GRANT, status=201, json={"access_token": SESSION, "token_type": "bearer", "scope": "read write", "expires_in": 3600},
                   match=[matchers.json_params_matcher({"grant_type": "client_credentials", "client_id": "my_app",
                                                        "client_secret": CONNECTION_SECRET, "scope": "read write",
                                                        "expires_in": 3600})])
    responses.delete(TOKENS + "/current", status=204, match=[matchers.header_matcher({"Authorization": "Bearer " + SESSION})])


@pytest.mark.parametrize("keep,held,answers,kept", [
    ("for_revocations", [HELD], {HELD: token(7)}, False),
    ("for_revocations", [HELD, OTHER], {OTHER: token(8, created_at="2026-11-20T00:00:00Z"), HELD: token(7)}, True),
    ("always", [HELD], {HELD: token(7)}, True),
])
@responses.activate
def test_keep_session_for_revocations_closes_the_session_when_nothing_is_replaced(keep, held, answers, kept):
    expect_play_session()
    current_by_value(answers)
    result = run(as_client_credentials(dict(client_id=2, held_tokens=held, _keep_session=keep)))
    assert not result["failed"] and result["changed"] is False
    revoked_session = ("DELETE", "/api/v2/oauth/tokens/current") in methods()
    assert revoked_session is not kept, methods()
    assert ("session" in result and result["session"]["full_token"] == SESSION) is kept
    if kept:
        assert result["connection"]["oauth_token"] == SESSION and result["session"]["expires_in"] == 3600

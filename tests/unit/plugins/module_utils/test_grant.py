# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the client credentials exchange and the revocation of its token (HTTP mocked with responses)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests
import responses
from responses import matchers

from ansible_collections.obscura.zendesk.plugins.module_utils._http import RetryPolicy, ZendeskApi, ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._grant import (
    close_warning, exchange, expires_in_problems, grant_error_message)
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import revoke_token_value

BASE = "https://obscura.zendesk.com"
GRANT = BASE + "/oauth/tokens"
CURRENT = BASE + "/api/v2/oauth/tokens/current"
SECRET = "client-secret-0123456789abcdef0123456789abcdef0123456789abcdef"
TOKEN = "session-token-0123456789abcdef0123456789abcdef0123456789abcdef"
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)


def make_client(retries=3):
    return ZendeskApi(BASE, ("none", None), retry=RetryPolicy(retries=retries, sleep=lambda s: None, rand=lambda: 0))


def expect_grant(status=201, body=None, scope="read write", expires_in=600, **kwargs):
    """The grant, matched on its exact JSON body: ``scope`` only when not None, ``expires_in`` always."""
    body = {"access_token": TOKEN, "token_type": "bearer", "scope": scope, "expires_in": expires_in} if body is None else body
    wanted = {"grant_type": "client_credentials", "client_id": "ansible_automation", "client_secret": SECRET,
              "expires_in": expires_in}
    if scope is not None:
        wanted["scope"] = scope
    return responses.post(GRANT, status=status, json=body, match=[matchers.json_params_matcher(wanted)], **kwargs)


@responses.activate
def test_exchange_posts_json_and_returns_the_session():
    expect_grant()
    client = make_client()
    session = exchange(client, "ansible_automation", SECRET, ["read", "write"], 600, now=NOW)
    assert (session.token, session.scopes, session.expires_in, session.expires_at) == (TOKEN, ["read", "write"], 600, "2026-12-03T10:10:00Z")
    request = responses.calls[0].request
    assert "Authorization" not in request.headers and request.headers["Content-Type"] == "application/json"
    assert client.redact("%s %s" % (TOKEN, SECRET)) == "******** ********"


@responses.activate
def test_exchange_sends_no_authorization_header_whatever_the_api_authenticates_with():
    expect_grant()
    api = ZendeskApi(BASE, ("bearer", "admin-token-0123456789"), retry=RetryPolicy(retries=0))
    assert exchange(api, "ansible_automation", SECRET, ["read", "write"], 600).token == TOKEN
    assert "Authorization" not in responses.calls[0].request.headers


@responses.activate
def test_exchange_without_scopes_sends_no_scope_and_tolerates_an_answer_without_expires_in():
    expect_grant(scope=None, body={"access_token": TOKEN, "token_type": "bearer", "scope": "read"})
    session = exchange(make_client(), "ansible_automation", SECRET, None, 600, now=NOW)
    assert session.scopes == ["read"] and session.expires_in == 600 and session.id is None
    assert "scope" not in responses.calls[0].request.body.decode()


@responses.activate
def test_exchange_always_sends_expires_in():
    expect_grant(scope="tickets:read", expires_in=86400, body={"access_token": TOKEN, "token_type": "bearer"})
    session = exchange(make_client(), "ansible_automation", SECRET, ["tickets:read"], 86400, now=NOW)
    assert (session.scopes, session.expires_in, session.expires_at) == (["tickets:read"], 86400, "2026-12-04T10:00:00Z")


def test_grant_error_message_names_what_failed_and_takes_other_advice():
    err = ZendeskError("POST", "/oauth/tokens", status=401, error="invalid_client", description="Client authentication failed")
    message = grant_error_message(err, doing="mint a token for client_id=2", advice_for={"invalid_client": "Check client_secret."})
    assert message.startswith("Could not mint a token for client_id=2. ") and message.endswith("Check client_secret.")


@responses.activate
def test_exchange_is_retried_after_429_only():
    responses.post(GRANT, status=429, body="Too Many Requests", headers={"Retry-After": "0"})
    expect_grant()
    assert exchange(make_client(), "ansible_automation", SECRET, ["read", "write"], 600).token == TOKEN
    assert len(responses.calls) == 2


@responses.activate
@pytest.mark.parametrize("failure", [dict(status=503, json={"error": "ServiceUnavailable"}), dict(body=requests.exceptions.ReadTimeout("slow"))])
def test_exchange_is_never_repeated_when_zendesk_may_have_processed_it(failure):
    responses.post(GRANT, **failure)
    with pytest.raises(ZendeskError):
        exchange(make_client(), "ansible_automation", SECRET, ["read", "write"], 600)
    assert len(responses.calls) == 1


@responses.activate
def test_exchange_without_access_token_is_an_error():
    expect_grant(body={"token_type": "bearer"})
    with pytest.raises(ZendeskError) as caught:
        exchange(make_client(), "ansible_automation", SECRET, ["read", "write"], 600)
    assert "access_token" in str(caught.value)


@responses.activate
@pytest.mark.parametrize("status,body,phrases", [
    (401, {"error": "invalid_client", "error_description": "Client authentication failed"},
     ["oauth_client_identifier", "ZENDESK_OAUTH_CLIENT_IDENTIFIER", "oauth_client_secret", "Identifier"]),
    (401, {"error": "Couldn't authenticate you"}, ["oauth_client_identifier", "oauth_client_secret"]),
    (400, {"error": "unauthorized_client", "error_description": "not authorized"}, ["confidential", "kind"]),
    (400, {"error": "invalid_scope", "error_description": "The requested scope is invalid"}, ["oauth_client_scopes", "allowed scopes"]),
    (400, {"error": "invalid_request", "error_description": "expires_in must be more than 300"}, ["expires_in", "300", "172,800"]),
])
def test_refusals_get_messages_a_user_can_act_on(status, body, phrases):
    expect_grant(status=status, body=body)
    with pytest.raises(ZendeskError) as caught:
        exchange(make_client(), "ansible_automation", SECRET, ["read", "write"], 600)
    message = grant_error_message(caught.value)
    assert "POST /oauth/tokens returned HTTP %s" % status in message
    for phrase in phrases:
        assert phrase in message
    assert SECRET not in message


@responses.activate
def test_a_secret_echoed_by_zendesk_is_redacted():
    expect_grant(status=400, body={"error": "invalid_request", "error_description": "bad client_secret %s" % SECRET})
    with pytest.raises(ZendeskError) as caught:
        exchange(make_client(), "ansible_automation", SECRET, ["read", "write"], 600)
    assert SECRET not in grant_error_message(caught.value)


@responses.activate
def test_a_session_token_is_revoked_as_itself_and_a_gone_one_reported():
    responses.delete(CURRENT, status=204, match=[matchers.header_matcher({"Authorization": "Bearer " + TOKEN})])
    responses.delete(CURRENT, status=401, json={"error": "invalid_token", "error_description": "expired, revoked"})
    client = ZendeskApi(BASE, ("bearer", "another-token"), retry=RetryPolicy(retries=0))
    assert revoke_token_value(client, TOKEN) is True
    assert revoke_token_value(client, TOKEN) is False


@responses.activate
def test_a_failed_session_revocation_is_raised_and_its_warning_names_no_token():
    responses.delete(CURRENT, status=500, json={"error": "InternalError", "description": "token %s" % TOKEN})
    with pytest.raises(ZendeskError) as caught:
        revoke_token_value(ZendeskApi(BASE, ("none", None), retry=RetryPolicy(retries=0)), TOKEN)
    warning = close_warning(caught.value)
    assert "expires on its own" in warning and "HTTP 500" in warning and TOKEN not in warning
    assert "(RuntimeError)" in close_warning(RuntimeError(TOKEN)) and TOKEN not in close_warning(RuntimeError(TOKEN))


@pytest.mark.parametrize("value,ok", [(None, True), (301, True), (172799, True), (300, False), (172800, False), (0, False)])
def test_expires_in_limits(value, ok):
    problems = expires_in_problems(value)
    assert (problems == []) is ok
    if not ok:
        assert "expires_in" in problems[0] and "300" in problems[0]

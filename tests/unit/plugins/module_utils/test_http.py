# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the HTTP layer (ZendeskApi): auth, headers, errors, retries, pagination, redaction."""

from __future__ import annotations

import base64
import email.utils
from datetime import datetime, timedelta, timezone
from unittest import mock

import pytest
import requests
import responses
from responses import matchers
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from ansible_collections.obscura.zendesk.plugins.module_utils._http import (
    BearerAuth,
    RetryPolicy,
    ZendeskApi,
    ZendeskError,
    parse_retry_after,
    request_never_sent,
    root_cause_text,
    user_agent,
)

BASE = "https://obscura.zendesk.com"
TOKEN = "f00dfeedcafe0123456789abcdef0123456789abcdef0123456789abcdef0123"
API_TOKEN = "apitoken-6d4f1f0c2b7e"
PASSWORD = "pa55-word-sekrit"
CLIENTS = BASE + "/api/v2/oauth/clients"
TOKENS = BASE + "/api/v2/oauth/tokens"


class Sleeps(list):
    """A stand-in for time.sleep that records the requested waits."""

    def __call__(self, seconds):
        self.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


VERSION = "9.8.7"
USER_AGENT = "obscura.zendesk/9.8.7 (Ansible collection)"


def make_api(sleeps, auth=("bearer", TOKEN), retries=5, max_total_wait=120.0):
    policy = RetryPolicy(retries=retries, max_total_wait=max_total_wait, sleep=sleeps, rand=lambda: 0.5)
    return ZendeskApi(BASE, auth, secrets=[TOKEN, API_TOKEN, PASSWORD], retry=policy, version=VERSION)


@responses.activate
def test_bearer_auth_and_standard_headers(sleeps):
    responses.get(CLIENTS + "/1", json={"client": {"id": 1}},
                  match=[matchers.header_matcher({"Authorization": "Bearer " + TOKEN, "Accept": "application/json", "User-Agent": USER_AGENT})])
    assert make_api(sleeps).get("/api/v2/oauth/clients/1") == {"client": {"id": 1}}


@responses.activate
def test_api_token_auth_uses_email_slash_token(sleeps):
    expected = "Basic " + base64.b64encode(("admin@example.com/token:" + API_TOKEN).encode()).decode()
    responses.get(BASE + "/api/v2/users/me", json={"user": {"id": 1}}, match=[matchers.header_matcher({"Authorization": expected})])
    api = make_api(sleeps, auth=("basic", ("admin@example.com/token", API_TOKEN)))
    assert api.get("/api/v2/users/me")["user"]["id"] == 1


@responses.activate
def test_password_auth_uses_email_and_password(sleeps):
    expected = "Basic " + base64.b64encode(("admin@example.com:" + PASSWORD).encode()).decode()
    responses.get(BASE + "/api/v2/users/me", json={"user": {"id": 1}}, match=[matchers.header_matcher({"Authorization": expected})])
    assert make_api(sleeps, auth=("basic", ("admin@example.com", PASSWORD))).get("/api/v2/users/me")


@responses.activate
def test_writes_send_json_content_type_even_without_body(sleeps):
    responses.delete(TOKENS + "/5", status=204, match=[matchers.header_matcher({"Content-Type": "application/json"})])
    assert make_api(sleeps).request("DELETE", "/api/v2/oauth/tokens/5") is None


@responses.activate
def test_post_sends_json_body(sleeps):
    body = {"token": {"client_id": 2, "scopes": ["read"]}}
    responses.post(TOKENS, status=201, json={"token": {"id": 7}}, match=[matchers.json_params_matcher(body)])
    assert make_api(sleeps).request("POST", "/api/v2/oauth/tokens", json=body)["token"]["id"] == 7


@responses.activate
def test_one_session_is_reused_for_every_request(sleeps):
    responses.get(CLIENTS + "/1", json={"client": {}})
    api = make_api(sleeps)
    pool = api.http
    api.get("/api/v2/oauth/clients/1")
    api.get("/api/v2/oauth/clients/1")
    assert api.http is pool and len(responses.calls) == 2


@pytest.mark.parametrize("status,body,error,description", [
    (401, {"error": "Couldn't authenticate you"}, "Couldn't authenticate you", None),
    (403, {"error": "Forbidden", "description": "You are missing the following required scopes: write"}, "Forbidden",
     "You are missing the following required scopes: write"),
    (404, {"error": "RecordNotFound", "description": "Not found"}, "RecordNotFound", "Not found"),
    (400, {"errors": [{"code": "invalid_scope", "title": "Invalid scope", "status": "400"}]}, "invalid_scope", "Invalid scope"),
])
@responses.activate
def test_json_error_bodies_become_zendesk_errors(sleeps, status, body, error, description):
    responses.get(CLIENTS, status=status, json=body)
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps).get("/api/v2/oauth/clients")
    err = caught.value
    assert (err.status, err.error, err.description, err.method, err.path) == (status, error, description, "GET", "/api/v2/oauth/clients")
    assert str(status) in str(err) and "GET /api/v2/oauth/clients" in str(err)


@responses.activate
def test_422_details_are_listed_by_field(sleeps):
    responses.post(CLIENTS, status=422, json={
        "error": "RecordInvalid", "description": "Record validation errors",
        "details": {"identifier": [{"description": "Identifier: has already been taken", "error": "DuplicateValue"}]}})
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps).request("POST", "/api/v2/oauth/clients", json={"client": {}})
    assert "identifier: Identifier: has already been taken" in str(caught.value)
    assert sleeps == []  # a 422 is never retried


@responses.activate
def test_plain_text_error_body(sleeps):
    responses.get(CLIENTS, status=502, body="Bad gateway from the edge", content_type="text/plain")
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps).get("/api/v2/oauth/clients")
    assert caught.value.description == "Bad gateway from the edge" and caught.value.error is None


@responses.activate
def test_errors_never_carry_a_secret_or_header(sleeps):
    responses.get(CLIENTS, status=401, json={"error": "Couldn't authenticate you", "description": "token %s rejected" % TOKEN})
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps).get("/api/v2/oauth/clients")
    text = str(caught.value) + repr(caught.value.__dict__)
    assert TOKEN not in text and "Bearer" not in text and "Authorization" not in text
    assert "********" in text


@responses.activate
def test_secret_added_later_is_redacted_too(sleeps):
    held = "heldtoken-99887766554433221100"
    responses.get(TOKENS + "/current", status=403, json={"error": "Forbidden", "description": "bad " + held})
    api = make_api(sleeps)
    api.add_secret(held)
    with pytest.raises(ZendeskError) as caught:
        api.get("/api/v2/oauth/tokens/current")
    assert held not in str(caught.value)


@responses.activate
def test_429_honours_retry_after_seconds_then_succeeds(sleeps):
    responses.get(CLIENTS, status=429, headers={"Retry-After": "7"}, body="Too Many Requests", content_type="text/plain")
    responses.get(CLIENTS, status=429, headers={"Retry-After": "3"})
    responses.get(CLIENTS, json={"clients": []})
    assert make_api(sleeps).get("/api/v2/oauth/clients") == {"clients": []}
    assert sleeps == [7.0, 3.0]


@responses.activate
def test_503_without_retry_after_backs_off_exponentially_with_jitter(sleeps):
    for dummy in range(3):
        responses.get(CLIENTS, status=503, json={"error": "ServiceUnavailable"})
    responses.get(CLIENTS, json={"clients": []})
    make_api(sleeps).get("/api/v2/oauth/clients")
    assert sleeps == [0.5, 1.0, 2.0]  # rand()=0.5 times 1, 2, 4 seconds


def test_retry_after_as_http_date():
    now = datetime(2026, 11, 29, 12, 0, 0, tzinfo=timezone.utc)
    later = (now + timedelta(seconds=42)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(later, now=now) == 42.0
    assert parse_retry_after("not a date") is None
    assert parse_retry_after(None) is None
    assert parse_retry_after("-5") == 0.0


@responses.activate
def test_retries_are_capped_in_count(sleeps):
    responses.get(CLIENTS, status=429, headers={"Retry-After": "1"})
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps, retries=2).get("/api/v2/oauth/clients")
    assert caught.value.status == 429
    assert len(responses.calls) == 3 and sleeps == [1.0, 1.0]


@responses.activate
def test_retries_zero_means_one_attempt(sleeps):
    responses.get(CLIENTS, status=503)
    with pytest.raises(ZendeskError):
        make_api(sleeps, retries=0).get("/api/v2/oauth/clients")
    assert len(responses.calls) == 1 and sleeps == []


@responses.activate
def test_total_wait_is_capped(sleeps):
    responses.get(CLIENTS, status=429, headers={"Retry-After": "100"})
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps, max_total_wait=150).get("/api/v2/oauth/clients")
    assert caught.value.retry_after == 100.0
    assert sleeps == [100.0] and len(responses.calls) == 2


@responses.activate
def test_post_is_retried_after_429(sleeps):
    responses.post(TOKENS, status=429, headers={"Retry-After": "2"})
    responses.post(TOKENS, status=201, json={"token": {"id": 1}})
    assert make_api(sleeps).request("POST", "/api/v2/oauth/tokens", json={})["token"]["id"] == 1
    assert len(responses.calls) == 2


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@responses.activate
def test_post_is_never_retried_after_a_server_error(sleeps, status):
    responses.post(TOKENS, status=status, json={"error": "ServiceUnavailable"})
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps).request("POST", "/api/v2/oauth/tokens", json={})
    assert caught.value.status == status
    assert len(responses.calls) == 1 and sleeps == []


@responses.activate
def test_post_is_not_retried_after_a_dropped_connection(sleeps):
    responses.post(TOKENS, body=requests.exceptions.ConnectionError("Connection aborted.", ConnectionResetError(104, "reset")))
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps).request("POST", "/api/v2/oauth/tokens", json={})
    assert caught.value.status is None and "connection was dropped" in str(caught.value)
    assert len(responses.calls) == 1


@responses.activate
def test_post_is_not_retried_after_a_read_timeout(sleeps):
    responses.post(TOKENS, body=requests.exceptions.ReadTimeout("read timed out"))
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps).request("POST", "/api/v2/oauth/tokens", json={})
    assert "timeout" in str(caught.value) and len(responses.calls) == 1


@responses.activate
def test_post_is_retried_when_the_connection_was_never_made(sleeps):
    responses.post(TOKENS, body=requests.exceptions.ConnectTimeout("connect timed out"))
    responses.post(TOKENS, status=201, json={"token": {"id": 3}})
    assert make_api(sleeps).request("POST", "/api/v2/oauth/tokens", json={})["token"]["id"] == 3


@responses.activate
def test_get_is_retried_after_a_dropped_connection(sleeps):
    responses.get(CLIENTS, body=requests.exceptions.ConnectionError("Connection aborted."))
    responses.get(CLIENTS, json={"clients": [{"id": 1}]})
    assert make_api(sleeps).get("/api/v2/oauth/clients")["clients"] == [{"id": 1}]


@responses.activate
def test_tls_failure_names_ca_path(sleeps):
    responses.get(CLIENTS, body=requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps, retries=0).get("/api/v2/oauth/clients")
    assert "ca_path" in str(caught.value)


def test_real_connection_refused_is_reported_without_retrying_post(sleeps):
    api = ZendeskApi("http://127.0.0.1:9", ("bearer", TOKEN), secrets=[TOKEN], retry=RetryPolicy(retries=1, sleep=sleeps, rand=lambda: 0))
    with pytest.raises(ZendeskError) as caught:
        api.request("POST", "/api/v2/oauth/tokens", json={})
    assert caught.value.status is None and "could not connect" in str(caught.value)
    assert len(sleeps) == 1  # nothing was sent, so the POST was tried again once


def page(items, next_url=None, key="clients"):
    body = {key: items, "meta": {"has_more": next_url is not None, "after_cursor": "c", "before_cursor": None},
            "links": {"next": next_url, "prev": None}}
    return body


@responses.activate
def test_cursor_pagination_follows_links_next(sleeps):
    responses.get(CLIENTS, json=page([{"id": 1}, {"id": 2}], CLIENTS + "?page%5Bafter%5D=c1&page%5Bsize%5D=100"),
                  match=[matchers.query_param_matcher({"page[size]": "100"})])
    responses.get(CLIENTS, json=page([{"id": 3}]), match=[matchers.query_param_matcher({"page[size]": "100", "page[after]": "c1"})])
    api = make_api(sleeps)
    assert [c["id"] for c in api.paginate("/api/v2/oauth/clients", "clients")] == [1, 2, 3]
    assert len(responses.calls) == 2


@responses.activate
def test_pagination_is_lazy_so_callers_can_stop_early(sleeps):
    responses.get(CLIENTS, json=page([{"id": 1}], CLIENTS + "?page%5Bafter%5D=c1"))
    items = make_api(sleeps).paginate("/api/v2/oauth/clients", "clients")
    assert next(items)["id"] == 1
    assert len(responses.calls) == 1


@responses.activate
def test_pagination_stops_when_has_more_is_false_even_with_a_link(sleeps):
    body = page([{"id": 1}], None)
    body["links"]["next"] = CLIENTS + "?page%5Bafter%5D=zzz"
    responses.get(CLIENTS, json=body)
    assert len(list(make_api(sleeps).paginate("/api/v2/oauth/clients", "clients"))) == 1
    assert len(responses.calls) == 1


@responses.activate
def test_offset_pagination_fallback(sleeps):
    responses.get(CLIENTS, json={"clients": [{"id": 1}], "next_page": CLIENTS + "?page=2&per_page=100", "count": 2})
    responses.get(CLIENTS, json={"clients": [{"id": 2}], "next_page": None, "count": 2},
                  match=[matchers.query_param_matcher({"page": "2", "per_page": "100"})])
    assert [c["id"] for c in make_api(sleeps).paginate("/api/v2/oauth/clients", "clients")] == [1, 2]


@responses.activate
def test_pagination_refuses_a_link_to_another_origin(sleeps):
    responses.get(CLIENTS, json=page([{"id": 1}], "https://evil.example.com/api/v2/oauth/clients?page%5Bafter%5D=c"))
    items = make_api(sleeps).paginate("/api/v2/oauth/clients", "clients")
    assert next(items)["id"] == 1
    with pytest.raises(ZendeskError) as caught:
        next(items)
    assert "another origin" in str(caught.value)
    assert len(responses.calls) == 1


@responses.activate
def test_pagination_passes_filters(sleeps):
    responses.get(TOKENS, json=page([{"id": 9}], key="tokens"), match=[matchers.query_param_matcher({"page[size]": "100", "client_id": "2"})])
    assert list(make_api(sleeps).paginate("/api/v2/oauth/tokens", "tokens", params={"client_id": 2})) == [{"id": 9}]


@responses.activate
def test_non_json_success_body_is_an_error(sleeps):
    responses.get(CLIENTS, body="<html>maintenance</html>", content_type="text/html")
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps).get("/api/v2/oauth/clients")
    assert "not JSON" in str(caught.value)


@pytest.mark.parametrize("options,verify", [
    (dict(), True), (dict(ca_path="/etc/ca.pem"), "/etc/ca.pem"), (dict(validate_certs=False), False),
    (dict(validate_certs=False, ca_path="/etc/ca.pem"), False),
])
def test_tls_settings_win_over_requests_ca_bundle(monkeypatch, options, verify):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/somewhere/else.pem")
    api = ZendeskApi(BASE, ("bearer", TOKEN), **options)
    with mock.patch.object(api.http, "send") as send:
        send.return_value = mock.Mock(status_code=204, content=b"")
        api.request("DELETE", "/api/v2/oauth/tokens/1")
    expected = "/somewhere/else.pem" if verify is True else verify
    assert send.call_args.kwargs["verify"] == expected


def test_user_agent_names_the_given_version():
    assert user_agent("1.2.3") == "obscura.zendesk/1.2.3 (Ansible collection)"
    assert user_agent(None) == "obscura.zendesk/unknown (Ansible collection)"


@responses.activate
def test_no_auth_then_bearer(sleeps):
    policy = RetryPolicy(retries=0, sleep=sleeps)
    api = ZendeskApi(BASE, ("none", None), retry=policy)
    responses.post(BASE + "/oauth/tokens", json={"access_token": TOKEN}, status=201)
    responses.get(CLIENTS, json={"clients": []},
                  match=[matchers.header_matcher({"Authorization": "Bearer " + TOKEN})])
    api.request("POST", "/oauth/tokens", json={"grant_type": "client_credentials"})
    assert "Authorization" not in responses.calls[0].request.headers
    api.use_bearer(TOKEN)
    api.get("/api/v2/oauth/clients")
    assert api.redact("x" + TOKEN) == "x********"


@responses.activate
def test_bearer_auth_for_one_request_overrides_the_clients_credentials(sleeps):
    responses.delete(TOKENS + "/current", status=204, match=[matchers.header_matcher({"Authorization": "Bearer other-token"})])
    api = make_api(sleeps, auth=("basic", ("a@b.c", PASSWORD)))
    assert api.request("DELETE", "/api/v2/oauth/tokens/current", auth=BearerAuth("other-token")) is None


@responses.activate
def test_oauth_error_description_is_read(sleeps):
    responses.post(BASE + "/oauth/tokens", status=401, json={"error": "invalid_client", "error_description": "Client authentication failed"})
    with pytest.raises(ZendeskError) as caught:
        make_api(sleeps).request("POST", "/oauth/tokens", json={})
    assert (caught.value.error, caught.value.description) == ("invalid_client", "Client authentication failed")


def test_one_walker_finds_the_root_cause_and_whether_the_request_left():
    refused = NewConnectionError("<urllib3.connection.HTTPSConnection object at 0x7f>",
                                 "Failed to establish a new connection: [Errno 111] Connection refused")
    never_sent = requests.exceptions.ConnectionError(MaxRetryError(None, "/x", reason=refused))
    assert request_never_sent(never_sent)
    assert root_cause_text(never_sent) == "Failed to establish a new connection: [Errno 111] Connection refused"
    dropped = requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104, "reset")))
    assert not request_never_sent(dropped)
    assert root_cause_text(requests.exceptions.ConnectTimeout("timed out")) == "timed out"
    assert request_never_sent(requests.exceptions.ConnectTimeout("timed out"))
    looped = ValueError("loop")
    looped.__context__ = looped
    assert root_cause_text(looped) == "loop" and not request_never_sent(looped)


@responses.activate
def test_get_if_present_is_none_for_404_and_raises_other_errors(sleeps):
    responses.get(CLIENTS + "/1", json={"client": {"id": 1}})
    responses.get(CLIENTS + "/2", status=404, json={"error": "RecordNotFound", "description": "Not found"})
    responses.get(CLIENTS + "/3", status=403, json={"error": "Forbidden"})
    api = make_api(sleeps)
    assert api.get_if_present("/api/v2/oauth/clients/1", "client") == {"id": 1}
    assert api.get_if_present("/api/v2/oauth/clients/2", "client") is None
    with pytest.raises(ZendeskError) as caught:
        api.get_if_present("/api/v2/oauth/clients/3", "client")
    assert caught.value.status == 403


@responses.activate
def test_delete_if_present_says_whether_it_deleted(sleeps):
    responses.delete(TOKENS + "/1", status=204)
    responses.delete(TOKENS + "/2", status=404, json={"error": "RecordNotFound"})
    responses.delete(TOKENS + "/3", status=401, json={"error": "invalid_token"})
    api = make_api(sleeps)
    assert api.delete_if_present("/api/v2/oauth/tokens/1") is True
    assert api.delete_if_present("/api/v2/oauth/tokens/2") is False
    assert api.delete_if_present("/api/v2/oauth/tokens/3", gone=(401, 404)) is False
    with pytest.raises(ZendeskError) as caught:
        api.delete_if_present("/api/v2/oauth/tokens/3")
    assert caught.value.status == 401


@responses.activate
def test_server_now_follows_zendesks_date_header(sleeps):
    api = make_api(sleeps)
    assert api.server_now() is None
    ahead = datetime.now(timezone.utc) + timedelta(hours=3)
    responses.get(CLIENTS + "/1", json={"client": {}}, headers={"Date": email.utils.format_datetime(ahead, usegmt=True)})
    api.get("/api/v2/oauth/clients/1")
    assert abs((api.server_now() - ahead).total_seconds()) < 5
    responses.get(CLIENTS + "/2", json={"client": {}}, headers={"Date": "not a date"})
    api.get("/api/v2/oauth/clients/2")
    assert abs((api.server_now() - ahead).total_seconds()) < 5

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of OAuth clients as code: field comparison, the exact PUT body, secrets, delete, token count."""

from __future__ import annotations

import pytest
import responses
from responses import matchers

from ansible_collections.obscura.zendesk.plugins.module_utils._http import RetryPolicy, ZendeskApi, ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import (
    changed_fields,
    create_client,
    delete_client,
    diff_view,
    field_differs,
    field_problems,
    find_client,
    full_secret,
    planned_client,
    regenerate_secret,
    undelivered_secret_message,
    update_client,
    wanted_fields,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import count_client_tokens

BASE = "https://obscura.zendesk.com"
CLIENTS = BASE + "/api/v2/oauth/clients"
TOKENS = BASE + "/api/v2/oauth/tokens"
SECRET = "af3t24tfj34h43s0123456789abcdef0123456789abcdef0123456789abcdef"
CLIENT = {"id": 7, "name": "My app", "identifier": "my_app", "kind": "confidential", "company": None, "description": "",
          "redirect_uri": ["https://a.example/cb", "https://b.example/cb"], "user_id": 1, "global": False,
          "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z", "url": CLIENTS + "/7.json",
          "secret": "af3t24tfj3..."}


@pytest.fixture(name="api")
def api_fixture():
    return ZendeskApi(BASE, ("bearer", "admin-token"), secrets=["admin-token"], retry=RetryPolicy(retries=0))


def params(**given):
    """Module parameters with every option unset except ``given``."""
    base = dict(state="present", identifier="my_app", name=None, kind=None, redirect_uri=None, description=None,
                company=None, regenerate_secret=False, dest=None)
    base.update(given)
    return base


def test_unset_options_are_not_managed():
    assert wanted_fields(params(name="x", redirect_uri=[])) == {"name": "x", "redirect_uri": []}


@pytest.mark.parametrize("name,current,wanted,differs", [
    ("redirect_uri", ["https://a", "https://b"], ["https://b", "https://a", "https://a"], False),
    ("redirect_uri", ["https://a"], ["https://a", "https://b"], True),
    ("redirect_uri", None, [], False),
    ("description", None, "", False),
    ("company", "Example", "Example Inc.", True),
    ("kind", "public", "confidential", True),
    ("name", "My app", "My app", False),
])
def test_field_comparison(name, current, wanted, differs):
    assert field_differs(name, current, wanted) is differs


def test_changed_fields_are_exactly_the_differing_ones():
    wanted = {"name": "My app", "kind": "confidential", "description": "New", "redirect_uri": list(reversed(CLIENT["redirect_uri"]))}
    assert changed_fields(CLIENT, wanted) == {"description": "New"}
    assert changed_fields(CLIENT, {"name": "My app"}) == {}


def test_diff_view_never_has_a_secret():
    view = diff_view(CLIENT)
    assert "secret" not in view and view["identifier"] == "my_app"
    assert set(view) == {"identifier", "name", "kind", "redirect_uri", "description", "company"}
    assert diff_view(None) == {}


def test_planned_client_applies_changes_without_the_secret():
    planned = planned_client(CLIENT, {"description": "New"})
    assert planned["description"] == "New" and "secret" not in planned


@pytest.mark.parametrize("given,phrase", [
    ({"identifier": " "}, "identifier must not be empty"),
    ({"name": ""}, "name must not be empty"),
    ({"redirect_uri": ["https://a", ""]}, "redirect_uri must list URLs"),
    ({"state": "absent", "regenerate_secret": True}, "regenerate_secret is only used with state=present"),
    ({"state": "absent", "dest": "/tmp/x"}, "dest is only used with state=present"),
])
def test_field_problems(given, phrase):
    assert any(phrase in problem for problem in field_problems(params(**given)))


def test_good_options_have_no_problems():
    assert field_problems(params(name="x", redirect_uri=["https://a"], regenerate_secret=True, dest="/tmp/x")) == []


def test_full_secret_only_when_not_shortened():
    assert full_secret({"secret": SECRET}) == SECRET
    assert full_secret({"secret": "af3t24tfj3..."}) is None
    assert full_secret({}) is None


@responses.activate
def test_find_client_stops_at_the_identifier(api):
    responses.get(CLIENTS, json={"clients": [CLIENT], "meta": {"has_more": True}, "links": {"next": CLIENTS + "?page[after]=x"}})
    assert find_client(api, "my_app")["id"] == 7
    assert len(responses.calls) == 1


@responses.activate
def test_find_client_none(api):
    responses.get(CLIENTS, json={"clients": [CLIENT], "meta": {"has_more": False}})
    assert find_client(api, "other") is None


@responses.activate
def test_create_sends_the_identifier_and_given_fields_only(api):
    body = {"client": {"identifier": "my_app", "name": "My app", "kind": "confidential"}}
    responses.post(CLIENTS, status=201, json={"client": dict(CLIENT, secret=SECRET)}, match=[matchers.json_params_matcher(body)])
    client, secret = create_client(api, "my_app", {"name": "My app", "kind": "confidential"})
    assert client["id"] == 7 and secret == SECRET


@responses.activate
def test_update_is_one_put_with_exactly_the_changes(api):
    responses.put(CLIENTS + "/7", json={"client": dict(CLIENT, description="New")},
                  match=[matchers.json_params_matcher({"client": {"description": "New"}}, strict_match=True)])
    assert update_client(api, 7, {"description": "New"})["description"] == "New"
    assert len(responses.calls) == 1


@responses.activate
def test_regenerate_returns_the_new_secret(api):
    responses.put(CLIENTS + "/7/generate_secret", json={"client": dict(CLIENT, secret=SECRET)})
    client, secret = regenerate_secret(api, 7)
    assert secret == SECRET and client["id"] == 7


@responses.activate
def test_regenerate_without_a_full_secret(api):
    responses.put(CLIENTS + "/7/generate_secret", json={"client": CLIENT})
    assert regenerate_secret(api, 7)[1] is None


@responses.activate
def test_delete_and_already_gone(api):
    responses.delete(CLIENTS + "/7", status=204)
    responses.delete(CLIENTS + "/8", status=404, json={"error": "RecordNotFound", "description": "Not found"})
    assert delete_client(api, 7) is True
    assert delete_client(api, 8) is False


@responses.activate
def test_delete_other_errors_raise(api):
    responses.delete(CLIENTS + "/7", status=403, json={"error": "Forbidden"})
    with pytest.raises(ZendeskError):
        delete_client(api, 7)


@responses.activate
def test_count_client_tokens_reads_every_users_tokens_of_the_client(api):
    query = {"all": "true", "client_id": "7", "page[size]": "100"}
    responses.get(TOKENS, json={"tokens": [{"id": i} for i in range(100)], "meta": {"has_more": True},
                                "links": {"next": TOKENS + "?page[after]=c1"}}, match=[matchers.query_param_matcher(query)])
    responses.get(TOKENS, json={"tokens": [{"id": 1000}], "meta": {"has_more": False}},
                  match=[matchers.query_param_matcher({"page[after]": "c1"})])
    assert count_client_tokens(api, 7) == 101


def test_undelivered_secret_message_says_what_happened_and_what_to_do():
    message = undelivered_secret_message(CLIENT, "was created", "/nope/secret", FileNotFoundError(2, "No such file or directory"))
    for phrase in ("'my_app' (id 7) was created in Zendesk", "/nope/secret", "No such file or directory", "not delivered",
                   "regenerate_secret: true"):
        assert phrase in message
    assert SECRET not in message

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the token inventory: problems, owners in batches, client checks, value and prefix lookups."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import responses
from responses import matchers

from ansible_collections.obscura.zendesk.plugins.module_utils._grant import GrantedToken
from ansible_collections.obscura.zendesk.plugins.module_utils._http import RetryPolicy, ZendeskApi
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import OAuthProblem, client_selector_problems
from ansible_collections.obscura.zendesk.plugins.module_utils._token_inventory import (
    PROBLEMS,
    Inventory,
    existing_client_ids,
    expiry_state,
    fetch_users,
    inventory_problems,
    is_unused,
    owner_problems,
    owner_view,
    summarize,
    token_problems,
)

BASE = "https://obscura.zendesk.com"
CLIENTS = BASE + "/api/v2/oauth/clients"
TOKENS = BASE + "/api/v2/oauth/tokens"
SHOW_MANY = BASE + "/api/v2/users/show_many"
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
LEAKED = "4e1d2c3b4a5968778695a4b3c2d1e0f0123456789abcdef0123456789abcdef"
ADMIN = {"id": 1, "name": "Admin", "email": "a@example.com", "role": "admin", "active": True, "suspended": False, "extra": 1}
NO_OPTIONS = {"expiring_within": 0, "unused_for_days": 0}


def token(token_id, user_id=1, client_id=7, scopes=("read",), prefix="aaaaaaaaaa", **fields):
    """A token as Zendesk lists it."""
    base = {"id": token_id, "token": prefix, "client_id": client_id, "user_id": user_id, "scopes": list(scopes),
            "created_at": "2026-11-30T00:00:00Z", "expires_at": None, "used_at": "2026-12-01T11:00:00Z", "url": "u"}
    base.update(fields)
    return base


def params(**given):
    """Module parameters with defaults."""
    base = dict(all_users=False, client_id=None, client_identifier=None, client_name=None, token_id=None, token=None,
                include_expired=False, expiring_within=0, unused_for_days=0)
    base.update(given)
    return base


def page(key, items, next_url=None):
    """One cursor page."""
    return {key: items, "meta": {"has_more": bool(next_url)}, "links": {"next": next_url}}


@pytest.fixture(name="api")
def api_fixture():
    return ZendeskApi(BASE, ("bearer", "admin-token"), secrets=["admin-token"], retry=RetryPolicy(retries=0))


# --- options ----------------------------------------------------------------------------------

def test_two_selectors_are_refused():
    problems = client_selector_problems(params(client_id=2, client_name="x"))
    assert problems and "only one of client_id, client_identifier and client_name (got client_id, client_name)" in problems[0]


@pytest.mark.parametrize("given,phrase", [({"client_id": 0}, "client_id must be a positive"),
                                          ({"client_name": " "}, "client_name must not be empty"),
                                          ({"client_identifier": ""}, "client_identifier must not be empty")])
def test_selector_values(given, phrase):
    assert any(phrase in p for p in client_selector_problems(params(**given)))


def test_one_selector_is_fine():
    assert client_selector_problems(params(client_identifier="my_app")) == []


@pytest.mark.parametrize("given,phrase", [
    ({"token": "abcdefghi"}, "at least its first 10 characters"),
    ({"token": "   abcdefghi   "}, "at least its first 10 characters"),
    ({"token": "abcdefghij", "token_id": 5}, "only one of token and token_id"),
    ({"token_id": 0}, "token_id must be a positive"),
    ({"expiring_within": -1}, "expiring_within must be 0"),
    ({"unused_for_days": -1}, "unused_for_days must be 0"),
])
def test_inventory_problems(given, phrase):
    problems = inventory_problems(params(**given))
    assert any(phrase in p for p in problems)
    assert not any("abcdefghi" in p for p in problems)


def test_a_ten_character_prefix_is_enough():
    assert inventory_problems(params(token="abcdefghij")) == []


# --- problems of one token --------------------------------------------------------------------

@pytest.mark.parametrize("expires_at,within,state", [
    (None, 3600, None), ("2026-12-01T11:59:59Z", 0, "expired"), ("2026-12-01T12:30:00Z", 3600, "expiring"),
    ("2026-12-01T12:30:00Z", 0, None), ("2026-12-01T14:00:00Z", 3600, None),
])
def test_expiry_state(expires_at, within, state):
    assert expiry_state({"expires_at": expires_at}, within, NOW) == state


@pytest.mark.parametrize("used_at,created_at,days,unused", [
    ("2026-10-01T00:00:00Z", "2026-01-01T00:00:00Z", 30, True),
    ("2026-11-15T00:00:00Z", "2026-01-01T00:00:00Z", 30, False),
    (None, "2026-01-01T00:00:00Z", 30, True),  # never used, old
    (None, "2026-11-30T00:00:00Z", 30, False),  # never used, minted yesterday
    (None, None, 30, True),
    ("2020-01-01T00:00:00Z", "2020-01-01T00:00:00Z", 0, False),  # off
])
def test_unused(used_at, created_at, days, unused):
    assert is_unused({"used_at": used_at, "created_at": created_at}, days, NOW) is unused


@pytest.mark.parametrize("owner,scopes,problems", [
    (ADMIN, ["read", "write"], []),
    (dict(ADMIN, suspended=True), ["read"], ["owner_suspended"]),
    (dict(ADMIN, active=False), ["read"], ["owner_inactive"]),
    (dict(ADMIN, role="agent"), ["read", "write"], ["owner_not_admin"]),
    (dict(ADMIN, role="agent"), ["impersonate"], ["owner_not_admin"]),
    (dict(ADMIN, role="end-user"), ["auditlogs:read"], ["owner_not_admin"]),
    (dict(ADMIN, role="agent"), ["tickets:read", "users:write"], []),
    (owner_view(None, 5), ["read"], ["owner_inactive"]),  # unknown user: role unknown, so not judged
])
def test_owner_problems(owner, scopes, problems):
    assert owner_problems(owner, {"scopes": scopes}) == problems


def test_token_problems_are_in_a_stable_order():
    old = token(1, expires_at="2026-12-01T12:10:00Z", used_at=None, created_at="2026-01-01T00:00:00Z")
    owner = dict(ADMIN, role="agent", suspended=True, active=False)
    found = token_problems(old, owner, False, {"expiring_within": 3600, "unused_for_days": 30}, NOW)
    assert found == [name for name in PROBLEMS if name not in ("expired", "no_expiry")]  # it is expiring


def test_a_live_token_without_expiry_has_no_expiry_first_after_the_expiry_names():
    forever = token(1, used_at=None, created_at="2026-01-01T00:00:00Z")
    found = token_problems(forever, ADMIN, True, {"expiring_within": 3600, "unused_for_days": 30}, NOW)
    assert found == ["no_expiry", "unused"]
    assert token_problems(token(2, expires_at="2026-12-02T12:00:00Z"), ADMIN, True, NO_OPTIONS, NOW) == []


def test_summary_names_every_problem():
    entries = [{"problems": ["unused"]}, {"problems": ["no_expiry", "unused", "client_missing"]}, {"problems": []}]
    assert summarize(entries) == {"total": 3, "expired": 0, "expiring": 0, "no_expiry": 1, "unused": 2, "owner_suspended": 0,
                                  "owner_inactive": 0, "owner_not_admin": 0, "client_missing": 1}


def test_owner_view_keeps_the_owner_fields_only():
    assert owner_view(ADMIN, 1) == {k: ADMIN[k] for k in ("id", "name", "email", "role", "active", "suspended")}
    assert owner_view(None, 9) == {"id": 9, "name": None, "email": None, "role": None, "active": False, "suspended": None}


# --- reads ------------------------------------------------------------------------------------

@responses.activate
def test_users_are_fetched_in_batches_of_100_with_deleted_ones(api):
    ids = list(range(1, 251))
    for start in (0, 100, 200):
        batch = ids[start:start + 100]
        responses.get(SHOW_MANY, json={"users": [dict(ADMIN, id=i) for i in batch]},
                      match=[matchers.query_param_matcher({"ids": ",".join(map(str, batch)), "include_deleted": "true"})])
    users = fetch_users(api, set(ids))
    assert len(users) == 250 and len(responses.calls) == 3


@responses.activate
def test_known_users_are_not_fetched_again(api):
    assert fetch_users(api, {1}, known={1: ADMIN}) == {1: ADMIN}
    assert not responses.calls


@responses.activate
def test_client_pages_are_read_until_every_client_is_seen(api):
    responses.get(CLIENTS, json=page("clients", [{"id": 1}, {"id": 7}], CLIENTS + "?page[after]=c1"),
                  match=[matchers.query_param_matcher({"page[size]": "100"})])
    assert existing_client_ids(api, {7}) == {7}
    assert len(responses.calls) == 1


@responses.activate
def test_a_missing_client_reads_every_page(api):
    responses.get(CLIENTS, json=page("clients", [{"id": 1}], CLIENTS + "?page[after]=c1"),
                  match=[matchers.query_param_matcher({"page[size]": "100"})])
    responses.get(CLIENTS, json=page("clients", [{"id": 7}]), match=[matchers.query_param_matcher({"page[after]": "c1"})])
    assert existing_client_ids(api, {7, 8}) == {7}
    assert len(responses.calls) == 2


@responses.activate
def test_inventory_of_every_user(api):
    responses.get(TOKENS, json=page("tokens", [token(1), token(2, user_id=2, client_id=8)]),
                  match=[matchers.query_param_matcher({"all": "true", "page[size]": "100"})])
    responses.get(SHOW_MANY, json={"users": [ADMIN, dict(ADMIN, id=2, role="agent", suspended=True)]})
    responses.get(CLIENTS, json=page("clients", [{"id": 7}]))
    entries, summary = Inventory(api, params(all_users=True)).run(NOW)
    assert [e["problems"] for e in entries] == [["no_expiry"], ["no_expiry", "owner_suspended", "owner_not_admin", "client_missing"]]
    assert "token" not in entries[0] and entries[0]["owner"]["name"] == "Admin" and "extra" not in entries[0]["owner"]
    assert summary["total"] == 2 and summary["client_missing"] == 1
    assert len(responses.calls) == 3


@responses.activate
def test_a_client_named_by_identifier_needs_no_client_check(api):
    responses.get(CLIENTS, json=page("clients", [{"id": 7, "identifier": "my_app", "name": "x"}]))
    responses.get(TOKENS, json=page("tokens", [token(1)]),
                  match=[matchers.query_param_matcher({"client_id": "7", "page[size]": "100"})])
    responses.get(SHOW_MANY, json={"users": [ADMIN]})
    entries, dummy = Inventory(api, params(client_identifier="my_app")).run(NOW)
    assert [e["problems"] for e in entries] == [["no_expiry"]] and len(responses.calls) == 3


@responses.activate
def test_an_unknown_client_name_fails(api):
    responses.get(CLIENTS, json=page("clients", [{"id": 7, "identifier": "my_app", "name": "x"}]))
    with pytest.raises(OAuthProblem, match="No OAuth client matches client_name='nope'"):
        Inventory(api, params(client_name="nope")).run(NOW)


@responses.activate
def test_expired_tokens_are_left_out_unless_asked(api):
    expired = token(2, expires_at="2026-11-01T00:00:00Z")
    responses.get(TOKENS, json=page("tokens", [token(1), expired]))
    responses.get(SHOW_MANY, json={"users": [ADMIN]})
    responses.get(CLIENTS, json=page("clients", [{"id": 7}]))
    entries, dummy = Inventory(api, params()).run(NOW)
    assert [e["id"] for e in entries] == [1]


@responses.activate
def test_the_callers_expired_tokens_use_all_and_users_me(api):
    responses.get(BASE + "/api/v2/users/me", json={"user": ADMIN})
    responses.get(TOKENS, json=page("tokens", [token(1, expires_at="2026-11-01T00:00:00Z"), token(2, user_id=2)]),
                  match=[matchers.query_param_matcher({"all": "true", "include_expired": "true", "page[size]": "100"})])
    responses.get(CLIENTS, json=page("clients", [{"id": 7}]))
    entries, dummy = Inventory(api, params(include_expired=True)).run(NOW)
    assert [(e["id"], e["problems"]) for e in entries] == [(1, ["expired"])]
    assert len(responses.calls) == 3  # no show_many: the caller was read already


@responses.activate
def test_a_full_value_is_confirmed_with_tokens_current_after_the_list_is_read(api):
    """The lookup with the value is a use: used_at comes from the list read before it."""
    listed = token(5, prefix=LEAKED[:10], used_at=None)
    responses.get(TOKENS, json=page("tokens", [listed, token(6, prefix=LEAKED[:10], used_at="2026-11-01T00:00:00Z")]))
    responses.get(TOKENS + "/current", json={"token": dict(listed, used_at="2026-12-06T00:00:00Z")},
                  match=[matchers.header_matcher({"Authorization": "Bearer " + LEAKED})])
    responses.get(SHOW_MANY, json={"users": [ADMIN]})
    responses.get(CLIENTS, json=page("clients", [{"id": 7}]))
    inventory = Inventory(api, params(token=LEAKED, all_users=True))
    entries, dummy = inventory.run(NOW)
    assert [e["id"] for e in entries] == [5] and inventory.matched_by == "value"
    assert entries[0]["used_at"] is None and inventory.used_at_before_lookup is True
    assert [c.request.path_url.split("?")[0] for c in responses.calls][:2] == ["/api/v2/oauth/tokens", "/api/v2/oauth/tokens/current"]


@responses.activate
def test_a_value_the_list_does_not_show_keeps_the_used_at_of_the_lookup(api):
    responses.get(TOKENS, json=page("tokens", []))
    responses.get(TOKENS + "/current", json={"token": token(5, used_at="2026-12-06T00:00:00Z")})
    responses.get(SHOW_MANY, json={"users": [ADMIN]})
    responses.get(CLIENTS, json=page("clients", [{"id": 7}]))
    inventory = Inventory(api, params(token=LEAKED))
    entries, dummy = inventory.run(NOW)
    assert entries[0]["used_at"] == "2026-12-06T00:00:00Z" and inventory.used_at_before_lookup is False


@responses.activate
def test_a_rejected_value_falls_back_to_the_listed_prefix(api):
    responses.get(TOKENS + "/current", status=401, json={"error": "invalid_token"})
    responses.get(TOKENS, json=page("tokens", [token(1, prefix=LEAKED[:10]), token(2, prefix="bbbbbbbbbb")]))
    responses.get(SHOW_MANY, json={"users": [ADMIN]})
    responses.get(CLIENTS, json=page("clients", [{"id": 7}]))
    inventory = Inventory(api, params(token=LEAKED[:16], all_users=True))
    entries, dummy = inventory.run(NOW)
    assert [e["id"] for e in entries] == [1] and inventory.matched_by == "prefix"


@responses.activate
def test_a_ten_character_prefix_is_matched_without_tokens_current(api):
    responses.get(TOKENS, json=page("tokens", [token(1, prefix=LEAKED[:10]), token(2, prefix=LEAKED[:10])]))
    responses.get(SHOW_MANY, json={"users": [ADMIN]})
    responses.get(CLIENTS, json=page("clients", [{"id": 7}]))
    inventory = Inventory(api, params(token=LEAKED[:10], all_users=True))
    entries, dummy = inventory.run(NOW)
    assert [e["id"] for e in entries] == [1, 2] and inventory.matched_by == "prefix"
    assert all("/current" not in call.request.url for call in responses.calls)


@responses.activate
def test_token_id_is_one_direct_read(api):
    responses.get(TOKENS + "/5", json={"token": token(5, client_id=8)})
    responses.get(SHOW_MANY, json={"users": [ADMIN]})
    responses.get(CLIENTS + "/8", json={"client": {"id": 8}})
    entries, dummy = Inventory(api, params(token_id=5, client_id=8)).run(NOW)
    assert [e["id"] for e in entries] == [5] and entries[0]["problems"] == ["no_expiry"]


@responses.activate
def test_a_token_id_of_another_client_is_filtered_out(api):
    responses.get(TOKENS + "/5", json={"token": token(5, client_id=8)})
    entries, summary = Inventory(api, params(token_id=5, client_id=9)).run(NOW)
    assert entries == [] and summary["total"] == 0 and len(responses.calls) == 1


@pytest.mark.parametrize("all_users,phrase", [(True, "all_users: true lists every user's OAuth tokens, which needs a Zendesk admin"),
                                              (False, "Zendesk lists OAuth tokens to admins only")])
@responses.activate
def test_forbidden_says_an_admin_is_needed(api, all_users, phrase):
    responses.get(TOKENS, status=403, json={"error": "Forbidden", "description": "You do not have access to this page."})
    with pytest.raises(OAuthProblem) as raised:
        Inventory(api, params(all_users=all_users)).run(NOW)
    assert phrase in str(raised.value) and "HTTP 403" in str(raised.value)


@responses.activate
def test_the_value_is_redacted_from_errors(api):
    responses.get(TOKENS + "/current", status=500, json={"error": "Boom", "description": "token " + LEAKED})
    with pytest.raises(Exception) as raised:
        Inventory(api, params(token=LEAKED)).run(NOW)
    assert LEAKED not in str(raised.value)


@responses.activate
def test_the_runs_session_token_is_never_listed(api):
    api.use_granted(GrantedToken("session-token-0123456789abcdef", ["read", "write"], 600, "2026-12-01T12:10:00Z"))
    responses.get(TOKENS, json=page("tokens", [token(1), token(77, scopes=("read", "write"))]))
    responses.get(TOKENS + "/current", json={"token": token(77)})
    responses.get(SHOW_MANY, json={"users": [ADMIN]})
    responses.get(CLIENTS + "/7", json={"client": {"id": 7}})
    entries, summary = Inventory(api, params(client_id=7)).run(NOW)
    assert [e["id"] for e in entries] == [1] and summary["total"] == 1
    assert len(responses.calls) == 4

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the OAuth domain logic: scopes, client matching, token validity, API helpers."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import responses
from responses import matchers

from ansible_collections.obscura.zendesk.plugins.module_utils._http import RetryPolicy, ZendeskApi
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import (
    OAuthProblem,
    find_clients,
    public_client,
    resolve_client,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._grant import GrantedToken
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import (
    session_token_id,
    user_tokens,
    without_session,
    choose_held_token,
    create_token,
    inspect_token_value,
    my_tokens,
    newest,
    normalize_scopes,
    public_token,
    replaced_token_ids,
    revoke_token,
    revoke_token_value,
    same_scopes,
    scope_problem,
    scopes_problems,
    token_problem,
)

BASE = "https://obscura.zendesk.com"
CLIENTS = BASE + "/api/v2/oauth/clients"
TOKENS = BASE + "/api/v2/oauth/tokens"
HELD = "4e1d2c3b4a5968778695a4b3c2d1e0f0123456789abcdef0123456789abcdef"
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=timezone.utc)
# Zendesk's answer to an expired, revoked or unknown Bearer token.
INVALID_TOKEN = {"error": "invalid_token",
                 "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons."}


@pytest.fixture
def api():
    return ZendeskApi(BASE, ("bearer", "admin-token"), secrets=["admin-token"], retry=RetryPolicy(retries=0))


@pytest.mark.parametrize("scope", ["read", "write", "impersonate", "tickets:read", "users:write", "auditlogs:read",
                                   "any_channel:write", "web_widget:write", "security:read", "unrestricted:write", "hc:read"])
def test_valid_scopes(scope):
    assert scope_problem(scope) is None


@pytest.mark.parametrize("scope,hint", [
    ("chat", "Chat product"), ("tickets", "tickets:read"), ("admin", "not a scope"), ("tickets:delete", "tickets:read"),
    ("auditlogs:write", "auditlogs:read"), ("any_channel:read", "any_channel:write"), ("widgets:read", "unknown resource"),
    ("READ", "not a scope"),
])
def test_invalid_scopes_are_explained(scope, hint):
    assert hint in scope_problem(scope)


def test_scope_list_problems():
    assert scopes_problems([]) == ["scopes must name at least one scope, e.g. [read] or [read, write]."]
    assert len(scopes_problems(["read", "chat", "x:y"])) == 2


def test_scope_order_and_duplicates_do_not_matter():
    assert normalize_scopes(["write", "read", "write"]) == ["read", "write"]
    assert same_scopes(["write", "read"], ["read", "write", "read"])
    assert not same_scopes(["read"], ["read", "write"])


@pytest.mark.parametrize("token,problem", [
    (dict(client_id=2, scopes=["read", "write"], expires_at=None), None),
    (dict(client_id=2, scopes=["write", "read"], expires_at="2026-12-01T00:00:00Z"), None),
    (dict(client_id=3, scopes=["read", "write"]), "another OAuth client"),
    (dict(client_id=2, scopes=["read"]), "other scopes"),
    (dict(client_id=2, scopes=["read", "write"], expires_at="2026-11-29T11:00:00Z"), "expired"),
    (dict(client_id=2, scopes=["read", "write"], expires_at="2026-11-29T12:30:00Z"), "renew_before"),
])
def test_token_problem_table(token, problem):
    found = token_problem(token, 2, ["read", "write"], renew_before=3600, now=NOW)
    assert found is None if problem is None else problem in found


def test_newest_prefers_latest_creation_then_id():
    tokens = [dict(id=1, created_at="2026-01-01T00:00:00Z"), dict(id=3, created_at="2026-03-01T00:00:00Z"),
              dict(id=2, created_at="2026-03-01T00:00:00Z")]
    assert newest(tokens)["id"] == 3
    assert newest([]) is None


def held_check(token_id, day=None, valid=True):
    """A check of one held value: a token created on 2026-11-<day> (None: Zendesk does not know the value)."""
    token = None if day is None else dict(id=token_id, created_at="2026-11-%02dT00:00:00Z" % day)
    return dict(valid=valid and token is not None, token=token)


@pytest.mark.parametrize("checks,rotate,kept", [
    ([], False, None),                                                      # nothing held: mint
    ([], True, None),
    ([held_check(1)], False, None),                                         # unknown value: mint
    ([held_check(1, 3, valid=False)], False, None),                         # known, but another client/scopes/expiring
    ([held_check(1, 3)], False, 0),                                         # the fleet agrees on a valid token: keep
    ([held_check(1, 3)], True, None),                                       # rotation: mint although it is valid
    ([held_check(1, 3), held_check(2, 5)], False, 1),                       # two valid: the newest
    ([held_check(2, 5), held_check(1, 3)], False, 0),                       # order of the values does not matter
    ([held_check(2, 5), held_check(1, 3)], True, 0),                        # unfinished rotation: newest, no second mint
    ([held_check(1, 3), held_check(2, 3)], True, 1),                        # same creation time: the higher id
    ([held_check(1, 3), held_check(2, 5, valid=False)], False, 0),          # an invalid newer one does not count
    ([held_check(1, 3), held_check(2, 5, valid=False)], True, None),        # ... nor for a rotation: one valid, mint
    ([held_check(1), held_check(2, 5), held_check(3, 4)], True, 1),         # unknown values do not count either
])
def test_choose_held_token_table(checks, rotate, kept):
    assert choose_held_token(checks, rotate=rotate) == kept


@pytest.mark.parametrize("checks,kept,replaced", [
    ([], None, []),
    ([held_check(1, 3)], 0, []),
    ([held_check(1, 3)], None, [1]),                                        # minted: the held one is replaced
    ([held_check(1, 3), held_check(2, 5)], 1, [1]),
    ([held_check(1, 3), held_check(9), held_check(2, 5, valid=False)], 0, [2]),  # unknown values have no id to revoke
])
def test_replaced_token_ids_are_the_known_ones_not_kept(checks, kept, replaced):
    assert replaced_token_ids(checks, kept) == replaced


def test_public_views_drop_secrets():
    assert "secret" not in public_client(dict(id=1, secret="abc", name="n"))
    view = public_token(dict(id=1, token="abcdefghij", full_token=HELD, scopes=["read"]))
    assert "token" not in view and "full_token" not in view and view["scopes"] == ["read"]


def cursor_page(items, next_url=None, key="clients"):
    return {key: items, "meta": {"has_more": bool(next_url)}, "links": {"next": next_url}}


@responses.activate
def test_find_by_identifier_stops_at_first_match(api):
    responses.get(CLIENTS, json=cursor_page([dict(id=1, identifier="a", name="x"), dict(id=2, identifier="b", name="x")],
                                            CLIENTS + "?page%5Bafter%5D=2"))
    assert [c["id"] for c in find_clients(api, identifier="b")] == [2]
    assert len(responses.calls) == 1


@responses.activate
def test_find_by_identifier_and_other_name_stops_at_the_identifier(api):
    responses.get(CLIENTS, json=cursor_page([dict(id=1, identifier="a", name="x")], CLIENTS + "?page%5Bafter%5D=1"))
    assert find_clients(api, identifier="a", name="y") == []
    assert len(responses.calls) == 1


@responses.activate
def test_find_by_name_reads_every_page(api):
    responses.get(CLIENTS, json=cursor_page([dict(id=1, identifier="a", name="x")], CLIENTS + "?page%5Bafter%5D=1"))
    responses.get(CLIENTS, json=cursor_page([dict(id=2, identifier="b", name="x")]), match=[matchers.query_param_matcher({"page[after]": "1"})])
    assert [c["id"] for c in find_clients(api, name="x")] == [1, 2]


@responses.activate
def test_find_by_id_is_one_direct_request_and_404_is_empty(api):
    responses.get(CLIENTS + "/5", json={"client": dict(id=5, identifier="e", name="n")})
    responses.get(CLIENTS + "/6", status=404, json={"error": "RecordNotFound", "description": "Not found"})
    assert [c["id"] for c in find_clients(api, client_id=5)] == [5]
    assert find_clients(api, client_id=6) == []
    assert find_clients(api, client_id=5, identifier="other") == []


@responses.activate
def test_resolve_client_ambiguous_name_lists_candidates(api):
    responses.get(CLIENTS, json=cursor_page([dict(id=1, identifier="a", name="x"), dict(id=2, identifier="b", name="x")]))
    with pytest.raises(OAuthProblem) as caught:
        resolve_client(api, name="x")
    assert "id 1 (identifier 'a')" in str(caught.value) and "id 2 (identifier 'b')" in str(caught.value)


@responses.activate
def test_resolve_client_missing_names_the_selector(api):
    responses.get(CLIENTS, json=cursor_page([]))
    with pytest.raises(OAuthProblem) as caught:
        resolve_client(api, identifier="nope")
    assert "client_identifier='nope'" in str(caught.value)


@responses.activate
def test_my_tokens_filters_by_client(api):
    responses.get(TOKENS, json=cursor_page([dict(id=1, client_id=2), dict(id=2, client_id=3)], key="tokens"),
                  match=[matchers.query_param_matcher({"page[size]": "100", "client_id": "2"})])
    assert [t["id"] for t in my_tokens(api, 2)] == [1]


@responses.activate
def test_inspect_token_value_authenticates_as_the_token(api):
    responses.get(TOKENS + "/current", json={"token": dict(id=7, client_id=2)}, match=[matchers.header_matcher({"Authorization": "Bearer " + HELD})])
    assert inspect_token_value(api, HELD) == (dict(id=7, client_id=2), None)


@responses.activate
def test_inspect_token_value_unknown_token(api):
    responses.get(TOKENS + "/current", status=401, json=INVALID_TOKEN)
    token, problem = inspect_token_value(api, HELD)
    assert token is None and "revoked" in problem


@responses.activate
def test_inspect_token_value_falls_back_to_prefix_when_scopes_forbid(api):
    responses.get(TOKENS + "/current", status=403, json={"error": "Forbidden"})
    responses.get(TOKENS, json=cursor_page([dict(id=8, token=HELD[:10], client_id=2)], key="tokens"),
                  match=[matchers.header_matcher({"Authorization": "Bearer admin-token"})])
    assert inspect_token_value(api, HELD)[0]["id"] == 8


@responses.activate
def test_create_token_reads_full_token(api):
    responses.post(TOKENS, status=201, json={"token": dict(id=9, token=HELD[:10], full_token=HELD)},
                   match=[matchers.json_params_matcher({"token": {"client_id": 2, "scopes": ["read"]}})])
    assert create_token(api, 2, ["read"]) == (dict(id=9, token=HELD[:10], full_token=HELD), HELD)


@responses.activate
def test_create_token_without_a_value_revokes_it_again(api):
    responses.post(TOKENS, status=201, json={"token": dict(id=9, token=HELD[:10])})
    responses.delete(TOKENS + "/9", status=204)
    with pytest.raises(OAuthProblem) as caught:
        create_token(api, 2, ["read"])
    assert "revoked again" in str(caught.value)
    assert responses.calls[-1].request.method == "DELETE"


@responses.activate
def test_revoke_helpers_treat_gone_as_false(api):
    responses.delete(TOKENS + "/1", status=204)
    responses.delete(TOKENS + "/2", status=404, json={"error": "RecordNotFound"})
    responses.delete(TOKENS + "/current", status=401, json=INVALID_TOKEN)
    assert revoke_token(api, 1) is True
    assert revoke_token(api, 2) is False
    assert revoke_token_value(api, HELD) is False


# --- the run's own session token --------------------------------------------------------------

SESSION = "session-token-0123456789abcdef0123456789abcdef"


def with_session(api):
    """api authenticated with a client-credentials token of this run (id unknown, as the grant answers)."""
    api.use_granted(GrantedToken(SESSION, ["read", "write"], 600, "2026-12-01T12:10:00Z"))
    return api


@responses.activate
def test_without_a_session_nothing_is_read(api):
    assert without_session(api, [dict(id=1)]) == [dict(id=1)] and session_token_id(api) is None
    assert not responses.calls


@responses.activate
def test_an_empty_list_needs_no_session_lookup(api):
    assert without_session(with_session(api), []) == []
    assert not responses.calls


@responses.activate
def test_the_session_is_left_out_and_its_id_read_once_as_itself(api):
    with_session(api)
    responses.get(TOKENS + "/current", json={"token": dict(id=77, client_id=2)},
                  match=[matchers.header_matcher({"Authorization": "Bearer " + SESSION})])
    responses.get(TOKENS, json=cursor_page([dict(id=77, client_id=2), dict(id=5, client_id=2)], key="tokens"))
    assert [t["id"] for t in my_tokens(api, 2)] == [5]
    assert [t["id"] for t in my_tokens(api, 2)] == [5]
    assert [call.request.path_url.split("?")[0] for call in responses.calls].count("/api/v2/oauth/tokens/current") == 1
    assert api.granted.id == 77


@responses.activate
def test_user_tokens_reads_every_users_list_and_keeps_one_users(api):
    responses.get(TOKENS, json=cursor_page([dict(id=1, client_id=2, user_id=5), dict(id=2, client_id=2, user_id=6)], key="tokens"),
                  match=[matchers.query_param_matcher({"page[size]": "100", "all": "true", "client_id": "2"})])
    assert [t["id"] for t in user_tokens(api, 2, 6)] == [2]

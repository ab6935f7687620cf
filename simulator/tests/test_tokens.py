"""OAuth tokens: create, list, show, current, revoke, expiry via the clock, used_at."""

import pytest

from zendesk_simulator import seed

from conftest import ADMIN_BEARER, ADMIN_PASSWORD, AGENT_BEARER, AGENT_PASSWORD, create_token

TOKEN_KEYS = {"id", "url", "token", "client_id", "user_id", "scopes", "created_at", "expires_at", "used_at",
              "refresh_token", "refresh_token_expires_at"}


def test_create_returns_full_token_once_and_prefix_afterwards(api):
    created = create_token(api, scopes=["read", "write"])
    assert set(created) == TOKEN_KEYS | {"full_token"}
    assert len(created["full_token"]) == 64 and int(created["full_token"], 16) >= 0
    assert created["token"] == created["full_token"][:10]
    assert (created["client_id"], created["user_id"], created["scopes"]) == (seed.MY_APP_CLIENT_ID, seed.ADMIN_ID, ["read", "write"])
    assert created["expires_at"] is None and created["refresh_token"] is None and created["used_at"] is None
    assert created["created_at"].endswith("Z")
    assert created["url"] == f"{api.url}/api/v2/oauth/tokens/{created['id']}.json"
    shown = api.get(f"/api/v2/oauth/tokens/{created['id']}", auth=ADMIN_PASSWORD)
    assert set(shown.json()["token"]) == TOKEN_KEYS
    assert created["full_token"] not in shown.text + api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD).text


def test_new_token_authenticates_and_records_used_at(api, sim):
    sim.set_clock("2026-12-01T10:00:00Z")
    created = create_token(api)
    assert api.get("/api/v2/users/me", token=created["full_token"]).json()["user"]["id"] == seed.ADMIN_ID
    assert api.get(f"/api/v2/oauth/tokens/{created['id']}", auth=ADMIN_PASSWORD).json()["token"]["used_at"] == "2026-12-01T10:00:00Z"


def test_tokens_are_minted_for_the_caller(api):
    created = create_token(api, token=ADMIN_BEARER)
    assert created["user_id"] == seed.ADMIN_ID


@pytest.mark.parametrize("body,field,error", [
    ({"scopes": ["read"]}, "client_id", "BlankValue"), ({"client_id": "abc", "scopes": ["read"]}, "client_id", "InvalidValue"),
    ({"client_id": 2}, "scopes", "BlankValue"), ({"client_id": 2, "scopes": "read"}, "scopes", "InvalidValue"),
    ({"client_id": 2, "scopes": []}, "scopes", "InvalidValue"),
])
def test_invalid_create_body_is_422(api, body, field, error):
    response = api.post("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, json={"token": body})
    assert response.status_code == 422
    assert response.json()["details"][field][0]["error"] == error


def test_create_accepts_a_numeric_string_client_id(api):
    response = api.post("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, json={"token": {"client_id": "2", "scopes": ["read"]}})
    assert response.json()["token"]["client_id"] == 2


def test_create_for_unknown_client_is_404(api):
    response = api.post("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, json={"token": {"client_id": 424242, "scopes": ["read"]}})
    assert (response.status_code, response.json()["error"]) == (404, "RecordNotFound")


def test_create_with_an_unknown_scope_still_issues_a_token_that_is_forbidden(api):
    created = create_token(api, scopes=["chat"])
    response = api.get("/api/v2/users/me", token=created["full_token"])
    assert response.status_code == 403


def test_list_shows_only_the_callers_tokens(api, sim):
    mine = create_token(api)
    sim.plant_token(seed.AGENT_ID, seed.MY_APP_CLIENT_ID)
    listed = api.get("/api/v2/oauth/tokens", auth=(seed.email_of("admin2"), seed.password_of("admin2"))).json()["tokens"]
    assert listed == []
    ids = [token["id"] for token in api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD).json()["tokens"]]
    assert ids == [seed.BOOTSTRAP_ADMIN_TOKEN_ID, mine["id"]]


def test_list_all_shows_every_users_tokens(api):
    response = api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, params={"all": "true"})
    assert {token["user_id"] for token in response.json()["tokens"]} == {seed.ADMIN_ID, seed.AGENT_ID}


def test_list_filters_by_client_id(api, sim):
    mine = create_token(api, client_id=seed.MY_APP_CLIENT_ID)
    sim.plant_token(seed.AGENT_ID, seed.MY_APP_CLIENT_ID)
    tokens = api.get("/api/v2/oauth/tokens.json", auth=ADMIN_PASSWORD, params={"client_id": 2}).json()["tokens"]
    assert [token["id"] for token in tokens] == [mine["id"]]
    everyone = api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, params={"client_id": 2, "all": "true"}).json()["tokens"]
    assert len(everyone) == 2
    assert api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, params={"client_id": "x"}).status_code == 400


def test_show_own_token_or_any_as_admin(api):
    assert api.get(f"/api/v2/oauth/tokens/{seed.BOOTSTRAP_AGENT_TOKEN_ID}", token=AGENT_BEARER).status_code == 200
    assert api.get(f"/api/v2/oauth/tokens/{seed.BOOTSTRAP_AGENT_TOKEN_ID}.json", auth=ADMIN_PASSWORD).status_code == 200
    response = api.get(f"/api/v2/oauth/tokens/{seed.BOOTSTRAP_ADMIN_TOKEN_ID}", auth=AGENT_PASSWORD)
    assert (response.status_code, response.json()) == (404, {"error": "RecordNotFound", "description": "Not found"})


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_current_shows_the_bearer_token_of_the_call(api, suffix):
    response = api.get(f"/api/v2/oauth/tokens/current{suffix}", token=AGENT_BEARER)
    token = response.json()["token"]
    assert (token["id"], token["user_id"], token["token"]) == (seed.BOOTSTRAP_AGENT_TOKEN_ID, seed.AGENT_ID, AGENT_BEARER[:10])
    assert AGENT_BEARER not in response.text


def test_current_works_with_any_scope(api, sim):
    planted = sim.plant_token(seed.END_USER_ID, seed.MY_APP_CLIENT_ID, ["tickets:read"])
    assert api.get("/api/v2/oauth/tokens/current", token=planted["full_token"]).json()["token"]["scopes"] == ["tickets:read"]
    assert api.delete("/api/v2/oauth/tokens/current", token=planted["full_token"]).status_code == 204


def test_current_with_basic_auth_is_404(api):
    response = api.get("/api/v2/oauth/tokens/current", auth=ADMIN_PASSWORD)
    assert (response.status_code, response.json()["error"]) == (404, "RecordNotFound")
    assert api.delete("/api/v2/oauth/tokens/current", auth=ADMIN_PASSWORD).status_code == 404


def test_revoke_current_revokes_exactly_that_token(api):
    created = create_token(api)
    assert api.delete("/api/v2/oauth/tokens/current.json", token=created["full_token"]).status_code == 204
    assert api.get("/api/v2/oauth/tokens/current", token=created["full_token"]).status_code == 401
    assert api.get("/api/v2/users/me", token=ADMIN_BEARER).status_code == 200


def test_revoke_by_id_then_again_is_404(api):
    created = create_token(api)
    response = api.delete(f"/api/v2/oauth/tokens/{created['id']}", auth=ADMIN_PASSWORD)
    assert (response.status_code, response.content) == (204, b"")
    assert api.get("/api/v2/users/me", token=created["full_token"]).status_code == 401
    assert api.delete(f"/api/v2/oauth/tokens/{created['id']}", auth=ADMIN_PASSWORD).status_code == 404
    assert api.delete("/api/v2/oauth/tokens/424242", auth=ADMIN_PASSWORD).status_code == 404
    assert created["id"] not in [token["id"] for token in api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD).json()["tokens"]]


def test_non_admin_can_revoke_own_token_but_not_others(api):
    assert api.delete(f"/api/v2/oauth/tokens/{seed.BOOTSTRAP_ADMIN_TOKEN_ID}", token=AGENT_BEARER).status_code == 404
    assert api.delete(f"/api/v2/oauth/tokens/{seed.BOOTSTRAP_AGENT_TOKEN_ID}", token=AGENT_BEARER).status_code == 204


def test_expired_token_stops_authenticating_when_the_clock_passes_expires_at(api, sim):
    sim.set_clock("2026-12-01T00:00:00Z")
    planted = sim.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID, ["read"], expires_at="2026-12-01T01:00:00Z")
    assert planted["expires_at"] == "2026-12-01T01:00:00Z"
    assert api.get("/api/v2/oauth/tokens/current", token=planted["full_token"]).status_code == 200
    assert sim.advance_clock(3600) == "2026-12-01T01:00:00Z"
    assert api.get("/api/v2/oauth/tokens/current", token=planted["full_token"]).status_code == 401
    assert planted["id"] not in [token["id"] for token in api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD).json()["tokens"]]
    assert api.get(f"/api/v2/oauth/tokens/{planted['id']}", auth=ADMIN_PASSWORD).status_code == 404
    everything = api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, params={"all": "true", "include_expired": "true"}).json()
    assert planted["id"] in [token["id"] for token in everything["tokens"]]
    assert [token["expired"] for token in sim.state()["tokens"] if token["id"] == planted["id"]] == [True]


def test_state_shows_revoked_flags_and_prefixes_only(api, sim):
    created = create_token(api)
    api.delete(f"/api/v2/oauth/tokens/{created['id']}", auth=ADMIN_PASSWORD)
    state = sim.state()
    row = [token for token in state["tokens"] if token["id"] == created["id"]][0]
    assert (row["revoked"], row["token"], row["client_id"], row["user_id"]) == (True, created["token"], 2, seed.ADMIN_ID)
    assert created["full_token"] not in repr(state)
    assert seed.MY_APP_CLIENT_ID in state["client_ids"] and seed.ADMIN_ID in state["user_ids"]


def test_tokens_api_tokens_never_expire(api, sim):
    created = create_token(api)
    sim.advance_clock(10 * 365 * 86400)
    assert api.get("/api/v2/users/me", token=created["full_token"]).json()["user"]["id"] == seed.ADMIN_ID
    shown = [api.get("/api/v2/oauth/tokens/current", token=created["full_token"]).json()["token"],
             api.get(f"/api/v2/oauth/tokens/{created['id']}", auth=ADMIN_PASSWORD).json()["token"]]
    shown += [token for token in api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD).json()["tokens"] if token["id"] == created["id"]]
    assert [token["expires_at"] for token in shown] == [None, None, None]

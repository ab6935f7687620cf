"""POST /oauth/tokens with client credentials: confidential clients only, the owner's identity, scopes, expiry, errors."""

import pytest

from zendesk_simulator import seed

GRANT = "/oauth/tokens"


def grant(api, identifier=seed.MY_APP_CLIENT_IDENTIFIER, secret=seed.MY_APP_CLIENT_SECRET, **fields):
    """Send a client credentials grant; return the response."""
    body = {"grant_type": "client_credentials", "client_id": identifier, "client_secret": secret, "scope": "read write"}
    body.update(fields)
    return api.post(GRANT, json={k: v for k, v in body.items() if v is not None})


def new_client(sim, kind="confidential", identifier="automation", user_id=None):
    """A client created now (the simulated clock), with its secret."""
    body = {"name": "Automation", "identifier": identifier, "kind": kind}
    if user_id:
        body["user_id"] = user_id
    return sim.call("POST", "clients", body)["client"]


def test_grant_issues_a_token_acting_as_the_client_owner(api, sim):
    sim.set_clock("2026-12-01T10:00:00Z")
    response = grant(api, expires_in=600)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "scope", "expires_in"}
    assert (body["token_type"], body["scope"], body["expires_in"]) == ("bearer", "read write", 600)
    me = api.get("/api/v2/users/me", token=body["access_token"]).json()["user"]
    assert me["id"] == seed.ADMIN_ID
    current = api.get("/api/v2/oauth/tokens/current", token=body["access_token"]).json()["token"]
    assert (current["client_id"], current["user_id"], current["scopes"]) == (seed.MY_APP_CLIENT_ID, seed.ADMIN_ID, ["read", "write"])
    assert current["expires_at"] == "2026-12-01T10:10:00Z"


def test_token_of_another_owner_acts_as_that_owner(api, sim):
    client = new_client(sim, user_id=seed.ADMIN2_ID)
    body = grant(api, "automation", client["secret"]).json()
    assert api.get("/api/v2/users/me", token=body["access_token"]).json()["user"]["id"] == seed.ADMIN2_ID


def test_expiry_defaults_follow_the_clients_creation_date(api, sim):
    sim.set_clock("2026-12-01T10:00:00Z")
    old = grant(api).json()  # my_app was created 2026-01-01: no default expiry
    assert "expires_in" not in old
    old_token = api.get("/api/v2/oauth/tokens/current", token=old["access_token"]).json()["token"]
    assert old_token["expires_at"] is None
    client = new_client(sim)
    new = grant(api, "automation", client["secret"]).json()
    assert "expires_in" not in new
    assert api.get("/api/v2/oauth/tokens/current", token=new["access_token"]).json()["token"]["expires_at"] == "2026-12-01T10:30:00Z"


def test_the_token_expires_and_can_revoke_itself(api, sim):
    sim.set_clock("2026-12-01T10:00:00Z")
    token = grant(api, expires_in=301).json()["access_token"]
    assert api.delete("/api/v2/oauth/tokens/current", token=token).status_code == 204
    assert api.get("/api/v2/users/me", token=token).status_code == 401
    other = grant(api, expires_in=301).json()["access_token"]
    sim.advance_clock(302)
    assert api.get("/api/v2/users/me", token=other).status_code == 401


@pytest.mark.parametrize("identifier,secret", [
    ("no_such_client", seed.MY_APP_CLIENT_SECRET), (seed.MY_APP_CLIENT_IDENTIFIER, "wrong-secret"),
    (seed.MY_APP_CLIENT_IDENTIFIER, None), (None, seed.MY_APP_CLIENT_SECRET),
])
def test_unknown_client_or_wrong_secret_is_invalid_client(api, identifier, secret):
    response = grant(api, identifier, secret)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client" and response.json()["error_description"]
    assert seed.MY_APP_CLIENT_SECRET not in response.text


def test_public_client_is_unauthorized_client(api, sim):
    client = new_client(sim, kind="public")
    response = grant(api, "automation", client["secret"])
    assert response.status_code == 400 and response.json()["error"] == "unauthorized_client"
    assert "confidential" in response.json()["error_description"]


@pytest.mark.parametrize("expires_in", [300, 0, -1, 172800, "600", True, 1.5])
def test_bad_expires_in_is_invalid_request(api, expires_in):
    response = grant(api, expires_in=expires_in)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"
    assert "expires_in" in response.json()["error_description"]


@pytest.mark.parametrize("expires_in", [301, 172799])
def test_expires_in_limits_are_exclusive(api, expires_in):
    assert grant(api, expires_in=expires_in).json()["expires_in"] == expires_in


def test_scope_outside_the_clients_allowed_scopes_is_invalid_scope(api, sim):
    sim.call("POST", "grants/allowed_scopes", {"client_id": seed.MY_APP_CLIENT_ID, "scopes": ["read"]})
    response = grant(api, scope="read write")
    assert response.status_code == 400 and response.json()["error"] == "invalid_scope"
    assert grant(api, scope="read").status_code == 201
    sim.reset()
    assert grant(api, scope="read write").status_code == 201  # a reset forgets the allowed scopes


def test_empty_scope_is_invalid_scope_and_a_list_gives_a_useless_token(api):
    assert grant(api, scope="  ").json()["error"] == "invalid_scope"
    token = grant(api, scope=["read", "write"]).json()["access_token"]  # as the docs say: issued, then Forbidden
    assert api.get("/api/v2/oauth/clients", token=token).status_code == 403


@pytest.mark.parametrize("body,error", [
    ({"grant_type": "password", "client_id": "my_app"}, "unsupported_grant_type"),
    ({"client_id": "my_app"}, "unsupported_grant_type"),
    ("not an object", "invalid_request"),
])
def test_malformed_grant_requests(api, body, error):
    response = api.post(GRANT, json=body)
    assert response.status_code == 400 and response.json()["error"] == error


def test_counters_tell_exchanges_from_token_creation(api, sim):
    grant(api)
    grant(api, secret="wrong")
    api.post("/api/v2/oauth/tokens", token=seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN, json={"token": {"client_id": 2, "scopes": ["read"]}})
    counters = sim.counters()
    assert counters["POST /oauth/tokens"] == 2 and counters["POST /api/v2/oauth/tokens"] == 1
    logged = [entry for entry in sim.requests() if entry["path"] == GRANT]
    assert [entry["status"] for entry in logged] == [201, 401] and all(entry["auth"] == "anonymous" for entry in logged)


def test_grants_control_lists_issued_tokens_until_reset(api, sim):
    token = grant(api, expires_in=600).json()["access_token"]
    grants = sim.call("GET", "grants")["grants"]
    assert [g["full_token"] for g in grants] == [token] and grants[0]["live"] and grants[0]["user_id"] == seed.ADMIN_ID
    api.delete("/api/v2/oauth/tokens/current", token=token)
    assert sim.call("GET", "grants")["grants"][0]["revoked"] is True
    sim.reset()
    assert sim.call("GET", "grants")["grants"] == []

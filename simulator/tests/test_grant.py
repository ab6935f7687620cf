"""POST /oauth/tokens with client credentials: confidential clients only, the owner's identity, scopes, expiry, JWTs, errors."""

import base64
import datetime
import json
import re

import pytest

from zendesk_simulator import seed

from conftest import ADMIN_PASSWORD

GRANT = "/oauth/tokens"
JWT_HEADER = {"alg": "HS256", "typ": "at+jwt"}
BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


def grant(api, identifier=seed.MY_APP_CLIENT_IDENTIFIER, secret=seed.MY_APP_CLIENT_SECRET, **fields):
    """Send a client credentials grant; return the response."""
    body = {"grant_type": "client_credentials", "client_id": identifier, "client_secret": secret, "scope": "read write"}
    body.update(fields)
    return api.post(GRANT, json={k: v for k, v in body.items() if v is not None})


def new_client(sim, kind="confidential", identifier="automation", user_id=None, created_at=None):
    """A client created at `created_at` (default: now on the simulated clock), with its secret."""
    fields = {"user_id": user_id} if user_id else {}
    return sim.add_client(identifier, kind, created_at, name="Automation", **fields)


def jwt_parts(value):
    """The decoded header and claims of a JWT-shaped value, and its signature text."""
    parts = value.split(".")
    assert len(parts) == 3 and all(BASE64URL.fullmatch(part) for part in parts), value[:10]
    header, claims = (json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in parts[:2])
    return header, claims, parts[2]


def epoch(text):
    """Seconds since the epoch of a Zendesk timestamp."""
    return int(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def test_grant_issues_a_token_acting_as_the_client_owner(api, sim):
    sim.set_clock("2026-12-01T10:00:00Z")
    response = grant(api, expires_in=600)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "scope", "expires_in"} and body["access_token"].startswith("eyJ")
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


def test_grant_tokens_are_jwts_with_a_common_header_and_exp(api, sim):
    sim.set_clock("2026-12-01T10:00:00Z")
    values = [grant(api, expires_in=600).json()["access_token"], grant(api, expires_in=3600, scope="read").json()["access_token"]]
    header, claims, signature = jwt_parts(values[0])
    assert header == JWT_HEADER and len(base64.urlsafe_b64decode(signature + "=")) == 32
    assert claims["exp"] == claims["iat"] + 600 == epoch("2026-12-01T10:10:00Z")
    assert (claims["sub"], claims["client_id"], claims["scope"]) == (str(seed.ADMIN_ID), seed.MY_APP_CLIENT_IDENTIFIER, "read write")
    assert jwt_parts(values[1])[1]["jti"] != claims["jti"] and values[0].split(".")[0] == values[1].split(".")[0]
    current = api.get("/api/v2/oauth/tokens/current", token=values[1]).json()["token"]
    assert epoch(current["expires_at"]) == jwt_parts(values[1])[1]["exp"]


def test_grant_tokens_share_the_listed_prefix(api):
    values = [grant(api, expires_in=600).json()["access_token"] for dummy in range(3)]
    listed = api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, params={"client_id": seed.MY_APP_CLIENT_ID}).json()["tokens"]
    assert len(listed) == 3 and {token["token"] for token in listed} == {values[0][:10]} == {value[:10] for value in values}
    assert not [value for value in values if value in json.dumps(listed)]


def test_a_non_expiring_grant_token_is_a_jwt_without_exp(api, sim):
    value = grant(api).json()["access_token"]  # my_app was created before 2026-04-30
    header, claims, dummy = jwt_parts(value)
    assert header == JWT_HEADER and "exp" not in claims
    assert api.get("/api/v2/oauth/tokens/current", token=value).json()["token"]["expires_at"] is None
    sim.advance_clock(10 * 365 * 86400)
    assert api.get("/api/v2/users/me", token=value).status_code == 200


@pytest.mark.parametrize("created_at,expires_at", [
    ("2026-04-29T23:59:59Z", None), ("2026-04-30T00:00:00Z", "2026-12-01T10:30:00Z"), ("2026-11-30T00:00:00Z", "2026-12-01T10:30:00Z"),
])
def test_default_lifetime_follows_the_backdated_creation_date(api, sim, created_at, expires_at):
    client = new_client(sim, created_at=created_at)
    assert client["created_at"] == created_at
    sim.set_clock("2026-12-01T10:00:00Z")
    answer = grant(api, "automation", client["secret"]).json()
    assert "expires_in" not in answer
    assert api.get("/api/v2/oauth/tokens/current", token=answer["access_token"]).json()["token"]["expires_at"] == expires_at
    assert ("exp" in jwt_parts(answer["access_token"])[1]) is (expires_at is not None)


def test_expires_in_overrides_the_default_of_a_new_client(api, sim):
    client = new_client(sim)
    sim.set_clock("2026-12-01T10:00:00Z")
    answer = grant(api, "automation", client["secret"], expires_in=86400).json()
    assert answer["expires_in"] == 86400
    assert api.get("/api/v2/oauth/tokens/current", token=answer["access_token"]).json()["token"]["expires_at"] == "2026-12-02T10:00:00Z"


def test_without_scope_the_token_gets_the_clients_allowed_scopes(api, sim):
    answer = grant(api, scope=None).json()
    assert answer["scope"] == "read write"
    assert api.get("/api/v2/oauth/tokens/current", token=answer["access_token"]).json()["token"]["scopes"] == ["read", "write"]
    sim.call("POST", "grants/allowed_scopes", {"client_id": seed.MY_APP_CLIENT_ID, "scopes": ["read"]})
    assert grant(api, scope=None).json()["scope"] == "read"


def test_the_clock_expires_a_grant_token_everywhere(api, sim):
    sim.set_clock("2026-12-01T10:00:00Z")
    value = grant(api, expires_in=600).json()["access_token"]
    token_id = api.get("/api/v2/oauth/tokens/current", token=value).json()["token"]["id"]
    sim.advance_clock(599)
    assert api.get(f"/api/v2/oauth/tokens/{token_id}", auth=ADMIN_PASSWORD).json()["token"]["expires_at"] == "2026-12-01T10:10:00Z"
    sim.advance_clock(1)
    response = api.get("/api/v2/users/me", token=value)
    assert (response.status_code, response.json()["error"]) == (401, "invalid_token")
    assert token_id not in [token["id"] for token in api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD).json()["tokens"]]
    assert token_id not in [token["id"] for token in api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, params={"all": "true"}).json()["tokens"]]
    assert api.get(f"/api/v2/oauth/tokens/{token_id}", auth=ADMIN_PASSWORD).status_code == 404
    assert api.delete(f"/api/v2/oauth/tokens/{token_id}", auth=ADMIN_PASSWORD).status_code == 404
    expired = api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, params={"all": "true", "include_expired": "true"}).json()["tokens"]
    assert [token["expires_at"] for token in expired if token["id"] == token_id] == ["2026-12-01T10:10:00Z"]
    assert [g["live"] for g in sim.call("GET", "grants")["grants"]] == [False]

"""Authentication modes, Zendesk's 401/403 bodies, roles and Bearer scopes."""

import pytest

from zendesk_simulator import seed

from conftest import ADMIN_API_TOKEN, ADMIN_BEARER, ADMIN_PASSWORD, AGENT_BEARER, AGENT_PASSWORD, END_USER_PASSWORD, create_token

UNAUTHORIZED = {"error": "Couldn't authenticate you"}
INVALID_TOKEN = {"error": "invalid_token",
                 "error_description": "The access token provided is expired, revoked, malformed or invalid for other reasons."}
FORBIDDEN_ROLE = {"error": "Forbidden",
                  "description": "You do not have access to this page. Please contact the account owner of this help desk for further help."}


def assert_unauthorized(response):
    """Zendesk's 401: body and WWW-Authenticate header."""
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Web Password"'


def assert_invalid_token(response):
    """OAuth 2.0's 401 for a Bearer value that is no live token: body and WWW-Authenticate header (RFC 6750)."""
    assert response.status_code == 401
    assert response.json() == INVALID_TOKEN
    assert response.headers["WWW-Authenticate"].startswith('Bearer error="invalid_token"')


@pytest.mark.parametrize("auth", [ADMIN_PASSWORD, ADMIN_API_TOKEN], ids=["password", "api_token"])
def test_basic_auth_modes_identify_the_admin(api, auth):
    response = api.get("/api/v2/users/me", auth=auth)
    assert response.status_code == 200
    user = response.json()["user"]
    assert (user["id"], user["email"], user["role"]) == (seed.ADMIN_ID, seed.ADMIN_EMAIL, "admin")
    assert user["url"] == f"{api.url}/api/v2/users/{seed.ADMIN_ID}.json"


def test_bearer_identifies_the_tokens_user(api):
    assert api.get("/api/v2/users/me", token=AGENT_BEARER).json()["user"]["id"] == seed.AGENT_ID


def test_bearer_scheme_is_case_insensitive(api):
    response = api.get("/api/v2/users/me", headers={"Authorization": f"bearer {ADMIN_BEARER}"})
    assert response.json()["user"]["id"] == seed.ADMIN_ID


def test_anonymous_users_me_is_a_placeholder(api):
    response = api.get("/api/v2/users/me")
    assert response.status_code == 200
    user = response.json()["user"]
    assert user["id"] is None and user["role"] == "end-user"


@pytest.mark.parametrize("method,path", [
    ("GET", "/api/v2/users/1001"), ("GET", "/api/v2/oauth/clients"), ("GET", "/api/v2/oauth/tokens"),
    ("GET", "/api/v2/oauth/tokens/current"), ("POST", "/api/v2/oauth/tokens"), ("DELETE", "/api/v2/oauth/tokens/9001"),
])
def test_anonymous_is_refused_everywhere_else(api, method, path):
    assert_unauthorized(api.request(method, path))


@pytest.mark.parametrize("kwargs", [
    {"auth": (seed.ADMIN_EMAIL, "wrong")},
    {"auth": (f"{seed.ADMIN_EMAIL}/token", "wrong")},
    {"auth": ("nobody@example.com", seed.ADMIN_PASSWORD)},
    {"auth": (seed.ADMIN_EMAIL, seed.ADMIN_API_TOKEN)},
    {"auth": (f"{seed.ADMIN_EMAIL}/token", seed.ADMIN_PASSWORD)},
    {"headers": {"Authorization": "Basic not-base64!"}},
    {"headers": {"Authorization": "Digest whatever"}},
], ids=["password", "api_token", "unknown-user", "token-as-password", "password-as-token", "malformed-basic", "other-scheme"])
def test_wrong_basic_credentials_are_401_even_on_users_me(api, kwargs):
    assert_unauthorized(api.get("/api/v2/users/me", **kwargs))


@pytest.mark.parametrize("header", [f"Bearer {'0' * 64}", "Bearer", "Bearer not.a.jwt", f"Bearer {seed.ADMIN_API_TOKEN}"],
                         ids=["unknown", "empty", "malformed", "api-token-as-bearer"])
def test_unknown_bearer_is_invalid_token_even_on_users_me(api, header):
    assert_invalid_token(api.get("/api/v2/users/me", headers={"Authorization": header}))


def test_revoked_bearer_is_invalid_token(api):
    created = create_token(api)
    api.delete(f"/api/v2/oauth/tokens/{created['id']}", auth=ADMIN_PASSWORD)
    for method, path in [("GET", "/api/v2/users/me"), ("GET", "/api/v2/oauth/tokens/current"), ("DELETE", "/api/v2/oauth/tokens/current")]:
        assert_invalid_token(api.request(method, path, token=created["full_token"]))


def test_expired_bearer_is_invalid_token(api, sim):
    sim.set_clock("2026-12-01T00:00:00Z")
    planted = sim.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID, ["read"], expires_at="2026-12-01T00:10:00Z")
    assert api.get("/api/v2/users/me", token=planted["full_token"]).status_code == 200
    sim.advance_clock(600)
    assert_invalid_token(api.get("/api/v2/users/me", token=planted["full_token"]))


def test_invalid_token_is_logged_as_a_bearer_call_without_user_or_value(api, sim):
    api.get("/api/v2/users/me", token="0" * 64)
    assert [(entry["auth"], entry["user_id"], entry["status"]) for entry in sim.requests()] == [("bearer", None, 401)]
    assert "0" * 10 not in repr(sim.requests())


@pytest.mark.parametrize("auth", [(seed.SUSPENDED_EMAIL, seed.SUSPENDED_PASSWORD), (f"{seed.SUSPENDED_EMAIL}/token", seed.SUSPENDED_API_TOKEN)],
                         ids=["password", "api_token"])
def test_suspended_user_cannot_authenticate(api, auth):
    assert_unauthorized(api.get("/api/v2/users/me", auth=auth))


def test_suspended_users_live_bearer_token_does_not_authenticate(api, sim):
    """The token is live, its user may not sign in: the user check's answer, not the token check's."""
    planted = sim.plant_token(seed.SUSPENDED_ID, seed.MY_APP_CLIENT_ID, ["read"])
    assert_unauthorized(api.get("/api/v2/users/me", token=planted["full_token"]))


def test_email_is_case_insensitive(api):
    assert api.get("/api/v2/users/me", auth=(seed.ADMIN_EMAIL.upper(), seed.ADMIN_PASSWORD)).status_code == 200


@pytest.mark.parametrize("auth", [AGENT_PASSWORD, END_USER_PASSWORD], ids=["agent", "end-user"])
@pytest.mark.parametrize("method,path", [
    ("GET", "/api/v2/oauth/clients"), ("GET", "/api/v2/oauth/clients/2"), ("POST", "/api/v2/oauth/clients"),
    ("PUT", "/api/v2/oauth/clients/2"), ("DELETE", "/api/v2/oauth/clients/2"), ("PUT", "/api/v2/oauth/clients/2/generate_secret"),
    ("GET", "/api/v2/oauth/tokens"), ("POST", "/api/v2/oauth/tokens"),
])
def test_admin_endpoints_are_403_for_non_admins(api, auth, method, path):
    response = api.request(method, path, auth=auth, json={})
    assert response.status_code == 403
    assert response.json() == FORBIDDEN_ROLE


def test_users_show_is_for_agents_not_end_users(api):
    assert api.get("/api/v2/users/1004", auth=AGENT_PASSWORD).json()["user"]["role"] == "end-user"
    response = api.get("/api/v2/users/1003", auth=END_USER_PASSWORD)
    assert (response.status_code, response.json()) == (403, FORBIDDEN_ROLE)


def test_unknown_user_is_404(api):
    response = api.get("/api/v2/users/999999", auth=ADMIN_PASSWORD)
    assert (response.status_code, response.json()) == (404, {"error": "RecordNotFound", "description": "Not found"})


@pytest.mark.parametrize("scopes,method,path,missing", [
    (["write"], "GET", "/api/v2/oauth/clients", "read"),
    (["read"], "POST", "/api/v2/oauth/tokens", "write"),
    (["read"], "DELETE", "/api/v2/oauth/tokens/9002", "write"),
    (["tickets:read", "tickets:write"], "GET", "/api/v2/oauth/tokens", "read"),
    (["tickets:read"], "GET", "/api/v2/users/me", "read"),
    (["impersonate"], "GET", "/api/v2/users/me", "read"),
])
def test_bearer_without_the_needed_scope_is_403(api, sim, scopes, method, path, missing):
    planted = sim.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID, scopes)
    response = api.request(method, path, token=planted["full_token"], json={"token": {"client_id": 2, "scopes": ["read"]}})
    assert response.status_code == 403
    assert response.json() == {"error": "Forbidden", "description": f"You are missing the following required scopes: {missing}"}


def test_users_resource_scope_grants_users_endpoints(api, sim):
    planted = sim.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID, ["users:read"])
    assert api.get("/api/v2/users/1003", token=planted["full_token"]).status_code == 200


def test_write_scope_allows_writes(api, sim):
    planted = sim.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID, ["write"])
    response = api.post("/api/v2/oauth/tokens", token=planted["full_token"], json={"token": {"client_id": 2, "scopes": ["read"]}})
    assert response.status_code == 201


def test_bearer_admin_can_use_admin_endpoints(api):
    assert api.get("/api/v2/oauth/clients", token=ADMIN_BEARER).status_code == 200


def test_request_log_records_auth_kind_and_user_without_secrets(api, sim):
    api.get("/api/v2/users/me")
    api.get("/api/v2/users/me", auth=ADMIN_PASSWORD)
    api.get("/api/v2/users/me.json", auth=ADMIN_API_TOKEN, params={"include": "roles"})
    api.get("/api/v2/users/me", token=AGENT_BEARER)
    api.get("/api/v2/users/me", auth=(seed.ADMIN_EMAIL, "wrong"))
    log = sim.requests()
    assert [(entry["auth"], entry["user_id"], entry["status"]) for entry in log] == [
        ("anonymous", None, 200), ("password", seed.ADMIN_ID, 200), ("api_token", seed.ADMIN_ID, 200),
        ("bearer", seed.AGENT_ID, 200), ("password", None, 401)]
    assert log[2]["path"] == "/api/v2/users/me.json" and log[2]["query"] == {"include": ["roles"]}
    text = repr(log)
    for secret in (seed.ADMIN_PASSWORD, seed.ADMIN_API_TOKEN, AGENT_BEARER, AGENT_BEARER[:10], "wrong"):
        assert secret not in text

"""Every endpoint the collection uses, through Prism against Zendesk's OpenAPI file (plus overlay.yaml)."""

import os
import pathlib
import re
import subprocess
import sys

import pytest

from zendesk_simulator import seed

from conftest import ADMIN_API_TOKEN, ADMIN_PASSWORD

ADMIN_BEARER = seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN
BIN = pathlib.Path(sys.executable).parent
CREATE_TOKEN = {"token": {"client_id": seed.MY_APP_CLIENT_ID, "scopes": ["read", "write"]}}


def mint(proxy):
    """Create a token through Prism; return the `token` object."""
    return proxy.clean("POST", "/api/v2/oauth/tokens", 201, token=ADMIN_BEARER, json=CREATE_TOKEN).json()["token"]


@pytest.mark.parametrize("credentials", [{"auth": ADMIN_PASSWORD}, {"auth": ADMIN_API_TOKEN}, {"token": ADMIN_BEARER}],
                         ids=["password", "api_token", "bearer"])
def test_users_me(proxy, credentials):
    assert proxy.clean("GET", "/api/v2/users/me", 200, **credentials).json()["user"]["id"] == seed.ADMIN_ID


def test_users_show(proxy):
    proxy.clean("GET", f"/api/v2/users/{seed.AGENT_ID}", 200, token=ADMIN_BEARER)


def test_clients_list_follows_cursor_pages(proxy):
    proxy.sim.seed_clients(150)
    page = proxy.clean("GET", "/api/v2/oauth/clients", 200, token=ADMIN_BEARER, params={"page[size]": 100}).json()
    seen = len(page["clients"])
    while page["meta"]["has_more"]:
        page = proxy.clean("GET", page["links"]["next"], 200, token=ADMIN_BEARER).json()
        seen += len(page["clients"])
    assert seen == 152


def test_clients_show(proxy):
    proxy.clean("GET", f"/api/v2/oauth/clients/{seed.MY_APP_CLIENT_ID}", 200, auth=ADMIN_PASSWORD)


def test_clients_create_update_generate_secret_delete(proxy):
    body = {"client": {"name": "Contract", "identifier": "contract", "kind": "confidential", "redirect_uri": ["https://example.com/cb"]}}
    created = proxy.clean("POST", "/api/v2/oauth/clients", 201, token=ADMIN_BEARER, json=body).json()["client"]
    path = f"/api/v2/oauth/clients/{created['id']}"
    proxy.clean("PUT", path, 200, token=ADMIN_BEARER, json={"client": {"name": "Contract 2"}})
    proxy.clean("PUT", f"{path}/generate_secret", 200, token=ADMIN_BEARER)
    proxy.clean("DELETE", path, 204, token=ADMIN_BEARER)


def test_tokens_create_returns_full_token(proxy):
    token = mint(proxy)
    assert len(token["full_token"]) == 64


@pytest.mark.parametrize("params", [{}, {"client_id": seed.MY_APP_CLIENT_ID}, {"all": "true"}, {"page[size]": 1, "all": "true"}],
                         ids=["own", "client_id", "all", "cursor"])
def test_tokens_list(proxy, params):
    mint(proxy)
    proxy.clean("GET", "/api/v2/oauth/tokens", 200, token=ADMIN_BEARER, params=params)


def test_tokens_list_of_every_user_for_one_client(proxy):
    """What deleting a client counts and the inventory reads with all_users and a client selector."""
    mint(proxy)
    proxy.sim.plant_token(seed.AGENT_ID, seed.MY_APP_CLIENT_ID, ["read"])
    tokens = proxy.clean("GET", "/api/v2/oauth/tokens", 200, token=ADMIN_BEARER,
                         params={"all": "true", "client_id": seed.MY_APP_CLIENT_ID}).json()["tokens"]
    assert {token["user_id"] for token in tokens} == {seed.ADMIN_ID, seed.AGENT_ID}


def test_tokens_list_including_expired(proxy):
    expired = proxy.sim.plant_token(seed.AGENT_ID, seed.MY_APP_CLIENT_ID, ["read"], expires_at="2020-01-01T00:00:00Z")
    params = {"all": "true", "include_expired": "true", "client_id": seed.MY_APP_CLIENT_ID}
    tokens = proxy.clean("GET", "/api/v2/oauth/tokens", 200, token=ADMIN_BEARER, params=params).json()["tokens"]
    assert expired["id"] in [token["id"] for token in tokens]


def test_users_show_many_with_several_ids_and_deleted_users(proxy):
    proxy.sim.change_user(seed.END_USER_ID, active=False)
    ids = [seed.ADMIN_ID, seed.AGENT_ID, seed.END_USER_ID, seed.SUSPENDED_ID]
    users = proxy.clean("GET", "/api/v2/users/show_many", 200, token=ADMIN_BEARER,
                        params={"ids": ",".join(str(i) for i in ids), "include_deleted": "true"}).json()["users"]
    assert [user["id"] for user in users] == ids
    assert [user["active"] for user in users] == [True, True, False, True]


def test_tokens_list_follows_cursor_pages(proxy):
    for _attempt in range(3):
        mint(proxy)
    page = proxy.clean("GET", "/api/v2/oauth/tokens", 200, token=ADMIN_BEARER, params={"page[size]": 2}).json()
    assert page["meta"]["has_more"]
    proxy.clean("GET", page["links"]["next"], 200, token=ADMIN_BEARER)


def test_tokens_show(proxy):
    token = mint(proxy)
    proxy.clean("GET", f"/api/v2/oauth/tokens/{token['id']}", 200, auth=ADMIN_PASSWORD)


def test_tokens_current_show_and_revoke(proxy):
    token = mint(proxy)
    shown = proxy.clean("GET", "/api/v2/oauth/tokens/current", 200, token=token["full_token"]).json()["token"]
    assert shown["id"] == token["id"]
    proxy.clean("DELETE", "/api/v2/oauth/tokens/current", 204, token=token["full_token"])


def test_tokens_revoke(proxy):
    token = mint(proxy)
    proxy.clean("DELETE", f"/api/v2/oauth/tokens/{token['id']}", 204, token=ADMIN_BEARER)


# --- error paths: the status is not declared by the file, nothing else may be wrong -----------


def test_401_wrong_credentials(proxy):
    response = proxy.error_path("GET", "/api/v2/oauth/clients", 401, auth=(seed.ADMIN_EMAIL, "wrong"))
    assert response.json() == {"error": "Couldn't authenticate you"}


def test_401_revoked_bearer(proxy):
    token = mint(proxy)
    proxy.clean("DELETE", f"/api/v2/oauth/tokens/{token['id']}", 204, token=ADMIN_BEARER)
    response = proxy.error_path("GET", "/api/v2/oauth/tokens/current", 401, token=token["full_token"])
    assert response.json()["error"] == "invalid_token"


def test_403_non_admin(proxy):
    response = proxy.error_path("GET", "/api/v2/oauth/clients", 403, auth=(seed.AGENT_EMAIL, seed.AGENT_PASSWORD))
    assert response.json()["error"] == "Forbidden"


def test_403_missing_scope(proxy):
    planted = proxy.sim.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID, ["read"])
    response = proxy.error_path("POST", "/api/v2/oauth/tokens", 403, token=planted["full_token"], json=CREATE_TOKEN)
    assert response.json()["description"] == "You are missing the following required scopes: write"


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_404_unknown_token(proxy, method):
    proxy.error_path(method, "/api/v2/oauth/tokens/424242", 404, token=ADMIN_BEARER)


def test_404_unknown_client(proxy):
    proxy.error_path("GET", "/api/v2/oauth/clients/424242", 404, token=ADMIN_BEARER)


def test_403_all_tokens_as_non_admin(proxy):
    response = proxy.error_path("GET", "/api/v2/oauth/tokens", 403, token=seed.BOOTSTRAP_AGENT_OAUTH_TOKEN, params={"all": "true"})
    assert response.json()["error"] == "Forbidden"


@pytest.mark.parametrize("method, suffix", [("GET", ""), ("PUT", "/generate_secret"), ("DELETE", "")],
                         ids=["show", "generate_secret", "delete_again"])
def test_404_deleted_client(proxy, method, suffix):
    body = {"client": {"name": "Gone", "identifier": "gone"}}
    created = proxy.clean("POST", "/api/v2/oauth/clients", 201, token=ADMIN_BEARER, json=body).json()["client"]
    path = f"/api/v2/oauth/clients/{created['id']}"
    proxy.clean("DELETE", path, 204, token=ADMIN_BEARER)
    response = proxy.error_path(method, path + suffix, 404, token=ADMIN_BEARER)
    assert response.json()["error"] == "RecordNotFound"


def test_422_duplicate_identifier(proxy):
    body = {"client": {"name": "Dup", "identifier": seed.MY_APP_CLIENT_IDENTIFIER}}
    response = proxy.error_path("POST", "/api/v2/oauth/clients", 422, token=ADMIN_BEARER, json=body)
    assert response.json()["details"]["identifier"][0]["error"] == "DuplicateValue"


def test_429_rate_limited(proxy):
    proxy.sim.fault(method="POST", path="/api/v2/oauth/tokens", status=429, retry_after="3")
    response = proxy.error_path("POST", "/api/v2/oauth/tokens", 429, token=ADMIN_BEARER, json=CREATE_TOKEN)
    assert response.headers["Retry-After"] == "3"


# --- the check itself can fail ---------------------------------------------------------------


def test_prism_rejects_a_request_that_breaks_the_file(proxy):
    response = proxy.call("POST", "/api/v2/oauth/tokens", token=ADMIN_BEARER, json={"token": {"client_id": "two", "scopes": "read"}})
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert proxy.sim.requests() == []


# --- the collection's modules themselves ---------------------------------------------------


def test_the_modules_requests_and_responses_keep_to_the_file(proxy, tmp_path):
    proxy.sim.seed_clients(150)
    expired = proxy.sim.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID, ["read"], expires_at="2020-01-01T00:00:00Z")
    secret_dest = tmp_path / "client-secret"
    env = dict(os.environ, ZENDESK_URL=proxy.url, ZENDESK_OAUTH_TOKEN=ADMIN_BEARER, ANSIBLE_COLLECTIONS_PATH=os.environ["CONTRACT_COLLECTIONS"],
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_NOCOLOR="1")
    playbook = pathlib.Path(__file__).with_name("modules.yml")
    extra_vars = f"secret_dest={secret_dest} expired_token_id={expired['id']}"
    result = subprocess.run([str(BIN / "ansible-playbook"), "-i", "localhost,", "-c", "local", "-e", extra_vars, str(playbook)], env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    assert ADMIN_BEARER not in result.stdout + result.stderr
    client_secret = secret_dest.read_text(encoding="utf-8").strip()
    assert len(client_secret) == 64 and client_secret not in result.stdout + result.stderr
    log = proxy.sim.requests()
    assert not [entry for entry in log if entry["status"] is None or entry["status"] >= 500], log
    used = {f"{entry['method']} {entry['path']}" for entry in log}
    assert {"GET /api/v2/oauth/clients", "GET /api/v2/oauth/clients/2", "POST /api/v2/oauth/tokens", "GET /api/v2/oauth/tokens",
            "GET /api/v2/oauth/tokens/current", "DELETE /api/v2/oauth/tokens/current", "POST /api/v2/oauth/clients",
            "GET /api/v2/users/show_many", "GET /api/v2/users/me"} <= used
    templates = {re.sub(r"/\d+", "/{id}", call) for call in used}
    assert {"PUT /api/v2/oauth/clients/{id}", "PUT /api/v2/oauth/clients/{id}/generate_secret", "DELETE /api/v2/oauth/clients/{id}"} <= templates
    token_queries = [entry["query"] for entry in log if entry["method"] == "GET" and entry["path"] == "/api/v2/oauth/tokens"]
    assert any(query.get("all") == ["true"] and "client_id" in query for query in token_queries), token_queries
    assert any(query.get("include_expired") == ["true"] for query in token_queries), token_queries
    assert any(entry["method"] == "DELETE" and entry["path"].startswith("/api/v2/oauth/tokens/") and entry["path"][-1].isdigit() for entry in log)
    assert any("page[after]" in entry["query"] for entry in log)

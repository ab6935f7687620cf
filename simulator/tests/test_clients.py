"""OAuth clients: list, show, create, update, delete, generate_secret, secrets shown once."""

import pytest

from zendesk_simulator import seed

from conftest import ADMIN_BEARER, ADMIN_PASSWORD, create_token

CLIENT_KEYS = {"id", "url", "name", "identifier", "kind", "company", "description", "redirect_uri", "user_id", "global",
               "logo_url", "secret", "created_at", "updated_at"}


def new_client(api, **fields):
    """POST a client body; return the response."""
    body = {"name": "Test Client", "identifier": "unique_id", "kind": "confidential", **fields}
    return api.post("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, json={"client": body})


def test_seed_clients_are_listed(api):
    clients = api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD).json()["clients"]
    assert [(client["id"], client["identifier"], client["name"]) for client in clients] == [
        (seed.BOOTSTRAP_CLIENT_ID, seed.BOOTSTRAP_CLIENT_IDENTIFIER, seed.BOOTSTRAP_CLIENT_NAME),
        (seed.MY_APP_CLIENT_ID, seed.MY_APP_CLIENT_IDENTIFIER, seed.MY_APP_CLIENT_NAME)]
    assert set(clients[1]) == CLIENT_KEYS
    assert (clients[1]["kind"], clients[1]["user_id"]) == ("confidential", seed.ADMIN_ID)


@pytest.mark.parametrize("suffix", ["", ".json"])
def test_show_with_and_without_json_suffix(api, suffix):
    client = api.get(f"/api/v2/oauth/clients/2{suffix}", auth=ADMIN_PASSWORD).json()["client"]
    assert client["identifier"] == seed.MY_APP_CLIENT_IDENTIFIER
    assert client["url"] == f"{api.url}/api/v2/oauth/clients/2.json"


def test_create_returns_201_and_the_full_secret_only_once(api):
    response = new_client(api, redirect_uri=["https://example.com/callback"], company="Obscura")
    assert response.status_code == 201
    created = response.json()["client"]
    assert len(created["secret"]) == 64
    assert (created["identifier"], created["user_id"], created["company"]) == ("unique_id", seed.ADMIN_ID, "Obscura")
    assert created["redirect_uri"] == ["https://example.com/callback"]
    shown = api.get(f"/api/v2/oauth/clients/{created['id']}", auth=ADMIN_PASSWORD).json()["client"]
    assert shown["secret"] == created["secret"][:10] + "..."
    listed = api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD).text
    assert created["secret"] not in listed


def test_create_defaults_kind_to_public(api):
    response = api.post("/api/v2/oauth/clients.json", auth=ADMIN_PASSWORD, json={"client": {"name": "N", "identifier": "i"}})
    assert response.json()["client"]["kind"] == "public"


def test_duplicate_identifier_is_422_with_details(api):
    response = new_client(api, identifier=seed.MY_APP_CLIENT_IDENTIFIER)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "RecordInvalid"
    assert body["details"]["identifier"][0]["error"] == "DuplicateValue"


@pytest.mark.parametrize("field", ["name", "identifier"])
def test_missing_required_field_is_422(api, field):
    body = {"name": "N", "identifier": "i"}
    del body[field]
    response = api.post("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, json={"client": body})
    assert response.status_code == 422
    assert response.json()["details"][field][0]["error"] == "BlankValue"


@pytest.mark.parametrize("fields,field", [({"kind": "secret-ish"}, "kind"), ({"redirect_uri": "x"}, "redirect_uri"),
                                          ({"company": 5}, "company"), ({"name": 5}, "name")])
def test_invalid_field_is_422(api, fields, field):
    response = new_client(api, **fields)
    assert response.status_code == 422
    assert response.json()["details"][field][0]["error"] == "InvalidValue"


@pytest.mark.parametrize("body", [b"{not json", b'{"name": "x"}', b'{"client": "x"}'], ids=["invalid-json", "no-wrapper", "not-object"])
def test_malformed_body_is_400(api, body):
    response = api.post("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400


def test_update_changes_given_fields_only(api):
    response = api.put("/api/v2/oauth/clients/2", auth=ADMIN_PASSWORD, json={"client": {"name": "Renamed"}})
    assert response.status_code == 200
    client = response.json()["client"]
    assert (client["name"], client["identifier"]) == ("Renamed", seed.MY_APP_CLIENT_IDENTIFIER)
    assert client["secret"].endswith("...")
    assert api.get("/api/v2/oauth/clients/2", auth=ADMIN_PASSWORD).json()["client"]["name"] == "Renamed"


def test_update_to_a_taken_identifier_is_422(api):
    response = api.put("/api/v2/oauth/clients/2", auth=ADMIN_PASSWORD, json={"client": {"identifier": seed.BOOTSTRAP_CLIENT_IDENTIFIER}})
    assert response.status_code == 422
    assert response.json()["details"]["identifier"][0]["error"] == "DuplicateValue"


def test_update_keeping_its_own_identifier_is_fine(api):
    response = api.put("/api/v2/oauth/clients/2", auth=ADMIN_PASSWORD, json={"client": {"identifier": seed.MY_APP_CLIENT_IDENTIFIER}})
    assert response.status_code == 200


def test_generate_secret_returns_a_new_full_secret(api):
    before = new_client(api).json()["client"]
    response = api.put(f"/api/v2/oauth/clients/{before['id']}/generate_secret", auth=ADMIN_PASSWORD)
    assert response.status_code == 200
    after = response.json()["client"]
    assert len(after["secret"]) == 64 and after["secret"] != before["secret"]


def test_delete_is_204_and_revokes_the_clients_tokens(api):
    token = create_token(api, client_id=seed.MY_APP_CLIENT_ID, scopes=["read"])
    response = api.delete("/api/v2/oauth/clients/2", token=ADMIN_BEARER)
    assert (response.status_code, response.content) == (204, b"")
    assert api.get("/api/v2/oauth/clients/2", auth=ADMIN_PASSWORD).status_code == 404
    assert api.get("/api/v2/users/me", token=token["full_token"]).status_code == 401
    assert api.get(f"/api/v2/oauth/tokens/{token['id']}", auth=ADMIN_PASSWORD).status_code == 404


@pytest.mark.parametrize("method,path", [("GET", "/api/v2/oauth/clients/999"), ("PUT", "/api/v2/oauth/clients/999"),
                                         ("DELETE", "/api/v2/oauth/clients/999"), ("PUT", "/api/v2/oauth/clients/999/generate_secret")])
def test_unknown_client_is_404(api, method, path):
    response = api.request(method, path, auth=ADMIN_PASSWORD, json={"client": {"name": "x"}})
    assert (response.status_code, response.json()) == (404, {"error": "RecordNotFound", "description": "Not found"})


def test_unknown_endpoint_is_404_invalid_endpoint(api):
    response = api.get("/api/v2/oauth/nothing", auth=ADMIN_PASSWORD)
    assert (response.status_code, response.json()["error"]) == (404, "InvalidEndpoint")
    assert api.request("PATCH", "/api/v2/oauth/clients/2", auth=ADMIN_PASSWORD).status_code == 404

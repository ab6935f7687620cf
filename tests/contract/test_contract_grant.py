"""The client credentials grant (POST /oauth/tokens) through Prism: the body the collection sends and Zendesk's answers."""

from zendesk_simulator import seed

GRANT = "/oauth/tokens"


def body(**fields):
    """The collection's grant body (plugins/module_utils/session.py grant_body)."""
    return dict({"grant_type": "client_credentials", "client_id": seed.MY_APP_CLIENT_IDENTIFIER,
                 "client_secret": seed.MY_APP_CLIENT_SECRET, "scope": "read write", "expires_in": 600}, **fields)


def test_grant_returns_a_token_that_authenticates_and_revokes_itself(proxy):
    answer = proxy.clean("POST", GRANT, 201, json=body()).json()
    assert answer["token_type"] == "bearer" and answer["scope"] == "read write" and answer["expires_in"] == 600
    token = answer["access_token"]
    assert proxy.clean("GET", "/api/v2/oauth/tokens/current", 200, token=token).json()["token"]["user_id"] == seed.ADMIN_ID
    proxy.clean("DELETE", "/api/v2/oauth/tokens/current", 204, token=token)


def test_refusals_keep_their_shape(proxy):
    assert proxy.error_path("POST", GRANT, 401, json=body(client_secret="wrong")).json()["error"] == "invalid_client"
    public = proxy.sim.call("POST", "clients", {"client": {"name": "Public", "identifier": "public_app", "kind": "public"}})["client"]
    refused = proxy.error_path("POST", GRANT, 400, json=body(client_id="public_app", client_secret=public["secret"])).json()
    assert refused["error"] == "unauthorized_client"

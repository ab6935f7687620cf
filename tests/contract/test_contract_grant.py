"""The client credentials grant (POST /oauth/tokens) through Prism: the body the collection sends and Zendesk's answers."""

import os
import pathlib
import subprocess
import sys

from zendesk_simulator import seed

GRANT = "/oauth/tokens"
BIN = pathlib.Path(sys.executable).parent


def body(**fields):
    """A grant body as plugins/module_utils/_grant.py sends it."""
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


def test_a_module_run_with_client_credentials_keeps_to_the_file(proxy, tmp_path):
    """The modules' own exchange, the calls with its token and its revocation, all through Prism."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ZENDESK_")}
    env.update(ZENDESK_URL=proxy.url, ZENDESK_OAUTH_CLIENT_IDENTIFIER=seed.MY_APP_CLIENT_IDENTIFIER,
               ZENDESK_OAUTH_CLIENT_SECRET=seed.MY_APP_CLIENT_SECRET, ANSIBLE_COLLECTIONS_PATH=os.environ["CONTRACT_COLLECTIONS"],
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_NOCOLOR="1")
    result = subprocess.run([str(BIN / "ansible"), "localhost", "-c", "local", "-i", "localhost,", "-m",
                             "obscura.zendesk.zendesk_oauth_client_info", "-a", "id=2"], env=env, capture_output=True, text=True,
                            timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert seed.MY_APP_CLIENT_SECRET not in result.stdout + result.stderr
    used = [f"{entry['method']} {entry['path']} {entry['status']}" for entry in proxy.sim.requests()]
    assert used == ["POST /oauth/tokens 201", "GET /api/v2/oauth/clients/2 200", "DELETE /api/v2/oauth/tokens/current 204"], used


def test_a_default_lifetime_token_keeps_to_the_file(proxy):
    """A client created now: no expires_in asked, none answered; the token's expires_at is a date-time."""
    client = proxy.sim.add_client("fresh_app")
    answer = proxy.clean("POST", GRANT, 201, json={"grant_type": "client_credentials", "client_id": "fresh_app",
                                                   "client_secret": client["secret"]}).json()
    assert "expires_in" not in answer and answer["scope"] == "read write"
    shown = proxy.clean("GET", "/api/v2/oauth/tokens/current", 200, token=answer["access_token"]).json()["token"]
    assert shown["expires_at"].endswith("Z")

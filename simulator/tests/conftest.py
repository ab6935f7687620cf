"""Shared helpers for the simulator's own tests (fixtures `zendesk_simulator`/`sim` come from the plugin)."""

import functools

import pytest
import requests

from zendesk_simulator import seed

ADMIN_PASSWORD = (seed.ADMIN_EMAIL, seed.ADMIN_PASSWORD)
ADMIN_API_TOKEN = (f"{seed.ADMIN_EMAIL}/token", seed.ADMIN_API_TOKEN)
AGENT_PASSWORD = (seed.AGENT_EMAIL, seed.AGENT_PASSWORD)
END_USER_PASSWORD = (seed.END_USER_EMAIL, seed.END_USER_PASSWORD)
ADMIN_BEARER = seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN
AGENT_BEARER = seed.BOOTSTRAP_AGENT_OAUTH_TOKEN


class Api:
    """A requests session against the simulator's Zendesk API; `token=` sends a Bearer header."""

    def __init__(self, url, ca_path=None):
        self.url = url
        self.verify = ca_path or True
        self.session = requests.Session()

    def request(self, method, path, auth=None, token=None, **kwargs):
        """Send one request; `path` starts with `/api/v2/`."""
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.session.request(method, self.url + path, auth=auth, headers=headers, verify=self.verify,
                                    timeout=kwargs.pop("timeout", 10), **kwargs)

    get = functools.partialmethod(request, "GET")
    post = functools.partialmethod(request, "POST")
    put = functools.partialmethod(request, "PUT")
    delete = functools.partialmethod(request, "DELETE")


@pytest.fixture(name="api")
def api_fixture(sim):
    """An API session against the freshly reset simulator."""
    session = Api(sim.url)
    yield session
    session.session.close()


def create_token(session, client_id=seed.MY_APP_CLIENT_ID, scopes=("read",), token=ADMIN_BEARER):
    """Mint a token through the API; return the `token` object (with `full_token`)."""
    response = session.post("/api/v2/oauth/tokens", token=token, json={"token": {"client_id": client_id, "scopes": list(scopes)}})
    assert response.status_code == 201, response.text
    return response.json()["token"]

"""The process and the wire: CLI, HTTPS, keep-alive, counters, control API, state save/load, reset."""

import os
import re
import signal
import stat
import subprocess
import sys

import pytest
import requests

from zendesk_simulator import seed
from zendesk_simulator.testing import SimulatorError, SimulatorProcess, read_ready_file

from conftest import ADMIN_PASSWORD, Api, create_token

SIMULATOR = [sys.executable, "-m", "zendesk_simulator"]


@pytest.fixture(name="cli")
def cli_fixture():
    """Start `python -m zendesk_simulator ARGS` with stdout piped; killed at the end whatever happened."""
    started = []

    def start(*args):
        process = subprocess.Popen(SIMULATOR + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,  # pylint: disable=consider-using-with
                                   text=True)
        started.append(process)
        return process
    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate()


def test_cli_prints_the_url_first_writes_the_ready_file_and_stops_on_sigterm(cli, tmp_path):
    ready = tmp_path / "ready"
    process = cli("--ready-file", str(ready))
    first = process.stdout.readline()
    assert re.fullmatch(r"ZENDESK_URL=http://127\.0\.0\.1:\d+\n", first)
    assert read_ready_file(ready) == {"ZENDESK_URL": first.strip().split("=", 1)[1]}
    url = first.strip().split("=", 1)[1]
    assert requests.get(f"{url}/api/v2/users/me", auth=ADMIN_PASSWORD, timeout=10).status_code == 200
    assert requests.get(f"{url}/api/v2/users/me", auth=(seed.ADMIN_EMAIL, "sim-pw-wrong"), timeout=10).status_code == 401
    bearer = {"Authorization": f"Bearer {seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN}"}
    assert requests.post(f"{url}/api/v2/oauth/tokens", headers=bearer, json={"token": {"client_id": 2, "scopes": ["read"]}}, timeout=10).ok
    process.send_signal(signal.SIGTERM)
    rest, stderr = process.communicate(timeout=10)
    assert (process.returncode, rest, stderr) == (0, "", "")


def test_cli_stops_on_sigint(cli):
    process = cli()
    process.stdout.readline()
    process.send_signal(signal.SIGINT)
    assert process.wait(10) == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "example.com"])
def test_cli_refuses_non_loopback_hosts(host):
    result = subprocess.run(SIMULATOR + ["--host", host], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert "loopback" in result.stderr and result.stdout == ""


def test_https_with_a_throwaway_ca():
    with SimulatorProcess(https=True) as process:
        assert process.url.startswith("https://127.0.0.1:")
        assert os.path.isfile(process.ca_path)
        assert requests.get(f"{process.url}/api/v2/users/me", verify=process.ca_path, timeout=10).status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{process.url}/api/v2/users/me", timeout=10)
        assert process.control.info()["ca_path"] == process.ca_path
        ca_path = process.ca_path
    assert not os.path.exists(ca_path)


def test_state_is_saved_and_loaded_across_runs(tmp_path):
    state = tmp_path / "state.json"
    with SimulatorProcess(state=state) as process:
        api = Api(process.url)
        token = create_token(api)
        client = api.post("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, json={"client": {"name": "Kept", "identifier": "kept"}})
        assert client.status_code == 201
        assert stat.S_IMODE(state.stat().st_mode) == 0o600
    with SimulatorProcess(state=state) as process:
        api = Api(process.url)
        assert api.get("/api/v2/oauth/tokens/current", token=token["full_token"]).json()["token"]["id"] == token["id"]
        identifiers = [row["identifier"] for row in api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD).json()["clients"]]
        assert "kept" in identifiers
        assert create_token(api)["id"] == token["id"] + 1


def test_state_keeps_the_clock_and_grant_tokens_across_runs(tmp_path):
    state = tmp_path / "state.json"
    with SimulatorProcess(state=state) as process:
        process.control.set_clock("2026-12-01T10:00:00Z")
        body = {"grant_type": "client_credentials", "client_id": seed.MY_APP_CLIENT_IDENTIFIER,
                "client_secret": seed.MY_APP_CLIENT_SECRET, "expires_in": 600}
        value = Api(process.url).post("/oauth/tokens", json=body).json()["access_token"]
        process.control.advance_clock(599)
    with SimulatorProcess(state=state) as process:
        api = Api(process.url)
        assert process.control.now() == "2026-12-01T10:09:59Z"
        assert api.get("/api/v2/oauth/tokens/current", token=value).json()["token"]["expires_at"] == "2026-12-01T10:10:00Z"
        process.control.advance_clock(1)
        assert api.get("/api/v2/oauth/tokens/current", token=value).json()["error"] == "invalid_token"


def test_seed_clients_option():
    with SimulatorProcess(seed_clients=3) as process:
        assert len(process.control.state()["client_ids"]) == 5
        process.control.reset()
        assert len(process.control.state()["client_ids"]) == 5


def test_keep_alive_reuses_one_connection(api, sim):
    for _attempt in range(5):
        assert api.get("/api/v2/users/me", auth=ADMIN_PASSWORD).status_code == 200
    assert sim.counters()["connections"] == 1


def test_connection_close_is_honoured(api, sim):
    for _attempt in range(2):
        response = api.get("/api/v2/users/me", auth=ADMIN_PASSWORD, headers={"Connection": "close"})
        assert response.headers["Connection"] == "close"
    assert sim.counters()["connections"] == 2


def test_counters_normalise_paths_and_skip_the_control_api(api, sim):
    api.get("/api/v2/oauth/clients/1.json", auth=ADMIN_PASSWORD)
    api.get("/api/v2/oauth/clients/2", auth=ADMIN_PASSWORD)
    api.get("/api/v2/oauth/tokens/current", auth=ADMIN_PASSWORD)
    sim.state()
    counters = sim.counters()
    del counters["connections"]
    assert counters == {"GET /api/v2/oauth/clients/{id}": 2, "GET /api/v2/oauth/tokens/current": 1}


def test_control_api_is_not_in_the_request_log(api, sim):
    sim.info()
    api.get("/api/v2/users/me")
    assert [entry["path"] for entry in sim.requests()] == ["/api/v2/users/me"]
    sim.clear_requests()
    assert sim.requests() == []


def test_responses_are_json_with_rate_limit_headers(api, sim):
    first = api.get("/api/v2/users/me", auth=ADMIN_PASSWORD)
    assert first.headers["Content-Type"] == "application/json; charset=utf-8"
    assert first.headers["X-Rate-Limit"] == "700"
    assert 0 <= int(first.headers["X-Rate-Limit-Remaining"]) < 700
    assert "X-Rate-Limit" not in sim.session.get(f"{sim.url}/_sim/info", timeout=10).headers


def test_reset_restores_the_seed_and_clears_log_counters_faults_and_clock(api, sim):
    create_token(api)
    sim.set_clock("2030-01-01T00:00:00Z")
    sim.fault(status=500, count=10)
    sim.reset()
    assert [token["id"] for token in sim.state()["tokens"]] == [seed.BOOTSTRAP_ADMIN_TOKEN_ID, seed.BOOTSTRAP_AGENT_TOKEN_ID]
    assert sim.requests() == [] and sim.counters() == {"connections": 0}
    assert api.get("/api/v2/users/me", auth=ADMIN_PASSWORD).status_code == 200
    assert not sim.state()["now"].startswith("2030")


def test_info_returns_the_seed_constants(sim):
    info = sim.info()
    assert info["url"] == sim.url
    users = {user["email"]: user for user in info["users"]}
    assert users["admin@example.com"]["password"] == "sim-pw-admin"
    assert users["agent@example.com"]["api_token"] == "sim-api-token-agent-0123456789abcdef"
    assert users["suspended@example.com"]["suspended"] is True
    assert [user["role"] for user in info["users"]] == ["admin", "admin", "agent", "end-user", "admin"]
    assert re.fullmatch(r"simadmin[0-9a-f]{56}", info["bootstrap_admin_oauth_token"])
    assert info["bootstrap_agent_oauth_token"] == seed.BOOTSTRAP_AGENT_OAUTH_TOKEN
    assert info["clients"][1] == {"id": 2, "name": "OAuth client for my app", "identifier": "my_app"}


def test_no_secret_contains_a_colon():
    secrets = [seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN, seed.BOOTSTRAP_AGENT_OAUTH_TOKEN]
    secrets += [seed.password_of(row[1]) for row in seed.USER_ROWS] + [seed.api_token_of(row[1]) for row in seed.USER_ROWS]
    assert not [secret for secret in secrets if ":" in secret]


def test_control_api_errors(sim):
    for method, path, body in [("GET", "nothing", None), ("POST", "clock", {}), ("POST", "clock", {"now": "not a date"}),
                               ("POST", "tokens", {"user_id": 999, "client_id": 2}), ("POST", "tokens", {"user_id": 1001, "client_id": 999})]:
        response = sim.session.request(method, f"{sim.url}/_sim/{path}", json=body, timeout=10)
        assert response.status_code in (400, 404), (method, path, body)


def test_control_api_shows_and_moves_the_clock(sim):
    assert sim.set_clock("2026-12-01T10:00:00+01:00") == "2026-12-01T09:00:00Z" == sim.now()
    assert sim.advance_clock(90) == "2026-12-01T09:01:30Z" == sim.now()


def test_control_api_backdates_a_client(sim, api):
    created = sim.add_client("backdated", created_at="2026-04-29T12:00:00+00:00")
    assert (created["created_at"], created["updated_at"]) == ("2026-04-29T12:00:00Z", "2026-04-29T12:00:00Z")
    assert api.get(f"/api/v2/oauth/clients/{created['id']}", auth=ADMIN_PASSWORD).json()["client"]["created_at"] == "2026-04-29T12:00:00Z"
    with pytest.raises(SimulatorError, match="400"):
        sim.add_client("bad_date", created_at="yesterday")


def test_control_api_creates_a_client_from_a_body(sim, api):
    created = sim.call("POST", "clients", {"client": {"name": "Planted", "identifier": "planted"}})["client"]
    assert len(created["secret"]) == 64
    assert api.get(f"/api/v2/oauth/clients/{created['id']}", auth=ADMIN_PASSWORD).json()["client"]["identifier"] == "planted"


def test_unreadable_state_file_stops_the_start_with_a_clear_error(tmp_path):
    state = tmp_path / "state.json"
    state.write_text("{not json", encoding="utf-8")
    with pytest.raises(SimulatorError, match="cannot load --state"):
        SimulatorProcess(state=state).start()


def test_simulator_process_reports_why_it_did_not_start():
    with pytest.raises(SimulatorError, match="loopback"):
        SimulatorProcess(extra_args=["--host", "0.0.0.0"]).start()


def test_chunked_request_body_is_read(api):
    def chunks():
        yield b'{"token": {"client_id": 2,'
        yield b' "scopes": ["read"]}}'
    response = api.post("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, data=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 201
    assert api.get("/api/v2/users/me", auth=ADMIN_PASSWORD).status_code == 200


def test_control_api_refuses_a_body_that_is_not_a_json_object(sim):
    for body in (b"{not json", b"[1, 2]"):
        response = sim.session.post(f"{sim.url}/_sim/faults", data=body, timeout=10)
        assert response.status_code == 400


def test_seeded_client_numbers_continue_after_a_deletion(api, sim):
    first, second = sim.seed_clients(2)
    assert api.delete(f"/api/v2/oauth/clients/{first}", auth=ADMIN_PASSWORD).status_code == 204
    third = sim.seed_clients(1)[0]
    shown = api.get(f"/api/v2/oauth/clients/{third}", auth=ADMIN_PASSWORD).json()["client"]
    assert (shown["identifier"], third) == ("seeded_00003", second + 1)


def test_public_url_replaces_the_host_in_urls_and_links():
    with SimulatorProcess(extra_args=["--public-url", "http://127.0.0.1:4010/"]) as process:
        body = Api(process.url).get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params={"page[size]": 1}).json()
        assert body["clients"][0]["url"] == "http://127.0.0.1:4010/api/v2/oauth/clients/1.json"
        assert body["links"]["next"].startswith("http://127.0.0.1:4010/api/v2/oauth/clients?")

"""Fault injection: 429 (with and without Retry-After), 500/503, every K-th, slow responses, dropped connections."""

import time

import pytest
import requests

from zendesk_simulator import seed
from zendesk_simulator.testing import SimulatorError

from conftest import ADMIN_PASSWORD, create_token

CREATE_BODY = {"token": {"client_id": seed.MY_APP_CLIENT_ID, "scopes": ["read"]}}


def statuses(api, count, path="/api/v2/users/me"):
    """Status codes of `count` GETs."""
    return [api.get(path, auth=ADMIN_PASSWORD).status_code for _attempt in range(count)]


def test_429_with_retry_after_is_plain_text_and_not_processed(api, sim):
    sim.fault(method="POST", path="/api/v2/oauth/tokens", status=429, retry_after="7")
    response = api.post("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, json=CREATE_BODY)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.headers["X-Rate-Limit-Remaining"] == "0"
    assert len(sim.state()["tokens"]) == 2
    assert api.post("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, json=CREATE_BODY).status_code == 201


def test_429_without_retry_after(api, sim):
    sim.fault(status=429)
    response = api.get("/api/v2/users/me", auth=ADMIN_PASSWORD)
    assert response.status_code == 429 and "Retry-After" not in response.headers


def test_retry_after_as_http_date(api, sim):
    sim.fault(status=503, retry_after="Wed, 21 Oct 2026 07:28:00 GMT")
    response = api.get("/api/v2/users/me", auth=ADMIN_PASSWORD)
    assert (response.status_code, response.json()) == (503, {"error": "ServiceUnavailable"})
    assert response.headers["Retry-After"] == "Wed, 21 Oct 2026 07:28:00 GMT"


def test_500_then_normal(api, sim):
    sim.fault(status=500, count=2)
    assert statuses(api, 3) == [500, 500, 200]


def test_every_kth_matching_request(api, sim):
    sim.fault(status=503, every=2, count=2)
    assert statuses(api, 6) == [200, 503, 200, 503, 200, 200]


def test_fault_matches_method_and_normalised_path_only(api, sim):
    sim.fault(method="GET", path="/api/v2/oauth/tokens/{id}", status=500)
    assert api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD).status_code == 200
    assert api.delete("/api/v2/oauth/tokens/424242", auth=ADMIN_PASSWORD).status_code == 404
    assert api.get(f"/api/v2/oauth/tokens/{seed.BOOTSTRAP_ADMIN_TOKEN_ID}.json", auth=ADMIN_PASSWORD).status_code == 500
    assert sim.requests()[-1]["status"] == 500


def test_faults_do_not_touch_the_control_api(sim):
    sim.fault(status=500, count=5)
    assert sim.info()["users"][0]["id"] == seed.ADMIN_ID


def test_clear_faults(api, sim):
    sim.fault(status=500, count=5)
    sim.clear_faults()
    assert statuses(api, 1) == [200]


def test_dropped_connection_gets_no_response_and_the_request_is_not_processed(api, sim):
    sim.fault(method="POST", path="/api/v2/oauth/tokens", drop=True)
    with pytest.raises(requests.ConnectionError):
        api.post("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, json=CREATE_BODY)
    assert len(sim.state()["tokens"]) == 2
    assert sim.requests()[-1]["status"] is None
    create_token(api)


def test_slow_response_exceeds_a_short_client_timeout(api, sim):
    sim.fault(delay=1)
    with pytest.raises(requests.ReadTimeout):
        api.get("/api/v2/users/me", auth=ADMIN_PASSWORD, timeout=0.2)
    wait_for_log_entries(sim, 1)


def wait_for_log_entries(sim, count):
    """Wait until the simulator has finished (and logged) `count` requests, so none spills into the next test."""
    deadline = time.monotonic() + 10
    while len(sim.requests()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [entry["status"] for entry in sim.requests()] == [200] * count


def test_delay_combined_with_status(api, sim):
    sim.fault(delay=0.01, status=503)
    assert statuses(api, 2) == [503, 200]


@pytest.mark.parametrize("spec", [{"status": 404}, {}, {"status": 500, "count": 0}, {"status": 500, "every": "2"},
                                  {"delay": -1}, {"status": 500, "colour": "red"}])
def test_invalid_fault_specifications_are_refused(sim, spec):
    with pytest.raises(SimulatorError, match="400"):
        sim.call("POST", "faults", spec)


def test_armed_faults_are_listed(sim):
    sim.fault(status=429, count=3)
    assert [(fault["status"], fault["count"]) for fault in sim.call("GET", "faults")["faults"]] == [(429, 3)]

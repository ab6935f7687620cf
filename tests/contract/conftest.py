"""Fixtures for the contract check: the simulator with Prism (proxy mode, `--errors`) in front of it.

`make contract-check` sets PRISM (the pinned binary) and CONTRACT_SPEC_JSON (Zendesk's file with our
overlay, see build_spec.py and overlay.yaml).
"""

import json
import os
import re
import socket
import subprocess
import tempfile
import time

import pytest
import requests

from zendesk_simulator import seed
from zendesk_simulator.testing import SimulatorProcess

PRISM_START_TIMEOUT = 120
UNDECLARED_STATUS = "Unable to match the returned status code with those defined in the document"


def free_port():
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, log_path):
    """Poll until Prism accepts connections (with `-v warn` it logs no "listening" line)."""
    deadline = time.monotonic() + PRISM_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.25)
    with open(log_path, encoding="utf-8", errors="replace") as stream:
        raise RuntimeError(f"Prism did not start: {stream.read()[-4000:]}")


def violations(response):
    """Prism's `sl-violations` for this exchange (a list; empty when there are none).

    Past about 8 KB the header becomes a non-JSON "Too many violations! …"; the problem+json body
    still lists them all.
    """
    header = response.headers.get("sl-violations")
    if header is None:
        return []
    try:
        return json.loads(header)
    except ValueError:
        return response.json()["validation"]


def summary(found):
    """A short, readable account of violations (distinct messages, list indexes folded)."""
    messages = sorted({re.sub(r"\.\d+\.", ".N.", f"{item.get('severity')}: {item.get('message')}") for item in found})
    return f"{len(found)} violation(s): " + "; ".join(messages[:10])


class Proxy:
    """Send Zendesk API calls through Prism and judge them by its `sl-violations`."""

    def __init__(self, url, sim):
        self.url = url
        self.sim = sim
        self.session = requests.Session()

    def call(self, method, path, auth=None, token=None, **kwargs):
        """One request through Prism; `path` may also be an absolute URL from `links.next` (which leads to Prism)."""
        target = path if path.startswith(self.url) else self.url + path
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.session.request(method, target, auth=auth, headers=headers, timeout=30, **kwargs)

    def clean(self, method, path, status, **kwargs):
        """A call that must succeed with `status` and no violation at all."""
        response = self.call(method, path, **kwargs)
        found = violations(response)
        assert not found, f"{method} {path}: {summary(found)}"
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response

    def error_path(self, method, path, status, **kwargs):
        """A call that must fail with `status`; only "undeclared status" warnings are allowed."""
        response = self.call(method, path, **kwargs)
        unexpected = [item for item in violations(response)
                      if item.get("severity") != "Warning" or not item.get("message", "").startswith(UNDECLARED_STATUS)]
        assert not unexpected, f"{method} {path}: {summary(unexpected)}"
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        assert "problem+json" not in response.headers.get("Content-Type", ""), response.text
        return response


@pytest.fixture(scope="session", name="prism_port")
def prism_port_fixture():
    """Prism's port, chosen first so that the simulator can put Prism's URL into links and `url` fields."""
    return free_port()


@pytest.fixture(scope="session", name="prism_url")
def prism_url_fixture(simulator, prism_port):
    """Start Prism in proxy mode in front of the session's simulator; yield its base URL."""
    port = prism_port
    with tempfile.NamedTemporaryFile(prefix="prism-", suffix=".log", delete=False) as log:
        log_path = log.name
        command = [os.environ["PRISM"], "proxy", os.environ["CONTRACT_SPEC_JSON"], simulator.url,
                   "--errors", "--host", "127.0.0.1", "--port", str(port), "-v", "warn"]
        with subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT) as process:
            try:
                wait_for_port(port, process, log_path)
                yield f"http://127.0.0.1:{port}"
            finally:
                process.terminate()
                process.wait(30)
    os.unlink(log_path)


@pytest.fixture(scope="session", name="simulator")
def simulator_fixture(prism_port):
    """The simulator behind Prism; its links lead back through Prism (clients refuse links to another origin)."""
    with SimulatorProcess(extra_args=["--public-url", f"http://127.0.0.1:{prism_port}"]) as process:
        yield process


@pytest.fixture(name="proxy")
def proxy_fixture(prism_url, simulator):
    """A Prism client; the simulator is reset to its seed first."""
    simulator.control.reset()
    client = Proxy(prism_url, simulator.control)
    yield client
    client.session.close()


ADMIN_PASSWORD = (seed.ADMIN_EMAIL, seed.ADMIN_PASSWORD)
ADMIN_API_TOKEN = (f"{seed.ADMIN_EMAIL}/token", seed.ADMIN_API_TOKEN)

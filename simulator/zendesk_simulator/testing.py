"""Helpers for tests: run the simulator in a subprocess and drive its control API."""

import datetime
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import requests

READY_TIMEOUT = 30


class SimulatorError(RuntimeError):
    """The simulator did not start, or a control call failed."""


def read_ready_file(path):
    """Parse the ZENDESK_* lines of a ready file into a dict."""
    with open(path, encoding="utf-8") as stream:
        return dict(line.rstrip("\n").split("=", 1) for line in stream if "=" in line)


class SimulatorProcess:
    """`python -m zendesk_simulator` in a subprocess on a free port; a context manager.

    Attributes once started: `url`, `ca_path` (None without https), `control` (a SimulatorControl).
    """

    def __init__(self, https=False, state=None, seed_clients=0, extra_args=()):
        self.args = ["--port", "0"] + (["--https"] if https else []) + (["--state", str(state)] if state else [])
        self.args += (["--seed-clients", str(seed_clients)] if seed_clients else []) + list(extra_args)
        self.process = None
        self.workdir = None
        self.url = None
        self.ca_path = None
        self.control = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        """Start the subprocess and wait until it has announced its URL."""
        self.workdir = tempfile.TemporaryDirectory(prefix="zendesk-simulator-test-")
        ready = os.path.join(self.workdir.name, "ready")
        with open(os.path.join(self.workdir.name, "stderr"), "wb") as stderr:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with  # lives until stop()
                [sys.executable, "-m", "zendesk_simulator", "--ready-file", ready] + self.args,
                stdout=subprocess.DEVNULL, stderr=stderr)
        values = self.wait_ready(ready)
        self.url = values["ZENDESK_URL"]
        self.ca_path = values.get("ZENDESK_CA_PATH")
        self.control = SimulatorControl(self.url, self.ca_path)

    def wait_ready(self, ready):
        """Poll for the ready file; fail with the simulator's stderr if it exits or times out."""
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if os.path.exists(ready):
                return read_ready_file(ready)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        stderr = self.stderr()
        self.stop()
        raise SimulatorError(f"the simulator did not start: {stderr}")

    def stderr(self):
        """What the simulator wrote to stderr so far."""
        return pathlib.Path(self.workdir.name, "stderr").read_text(encoding="utf-8", errors="replace")

    def stop(self):
        """Stop the subprocess (SIGTERM, then SIGKILL after 10 s) and clean up."""
        if self.control:
            self.control.close()
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.workdir:
            self.workdir.cleanup()
            self.workdir = None


def timestamp(moment):
    """Accept a datetime or an ISO-8601 string; return the string."""
    if isinstance(moment, datetime.datetime):
        return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment


class SimulatorControl:
    """A thin client for the simulator's `/_sim/` control API."""

    def __init__(self, url, ca_path=None):
        self.url = url.rstrip("/")
        self.ca_path = ca_path
        self.session = requests.Session()

    def close(self):
        """Close the pooled connection."""
        self.session.close()

    def call(self, method, path, body=None):
        """Call a control endpoint; return its JSON (None for 204)."""
        # verify per request: a Session's own verify loses to REQUESTS_CA_BUNDLE from the environment.
        response = self.session.request(method, f"{self.url}/_sim/{path}", json=body, timeout=30, verify=self.ca_path or True)
        if response.status_code >= 400:
            raise SimulatorError(f"{method} /_sim/{path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def info(self):
        """Seed constants (users with passwords and API tokens, bootstrap OAuth tokens, clients)."""
        return self.call("GET", "info")

    def reset(self):
        """Back to the seed; clears log, counters, faults and clock."""
        return self.call("POST", "reset")

    def requests(self):
        """The request log: list of {method, path, query, status, auth, user_id}."""
        return self.call("GET", "requests")["requests"]

    def clear_requests(self):
        """Empty the request log."""
        self.call("DELETE", "requests")

    def counters(self):
        """Counts per "METHOD /normalized/path" plus `connections`."""
        return self.call("GET", "counters")

    def fault(self, method="*", path="*", status=None, retry_after=None, count=1, every=None, delay=None, drop=False):
        """Arm a fault for the next `count` matching requests; return it."""
        spec = {"method": method, "path": path, "status": status, "retry_after": retry_after, "count": count,
                "every": every, "delay": delay, "drop": drop}
        return self.call("POST", "faults", spec)["fault"]

    def clear_faults(self):
        """Disarm every fault."""
        self.call("DELETE", "faults")

    def now(self):
        """The simulated now (ISO-8601 string)."""
        return self.call("GET", "clock")["now"]

    def set_clock(self, now):
        """Freeze the simulated clock at `now` (datetime or ISO-8601 string)."""
        return self.call("POST", "clock", {"now": timestamp(now)})["now"]

    def advance_clock(self, seconds):
        """Move the simulated clock forward."""
        return self.call("POST", "clock", {"advance": seconds})["now"]

    def plant_token(self, user_id, client_id, scopes=("read",), expires_at=None):
        """Create a token directly; returns the token object including `full_token`."""
        body = {"user_id": user_id, "client_id": client_id, "scopes": list(scopes)}
        if expires_at is not None:
            body["expires_at"] = timestamp(expires_at)
        return self.call("POST", "tokens", body)["token"]

    def add_client(self, identifier, kind="confidential", created_at=None, **fields):
        """Create one client (name = identifier unless given), created `created_at` (default now); returns it with its secret."""
        body = {"client": {"name": identifier, "identifier": identifier, "kind": kind, **fields}}
        if created_at is not None:
            body["created_at"] = timestamp(created_at)
        return self.call("POST", "clients", body)["client"]

    def seed_clients(self, count):
        """Add `count` seeded clients; return their ids."""
        return self.call("POST", "clients", {"count": count})["ids"]

    def add_users(self, count, role="agent"):
        """Add `count` users with `role`; return their ids."""
        return self.call("POST", "users", {"count": count, "role": role})["ids"]

    def change_user(self, user_id, **changes):
        """Change `role`, `suspended` or `active` of a user; return the user as the API shows it."""
        return self.call("PATCH", "users", {"id": user_id, **changes})["user"]

    def plant_tokens(self, count, user_ids, client_id, scopes=("read",), expires_at=None, value_prefix=""):
        """Plant `count` tokens spread over `user_ids`; return their ids (no values). `value_prefix` starts every value."""
        body = {"count": count, "user_ids": list(user_ids), "client_id": client_id, "scopes": list(scopes),
                "value_prefix": value_prefix}
        if expires_at is not None:
            body["expires_at"] = timestamp(expires_at)
        return self.call("POST", "tokens/bulk", body)["ids"]

    def plant_global_client_token(self, user_id, global_client_id, scopes=("read",)):
        """Plant a token of a global OAuth client (its id is no local client's); returns it with `full_token`."""
        body = {"user_id": user_id, "global_client_id": global_client_id, "scopes": list(scopes)}
        return self.call("POST", "tokens/global", body)["token"]

    def state(self):
        """Tokens (prefixes, revoked flags), client ids, user ids and the clock."""
        return self.call("GET", "state")

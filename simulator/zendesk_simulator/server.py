"""The HTTP(S) server: keep-alive handler, request log, counters, faults and state persistence."""

import collections
import http.server
import json
import os
import socket
import time
import urllib.parse

from . import api, errors, grant  # noqa: F401  pylint: disable=unused-import  # grant registers POST /oauth/tokens
from .auth import credential_kind
from .control import dispatch_control
from .faults import Faults
from .state import Tenant

RATE_LIMIT = 700
IDLE_TIMEOUT = 120
WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")
JSON_TYPE = "application/json; charset=utf-8"


class Simulator:
    """Everything a running simulator knows: tenant, faults, request log, counters, persistence."""

    def __init__(self, seed_clients=0, state_path=None):
        self.tenant = Tenant(seed_clients)
        self.lock = self.tenant.lock
        self.faults = Faults()
        self.log = []
        self.counters = collections.Counter()
        self.connections = 0
        self.state_path = state_path
        self.base_url = None
        self.public_url = None
        self.ca_path = None
        self.minute = (0, 0)
        if state_path and os.path.exists(state_path):
            self.tenant.load(state_path)

    def reset(self):
        """Back to the seed; forget the log, counters and faults."""
        self.tenant.reset()
        self.faults.clear()
        self.log.clear()
        self.counters.clear()
        self.connections = 0
        self.changed()

    def changed(self):
        """Persist the tenant after a write, if a state file was given."""
        if self.state_path:
            self.tenant.save(self.state_path)

    def rate_limit_remaining(self):
        """Count this request against the current wall-clock minute; return what is left."""
        minute = int(time.time() // 60)
        used = self.minute[1] + 1 if self.minute[0] == minute else 1
        self.minute = (minute, used)
        return max(RATE_LIMIT - used, 0)


class Handler(http.server.BaseHTTPRequestHandler):
    """One keep-alive connection; every method goes through `handle_any`."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT
    server_version = "ZendeskSimulator"

    def do_GET(self):
        """Serve a GET."""
        self.handle_any()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Stay quiet: the request log is in `/_sim/requests`."""

    def date_time_string(self, timestamp=None):
        """The `Date` header from the simulator's clock, as Zendesk's servers send their own time."""
        if timestamp is None:
            timestamp = self.sim.tenant.clock.now().timestamp()
        return super().date_time_string(timestamp)

    @property
    def sim(self):
        """The simulator this server serves."""
        return self.server.sim

    def read_body(self):
        """Read the request body (Content-Length or chunked)."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                chunk = self.rfile.read(size + 2)[:size]
                if not size:
                    return b"".join(chunks)
                chunks.append(chunk)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def make_request(self):
        """Parse the request line, query and body."""
        parts = urllib.parse.urlsplit(self.path)
        host = self.headers.get("Host")
        base_url = self.sim.public_url or (f"{self.server.scheme}://{host}" if host else self.sim.base_url)
        return api.ApiRequest(self.command, parts.path, urllib.parse.parse_qs(parts.query, keep_blank_values=True),
                              self.headers, self.read_body(), base_url)

    def handle_any(self):
        """Route to the control API or the Zendesk API."""
        request = self.make_request()
        if request.path.startswith("/_sim/"):
            with self.sim.lock:
                status, body = dispatch_control(self.sim, request)
            self.respond(status, body)
        else:
            self.handle_api(request)

    def handle_api(self, request):
        """Count, maybe fault, then serve a Zendesk request and log it."""
        normalized = api.normalize_path(request.path)
        with self.sim.lock:
            self.sim.counters[f"{request.method} {normalized}"] += 1
            fault = self.sim.faults.take(request.method, normalized)
        if fault and fault.delay:
            time.sleep(fault.delay)
        if fault and fault.drop:
            self.close_connection = True
            self.log_request_entry(request, None)
            return
        if fault and fault.status:
            self.log_request_entry(request, fault.status)
            self.respond_fault(fault)
            return
        with self.sim.lock:
            status, body, headers = self.run_api(request)
            self.log_request_entry(request, status)
            if request.method in WRITE_METHODS:
                self.sim.changed()
        self.respond(status, body, headers)

    def run_api(self, request):
        """Dispatch to the endpoint; Zendesk errors become their status and body."""
        try:
            status, body = api.dispatch(self.sim.tenant, request)
            return status, body, {}
        except errors.ApiError as exc:
            return exc.status, exc.body, exc.headers

    def log_request_entry(self, request, status):
        """Append to the request log: method, path, query, status, auth kind, user id; never a secret."""
        identity = request.identity
        entry = {
            "method": request.method, "path": request.path, "query": request.query, "status": status,
            "auth": credential_kind(request.headers.get("Authorization")),
            "user_id": identity.user_id if identity else None,
        }
        with self.sim.lock:
            self.sim.log.append(entry)

    def respond_fault(self, fault):
        """Answer an injected 429/500/503 (429 in plain text, as Zendesk sends it)."""
        headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
        if fault.status == 429:
            self.respond(429, "Too Many Requests", headers, content_type="text/plain; charset=utf-8")
        elif fault.status == 503:
            self.respond(503, {"error": "ServiceUnavailable"}, headers)
        else:
            self.respond(500, {"error": "InternalServerError", "description": "Injected failure"}, headers)

    def send_rate_limit_headers(self, status):
        """Zendesk's rate-limit headers (a 429 leaves nothing remaining); the control API does not count."""
        with self.sim.lock:
            remaining = 0 if status == 429 else self.sim.rate_limit_remaining()
        self.send_header("X-Rate-Limit", str(RATE_LIMIT))
        self.send_header("X-Rate-Limit-Remaining", str(remaining))

    def respond(self, status, body, headers=None, content_type=JSON_TYPE):
        """Send a response with keep-alive (or `Connection: close` when the client asked)."""
        payload = b"" if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if not self.path.startswith("/_sim/"):
            self.send_rate_limit_headers(status)
        if status != 204:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
        if self.headers.get("Connection", "").lower() == "close":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)


class SimulatorServer(http.server.ThreadingHTTPServer):
    """A threaded server that counts connections and optionally speaks TLS."""

    daemon_threads = True

    def __init__(self, address, sim, ssl_context=None):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, Handler)
        self.sim = sim
        self.ssl_context = ssl_context
        self.scheme = "https" if ssl_context else "http"

    def process_request(self, request, client_address):
        """Count the accepted connection, then serve it in a thread."""
        with self.sim.lock:
            self.sim.connections += 1
        super().process_request(request, client_address)

    def finish_request(self, request, client_address):
        """TLS handshake in the connection's own thread, then serve it (and close the TLS socket)."""
        if not self.ssl_context:
            super().finish_request(request, client_address)
            return
        try:
            tls_socket = self.ssl_context.wrap_socket(request, server_side=True)
        except OSError:
            return
        try:
            super().finish_request(tls_socket, client_address)
        finally:
            self.shutdown_request(tls_socket)

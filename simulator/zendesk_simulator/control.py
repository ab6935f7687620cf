"""The control API under `/_sim/` (no auth, not Zendesk): inspect, seed, fault and reset the simulator."""

import json

from . import errors, seed
from .api import token_view, client_view, user_view
from .clock import iso, parse_iso
from .faults import FaultError

CONTROL_ROUTES = {}


def control(method, path):
    """Register a control endpoint."""
    def register(handler):
        CONTROL_ROUTES[(method, path)] = handler
        return handler
    return register


class ControlError(Exception):
    """A control request the simulator refuses (400)."""


def body_of(request):
    """The JSON object body of a control request."""
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise ControlError("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ControlError("the body must be a JSON object")
    return data


def dispatch_control(sim, request):
    """Run one control request; return (status, body)."""
    handler = CONTROL_ROUTES.get((request.method, request.path.rstrip("/")))
    if handler is None:
        return 404, {"error": f"no control endpoint {request.method} {request.path}"}
    try:
        return handler(sim, request)
    except (ControlError, FaultError, ValueError, TypeError, KeyError) as exc:
        return 400, {"error": f"{type(exc).__name__}: {exc}"}
    except errors.ApiError as exc:
        return exc.status, exc.body


@control("GET", "/_sim/info")
def info(sim, _request):
    """The seed's constants, secrets included (a test fixture)."""
    users = [
        {"id": user_id, "email": seed.email_of(local), "role": role, "suspended": suspended,
         "password": seed.password_of(local), "api_token": seed.api_token_of(local)}
        for user_id, local, role, suspended in seed.USER_ROWS
    ]
    return 200, {
        "url": sim.base_url, "ca_path": sim.ca_path, "users": users,
        "bootstrap_admin_oauth_token": seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN,
        "bootstrap_admin_token_id": seed.BOOTSTRAP_ADMIN_TOKEN_ID,
        "bootstrap_agent_oauth_token": seed.BOOTSTRAP_AGENT_OAUTH_TOKEN,
        "bootstrap_agent_token_id": seed.BOOTSTRAP_AGENT_TOKEN_ID,
        "clients": [
            {"id": seed.BOOTSTRAP_CLIENT_ID, "name": seed.BOOTSTRAP_CLIENT_NAME, "identifier": seed.BOOTSTRAP_CLIENT_IDENTIFIER},
            {"id": seed.MY_APP_CLIENT_ID, "name": seed.MY_APP_CLIENT_NAME, "identifier": seed.MY_APP_CLIENT_IDENTIFIER},
        ],
        "seed_clients": sim.tenant.seed_client_count,
    }


@control("POST", "/_sim/reset")
def reset(sim, _request):
    """Back to the seed: tenant, request log, counters, faults and clock."""
    sim.reset()
    return 200, {"reset": True}


@control("GET", "/_sim/requests")
def list_requests(sim, _request):
    """The request log (never a secret)."""
    return 200, {"requests": list(sim.log)}


@control("DELETE", "/_sim/requests")
def clear_requests(sim, _request):
    """Empty the request log."""
    sim.log.clear()
    return 204, None


@control("GET", "/_sim/counters")
def counters(sim, _request):
    """Requests per "METHOD /normalized/path", plus TCP connections accepted since the last reset."""
    return 200, {**sim.counters, "connections": sim.connections}


@control("GET", "/_sim/faults")
def list_faults(sim, _request):
    """The faults still armed."""
    return 200, {"faults": [fault.to_dict() for fault in sim.faults.active]}


@control("POST", "/_sim/faults")
def add_fault(sim, request):
    """Arm a fault (see faults.parse_fault)."""
    return 201, {"fault": sim.faults.add(body_of(request)).to_dict()}


@control("DELETE", "/_sim/faults")
def clear_faults(sim, _request):
    """Disarm every fault."""
    sim.faults.clear()
    return 204, None


@control("GET", "/_sim/clock")
def show_clock(sim, _request):
    """The simulated now."""
    return 200, {"now": sim.tenant.now()}


@control("POST", "/_sim/clock")
def set_clock(sim, request):
    """Freeze the clock at `now` (ISO-8601) and/or move it forward by `advance` seconds."""
    data = body_of(request)
    if "now" not in data and "advance" not in data:
        raise ControlError("give now and/or advance")
    if "now" in data:
        sim.tenant.clock.set(parse_iso(data["now"]))
    if "advance" in data:
        sim.tenant.clock.advance(float(data["advance"]))
    sim.changed()
    return 200, {"now": sim.tenant.now()}


@control("POST", "/_sim/tokens")
def plant_token(sim, request):
    """Create a token directly (any user, any client, optional `expires_at`); shows `full_token`."""
    data = body_of(request)
    user_id = int(data["user_id"])
    if user_id not in sim.tenant.users:
        raise ControlError(f"no user {user_id}")
    expires_at = data.get("expires_at")
    if expires_at is not None:
        parse_iso(expires_at)
    token = sim.tenant.create_token(user_id, int(data["client_id"]), list(data.get("scopes", ["read"])), expires_at)
    sim.changed()
    return 201, {"token": token_view(token, sim.base_url, full_token=True)}


@control("POST", "/_sim/clients")
def seed_clients(sim, request):
    """Add `count` seeded clients, or one client from a client body (`user_id` defaults to the admin).

    `created_at` (ISO-8601, default now) backdates the one client: its default token lifetime follows that date.
    """
    data = body_of(request)
    if "count" in data:
        ids = sim.tenant.add_seeded_clients(int(data["count"]))
        sim.changed()
        return 201, {"created": len(ids), "ids": ids}
    created_at = iso(parse_iso(data["created_at"])) if data.get("created_at") is not None else None
    client = sim.tenant.create_client(data.get("client", data), seed.ADMIN_ID, created_at)
    sim.changed()
    return 201, {"client": client_view(client, sim.base_url, full_secret=True)}


@control("POST", "/_sim/users")
def add_users(sim, request):
    """Add `count` users with `role` (default agent); their secrets follow the seed's pattern (see /_sim/info)."""
    data = body_of(request)
    ids = sim.tenant.add_users(int(data["count"]), data.get("role", "agent"))
    sim.changed()
    return 201, {"created": len(ids), "ids": ids}


@control("PATCH", "/_sim/users")
def change_user(sim, request):
    """Suspend, delete (`active: false`), restore or change the role of the user `id`."""
    data = body_of(request)
    user = sim.tenant.update_user(int(data.pop("id")), data)
    sim.changed()
    return 200, {"user": user_view(user, sim.base_url)}


@control("POST", "/_sim/tokens/bulk")
def plant_many_tokens(sim, request):
    """Plant `count` tokens spread over `user_ids` on `client_id` (ids only: nobody needs their values).

    `value_prefix` (optional) starts every value, so their listed 10-character prefixes can be the same.
    """
    data = body_of(request)
    expires_at = data.get("expires_at")
    if expires_at is not None:
        parse_iso(expires_at)
    ids = sim.tenant.plant_tokens(int(data["count"]), [int(user_id) for user_id in data["user_ids"]], int(data["client_id"]),
                                  list(data.get("scopes", ["read"])), expires_at, str(data.get("value_prefix", "")))
    sim.changed()
    return 201, {"created": len(ids), "ids": ids}


@control("POST", "/_sim/tokens/global")
def plant_global_client_token(sim, request):
    """Plant a token of a global OAuth client (`global_client_id`, not a local client); shows `full_token`."""
    data = body_of(request)
    user_id = int(data["user_id"])
    if user_id not in sim.tenant.users:
        raise ControlError(f"no user {user_id}")
    token = sim.tenant.plant_global_client_token(user_id, int(data["global_client_id"]), list(data.get("scopes", ["read"])))
    sim.changed()
    return 201, {"token": token_view(token, sim.base_url, full_token=True)}


@control("GET", "/_sim/state")
def state(sim, _request):
    """Every token (prefix only, revoked flag), client, user and the clock."""
    tenant = sim.tenant
    tokens = [
        {"id": token.id, "token": token.prefix, "client_id": token.client_id, "user_id": token.user_id,
         "scopes": token.scopes, "revoked": token.revoked, "expired": tenant.token_is_expired(token),
         "created_at": token.created_at, "expires_at": token.expires_at, "used_at": token.used_at}
        for token in tenant.tokens.values()
    ]
    return 200, {"now": tenant.now(), "tokens": tokens, "client_ids": list(tenant.clients),
                 "user_ids": list(tenant.users), "users": users_state(tenant)}


def users_state(tenant):
    """Every user's id, role and flags (no secrets)."""
    return [{"id": user.id, "email": user.email, "role": user.role, "suspended": user.suspended, "active": user.active}
            for user in tenant.users.values()]

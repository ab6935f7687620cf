"""The Zendesk Support API endpoints the collection uses: routing, access rules and JSON shapes."""

import dataclasses
import json
import re

from . import errors, seed
from .auth import authenticate
from .pagination import paginate

ROUTES = []


@dataclasses.dataclass
class ApiRequest:
    """One parsed HTTP request as the endpoints see it."""

    method: str
    path: str
    query: dict
    headers: object
    body: bytes
    base_url: str
    identity: object = None
    params: tuple = ()

    def json_object(self, wrapper):
        """Return the object inside `{"<wrapper>": {...}}`, or raise 400."""
        try:
            data = json.loads(self.body or b"null")
        except ValueError:
            raise errors.bad_request("InvalidJSON", "The request body is not valid JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get(wrapper), dict):
            raise errors.bad_request("ParameterMissing", f"param is missing or the value is empty: {wrapper}")
        return data[wrapper]

    def flag(self, name):
        """Whether a boolean query parameter is `true`."""
        return self.query.get(name, [""])[-1].lower() in ("true", "1")


@dataclasses.dataclass
class Route:
    """An endpoint and the access rules Zendesk applies before running it."""

    method: str
    pattern: re.Pattern
    handler: object
    role: str
    resource: str
    anonymous: bool
    introspection: bool


def route(method, path, role="end-user", resource=None, anonymous=False, introspection=False):
    """Register an endpoint; `{id}` in `path` matches a numeric id passed to the handler."""
    pattern = re.compile("^" + path.replace("{id}", r"(\d+)") + "$")

    def register(handler):
        ROUTES.append(Route(method, pattern, handler, role, resource, anonymous, introspection))
        return handler
    return register


def normalize_path(path):
    """Path as counted: `.json` stripped, numeric segments replaced by `{id}`."""
    path = strip_json(path)
    return "/".join("{id}" if segment.isdigit() else segment for segment in path.split("/"))


def strip_json(path):
    """Zendesk accepts every path with or without a `.json` suffix."""
    return path[:-len(".json")] if path.endswith(".json") else path


def find_route(method, path):
    """Return (route, numeric params) for a request, or raise 404 InvalidEndpoint."""
    path = strip_json(path.rstrip("/"))
    for candidate in ROUTES:
        match = candidate.pattern.match(path)
        if match and candidate.method == method:
            return candidate, tuple(int(value) for value in match.groups())
    raise errors.invalid_endpoint()


def dispatch(tenant, request):
    """Authenticate, authorise and run one API request; return (status, body or None)."""
    endpoint, request.params = find_route(request.method, request.path)
    request.identity = authenticate(tenant, request.headers.get("Authorization"))
    check_access(endpoint, request)
    return endpoint.handler(tenant, request)


def check_access(endpoint, request):
    """Apply Zendesk's rules: anonymous callers, Bearer scopes, then roles."""
    identity = request.identity
    if identity.kind == "anonymous":
        if not endpoint.anonymous:
            raise errors.unauthorized()
        return
    if identity.kind == "bearer" and not endpoint.introspection:
        access = "read" if request.method == "GET" else "write"
        if not identity.has_scope(access, endpoint.resource):
            raise errors.missing_scope(access)
    if not identity.has_role(endpoint.role):
        raise errors.forbidden_role()


# --- JSON shapes ------------------------------------------------------------------------


def user_view(user, base_url):
    """A user as `GET /api/v2/users/{id}` shows it."""
    return {
        "id": user.id, "url": f"{base_url}/api/v2/users/{user.id}.json", "name": user.name, "email": user.email,
        "role": user.role, "active": user.active, "suspended": user.suspended, "verified": True, "time_zone": "UTC",
        "locale": "en-US", "created_at": seed.SEED_TIME, "updated_at": seed.SEED_TIME,
    }


def anonymous_user_view():
    """What `GET /api/v2/users/me` shows a caller without credentials."""
    return {"id": None, "url": None, "name": "Anonymous user", "email": "invalid@example.com", "role": "end-user",
            "active": True, "suspended": False, "verified": False, "time_zone": "UTC", "locale": "en-US",
            "created_at": None, "updated_at": None}


def client_view(client, base_url, full_secret=False):
    """An OAuth client; the secret is shown in full only when just created or regenerated."""
    return {
        "id": client.id, "url": f"{base_url}/api/v2/oauth/clients/{client.id}.json", "name": client.name,
        "identifier": client.identifier, "kind": client.kind, "company": client.company, "description": client.description,
        "redirect_uri": list(client.redirect_uri), "user_id": client.user_id, "global": False, "logo_url": None,
        "secret": client.secret if full_secret else client.secret[:10] + "...",
        "created_at": client.created_at, "updated_at": client.updated_at,
    }


def token_view(token, base_url, full_token=False):
    """An OAuth token: `token` is the 10-character prefix; `full_token` only right after creation."""
    view = {
        "id": token.id, "url": f"{base_url}/api/v2/oauth/tokens/{token.id}.json", "token": token.prefix,
        "client_id": token.client_id, "user_id": token.user_id, "scopes": list(token.scopes),
        "created_at": token.created_at, "expires_at": token.expires_at, "used_at": token.used_at,
        "refresh_token": None, "refresh_token_expires_at": None,
    }
    if full_token:
        view["full_token"] = token.value
    return view


# --- users -------------------------------------------------------------------------------


@route("GET", "/api/v2/users/me", resource="users", anonymous=True)
def show_me(_tenant, request):
    """Show the caller (an anonymous placeholder without credentials)."""
    user = request.identity.user
    return 200, {"user": user_view(user, request.base_url) if user else anonymous_user_view()}


SHOW_MANY_LIMIT = 100


def show_many_ids(request):
    """The `ids` of a show_many request as ints: a comma-separated list of 1 to 100 numbers, or 400."""
    text = request.query.get("ids", [""])[-1]
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise errors.bad_request("InvalidParameter", "ids must list at least one user id")
    if not all(part.isdigit() for part in parts):
        raise errors.bad_request("InvalidParameter", "ids must be a comma-separated list of user ids")
    if len(parts) > SHOW_MANY_LIMIT:
        raise errors.bad_request("InvalidParameter", f"ids accepts at most {SHOW_MANY_LIMIT} user ids")
    return [int(part) for part in parts]


@route("GET", "/api/v2/users/show_many", role="agent", resource="users")
def show_many_users(tenant, request):
    """Show up to 100 users by id (agents and admins); deleted (inactive) users only with include_deleted=true."""
    users = tenant.users_by_ids(show_many_ids(request), include_deleted=request.flag("include_deleted"))
    return 200, {"users": [user_view(user, request.base_url) for user in users]}


@route("GET", "/api/v2/users/{id}", role="agent", resource="users")
def show_user(tenant, request):
    """Show a user (agents and admins)."""
    user = tenant.users.get(request.params[0])
    if user is None:
        raise errors.record_not_found()
    return 200, {"user": user_view(user, request.base_url)}


# --- OAuth clients -------------------------------------------------------------------------


@route("GET", "/api/v2/oauth/clients", role="admin")
def list_clients(tenant, request):
    """List every OAuth client, paginated."""
    clients = sorted(tenant.clients.values(), key=lambda client: client.id)
    return 200, paginate(request, clients, "clients", lambda client: client_view(client, request.base_url))


@route("POST", "/api/v2/oauth/clients", role="admin")
def create_client(tenant, request):
    """Create a client; the only response with its secret in full (besides generate_secret)."""
    client = tenant.create_client(request.json_object("client"), request.identity.user_id)
    return 201, {"client": client_view(client, request.base_url, full_secret=True)}


@route("GET", "/api/v2/oauth/clients/{id}", role="admin")
def show_client(tenant, request):
    """Show one client."""
    return 200, {"client": client_view(tenant.client(request.params[0]), request.base_url)}


@route("PUT", "/api/v2/oauth/clients/{id}", role="admin")
def update_client(tenant, request):
    """Update a client's fields."""
    client = tenant.update_client(request.params[0], request.json_object("client"))
    return 200, {"client": client_view(client, request.base_url)}


@route("DELETE", "/api/v2/oauth/clients/{id}", role="admin")
def delete_client(tenant, request):
    """Delete a client (its tokens are revoked)."""
    tenant.delete_client(request.params[0])
    return 204, None


@route("PUT", "/api/v2/oauth/clients/{id}/generate_secret", role="admin")
def generate_secret(tenant, request):
    """Give a client a new secret and show it in full."""
    client = tenant.regenerate_secret(request.params[0])
    return 200, {"client": client_view(client, request.base_url, full_secret=True)}


# --- OAuth tokens --------------------------------------------------------------------------


def client_id_filter(request):
    """The `client_id` query filter as an int (None when absent), or 400."""
    values = request.query.get("client_id")
    if not values:
        return None
    if not values[-1].isdigit():
        raise errors.bad_request("InvalidParameter", "client_id must be an integer")
    return int(values[-1])


@route("GET", "/api/v2/oauth/tokens", role="admin")
def list_tokens(tenant, request):
    """List the caller's tokens (`all=true`: every user's), optionally for one client."""
    everyone = request.flag("all")
    tokens = tenant.listed_tokens(user_id=None if everyone else request.identity.user_id, client_id=client_id_filter(request),
                                  include_expired=everyone and request.flag("include_expired"))
    return 200, paginate(request, tokens, "tokens", lambda token: token_view(token, request.base_url))


def token_fields(fields):
    """Validate a create-token body: a numeric `client_id` and a list of scope strings."""
    client_id, scopes = fields.get("client_id"), fields.get("scopes")
    if client_id is None:
        raise errors.record_invalid("client_id", "BlankValue", "Client: cannot be blank")
    if isinstance(client_id, str) and client_id.isdigit():
        client_id = int(client_id)
    if not isinstance(client_id, int) or isinstance(client_id, bool):
        raise errors.record_invalid("client_id", "InvalidValue", "Client: is invalid")
    if scopes is None:
        raise errors.record_invalid("scopes", "BlankValue", "Scopes: cannot be blank")
    if not isinstance(scopes, list) or not scopes or not all(isinstance(scope, str) for scope in scopes):
        raise errors.record_invalid("scopes", "InvalidValue", "Scopes: must be a non-empty list of strings")
    return client_id, scopes


@route("POST", "/api/v2/oauth/tokens", role="admin")
def create_token(tenant, request):
    """Mint a token for the caller; the response carries `full_token` (the only time it is shown)."""
    client_id, scopes = token_fields(request.json_object("token"))
    token = tenant.create_token(request.identity.user_id, client_id, scopes)
    return 201, {"token": token_view(token, request.base_url, full_token=True)}


def current_token(request):
    """The Bearer token of this very call; Basic-authenticated callers have none (404)."""
    if request.identity.token is None:
        raise errors.record_not_found()
    return request.identity.token


@route("GET", "/api/v2/oauth/tokens/current", introspection=True)
def show_current_token(_tenant, request):
    """Show the token used to make this call."""
    return 200, {"token": token_view(current_token(request), request.base_url)}


@route("DELETE", "/api/v2/oauth/tokens/current", introspection=True)
def revoke_current_token(tenant, request):
    """Revoke the token used to make this call."""
    tenant.revoke_token(current_token(request))
    return 204, None


def own_token(tenant, request):
    """A token the caller may see: its own, or anyone's for an admin; others are 404."""
    token = tenant.visible_token(request.params[0])
    if token.user_id != request.identity.user_id and not request.identity.has_role("admin"):
        raise errors.record_not_found()
    return token


@route("GET", "/api/v2/oauth/tokens/{id}")
def show_token(tenant, request):
    """Show one token (prefix only)."""
    return 200, {"token": token_view(own_token(tenant, request), request.base_url)}


@route("DELETE", "/api/v2/oauth/tokens/{id}")
def revoke_token(tenant, request):
    """Revoke one token; an unknown or already revoked one is 404."""
    tenant.revoke_token(own_token(tenant, request))
    return 204, None

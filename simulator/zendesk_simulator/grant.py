"""`POST /oauth/tokens` with the client credentials grant, and its control endpoints under `/_sim/grants`.

Errors follow the OAuth 2.0 shape Zendesk's OAuth endpoints use (`{"error", "error_description"}`);
the choices where Zendesk's documentation is silent are listed in simulator/README.md.
"""

import base64
import datetime
import json
import secrets

from . import errors
from .api import route
from .clock import UTC, iso, parse_iso
from .control import ControlError, body_of, control

MIN_EXPIRES_IN = 300  # exclusive
MAX_EXPIRES_IN = 172800  # exclusive
# Clients created on or after this day get a 30-minute default lifetime; older ones tokens without expiry.
DEFAULT_EXPIRY_FROM = "2026-04-30T00:00:00Z"
DEFAULT_EXPIRES_IN = 1800
# Scopes of a grant without `scope` from a client with no allowed scopes set (with them: the allowed ones).
DEFAULT_SCOPES = ("read", "write")
# Every grant token is a JWT with this header, so all of them share the 10-character prefix lists show.
JWT_HEADER = {"alg": "HS256", "typ": "at+jwt"}

# Grants issued since the last reset: token objects (compared by identity, so a reset forgets them)
# and the full values, for tests that must search their output for every session token.
ISSUED = []
# Allowed scopes per client id (Admin Center's per-client setting) as (client object, scopes); a client
# not listed allows any scope. Entries of a client object the tenant no longer holds (a reset) are void.
ALLOWED_SCOPES = {}


def oauth_error(status, error, description):
    """An OAuth 2.0 error response."""
    return errors.ApiError(status, {"error": error, "error_description": description})


def invalid_client():
    """Unknown identifier or wrong secret: indistinguishable, as OAuth servers answer."""
    return oauth_error(401, "invalid_client", "Client authentication failed due to unknown client, no client "
                                              "authentication included, or unsupported authentication method.")


def grant_body(request):
    """The JSON object body of a grant request, or 400 invalid_request."""
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        raise oauth_error(400, "invalid_request", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise oauth_error(400, "invalid_request", "The request body must be a JSON object.")
    return data


def authenticated_client(tenant, data):
    """The confidential client whose identifier and secret the body carries."""
    identifier, secret = data.get("client_id"), data.get("client_secret")
    if not isinstance(identifier, str) or not isinstance(secret, str):
        raise invalid_client()
    client_id = tenant.identifiers.get(identifier)
    client = tenant.clients.get(client_id) if client_id is not None else None
    if client is None or not secrets.compare_digest(client.secret, secret):
        raise invalid_client()
    if client.kind != "confidential":
        raise oauth_error(400, "unauthorized_client", "The client is not authorized to perform this request using this method: "
                                                      "client credentials need a confidential client.")
    return client


def allowed_scopes(client):
    """The client's allowed scopes, or None when any scope is allowed."""
    holder, allowed = ALLOWED_SCOPES.get(client.id, (None, None))
    return allowed if holder is client else None


def requested_scopes(client, data):
    """The scopes of the space-separated `scope`, which may only narrow the client's allowed ones.

    Without `scope`: the allowed scopes (read and write for a client without a limit). A scope outside the
    allowed ones is 400 invalid_scope.
    """
    allowed = allowed_scopes(client)
    scope = data.get("scope")
    if scope is None:
        return list(allowed if allowed is not None else DEFAULT_SCOPES)
    if not isinstance(scope, str):
        # The docs: an invalid scope format still issues a token, whose calls then get 403 Forbidden.
        return []
    scopes = scope.split()
    if not scopes or (allowed is not None and not set(scopes) <= set(allowed)):
        raise oauth_error(400, "invalid_scope", "The requested scope is invalid, unknown, or malformed.")
    return scopes


def lifetime(client, data):
    """Seconds the token lives: `expires_in` (300 < n < 172800), else the client's default (None: no expiry)."""
    if "expires_in" not in data or data["expires_in"] is None:
        return DEFAULT_EXPIRES_IN if parse_iso(client.created_at) >= parse_iso(DEFAULT_EXPIRY_FROM) else None
    value = data["expires_in"]
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_EXPIRES_IN < value < MAX_EXPIRES_IN:
        raise oauth_error(400, "invalid_request", "expires_in must be more than 300 seconds and less than 172800 seconds.")
    return value


def base64url(data):
    """Unpadded base64url text, as JWTs encode their parts."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def base64url_json(value):
    """Compact JSON of `value`, base64url-encoded."""
    return base64url(json.dumps(value, separators=(",", ":")).encode())


def jwt_value(claims):
    """A JWT-shaped token: the common header, `claims` and 32 random bytes as signature (nobody verifies it)."""
    return ".".join((base64url_json(JWT_HEADER), base64url_json(claims), base64url(secrets.token_bytes(32))))


def access_token_claims(client, scopes, issued_at, seconds):
    """The JWT claims of a grant token (RFC 9068 names); `exp` only when the token expires."""
    claims = {"sub": str(client.user_id), "client_id": client.identifier, "scope": " ".join(scopes),
              "iat": issued_at, "jti": secrets.token_hex(16)}
    if seconds:
        claims["exp"] = issued_at + seconds
    return claims


@route("POST", "/oauth/tokens", anonymous=True)
def create_grant_token(tenant, request):
    """Exchange a confidential client's credentials for a JWT access token acting as the client's owner."""
    data = grant_body(request)
    if data.get("grant_type") != "client_credentials":
        raise oauth_error(400, "unsupported_grant_type", "The simulator only offers the client_credentials grant.")
    client = authenticated_client(tenant, data)
    scopes = requested_scopes(client, data)
    seconds = lifetime(client, data)
    claims = access_token_claims(client, scopes, int(tenant.clock.now().timestamp()), seconds)
    expires_at = iso(datetime.datetime.fromtimestamp(claims["exp"], UTC)) if seconds else None
    token = tenant.create_token(client.user_id, client.id, scopes, expires_at, jwt_value(claims))
    ISSUED.append(token)
    body = {"access_token": token.value, "token_type": "bearer", "scope": " ".join(scopes)}
    if "expires_in" in data and data["expires_in"] is not None:
        body["expires_in"] = seconds
    return 201, body


def issued(tenant):
    """The grants of the current tenant (a reset or reload forgets earlier ones)."""
    return [token for token in ISSUED if tenant.tokens.get(token.id) is token]


@control("GET", "/_sim/grants")
def list_grants(sim, _request):
    """Every token issued by the grant since the reset, full values included (a test fixture, like /_sim/info)."""
    tenant = sim.tenant
    return 200, {"grants": [
        {"id": token.id, "client_id": token.client_id, "user_id": token.user_id, "scopes": token.scopes,
         "expires_at": token.expires_at, "revoked": token.revoked, "live": tenant.token_is_live(token),
         "full_token": token.value}
        for token in issued(tenant)]}


@control("POST", "/_sim/grants/allowed_scopes")
def set_allowed_scopes(sim, request):
    """`{"client_id": N, "scopes": [...]}` limits what the client may request; `"scopes": null` lifts the limit."""
    data = body_of(request)
    client_id = int(data["client_id"])
    if client_id not in sim.tenant.clients:
        raise ControlError(f"no client {client_id}")
    if data.get("scopes") is None:
        ALLOWED_SCOPES.pop(client_id, None)
        return 200, {"client_id": client_id, "allowed_scopes": None}
    ALLOWED_SCOPES[client_id] = (sim.tenant.clients[client_id], list(data["scopes"]))
    return 200, {"client_id": client_id, "allowed_scopes": list(data["scopes"])}

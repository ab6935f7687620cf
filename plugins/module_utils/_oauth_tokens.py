# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OAuth tokens: scopes, expiry, which held token to keep, and the API calls on tokens."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ansible_collections.obscura.zendesk.plugins.module_utils._http import BearerAuth, ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import OAuthProblem

TOKENS_PATH = "/api/v2/oauth/tokens"
CURRENT_TOKEN_PATH = "/api/v2/oauth/tokens/current"
TOKEN_FIELDS = ("id", "client_id", "user_id", "scopes", "created_at", "expires_at", "used_at", "url")

BROAD_SCOPES = ("read", "write", "impersonate")
# Resources a Tokens API scope can name, with the access each allows (Zendesk's CreateOAuthToken docs).
SCOPE_RESOURCES = {
    "tickets": ("read", "write"),
    "users": ("read", "write"),
    "auditlogs": ("read",),
    "organizations": ("read", "write"),
    "hc": ("read", "write"),
    "apps": ("read", "write"),
    "triggers": ("read", "write"),
    "automations": ("read", "write"),
    "targets": ("read", "write"),
    "webhooks": ("read", "write"),
    "macros": ("read", "write"),
    "requests": ("read", "write"),
    "satisfaction_ratings": ("read", "write"),
    "dynamic_content": ("read", "write"),
    "any_channel": ("write",),
    "web_widget": ("write",),
    "security": ("read",),
    "unrestricted": ("read", "write"),
}


# --- scopes -----------------------------------------------------------------------------------

def scope_problem(scope):
    """Why ``scope`` is not a Zendesk Tokens API scope, or None when it is one."""
    if scope in BROAD_SCOPES:
        return None
    if scope == "chat":
        return ("'chat' is a Zendesk Chat scope: Chat OAuth tokens come from the Chat product (Chat dashboard "
                "or Chat API), not from the Support Tokens API this module uses. Remove it.")
    resource, sep, access = scope.partition(":")
    if not sep:
        if scope in SCOPE_RESOURCES:
            return "'%s' needs an access level: use '%s:read' and/or '%s:write'." % (scope, scope, scope)
        return "'%s' is not a scope; use read, write, impersonate or <resource>:read|write." % scope
    if resource not in SCOPE_RESOURCES:
        return "'%s' names an unknown resource '%s'; known resources: %s." % (scope, resource, ", ".join(sorted(SCOPE_RESOURCES)))
    allowed = SCOPE_RESOURCES[resource]
    if access not in allowed:
        return "'%s' is not allowed: %s can only be scoped %s." % (scope, resource, " or ".join("%s:%s" % (resource, a) for a in allowed))
    return None


def scopes_problems(scopes):
    """Every problem with a list of scopes; empty when Zendesk would accept them."""
    if not scopes:
        return ["scopes must name at least one scope, e.g. [read] or [read, write]."]
    return ["scopes: %s" % p for p in (scope_problem(s) for s in scopes) if p]


def normalize_scopes(scopes):
    """Scopes as a sorted list without duplicates (order and repeats do not matter to Zendesk)."""
    return sorted(set(scopes or []))


def same_scopes(left, right):
    """True when two scope lists grant the same thing."""
    return set(left or []) == set(right or [])


# --- times ------------------------------------------------------------------------------------

def parse_time(value):
    """A timezone-aware datetime from Zendesk's ISO-8601 text; None for None or unreadable text."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def utcnow():
    """Now, timezone-aware (a function so tests can replace it)."""
    return datetime.now(timezone.utc)


def expiry_problem(token, renew_before=0, now=None):
    """'expired' / 'expiring' text when the token is past or within ``renew_before`` seconds of expiry."""
    expires = parse_time(token.get("expires_at"))
    if expires is None:
        return None
    now = now or utcnow()
    if expires <= now:
        return "expired at %s" % token["expires_at"]
    if expires <= now + timedelta(seconds=renew_before or 0):
        return "expires at %s, within renew_before (%s seconds)" % (token["expires_at"], renew_before)
    return None


def token_problem(token, client_id, scopes, renew_before=0, now=None):
    """Why a token does not serve (client, scopes, expiry), or None when it does."""
    if client_id is not None and token.get("client_id") != client_id:
        return "belongs to another OAuth client (id %s, wanted %s)" % (token.get("client_id"), client_id)
    if scopes is not None and not same_scopes(token.get("scopes"), scopes):
        return "has other scopes (%s) than requested (%s)" % (
            ", ".join(normalize_scopes(token.get("scopes"))), ", ".join(normalize_scopes(scopes)))
    return expiry_problem(token, renew_before, now)


def creation_order(token):
    """Sort key putting older tokens first: created_at, then id."""
    created = parse_time(token.get("created_at")) or datetime.min.replace(tzinfo=timezone.utc)
    return created, token.get("id") or 0


def newest(tokens):
    """The most recently created token of a list (by created_at, then id), or None."""
    return max(tokens, key=creation_order) if tokens else None


def choose_held_token(checks, rotate=False):
    """Which of several held tokens to keep: its index in ``checks``, or None to mint a new token.

    ``checks`` holds one dict per distinct held value: ``valid`` (bool) and ``token`` (metadata or None).
    The newest valid token is kept; when none is valid, a token is minted. With ``rotate`` a token is
    minted even when one held token is valid; two or more valid ones mean an unfinished rotation, so
    the newest is kept and no second token is minted.
    """
    valid = [index for index, check in enumerate(checks) if check["valid"]]
    if not valid or (rotate and len(valid) < 2):
        return None
    return max(valid, key=lambda index: creation_order(checks[index]["token"]))


def replaced_token_ids(checks, kept_index=None):
    """Ids of the held tokens Zendesk still knows, other than the kept one (they go once the chosen one is deployed)."""
    return [check["token"]["id"] for index, check in enumerate(checks)
            if check["token"] is not None and index != kept_index]


def public_token(token):
    """A token's metadata without any part of its value."""
    return {field: token.get(field) for field in TOKEN_FIELDS}


# --- API calls --------------------------------------------------------------------------------

def token_of_value(api, value=None):
    """The metadata of the token with this value (``GET /api/v2/oauth/tokens/current`` as that token).

    Without ``value``, of the token api authenticates with. Raises ZendeskError (401: unknown to Zendesk).
    """
    return api.get(CURRENT_TOKEN_PATH, auth=BearerAuth(value) if value else None)["token"]


def session_token_id(api):
    """The id of the run's own client-credentials token (api.granted), read once and remembered; None without one."""
    granted = api.granted
    if granted is None:
        return None
    if granted.id is None:
        granted.id = token_of_value(api)["id"]
    return granted.id


def without_session(api, tokens):
    """``tokens`` without the run's own session token: it belongs to the run, not to any application.

    Costs one request once per run, and only with client-credentials connection options and a token to compare.
    """
    if not tokens or api.granted is None:
        return tokens
    own = session_token_id(api)
    return [token for token in tokens if token.get("id") != own]


def list_tokens(api, params=None, client_id=None):
    """Listed OAuth tokens (every page) other than the run's session token, optionally only of one client."""
    if client_id is not None:
        params = dict(params or {}, client_id=client_id)
    tokens = [t for t in api.paginate(TOKENS_PATH, "tokens", params=params) if client_id is None or t.get("client_id") == client_id]
    return without_session(api, tokens)


def my_tokens(api, client_id=None):
    """The calling user's OAuth tokens (every page), optionally only those of one client; never the run's session."""
    return list_tokens(api, client_id=client_id)


def user_tokens(api, client_id, user_id):
    """The tokens of one user for one client (every user's list, narrowed; admins only); never the run's session."""
    return [t for t in list_tokens(api, {"all": "true"}, client_id) if t.get("user_id") == user_id]


def show_token(api, token_id):
    """A token by id, or None when Zendesk does not know it (revoked or never existed)."""
    return api.get_if_present("%s/%s" % (TOKENS_PATH, int(token_id)), "token")


def inspect_token_value(api, value):
    """(token, problem) for a token value: its metadata via /tokens/current authenticated with it.

    ``token`` is None with ``problem`` set when Zendesk does not accept the value.
    """
    try:
        return token_of_value(api, value), None
    except ZendeskError as err:
        if err.status == 401:
            return None, "unknown to Zendesk: revoked, expired or never issued"
        if err.status == 403:
            return _token_by_prefix(api, value)
        if err.status == 404:
            return None, "unknown to Zendesk: revoked, expired or never issued"
        raise


def _token_by_prefix(api, value):
    """Fallback when the token may not read /tokens/current (narrow scopes): match the caller's list by prefix."""
    for token in api.paginate(TOKENS_PATH, "tokens"):
        prefix = token.get("token") or ""
        if len(prefix) >= 6 and value.startswith(prefix):
            return token, None
    return None, "its scopes do not allow reading /api/v2/oauth/tokens/current and it is not one of the caller's tokens"


def create_token(api, client_id, scopes):
    """Mint a token; return (metadata, value). Revokes and fails if Zendesk hides the value."""
    token = api.request("POST", TOKENS_PATH, json={"token": {"client_id": client_id, "scopes": list(scopes)}}, expect=(200, 201))["token"]
    value = token.get("full_token")
    if not value and len(token.get("token") or "") > 10:
        value = token["token"]
    if not value:
        revoke_token(api, token["id"])
        raise OAuthProblem("Zendesk created token id %s but did not return its value (no token.full_token); "
                           "it was revoked again so nothing is left orphaned." % token.get("id"))
    return token, value


def revoke_token(api, token_id):
    """Revoke a token by id; False when it was already gone."""
    return api.delete_if_present("%s/%s" % (TOKENS_PATH, int(token_id)))


def revoke_token_value(api, value):
    """Revoke exactly the token with this value (DELETE /tokens/current as that token); False when already gone."""
    api.add_secret(value)
    return api.delete_if_present(CURRENT_TOKEN_PATH, auth=BearerAuth(value), gone=(401, 404))


def count_client_tokens(api, client_id):
    """How many live tokens, of every user, the client has (what deleting it revokes); reads every page."""
    return sum(1 for dummy in api.paginate(TOKENS_PATH, "tokens", params={"all": "true", "client_id": int(client_id)}))

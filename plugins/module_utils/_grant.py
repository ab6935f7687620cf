# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OAuth client credentials grant: exchange a confidential client's identifier and secret at
``POST /oauth/tokens`` for a short-lived access token, and revoke that token when the work is done.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from typing import Optional

from ansible_collections.obscura.zendesk.plugins.module_utils._http import NoAuth, ZendeskError

GRANT_PATH = "/oauth/tokens"
# Zendesk accepts expires_in above 300 and below 172,800 seconds.
MIN_EXPIRES_IN = 301
MAX_EXPIRES_IN = 172799
# One module run: ten minutes, twice Zendesk's minimum, covers a run whose requests wait out rate
# limits (retries wait up to two minutes) on a large account; the token is revoked when the run ends.
MODULE_RUN_EXPIRES_IN = 600

# A play's session (zendesk_session, or a module run that keeps its session for the play): an hour.
PLAY_EXPIRES_IN = 3600

GRANT_ADVICE = {
    "invalid_client": (
        "Zendesk knows no OAuth client with this identifier and secret: check oauth_client_identifier "
        "(ZENDESK_OAUTH_CLIENT_IDENTIFIER, the client's Identifier, not its numeric id) and oauth_client_secret "
        "(ZENDESK_OAUTH_CLIENT_SECRET); a secret regenerated in Admin Center replaces the old one."),
    "unauthorized_client": (
        "This OAuth client may not use client credentials: the grant needs a client of kind 'confidential'. "
        "Change the client's kind in Admin Center (Apps and integrations > APIs > OAuth clients) or with "
        "obscura.zendesk.zendesk_oauth_client kind=confidential."),
    "invalid_scope": (
        "The OAuth client may not request these scopes (its allowed scopes are set in Admin Center): "
        "set oauth_client_scopes to scopes the client allows, or allow them on the client."),
    "invalid_request": (
        "Zendesk refused the request's parameters; expires_in must be more than 300 and less than 172,800 seconds."),
    "unsupported_grant_type": "This Zendesk account does not offer the client credentials grant.",
}


@dataclasses.dataclass
class GrantedToken:
    """An access token from client credentials: its value, scopes, lifetime and expiry (UTC, ISO 8601).

    The grant's answer carries no token id: ``id`` stays None until Zendesk is asked (see
    _oauth_tokens.session_token_id).
    """

    token: str
    scopes: list
    expires_in: Optional[int]
    expires_at: Optional[str]
    id: Optional[int] = None


def scope_string(scopes):
    """The grant's ``scope``: the scopes as a space-separated string."""
    return " ".join(scopes)


def expires_in_problems(expires_in, option="expires_in"):
    """A sentence when ``expires_in`` is outside what Zendesk accepts, else an empty list."""
    if expires_in is None or MIN_EXPIRES_IN <= expires_in <= MAX_EXPIRES_IN:
        return []
    return ["%s must be more than 300 and less than 172800 seconds (Zendesk's limits for an access token); got %s."
            % (option, expires_in)]


def grant_body(identifier, secret, scopes, expires_in):
    """The JSON body of the client credentials grant; ``scope`` only when ``scopes`` is given (not None).

    ``expires_in`` is always sent: Zendesk leaves it out of the answer otherwise, and a client created since
    2026-04-30 would issue a 30-minute token.
    """
    body = {"grant_type": "client_credentials", "client_id": identifier, "client_secret": secret, "expires_in": expires_in}
    if scopes is not None:
        body["scope"] = scope_string(scopes)
    return body


def exchange(api, identifier, secret, scopes, expires_in=MODULE_RUN_EXPIRES_IN, now=None):
    """Exchange client credentials for a GrantedToken (one POST, retried only when Zendesk cannot have seen it).

    ``scopes`` None sends no ``scope`` (Zendesk grants the client's default). The request carries no Authorization
    header, whatever api authenticates with. The new token is added to the redaction of api at once. Raises
    ZendeskError when Zendesk refuses.
    """
    api.add_secret(secret)
    body = api.request("POST", GRANT_PATH, json=grant_body(identifier, secret, scopes, expires_in), auth=NoAuth(),
                       expect=(200, 201)) or {}
    token = body.get("access_token")
    if not token:
        raise ZendeskError("POST", GRANT_PATH, description="Zendesk's answer carries no access_token")
    api.add_secret(token)
    lifetime = body.get("expires_in") or expires_in
    now = now or datetime.now(timezone.utc)
    expires_at = (now + timedelta(seconds=lifetime)).strftime("%Y-%m-%dT%H:%M:%SZ")
    granted = body.get("scope") or scope_string(scopes or [])
    return GrantedToken(token, granted.split(), lifetime, expires_at)


def grant_error_message(err, doing="open a Zendesk session with the OAuth client credentials", advice_for=None):
    """A message a user can act on for a refused exchange: what failed, what Zendesk said and what to change.

    ``advice_for`` replaces GRANT_ADVICE entries (whose words are about the connection options).
    """
    advices = dict(GRANT_ADVICE, **(advice_for or {}))
    advice = advices.get(err.error)
    if advice is None and err.status == 401:
        advice = advices["invalid_client"]
    text = "Could not %s. %s." % (doing, err.summary())
    return "%s %s" % (text, advice) if advice else text


def close_warning(err):
    """The warning for a session token that could not be revoked (it still expires on its own); never the token."""
    what = err.summary() if isinstance(err, ZendeskError) else type(err).__name__
    return ("Could not revoke the session token from the OAuth client credentials (%s); it expires on its own "
            "within its expires_in seconds." % what)


def session_result(granted):
    """What a run that opened a session for later tasks returns: ``connection`` (module_defaults for those tasks:
    the token as oauth_token, the client credentials emptied) and ``session`` (the token, its scopes and expiry)."""
    return dict(connection=dict(oauth_token=granted.token, oauth_client_identifier="", oauth_client_secret=""),
                session=dict(full_token=granted.token, scopes=granted.scopes, expires_in=granted.expires_in,
                             expires_at=granted.expires_at))

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OAuth token inventory: which tokens exist, whose they are, and what will break or has leaked.

Reads only: the token list (or one token), the owners in batches of up to 100 with
``GET /api/v2/users/show_many``, and the OAuth clients only as far as needed to tell whether each
token's client still exists. Never returns any part of a token value.
"""

from __future__ import annotations

from datetime import timedelta

from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import (
    CLIENTS_PATH,
    OAuthProblem,
    find_clients,
    resolve_client,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import (
    TOKENS_PATH,
    inspect_token_value,
    parse_time,
    public_token,
    show_token,
    utcnow,
    without_session,
)

PROBLEMS = ("expired", "expiring", "no_expiry", "unused", "owner_suspended", "owner_inactive", "owner_not_admin", "client_missing")
OWNER_FIELDS = ("id", "name", "email", "role", "active", "suspended")
PREFIX_LENGTH = 10  # the characters of a token Zendesk lists
USERS_BATCH = 100  # the most ids users/show_many takes
SHOW_MANY_PATH = "/api/v2/users/show_many"
ME_PATH = "/api/v2/users/me"
# Scopes that reach endpoints only an admin may call (OAuth clients and tokens, audit logs, targets, impersonation):
# a token with one of them stops doing that work when its owner is not an admin.
ADMIN_SCOPES = frozenset(("read", "write", "impersonate", "auditlogs:read", "targets:write",
                          "unrestricted:read", "unrestricted:write"))


def inventory_problems(params):
    """Problems with the inventory's own options (besides the client selector), found before any request."""
    problems = []
    value = (params.get("token") or "").strip()
    if params.get("token") is not None and len(value) < PREFIX_LENGTH:
        problems.append("token must be the leaked value, or at least its first %d characters (what Zendesk lists of "
                        "each token); a shorter prefix would match unrelated tokens." % PREFIX_LENGTH)
    if params.get("token") is not None and params.get("token_id") is not None:
        problems.append("Set only one of token and token_id: each names the token to find.")
    if params.get("token_id") is not None and params["token_id"] <= 0:
        problems.append("token_id must be a positive token id.")
    for name in ("expiring_within", "unused_for_days"):
        if params.get(name) is not None and params[name] < 0:
            problems.append("%s must be 0 (off) or more." % name)
    return problems


def forbidden_message(all_users, err):
    """The message for Zendesk's 403 on the token list: who may list tokens, and what to do."""
    if all_users:
        what = ("all_users: true lists every user's OAuth tokens, which needs a Zendesk admin: Zendesk refused it for "
                "these credentials (%s)." % err.summary())
    else:
        what = "Zendesk lists OAuth tokens to admins only and refused it for these credentials (%s)." % err.summary()
    return what + (" Authenticate as a Zendesk admin (an admin's OAuth token needs the read scope).")


# --- problems of one token --------------------------------------------------------------------

def expiry_state(token, expiring_within, now):
    """'expired', 'expiring' (within ``expiring_within`` seconds) or None."""
    expires = parse_time(token.get("expires_at"))
    if expires is None:
        return None
    if expires <= now:
        return "expired"
    if expiring_within and expires <= now + timedelta(seconds=expiring_within):
        return "expiring"
    return None


def has_no_expiry(token):
    """A token without ``expires_at``: it lives until revoked, and breaks when Zendesk enforces expiry (2027-04-01)."""
    return not token.get("expires_at")


def is_unused(token, unused_for_days, now):
    """Not used for ``unused_for_days`` days; a never used token counts from its creation. 0 turns it off."""
    if not unused_for_days:
        return False
    last = parse_time(token.get("used_at")) or parse_time(token.get("created_at"))
    return last is None or last <= now - timedelta(days=unused_for_days)


def needs_admin(token):
    """Whether the token's scopes reach admin-only endpoints (see ADMIN_SCOPES)."""
    return bool(ADMIN_SCOPES.intersection(token.get("scopes") or []))


def owner_problems(owner, token):
    """The owner's problems for this token."""
    problems = []
    if owner.get("suspended"):
        problems.append("owner_suspended")
    if owner.get("active") is False:
        problems.append("owner_inactive")
    if owner.get("role") not in (None, "admin") and needs_admin(token):
        problems.append("owner_not_admin")
    return problems


def token_problems(token, owner, client_exists, options, now):
    """Every problem name of one token, in PROBLEMS order."""
    found = [expiry_state(token, options["expiring_within"], now)]
    found.append("no_expiry" if has_no_expiry(token) else None)
    found.append("unused" if is_unused(token, options["unused_for_days"], now) else None)
    found.extend(owner_problems(owner, token))
    found.append(None if client_exists else "client_missing")
    return [name for name in PROBLEMS if name in found]


def summarize(entries):
    """``{total, <problem>: count}`` with every problem name present."""
    summary = {"total": len(entries)}
    summary.update({name: sum(1 for entry in entries if name in entry["problems"]) for name in PROBLEMS})
    return summary


# --- reads ------------------------------------------------------------------------------------

def owner_view(user, user_id):
    """The owner fields of a user; a user Zendesk does not return (permanently deleted) counts as inactive."""
    if user is None:
        return dict({field: None for field in OWNER_FIELDS}, id=user_id, active=False)
    return {field: user.get(field) for field in OWNER_FIELDS}


def fetch_users(api, user_ids, known=None):
    """Users by id: ``known`` ones plus the rest with users/show_many, up to 100 ids per request."""
    users = dict(known or {})
    missing = sorted(set(user_ids) - set(users))
    for start in range(0, len(missing), USERS_BATCH):
        batch = missing[start:start + USERS_BATCH]
        page = api.get(SHOW_MANY_PATH, params={"ids": ",".join(str(i) for i in batch), "include_deleted": "true"}) or {}
        users.update({user["id"]: user for user in page.get("users") or []})
    return users


def existing_client_ids(api, client_ids):
    """Which of ``client_ids`` are OAuth clients of the account; reads client pages only until all are seen."""
    wanted, seen = set(client_ids), set()
    if not wanted:
        return seen
    for client in api.paginate(CLIENTS_PATH, "clients"):
        if client.get("id") in wanted:
            seen.add(client["id"])
            if seen == wanted:
                break
    return seen


class Inventory:
    """One inventory read: select the tokens, fetch their owners and clients, name their problems."""

    def __init__(self, api, params):
        self.api = api
        self.params = params
        self.value = (params.get("token") or "").strip() or None
        if self.value:
            api.add_secret(self.value)
        self.client_id = params.get("client_id")
        self.client_known = False  # True once the selected client is known to exist
        self.caller = None
        self.matched_by = None
        self.used_at_before_lookup = None

    def run(self, now=None):
        """Return (tokens, summary): the selected tokens with owner and problems, and the counts."""
        self.resolve_selector()
        candidates = self.candidates()
        now = now or self.api.server_now() or utcnow()  # expiry by Zendesk's clock, read with the candidates
        tokens = without_session(self.api, [t for t in candidates if self.keep(t, now)])
        users = fetch_users(self.api, {t.get("user_id") for t in tokens}, self.known_users())
        clients = self.client_ids_present({t.get("client_id") for t in tokens})
        options = {name: self.params.get(name) or 0 for name in ("expiring_within", "unused_for_days")}
        entries = []
        for token in tokens:
            owner = owner_view(users.get(token.get("user_id")), token.get("user_id"))
            entry = dict(public_token(token), owner=owner)
            entry["problems"] = token_problems(token, owner, token.get("client_id") in clients, options, now)
            entries.append(entry)
        return entries, summarize(entries)

    def resolve_selector(self):
        """Turn client_identifier/client_name into a client id (one lookup, which also proves the client exists)."""
        identifier, name = self.params.get("client_identifier"), self.params.get("client_name")
        if identifier is not None or name is not None:
            self.client_id = resolve_client(self.api, None, identifier, name)["id"]
            self.client_known = True

    def candidates(self):
        """The tokens the options name, before the expiry and client filters."""
        if self.params.get("token_id") is not None:
            token = show_token(self.api, self.params["token_id"])
            return [token] if token else []
        if not self.value:
            return self.listed()
        by_prefix = [t for t in self.listed() if (t.get("token") or "")[:PREFIX_LENGTH] == self.value[:PREFIX_LENGTH]]
        if len(self.value) > PREFIX_LENGTH:
            token, dummy = inspect_token_value(self.api, self.value)
            if token is not None:
                self.matched_by = "value"
                return [self.as_listed_before(token, by_prefix)]
        self.matched_by = "prefix"
        return by_prefix

    def as_listed_before(self, token, listed):
        """The confirmed token with its last use as Zendesk listed it before the lookup (which is itself a use).

        ``used_at_before_lookup`` is False when the list did not show the token (another user's, without all_users).
        """
        before = next((t for t in listed if t.get("id") == token.get("id")), None)
        self.used_at_before_lookup = before is not None
        return dict(token, used_at=before.get("used_at")) if before else token

    def listed(self):
        """The token list: the caller's, or every user's with all_users; expired ones too with include_expired.

        Zendesk returns expired tokens only with ``all=true&include_expired=true``; for the caller's own
        expired tokens the list is read that way and narrowed to the caller (found with one users/me read).
        """
        everyone = bool(self.params.get("all_users"))
        include_expired = bool(self.params.get("include_expired"))
        query = {}
        if everyone or include_expired:
            query["all"] = "true"
        if include_expired:
            query["include_expired"] = "true"
        if self.client_id is not None:
            query["client_id"] = self.client_id
        if include_expired and not everyone:
            self.caller = self.api.get(ME_PATH)["user"]
        try:
            tokens = list(self.api.paginate(TOKENS_PATH, "tokens", params=query))
        except ZendeskError as err:
            if err.status == 403:
                raise OAuthProblem(forbidden_message(everyone, err)) from None
            raise
        if self.caller is not None:
            tokens = [t for t in tokens if t.get("user_id") == self.caller.get("id")]
        return tokens

    def keep(self, token, now):
        """Whether a candidate passes the client and expiry filters."""
        if self.client_id is not None and token.get("client_id") != self.client_id:
            return False
        return bool(self.params.get("include_expired")) or expiry_state(token, 0, now) != "expired"

    def known_users(self):
        """Users already read this run (the caller, when users/me was read)."""
        return {self.caller["id"]: self.caller} if self.caller else {}

    def client_ids_present(self, client_ids):
        """Which of the tokens' client ids exist: free for a client resolved by identifier or name,
        one direct read for client_id, else client pages until every id is seen."""
        client_ids = {i for i in client_ids if i is not None}
        if not client_ids:
            return set()
        if self.client_known:
            return {self.client_id}
        if self.client_id is not None:
            return {self.client_id} if find_clients(self.api, client_id=self.client_id) else set()
        return existing_client_ids(self.api, client_ids)

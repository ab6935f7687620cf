# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OAuth clients as code: which fields differ, create, update, regenerate the secret, delete, and the diff."""

from __future__ import annotations

from ansible_collections.obscura.zendesk.plugins.module_utils.client import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils.oauth import (
    CLIENTS_PATH,
    TOKENS_PATH,
    OAuthProblem,
    find_clients,
    public_client,
)

# The fields a playbook manages, in the order the diff shows them. ``identifier`` selects the client.
MANAGED_FIELDS = ("name", "kind", "redirect_uri", "description", "company")
TEXT_FIELDS = ("name", "description", "company")
SECRET_PLACEHOLDER_BEFORE = "<previous secret>"
SECRET_PLACEHOLDER_AFTER = "<new secret, returned once in client.secret>"


def wanted_fields(params):
    """The managed fields the task sets (an option left unset is not managed)."""
    return {name: params[name] for name in MANAGED_FIELDS if params.get(name) is not None}


def field_differs(name, current, wanted):
    """Whether Zendesk's ``current`` value differs from the ``wanted`` one.

    Text fields: null and "" are the same. ``redirect_uri``: order and repeats do not matter (Zendesk
    accepts a redirect to any URL of the list), so only the set of URLs is compared.
    """
    if name == "redirect_uri":
        return set(current or []) != set(wanted or [])
    if name in TEXT_FIELDS:
        return (current or "") != (wanted or "")
    return current != wanted


def changed_fields(client, wanted):
    """The subset of ``wanted`` that differs from the client: exactly what one PUT must send."""
    return {name: value for name, value in wanted.items() if field_differs(name, client.get(name), value)}


def diff_view(client):
    """A client as the diff shows it: identifier and the managed fields, never a secret."""
    if not client:
        return {}
    view = {"identifier": client.get("identifier")}
    view.update({name: client.get(name) for name in MANAGED_FIELDS})
    return view


def field_problems(params):
    """Problems with the client options, found before any request."""
    problems = []
    if not (params.get("identifier") or "").strip():
        problems.append("identifier must not be empty: it is the client's unique key in Zendesk (e.g. my_app).")
    if params.get("name") is not None and not params["name"].strip():
        problems.append("name must not be empty.")
    if any(not (uri or "").strip() for uri in params.get("redirect_uri") or []):
        problems.append("redirect_uri must list URLs; remove the empty entries.")
    if params.get("state") == "absent":
        for name in ("regenerate_secret", "dest"):
            if params.get(name):
                problems.append("%s is only used with state=present; remove it." % name)
    return problems


def find_client(api, identifier):
    """The client with this identifier, or None (reads client pages until it is found)."""
    matches = find_clients(api, identifier=identifier)
    return matches[0] if matches else None


def full_secret(client):
    """The client's secret when Zendesk returned it in full (on create or regenerate), else None."""
    secret = client.get("secret") or ""
    return None if not secret or secret.endswith("...") else secret


def create_client(api, identifier, fields):
    """Create a client; return (client, secret). The secret is None when Zendesk did not return it in full."""
    body = {"client": dict(fields, identifier=identifier)}
    client = api.request("POST", CLIENTS_PATH, json=body, expect=(200, 201))["client"]
    return client, full_secret(client)


def update_client(api, client_id, changes):
    """Send one PUT with exactly ``changes``; return the updated client."""
    return api.request("PUT", "%s/%s" % (CLIENTS_PATH, int(client_id)), json={"client": changes}, expect=(200,))["client"]


def regenerate_secret(api, client_id):
    """Give the client a new secret; return (client, secret)."""
    client = api.request("PUT", "%s/%s/generate_secret" % (CLIENTS_PATH, int(client_id)), expect=(200,))["client"]
    return client, full_secret(client)


def delete_client(api, client_id):
    """Delete a client (Zendesk revokes its tokens); False when it was already gone."""
    try:
        api.request("DELETE", "%s/%s" % (CLIENTS_PATH, int(client_id)), expect=(200, 204))
    except ZendeskError as err:
        if err.status == 404:
            return False
        raise
    return True


def count_client_tokens(api, client_id):
    """How many live tokens, of every user, the client has (what deleting it revokes); reads every page."""
    return sum(1 for dummy in api.paginate(TOKENS_PATH, "tokens", params={"all": "true", "client_id": int(client_id)}))


def planned_client(client, changes):
    """The client as it will be after ``changes`` (for check mode), public fields only."""
    planned = public_client(client)
    planned.update(changes)
    return planned


def missing_secret_problem(client, action):
    """The error for a create or regenerate whose response lacks the secret in full."""
    return OAuthProblem("Zendesk %s OAuth client %r (id %s) but did not return its secret in full, so it cannot be "
                        "delivered. Run again with regenerate_secret: true to get a new one." % (action, client.get("identifier"), client.get("id")))


def undelivered_secret_message(client, action, dest, err):
    """What happened when the secret could not be written to dest, and what to do."""
    return ("OAuth client %r (id %s) %s in Zendesk, but its secret could not be written to dest (%s): %s. The secret was "
            "not delivered anywhere and Zendesk never shows it again; no application holds it yet. Fix the path or its "
            "permissions, then run again with regenerate_secret: true and dest to get a new secret."
            % (client.get("identifier"), client.get("id"), action, dest, err.strerror or err))

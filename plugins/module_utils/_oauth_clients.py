# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OAuth clients: finding the one a task selects, and clients as code (fields that differ, create, update,
regenerate the secret, delete, the diff)."""

from __future__ import annotations


CLIENTS_PATH = "/api/v2/oauth/clients"
CLIENT_FIELDS = ("id", "name", "identifier", "kind", "company", "description", "redirect_uri",
                 "user_id", "global", "created_at", "updated_at", "url")
# The fields a playbook manages, in the order the diff shows them. ``identifier`` selects the client.
MANAGED_FIELDS = ("name", "kind", "redirect_uri", "description", "company")
TEXT_FIELDS = ("name", "description", "company")
SECRET_PLACEHOLDER_BEFORE = "<previous secret>"
SECRET_PLACEHOLDER_AFTER = "<new secret, returned once in client.secret>"


class OAuthProblem(Exception):
    """A lookup or input problem worth a plain message (not an HTTP failure)."""


# --- finding the client a task selects ---------------------------------------------------------

CLIENT_SELECTORS = ("client_id", "client_identifier", "client_name")


def client_selector_problems(params):
    """Problems with the optional client selector (client_id | client_identifier | client_name), before any request."""
    problems = []
    given = [name for name in CLIENT_SELECTORS if params.get(name) is not None]
    if len(given) > 1:
        problems.append("Set only one of client_id, client_identifier and client_name (got %s): each selects the "
                        "OAuth client on its own; client_id is the cheapest." % ", ".join(given))
    if params.get("client_id") is not None and params["client_id"] <= 0:
        problems.append("client_id must be a positive OAuth client id; find it with obscura.zendesk.zendesk_oauth_client_info.")
    for name in ("client_name", "client_identifier"):
        if params.get(name) is not None and not params[name].strip():
            problems.append("%s must not be empty." % name)
    return problems


def public_client(client):
    """A client without its secret: the documented return fields only."""
    return {field: client.get(field) for field in CLIENT_FIELDS}


def find_clients(api, client_id=None, identifier=None, name=None):
    """OAuth clients matching every given filter; reads only as many pages as the filters need."""
    if client_id is not None:
        client = api.get_if_present("%s/%s" % (CLIENTS_PATH, int(client_id)), "client")
        found = [client] if client else []
    else:
        found = _scan_clients(api, identifier, name)
    return [c for c in found if _client_matches(c, identifier, name)]


def _scan_clients(api, identifier, name):
    """Clients matching the filters, reading pages until the one with ``identifier`` (unique) is seen."""
    matches = []
    for candidate in api.paginate(CLIENTS_PATH, "clients"):
        if _client_matches(candidate, identifier, name):
            matches.append(candidate)
        if identifier is not None and candidate.get("identifier") == identifier:
            break
    return matches


def _client_matches(client, identifier, name):
    return (identifier is None or client.get("identifier") == identifier) and (name is None or client.get("name") == name)


def describe_selector(client_id=None, identifier=None, name=None):
    """How the user named the client, for messages."""
    if client_id is not None:
        return "client_id=%s" % client_id
    if identifier is not None:
        return "client_identifier=%r" % identifier
    return "client_name=%r" % name


def no_client_problem(selector):
    """The failure for a selector that names no OAuth client."""
    return OAuthProblem("No OAuth client matches %s. Check the value, or list the clients with "
                        "obscura.zendesk.zendesk_oauth_client_info." % selector)


def resolve_client(api, client_id=None, identifier=None, name=None):
    """The one OAuth client the selector names; OAuthProblem when none or several match."""
    matches = find_clients(api, client_id, identifier, name)
    selector = describe_selector(client_id, identifier, name)
    if not matches:
        raise no_client_problem(selector)
    if len(matches) > 1:
        candidates = ", ".join("id %s (identifier %r)" % (c.get("id"), c.get("identifier")) for c in matches)
        raise OAuthProblem("%s is ambiguous: %d OAuth clients have that name: %s. Select one with client_id "
                           "or client_identifier." % (selector, len(matches), candidates))
    return matches[0]


# --- clients as code ---------------------------------------------------------------------------

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
    return api.delete_if_present("%s/%s" % (CLIENTS_PATH, int(client_id)))


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

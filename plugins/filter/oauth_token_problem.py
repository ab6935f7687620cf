# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filter oauth_token_problem: why the role obscura.zendesk.oauth_token cannot serve the hosts of a play ('' if it can)."""

from __future__ import annotations

import json
import os

from ansible_collections.obscura.zendesk.plugins.module_utils._grant import MAX_EXPIRES_IN, MIN_EXPIRES_IN
from ansible_collections.obscura.zendesk.plugins.plugin_utils.role_arguments import arguments_problems, role_options

SELECTORS = ("oauth_token_client_id", "oauth_token_client_identifier", "oauth_token_client_name")
# The deliveries that put the client's credentials on the hosts, the formats they write, and the refresher's limits.
CREDENTIAL_DELIVERIES = ("client_credentials", "refresher")
CREDENTIAL_FORMATS = ("env", "json", "yaml", "ini")
# A refresher's schedule runs at least twice within its renewal window of at least 6 minutes (refresher-schedule.j2).
REFRESHER_MIN_RENEW_BEFORE = 360
IDENTIFIER_VARIABLE = "ZENDESK_OAUTH_CLIENT_IDENTIFIER"
SECRET_VARIABLE = "ZENDESK_OAUTH_CLIENT_SECRET"


def fleet_of(host_vars):
    """A host's client and scopes as its inventory sets them: [client_id, client_identifier, client_name, scopes]."""
    return [host_vars.get(name) or "" for name in SELECTORS] + [sorted(host_vars.get("oauth_token_scopes") or [])]


def fleet_problem(hostvars, hosts, settings):
    """One play serves one OAuth client and one set of scopes: exactly one selector, the same on every host."""
    chosen = [name for name in SELECTORS if settings.get(name) not in (None, "")]
    fleets = {host: fleet_of(hostvars[host]) for host in hosts}
    if len(chosen) == 1 and len({json.dumps(fleet) for fleet in fleets.values()}) <= 1:
        return None
    return ("Set exactly one of oauth_token_client_id, oauth_token_client_identifier and oauth_token_client_name (set "
            "here: %d), the same for every host of the play, and the same oauth_token_scopes. Each host's client and "
            "scopes from the inventory ([client_id, client_identifier, client_name, scopes]): %s. One play serves one "
            "OAuth client and scopes with one token; the file, format, key, owner, group and mode may differ per host. "
            "Run one play per client or set of scopes." % (len(chosen), json.dumps(fleets, sort_keys=True)))


def lifetime_problem(settings):
    """The lifetime of the tokens the role or a refresher mints, as Zendesk accepts it."""
    lifetime = int(settings["oauth_token_lifetime"])
    if MIN_EXPIRES_IN <= lifetime <= MAX_EXPIRES_IN:
        return None
    return "oauth_token_lifetime must be %d to %d seconds, as Zendesk accepts (got %d)." % (MIN_EXPIRES_IN, MAX_EXPIRES_IN, lifetime)


def identifiers_problem(hostvars, hosts, settings):
    """Deliveries with client credentials: one or two client identifiers, no client selector, the same on every host."""
    delivery = settings["oauth_token_delivery"]
    identifiers = settings.get("oauth_token_client_identifiers") or []
    selectors = [name for name in SELECTORS if settings.get(name) not in (None, "")]
    differing = {host: hostvars[host]["oauth_token_client_identifiers"] for host in hosts
                 if list(hostvars[host].get("oauth_token_client_identifiers", identifiers)) != list(identifiers)}
    if selectors:
        return ("oauth_token_delivery=%s selects its clients with oauth_token_client_identifiers only: unset %s."
                % (delivery, ", ".join(selectors)))
    if not 1 <= len(identifiers) <= 2 or not all(isinstance(item, str) and item for item in identifiers):
        return ("oauth_token_delivery=%s needs oauth_token_client_identifiers: a list of one or two identifiers of "
                "confidential OAuth clients (two take turns, so that a secret is rotated without downtime); got %s."
                % (delivery, json.dumps(identifiers)))
    if differing:
        return ("oauth_token_client_identifiers must be the same for every host of the play (%s); these hosts' "
                "inventory differs: %s. Run one play per pair of clients." % (json.dumps(identifiers), json.dumps(differing, sort_keys=True)))
    if settings.get("oauth_token_client_secret") and len(identifiers) != 1:
        return ("oauth_token_client_secret is deployed as it is, for one client: give exactly one identifier in "
                "oauth_token_client_identifiers, or leave the secret unset to let the role rotate two clients' secrets.")
    return None


def format_problem(hostvars, hosts, settings):
    """Client credentials go into an env, JSON, YAML or ini file (several keys), and a refresher writes only those."""
    formats = {host: hostvars[host].get("oauth_token_format", settings["oauth_token_format"]) for host in hosts}
    wrong = {host: fmt for host, fmt in formats.items() if fmt not in CREDENTIAL_FORMATS}
    if not wrong:
        return None
    why = {"client_credentials": "writes the identifier and the secret at two keys",
           "refresher": "installs a refresher that writes these formats only"}[settings["oauth_token_delivery"]]
    return ("oauth_token_delivery=%s %s, so oauth_token_format must be one of %s; these hosts have another: %s."
            % (settings["oauth_token_delivery"], why, ", ".join(CREDENTIAL_FORMATS), json.dumps(wrong, sort_keys=True)))


def refresher_problem(settings):
    """A refresher needs a renewal window its schedule can hit twice, and removal is only a refresher's."""
    if settings["oauth_token_state"] != "present" and settings["oauth_token_delivery"] != "refresher":
        return ("oauth_token_state=absent removes a refresher (oauth_token_delivery=refresher); the %s delivery has "
                "nothing to remove: delete the keys from the file instead." % settings["oauth_token_delivery"])
    if settings["oauth_token_delivery"] != "refresher":
        return None
    renew_before, lifetime = int(settings["oauth_token_renew_before"]), int(settings["oauth_token_lifetime"])
    if not REFRESHER_MIN_RENEW_BEFORE <= renew_before < lifetime:
        return ("With oauth_token_delivery=refresher, oauth_token_renew_before (%d) must be at least %d seconds (the "
                "timer runs at least twice within it) and less than oauth_token_lifetime (%d). Leave it unset for one "
                "third of the lifetime." % (renew_before, REFRESHER_MIN_RENEW_BEFORE, lifetime))
    return None


def delivery_problems(hostvars, hosts, settings):
    """The checks of the delivery: one fleet with one client (token), or the client credentials' slots."""
    if settings["oauth_token_delivery"] == "token":
        return [fleet_problem(hostvars, hosts, settings)] + source_problems(settings) + [refresher_problem(settings)]
    return [identifiers_problem(hostvars, hosts, settings), format_problem(hostvars, hosts, settings),
            lifetime_problem(settings) or refresher_problem(settings)]


def source_problems(settings):
    """The secret, the lifetime and the renewal window of a token the role mints with client credentials."""
    renew_before = int(settings["oauth_token_renew_before"])
    if renew_before < 0:
        return ["oauth_token_renew_before must be 0 or a positive number of seconds (got %d)." % renew_before]
    if settings["oauth_token_source"] != "client_credentials":
        return []
    if not settings.get("oauth_token_client_secret"):
        return ["oauth_token_source=client_credentials mints with the fleet's client's own credentials: set "
                "oauth_token_client_secret (no_log, from Ansible Vault) to that client's secret."]
    lifetime = int(settings["oauth_token_lifetime"])
    if lifetime_problem(settings):
        return [lifetime_problem(settings)]
    if renew_before >= lifetime:
        return ["oauth_token_renew_before (%d) must be less than oauth_token_lifetime (%d): otherwise every run "
                "replaces the token it just deployed. Leave it unset for one third of the lifetime." % (renew_before, lifetime)]
    return []


def connection_identifier(api, environ):
    """The identifier of the OAuth client whose credentials the connection uses, or '' without client credentials."""
    secret = api.get("oauth_client_secret") or environ.get(SECRET_VARIABLE)
    return (api.get("oauth_client_identifier") or environ.get(IDENTIFIER_VARIABLE) or "") if secret else ""


def exclusive_problem(settings, environ):
    """An exclusive client must not be the connection's own client: its session would look like an orphan."""
    own = connection_identifier(settings.get("oauth_token_api") or {}, environ)
    if not settings.get("oauth_token_exclusive_client") or not own:
        return None
    wanted = settings.get("oauth_token_client_identifier")
    if wanted == own:
        return ("oauth_token_exclusive_client revokes every other token of the client %r, and the connection "
                "authenticates with that client's own credentials: the sessions of other runs would look like orphans. "
                "Connect with another client's credentials (an automation client) or an OAuth token." % own)
    if not wanted:
        return ("oauth_token_exclusive_client with a connection that uses OAuth client credentials (client %r) needs "
                "the fleet's client as oauth_token_client_identifier, so that the role can tell before any call that it "
                "is not the connection's own client." % own)
    return None


def role_problems(hostvars, hosts, settings, environ):
    """Every problem with the role's variables on these hosts, in the order a user fixes them."""
    problems = delivery_problems(hostvars, hosts, settings)
    if settings["oauth_token_delivery"] == "token":
        problems.append(exclusive_problem(settings, environ))
    return [problem for problem in problems if problem]


def oauth_token_problem(hostvars, hosts, settings, role_path=None, names=()):
    """Why the role cannot serve ``hosts`` with ``settings`` (its variables as the play sees them); '' when it can.

    With ``role_path``, the variables are first checked against the role's argument spec, on every host; ``names``
    are the play's variables named like the role's (for misspelt ones).
    """
    hostvars = {host: hostvars[host] for host in hosts}  # each lookup in Ansible's hostvars gathers the host's variables
    if role_path:
        wrong = arguments_problems(hostvars, hosts, settings, role_options(role_path), names)
        if wrong:
            return ("Fix the role's variables (ansible-doc -t role obscura.zendesk.oauth_token shows them all): %s"
                    % "; ".join(wrong))
    return " ".join(role_problems(hostvars, hosts, settings, os.environ))


class FilterModule:
    """The role oauth_token's checks before any change."""

    def filters(self):
        return {"oauth_token_problem": oauth_token_problem}

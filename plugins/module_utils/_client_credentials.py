# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The client-credentials decision of a fleet: which confidential OAuth client (one of one or two slots) and which
secret its hosts hold.

Each distinct held pair is checked with one exchange whose token is revoked at once; a held valid pair is kept, and a
secret is regenerated only when none serves (or on a rotation), in the slot that fewest hosts depend on.
"""

from __future__ import annotations

import collections
import dataclasses
from typing import Optional

from ansible_collections.obscura.zendesk.plugins.module_utils._grant import MIN_EXPIRES_IN, exchange
from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import OAuthProblem, find_clients, regenerate_secret
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import revoke_token_value

# A check's token lives as briefly as Zendesk allows, and is revoked at once anyway.
CHECK_EXPIRES_IN = MIN_EXPIRES_IN
# Zendesk's answers to an identifier and secret that do not authenticate (anything else fails the task).
REFUSALS = ("invalid_client", "invalid_grant")
CREATE_ADVICE = "create it first with obscura.zendesk.zendesk_oauth_client (kind: confidential), see docs/expiring-tokens.md"
IN_PLACE_WARNING = (
    "oauth client %s: the secret %s regenerated in place (one identifier): every host fails to authenticate from now "
    "until it holds the new secret (this run writes it); give two identifiers for a rotation without downtime")


@dataclasses.dataclass(frozen=True)
class Choice:
    """The decision: the slot's identifier, the held or given pair kept (None: regenerate the slot's secret), and the
    other slot to retire once every host holds the choice (None: nothing to retire)."""

    identifier: str
    kept: Optional[tuple]
    retire: Optional[str]

    @property
    def regenerate(self):
        """Whether the slot's secret is regenerated."""
        return self.kept is None


# --- input -------------------------------------------------------------------------------------

def entry_pairs(held):
    """The entries of the ``held`` option as (identifier, secret) pairs, white space stripped, in the given order."""
    return [((entry.get("identifier") or "").strip(), (entry.get("secret") or "").strip()) for entry in held or []]


def held_pairs(held):
    """The pairs of the ``held`` option; an entry lacking the identifier or the secret holds nothing and is dropped."""
    return [pair for pair in entry_pairs(held) if all(pair)]


def input_problems(params):
    """Problems with the module's options, found before any request."""
    identifiers = params["identifiers"]
    problems = []
    if not 1 <= len(identifiers) <= 2:
        problems.append("identifiers must list one or two confidential OAuth clients' identifiers (two alternate, for a "
                        "rotation without downtime); got %d." % len(identifiers))
    if any(not (identifier or "").strip() for identifier in identifiers):
        problems.append("identifiers must not contain an empty identifier.")
    if len(set(identifiers)) != len(identifiers):
        problems.append("identifiers must name two different OAuth clients; remove the repeated identifier.")
    if params["secret"] is not None:
        problems.extend(given_secret_problems(params))
    return problems


def given_secret_problems(params):
    """Problems with a given ``secret``: it needs one identifier, no rotation, and a value."""
    problems = []
    if not params["secret"].strip():
        problems.append("secret must not be empty: give the client's secret, or leave secret out to let the module "
                        "keep a held secret or regenerate one.")
    if len(params["identifiers"]) != 1:
        problems.append("secret is the secret of one OAuth client: give exactly one entry in identifiers with it.")
    if params["rotate"]:
        problems.append("rotate regenerates a secret and secret deploys a given one: remove one of them.")
    return problems


# --- the choice (pure) -------------------------------------------------------------------------

def choose(identifiers, held, valid, rotate=False):
    """The Choice for ``held`` (one pair per host holding it, of the slots only) of which ``valid`` pairs authenticate.

    Not rotating, the valid pair held by the most hosts is kept (tie: order of ``identifiers``). Otherwise the secret of
    regeneration_slot() is regenerated, and with two slots the other one is retired.
    """
    kept = most_held_valid(identifiers, held, valid)
    if kept is not None and not rotate:
        return Choice(kept[0], kept, retired_after_keep(identifiers, kept[0], held, valid))
    slot = regeneration_slot(identifiers, held, kept)
    return Choice(slot, None, other_slot(identifiers, slot))


def most_held_valid(identifiers, held, valid):
    """The valid pair the most hosts hold; tie: the earlier identifier, then the pair held first. None without one."""
    hosts = collections.Counter(pair for pair in held if pair in valid)
    if not hosts:
        return None
    order = list(dict.fromkeys(held))
    return min(hosts, key=lambda pair: (-hosts[pair], identifiers.index(pair[0]), order.index(pair)))


def retired_after_keep(identifiers, kept_identifier, held, valid):
    """The other slot when some host holds a valid pair of it (a finished rotation's leftover), else None."""
    other = other_slot(identifiers, kept_identifier)
    return other if any(pair in valid and pair[0] == other for pair in held) else None


def regeneration_slot(identifiers, held, kept=None):
    """The slot whose secret is regenerated: the first one no host holds; else the one fewer hosts hold (tie: the one
    whose pair would be ``kept``, a valid one, is spared; else the second)."""
    hosts = collections.Counter(identifier for identifier, dummy in held)
    unheld = [identifier for identifier in identifiers if not hosts[identifier]]
    if unheld:
        return unheld[0]
    fewest = min(hosts[identifier] for identifier in identifiers)
    tied = [identifier for identifier in identifiers if hosts[identifier] == fewest]
    spared = [identifier for identifier in tied if kept is None or identifier != kept[0]]
    return (spared or tied)[-1]


def other_slot(identifiers, identifier):
    """The other one of two identifiers; None with one."""
    others = [other for other in identifiers if other != identifier]
    return others[0] if others else None


def kept_index(held, pair):
    """The index in ``held`` (the option as given) of the first entry holding ``pair``; None when no entry does."""
    entries = entry_pairs(held)
    return entries.index(pair) if pair in entries else None


# --- Zendesk -----------------------------------------------------------------------------------

def resolve_slots(api, identifiers):
    """{identifier: client} for every identifier (one listing of the clients); OAuthProblem, naming every missing or
    public client and the fix, before anything changes."""
    clients = {client.get("identifier"): client for client in find_clients(api)}
    problems = [slot_problem(identifier, clients.get(identifier)) for identifier in identifiers]
    problems = [problem for problem in problems if problem]
    if problems:
        raise OAuthProblem(" ".join(problems))
    return {identifier: clients[identifier] for identifier in identifiers}


def slot_problem(identifier, client):
    """Why the client of a slot cannot serve client credentials, or None."""
    if client is None:
        return "OAuth client %r (identifiers) does not exist in Zendesk: %s." % (identifier, CREATE_ADVICE)
    if client.get("kind") != "confidential":
        return ("OAuth client %r (identifiers) is %s: client credentials need a confidential client; set kind: "
                "confidential with obscura.zendesk.zendesk_oauth_client, see docs/expiring-tokens.md."
                % (identifier, client.get("kind") or "not confidential"))
    return None


def pair_works(api, identifier, secret, warn):
    """Whether Zendesk grants a token for the pair (one exchange, its token revoked at once).

    A refusal (401, or 400 invalid_client/invalid_grant) is False; any other failure raises ZendeskError. A failed
    revocation is a warning (``warn``) without any value.
    """
    try:
        granted = exchange(api, identifier, secret, None, expires_in=CHECK_EXPIRES_IN)
    except ZendeskError as err:
        if err.status == 401 or (err.status == 400 and err.error in REFUSALS):
            return False
        raise
    try:
        revoke_token_value(api, granted.token)
    except ZendeskError as err:
        warn("Could not revoke the token of the check of a held secret of OAuth client %r (%s); it expires on its own "
             "within %d seconds." % (identifier, err.summary(), CHECK_EXPIRES_IN))
    return True


def regenerated_secret(api, client):
    """Regenerate the client's secret; return the new one. OAuthProblem when Zendesk does not return it in full."""
    dummy, secret = regenerate_secret(api, client["id"])
    if secret is None:
        raise OAuthProblem("Zendesk regenerated the secret of OAuth client %r (id %s) but did not return it in full, so it "
                           "cannot be delivered. Run again with rotate: true to regenerate it again."
                           % (client.get("identifier"), client.get("id")))
    api.add_secret(secret)
    return secret


class Decision:
    """One run of the decision: resolve the slots, check the held (or given) pairs, choose, regenerate if needed."""

    def __init__(self, api, params, check_mode, warn):
        self.api = api
        self.params = params
        self.check_mode = check_mode
        self.warn = warn
        self.identifiers = [identifier.strip() for identifier in params["identifiers"]]
        self.given = params["secret"].strip() if params["secret"] is not None else None
        self.held = [pair for pair in held_pairs(params["held"]) if pair[0] in self.identifiers]
        for secret in [secret for dummy, secret in entry_pairs(params["held"])] + [self.given]:
            api.add_secret(secret)
        self.validated = 0

    def run(self):
        """The module's result: the choice, the clients' ids, and the new secret when one was regenerated."""
        clients = resolve_slots(self.api, self.identifiers)
        choice = self.given_choice() if self.given is not None else choose(
            self.identifiers, self.held, self.valid_pairs(), self.params["rotate"])
        result = dict(changed=choice.regenerate, identifier=choice.identifier, client_id=clients[choice.identifier]["id"],
                      regenerated=choice.regenerate, retire=choice.retire,
                      retire_client_id=clients[choice.retire]["id"] if choice.retire else None,
                      kept_index=None if choice.regenerate else kept_index(self.params["held"], choice.kept),
                      validated=self.validated, url=self.api.base_url)
        if choice.regenerate:
            result.update(self.regenerate(clients[choice.identifier]))
        return result

    def regenerate(self, client):
        """Regenerate the slot's secret (not in check mode): {secret: the new one}; warn when it is the only slot."""
        new = {} if self.check_mode else dict(secret=regenerated_secret(self.api, client))
        if len(self.identifiers) == 1:
            self.warn(IN_PLACE_WARNING % (client["identifier"], "would be" if self.check_mode else "was"))
        return new

    def valid_pairs(self):
        """The distinct held pairs that authenticate (one exchange each)."""
        return {pair for pair in dict.fromkeys(self.held) if self.works(pair)}

    def works(self, pair):
        """Check one pair with one exchange, counted."""
        self.validated += 1
        return pair_works(self.api, pair[0], pair[1], self.warn)

    def given_choice(self):
        """The given secret's pair, kept when Zendesk grants a token for it; OAuthProblem naming ``secret`` otherwise."""
        pair = (self.identifiers[0], self.given)
        if not self.works(pair):
            raise OAuthProblem("Zendesk refused secret for OAuth client %r: secret must be the client's current secret (a "
                               "secret regenerated in Admin Center replaces the old one). Give its current secret, or "
                               "leave secret out to let the module keep a held secret or regenerate one." % pair[0])
        return Choice(pair[0], pair, None)

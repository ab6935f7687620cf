# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the hosts of a play hold, gathered on the controller for the role obscura.zendesk.oauth_token.

Every host of the play registers what zendesk_token_file read in its file, and what the role's write gave it. The
decision task (zendesk_oauth_token or zendesk_oauth_client_credentials, run once) names these two variables in its
internal option ``_fleet``; its action plugin gathers the holdings from ``hostvars`` (fleet_holdings, FleetHoldings),
passes them to the module (``held_tokens``, ``held``), and hands the role the chosen value or secret and the hosts
that lack it, so that no task decodes the module's answer in Jinja. A holding is a token value (registered_value) or
an OAuth client's (identifier, secret) pair (registered_pair).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import ArgumentsProblem

# What the role writes in check mode when a real run would mint, or regenerate: the write then predicts its change.
CHECK_MODE_PLACEHOLDER = "(the token a real run mints)"
SECRET_CHECK_MODE_PLACEHOLDER = "(the secret a real run generates)"
FLEET_OPTION = "_fleet"
FLEET_KEYS = ("read", "written")


def fleet_problem(fleet):
    """Why the ``_fleet`` option is malformed, or None: it names the two registered variables."""
    if not isinstance(fleet, Mapping) or set(fleet) != set(FLEET_KEYS) or \
            not all(isinstance(fleet[key], str) and fleet[key] for key in FLEET_KEYS):
        return "_fleet must name two registered variables, as {read: NAME, written: NAME}."
    return None


def registered_result(host_vars, name):
    """What a task registered as ``name`` on a host, when it is a result (a mapping); else an empty dict."""
    registered = host_vars.get(name) if name in host_vars else None
    return registered if isinstance(registered, Mapping) else {}


def stripped(value):
    """A registered string without surrounding white space; '' for anything else."""
    return value.strip() if isinstance(value, str) else ""


def registered_value(host_vars, name):
    """The ``value`` that a zendesk_token_file task registered as ``name`` on a host ('' when there is none)."""
    return stripped(registered_result(host_vars, name).get("value"))


def registered_pair(host_vars, name):
    """The (identifier, secret) that a zendesk_token_file task with two keys (identifier first) registered as ``name``.

    Its ``held_values`` hold the identifier first and the secret second; None unless both are set.
    """
    held = registered_result(host_vars, name).get("held_values")
    pair = tuple(stripped(value) for value in held.values())[:2] if isinstance(held, Mapping) else ()
    return pair if len(pair) == 2 and all(pair) else None


@dataclasses.dataclass
class FleetHoldings:
    """What each host of the play holds (token values or pairs), in the play's host order, and the hosts of the
    current batch whose file is not as a write leaves it (owner, group, mode or text: their read's ``settled``)."""

    values: dict
    unsettled: frozenset = frozenset()
    reads: dict = dataclasses.field(default_factory=dict)

    @classmethod
    def gather(cls, hostvars, hosts, batch, fleet, holding=registered_value):
        """What each of ``hosts`` read; for a host outside ``batch`` (an earlier serial batch), also what it was given.

        ``holding(host_vars, name)`` reads one registered variable (empty when it holds nothing). A host of the
        current batch counts only with what it read: what it was given before comes from an earlier use of the role
        in the same play and may be another fleet's.
        """
        values, reads = {}, {}
        for host in hosts:
            host_vars = hostvars[host]
            held = [holding(host_vars, fleet["read"])]
            if host in batch:
                reads[host] = registered_result(host_vars, fleet["read"])
            else:
                held.append(holding(host_vars, fleet["written"]))
            values[host] = list(dict.fromkeys(value for value in held if value))
        return cls(values, frozenset(host for host, read in reads.items() if not read.get("settled")), reads)

    def held(self):
        """Every holding, host by host (zendesk_oauth_token's held_tokens, zendesk_oauth_client_credentials' held)."""
        return [value for held in self.values.values() for value in held]

    def writes(self, value, batch, differs=None):
        """Hosts of ``batch`` the role writes ``value`` to: they hold another value, or hold it unsettled, or their
        read is one that ``differs(read)`` (what else the write puts in the file) says is out of date."""
        return [host for host in batch if host in self.unsettled or value not in self.values.get(host, [])
                or (differs is not None and differs(self.reads.get(host, {})))]

    def lacking(self, value, writable):
        """Hosts that do not hold ``value`` and are not among ``writable`` (the hosts the role writes to now)."""
        return [host for host, held in self.values.items() if host not in writable and value not in held]


def fleet_holdings(args, task_vars, held_option, holding=registered_value):
    """Take ``_fleet`` out of a decision task's ``args``: the FleetHoldings it names, or None without it.

    ArgumentsProblem when it is malformed or given with ``held_option`` (the option it fills).
    """
    fleet = args.pop(FLEET_OPTION, None)
    if fleet is None:
        return None
    problem = fleet_problem(fleet) or ("Set only one of %s and _fleet." % held_option if held_option in args else None)
    if problem:
        raise ArgumentsProblem(problem)
    return FleetHoldings.gather(task_vars["hostvars"], task_vars["ansible_play_hosts_all"], task_vars["ansible_play_batch"],
                                fleet, holding)


def url_differs(url):
    """Whether a read of the two credential keys and the URL key holds another URL (with a URL key to write)."""
    def differs(read):
        held = read.get("held_values")
        values = list(held.values()) if isinstance(held, Mapping) else []
        return len(values) > 2 and stripped(values[2]) != (url or "")
    return differs


def chosen_value(result, held_tokens, check_mode):
    """The value the decision chose: the kept held one, the minted one, or in check mode the placeholder of a mint."""
    if result.get("kept_index") is not None:
        return held_tokens[result["kept_index"]]
    minted = (result.get("token") or {}).get("full_token")
    if minted:
        return minted
    return CHECK_MODE_PLACEHOLDER if check_mode else None


def chosen_secret(result, held_pairs, given, check_mode):
    """The secret zendesk_oauth_client_credentials chose: the regenerated one (in check mode the placeholder of a
    regeneration), the kept held one, or the ``given`` one."""
    if result.get("regenerated"):
        return result.get("secret") or (SECRET_CHECK_MODE_PLACEHOLDER if check_mode else None)
    if result.get("kept_index") is not None:
        return held_pairs[result["kept_index"]][1]
    return given

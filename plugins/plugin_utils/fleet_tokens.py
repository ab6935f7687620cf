# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the hosts of a play hold, gathered on the controller for the role obscura.zendesk.oauth_token.

Every host of the play registers what zendesk_token_file read in its file, and what the role's write gave it. The
decision task (zendesk_oauth_token, run once) names these two variables in its internal option ``_fleet``; its action
plugin gathers the values from ``hostvars`` (FleetHoldings), passes them to the module as ``held_tokens``, and hands
the role the chosen value and the hosts that lack it (``chosen``), so that no task decodes the module's answer in Jinja.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

# What the role writes in check mode when a real run would mint: the write then predicts its change.
CHECK_MODE_PLACEHOLDER = "(the token a real run mints)"
FLEET_KEYS = ("read", "written")


def fleet_problem(fleet):
    """Why the ``_fleet`` option is malformed, or None: it names the two registered variables."""
    if not isinstance(fleet, Mapping) or set(fleet) != set(FLEET_KEYS) or \
            not all(isinstance(fleet[key], str) and fleet[key] for key in FLEET_KEYS):
        return "_fleet must name two registered variables, as {read: NAME, written: NAME}."
    return None


def registered_value(host_vars, name):
    """The ``value`` that a zendesk_token_file task registered as ``name`` on a host ('' when there is none)."""
    registered = host_vars.get(name) if name in host_vars else None
    value = registered.get("value") if isinstance(registered, Mapping) else None
    return value.strip() if isinstance(value, str) else ""


@dataclasses.dataclass
class FleetHoldings:
    """The token values each host of the play holds, in the play's host order."""

    values: dict

    @classmethod
    def gather(cls, hostvars, hosts, batch, fleet):
        """What each of ``hosts`` read; for a host outside ``batch`` (an earlier serial batch), also what it was given.

        A host of the current batch counts only with what it read: what it was given before comes from an earlier
        use of the role in the same play and may be another fleet's token.
        """
        values = {}
        for host in hosts:
            host_vars = hostvars[host]
            held = [registered_value(host_vars, fleet["read"])]
            if host not in batch:
                held.append(registered_value(host_vars, fleet["written"]))
            values[host] = [value for value in held if value]
        return cls(values)

    def held_tokens(self):
        """Every value held, host by host (zendesk_oauth_token's held_tokens)."""
        return [value for held in self.values.values() for value in held]

    def lacking(self, value, writable):
        """Hosts that do not hold ``value`` and are not among ``writable`` (the hosts the role writes to now)."""
        return [host for host, held in self.values.items() if host not in writable and value not in held]


def chosen_value(result, held_tokens, check_mode):
    """The value the decision chose: the kept held one, the minted one, or in check mode the placeholder of a mint."""
    if result.get("kept_index") is not None:
        return held_tokens[result["kept_index"]]
    minted = (result.get("token") or {}).get("full_token")
    if minted:
        return minted
    return CHECK_MODE_PLACEHOLDER if check_mode else None

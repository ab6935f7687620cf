# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run zendesk_oauth_token and hide a result that carries a token value from display.

For the role obscura.zendesk.oauth_token, the internal option ``_fleet`` ({read: NAME, written: NAME}, the variables
the role registers on every host with zendesk_token_file) makes this plugin gather the values the hosts of the play
hold from ``hostvars`` and pass them to the module as ``held_tokens``. The result then also has:

- ``value``: the chosen token's value, the kept held one or the minted one (in check mode, when a token would be
  minted, a placeholder). A module cannot return it (Ansible masks values of no_log options in a module's result);
  this plugin runs on the controller after the module and can. The result is hidden from display.
- ``writes``: the hosts of this batch the role writes the chosen value to: those that hold another one, or hold it
  in a file whose owner, group, mode or text a write would change (their read's ``settled`` is false).
- ``lacking``: the hosts of the play (``ansible_play_hosts_all``) that do not hold the chosen value and are not
  written now (they are not among the active hosts of this batch, ``ansible_play_batch``). The replaced tokens may
  be revoked once this list is empty and every written host succeeded.
"""

from __future__ import annotations

from ansible_collections.obscura.zendesk.plugins.plugin_utils.fleet_tokens import chosen_value, fleet_holdings
from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import SecretResultAction


class ActionModule(SecretResultAction):
    """A result with a token value (``token.full_token`` minted by this run, ``value``, or the session the role's decision
    keeps for the play's later tasks) is hidden from display."""

    SECRET_PATHS = (("token", "full_token"), ("value",), ("session", "full_token"), ("connection", "oauth_token"))
    holdings = None

    def module_args(self, task_vars):
        """The task's arguments; with ``_fleet``, held_tokens gathered from every host of the play instead."""
        args = super().module_args(task_vars)
        self.holdings = fleet_holdings(args, task_vars, "held_tokens")
        return args if self.holdings is None else dict(args, held_tokens=self.holdings.held())

    def completed(self, result, task_vars):
        """With ``_fleet``: add the chosen value, the hosts to write it to and those that lack it to a successful decision."""
        if self.holdings is None or result.get("failed") or "held" not in result:
            return result
        value = chosen_value(result, self.holdings.held(), self._task.check_mode)
        batch = task_vars["ansible_play_batch"]
        return dict(result, value=value, writes=self.holdings.writes(value, batch), lacking=self.holdings.lacking(value, batch))

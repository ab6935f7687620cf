# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run zendesk_oauth_client_credentials and hide a result that carries a secret from display.

For the role obscura.zendesk.oauth_token, the internal option ``_fleet`` ({read: NAME, written: NAME}, the variables
the role registers on every host with zendesk_token_file and two keys, the identifier's first) makes this plugin
gather the pairs the hosts of the play hold from ``hostvars`` and pass them to the module as ``held``. The result
then also has:

- ``secret``: the chosen secret, the kept held one, the given one or the regenerated one (in check mode, when a
  secret would be regenerated, a placeholder). A module cannot return a held or given one (Ansible masks values of
  no_log options in a module's result); this plugin runs on the controller after the module and can. The result is
  hidden from display.
- ``writes``: the hosts of this batch the role writes the chosen pair to: those that hold another pair, or hold it in a
  file whose owner, group, mode or text a write would change (their read's ``settled`` is false), or, when the read
  has a third key (the URL's), another URL than the decision's ``url``.
- ``lacking``: the hosts of the play (``ansible_play_hosts_all``) that do not hold the chosen pair and are not
  written now (they are not among the active hosts of this batch, ``ansible_play_batch``). The other slot may be
  retired once this list is empty and every written host succeeded.
"""

from __future__ import annotations

from ansible_collections.obscura.zendesk.plugins.plugin_utils.fleet_tokens import chosen_secret, fleet_holdings, registered_pair, url_differs
from ansible_collections.obscura.zendesk.plugins.plugin_utils.secret_action import SecretResultAction


class ActionModule(SecretResultAction):
    """A result with a secret (``secret``, or the session the role's decision keeps for the play's later tasks) is
    hidden from display."""

    SECRET_PATHS = (("secret",), ("session", "full_token"), ("connection", "oauth_token"))
    holdings = None
    given = None

    def module_args(self, task_vars):
        """The task's arguments; with ``_fleet``, ``held`` gathered from every host of the play instead."""
        args = super().module_args(task_vars)
        self.holdings = fleet_holdings(args, task_vars, "held", registered_pair)
        if self.holdings is None:
            return args
        self.given = (args.get("secret") or "").strip() or None
        return dict(args, held=[dict(identifier=identifier, secret=secret) for identifier, secret in self.holdings.held()])

    def completed(self, result, task_vars):
        """With ``_fleet``: add the chosen secret, the hosts to write the pair to and those that lack it to a successful
        decision."""
        if self.holdings is None or result.get("failed") or "identifier" not in result:
            return result
        secret = chosen_secret(result, self.holdings.held(), self.given, self._task.check_mode)
        pair, batch = (result["identifier"], secret), task_vars["ansible_play_batch"]
        return dict(result, secret=secret, writes=self.holdings.writes(pair, batch, url_differs(result.get("url"))),
                    lacking=self.holdings.lacking(pair, batch))

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run an action's module with pipelining where Ansible's default only leaves it off for become's sake, and tell when a
command may carry data on its standard input, as a pipelined module does.

Pipelining sends a module to the host's Python through the one command that runs it, instead of six (home directory,
temporary directory, transfer, chmod, run, clean-up). Ansible leaves it off by default because of sudo's
``requiretty``, which concerns become only. So the collection's action plugins turn it on for their own module runs
when the task uses no become and nothing configured pipelining (ansible.cfg, environment, inventory or play
variables): a setting of the user's, on or off, is kept.
"""

from __future__ import annotations

import contextlib


def _setting(connection):
    """(pipelining on, where that was set) of ``connection``; (None, None) for a connection without the option."""
    try:
        return connection.get_option_and_origin("pipelining")
    except KeyError:
        return None, None


def _forced(connection, play_context):
    """Whether ``pipelined`` turns pipelining on: it is unset (Ansible's default, off) and ``play_context`` has no become."""
    enabled, origin = _setting(connection)
    return enabled is False and origin == "default" and bool(connection.has_pipelining) and not play_context.become


def takes_stdin(connection, play_context):
    """Whether a command sent through ``connection`` may carry data on its standard input: the connection can pipeline,
    become (if any) allows it (``su`` does not), and pipelining is on, or would be forced by ``pipelined``."""
    become = connection.become if play_context.become else None
    allowed = bool(connection.has_pipelining) and (become is None or bool(become.pipelining))
    return allowed and (_setting(connection)[0] is True or _forced(connection, play_context))


@contextlib.contextmanager
def pipelined(connection, play_context):
    """While the block runs, ``connection`` pipelines modules if its pipelining is unset and ``play_context`` has no become."""
    forced = _forced(connection, play_context)
    if forced:
        connection.set_option("pipelining", True)
    try:
        yield
    finally:
        if forced:
            connection.set_option("pipelining", False)

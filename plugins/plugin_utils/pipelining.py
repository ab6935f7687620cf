# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run an action's module with pipelining where Ansible's default only leaves it off for become's sake.

Pipelining sends a module to the host's Python through the one command that runs it, instead of six (home directory,
temporary directory, transfer, chmod, run, clean-up). Ansible leaves it off by default because of sudo's
``requiretty``, which concerns become only. So the collection's action plugins turn it on for their own module runs
when the task uses no become and nothing configured pipelining (ansible.cfg, environment, inventory or play
variables): a setting of the user's, on or off, is kept.
"""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def pipelined(connection, play_context):
    """While the block runs, ``connection`` pipelines modules if its pipelining is unset and ``play_context`` has no become."""
    try:
        enabled, origin = connection.get_option_and_origin("pipelining")
    except KeyError:  # a connection without the option
        enabled, origin = None, None
    forced = enabled is False and origin == "default" and connection.has_pipelining and not play_context.become
    if forced:
        connection.set_option("pipelining", True)
    try:
        yield
    finally:
        if forced:
            connection.set_option("pipelining", False)

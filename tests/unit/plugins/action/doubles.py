# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What Ansible hands an action plugin, as doubles shared by the action plugins' unit tests."""

from __future__ import annotations

import shlex
from unittest import mock


def a_connection(pipelining=(True, "ansible.cfg")):
    """A connection whose shell quotes like sh, with pipelining as (value, origin): by default set by the user."""
    connection = mock.MagicMock()
    connection._shell.quote = shlex.quote  # pylint: disable=protected-access
    connection.get_option_and_origin.return_value = pipelining
    return connection


def an_action(plugin_class, task, connection=None):
    """The action plugin ``plugin_class`` for ``task``, on ``connection`` (default: a_connection())."""
    return plugin_class(task, connection or a_connection(), mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)

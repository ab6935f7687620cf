# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the action plugins' pipelining for their own module runs, and of when a command may carry standard input
(plugin_utils.pipelining)."""

from __future__ import annotations

from unittest import mock

import pytest

from ansible_collections.obscura.zendesk.plugins.plugin_utils.pipelining import pipelined, takes_stdin
from ansible_collections.obscura.zendesk.tests.unit.plugins.action.doubles import a_connection


def settings_during(connection, become=False):
    """The connection's set_option calls made inside the block, and those made after it."""
    with pipelined(connection, mock.Mock(become=become)):
        inside = list(connection.set_option.call_args_list)
    return inside, connection.set_option.call_args_list[len(inside):]


def test_pipelining_left_at_ansibles_default_is_on_for_the_module_run_only():
    inside, after = settings_during(a_connection(pipelining=(False, "default")))
    assert inside == [mock.call("pipelining", True)]
    assert after == [mock.call("pipelining", False)]


@pytest.mark.parametrize("pipelining,become,has_pipelining", [
    ((False, "default"), True, True),           # sudo's requiretty: Ansible's reason for the default
    ((False, "env: ANSIBLE_PIPELINING"), False, True),  # the user's own choice
    ((False, "var: ansible_pipelining"), False, True),
    ((True, "ansible.cfg"), False, True),       # already on
    ((False, "default"), False, False),         # a connection that cannot
])
def test_pipelining_is_left_alone(pipelining, become, has_pipelining):
    connection = a_connection(pipelining=pipelining)
    connection.has_pipelining = has_pipelining
    assert settings_during(connection, become) == ([], [])


def test_a_connection_without_the_option_is_left_alone():
    connection = a_connection()
    connection.get_option_and_origin.side_effect = KeyError("pipelining")
    assert settings_during(connection) == ([], [])


def test_the_setting_is_restored_when_the_module_run_fails():
    connection = a_connection(pipelining=(False, "default"))
    with pytest.raises(RuntimeError), pipelined(connection, mock.Mock(become=False)):
        raise RuntimeError("the host went away")
    assert connection.set_option.call_args_list[-1] == mock.call("pipelining", False)


@pytest.mark.parametrize("pipelining,become,become_pipelines,has_pipelining,expected", [
    ((False, "default"), False, True, True, True),          # what pipelined() turns on
    ((True, "ansible.cfg"), True, True, True, True),         # on, with sudo
    ((False, "default"), True, True, True, False),           # off for sudo's requiretty, Ansible's default
    ((False, "env: ANSIBLE_PIPELINING"), False, True, True, False),  # the user's own choice
    ((True, "ansible.cfg"), True, False, True, False),       # su takes no standard input
    ((True, "ansible.cfg"), False, True, False, False),      # a connection that cannot pipeline
])
def test_a_command_takes_standard_input_where_a_module_would_be_pipelined(
        pipelining, become, become_pipelines, has_pipelining, expected):
    connection = a_connection(pipelining=pipelining)
    connection.has_pipelining = has_pipelining
    connection.become.pipelining = become_pipelines
    assert takes_stdin(connection, mock.Mock(become=become)) is expected
    assert connection.set_option.call_args_list == []

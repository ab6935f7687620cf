# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of zendesk_token_file's protocol: the read command and its answer, a previous read, the write request."""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
import sys

import pytest

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_protocol import (
    CHECKSUM,
    CONTENT,
    HostFailure,
    PreviousProblem,
    checksum,
    read_command,
    state_from_answer,
    state_from_previous,
    take_write_request,
    write_arguments,
)

STATE = dict(exists=True, content="A=1\n", mode="0600", owner="app", group="app", uid=1001, gid=1001)
PATH = "/etc/myapp/app.env"


def answer(state, rc=0, stderr=""):
    """What running the read command returns when the script printed ``state``."""
    return dict(rc=rc, stdout="motd line\n" + json.dumps(state) + "\n", stderr=stderr)


def test_the_read_command_runs_the_read_script_with_the_hosts_python(tmp_path):
    path = tmp_path / "it's \"quoted\" $1" / "app.env"
    path.parent.mkdir()
    path.write_text("A=1\n")
    command = read_command(sys.executable, str(path), False, shlex.quote)
    assert command.startswith(sys.executable + " -c ")
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, check=True)
    state = state_from_answer(dict(rc=done.returncode, stdout=done.stdout, stderr=done.stderr))
    assert state["exists"] and state["content"] == "A=1\n" and state["link"] is False


def test_the_read_command_passes_follow():
    assert read_command("/usr/bin/python3", PATH, True, shlex.quote).endswith(shlex.quote("print_state(%r, True)\n" % PATH)[-30:])
    assert "print_state(%r, False)" % PATH in shlex.split(read_command("python3", PATH, None, shlex.quote))[2]


def test_the_answer_is_the_state_of_the_last_line():
    assert state_from_answer(answer(dict(STATE, link=True, extra="ignored"))) == dict(STATE, link=True)


def test_a_problem_the_script_printed_is_a_host_failure_with_its_message():
    with pytest.raises(HostFailure) as failure:
        state_from_answer(answer(dict(failed=True, msg="/etc/myapp/app.env is a directory. Give the path of a file")))
    assert failure.value.result == dict(msg="/etc/myapp/app.env is a directory. Give the path of a file")


@pytest.mark.parametrize("reply", [dict(rc=0, stdout="", stderr=""), dict(rc=0, stdout="Welcome!\n", stderr=""),
                                   dict(rc=0, stdout="[1, 2]\n", stderr=""), answer(STATE, rc=1, stderr="sudo: a password is required")])
def test_an_answer_that_is_not_the_scripts_names_the_fix(reply):
    with pytest.raises(HostFailure) as failure:
        state_from_answer(reply)
    message = failure.value.result["msg"]
    assert message.startswith("The host's Python could not read the file (exit status %s)" % reply["rc"])
    assert reply["stderr"] in message and "ansible_python_interpreter" in message and failure.value.result["rc"] == reply["rc"]


def test_a_previous_read_of_the_same_path_is_its_state():
    previous = dict(STATE, path=PATH, changed=False, held=True, value="secret", format="env")
    assert state_from_previous(previous, PATH) == STATE


@pytest.mark.parametrize("previous", ["a string", dict(STATE, path=PATH, failed=True), dict(STATE, path=PATH, skipped=True),
                                      dict(path=PATH, exists=True), dict(path=PATH, content="")])
def test_what_is_no_successful_read_with_content_is_a_problem_naming_the_fix(previous):
    with pytest.raises(PreviousProblem, match="not the registered result of a successful read with return_content: true"):
        state_from_previous(previous, PATH)


def test_a_read_of_another_path_is_a_problem():
    with pytest.raises(PreviousProblem, match="_previous is the read of /etc/other.env, not of this path"):
        state_from_previous(dict(STATE, path="/etc/other.env"), PATH)


def test_checksum_of_what_a_read_saw():
    assert checksum(STATE) == hashlib.sha256(b"A=1\n").hexdigest()
    assert checksum(dict(exists=False, content="")) == ""


def test_the_write_request_carries_the_file_options_the_text_and_the_checksum_and_the_module_takes_it_out():
    options = dict(path=PATH, follow=False, owner="app", group=None, mode="0640", backup=True, value="secret", format="env",
                   key="K", template=None, template_regex=None, return_content=False, _previous=None)
    arguments = write_arguments(options, "A=2\n", STATE)
    assert arguments == dict(path=PATH, follow=False, owner="app", group=None, mode="0640", backup=True,
                             **{CONTENT: "A=2\n", CHECKSUM: checksum(STATE)})
    params = dict(arguments)
    assert take_write_request(params) == ("A=2\n", checksum(STATE)) and CONTENT not in params and CHECKSUM not in params
    assert take_write_request(dict(path=PATH)) is None

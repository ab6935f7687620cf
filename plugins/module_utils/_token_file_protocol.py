# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How zendesk_token_file's action plugin (on the controller) and the host talk, with as little work on the host as can be.

1. The read. The action plugin runs the collection's read code, ``_token_file_read.py`` (Python's standard library
   only), as a script with the Python a module would use on the host (``<python> -c '<its source>
   print_state(<path>, <follow>)'``, with become when the task has it), and takes the JSON line it prints: whether
   the file exists, its text, owner, group and mode. That is one interpreter start and no module execution: no
   module payload is built, sent and unpacked (measured: about 5 times cheaper than a module execution).
2. The decision, on the controller: the format work makes the new text. When it is the file's text and the owner,
   group and mode are the wanted ones, nothing more runs on the host.
3. The write: one execution of the module with the task's file options and two internal arguments that only the
   action plugin sends (the module takes them out of its parameters before validation, and ansible-doc does not
   show them): ``_content``, the new text, and ``_checksum``, the sha256 of the bytes the read saw ('' for no
   file). The module writes only if the file still has those bytes; otherwise it fails and writes nothing.
4. A read handed to a write. The role reads every host (with ``return_content``), decides once, then writes where
   needed. It gives each write its registered read in the internal option ``_previous``, so that the write skips
   step 1. The action plugin checks that it is a successful read of the same path.
"""

from __future__ import annotations

import json
import pathlib

from ansible_collections.obscura.zendesk.plugins.module_utils import _token_file_read

CONTENT = "_content"
CHECKSUM = "_checksum"
PREVIOUS = "_previous"
ATTRIBUTES = ("mode", "owner", "group", "uid", "gid")
STATE = ("exists", "content") + ATTRIBUTES
WRITE_OPTIONS = ("path", "follow", "owner", "group", "mode", "backup")
INTERPRETER_FIX = "Set ansible_python_interpreter to a Python 3 on the host, or check become"


class HostFailure(Exception):
    """The host could not read or write the file; ``result`` is what of the host's answer may be shown."""

    def __init__(self, result):
        super().__init__(result.get("msg"))
        self.result = result


class PreviousProblem(ValueError):
    """The option ``_previous`` is not a read this write can use; the message says why and how to fix it."""


def read_command(python, path, follow, quote):
    """The command line that reads ``path`` on the host with ``python`` (step 1); ``quote`` quotes for the host's shell."""
    source = pathlib.Path(_token_file_read.__file__).read_text(encoding="utf-8")
    script = "%s\nprint_state(%r, %r)\n" % (source, path, bool(follow))
    return "%s -c %s" % (python, quote(script))


def state_from_answer(answer):
    """The file's state from what the read command returned (stdout, stderr, rc); HostFailure when it is not the script's."""
    lines = (answer.get("stdout") or "").strip().splitlines()
    state = None
    if answer.get("rc") == 0 and lines:
        try:
            state = json.loads(lines[-1])
        except ValueError:
            state = None
    if not isinstance(state, dict):
        error = (answer.get("stderr") or "").strip()
        raise HostFailure(dict(rc=answer.get("rc"), msg="The host's Python could not read the file (exit status %s)%s. %s"
                                                        % (answer.get("rc"), ": " + error if error else "", INTERPRETER_FIX)))
    if state.get("failed"):
        raise HostFailure(dict(msg=state.get("msg")))
    return {name: state.get(name) for name in STATE + ("link",)}


def state_from_previous(previous, path):
    """The file as the registered read ``previous`` saw it (step 4); PreviousProblem when that is no usable read of ``path``."""
    if not isinstance(previous, dict) or previous.get("failed") or previous.get("skipped") or \
            "content" not in previous or "exists" not in previous:
        raise PreviousProblem("_previous is not the registered result of a successful read with return_content: true. "
                              "Register a read of this path made with return_content: true and give it as _previous")
    if previous.get("path") != path:
        raise PreviousProblem("_previous is the read of %s, not of this path. Give as _previous the registered read of the "
                              "same path" % previous.get("path"))
    return {name: previous.get(name) for name in STATE}


def checksum(state):
    """What the write compares before it writes (step 3): the sha256 of the text a read saw, '' for no file."""
    return _token_file_read.checksum(state["content"].encode("utf-8") if state["exists"] else None)


def write_arguments(options, new_text, state):
    """The module's arguments for writing ``new_text`` over the file a read saw as ``state`` (step 3)."""
    return dict({name: options[name] for name in WRITE_OPTIONS}, **{CONTENT: new_text, CHECKSUM: checksum(state)})


def take_write_request(params):
    """The module's side of step 3: remove the internal arguments from ``params``; (new text, checksum), None for a read."""
    content, expected = params.pop(CONTENT, None), params.pop(CHECKSUM, "")
    return None if content is None else (content, expected)

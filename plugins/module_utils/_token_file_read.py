# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a token file on the host: its text, whether it exists, its owner, group and mode.

zendesk_token_file's module imports this file. Its action plugin runs the file's source, followed by a call
of ``print_state``, as a script with the host's Python (``python -c``): a read then costs one interpreter
start on the host, not a module execution. So this file uses Python's standard library only.
"""

from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
import stat
import sys

MISSING = dict(exists=False, mode=None, owner=None, group=None, uid=None, gid=None)


class ReadProblem(Exception):
    """The file cannot be read; the message says what is wrong and how to fix it."""

    def __init__(self, problem, fix):
        super().__init__("%s. %s" % (problem, fix))


def _name(lookup, number):
    """The name of a uid or gid, or the number as text when the host has none."""
    try:
        return lookup(number)[0]
    except KeyError:
        return str(number)


def attributes(st):
    """exists, mode, owner, group, uid and gid of a stat result."""
    return dict(exists=True, mode="%04o" % stat.S_IMODE(st.st_mode), owner=_name(pwd.getpwuid, st.st_uid),
                group=_name(grp.getgrgid, st.st_gid), uid=st.st_uid, gid=st.st_gid)


def read_bytes(path):
    """(bytes, stat) of the file, (None, None) when it does not exist; ReadProblem when it cannot be read."""
    if os.path.isdir(path):
        raise ReadProblem("%s is a directory" % path, "Give the path of a file in option path")
    try:
        with open(path, "rb") as handle:
            return handle.read(), os.fstat(handle.fileno())
    except FileNotFoundError:
        return None, None
    except PermissionError:
        raise ReadProblem("%s cannot be read: permission denied" % path,
                          "Run the task with become (and become_user), or let the remote user read the file") from None
    except OSError as err:
        raise ReadProblem("%s cannot be read: %s" % (path, err.strerror), "Give the path of a readable file in option path") from None


def file_state(path):
    """The file's text (content, '' for no file) and attributes; ReadProblem when it cannot be read as UTF-8 text."""
    data, st = read_bytes(path)
    if data is None:
        return dict(MISSING, content="")
    try:
        return dict(attributes(st), content=data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ReadProblem("%s is not UTF-8 text" % path, "Convert the file to UTF-8, or choose another file in option path") from None


def checksum(data):
    """What the write compares with what the read saw: sha256 of the file's bytes, '' for no file."""
    return "" if data is None else hashlib.sha256(data).hexdigest()


def print_state(path):
    """The script's work: print the state of the file at ``path`` (``~`` and variables expanded) as one line of JSON."""
    try:
        state = file_state(os.path.expanduser(os.path.expandvars(path)))
    except ReadProblem as err:
        state = dict(failed=True, msg=str(err))
    sys.stdout.write(json.dumps(state) + "\n")

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a token file on the host, in zendesk_token_file's module: its text, whether it exists, its owner, group and mode.

Python's standard library only. The module reads with it when it writes (the checksum guard) and when run without its
action plugin; the action plugin's own read is a shell command (module_utils/_token_file_protocol.py).

A symbolic link at the path is not followed unless asked (``follow``): it reads as no file, so that a write
replaces the link with a regular file instead of writing through it to whatever it points at.
"""

from __future__ import annotations

import errno
import grp
import hashlib
import os
import pwd
import stat

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


def _open(path, follow):
    """A file descriptor of ``path`` for reading, not waiting for a writer (a FIFO) nor following a final symbolic link
    unless ``follow``; None when there is no file, or a link not followed."""
    flags = os.O_RDONLY | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    try:
        return os.open(path, flags)
    except FileNotFoundError:
        return None
    except PermissionError:
        raise ReadProblem("%s cannot be read: permission denied" % path,
                          "Run the task with become (and become_user), or let the remote user read the file") from None
    except OSError as err:
        if err.errno == errno.ELOOP and not follow and os.path.islink(path):
            return None
        raise ReadProblem("%s cannot be read: %s" % (path, err.strerror), "Give the path of a readable file in option path") from None


def read_bytes(path, follow=False):
    """(bytes, stat) of the regular file at ``path``; (None, None) when there is none, or a symbolic link there that
    ``follow`` is false for; ReadProblem when it cannot be read or is no regular file (a directory, a device)."""
    descriptor = _open(path, follow)
    if descriptor is None:
        return None, None
    st = os.fstat(descriptor)
    if not stat.S_ISREG(st.st_mode):
        os.close(descriptor)
        if stat.S_ISDIR(st.st_mode):
            raise ReadProblem("%s is a directory" % path, "Give the path of a file in option path")
        raise ReadProblem("%s is not a regular file" % path, "Give the path of a regular file in option path")
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read(), st


def file_state(path, follow=False):
    """The file's text (content, '' for no file) and attributes; ReadProblem when it cannot be read as UTF-8 text."""
    data, st = read_bytes(path, follow)
    if data is None:
        return dict(MISSING, content="")
    try:
        return dict(attributes(st), content=data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ReadProblem("%s is not UTF-8 text" % path, "Convert the file to UTF-8, or choose another file in option path") from None


def checksum(data):
    """What the write compares with what the read saw: sha256 of the file's bytes, '' for no file."""
    return "" if data is None else hashlib.sha256(data).hexdigest()

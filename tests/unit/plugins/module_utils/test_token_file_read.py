# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the module's read of a token file: text and attributes, no file, symbolic links, what cannot be read.

The action plugin's read (a shell command) is tested in test_token_file_protocol.py.
"""

from __future__ import annotations

import grp
import hashlib
import os
import pwd

import pytest

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_read import (
    MISSING,
    ReadProblem,
    attributes,
    checksum,
    file_state,
    read_bytes,
)


def a_file(tmp_path, data=b"A=1\n", mode=0o640, name="app.env"):
    """A file holding ``data`` with ``mode``."""
    path = tmp_path / name
    path.write_bytes(data)
    os.chmod(path, mode)
    return path


def test_attributes_of_a_stat_result(tmp_path):
    st = os.stat(a_file(tmp_path))
    assert attributes(st) == dict(exists=True, mode="0640", owner=pwd.getpwuid(st.st_uid).pw_name,
                                  group=grp.getgrgid(st.st_gid).gr_name, uid=st.st_uid, gid=st.st_gid)


def test_attributes_name_an_unknown_uid_and_gid_by_number(tmp_path):
    st = os.stat(a_file(tmp_path))
    fake = os.stat_result((st.st_mode, 0, 0, 1, 4242424, 4242425, 0, 0, 0, 0))
    assert attributes(fake)["owner"] == "4242424" and attributes(fake)["group"] == "4242425"


def test_read_bytes_of_a_file_and_of_none(tmp_path):
    data, st = read_bytes(str(a_file(tmp_path, b"x\r\ny")))
    assert data == b"x\r\ny" and st.st_size == 4
    assert read_bytes(str(tmp_path / "missing")) == (None, None)
    assert read_bytes(str(tmp_path / "no" / "such" / "dir")) == (None, None)


def test_a_symbolic_link_reads_as_no_file_unless_followed(tmp_path):
    target = a_file(tmp_path, b"behind the link\n")
    link = tmp_path / "link.env"
    link.symlink_to(target)
    assert read_bytes(str(link)) == (None, None)
    assert file_state(str(link)) == dict(MISSING, content="")
    assert read_bytes(str(link), follow=True)[0] == b"behind the link\n"
    assert file_state(str(link), follow=True)["content"] == "behind the link\n"


def test_a_dangling_symbolic_link_reads_as_no_file_either_way(tmp_path):
    link = tmp_path / "link.env"
    link.symlink_to(tmp_path / "nowhere")
    assert read_bytes(str(link)) == (None, None) and read_bytes(str(link), follow=True) == (None, None)


def test_a_symbolic_link_loop_followed_fails_naming_the_fix(tmp_path):
    link = tmp_path / "loop.env"
    link.symlink_to(link)
    assert read_bytes(str(link)) == (None, None)
    with pytest.raises(ReadProblem, match="cannot be read: Too many levels of symbolic links. Give the path of a readable file"):
        read_bytes(str(link), follow=True)


@pytest.mark.parametrize("kind,message", [("directory", "is a directory. Give the path of a file in option path"),
                                          ("fifo", "is not a regular file. Give the path of a regular file in option path")])
def test_what_is_not_a_regular_file_fails_without_blocking(tmp_path, kind, message):
    path = tmp_path / "app.env"
    if kind == "directory":
        path.mkdir()
    else:
        os.mkfifo(path)
    with pytest.raises(ReadProblem, match=message):
        read_bytes(str(path))


def test_a_file_that_cannot_be_read_fails_naming_become(tmp_path, monkeypatch):
    path = a_file(tmp_path)

    def denied(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(ReadProblem, match="cannot be read: permission denied. Run the task with become"):
        read_bytes(str(path))


def test_file_state_of_text_of_no_file_and_of_what_is_not_utf8(tmp_path):
    state = file_state(str(a_file(tmp_path, "caf\u00e9\n".encode())))
    assert state["content"] == "caf\u00e9\n" and state["exists"] and state["mode"] == "0640"
    assert file_state(str(tmp_path / "missing")) == dict(MISSING, content="")
    with pytest.raises(ReadProblem, match="is not UTF-8 text. Convert the file to UTF-8"):
        file_state(str(a_file(tmp_path, b"\xe9\n", name="latin1.env")))


def test_checksum_is_sha256_of_the_bytes_and_empty_for_no_file():
    assert checksum(b"abc") == hashlib.sha256(b"abc").hexdigest()
    assert checksum(b"") == hashlib.sha256(b"").hexdigest() != checksum(None) == ""

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of zendesk_token_file on the host: one read (text and attributes), one atomic write with a checksum guard."""

from __future__ import annotations

import grp
import hashlib
import json
import os
import pwd
import stat
from unittest import mock

import pytest

from ansible_collections.obscura.zendesk.plugins.modules import zendesk_token_file

SECRET = "tok0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"


@pytest.fixture(name="run")
def run_fixture(run_module):
    """``run(args, check_mode=False)``: the module's main() with ``args`` (no connection options: it does not talk to Zendesk)."""
    return lambda args, check_mode=False: run_module(zendesk_token_file.main, args, check_mode=check_mode, connection=False)


def digest(text):
    """The checksum the action plugin sends for a file with ``text``."""
    return hashlib.sha256(text.encode()).hexdigest()


def write(run, path, content, previous_text=None, check_mode=False, **args):
    """Run a write of ``content`` over a file the read saw with ``previous_text`` (None: no file)."""
    checksum = "" if previous_text is None else digest(previous_text)
    return run(dict(dict(path=str(path), _content=content, _checksum=checksum), **args), check_mode=check_mode)


def mode_of(path):
    """The permission bits of a file."""
    return stat.S_IMODE(os.stat(path).st_mode)


def leftovers(directory):
    """Temporary files left in a directory."""
    return [name for name in os.listdir(directory) if name.endswith(".tmp")]


def test_read_a_missing_file(run, tmp_path):
    result = run(dict(path=str(tmp_path / "missing.env")))
    result.pop("invocation", None)
    assert result == dict(changed=False, failed=False, exists=False, content="", mode=None, owner=None, group=None, uid=None, gid=None)


def test_read_a_file_with_its_attributes(run, tmp_path):
    path = tmp_path / "app.env"
    path.write_bytes(b"A=1\r\nB=\xc3\xa9\n")
    os.chmod(path, 0o640)
    result = run(dict(path=str(path)))
    assert not result["failed"] and result["exists"] and not result["changed"]
    assert result["content"] == "A=1\r\nB=\u00e9\n"
    assert result["mode"] == "0640"
    assert result["owner"] == pwd.getpwuid(os.getuid()).pw_name and result["uid"] == os.getuid()
    assert result["group"] == grp.getgrgid(os.getgid()).gr_name and result["gid"] == os.getgid()


def test_read_a_missing_parent_is_no_file(run, tmp_path):
    assert run(dict(path=str(tmp_path / "no" / "app.env")))["exists"] is False


@pytest.mark.parametrize("args", [{}, {"_content": "x", "_checksum": ""}])
def test_a_directory_fails(run, tmp_path, args):
    result = run(dict(args, path=str(tmp_path)))
    assert result["failed"] and "is a directory" in result["msg"] and "option path" in result["msg"]


def test_an_unreadable_file_fails(run, tmp_path):
    path = tmp_path / "secret.env"
    path.write_text("A=1\n")
    real_open = os.open

    def deny(name, *args, **kwargs):
        if str(name) == str(path):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, *args, **kwargs)

    with mock.patch.object(os, "open", deny):
        result = run(dict(path=str(path)))
    assert result["failed"] and "cannot be read: permission denied" in result["msg"] and "become" in result["msg"]


def test_another_read_error_fails(run, tmp_path):
    (tmp_path / "file").write_text("x")
    result = run(dict(path=str(tmp_path / "file" / "below")))
    assert result["failed"] and "cannot be read: Not a directory" in result["msg"]


def test_a_file_that_is_not_utf8_fails(run, tmp_path):
    path = tmp_path / "latin1.env"
    path.write_bytes(b"A=\xe9\n")
    result = run(dict(path=str(path)))
    assert result["failed"] and "is not UTF-8 text" in result["msg"]


def test_write_creates_the_file_0600_atomically(run, tmp_path):
    path = tmp_path / "app.env"
    result = write(run, path, "K=%s\n" % SECRET)
    assert not result["failed"] and result["changed"] and result["exists"]
    assert path.read_text() == "K=%s\n" % SECRET
    assert mode_of(path) == 0o600 and result["mode"] == "0600"
    assert leftovers(tmp_path) == []
    assert SECRET not in json.dumps(result)


def test_write_replaces_keeping_no_temporary_file(run, tmp_path):
    path = tmp_path / "app.env"
    path.write_text("old\n")
    os.chmod(path, 0o644)
    result = write(run, path, "new\n", "old\n")
    assert result["changed"] and path.read_text() == "new\n" and mode_of(path) == 0o600
    assert leftovers(tmp_path) == [] and "backup_file" not in result


def test_write_fails_when_the_file_changed_since_the_read(run, tmp_path):
    path = tmp_path / "app.env"
    path.write_text("changed meanwhile\n")
    result = write(run, path, "new\n", "as read\n")
    assert result["failed"] and "changed since it was read" in result["msg"] and "Nothing was written" in result["msg"]
    assert path.read_text() == "changed meanwhile\n"


def test_write_fails_when_a_file_appeared_since_the_read(run, tmp_path):
    path = tmp_path / "app.env"
    path.write_text("appeared\n")
    assert write(run, path, "new\n", None)["failed"]
    assert path.read_text() == "appeared\n"


def test_write_fails_without_the_directory(run, tmp_path):
    result = write(run, tmp_path / "no" / "app.env", "new\n")
    assert result["failed"] and "The directory %s does not exist" % (tmp_path / "no") in result["msg"] and "state=directory" in result["msg"]
    assert not (tmp_path / "no").exists()


def test_same_content_only_attributes(run, tmp_path):
    path = tmp_path / "app.env"
    path.write_text("same\n")
    os.chmod(path, 0o644)
    first = write(run, path, "same\n", "same\n")
    assert first["changed"] and mode_of(path) == 0o600
    second = write(run, path, "same\n", "same\n")
    assert not second["changed"] and second["mode"] == "0600"


@pytest.mark.parametrize("mode,expected", [("0640", 0o640), ("640", 0o640), (0o640, 0o640), ("u=rw,g=r,o=", 0o640)])
def test_modes(run, tmp_path, mode, expected):
    path = tmp_path / "app.env"
    result = write(run, path, "x\n", mode=mode)
    assert mode_of(path) == expected and result["mode"] == "%04o" % expected


def test_owner_and_group_by_name_and_number(run, tmp_path):
    path = tmp_path / "app.env"
    user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    result = write(run, path, "x\n", owner=user, group=str(os.getgid()))
    assert not result["failed"] and result["owner"] == user and result["group"] == group


def test_backup_keeps_the_old_content(run, tmp_path):
    path = tmp_path / "app.env"
    path.write_text("old\n")
    result = write(run, path, "new\n", "old\n", backup=True)
    assert result["changed"] and os.path.exists(result["backup_file"])
    with open(result["backup_file"], encoding="utf-8") as handle:
        assert handle.read() == "old\n"
    assert not write(run, path, "new\n", "new\n", backup=True).get("backup_file")


def test_check_mode_writes_nothing_and_predicts(run, tmp_path):
    path = tmp_path / "app.env"
    path.write_text("old\n")
    os.chmod(path, 0o644)
    result = write(run, path, "new\n", "old\n", check_mode=True, mode="0640")
    assert result["changed"] and result["mode"] == "0640"
    assert path.read_text() == "old\n" and mode_of(path) == 0o644
    attributes_only = write(run, path, "old\n", "old\n", check_mode=True)
    assert attributes_only["changed"] and mode_of(path) == 0o644
    new = write(run, tmp_path / "new.env", "x\n", check_mode=True)
    assert new["changed"] and new["mode"] == "0600" and not (tmp_path / "new.env").exists()


def symlink_to_a_file_elsewhere(tmp_path):
    """(link, target): app.env in tmp_path/app pointing at tmp_path/elsewhere/real.env, which holds 'old' with mode 0644."""
    (tmp_path / "app").mkdir()
    (tmp_path / "elsewhere").mkdir()
    target = tmp_path / "elsewhere" / "real.env"
    target.write_text("old\n")
    os.chmod(target, 0o644)
    link = tmp_path / "app" / "app.env"
    link.symlink_to(target)
    return link, target


def test_a_symbolic_link_reads_as_no_file(run, tmp_path):
    link, _target = symlink_to_a_file_elsewhere(tmp_path)
    assert run(dict(path=str(link)))["exists"] is False


def test_a_symbolic_link_is_replaced_by_a_regular_file_and_its_target_is_left_alone(run, tmp_path):
    link, target = symlink_to_a_file_elsewhere(tmp_path)
    result = write(run, link, "new\n", None, mode="0640")
    assert result["changed"] and not link.is_symlink() and link.read_text() == "new\n" and mode_of(link) == 0o640
    assert target.read_text() == "old\n" and mode_of(target) == 0o644
    assert leftovers(link.parent) == [] and leftovers(target.parent) == []


def test_a_symbolic_link_is_not_written_through_when_the_read_saw_its_target(run, tmp_path):
    link, target = symlink_to_a_file_elsewhere(tmp_path)
    result = write(run, link, "new\n", "old\n")
    assert result["failed"] and "changed since it was read" in result["msg"]
    assert link.is_symlink() and target.read_text() == "old\n" and mode_of(target) == 0o644


def test_a_dangling_symbolic_link_is_replaced(run, tmp_path):
    link = tmp_path / "app.env"
    link.symlink_to(tmp_path / "nowhere" / "real.env")
    result = write(run, link, "new\n")
    assert result["changed"] and not link.is_symlink() and link.read_text() == "new\n" and mode_of(link) == 0o600
    assert not (tmp_path / "nowhere").exists()


def test_follow_reads_and_writes_the_target_of_a_symbolic_link(run, tmp_path):
    link, target = symlink_to_a_file_elsewhere(tmp_path)
    assert run(dict(path=str(link), follow=True))["content"] == "old\n"
    result = write(run, link, "new\n", "old\n", follow=True, mode="0640")
    assert result["changed"] and link.is_symlink() and target.read_text() == "new\n" and mode_of(target) == 0o640


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_fails_without_waiting_for_a_writer(run, tmp_path):
    path = tmp_path / "app.env"
    os.mkfifo(path)
    result = run(dict(path=str(path)))
    assert result["failed"] and "is not a regular file" in result["msg"] and "option path" in result["msg"]


def test_a_failed_write_leaves_no_temporary_file(run, tmp_path):
    path = tmp_path / "app.env"
    with mock.patch.object(os, "rename", side_effect=OSError(28, "No space left on device")):
        result = write(run, path, "new\n")
    assert result["failed"] and "No space left on device" in result["msg"]
    assert leftovers(tmp_path) == [] and not path.exists()


def test_a_write_that_cannot_create_its_temporary_file_names_the_fix(run, tmp_path):
    path = tmp_path / "app.env"
    with mock.patch("tempfile.mkstemp", side_effect=PermissionError(13, "Permission denied")):
        result = write(run, path, "new\n")
    assert result["failed"] and "cannot be written: Permission denied" in result["msg"] and "Nothing was changed" in result["msg"]
    assert not path.exists()

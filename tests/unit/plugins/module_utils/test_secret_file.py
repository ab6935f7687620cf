# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the secret file writer: atomic, private from the start, never through a symbolic link, errors as OSError."""

from __future__ import annotations

import json
import os
import stat
from unittest import mock

import pytest

from ansible.module_utils import basic
from ansible_collections.obscura.zendesk.plugins.module_utils._secret_file import replace_file, write_secret_file

SECRET = "tok0123456789abcdef0123456789abcdef0123456789abcdef"


@pytest.fixture(name="module")
def module_fixture():
    """``module(check_mode=False)``: an AnsibleModule without options."""
    def make(check_mode=False):
        payload = json.dumps({"ANSIBLE_MODULE_ARGS": {"_ansible_check_mode": check_mode}}).encode()
        patches = [mock.patch.object(basic, "_ANSIBLE_ARGS", payload)]
        if hasattr(basic, "_ANSIBLE_PROFILE"):
            patches.append(mock.patch.object(basic, "_ANSIBLE_PROFILE", "legacy"))
        for patch in patches:
            patch.start()
        try:
            return basic.AnsibleModule(argument_spec={}, supports_check_mode=True)
        finally:
            for patch in reversed(patches):
                patch.stop()
    return make


def mode_of(path):
    """The permission bits of ``path`` itself."""
    return stat.S_IMODE(os.lstat(path).st_mode)


def strays(directory):
    """Temporary files left in ``directory``."""
    return [name for name in os.listdir(directory) if name.endswith(".tmp")]


def test_a_new_file_is_never_more_open_than_0600(module, tmp_path):
    seen = []
    real_rename = os.rename

    def rename(source, destination):
        seen.append(mode_of(source))
        real_rename(source, destination)

    path = tmp_path / "token"
    with mock.patch.object(os, "rename", rename):
        replace_file(module(), str(path), b"x\n", "0640")
    assert seen == [0o600] and path.read_bytes() == b"x\n" and mode_of(path) == 0o640 and strays(tmp_path) == []


def test_an_existing_file_is_replaced_by_a_rename_with_the_wanted_mode(module, tmp_path):
    path = tmp_path / "token"
    path.write_text("old\n")
    os.chmod(path, 0o644)
    inode = os.stat(path).st_ino
    replace_file(module(), str(path), b"new\n", "0600")
    assert path.read_text() == "new\n" and mode_of(path) == 0o600 and os.stat(path).st_ino != inode


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symbolic_link_is_replaced_and_its_target_left_alone(module, tmp_path, dangling):
    target = tmp_path / "elsewhere" / "file"
    target.parent.mkdir()
    if not dangling:
        target.write_text("theirs\n")
        os.chmod(target, 0o644)
    link = tmp_path / "token"
    link.symlink_to(target)
    replace_file(module(), str(link), b"mine\n", "0600")
    assert not link.is_symlink() and link.read_text() == "mine\n" and mode_of(link) == 0o600
    assert (target.read_text() == "theirs\n" and mode_of(target) == 0o644) if not dangling else not target.exists()


def test_a_failed_rename_is_an_oserror_with_the_cause_and_leaves_nothing(module, tmp_path):
    path = tmp_path / "token"
    path.write_text("old\n")
    with mock.patch.object(os, "rename", side_effect=OSError(28, "No space left on device")), \
            mock.patch.object(basic.AnsibleModule, "fail_json", side_effect=OSError(28, "No space left on device")):
        with pytest.raises(OSError, match="No space left on device"):
            replace_file(module(), str(path), b"new\n", "0600")
    assert path.read_text() == "old\n" and strays(tmp_path) == []


def test_write_secret_file_writes_0600_then_changes_nothing(module, tmp_path):
    path = tmp_path / "token"
    assert write_secret_file(module(), str(path), SECRET) is True
    assert path.read_text() == SECRET + "\n" and mode_of(path) == 0o600
    assert write_secret_file(module(), str(path), SECRET) is False
    os.chmod(path, 0o644)
    assert write_secret_file(module(), str(path), SECRET) is True and mode_of(path) == 0o600


def test_write_secret_file_in_check_mode_predicts_and_writes_nothing(module, tmp_path):
    path = tmp_path / "token"
    assert write_secret_file(module(check_mode=True), str(path), SECRET) is True and not path.exists()
    path.write_text(SECRET + "\n")
    os.chmod(path, 0o600)
    assert write_secret_file(module(check_mode=True), str(path), SECRET) is False


def test_write_secret_file_replaces_a_link_to_a_file_holding_the_value(module, tmp_path):
    target = tmp_path / "theirs"
    target.write_text(SECRET + "\n")
    os.chmod(target, 0o600)
    link = tmp_path / "token"
    link.symlink_to(target)
    assert write_secret_file(module(), str(link), SECRET) is True and not link.is_symlink() and mode_of(link) == 0o600


def test_write_secret_file_at_a_directory_is_an_oserror(module, tmp_path):
    with pytest.raises(OSError, match="is a directory"):
        write_secret_file(module(), str(tmp_path), SECRET)

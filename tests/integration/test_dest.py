# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""dest: the value is written 0600 and atomically; when it cannot be, the old file stays and the new token is revoked."""

from __future__ import annotations

import os
import pathlib

from harness import TOKENS_PATH, Case, assert_failed, assert_file_holds, assert_kept, assert_minted, assert_no_writes, assert_ok, unprivileged_python

from zendesk_simulator import seed

MY_APP = seed.MY_APP_CLIENT_ID
MINT = {"client_id": MY_APP, "recreate": "always"}
PREVIOUS = "previous-content\n"


def file_with(path, content, mode=0o644):
    """Create ``path`` holding ``content``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    path.chmod(mode)
    return str(path)


def strays(directory):
    """Temporary files the module left in ``directory``."""
    return [name for name in os.listdir(directory) if name.startswith(".")]


def revoked_after_mint(harness, case):
    """The failed case minted exactly one token and revoked it again."""
    posts = [r for r in case.requests if r["method"] == "POST"]
    deletes = [r["path"] for r in case.requests if r["method"] == "DELETE"]
    assert len(posts) == 1 and posts[0]["status"] == 201 and len(deletes) == 1, case.describe()
    token_id = int(deletes[0].rsplit("/", 1)[1])
    assert deletes[0] == "%s/%d" % (TOKENS_PATH, token_id) and harness.tokens()[token_id]["revoked"] is True
    assert str(token_id) in case.msg and "revoked" in case.msg, case.describe()
    assert "token" not in case.result, case.describe()


def test_dest_written_0600_atomically(harness, tmp_path):
    """A new file, and an existing 0644 one, get the minted value with mode 0600 through a rename."""
    new = str(tmp_path / "out" / "new-token")
    os.makedirs(os.path.dirname(new))
    existing = file_with(tmp_path / "out" / "existing-token", PREVIOUS)
    inode = os.stat(existing).st_ino
    kept_file = file_with(tmp_path / "out" / "kept-token", PREVIOUS, mode=0o600)
    run = harness.play([
        Case("new file", dict(MINT, dest=new)),
        Case("existing file", dict(MINT, dest=existing)),
        Case("kept token leaves the file", {"client_id": MY_APP, "dest": kept_file}),
        Case("check mode writes nothing", dict(MINT, dest=str(tmp_path / "out" / "check-token")), check=True),
    ])
    for name, path in (("new file", new), ("existing file", existing)):
        case = run[name]
        assert_minted(case)
        assert_file_holds(path, case.token["full_token"])
    assert os.stat(existing).st_ino != inode, "the file must be replaced by a rename, not rewritten in place"
    assert_kept(run["kept token leaves the file"], run["existing file"].token["id"])
    assert pathlib.Path(kept_file).read_text(encoding="utf-8") == PREVIOUS
    assert_ok(run["check mode writes nothing"], True)
    assert_no_writes(run["check mode writes nothing"])
    assert sorted(os.listdir(tmp_path / "out")) == ["existing-token", "kept-token", "new-token"]


def test_unwritable_dest_keeps_the_old_file_and_revokes_the_new_token(harness, tmp_path):
    """Missing directory, read-only directory, a directory in the way: a clear failure, old content kept, token revoked."""
    read_only = tmp_path / "read-only"
    in_read_only = file_with(read_only / "token", PREVIOUS)
    in_the_way = tmp_path / "in-the-way"
    file_with(in_the_way / "inside", PREVIOUS)
    read_only.chmod(0o500)
    try:
        run = harness.play([
            Case("missing directory", dict(MINT, dest=str(tmp_path / "missing" / "token"))),
            Case("read-only directory", dict(MINT, dest=in_read_only),
                 task_vars={"ansible_python_interpreter": unprivileged_python(tmp_path)}),
            Case("directory in the way", dict(MINT, dest=str(in_the_way))),
        ])
    finally:
        read_only.chmod(0o700)
    for name in run.cases:
        assert_failed(run[name], "dest")
        revoked_after_mint(harness, run[name])
    assert not (tmp_path / "missing").exists()
    assert pathlib.Path(in_read_only).read_text(encoding="utf-8") == PREVIOUS and not strays(read_only)
    assert os.listdir(in_the_way) == ["inside"] and not strays(tmp_path)


def test_a_symbolic_link_at_dest_is_replaced_never_written_through(harness, tmp_path):
    """A link planted at dest (to a root-only file, or dangling) is replaced by a 0600 file; its target stays as it was."""
    victim = file_with(tmp_path / "root-only" / "victim", PREVIOUS, mode=0o640)
    before = os.stat(victim)
    out = tmp_path / "out"
    out.mkdir()
    (out / "token").symlink_to(victim)
    (out / "dangling").symlink_to(tmp_path / "nowhere" / "token")
    run = harness.play([
        Case("link to a root-only file", dict(MINT, dest=str(out / "token"))),
        Case("dangling link", dict(MINT, dest=str(out / "dangling"))),
    ])
    for name, path in (("link to a root-only file", out / "token"), ("dangling link", out / "dangling")):
        assert_minted(run[name])
        assert not os.path.islink(path), name
        assert_file_holds(str(path), run[name].token["full_token"])
    after = os.stat(victim)
    assert pathlib.Path(victim).read_text(encoding="utf-8") == PREVIOUS
    assert (after.st_uid, after.st_gid, after.st_mode, after.st_ino) == (before.st_uid, before.st_gid, before.st_mode, before.st_ino)
    assert not (tmp_path / "nowhere").exists() and not strays(out)

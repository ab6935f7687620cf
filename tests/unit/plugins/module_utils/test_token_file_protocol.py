# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of zendesk_token_file's protocol: the read command (run by sh here too) and its answer, a previous read, the write
command (run by sh here too) and its answer, the module's write request."""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import subprocess

import pytest

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_protocol import (
    CHECKSUM,
    CONTENT,
    HostFailure,
    PreviousProblem,
    checksum,
    mode_of,
    new_marker,
    read_command,
    state_from_answer,
    state_from_previous,
    take_write_request,
    write_arguments,
    write_command,
    written_attributes,
)

STATE = dict(exists=True, content="A=1\n", mode="0600", owner="app", group="app", uid=1001, gid=1001)
PATH = "/etc/myapp/app.env"
MARKER = "zendesk_token_file-0123456789abcdef"
MISSING_STATE = dict(exists=False, content="", mode=None, owner=None, group=None, uid=None, gid=None)
LS_NUMBERS = "-rw------- 1 1001 1001 4 Dec  6 16:00 %s" % PATH
LS_NAMES = "-rw------- 1 app app 4 Dec  6 16:00 %s" % PATH


def file_answer(data=b"A=1\n", numbers=LS_NUMBERS, names=LS_NAMES, rc=0, newline="\n", before="motd line\n"):
    """What the read command prints for a regular file holding ``data`` (``newline``: "\\r\\n" through a tty)."""
    hex_lines = [" ".join("%02x" % byte for byte in data[start:start + 16]) for start in range(0, len(data), 16)]
    lines = [MARKER + " numbers", numbers, MARKER + " names", names, MARKER + " content"] + hex_lines + [MARKER + " end"]
    return dict(rc=rc, stdout=before + newline.join(lines) + newline, stderr="")


def kind_answer(kind, detail=""):
    """What the read command prints when no regular file can be read at the path."""
    return dict(rc=0, stdout="%s %s%s\n" % (MARKER, kind, " " + detail if detail else ""), stderr="")


def run_here(path, follow=False, env=None, user=None):
    """The read command run by sh on this machine (as ``user``, by su, when given); its state, or the HostFailure."""
    marker = new_marker()
    command = read_command(str(path), follow, marker)
    argv = ["/bin/sh", "-c", command] if user is None else ["su", user, "-s", "/bin/sh", "-c", command]
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    try:
        return state_from_answer(dict(rc=done.returncode, stdout=done.stdout, stderr=done.stderr), marker, str(path))
    except HostFailure as failure:
        return failure


def test_the_read_command_reads_a_path_with_quotes_spaces_and_dollars_without_evaluating_it(tmp_path):
    path = tmp_path / "it's \"quoted\" $1 `true` $(echo x) \\n" / "app.env"
    path.parent.mkdir()
    path.write_text("A=1\n")
    path.chmod(0o640)
    state = run_here(path)
    assert state == dict(STATE, content="A=1\n", mode="0640", uid=os.getuid(), gid=os.getgid(), owner=pwd.getpwuid(os.getuid()).pw_name,
                         group=grp.getgrgid(os.getgid()).gr_name, link=False)
    assert "python" not in read_command(str(path), False, MARKER)


def test_the_read_command_expands_variables_and_home_as_the_modules_path_type_does(tmp_path):
    (tmp_path / "app.env").write_text("A=1\n")
    env = dict(os.environ, HOME=str(tmp_path), APP_DIR=str(tmp_path), EMPTY="")
    for path in ("~/app.env", "$APP_DIR/app.env", "${APP_DIR}/app.env", "$HOME/app.env", "${EMPTY}~/app.env"):
        expected = os.path.expanduser(os.path.expandvars(path)) if path[0] != "$" else None
        assert run_here(path, env=env)["content"] == "A=1\n", (path, expected)
    assert run_here("$NO_SUCH_VARIABLE/app.env", env=env)["exists"] is False


def test_a_variable_the_host_lacks_stays_as_it_is():
    assert "p=${p}'$NO_SUCH'" in read_command("/x/$NO_SUCH/y", False, MARKER)
    assert "p='/x/$1/y'" in read_command("/x/$1/y", False, MARKER)


def test_the_read_command_passes_follow():
    assert read_command(PATH, True, MARKER).endswith('print_state "$p" follow L')
    assert read_command(PATH, False, MARKER).endswith('print_state "$p" nofollow')


@pytest.mark.parametrize("path", [PATH, "~/app.env", "/x/$HOME/app.env"])
def test_the_read_command_takes_what_ansible_core_appends(tmp_path, path):
    """ansible-core 2.18 runs ``<command> && sleep 0``: that is still one valid POSIX shell command that reads."""
    target = tmp_path / "app.env"
    target.write_text("A=1\n", encoding="utf-8")
    command = read_command(str(target) if path == PATH else path, False, MARKER) + " && sleep 0"
    answer = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, check=False)
    assert answer.returncode == 0 and "Syntax error" not in answer.stderr, answer.stderr
    if path == PATH:
        assert "%s content" % MARKER in answer.stdout


def test_the_answer_is_the_state_of_the_marked_lines():
    assert state_from_answer(file_answer(), MARKER, PATH) == dict(STATE, link=False)


def test_an_answer_through_a_tty_is_read_alike():
    """ssh runs commands with become in a tty (-tt): its lines end in CR LF, the bytes are in hexadecimal and stay as they are."""
    data = "A=1\r\nB=caf\u00e9\n".encode()
    state = state_from_answer(file_answer(data, newline="\r\n", before="BECOME-SUCCESS-x\r\n"), MARKER, PATH)
    assert state["content"] == data.decode()


@pytest.mark.parametrize("mode_text,mode", [("-rw-------", "0600"), ("-rwsr-x---", "4750"), ("-rwSr-Sr-T", "7644"),
                                            ("-rw-r-----+", "0640"), ("-r--r--r--.", "0444"), ("-rwxrwsrwt", "3777")])
def test_the_mode_is_read_from_the_ls_mode_text(mode_text, mode):
    assert mode_of(mode_text) == mode


def test_an_owner_or_group_name_with_white_space_is_given_as_its_number():
    names = "-rw------- 1 app domain users 4 Dec  6 16:00 %s" % PATH
    state = state_from_answer(file_answer(names=names), MARKER, PATH)
    assert (state["owner"], state["group"], state["uid"], state["gid"]) == ("1001", "1001", 1001, 1001)


@pytest.mark.parametrize("kind,link", [("missing", False), ("link", True)])
def test_no_file_and_a_link_not_followed_read_as_no_file(kind, link):
    assert state_from_answer(kind_answer(kind), MARKER, PATH) == dict(MISSING_STATE, link=link)


@pytest.mark.parametrize("kind,detail,message", [
    ("directory", "", "%s is a directory. Give the path of a file in option path" % PATH),
    ("special", "", "%s is not a regular file. Give the path of a regular file in option path" % PATH),
    ("denied", "", "%s cannot be read: permission denied. Run the task with become (and become_user), or let the remote user "
                   "read the file" % PATH),
    ("failed", "Too many levels of symbolic links",
     "%s cannot be read: Too many levels of symbolic links. Give the path of a readable file in option path" % PATH),
])
def test_what_cannot_be_read_is_a_host_failure_naming_the_fix(kind, detail, message):
    with pytest.raises(HostFailure) as failure:
        state_from_answer(kind_answer(kind, detail), MARKER, PATH)
    assert failure.value.result == dict(msg=message)


def test_a_file_that_is_not_utf8_is_a_host_failure():
    with pytest.raises(HostFailure, match="is not UTF-8 text. Convert the file to UTF-8"):
        state_from_answer(file_answer(b"caf\xe9\n"), MARKER, PATH)


@pytest.mark.parametrize("reply", [dict(rc=0, stdout="", stderr=""), dict(rc=0, stdout="Welcome!\n", stderr=""),
                                   kind_answer("unknown"), file_answer(rc=1),
                                   dict(file_answer(), stdout=file_answer()["stdout"].replace(MARKER + " end", "")),
                                   dict(file_answer(), stdout=file_answer()["stdout"].replace("1001", "x")),
                                   dict(file_answer(), stdout=file_answer()["stdout"].replace(" 0a", " zz")),
                                   dict(file_answer(), stdout=file_answer()["stdout"].replace("zendesk_token_file-0", "other-0")),
                                   dict(rc=1, stdout="", stderr="sudo: a password is required")])
def test_an_answer_that_is_not_the_reads_names_the_fix(reply):
    with pytest.raises(HostFailure) as failure:
        state_from_answer(reply, MARKER, PATH)
    message = failure.value.result["msg"]
    assert message.startswith("The host could not read the file (exit status %s)" % reply["rc"])
    assert reply["stderr"] in message and "POSIX shell" in message and "become" in message and failure.value.result["rc"] == reply["rc"]


def test_the_read_command_on_this_machine_tells_every_kind_of_path(tmp_path):
    target = tmp_path / "target.env"
    target.write_bytes(b"A=1\n")
    (tmp_path / "link.env").symlink_to(target)
    (tmp_path / "loop.env").symlink_to(tmp_path / "loop.env")
    (tmp_path / "dangling.env").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "fifo")
    assert run_here(tmp_path / "link.env") == dict(MISSING_STATE, link=True)
    assert run_here(tmp_path / "link.env", follow=True)["content"] == "A=1\n"
    assert run_here(tmp_path / "loop.env") == dict(MISSING_STATE, link=True)
    assert "Too many levels of symbolic links" in str(run_here(tmp_path / "loop.env", follow=True))
    assert run_here(tmp_path / "dangling.env", follow=True) == dict(MISSING_STATE, link=False)
    assert run_here(tmp_path / "missing.env") == dict(MISSING_STATE, link=False)
    assert run_here(tmp_path / "no" / "dir" / "app.env")["exists"] is False
    assert "is a directory" in str(run_here(tmp_path))
    assert "is not a regular file" in str(run_here(tmp_path / "fifo"))  # told without opening it: no wait for a writer


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to read as another user")
def test_a_file_or_directory_the_user_may_not_read_is_a_host_failure_naming_become(tmp_path):
    tmp_path.chmod(0o755)
    (tmp_path / "closed").mkdir(mode=0o700)
    (tmp_path / "closed" / "app.env").write_text("A=1\n")
    unreadable = tmp_path / "unreadable.env"
    unreadable.write_text("A=1\n")
    unreadable.chmod(0o600)
    for path in (tmp_path / "closed" / "app.env", unreadable):
        failure = run_here(path, user="nobody")
        assert isinstance(failure, HostFailure) and "cannot be read: permission denied. Run the task with become" in str(failure)


def test_a_huge_file_is_read_whole(tmp_path):
    data = ("A=%s\n" % ("x" * 1000)).encode() * 4096  # 4 MiB
    (tmp_path / "huge.env").write_bytes(data)
    assert run_here(tmp_path / "huge.env")["content"].encode() == data


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


WRITE_OPTIONS = dict(path=PATH, follow=False, backup=False, mode="0640", owner=None, group=None)


@pytest.mark.parametrize("options,state", [
    (dict(WRITE_OPTIONS, follow=True), STATE),
    (dict(WRITE_OPTIONS, backup=True), STATE),
    (dict(WRITE_OPTIONS, mode="u=rw,g=r"), STATE),
    (WRITE_OPTIONS, dict(MISSING_STATE, link=True)),
])
def test_what_only_the_module_writes_has_no_write_command(options, state):
    assert write_command(options, "A=2\n", state, MARKER) is None


def test_the_write_command_carries_no_text_and_sends_the_new_then_the_old_on_stdin():
    command, data = write_command(dict(WRITE_OPTIONS, owner="app", group="web"), "SECRET=new\n", dict(STATE, content="SECRET=old\n"), MARKER)
    assert "SECRET" not in command and data == b"SECRET=new\nSECRET=old\n"
    assert command.splitlines()[-1].startswith("write_file 11 1001:1001 app web 0640 file ||")


def write_here(path, new, state, user=None, suffix=""):
    """The write command run by sh on this machine (as ``user``, by su, when given); its answer's attributes or None."""
    marker = new_marker()
    command, data = write_command(dict(WRITE_OPTIONS, path=str(path)), new, state, marker)
    command += suffix
    argv = ["/bin/sh", "-c", command] if user is None else ["su", user, "-s", "/bin/sh", "-c", command]
    done = subprocess.run(argv, capture_output=True, input=data, check=False)
    return written_attributes(dict(rc=done.returncode, stdout=done.stdout.decode(), stderr=done.stderr.decode()), marker)


def test_an_owner_like_an_option_is_a_name_to_chown_not_an_option(tmp_path):
    path = tmp_path / "app.env"
    marker = new_marker()
    command, data = write_command(dict(WRITE_OPTIONS, path=str(path), owner="--help"), "A=2\n", MISSING_STATE, marker)
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, input=data, check=False)
    assert written_attributes(dict(stdout=done.stdout.decode()), marker) is None and not path.exists()
    assert os.listdir(tmp_path) == []


def test_the_write_command_takes_what_ansible_core_appends(tmp_path):
    path = tmp_path / "app.env"
    written = write_here(path, "A=2\n", MISSING_STATE, suffix=" && sleep 0")
    assert written["mode"] == "0640" and written["uid"] == os.getuid() and path.read_text() == "A=2\n"


@pytest.mark.skipif(os.getuid() != 0, reason="su to another user needs root")
def test_a_user_who_may_not_write_the_directory_defers_and_nothing_changes(tmp_path):
    path = tmp_path / "app.env"
    path.write_text("A=1\n")
    tmp_path.chmod(0o755)
    before = sorted(os.listdir(tmp_path))
    assert write_here(path, "A=2\n", dict(STATE, uid=0, gid=0), user="nobody") is None
    assert path.read_text() == "A=1\n" and sorted(os.listdir(tmp_path)) == before


def test_the_write_answer_gives_the_new_files_attributes_or_none_when_deferred():
    lines = [MARKER + " written", MARKER + " numbers", LS_NUMBERS, MARKER + " names", LS_NAMES]
    assert written_attributes(dict(stdout="\n".join(lines) + "\n"), MARKER) == dict(mode="0600", owner="app", group="app", uid=1001, gid=1001)
    assert written_attributes(dict(stdout=MARKER + " written\n"), MARKER) == dict.fromkeys(("mode", "owner", "group", "uid", "gid")), \
        "written, but ls said nothing: the write is not repeated"
    assert written_attributes(dict(stdout=MARKER + " defer\n"), MARKER) is None
    assert written_attributes(dict(stdout="", rc=1), MARKER) is None

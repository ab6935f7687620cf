# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of zendesk_token_file's action plugin: module executions per run, errors naming host, file and fix, nothing written."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from unittest import mock

import pytest

from ansible.errors import AnsibleConnectionFailure, AnsibleError, AnsibleFileNotFound
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.template import Templar

try:  # ansible-core 2.19 and later: a variable's template must be trusted to be rendered
    from ansible.template import trust_as_template
except ImportError:  # ansible-core 2.18: every string is a template
    trust_as_template = str
from ansible_collections.obscura.zendesk.plugins.action import zendesk_token_file
from ansible_collections.obscura.zendesk.plugins.action.zendesk_token_file import ActionModule
from ansible_collections.obscura.zendesk.plugins.module_utils import _token_file_protocol as protocol
from ansible_collections.obscura.zendesk.plugins.module_utils import _token_file_read as token_file_read
from ansible_collections.obscura.zendesk.tests.unit.plugins.action.doubles import a_connection, an_action

OLD = "old0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
NEW = "new0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
PATH = "/etc/myapp/app.conf"
ATTRIBUTES = dict(mode="0600", owner="app", group="app", uid=1001, gid=1001)
LS_LINE = "-rw------- 1 %s %s 42 Dec  6 16:00 " + PATH


class Host:
    """A host holding one file (None: no file): answers the read command, runs the module's writes, records both.

    ``kind`` is what the read command finds at the path when it is no regular file: link, directory, special, denied.
    The shell write defers to the module (as on a host with SELinux) unless ``shell`` is true; its standard input is
    recorded in ``shell_writes``.
    """

    def __init__(self, content=None, failure=None, kind=None, shell=False):
        self.content = content
        self.failure = failure
        self.kind = kind
        self.shell = shell
        self.calls = []
        self.shell_writes = []

    def answer(self, marker):
        """What the read command prints about the file."""
        if self.kind or self.content is None:
            return "%s %s\n" % (marker, self.kind or "missing")
        data = self.content.encode("utf-8")
        return "\n".join(["%s numbers" % marker, LS_LINE % (ATTRIBUTES["uid"], ATTRIBUTES["gid"]), "%s names" % marker,
                          LS_LINE % (ATTRIBUTES["owner"], ATTRIBUTES["group"]), "%s content" % marker, data.hex(" "),
                          "%s end" % marker]) + "\n"

    def command(self, cmd, sudoable=True, in_data=None, **_kwargs):  # pylint: disable=unused-argument
        """What _low_level_execute_command returns for the read or the write command: shell commands, no Python on the host."""
        marker = re.search(r"^m=(\S+)$", cmd, re.MULTILINE).group(1)
        path = shlex.split(re.search(r"^p=(.*)$", cmd, re.MULTILINE).group(1))[0]
        assert "python" not in cmd and sudoable
        if "\nwrite_file " in cmd:
            self.shell_writes.append(in_data)
            if not self.shell:
                return dict(rc=0, stdout="%s defer\n" % marker, stderr="")
            size = int(re.search(r"^write_file (\d+) ", cmd, re.MULTILINE).group(1))
            self.content = in_data[:size].decode()  # the new text; the old text follows it, for the script's cmp
            return dict(rc=0, stdout="\n".join(["%s written" % marker] + self.answer(marker).splitlines()[:4]) + "\n", stderr="")
        self.calls.append(dict(read=path, follow=cmd.endswith('"$p" follow L')))
        return dict(rc=0, stdout=self.answer(marker), stderr="")

    def execute(self, module_name=None, module_args=None, task_vars=None, wrap_async=False):  # pylint: disable=unused-argument
        """What _execute_module returns for ``module_args`` (a write)."""
        self.calls.append(dict(module_args))
        if self.failure:
            return dict(failed=True, msg=self.failure)
        return dict(ATTRIBUTES, changed=True, exists=True)

    def writes(self):
        """The module executions that would write."""
        return [call for call in self.calls if "_content" in call]


def run(args, host, check_mode=False, diff=False, task=None, connection=None, execute=None, host_vars=None):
    """Run the action plugin for the task ``args`` on ``host`` (inventory name web1, its variables ``host_vars``); its result.

    ``execute(plugin, ...)`` stands for ActionBase._execute_module (default: ``host.execute``).
    """
    task = task or Task()
    task.action = "obscura.zendesk.zendesk_token_file"
    task.args = dict(args)
    task.check_mode = check_mode
    task.diff = diff
    task_vars = dict(host_vars or {}, inventory_hostname="web1")
    plugin = an_action(ActionModule, task, connection)
    plugin._templar = Templar(loader=DataLoader(), variables=task_vars)  # pylint: disable=protected-access
    module_execution = mock.patch.object(ActionModule, "_execute_module", autospec=True, side_effect=execute) if execute \
        else mock.patch.object(ActionModule, "_execute_module", side_effect=host.execute)
    with module_execution, \
            mock.patch.object(ActionModule, "_low_level_execute_command", side_effect=host.command), \
            mock.patch.object(ActionModule, "_configure_module", side_effect=AssertionError("no module is built to learn the interpreter")), \
            mock.patch.object(ActionModule, "_remove_tmp_path"), \
            mock.patch.object(ActionModule, "_find_needle", side_effect=AnsibleFileNotFound("not found")):
        return plugin.run(task_vars=task_vars)


def assert_failed_naming_host_file_and_fix(result, *phrases):
    """A failure whose message names the host, the file and a fix, and carries no value."""
    assert result["failed"]
    message = result["msg"]
    assert message.startswith("Host web1")
    assert PATH in message
    for phrase in phrases:
        assert phrase in message
    assert OLD not in str(result) and NEW not in str(result)
    assert "_ansible_no_log" not in result


@pytest.mark.parametrize("file_format,content,phrases", [
    ("env", 'ZENDESK_OAUTH_TOKEN="%s\n' % OLD, ("no closing double quote", "Close the quote")),
    ("ini", "[zendesk\noauth_token = %s\n" % OLD, ("Line 1 is neither", "Fix the file")),
    ("json", '{"zendesk": {"oauth_token": "%s",}}' % OLD, ("not valid JSON", "Fix the file")),
    ("yaml", "zendesk: [%s\n" % OLD, ("not valid YAML", "Fix the file")),
    ("json", '{"zendesk": ["%s"]}' % OLD, ("goes through zendesk, which is a list, not a mapping", "option key")),
    ("yaml", "zendesk: %s\n" % OLD, ("goes through zendesk, which is a string, not a mapping", "option key")),
])
@pytest.mark.parametrize("value", [None, NEW])
def test_a_file_not_valid_for_its_format_fails_and_nothing_is_written(file_format, content, phrases, value):
    host = Host(content)
    args = dict(path=PATH, format=file_format)
    if value:
        args["value"] = value
    result = run(args, host)
    assert_failed_naming_host_file_and_fix(result, "Host web1, file %s: " % PATH, *phrases)
    assert len(host.calls) == 1 and not host.writes()


@pytest.mark.parametrize("kind,failure", [
    ("directory", "%s is a directory. Give the path of a file in option path" % PATH),
    ("denied", "%s cannot be read: permission denied. Run the task with become (and become_user), or let the remote user read the file"
     % PATH),
    ("special", "%s is not a regular file. Give the path of a regular file in option path" % PATH),
])
def test_a_host_failure_names_the_host_and_nothing_is_written(kind, failure):
    host = Host(kind=kind)
    result = run(dict(path=PATH, value=NEW), host)
    assert_failed_naming_host_file_and_fix(result, "Host web1: " + failure)
    assert not host.writes()


def test_a_missing_template_fails_before_any_module_execution():
    host = Host("TOKEN=%s\n" % OLD)
    result = run(dict(path=PATH, format="template", template="missing.j2", value=NEW), host)
    assert_failed_naming_host_file_and_fix(result, "The template missing.j2 is not found on the controller", "templates/ directory")
    assert host.calls == []


@pytest.mark.parametrize("args,phrases", [
    (dict(format="template"), ("format=template needs the option template", "Give template")),
    (dict(format="env", template="a.j2"), ("only used with format=template", "set format: template")),
    (dict(value=""), ("value is empty", "omit value to only read")),
    (dict(_previous={"content": ""}), ("_previous is only used when writing", "Give value too")),
    (dict(value=NEW, mode="rw-------"), ("neither octal", "'0600'")),
    (dict(value=NEW, _previous={"failed": True}), ("not the registered result of a successful read", "return_content: true")),
    (dict(value=NEW, _previous=dict(path="/etc/other.env", exists=False, content="")), ("is the read of /etc/other.env", "same path")),
    (dict(format="ini", key="oauth_token", value=NEW), ("is not section.key", "option key")),
    (dict(value="two\nlines"), ("line break", "option value")),
])
def test_bad_options_fail_naming_host_file_and_fix_and_nothing_is_written(args, phrases):
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    result = run(dict(args, path=PATH), host)
    assert_failed_naming_host_file_and_fix(result, *phrases)
    assert not host.writes()


def test_a_read_is_the_read_command_alone_and_hidden_from_display():
    host = Host("# app\nexport ZENDESK_OAUTH_TOKEN=%s  # token\n" % OLD)
    result = run(dict(path=PATH), host)
    assert not result.get("failed") and result["held"] and result["value"] == OLD and not result["changed"]
    assert result["_ansible_no_log"] is True and "ansible_facts" not in result and "settled" not in result
    assert host.calls == [dict(read=PATH, follow=False)]


def previous_read(content):
    """The registered result of a read of PATH with return_content: true that saw ``content``."""
    return dict(ATTRIBUTES, path=PATH, changed=False, exists=True, held=True, content=content)


def test_a_write_given_a_previous_read_does_not_read_again():
    content = "ZENDESK_OAUTH_TOKEN=%s\n" % OLD
    host = Host("not what the previous read saw")
    result = run(dict(path=PATH, value=NEW, _previous=previous_read(content)), host)
    (written,) = host.calls
    assert result["changed"] and written["_content"] == "ZENDESK_OAUTH_TOKEN=%s\n" % NEW
    assert written["_checksum"] == protocol.checksum(dict(exists=True, content=content))


def test_a_previous_read_that_holds_the_value_with_the_wanted_attributes_runs_nothing_on_the_host():
    host = Host()
    result = run(dict(path=PATH, value=NEW, owner="app", _previous=previous_read("ZENDESK_OAUTH_TOKEN=%s\n" % NEW)), host)
    assert not result.get("failed") and not result["changed"] and host.calls == []


def test_follow_reaches_the_read_command():
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    run(dict(path=PATH, follow=True), host)
    assert host.calls == [dict(read=PATH, follow=True)]


def test_a_symbolic_link_not_followed_warns_that_a_write_replaces_it():
    host = Host(kind="link")
    result = run(dict(path=PATH, value=NEW), host)
    assert result["changed"] and result["held"]
    assert any("%s is a symbolic link, not followed" % PATH in warning and "follow: true" in warning for warning in result["warnings"])
    assert host.writes()[0]["follow"] is False


def test_a_write_that_changes_nothing_is_the_read_only():
    host = Host("A=1\nZENDESK_OAUTH_TOKEN=%s\n" % NEW)
    result = run(dict(path=PATH, value=NEW, owner="app", group="1001", mode="0600"), host)
    assert not result["changed"] and len(host.calls) == 1 and not host.writes()


def test_a_mode_change_alone_writes_the_same_content():
    content = "ZENDESK_OAUTH_TOKEN=%s\n" % NEW
    host = Host(content)
    result = run(dict(path=PATH, value=NEW, mode="0640"), host)
    assert result["changed"] and [call["_content"] for call in host.writes()] == [content]


def test_a_write_keeps_the_rest_and_sends_the_checksum_of_what_was_read():
    content = "# app\r\nexport ZENDESK_OAUTH_TOKEN=%s  # token\r\nB=2\r\n" % OLD
    host = Host(content)
    result = run(dict(path=PATH, value=NEW, backup=True), host)
    assert result["changed"] and result["value"] == NEW and result["_ansible_no_log"] is True
    (written,) = host.writes()
    assert written["_content"] == content.replace(OLD, NEW)
    assert written["_checksum"] == protocol.checksum(dict(exists=True, content=content)) and written["backup"] is True


def test_check_mode_predicts_and_writes_nothing():
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    result = run(dict(path=PATH, value=NEW, mode="0640"), host, check_mode=True)
    assert result["changed"] and result["mode"] == "0640" and not host.writes()


def test_diff_shows_placeholders_never_the_values():
    host = Host("A=1\nZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    with mock.patch.object(zendesk_token_file.display, "display") as shown:
        result = run(dict(path=PATH, value=NEW), host, check_mode=True, diff=True)
    assert result["diff"]["before"] == "A=1\nZENDESK_OAUTH_TOKEN=<zendesk token (old)>\n"
    assert result["diff"]["after"] == "A=1\nZENDESK_OAUTH_TOKEN=<zendesk token (new)>\n"
    (text,), _kwargs = shown.call_args
    assert "-ZENDESK_OAUTH_TOKEN=<zendesk token (old)>" in text and "+ZENDESK_OAUTH_TOKEN=<zendesk token (new)>" in text
    assert OLD not in str(result["diff"]) + text and NEW not in str(result["diff"]) + text


@pytest.mark.parametrize("args,phrases", [
    (dict(path=PATH, value=NEW, bogus="1"), ("Host web1: Unsupported parameters: bogus", "Supported parameters include")),
    (dict(value=NEW), ("Host web1: missing required arguments: path",)),
    (dict(path=PATH, value=NEW, format="xml"), ("value of format must be one of",)),
    (dict(path=PATH, value=NEW, _previous="not a dict " + OLD), ("_previous",)),
    (dict(path=PATH, values={"A": NEW}, bogus="1"), ("Host web1: Unsupported parameters: bogus",)),
    (dict(path=PATH, values=[NEW]), ("values",)),
])
def test_invalid_arguments_fail_without_showing_a_value(args, phrases):
    host = Host()
    result = run(args, host)
    assert result["failed"] and host.calls == []
    for phrase in phrases:
        assert phrase in result["msg"]
    assert OLD not in str(result) and NEW not in str(result)


@pytest.mark.parametrize("args", [dict(path=PATH, value=NEW, mode="bogus"), dict(path=PATH, value=NEW)])
def test_the_value_in_the_task_data_is_replaced_by_a_placeholder(args):
    """An ad hoc task's data is shown with its failure by ansible-core 2.19+; the arguments the task runs with stay."""
    task = Task()
    task._ds = {"action": "obscura.zendesk.zendesk_token_file", "args": dict(args)}  # pylint: disable=protected-access
    run(args, Host("A=1\n"), task=task)
    assert task.get_ds()["args"] == dict(args, value="<zendesk token (new)>")
    assert task.args["value"] == NEW


def test_the_connection_logs_no_host_output_while_the_host_answers():
    """Connection plugins (ssh at -vvv) log a command's output, the file's text, unless their play context says no_log."""
    connection = a_connection()
    connection._play_context = PlayContext()  # the connection's own copy, which ssh consults
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    seen = []
    read, write = host.command, host.execute
    host.command = lambda cmd, **kwargs: seen.append(connection._play_context.no_log) or read(cmd, **kwargs)
    host.execute = lambda **kwargs: seen.append(connection._play_context.no_log) or write(**kwargs)
    result = run(dict(path=PATH, value=NEW), host, connection=connection)
    assert not result.get("failed") and result["changed"]
    assert seen == [True, True, True]  # the read, the shell write (deferred by this host) and the module's write
    assert connection._play_context.no_log is False  # restored for the task's other work


def test_an_unexpected_error_in_the_format_work_shows_no_value_and_nothing_is_written():
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    with mock.patch.object(zendesk_token_file, "new_content", side_effect=TypeError("cannot represent %r" % NEW)):
        result = run(dict(path=PATH, value=NEW), host)
    assert_failed_naming_host_file_and_fix(result, "unexpected TypeError", "Please report it")
    assert not host.writes()


class ThisMachine:
    """The read and write commands run by sh on this machine, as a connection would run them on the host (``env``: its
    environment); the commands are kept in ``commands``."""

    def __init__(self, env=None):
        self.env = env
        self.commands = []

    def command(self, cmd, sudoable=True, in_data=None, **_kwargs):  # pylint: disable=unused-argument
        """Run ``cmd`` with sh, as a connection would on the host."""
        self.commands.append(cmd)
        done = subprocess.run(["/bin/sh", "-c", cmd], capture_output=True, input=in_data or b"", check=False, env=self.env)
        return dict(rc=done.returncode, stdout=done.stdout.decode(), stderr=done.stderr.decode())


def read_here(path, machine=None, module=None, **args):
    """Read ``path`` with the action plugin (and ``args``: with value, write it), the scripts running on this machine.

    ``module`` stands for the module's run; by default none may run.
    """
    machine = machine or ThisMachine()
    task = Task()
    task.action = "obscura.zendesk.zendesk_token_file"
    task.args = dict(args, path=str(path))
    plugin = an_action(ActionModule, task)
    with mock.patch.object(ActionModule, "_execute_module", side_effect=module or AssertionError("no module runs")), \
            mock.patch.object(ActionModule, "_low_level_execute_command", side_effect=machine.command), \
            mock.patch.object(ActionModule, "_configure_module", side_effect=AssertionError("no module is built")), \
            mock.patch.object(ActionModule, "_remove_tmp_path"):
        return plugin.run(task_vars={"inventory_hostname": "web1"})


def files_in(directory):
    """{name: (inode, bytes, mode)} of the files in ``directory``: what a write left there."""
    return {entry.name: (entry.stat().st_ino, entry.read_bytes(), entry.stat().st_mode & 0o7777)
            for entry in directory.iterdir() if entry.is_file() and not entry.is_symlink()}


def test_the_shell_write_replaces_the_file_atomically_with_its_attributes_and_no_python(tmp_path):
    path = tmp_path / "app.env"
    path.write_text("# app\nZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    path.chmod(0o644)
    before = path.stat()
    machine = ThisMachine()
    result = read_here(path, machine, value=NEW, mode="0640", group=str(before.st_gid))
    after = path.stat()
    assert not result.get("failed") and result["changed"] and result["_ansible_no_log"] is True
    assert path.read_text() == "# app\nZENDESK_OAUTH_TOKEN=%s\n" % NEW and after.st_ino != before.st_ino, "a new file renamed over it"
    assert {name: result[name] for name in ("mode", "uid", "gid")} == dict(mode="0640", uid=after.st_uid, gid=after.st_gid)
    assert (after.st_mode & 0o7777, after.st_uid, after.st_gid) == (0o640, before.st_uid, before.st_gid)
    assert list(tmp_path.iterdir()) == [path], "no temporary file left"
    read, write = machine.commands
    assert "write_file" in write and OLD not in write and NEW not in write and "python" not in write, "the values go on stdin"


def test_the_shell_write_creates_a_missing_file_private_to_the_user(tmp_path):
    result = read_here(tmp_path / "app.env", value=NEW)
    assert result["changed"] and (tmp_path / "app.env").read_text() == "ZENDESK_OAUTH_TOKEN=%s\n" % NEW
    assert (tmp_path / "app.env").stat().st_mode & 0o7777 == 0o600 and result["mode"] == "0600"
    assert [entry.name for entry in tmp_path.iterdir()] == ["app.env"]


def module_write(path):
    """What stands for the module's run: records its arguments, writes nothing, fails as the module would on ``path``."""
    calls = []

    def execute(module_name=None, module_args=None, task_vars=None, wrap_async=False):  # pylint: disable=unused-argument
        calls.append(module_args)
        return dict(failed=True, msg="%s changed since it was read. Nothing was written; run the task again (read again first)" % path)

    return execute, calls


def selinux_host(tmp_path, monkeypatch, chcon_status=0):
    """A machine whose write script sees SELinux on, with stat, matchpathcon and chcon doubles; the file chcon's calls go to."""
    root = tmp_path / "selinux"
    probe, tools, calls = root / "enforce", root / "bin", root / "chcon-calls"
    tools.mkdir(parents=True)
    probe.write_text("1")
    doubles = {
        "stat": '[ "$1 $2" = "-c %%C" ] && { echo system_u:object_r:old_file_t:s0; exit 0; }; exec %s "$@"' % shutil.which("stat"),
        "matchpathcon": 'echo system_u:object_r:default_for_path_t:s0',
        "chcon": 'echo "$*" >> %s; exit %d' % (shlex.quote(str(calls)), chcon_status),
    }
    for name, body in doubles.items():
        (tools / name).write_text("#!/bin/sh\n%s\n" % body)
        (tools / name).chmod(0o755)
    monkeypatch.setattr(protocol, "WRITE_SCRIPT", protocol.WRITE_SCRIPT.replace("/sys/fs/selinux/enforce", str(probe)))
    return ThisMachine(env=dict(os.environ, PATH="%s:%s" % (tools, os.environ["PATH"]))), calls


@pytest.mark.parametrize("exists,context", [(True, "system_u:object_r:old_file_t:s0"), (False, "system_u:object_r:default_for_path_t:s0")])
def test_with_selinux_the_shell_write_gives_the_new_file_the_old_files_or_the_paths_default_context(tmp_path, monkeypatch, exists, context):
    directory = tmp_path / "app"
    directory.mkdir()
    path = directory / "app.env"
    if exists:
        path.write_text("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    machine, calls = selinux_host(tmp_path, monkeypatch)
    result = read_here(path, machine, value=NEW)
    assert result["changed"] and path.read_text() == "ZENDESK_OAUTH_TOKEN=%s\n" % NEW
    (call,) = calls.read_text().splitlines()
    assert call.startswith("-- %s %s/.app.env." % (context, directory)) and call.endswith(".tmp"), "set on the new file, before the rename"
    assert [entry.name for entry in directory.iterdir()] == ["app.env"]


@pytest.mark.parametrize("change", ["changed since the read", "unknown owner", "unknown group", "no directory", "a link now",
                                    "an SELinux context it cannot set"])
def test_the_shell_write_that_cannot_write_as_the_module_would_changes_nothing_and_defers_to_it(tmp_path, change, monkeypatch):
    path = tmp_path / "app.env"
    path.write_text("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    args = dict(value=NEW, _previous=dict(ATTRIBUTES, path=str(path), exists=True, content=path.read_text(), uid=os.getuid(),
                                          gid=os.getgid()))
    if change == "changed since the read":
        path.write_text("ZENDESK_OAUTH_TOKEN=%s\n# edited\n" % OLD)
    elif change == "unknown owner":
        args["owner"] = "no-such-user-zendesk"
    elif change == "unknown group":
        args["group"] = "no-such-group-zendesk"
    elif change == "no directory":
        path = tmp_path / "missing" / "app.env"
        args["_previous"] = dict(path=str(path), exists=False, content="")
    elif change == "a link now":
        path = tmp_path / "link.env"
        path.symlink_to(tmp_path / "app.env")
        args["_previous"] = dict(path=str(path), exists=False, content="")
    machine = ThisMachine()
    if change == "an SELinux context it cannot set":
        machine, _calls = selinux_host(tmp_path, monkeypatch, chcon_status=1)
    before = files_in(tmp_path)
    execute, calls = module_write(path)
    result = read_here(path, machine, module=execute, **args)
    assert result["failed"] and "changed since it was read" in result["msg"], "the module's answer is the task's"
    assert [call["_content"] for call in calls] == ["ZENDESK_OAUTH_TOKEN=%s\n" % NEW], "the module ran once, after the shell deferred"
    assert files_in(tmp_path) == before, "nothing written, no temporary file left"
    assert NEW not in str(result) and OLD not in str(result)


@pytest.mark.parametrize("args", [dict(follow=True), dict(backup=True), dict(mode="u=rw,g=,o="), dict(value=OLD)])
def test_follow_backup_a_symbolic_mode_or_attributes_alone_go_to_the_module_without_a_shell_write(args):
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD, shell=True)
    result = run(dict(dict(path=PATH, value=NEW, mode="0640"), **args), host)
    assert result["changed"] and len(host.writes()) == 1 and host.shell_writes == []


@pytest.mark.parametrize("has_pipelining,become", [(False, None), (True, "su")])
def test_a_connection_that_takes_no_standard_input_writes_with_the_module(has_pipelining, become):
    connection = a_connection()
    connection.has_pipelining = has_pipelining
    connection.become.pipelining = become != "su"  # the task's play context has become
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD, shell=True)
    result = run(dict(path=PATH, value=NEW), host, connection=connection)
    assert result["changed"] and len(host.writes()) == 1 and host.shell_writes == []


def test_the_shell_write_is_the_write_when_it_can_and_no_module_runs():
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD, shell=True)
    result = run(dict(path=PATH, value=NEW), host, execute=AssertionError("no module runs"))
    assert result["changed"] and result["value"] == NEW and result["mode"] == "0600" and result["owner"] == "app"
    assert host.shell_writes == [("ZENDESK_OAUTH_TOKEN=%s\n" % NEW + "ZENDESK_OAUTH_TOKEN=%s\n" % OLD).encode()]
    assert "ansible_facts" not in result, "no interpreter discovered"
    assert host.content == "ZENDESK_OAUTH_TOKEN=%s\n" % NEW, "the host holds the new text alone"


def test_the_read_command_reads_a_path_with_quotes_and_spaces_as_the_module_would(tmp_path):
    path = tmp_path / "it's a \"dir\" $1" / "app.env"
    path.parent.mkdir()
    path.write_bytes(b"# caf\xc3\xa9\r\nexport ZENDESK_OAUTH_TOKEN='%s'\r\n" % OLD.encode())
    path.chmod(0o640)
    result = read_here(path)
    assert not result.get("failed") and result["exists"] and result["value"] == OLD and result["mode"] == "0640"
    state = token_file_read.file_state(str(path))
    assert {name: result[name] for name in state if name != "content"} == {name: state[name] for name in state if name != "content"}


def test_the_read_command_expands_the_home_directory_and_reports_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "app.env").write_text("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    assert read_here("~/app.env")["value"] == OLD
    missing = read_here(tmp_path / "missing.env")
    assert not missing.get("failed") and missing["exists"] is False and missing["held"] is False


def test_the_read_command_fails_on_a_directory_naming_host_file_and_fix(tmp_path):
    result = read_here(tmp_path)
    assert result["failed"] and result["msg"] == "Host web1: %s is a directory. Give the path of a file in option path" % tmp_path


def test_the_read_command_reads_a_symbolic_link_as_no_file_unless_follow(tmp_path):
    target = tmp_path / "elsewhere.env"
    target.write_text("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    link = tmp_path / "app.env"
    link.symlink_to(target)
    result = read_here(link)
    assert not result.get("failed") and result["exists"] is False and result["held"] is False and result["value"] == ""
    assert "symbolic link, not followed" in result["warnings"][0]
    followed = read_here(link, follow=True)
    assert followed["exists"] and followed["value"] == OLD and "warnings" not in followed


def test_a_host_without_ls_and_od_fails_naming_the_fix(tmp_path):
    (tmp_path / "app.env").write_text("A=1\n")
    result = read_here(tmp_path / "app.env", ThisMachine(env=dict(os.environ, PATH=str(tmp_path / "bin"))))
    assert result["failed"] and result["msg"].startswith("Host web1: The host could not read the file (exit status 127)")
    assert "not found" in result["msg"] and "POSIX shell" in result["msg"]


@pytest.mark.parametrize("answer", [dict(rc=0, stdout="", stderr=""), dict(rc=0, stdout="Welcome!\n", stderr=""),
                                    dict(rc=0, stdout="Welcome!\n42\n", stderr=""),
                                    dict(rc=1, stdout="", stderr="sudo: a password is required")])
def test_an_answer_that_is_not_the_scripts_fails_and_nothing_is_written(answer):
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    host.command = lambda cmd, **kwargs: answer
    result = run(dict(path=PATH, value=NEW), host)
    assert result["failed"] and "The host could not read the file" in result["msg"] and answer["stderr"] in result["msg"]
    assert not host.writes()


def test_an_unreachable_host_stays_unreachable():
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    host.command = mock.Mock(side_effect=AnsibleConnectionFailure("ssh: connect to host web1 port 22: Connection refused"))
    with pytest.raises(AnsibleConnectionFailure):
        run(dict(path=PATH, value=NEW), host)
    assert not host.writes()


def test_a_module_ansible_cannot_run_fails_naming_the_host_and_nothing_is_written():
    def unknown(*_args, **_kwargs):
        raise AnsibleError("The module obscura.zendesk.zendesk_token_file was not found in configured module paths")

    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    result = run(dict(path=PATH, value=NEW), host, execute=unknown)
    assert result["failed"] and result["msg"] == "Host web1: The module could not run on the host: The module " \
        "obscura.zendesk.zendesk_token_file was not found in configured module paths"
    assert OLD not in str(result) and NEW not in str(result)


def test_a_write_returns_the_interpreter_it_discovered_as_a_fact_and_a_read_discovers_none():
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)

    def discovering(plugin, **kwargs):
        plugin._discovered_interpreter_key = "discovered_interpreter_python"  # pylint: disable=protected-access
        plugin._discovered_interpreter = "/usr/bin/python3"  # pylint: disable=protected-access
        return host.execute(**kwargs)

    result = run(dict(path=PATH, value=NEW), host, execute=discovering)
    assert result["changed"] and result["ansible_facts"] == {"discovered_interpreter_python": "/usr/bin/python3"}
    assert "ansible_facts" not in run(dict(path=PATH), host, execute=discovering)


SECRET_VALUE = "sec0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
SEVERAL = {
    "env": ("A=1\nZENDESK_OAUTH_TOKEN=%s\n" % OLD, {"ZENDESK_OAUTH_TOKEN": NEW, "ZENDESK_OAUTH_CLIENT_SECRET": SECRET_VALUE},
            "A=1\nZENDESK_OAUTH_TOKEN=%s\nZENDESK_OAUTH_CLIENT_SECRET=%s\n" % (NEW, SECRET_VALUE)),
    "ini": ("[zendesk]\noauth_token = %s\n" % OLD, {"zendesk.oauth_token": NEW, "zendesk.secret": SECRET_VALUE},
            "[zendesk]\noauth_token = %s\nsecret = %s\n" % (NEW, SECRET_VALUE)),
    "json": ('{\n  "zendesk": {\n    "oauth_token": "%s"\n  }\n}\n' % OLD, {"zendesk.oauth_token": NEW, "zendesk.secret": SECRET_VALUE},
             '{\n  "zendesk": {\n    "oauth_token": "%s",\n    "secret": "%s"\n  }\n}\n' % (NEW, SECRET_VALUE)),
    "yaml": ("zendesk:\n  oauth_token: %s\n" % OLD, {"zendesk.oauth_token": NEW, "zendesk.secret": SECRET_VALUE},
             "zendesk:\n  oauth_token: %s\n  secret: %s\n" % (NEW, SECRET_VALUE)),
}


@pytest.mark.parametrize("file_format", sorted(SEVERAL))
def test_values_are_written_in_one_module_execution_and_read_back_with_keys(file_format):
    content, values, expected = SEVERAL[file_format]
    host = Host(content)
    written = run(dict(path=PATH, format=file_format, values=values), host, diff=True)
    assert written["changed"] and written["held_values"] == values and written["held"]
    assert written["_ansible_no_log"] is True and "value" not in written and "key" not in written
    (write,) = host.writes()
    assert write["_content"] == expected
    assert NEW not in str(written["diff"]) and SECRET_VALUE not in str(written["diff"]) and OLD not in str(written["diff"])
    host = Host(expected)
    missing = "zendesk_missing.key" if file_format != "env" else "MISSING"
    read = run(dict(path=PATH, format=file_format, keys=list(values) + [missing]), host)
    assert read["held_values"] == dict(values, **{missing: ""}) and read["held"] is False and read["_ansible_no_log"] is True
    assert host.writes() == []


def test_values_already_held_write_nothing():
    content, values, expected = SEVERAL["env"]
    host = Host(expected)
    result = run(dict(path=PATH, values=values), host)
    assert not result["changed"] and not host.writes() and content != expected


def test_keys_of_a_file_holding_every_one_are_held():
    _content, values, expected = SEVERAL["env"]
    result = run(dict(path=PATH, keys=list(values)), Host(expected))
    assert result["held"] is True and result["held_values"] == values


@pytest.mark.parametrize("args,phrases", [
    (dict(values={"A": NEW}, value=NEW), ("values and value cannot be combined", "Give values (key: value)")),
    (dict(values={"A": NEW}, key="A"), ("values and key cannot be combined",)),
    (dict(values={"A": NEW}, keys=["A"]), ("values and keys cannot be combined",)),
    (dict(keys=["A"], value=NEW), ("keys and value cannot be combined",)),
    (dict(values={}), ("values is empty", "at least one key")),
    (dict(keys=[]), ("keys is empty", "at least one key")),
    (dict(values={"A": ""}), ("The value of key A in values is empty or not a string", "non-empty string")),
    (dict(values={"A": ["list", NEW]}), ("The value of key A in values is empty or not a string",)),
    (dict(values={"A": "two\nlines"}), ("line break",)),
    (dict(format="template", template="t.j2", keys=["A"]), ("not template", "key and value")),
])
def test_bad_values_or_keys_fail_naming_the_fix_without_a_value_and_write_nothing(args, phrases):
    host = Host("A=1\n")
    result = run(dict(args, path=PATH), host)
    assert_failed_naming_host_file_and_fix(result, *phrases)
    assert SECRET_VALUE not in str(result) and not host.writes()


def test_values_in_the_task_data_are_replaced_by_placeholders():
    task = Task()
    args = dict(path=PATH, values={"A": NEW, "B": SECRET_VALUE}, mode="bogus")
    task._ds = {"action": "obscura.zendesk.zendesk_token_file", "args": dict(args)}  # pylint: disable=protected-access
    run(args, Host("A=1\n"), task=task)
    assert task.get_ds()["args"]["values"] == {"A": "<zendesk token (new)>", "B": "<zendesk token (new)>"}


@pytest.mark.parametrize("values", [{"zendesk": NEW, "zendesk.token": SECRET_VALUE}, {"zendesk.token": SECRET_VALUE, "zendesk": NEW}])
def test_keys_of_which_one_is_inside_another_fail_and_write_nothing(values):
    host = Host("{}\n")
    result = run(dict(path=PATH, format="json", values=values), host)
    assert result["failed"] and result["msg"].startswith("Host web1, file %s: " % PATH) and "option" in result["msg"]
    assert NEW not in str(result) and SECRET_VALUE not in str(result) and not host.writes()


@pytest.mark.parametrize("content,args,expected", [
    ("A=1\nZENDESK_OAUTH_TOKEN=%s\n" % NEW, dict(owner="app", group="1001", mode="0600"), True),
    ("ZENDESK_OAUTH_TOKEN=%s\n" % NEW, dict(), True),
    ("ZENDESK_OAUTH_TOKEN=%s\n" % NEW, dict(mode="0640"), False),
    ("ZENDESK_OAUTH_TOKEN=%s\n" % NEW, dict(owner="root"), False),
    ("ZENDESK_OAUTH_TOKEN=%s\n" % NEW, dict(group="1002"), False),
    ("ZENDESK_OAUTH_TOKEN=%s\n" % NEW, dict(mode="u=rw,g=,o="), False),
    ("A=1\n", dict(), False),
    (None, dict(), False),
])
def test_a_read_with_settled_says_whether_the_file_needs_a_write(content, args, expected):
    """The role's read (protocol step 5): settled when the file holds a value as a write leaves it, with owner, group and mode."""
    host = Host(content)
    result = run(dict(args, path=PATH, _settled=True), host)
    assert not result.get("failed") and result["settled"] is expected and not result["changed"]
    assert host.calls == [dict(read=PATH, follow=False)] and OLD not in str(result.get("warnings"))


def test_a_templated_file_whose_other_parts_a_write_would_change_is_not_settled():
    rendered = "host = web1\ntoken = %s\n"
    template = zendesk_token_file.TemplateFile(lambda value: rendered % value)
    state = dict(ATTRIBUTES, exists=True, content="host = web2\ntoken = %s\n" % NEW)
    options = dict(owner=None, group=None, mode="0600")
    held = {"ZENDESK_OAUTH_TOKEN": template.held(state["content"])}
    assert held == {"ZENDESK_OAUTH_TOKEN": NEW}
    assert zendesk_token_file.settled(state, options, {"ZENDESK_OAUTH_TOKEN": template}, held) is False
    assert zendesk_token_file.settled(dict(state, content=rendered % NEW), options, {"ZENDESK_OAUTH_TOKEN": template}, held) is True


def test_settled_is_only_for_a_read():
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    result = run(dict(path=PATH, value=NEW, _settled=True), host)
    assert_failed_naming_host_file_and_fix(result, "_settled is only used when reading", "remove _settled")
    assert host.calls == []


# The role's variables for one host, as its defaults give them (the role's read and write, with _role_options).
ROLE_VARIABLES = dict(oauth_token_delivery="token", oauth_token_format="env", oauth_token_key=None, oauth_token_template=None,
                      oauth_token_template_regex=None, oauth_token_owner=None, oauth_token_group=None, oauth_token_mode="0600",
                      oauth_token_backup=False, oauth_token_identifier_key="ZENDESK_OAUTH_CLIENT_IDENTIFIER",
                      oauth_token_secret_key="ZENDESK_OAUTH_CLIENT_SECRET", oauth_token_url_key="")


def test_the_roles_read_takes_the_files_options_from_the_hosts_variables_templated_where_they_are_templates():
    host = Host('{"app": {"zendesk_token": "%s"}}\n' % OLD)
    host_vars = dict(ROLE_VARIABLES, oauth_token_format="json", oauth_token_key=trust_as_template("{{ app_prefix }}.zendesk_token"),
                     app_prefix="app", oauth_token_owner="root", oauth_token_template="ignored.j2")
    result = run(dict(path=PATH, return_content=True, _settled=True, _role_options=True), host, host_vars=host_vars)
    assert not result.get("failed"), result.get("msg")
    assert (result["format"], result["key"], result["value"]) == ("json", "app.zendesk_token", OLD)
    assert result["settled"] is False  # the host's owner is root, the file's app


def test_the_roles_read_of_client_credentials_takes_the_credentials_keys_and_no_token_key():
    content = "ZENDESK_OAUTH_CLIENT_IDENTIFIER=blue\nZENDESK_OAUTH_CLIENT_SECRET=%s\nZENDESK_URL=https://x.zendesk.com\n" % OLD
    host_vars = dict(ROLE_VARIABLES, oauth_token_delivery="client_credentials", oauth_token_url_key="ZENDESK_URL",
                     oauth_token_key="SET_FOR_ANOTHER_PLAY")
    result = run(dict(path=PATH, _settled=True, _role_options=True), Host(content), host_vars=host_vars)
    assert not result.get("failed"), result.get("msg")
    assert result["held_values"] == {"ZENDESK_OAUTH_CLIENT_IDENTIFIER": "blue", "ZENDESK_OAUTH_CLIENT_SECRET": OLD,
                                     "ZENDESK_URL": "https://x.zendesk.com"}
    assert result["settled"] is True


def test_a_role_variable_that_cannot_be_rendered_fails_with_ansibles_message_before_the_host_is_asked():
    host = Host("ZENDESK_OAUTH_TOKEN=%s\n" % OLD)
    host_vars = dict(ROLE_VARIABLES, oauth_token_owner=trust_as_template("{{ app_user_not_defined }}"))
    with pytest.raises(AnsibleError, match="app_user_not_defined"):
        run(dict(path=PATH, _settled=True, _role_options=True), host, host_vars=host_vars)
    assert host.calls == []


def test_the_roles_credentials_write_puts_the_decisions_credentials_at_the_hosts_keys():
    host = Host("A=1\nAPP_ID=green\nAPP_SECRET=%s\n" % OLD, shell=True)
    host_vars = dict(ROLE_VARIABLES, oauth_token_delivery="client_credentials", oauth_token_identifier_key="APP_ID",
                     oauth_token_secret_key="APP_SECRET")
    credentials = dict(identifier="blue", secret=NEW, url="https://x.zendesk.com")
    result = run(dict(path=PATH, values=credentials, _role_options=True), host, host_vars=host_vars)
    assert result["changed"] and not result.get("failed"), result.get("msg")
    assert host.content == "A=1\nAPP_ID=blue\nAPP_SECRET=%s\n" % NEW  # no URL key: the URL stays out of the file
    assert result["held_values"] == {"APP_ID": "blue", "APP_SECRET": NEW} and result["_ansible_no_log"]


def test_the_roles_write_takes_the_hosts_key_mode_and_backup():
    host = Host("A=1\nAPP_TOKEN=%s\n" % OLD)
    host_vars = dict(ROLE_VARIABLES, oauth_token_key="APP_TOKEN", oauth_token_mode="0640", oauth_token_backup=True)
    result = run(dict(path=PATH, value=NEW, _role_options=True), host, host_vars=host_vars)
    assert result["changed"] and not result.get("failed"), result.get("msg")
    module_args, = host.writes()  # backup: the module writes (the shell write keeps no backup)
    assert module_args["backup"] is True and module_args["mode"] == "0640"
    assert "APP_TOKEN=%s" % NEW in module_args["_content"] and OLD not in module_args["_content"]

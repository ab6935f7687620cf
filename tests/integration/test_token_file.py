# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""zendesk_token_file through ansible-playbook and ad hoc: each format written and read back with the rest of the file
kept, a re-run that changes and writes nothing (one read script per task, no module), owner/mode/backup, check mode,
a diff with placeholders, and bad input failing with host, file and fix while the file stays as it was.

PYTEST_DONT_REWRITE: results and files hold values, so a failed assertion shows its message only.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets

from harness import Case, assert_failed, assert_ok, assert_same_secret, unprivileged_host

MODULE = "obscura.zendesk.zendesk_token_file"
NEW_PLACEHOLDER = "<zendesk token (new)>"
OLD_PLACEHOLDER = "<zendesk token (old)>"
# -vvv names the module file once per module execution, pipelined (no transfer) or not.
MODULE_EXECUTION = re.compile(r"^Using module file \S+/zendesk_token_file\.py$", re.MULTILINE)
READ_SCRIPT_RUN = re.compile(r"^print_state\(", re.MULTILINE)  # the read script's last line, in the command -vvv shows
WRITE_SCRIPT_RUN = re.compile(r"^write_file\(", re.MULTILINE)  # the shell write's function, in the command -vvv shows

ENV = "# app settings\nexport APP_NAME='my app'   # quoted\n  export ZENDESK_OAUTH_TOKEN=%s  # the token\n\nOTHER=x\n"
INI = "; app\n[app]\nname = my app\n\n[zendesk] ; credentials\nuser = me\n; the token\nOAuth_Token = %s\n\n[other]\nx: 1\n"
JSON = ('{\n    "app": {\n        "name": "my app"\n    },\n    "services": {\n        "zendesk": {\n            "token": "%s",\n'
        '            "user": "me"\n        }\n    },\n    "z": 1\n}\n')
YAML = ("# Settings of my app\n---\napp:\n    name: 'my app'   # quoted\nzendesk:   # credentials\n    user: me\n"
        "    oauth_token: \"%s\"  # the token\ntail: 1\n")
TEMPLATE = "# managed by Ansible\nhost = {{ inventory_hostname }}\ntoken = {{ oauth_token_value }}\n"
RENDERED = "# managed by Ansible\nhost = localhost\ntoken = %s\n"


def new_value(harness, label):
    """A fresh token-like value that every later run's output is searched for."""
    value = secrets.token_hex(32)
    harness.watch(value, label)
    return value


def file_with(path, text, mode=0o644):
    """Create ``path`` holding ``text``; its path as a string."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    path.chmod(mode)
    return str(path)


def snapshot(path):
    """What a write would change: the checksum of the bytes (never the bytes: assertions show what they compare), inode, mtime, mode."""
    st = os.stat(path)
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest(), st.st_ino, st.st_mtime_ns, st.st_mode


def assert_holds(case, value):
    """A successful case whose registered value is ``value``, hidden from display."""
    assert case.status == "ok" and not case.failed, case.describe()
    assert_same_secret(case.result.get("value"), value, "registered value of %r" % case.name)
    assert "censored" in case.shown and "value" not in case.shown, case.describe()


def assert_bytes(path, expected, what):
    """The file holds exactly ``expected`` (a failure names ``what``, never the content)."""
    with open(path, "rb") as handle:
        assert_same_secret(handle.read(), expected.encode("utf-8"), "bytes of %s" % what)


def format_cases(harness, tmp_path):
    """(write cases, read cases, {write case name: (path, expected text)}) of every format, with old values in the files."""
    old = {name: new_value(harness, "old %s value" % name) for name in ("env", "ini", "json", "yaml", "template")}
    new = {name: new_value(harness, "new %s value" % name) for name in old}
    template = file_with(tmp_path / "templates" / "app.conf.j2", TEMPLATE)
    specs = {
        "env": (ENV, {}),
        "ini": (INI, {"format": "ini"}),
        "json": (JSON, {"format": "json", "key": "services.zendesk.token"}),
        "yaml": (YAML, {"format": "yaml"}),
        "template": (RENDERED, {"format": "template", "template": template}),
    }
    writes, reads, expected = [], [], {}
    for name, (text, args) in specs.items():
        path = file_with(tmp_path / "files" / ("app." + name), text % old[name])
        writes.append(Case("%s write" % name, dict(args, path=path, value=new[name]), module=MODULE))
        reads.append(Case("%s read" % name, dict(args, path=path), module=MODULE))
        expected["%s write" % name] = (path, text % new[name], new[name], old[name])
    return writes, reads, expected


def attribute_cases(harness, tmp_path):
    """Write cases of a new file, a mode change alone, owner and group, a backup; and their paths."""
    value = new_value(harness, "attribute cases value")
    held = "ZENDESK_OAUTH_TOKEN=%s\n" % value
    paths = {
        "new file": str(tmp_path / "files" / "new.json"),
        "mode alone": file_with(tmp_path / "files" / "mode.env", held, mode=0o644),
        "owner and group": file_with(tmp_path / "files" / "owner.env", held, mode=0o600),
        "backup": file_with(tmp_path / "files" / "backup.env", "A=1\n", mode=0o600),
    }
    cases = [
        Case("new file", {"path": paths["new file"], "format": "json", "value": value}, module=MODULE),
        Case("mode alone", {"path": paths["mode alone"], "value": value, "mode": "0600"}, module=MODULE),
        Case("owner and group", {"path": paths["owner and group"], "value": value, "owner": "nobody", "group": "nogroup",
                                 "mode": "0640"}, module=MODULE),
        Case("backup", {"path": paths["backup"], "value": value, "backup": True}, module=MODULE),
    ]
    return cases, paths, value


def test_each_format_written_then_read_back_and_a_rerun_changes_nothing(harness, tmp_path):
    """Run 1 writes every format and reads it back; run 2 (the same writes) reports changed=0 and writes nothing."""
    writes, reads, expected = format_cases(harness, tmp_path)
    attributes, paths, value = attribute_cases(harness, tmp_path)
    with open(paths["backup"], encoding="utf-8") as handle:
        backup_before = handle.read()
    first = harness.play(writes + reads + attributes)
    for case in writes:
        path, text, new, _old = expected[case.name]
        assert_ok(first[case.name], True)
        assert_holds(first[case.name], new)
        assert_bytes(path, text, case.name)
        assert os.stat(path).st_mode & 0o777 == 0o600, case.name
    for case in reads:
        path, _text, new, _old = expected[case.name.replace("read", "write")]
        read = first[case.name]
        assert_ok(read, False)
        assert_holds(read, new)
        assert read.result["exists"] is True and read.result["held"] is True and read.result["mode"] == "0600", read.describe()
    assert "ruamel.yaml is not installed" not in first.output, "the integration environment must keep YAML comments"

    assert_ok(first["new file"], True)
    assert_bytes(paths["new file"], '{\n  "zendesk": {\n    "oauth_token": "%s"\n  }\n}\n' % value, "new file")
    assert_ok(first["mode alone"], True)
    assert_bytes(paths["mode alone"], "ZENDESK_OAUTH_TOKEN=%s\n" % value, "mode alone")
    assert os.stat(paths["mode alone"]).st_mode & 0o777 == 0o600
    owned = os.stat(paths["owner and group"])
    assert_ok(first["owner and group"], True)
    assert (owned.st_uid, owned.st_gid, owned.st_mode & 0o777) == (65534, 65534, 0o640)
    assert first["owner and group"].result["owner"] == "nobody" and first["owner and group"].result["group"] == "nogroup"
    backup_file = first["backup"].result.get("backup_file")
    assert_ok(first["backup"], True)
    assert backup_file, first["backup"].describe()
    assert_bytes(backup_file, backup_before, "the backup")

    before = {name: snapshot(path) for name, (path, _text, _new, _old) in expected.items()}
    before.update({name: snapshot(path) for name, path in paths.items()})
    second = harness.play(writes + attributes)
    for case in writes + attributes:
        assert_ok(second[case.name], False)
        assert not second[case.name].result.get("backup_file"), second[case.name].describe()
        path = expected[case.name][0] if case.name in expected else paths[case.name]
        assert snapshot(path) == before[case.name], "%s was written again" % case.name
    assert MODULE_EXECUTION.findall(second.stdout) == [] and WRITE_SCRIPT_RUN.findall(second.stdout) == [], "a re-run writes nothing"
    reads = READ_SCRIPT_RUN.findall(second.stdout)
    assert len(reads) == len(writes + attributes), "a re-run must be one read script per task: %d" % len(reads)
    assert NEW_PLACEHOLDER not in second.stdout


def test_check_mode_writes_nothing_and_the_diff_shows_placeholders(harness, tmp_path):
    """--check --diff -vvvv: changed predicted, files untouched, the diff with placeholders, no value anywhere in the output."""
    old, new = new_value(harness, "old check value"), new_value(harness, "new check value")
    env = file_with(tmp_path / "app.env", ENV % old)
    ini = file_with(tmp_path / "app.ini", INI % old, mode=0o600)
    missing = str(tmp_path / "missing.env")
    before = {path: snapshot(path) for path in (env, ini)}
    run = harness.play([
        Case("env in check mode", {"path": env, "value": new}, module=MODULE, check=True),
        Case("ini in check mode", {"path": ini, "format": "ini", "value": new}, module=MODULE, check=True),
        Case("mode in check mode", {"path": ini, "format": "ini", "value": old, "mode": "0640"}, module=MODULE, check=True),
        Case("new file in check mode", {"path": missing, "value": new}, module=MODULE, check=True),
    ])
    for name in run.cases:
        assert_ok(run[name], True)
    assert run["mode in check mode"].result["mode"] == "0640"
    assert {path: snapshot(path) for path in (env, ini)} == before and not os.path.exists(missing)
    assert "-  export ZENDESK_OAUTH_TOKEN=%s  # the token" % OLD_PLACEHOLDER in run.stdout, run.stdout[-3000:]
    assert "+  export ZENDESK_OAUTH_TOKEN=%s  # the token" % NEW_PLACEHOLDER in run.stdout
    assert "-OAuth_Token = %s" % OLD_PLACEHOLDER in run.stdout
    assert "+OAuth_Token = %s" % NEW_PLACEHOLDER in run.stdout
    assert "+ZENDESK_OAUTH_TOKEN=%s" % NEW_PLACEHOLDER in run.stdout
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def bad_input_cases(harness, tmp_path):
    """Cases of each bad input (every one a write), the phrases of their fixes, and the files they must leave alone."""
    old, new = new_value(harness, "old value in bad files"), new_value(harness, "value written to bad files")
    files = {
        "env not valid": ("env", 'ZENDESK_OAUTH_TOKEN="%s\n' % old, {}, "Close the quote"),
        "ini not valid": ("ini", "[zendesk\noauth_token = %s\n" % old, {"format": "ini"}, "Fix the file"),
        "json not valid": ("json", '{"zendesk": {"oauth_token": "%s",}}\n' % old, {"format": "json"}, "Fix the file"),
        "yaml not valid": ("yaml", "zendesk: [%s\n" % old, {"format": "yaml"}, "Fix the file"),
        "json key through a list": ("json", '{"zendesk": ["%s"]}\n' % old, {"format": "json"}, "make zendesk a mapping"),
        "yaml key through a string": ("yaml", "zendesk: %s\n" % old, {"format": "yaml"}, "make zendesk a mapping"),
        "missing template": ("conf", "token = %s\n" % old, {"format": "template", "template": str(tmp_path / "missing.j2")},
                             "templates/ directory"),
        "unreadable file": ("env", "ZENDESK_OAUTH_TOKEN=%s\n" % old, {}, "become"),
    }
    cases, kept = [], {}
    for name, (suffix, text, args, fix) in files.items():
        path = file_with(tmp_path / "bad" / ("%s.%s" % (name.replace(" ", "-"), suffix)), text, mode=0o600)
        task_vars = None
        if name == "unreadable file":
            os.chmod(path, 0)
            task_vars = unprivileged_host(tmp_path)
        cases.append((Case(name, dict(args, path=path, value=new), module=MODULE, task_vars=task_vars), path, fix))
        kept[path] = text
    directory = tmp_path / "bad" / "a-directory"
    directory.mkdir()
    cases.append((Case("directory at the path", {"path": str(directory), "value": new}, module=MODULE), str(directory), "option path"))
    return cases, kept


def test_bad_input_fails_naming_host_file_and_fix_and_writes_nothing(harness, tmp_path):
    """Each bad input: a failure naming the host, the file and the fix; the file byte for byte as before, no temporary file."""
    cases, kept = bad_input_cases(harness, tmp_path)
    run = harness.play([case for case, _path, _fix in cases])
    for case, path, fix in cases:
        assert_failed(run[case.name], "host localhost", path, fix)
    for path, text in kept.items():
        os.chmod(path, 0o600)
        assert_bytes(path, text, path)
    assert sorted(os.listdir(tmp_path / "bad")) == sorted(["a-directory"] + [os.path.basename(path) for path in kept])
    assert os.listdir(tmp_path / "bad" / "a-directory") == []


def only_case(run):
    """The one task an ad hoc run records."""
    assert len(run.cases) == 1, run.output[-3000:]
    return next(iter(run.cases.values()))


def test_adhoc_write_read_and_failures_never_show_the_value(harness, tmp_path):
    """`ansible localhost -m ... -a 'path=... value=...'`: written and hidden; read hidden; failures name host, file, fix only."""
    value = new_value(harness, "ad hoc value")
    path = file_with(tmp_path / "app.ini", "[zendesk] ; credentials\nuser = me\n")
    write = harness.adhoc(MODULE, "path=%s format=ini value=%s" % (path, value))
    assert write.rc == 0 and "localhost | CHANGED" in write.stdout and "censored" in write.stdout, write.stdout[-3000:]
    assert_bytes(path, "[zendesk] ; credentials\nuser = me\noauth_token = %s\n" % value, "ad hoc write")
    read = harness.adhoc(MODULE, "path=%s format=ini" % path)
    assert read.rc == 0 and "localhost | SUCCESS" in read.stdout and "censored" in read.stdout, read.stdout[-3000:]
    assert MODULE_EXECUTION.findall(read.stdout) == [] and len(READ_SCRIPT_RUN.findall(read.stdout)) == 1
    for args, phrases in (("path=%s format=ini value=%s mode=bogus" % (path, value), ("Host localhost, file %s" % path, "Give mode in octal")),
                          ("path=%s format=ini value=%s bogus=1" % (path, value), ("Host localhost: Unsupported parameters: bogus",)),
                          ("path=%s format=json value=%s" % (path, value), ("Host localhost, file %s" % path, "not valid JSON"))):
        failed = harness.adhoc(MODULE, args)
        assert failed.rc != 0 and "localhost | FAILED" in failed.stdout, failed.output[-3000:]
        for phrase in phrases:
            assert phrase in failed.output, "%r missing: %s" % (phrase, failed.output[-3000:])
    assert_bytes(path, "[zendesk] ; credentials\nuser = me\noauth_token = %s\n" % value, "after the failed ad hoc runs")


def test_adhoc_value_from_the_environment_stays_hidden_when_ansible_rejects_the_arguments(harness, tmp_path):
    """Errors ansible-core raises before the action runs show the raw arguments: a value given by lookup stays unrendered."""
    value = new_value(harness, "ad hoc value from the environment")
    path = file_with(tmp_path / "app.env", "A=1\n")
    rejected = harness.adhoc(MODULE, "path=%s stray value={{ lookup('env', 'NEW_ZENDESK_TOKEN') }}" % path, env={"NEW_ZENDESK_TOKEN": value})
    assert rejected.rc != 0 and "raw params" in rejected.output, rejected.output[-3000:]
    written = harness.adhoc(MODULE, "path=%s value={{ lookup('env', 'NEW_ZENDESK_TOKEN') }}" % path, env={"NEW_ZENDESK_TOKEN": value})
    assert written.rc == 0 and "localhost | CHANGED" in written.stdout, written.stdout[-3000:]
    assert_bytes(path, "A=1\nZENDESK_OAUTH_TOKEN=%s\n" % value, "value from the environment")


# Files as their readers read them: a few corpus cases through the module, bytes compared exactly.
READER_FILES = {
    "env with old Mac line ends": ("env", {}, "A=1\rZENDESK_OAUTH_TOKEN='%s'\rB='don\\'t'\r"),
    "ini with a byte-order mark, CRLF, another case and [DEFAULT]": (
        "ini", {"format": "ini"}, "\ufeff[DEFAULT]\r\nport = 1\r\n\r\n[zendesk]\r\nOAuth_Token = %s\r\nscopes = read\r\n  write\r\n"),
    "yaml 1.1 with an octal mode": ("yml", {"format": "yaml"}, "%%YAML 1.1\n---\nmode: 0644  # rw-r--r--\nzendesk:\n  oauth_token: '%s'\n"),
    "json with 1e400 and a byte-order mark": ("json", {"format": "json"}, '\ufeff{"big": 1e400, "zendesk": {"oauth_token": "%s"}}\r\n'),
}
AMBIGUOUS_FILES = {
    "env key after a byte-order mark": ("env", {}, "\ufeffZENDESK_OAUTH_TOKEN=%s\n", "The readers of env files disagree on ZENDESK_OAUTH_TOKEN"),
    "ini inline comment": ("ini", {"format": "ini"}, "[zendesk]\noauth_token = %s ; the token\n", "Put the comment on a line of its own"),
    "yaml key under an alias": ("yml", {"format": "yaml"}, "shared: &s\n  oauth_token: %s\nzendesk: *s\n", "change every alias"),
    "json name twice": ("json", {"format": "json"}, '{"zendesk": {"oauth_token": "%s", "oauth_token": "x"}}', "occurs 2 times"),
}


def test_files_as_their_readers_read_them_and_ambiguous_ones_refused(harness, tmp_path):
    """Odd but valid files: only the value changes, byte for byte; ambiguous files: a failure saying what and how to fix, file untouched."""
    old, new = new_value(harness, "old value in reader files"), new_value(harness, "new value in reader files")
    cases, expected, kept = [], {}, {}
    for name, (suffix, args, text) in READER_FILES.items():
        path = file_with(tmp_path / ("%s.%s" % (name.replace(" ", "-"), suffix)), text % old, mode=0o600)
        cases.append(Case(name, dict(args, path=path, value=new), module=MODULE))
        expected[name] = (path, text % new)
    for name, (suffix, args, text, phrase) in AMBIGUOUS_FILES.items():
        path = file_with(tmp_path / ("%s.%s" % (name.replace(" ", "-"), suffix)), text % old, mode=0o600)
        cases.append(Case(name, dict(args, path=path, value=new), module=MODULE))
        kept[name] = (path, snapshot(path), phrase)
    run = harness.play(cases)
    for name, (path, text) in expected.items():
        assert_ok(run[name], True)
        assert_bytes(path, text, name)
    for name, (path, before, phrase) in kept.items():
        assert_failed(run[name], "host localhost", path, phrase)
        assert snapshot(path) == before, "%s was written" % name


def owner_and_mode(path):
    """(uid, gid, permission bits) of ``path`` itself, not following a link."""
    st = os.lstat(path)
    return st.st_uid, st.st_gid, st.st_mode & 0o7777


def planted_links(tmp_path):
    """Symbolic links an application user could plant at the path, and the files they point at, each root-owned.

    {case name: (path given to the module, the file it must leave alone or None)}.
    """
    app = tmp_path / "app"
    elsewhere = file_with(tmp_path / "elsewhere" / "other.env", "OTHER=1\n", mode=0o644)
    victim = file_with(tmp_path / "root-only" / "victim", "root:secret line\n", mode=0o600)
    real_dir = tmp_path / "real-dir"
    in_real_dir = file_with(real_dir / "app.env", "A=1\n", mode=0o600)
    app.mkdir()
    (app / "elsewhere.env").symlink_to(elsewhere)
    (app / "victim.env").symlink_to(victim)
    (app / "dangling.env").symlink_to(tmp_path / "nowhere" / "app.env")
    (tmp_path / "dir-link").symlink_to(real_dir)
    return {
        "link to a file elsewhere": (str(app / "elsewhere.env"), elsewhere),
        "link to a root-only file, owner nobody": (str(app / "victim.env"), victim),
        "dangling link": (str(app / "dangling.env"), None),
        "symlinked parent directory": (str(tmp_path / "dir-link" / "app.env"), in_real_dir),
    }


def test_a_symbolic_link_at_path_is_replaced_never_written_through(harness, tmp_path):
    """follow=false (default): a planted link reads as no file and is replaced by a regular file owned as asked; the
    file it pointed at keeps its content, owner and mode. A symlinked parent directory is followed, as documented."""
    value = new_value(harness, "value written over links")
    links = planted_links(tmp_path)
    kept = {target: (snapshot(target), owner_and_mode(target)) for _path, target in links.values() if target}
    writes = [Case(name, {"path": path, "value": value, "owner": "nobody", "group": "nogroup", "mode": "0640"}, module=MODULE)
              for name, (path, _target) in links.items()]
    read = Case("read of a link", {"path": links["link to a file elsewhere"][0]}, module=MODULE)
    first = harness.play([read] + writes)
    assert_ok(first["read of a link"], False)
    assert first["read of a link"].result["exists"] is False and first["read of a link"].result["held"] is False
    assert "is a symbolic link, not followed" in first.output, first.output[-3000:]
    for name, (path, target) in links.items():
        assert_ok(first[name], True)
        assert not os.path.islink(path), name
        assert_bytes(path, "ZENDESK_OAUTH_TOKEN=%s\n" % value if name != "symlinked parent directory" else "A=1\nZENDESK_OAUTH_TOKEN=%s\n" % value, name)
        assert owner_and_mode(path) == (65534, 65534, 0o640), name
    for name in ("link to a file elsewhere", "link to a root-only file, owner nobody"):
        target = links[name][1]
        assert (snapshot(target), owner_and_mode(target)) == kept[target], "%s: the link's target was changed" % name
    assert not (tmp_path / "nowhere").exists()
    assert os.path.islink(tmp_path / "dir-link") and owner_and_mode(tmp_path / "real-dir")[2] == 0o755
    assert not [name for name in os.listdir(tmp_path / "app") if name.endswith(".tmp")]
    second = harness.play(writes)
    for name in links:
        assert_ok(second[name], False)


def test_follow_writes_the_file_a_link_points_to(harness, tmp_path):
    """follow=true, documented with its risk: the target is read, written and given owner and mode; the link stays."""
    old, new = new_value(harness, "old value behind a link"), new_value(harness, "new value through a link")
    target = file_with(tmp_path / "shared" / "app.env", "ZENDESK_OAUTH_TOKEN=%s\n" % old, mode=0o644)
    link = tmp_path / "app.env"
    link.symlink_to(target)
    run = harness.play([
        Case("read through", {"path": str(link), "follow": True}, module=MODULE),
        Case("write through", {"path": str(link), "follow": True, "value": new, "mode": "0640"}, module=MODULE),
    ])
    assert_holds(run["read through"], old)
    assert_ok(run["write through"], True)
    assert os.path.islink(link) and owner_and_mode(target)[2] == 0o640
    assert_bytes(target, "ZENDESK_OAUTH_TOKEN=%s\n" % new, "the link's target")


def test_values_write_several_keys_in_one_write_and_keys_read_them(harness, tmp_path):
    """values: every format gets two hidden values in one shell write (one rename, no Python on the host); keys reads them
    back; a re-run writes nothing."""
    token, secret = new_value(harness, "token among values"), new_value(harness, "secret among values")
    specs = {
        "env": ({}, "A=1\n", {"ZENDESK_OAUTH_TOKEN": token, "ZENDESK_OAUTH_CLIENT_SECRET": secret},
                "A=1\nZENDESK_OAUTH_TOKEN=%s\nZENDESK_OAUTH_CLIENT_SECRET=%s\n" % (token, secret)),
        "ini": ({"format": "ini"}, "[app]\nname = x\n", {"zendesk.oauth_token": token, "zendesk.secret": secret},
                "[app]\nname = x\n\n[zendesk]\noauth_token = %s\nsecret = %s\n" % (token, secret)),
        "json": ({"format": "json"}, '{\n  "app": 1\n}\n', {"zendesk.oauth_token": token, "zendesk.secret": secret},
                 '{\n  "app": 1,\n  "zendesk": {\n    "oauth_token": "%s",\n    "secret": "%s"\n  }\n}\n' % (token, secret)),
        "yaml": ({"format": "yaml"}, "# app\napp: 1\n", {"zendesk.oauth_token": token, "zendesk.secret": secret},
                 "# app\napp: 1\nzendesk:\n  oauth_token: %s\n  secret: %s\n" % (token, secret)),
    }
    paths = {name: file_with(tmp_path / ("several." + name), text) for name, (_args, text, _values, _expected) in specs.items()}
    writes = [Case("%s values" % name, dict(args, path=paths[name], values=values), module=MODULE)
              for name, (args, _text, values, _expected) in specs.items()]
    reads = [Case("%s keys" % name, dict(args, path=paths[name], keys=list(values)), module=MODULE)
             for name, (args, _text, values, _expected) in specs.items()]
    first = harness.play(writes + reads)
    assert len(WRITE_SCRIPT_RUN.findall(first.stdout)) == len(writes), "one shell write per write"
    assert MODULE_EXECUTION.findall(first.stdout) == [], "no module: the shell wrote every file"
    for name, (_args, _text, values, expected) in specs.items():
        written, read = first["%s values" % name], first["%s keys" % name]
        assert_ok(written, True)
        assert_bytes(paths[name], expected, name)
        assert_ok(read, False)
        assert_same_secret(read.result.get("held_values"), values, "values read back from %s" % name)
        assert "censored" in written.shown and "censored" in read.shown, written.describe()
    before = {name: snapshot(path) for name, path in paths.items()}
    second = harness.play(writes)
    for case in writes:
        assert_ok(second[case.name], False)
    assert MODULE_EXECUTION.findall(second.stdout) == [] and WRITE_SCRIPT_RUN.findall(second.stdout) == []
    assert {name: snapshot(path) for name, path in paths.items()} == before


def test_an_owner_or_group_the_host_lacks_fails_before_anything_is_written(harness, tmp_path):
    """A write with an unknown owner or group fails naming it and the fix; the file keeps its bytes, owner and mode."""
    value = new_value(harness, "value for an unknown owner")
    path = file_with(tmp_path / "app.env", "A=1\n", mode=0o640)
    before = snapshot(path), os.stat(path).st_mode
    run = harness.play([
        Case("unknown owner", {"path": path, "value": value, "owner": "no-such-user-zd"}, module=MODULE),
        Case("unknown group", {"path": path, "value": value, "group": "no-such-group-zd"}, module=MODULE),
    ])
    assert_failed(run["unknown owner"], "host localhost", "no owner 'no-such-user-zd'", "Create the user or group first")
    assert_failed(run["unknown group"], "host localhost", "no group 'no-such-group-zd'", "oauth_token_group")
    assert (snapshot(path), os.stat(path).st_mode) == before
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_a_file_changed_between_the_read_and_the_write_is_not_written(harness, tmp_path):
    """The role's way: a read (the shell command) registered, another writer changes the file, the write given that read
    as _previous fails naming the fix and leaves the other writer's bytes; a file name with spaces, quotes and $1."""
    old, new, other = (new_value(harness, label) for label in ("old value, read", "new value, refused", "other writer's value"))
    path = file_with(tmp_path / "it's a \"dir\" $1" / "app env", "ZENDESK_OAUTH_TOKEN=%s\n" % old, mode=0o600)
    replacement = file_with(tmp_path / "replacement.env", "ZENDESK_OAUTH_TOKEN=%s\n" % other, mode=0o600)
    run = harness.play([
        Case("read", {"path": path, "return_content": True}, module=MODULE),
        Case("another writer", {"argv": ["cp", replacement, path]}, module="ansible.builtin.command"),
        Case("write with the read", {"path": path, "value": new, "_previous": "{{ case_0 }}"}, module=MODULE),
    ])
    assert_holds(run["read"], old)
    assert_ok(run["another writer"], True)
    assert_failed(run["write with the read"], "host localhost", path, "changed since it was read", "Nothing was written")
    assert_bytes(path, "ZENDESK_OAUTH_TOKEN=%s\n" % other, "the other writer's file")
    assert not [name for name in os.listdir(os.path.dirname(path)) if name.endswith(".tmp")]

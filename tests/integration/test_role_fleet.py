# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role obscura.zendesk.oauth_token on a fleet whose hosts differ: each host keeps the token in its own file,
format and key, with its own mode. One play gives them one token, keeps the rest of every file, converges on a
re-run, and refuses a fleet of several clients before any change."""

from __future__ import annotations

import json
import re
import stat
import sys

import pytest
import yaml

from harness import BIN, TOKENS_PATH

from zendesk_simulator import seed

MINTS = "POST " + TOKENS_PATH
WRITE_METHODS = ("POST ", "PUT ", "PATCH ", "DELETE ")

# The role's write task, as ansible-playbook announces it (only when some host of the play reaches it).
WRITE_TASK = "TASK [obscura.zendesk.oauth_token : Write the choice where a host lacks it"
# Host -> (file name, role variables of the host, the file before the first run).
FLEET = {
    "web": ("app.env", {"oauth_token_format": "env"},
            "# web settings\nexport  LOG_LEVEL=debug\n\nZENDESK_URL = https://obscura.zendesk.com   # the account\n"),
    "api": ("settings.json", {"oauth_token_format": "json", "oauth_token_key": "zendesk.credentials.token"},
            '{\n    "name": "api",\n    "zendesk": {\n        "url": "https://obscura.zendesk.com"\n    }\n}\n'),
    "worker": ("config.yml", {"oauth_token_format": "yaml"},
               "# worker settings\nqueue: default  # the queue\nzendesk:\n  # the token goes below\n"
               "  url: https://obscura.zendesk.com\n"),
    "legacy": ("app.ini", {"oauth_token_format": "ini", "oauth_token_mode": "0640"},
               "[main]\nname = legacy\n\n[zendesk] ; credentials\nurl = https://obscura.zendesk.com\n\n[log]\nlevel = info\n"),
}


def prepare(tmp_path):
    """Each host's directory and file as FLEET has it; return {host: path}."""
    paths = {}
    for host, (name, _variables, text) in FLEET.items():
        directory = tmp_path / "apps" / host
        directory.mkdir(parents=True)
        paths[host] = directory / name
        paths[host].write_text(text, encoding="utf-8")
    return paths


def fleet_run(harness, paths, host_overrides=None, role_vars=None, play=None, check=False):
    """The command line and run directory of a play of the role on the fleet (local connection, -vvvv --diff).

    After the role, each host writes its oauth_token_result to reports/<host>.json in the run directory.
    """
    run_paths = harness.new_run_dir()
    run_paths["cases"].write_text("{}", encoding="utf-8")
    hosts = {}
    for host, (_name, variables, _text) in FLEET.items():
        hosts[host] = dict(variables, ansible_connection="local", ansible_python_interpreter=sys.executable,
                           oauth_token_dest=str(paths[host]))
        hosts[host].update((host_overrides or {}).get(host, {}))
    inventory = run_paths["dir"] / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"children": {"apps": {"hosts": hosts}}}}), encoding="utf-8")
    (run_paths["dir"] / "reports").mkdir()
    report = {"name": "Keep what the role reported", "ansible.builtin.copy": {
        "content": "{{ oauth_token_result | to_json }}", "dest": str(run_paths["dir"] / "reports") + "/{{ inventory_hostname }}.json",
        "mode": "0600"},
        "check_mode": False, "diff": False, "changed_when": False}
    playbook = run_paths["dir"] / "fleet.yml"
    playbook.write_text(yaml.safe_dump([dict({
        "name": "Deliver the token to a fleet of different hosts", "hosts": "apps", "gather_facts": False,
        "roles": [dict({"role": "obscura.zendesk.oauth_token", "oauth_token_client_name": seed.MY_APP_CLIENT_NAME},
                       **(role_vars or {}))],
        "post_tasks": [report]}, **(play or {}))], sort_keys=False), encoding="utf-8")
    command = [str(BIN / "ansible-playbook"), "-i", str(inventory), str(playbook), "--diff", "-vvvv"]
    return command + (["--check"] if check else []), run_paths


def play_fleet(harness, paths, host_overrides=None, role_vars=None, play=None, check=False, env=None):
    """Run the role on the fleet; return (run, API calls of the play, oauth_token_result of each host that finished)."""
    command, run_paths = fleet_run(harness, paths, host_overrides, role_vars, play, check)
    before = harness.control.counters()
    run = harness.execute(command, run_paths, env)
    after = harness.control.counters()
    return run, {key: after.get(key, 0) - before.get(key, 0) for key in after if key != "connections"}, reports(run_paths)


def reports(run_paths):
    """oauth_token_result of each host that finished the play."""
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted((run_paths["dir"] / "reports").glob("*.json"))}


def recap(run):
    """PLAY RECAP counters per host."""
    return {m.group(1): {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
            for m in re.finditer(r"^(\S+)\s+:\s+(ok=.*)$", run.stdout, re.MULTILINE)}


def writes(calls):
    """The API calls of a play that change something."""
    return {key: number for key, number in calls.items() if key.startswith(WRITE_METHODS) and number}


def ini_token(text):
    """oauth_token of the [zendesk] section (whose header carries a comment), or None."""
    found = re.search(r"^\[zendesk\] ; credentials\n(?:[^\[\n].*\n|\n)*?oauth_token = (\S+)$", text, re.MULTILINE)
    return found.group(1) if found else None


PARSERS = {
    "web": lambda text: re.search(r"^ZENDESK_OAUTH_TOKEN=(\S+)$", text, re.MULTILINE).group(1),
    "api": lambda text: json.loads(text)["zendesk"]["credentials"]["token"],
    "worker": lambda text: yaml.safe_load(text)["zendesk"]["oauth_token"],
    "legacy": ini_token,
}


def held_tokens(paths, hosts=tuple(FLEET)):
    """The token each of ``hosts`` holds in its file, read with a plain parser of its format."""
    return {host: PARSERS[host](paths[host].read_text(encoding="utf-8")) for host in hosts}


def assert_rest_of_files_kept(paths):
    """What the files held besides the token is still there, with its comments and layout."""
    texts = {host: path.read_text(encoding="utf-8") for host, path in paths.items()}
    assert texts["web"].startswith(FLEET["web"][2]), "the env file's other lines changed"
    assert texts["api"].startswith('{\n    "name": "api",\n    "zendesk": {\n        "url"'), "the JSON layout changed"
    for comment in ("# worker settings\n", "queue: default  # the queue\n", "  # the token goes below\n"):
        assert comment in texts["worker"], "a YAML comment was lost: %r" % comment
    assert texts["legacy"].startswith("[main]\nname = legacy\n\n[zendesk] ; credentials\nurl = https://obscura.zendesk.com\n")
    assert texts["legacy"].endswith("[log]\nlevel = info\n"), "the ini file's other sections changed"


def test_one_play_gives_hosts_that_differ_one_token_and_converges(harness, tmp_path):
    paths = prepare(tmp_path)

    first, calls, results = play_fleet(harness, paths)
    assert first.rc == 0, first.output[-4000:]
    assert calls.get(MINTS) == 1, calls
    values = set(held_tokens(paths).values())
    assert len(values) == 1 and None not in values, "every host holds the one token at its own key"
    for value in values:
        harness.watch(value, "the fleet's token")
    harness.assert_no_secrets(first)
    assert_rest_of_files_kept(paths)
    modes = {host: stat.S_IMODE(path.stat().st_mode) for host, path in paths.items()}
    assert modes == {"web": 0o600, "api": 0o600, "worker": 0o600, "legacy": 0o640}, modes
    live = [t for t in harness.tokens().values() if t["client_id"] == seed.MY_APP_CLIENT_ID and not t["revoked"]]
    assert len(live) == 1, live
    first_result = dict(delivery="token", token_id=live[0]["id"], expires_at=None, changed=True, minted=True, revoked=[])
    assert results == dict.fromkeys(FLEET, first_result), results

    texts = {host: path.read_bytes() for host, path in paths.items()}
    again, calls, results = play_fleet(harness, paths)
    assert again.rc == 0, again.output[-4000:]
    assert all(counts["changed"] == 0 for counts in recap(again).values()), recap(again)
    assert not writes(calls), calls
    assert {host: path.read_bytes() for host, path in paths.items()} == texts, "a converged re-run rewrote a file"
    assert results == dict.fromkeys(FLEET, dict(first_result, changed=False, minted=False)), results
    assert WRITE_TASK in first.stdout and WRITE_TASK not in again.stdout, "every host holds the token settled: none reaches the write"
    harness.assert_no_secrets(again)


def test_a_host_whose_file_is_broken_fails_alone_and_nothing_is_revoked(harness, tmp_path):
    paths = prepare(tmp_path)
    first, _calls, _results = play_fleet(harness, paths)
    assert first.rc == 0, first.output[-4000:]
    token = held_tokens(paths)["web"]
    harness.watch(token, "the fleet's token")
    broken = '{"name": "api", "zendesk": {'
    paths["api"].write_text(broken, encoding="utf-8")

    run, calls, results = play_fleet(harness, paths)
    assert run.rc != 0 and recap(run)["api"]["failed"] == 1, run.output[-4000:]
    assert "Host api, file %s" % paths["api"] in run.stdout, run.stdout[-4000:]
    assert paths["api"].read_text(encoding="utf-8") == broken, "a file that could not be read was written"
    assert not writes(calls), calls
    assert all(recap(run)[host]["changed"] == 0 for host in ("web", "worker", "legacy")), recap(run)
    live = [t for t in harness.tokens().values() if t["client_id"] == seed.MY_APP_CLIENT_ID and not t["revoked"]]
    assert len(live) == 1, live
    assert set(held_tokens(paths, ("web", "worker", "legacy")).values()) == {token}
    assert sorted(results) == ["legacy", "web", "worker"] and not any(result["changed"] for result in results.values()), results
    harness.assert_no_secrets(run)


def test_hosts_of_different_clients_are_refused_before_any_change(harness, tmp_path):
    paths = prepare(tmp_path)
    before = {host: path.read_bytes() for host, path in paths.items()}
    run, calls, results = play_fleet(harness, paths, host_overrides={"legacy": {"oauth_token_client_id": seed.MY_APP_CLIENT_ID + 1}})
    assert run.rc != 0, run.output[-4000:]
    assert "Run one play per client or set of scopes" in run.stdout, run.stdout[-4000:]
    assert not writes(calls), calls
    assert {host: path.read_bytes() for host, path in paths.items()} == before, "a refused play changed a file"
    assert results == {}, results


@pytest.mark.parametrize("host_overrides,role_vars,phrase", [
    ({"worker": {"oauth_token_format": "xml"}}, None,
     "host worker: value of oauth_token_format must be one of: env, json, yaml, ini, template, got: xml"),
    ({}, {"oauth_token_lifetime": "one day"}, "oauth_token_lifetime"),
    ({}, {"oauth_token_destination": "/srv/app/.env"},
     "oauth_token_destination is not a variable of the role: did you mean oauth_token_dest?"),
], ids=["one-host-wrong-choice", "wrong-type-in-the-play", "misspelt-role-parameter"])
def test_wrong_variables_are_refused_once_for_every_host_before_any_call(harness, tmp_path, host_overrides, role_vars, phrase):
    """The argument spec is checked once for the whole play (no task per host), with the host named where its own
    inventory is wrong; nothing is called, written or reported."""
    paths = prepare(tmp_path)
    before = {host: path.read_bytes() for host, path in paths.items()}
    run, calls, results = play_fleet(harness, paths, host_overrides=host_overrides, role_vars=role_vars)
    assert run.rc != 0, run.output[-4000:]
    assert phrase in run.stdout and "Fix the role's variables" in run.stdout, run.stdout[-4000:]
    assert "Validating arguments against arg spec" not in run.stdout, "ansible-core's per-host check ran"
    assert not any(calls.values()), calls
    assert {host: path.read_bytes() for host, path in paths.items()} == before, "a refused play changed a file"
    assert results == {}, results

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role obscura.zendesk.oauth_token with oauth_token_delivery=refresher on the fleet of test_role_fleet (env, JSON,
YAML and ini files that differ in keys, owners and modes; one file the refresher creates): two confidential clients
take turns (blue/green), and each host's refresher keeps a token of its own in the host's file.

Each "host" has its own program, library, refresher directory, systemd and cron directories under tmp_path (no systemd
runs here: scheduler none, and cron on one host). The refreshers judge expiry by the host's clock, the simulator
by its own: the hosts' Python is a wrapper that runs the refresher with its clock moved as far as the simulator's.
After every run the test asserts which tokens are live, which secrets work, and that no secret is in the output.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from harness import CURRENT_PATH, assert_same_secret
from test_client_credentials import GRANT_PATH, automation_client
from test_role_credentials import BLUE, GREEN, assert_working
from test_role_fleet import FLEET, held_tokens, play_fleet, prepare, recap, writes

REGENERATE = "PUT /api/v2/oauth/clients/{id}/generate_secret"
EXCHANGES, CURRENT_REVOKES = "POST " + GRANT_PATH, "DELETE " + CURRENT_PATH
LIFETIME, RENEW_BEFORE = 3600, 1200
ROLE_VARS = {"oauth_token_delivery": "refresher", "oauth_token_client_name": None,
             "oauth_token_client_identifiers": [BLUE, GREEN], "oauth_token_lifetime": LIFETIME}
# The worker's file does not exist before the first run: the refresher creates it with these.
NEW_FILE = {"oauth_token_owner": "nobody", "oauth_token_group": "nogroup", "oauth_token_mode": "0640"}
HOSTS = {"web": {"oauth_token_refresher_scheduler": "cron"},
         "api": {"oauth_token_key": "zendesk.credentials.token"},
         "worker": NEW_FILE,
         "legacy": {"oauth_token_reload_command": "echo reloaded >> {reloads}"}}
# Runs the refresher program with datetime's now() moved by the seconds in the clock file, as far as the simulator's.
SHIFTED_PYTHON = """#!/bin/sh
case "$2" in
  */zendesk-token-refresh) shift; exec {python} -I -c '{boot}' "$@" ;;
esac
exec {python} "$@"
"""
BOOT = """
import datetime, runpy, sys
offset = datetime.timedelta(seconds=float(open("{clock}").read()))
real = datetime.datetime
class Shifted(real):
    @classmethod
    def now(cls, tz=None):
        return real.now(tz) + offset
datetime.datetime = Shifted
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


class Fleet:
    """The fleet's files, each host's refresher places, the shared clock, and the role's runs."""

    def __init__(self, harness, tmp_path):
        self.harness = harness
        self.tmp_path = tmp_path
        self.paths = prepare(tmp_path)
        self.paths["worker"].unlink()
        os.chown(self.paths["api"], 65534, 65534)
        self.clock = tmp_path / "clock"
        self.clock.write_text("0", encoding="utf-8")
        self.python = tmp_path / "shifted-python"
        self.python.write_text(SHIFTED_PYTHON.format(python=sys.executable, boot=BOOT.format(clock=self.clock)), encoding="utf-8")
        self.python.chmod(0o755)
        for host in FLEET:
            self.cron_dir(host).mkdir(parents=True)
        self.reloads = tmp_path / "reloads"

    def host_vars(self, host):
        """The refresher variables of ``host``: its own program and directory, the shifted Python."""
        root = self.tmp_path / "hosts" / host
        variables = {"oauth_token_refresher_program": str(root / "libexec" / "zendesk-token-refresh"),
                     "oauth_token_refresher_dir": str(root / "etc" / "zendesk-token" / host),
                     "oauth_token_refresher_scheduler": "none", "ansible_python_interpreter": str(self.python),
                     "__oauth_token_cron_dir": str(self.cron_dir(host)), "__oauth_token_systemd_dir": str(root / "systemd")}
        variables.update({name: value.format(reloads=self.reloads) if isinstance(value, str) else value
                          for name, value in HOSTS.get(host, {}).items()})
        return variables

    def cron_dir(self, host):
        """The host's /etc/cron.d."""
        return self.tmp_path / "hosts" / host / "cron.d"

    def dir(self, host):
        """The host's refresher directory."""
        return self.tmp_path / "hosts" / host / "etc" / "zendesk-token" / host

    def program(self, host):
        """The host's refresher program."""
        return self.tmp_path / "hosts" / host / "libexec" / "zendesk-token-refresh"

    def play(self, role_vars=None, check=False, host_overrides=None):
        """A play of the role on the fleet: (run, API calls, oauth_token_result by host)."""
        overrides = {host: dict(self.host_vars(host), **(host_overrides or {}).get(host, {})) for host in FLEET}
        variables = dict(ROLE_VARS, **(role_vars or {}))
        run, calls, results = play_fleet(self.harness, self.paths, overrides, variables, check=check)
        self.watch()
        self.harness.assert_no_secrets(run)
        return run, calls, results

    def play_ok(self, role_vars=None, check=False):
        """A successful play: (run, API calls, oauth_token_result by host)."""
        run, calls, results = self.play(role_vars, check)
        assert run.rc == 0, run.output[-6000:]
        assert sorted(results) == sorted(FLEET), results
        return run, calls, results

    def watch(self):
        """Every token the grant issued and every secret in a credentials file is a secret from now on."""
        for grant in self.grants():
            self.harness.watch(grant["full_token"], "grant token %s" % grant["id"])
        for host in FLEET:
            credentials = self.dir(host) / "credentials.json"
            if credentials.exists():
                self.harness.watch(json.loads(credentials.read_text(encoding="utf-8"))["secret"], "the secret on %s" % host)

    def grants(self):
        """Every token the grant issued since the reset (values included)."""
        return self.harness.control.call("GET", "grants")["grants"]

    def held_grants(self):
        """The grant each host's file holds, by host."""
        by_value = {grant["full_token"]: grant for grant in self.grants()}
        return {host: by_value.get(value) for host, value in held_tokens(self.paths).items()}

    def live(self, client=None):
        """Ids of the grant's tokens that are live (of one client, when given)."""
        return {grant["id"] for grant in self.grants() if grant["live"] and client in (None, grant["client_id"])}

    def pair(self, host):
        """(identifier, secret) in the host's credentials file."""
        credentials = json.loads((self.dir(host) / "credentials.json").read_text(encoding="utf-8"))
        return credentials["identifier"], credentials["secret"]

    def move_clock(self, seconds):
        """Move the simulator's clock and the hosts' clocks forward."""
        self.harness.control.advance_clock(seconds)
        self.clock.write_text(str(float(self.clock.read_text(encoding="utf-8")) + seconds), encoding="utf-8")

    def run_refresher(self, host, *args):
        """Run a host's refresher as its timer does (with the host's clock)."""
        command = [str(self.python), "-I", str(self.program(host)), str(self.dir(host) / "config.json"), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        self.watch()
        assert not self.harness.leaks(result.stdout + result.stderr), "the refresher's output reveals a secret"
        return result

    def texts(self):
        """Every file of the fleet and of the refreshers, by path (a check that nothing changed)."""
        roots = [self.tmp_path / "apps", self.tmp_path / "hosts"]
        return {path: path.read_bytes() for root in roots for path in sorted(root.rglob("*")) if path.is_file()}


def two_clients(harness):
    """The blue and green clients, confidential, with their first secrets (watched)."""
    return automation_client(harness, identifier=BLUE), automation_client(harness, identifier=GREEN)


def mode_of(path):
    """Owner uid, group gid and permission bits of ``path``."""
    st = path.stat()
    return st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)


def assert_installed(fleet, host):
    """The program, its library, the root-only directory and files of a host's refresher."""
    program = fleet.program(host)
    assert mode_of(program) == (0, 0, 0o755)
    assert program.read_text(encoding="utf-8").startswith("#!%s\n" % fleet.python)
    library = program.with_name("zendesk-token-refresh.lib") / "ansible_collections" / "obscura" / "zendesk" / "plugins"
    assert sorted(path.name for path in library.rglob("*.py")) == sorted([
        "_token_file_text.py", "_token_file_mapping.py", "_token_file_env.py", "_token_file_ini.py", "_token_file_json.py",
        "token_file_yaml.py"])
    assert mode_of(fleet.dir(host)) == (0, 0, 0o700)
    assert sorted(path.name for path in fleet.dir(host).iterdir()) == ["config.json", "credentials.json", "state.json"]
    for name in ("config.json", "credentials.json", "state.json"):
        assert mode_of(fleet.dir(host) / name) == (0, 0, 0o600), name


def assert_own_tokens(fleet, client):
    """Each host's file holds a token of its own, live and minted for ``client``; no other token of it is live."""
    held = fleet.held_grants()
    assert None not in held.values(), "every host holds a token the grant issued"
    ids = {host: grant["id"] for host, grant in held.items()}
    assert len(set(ids.values())) == len(FLEET), "each host holds its own token"
    assert all(grant["live"] and grant["client_id"] == client["id"] for grant in held.values()), held.keys()
    assert fleet.live() == set(ids.values()), "no other token of the clients is live"
    return held


def assert_results(results, held, **expected):
    """oauth_token_result of every host: its token's id and expiry, and ``expected``."""
    for host, result in results.items():
        assert result["delivery"] == "refresher" and result["token_id"] == held[host]["id"], results
        assert result["expires_at"] == held[host]["expires_at"], results
        assert {key: result[key] for key in expected} == expected, (host, results)


def test_refreshers_mint_their_own_tokens_keep_them_renew_stale_ones_rotate_and_are_removed(harness, tmp_path):
    blue, green = two_clients(harness)
    fleet = Fleet(harness, tmp_path)
    before = fleet.texts()

    run, calls, results = fleet.play_ok(check=True)
    assert not writes(calls) and not calls.get(EXCHANGES), calls
    assert fleet.texts() == before, "--check wrote something"
    assert not any(fleet.dir(host).exists() or fleet.program(host).parent.exists() for host in FLEET), "--check created a directory"
    assert all(result["changed"] and result["minted"] for result in results.values()), results

    # First run: a new secret for blue, every host's refresher installed and run: a token of its own.
    run, calls, results = fleet.play_ok()
    assert calls.get(REGENERATE) == 2 and calls.get(EXCHANGES) == len(FLEET), calls
    held = assert_own_tokens(fleet, blue)
    first = fleet.pair("web")
    assert first[0] == BLUE and all(fleet.pair(host) == first for host in FLEET)
    assert_working(harness, [first], [(BLUE, blue["secret"]), (GREEN, green["secret"])])
    for host in FLEET:
        assert_installed(fleet, host)
    assert_results(results, held, changed=True, minted=True, revoked=[])
    assert mode_of(fleet.paths["worker"]) == (65534, 65534, 0o640), "a new file gets oauth_token_owner, _group, _mode"
    assert mode_of(fleet.paths["api"]) == (65534, 65534, 0o644), "an existing file keeps its owner, group and mode"
    assert fleet.paths["web"].read_text(encoding="utf-8").startswith(FLEET["web"][2]), "the env file's other lines changed"
    assert fleet.paths["legacy"].read_text(encoding="utf-8").endswith("[log]\nlevel = info\n")
    assert fleet.reloads.read_text(encoding="utf-8") == "reloaded\n", "the reload command ran once, on legacy"
    config = json.loads((fleet.dir("api") / "config.json").read_text(encoding="utf-8"))
    assert config == dict(app_file=str(fleet.paths["api"]), format="json", key="zendesk.credentials.token", url=harness.url,
                          scopes=["read"], lifetime=LIFETIME, renew_before=RENEW_BEFORE, reload_command="",
                          credentials=str(fleet.dir("api") / "credentials.json"), state=str(fleet.dir("api") / "state.json"),
                          owner=None, group=None, mode="0600")
    cron = {host: sorted(path.name for path in fleet.cron_dir(host).iterdir()) for host in FLEET}
    assert cron == dict(dict.fromkeys(FLEET, []), web=["zendesk-token-refresh-app"]), "only web has a cron entry (named after its file)"
    entry = (fleet.cron_dir("web") / "zendesk-token-refresh-app").read_text(encoding="utf-8")
    assert "*/6 * * * * root %s -I %s %s --delay 100\n" % (fleet.python, fleet.program("web"), fleet.dir("web") / "config.json") in entry

    # Re-run: nothing changes; the decision's one exchange (revoked at once), no refresher calls Zendesk.
    texts = fleet.texts()
    run, calls, results = fleet.play_ok()
    assert all(counts["changed"] == 0 for counts in recap(run).values()), recap(run)
    assert {call: count for call, count in calls.items() if count} == {
        "GET /api/v2/oauth/clients": 1, EXCHANGES: 1, CURRENT_REVOKES: 1}, "the decision's calls only: %s" % calls
    assert fleet.texts() == texts, "a converged re-run rewrote a file"
    assert_results(results, held, changed=False, minted=False, revoked=[])
    assert fleet.live() == {grant["id"] for grant in held.values()}

    # web's and api's timers renewed their tokens; then the clock moves into the others' renewal window.
    fleet.move_clock(LIFETIME - RENEW_BEFORE - 600)
    for host in ("web", "api"):
        assert fleet.run_refresher(host, "--force").returncode == 0
    fleet.move_clock(700)
    renewed = fleet.held_grants()
    run, calls, results = fleet.play_ok(check=True)
    assert writes(calls) == {EXCHANGES: 1, CURRENT_REVOKES: 1} and fleet.held_grants() == renewed, calls
    assert {host for host, result in results.items() if result["minted"]} == {"worker", "legacy"}, results
    run, calls, results = fleet.play_ok()
    assert writes(calls) == {EXCHANGES: 3, CURRENT_REVOKES: 3}, calls  # the decision's, and each stale host's renewal
    now = assert_own_tokens(fleet, blue)
    assert {host for host in FLEET if now[host]["id"] != renewed[host]["id"]} == {"worker", "legacy"}
    assert_results(results, now)
    assert {host: results[host]["revoked"] for host in ("worker", "legacy")} == {
        host: [renewed[host]["id"]] for host in ("worker", "legacy")}
    assert not results["web"]["changed"] and not results["api"]["minted"], results

    # Rotation: green's secret is regenerated, every refresher renews with it at once, then blue's old secret goes.
    run, calls, results = fleet.play_ok({"oauth_token_rotate": True})
    assert calls.get(REGENERATE) == 2, calls
    second = fleet.pair("web")
    assert second[0] == GREEN and all(fleet.pair(host) == second for host in FLEET)
    rotated = assert_own_tokens(fleet, green)
    assert not fleet.live(blue["id"]), "the tokens minted with blue's secret were revoked by the refreshers"
    assert_working(harness, [second], [first])
    assert_results(results, rotated, changed=True, minted=True)
    assert all(results[host]["revoked"] == [now[host]["id"]] for host in FLEET), results

    # Removal: every refresher's token revoked, its files gone; the apps' files stay as they are.
    texts = {host: path.read_bytes() for host, path in fleet.paths.items()}
    run, calls, results = fleet.play_ok({"oauth_token_state": "absent"}, check=True)
    assert not writes(calls) and all(fleet.dir(host).exists() for host in FLEET), calls
    assert {host: result["revoked"] for host, result in results.items()} == {host: [rotated[host]["id"]] for host in FLEET}
    run, calls, results = fleet.play_ok({"oauth_token_state": "absent"})
    assert writes(calls) == {CURRENT_REVOKES: len(FLEET)}, calls
    assert fleet.live() == set(), "every refresher's token is revoked"
    assert {host: result["revoked"] for host, result in results.items()} == {host: [rotated[host]["id"]] for host in FLEET}
    assert not (tmp_path / "hosts").exists() or not any(path.is_file() for path in (tmp_path / "hosts").rglob("*"))
    assert not any(path.is_file() for host in FLEET for path in fleet.cron_dir(host).iterdir())
    assert {host: path.read_bytes() for host, path in fleet.paths.items()} == texts, "removal changed an app's file"
    run, calls, results = fleet.play_ok({"oauth_token_state": "absent"})
    assert all(counts["changed"] == 0 for counts in recap(run).values()) and not any(calls.values()), (recap(run), calls)
    assert not any(result["changed"] or result["revoked"] for result in results.values()), results
    assert_working(harness, [second], [first])


def test_a_failing_refresher_fails_its_host_and_a_host_that_fails_during_a_rotation_keeps_the_old_secret_working(harness, tmp_path):
    blue, green = two_clients(harness)
    fleet = Fleet(harness, tmp_path)
    # legacy's app cannot be reloaded: its refresher fails, naming the file and the command; the others are served.
    run, calls, results = fleet.play(host_overrides={"legacy": {"oauth_token_reload_command": "exit 3"}})
    assert run.rc != 0 and recap(run)["legacy"]["failed"] == 1, run.output[-6000:]
    assert "%s: holds a new token, but the reload command 'exit 3' exited with status 3" % fleet.paths["legacy"] in run.stdout
    assert sorted(results) == ["api", "web", "worker"], results
    assert calls.get(REGENERATE) == 1, "no green secret is retired while a host failed: %s" % calls
    held = assert_own_tokens(fleet, blue)

    run, calls, results = fleet.play_ok()
    assert writes(calls) == {EXCHANGES: 1, CURRENT_REVOKES: 1}, "the reload is retried, nothing minted: %s" % calls
    assert {host for host, result in results.items() if result["changed"]} == {"legacy"}, results
    assert not any(result["minted"] for result in results.values()), results
    assert fleet.reloads.read_text(encoding="utf-8") == "reloaded\n"
    assert fleet.held_grants() == held
    first = fleet.pair("web")

    # legacy has no Python during the rotation (a broken host): it fails before anything is written there.
    failing = {"legacy": {"ansible_python_interpreter": str(tmp_path / "no-such-python")}}
    run, calls, results = fleet.play({"oauth_token_rotate": True}, host_overrides=failing)
    assert run.rc != 0 and recap(run)["legacy"]["failed"] == 1, run.output[-6000:]
    assert calls.get(REGENERATE) == 1, "only the idle client's secret is regenerated: %s" % calls
    assert fleet.pair("legacy") == first, "the failing host keeps the old pair"
    second = fleet.pair("web")
    assert second[0] == GREEN and all(fleet.pair(host) == second for host in ("web", "api", "worker"))
    assert_working(harness, [first, second], [])
    now = fleet.held_grants()
    assert now["legacy"]["id"] == held["legacy"]["id"] and now["legacy"]["live"], "the failing host's token stays live"
    assert all(now[host]["client_id"] == green["id"] and now[host]["live"] for host in ("web", "api", "worker"))
    assert fleet.live() == {grant["id"] for grant in now.values()}
    assert "legacy" not in results, results

    run, calls, results = fleet.play_ok()
    assert calls.get(REGENERATE) == 1, "the finished rotation retires blue: %s" % calls
    assert all(fleet.pair(host) == second for host in FLEET)
    assert_own_tokens(fleet, green)
    assert_working(harness, [second], [first])
    assert [host for host, result in results.items() if result["changed"]] == ["legacy"], results
    assert results["legacy"]["revoked"] == [held["legacy"]["id"]], results
    assert_same_secret(fleet.pair("legacy")[1], second[1], "legacy's secret")


def test_removal_revokes_by_id_a_token_the_app_file_no_longer_holds_and_keeps_a_shared_program(harness, tmp_path):
    blue, dummy = two_clients(harness)
    fleet = Fleet(harness, tmp_path)
    fleet.play_ok()
    held = assert_own_tokens(fleet, blue)
    # Someone wrote another token into web's file: the refresher's own token cannot revoke itself from there.
    planted = harness.plant()
    fleet.paths["web"].write_text("ZENDESK_OAUTH_TOKEN=%s\n" % planted["full_token"], encoding="utf-8")
    # api's host has a second refresher beside this one: its program stays.
    other = fleet.dir("api").with_name("other")
    other.mkdir(mode=0o700)
    # web changes its scheduler from cron to none: its cron entry goes, nothing else changes.
    run, calls, results = fleet.play({}, host_overrides={"web": {"oauth_token_refresher_scheduler": "none"}})
    assert run.rc == 0 and list(fleet.cron_dir("web").iterdir()) == [], run.output[-6000:]
    assert {host: counts["changed"] for host, counts in recap(run).items()} == {"web": 1, "api": 0, "worker": 0, "legacy": 0}
    assert [host for host, result in results.items() if result["changed"]] == ["web"] and not set(writes(calls)) - {
        EXCHANGES, CURRENT_REVOKES}, (results, calls)

    run, calls, results = fleet.play_ok({"oauth_token_state": "absent"})
    assert calls.get("DELETE /api/v2/oauth/tokens/{id}") == 1 and calls.get(CURRENT_REVOKES) == len(FLEET) - 1, calls
    assert fleet.live() == set() and planted["id"] in harness.live_tokens(), "only the refreshers' tokens are revoked"
    assert {host: result["revoked"] for host, result in results.items()} == {host: [held[host]["id"]] for host in FLEET}
    assert fleet.program("api").exists() and fleet.program("api").with_name("zendesk-token-refresh.lib").is_dir()
    assert not fleet.dir("api").exists() and other.is_dir()
    assert not fleet.program("web").exists() and not fleet.dir("web").exists()

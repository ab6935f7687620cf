# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The refresher program (roles/oauth_token/files/zendesk-token-refresh) against the simulator, run as its timer runs it.

Each test installs the program and its library as the role lays them out on a host, runs it as a subprocess
(``python -I <program> <dir>/config.json``) and searches every run's stdout and stderr for the client secret and
every token the simulator issued or a test planted. Expiry is controlled with the simulator's clock (a token
minted while the clock is set back expires early by the host's clock) and with planted tokens.
"""

from __future__ import annotations

import datetime
import glob
import hashlib
import json
import os
import pathlib
import shutil
import stat
import subprocess
import sys

import pytest

from harness import CURRENT_PATH, REPO, assert_same_secret, fragments, unprivileged_python

from zendesk_simulator import seed

ROLE_FILES = REPO / "roles" / "oauth_token" / "files"
GRANT_PATH = "/oauth/tokens"
LIFETIME = 3600
RENEW_BEFORE = 1200
UTC = datetime.timezone.utc
FORMAT_FILES = {
    "env": ("# my app\nexport OTHER=1\nZENDESK_OAUTH_TOKEN=old  # the token\n",
            "# my app\nexport OTHER=1\nZENDESK_OAUTH_TOKEN={token}  # the token\n", "ZENDESK_OAUTH_TOKEN"),
    "ini": ("; my app\n[app]\nname = x\n\n[zendesk]\nurl = https://x\noauth_token = old\n",
            "; my app\n[app]\nname = x\n\n[zendesk]\nurl = https://x\noauth_token = {token}\n", "zendesk.oauth_token"),
    "json": ('{\n    "name": "x",\n    "zendesk": {"oauth_token": "old", "url": "https://x"}\n}\n',
             '{\n    "name": "x",\n    "zendesk": {"oauth_token": "{token}", "url": "https://x"}\n}\n',
             "zendesk.oauth_token"),
    "yaml": ("# my app\nname: x\nzendesk:\n  oauth_token: old\n  url: https://x\n",
             "# my app\nname: x\nzendesk:\n  oauth_token: {token}\n  url: https://x\n", "zendesk.oauth_token"),
}


def install_program(directory):
    """The program and its library as the role installs them: <dir>/zendesk-token-refresh and <dir>/zendesk-token-refresh.lib/."""
    program = directory / "zendesk-token-refresh"
    shutil.copy(ROLE_FILES / "zendesk-token-refresh", program)
    program.chmod(0o755)
    library = directory / "zendesk-token-refresh.lib" / "ansible_collections" / "obscura" / "zendesk"
    for name in (ROLE_FILES / "refresher-library.txt").read_text(encoding="utf-8").split():
        (library / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, library / name)
    return program


class Refresher:
    """One refresher on a 'host' in tmp_path: its program, config, credentials and state, and the app's file."""

    def __init__(self, simulator, control, tmp_path, client):
        self.control = control
        self.program = install_program(tmp_path)
        self.dir = tmp_path / "etc" / "zendesk-token" / "myapp"
        self.dir.mkdir(parents=True, mode=0o700)
        self.app_file = tmp_path / "app" / "app.env"
        self.app_file.parent.mkdir()
        self.reloads = tmp_path / "reloads"
        self.secrets = {client["secret"]: "the client secret", seed.MY_APP_CLIENT_SECRET: "a seed client secret"}
        self.config = dict(app_file=str(self.app_file), format="env", key="ZENDESK_OAUTH_TOKEN", url=simulator.url,
                           scopes=["read"], lifetime=LIFETIME, renew_before=RENEW_BEFORE,
                           reload_command="echo reloaded >> %s" % self.reloads,
                           credentials=str(self.dir / "credentials.json"), state=str(self.dir / "state.json"))
        self.write_credentials(client["identifier"], client["secret"])
        self.write_config()

    def write_config(self, **changes):
        """Write config.json with ``changes`` to the defaults."""
        self.config.update(changes)
        (self.dir / "config.json").write_text(json.dumps(self.config), encoding="utf-8")

    def write_credentials(self, identifier, secret, mode=0o600):
        """The root-only credentials file."""
        path = self.dir / "credentials.json"
        path.write_text(json.dumps(dict(identifier=identifier, secret=secret)), encoding="utf-8")
        path.chmod(mode)
        self.secrets.setdefault(secret, "a client secret")

    def run(self, *args, python=sys.executable, flags=("-I",)):
        """Run the program as the timer does; the CompletedProcess, after searching its output for every secret."""
        self.control.clear_requests()
        command = [python, *flags, str(self.program), str(self.dir / "config.json"), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        self.assert_no_secrets(result.stdout + result.stderr)
        return result

    def assert_no_secrets(self, output):
        """No client secret and no token the simulator issued or a test planted is in ``output``."""
        for grant in self.control.call("GET", "grants")["grants"]:
            self.secrets.setdefault(grant["full_token"], "token %s" % grant["id"])
        leaked = [label for secret, label in self.secrets.items() if any(fragment in output for fragment in fragments(secret))]
        assert not leaked, "the refresher's output reveals: %s" % ", ".join(sorted(leaked))

    def plant(self, expires_at, scopes=("read",)):
        """A token of the client's owner that this refresher did not mint; its value is watched."""
        token = self.control.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID, scopes, expires_at)
        self.secrets[token["full_token"]] = "planted token %s" % token["id"]
        return token

    def held(self):
        """The token the app's env file holds at ZENDESK_OAUTH_TOKEN ('' when none)."""
        if not self.app_file.exists():
            return ""
        lines = [line for line in self.app_file.read_text(encoding="utf-8").splitlines() if line.startswith("ZENDESK_OAUTH_TOKEN=")]
        return lines[-1].partition("=")[2] if lines else ""

    def grant(self, token):
        """The simulator's record of a granted ``token`` (id, expires_at, live)."""
        found = [grant for grant in self.control.call("GET", "grants")["grants"] if grant["full_token"] == token]
        assert found, "the file holds no token the grant issued"
        return found[0]

    def is_live(self, token_id):
        """Whether Zendesk still accepts the token ``token_id`` (neither revoked nor expired)."""
        return any(token["id"] == token_id and not token["revoked"] and not token["expired"] for token in self.control.state()["tokens"])

    def calls(self):
        """The API calls of the last run, as 'METHOD path'."""
        return ["%s %s" % (request["method"], request["path"]) for request in self.control.requests()]

    def state(self):
        """The state file's record."""
        return json.loads((self.dir / "state.json").read_text(encoding="utf-8"))

    def reload_count(self):
        """How often the reload command ran."""
        return len(self.reloads.read_text(encoding="utf-8").splitlines()) if self.reloads.exists() else 0

    def mint_early(self, seconds_left=RENEW_BEFORE // 2):
        """Run once with the simulator's clock set back, so that by the host's clock the minted token expires in ``seconds_left``.

        The clock is then frozen at the host's now: later tokens live their whole lifetime.
        """
        now = datetime.datetime.now(UTC)
        self.control.set_clock(now - datetime.timedelta(seconds=LIFETIME - seconds_left))
        result = self.run()
        assert result.returncode == 0, result.stderr
        self.control.set_clock(now)
        return self.grant(self.held())


def message_line(result):
    """The run's one stderr line."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(name="client")
def client_fixture(sim):
    """A confidential client owned by the admin, for the app."""
    return sim.call("POST", "clients", {"client": {"name": "My app's refresher", "identifier": "my_app_refresher",
                                                   "kind": "confidential", "user_id": seed.ADMIN_ID}})["client"]


@pytest.fixture(name="refresher")
def refresher_fixture(zendesk_simulator, sim, tmp_path, client):
    """A refresher installed in tmp_path, its app file absent."""
    return Refresher(zendesk_simulator, sim, tmp_path, client)


def test_no_file_mints_writes_records_and_a_rerun_makes_no_call(refresher):
    result = refresher.run()
    assert result.returncode == 0 and "renewed (the file holds no token" in message_line(result), result.stderr
    assert refresher.calls() == ["POST " + GRANT_PATH, "GET " + CURRENT_PATH]
    token = refresher.held()
    grant = refresher.grant(token)
    assert grant["live"] and grant["scopes"] == ["read"]
    assert stat.S_IMODE(refresher.app_file.stat().st_mode) == 0o600
    state_text = (refresher.dir / "state.json").read_text(encoding="utf-8")
    assert token not in state_text, "the state file holds the token in clear"
    assert refresher.state() == dict(token_id=grant["id"], expires_at=grant["expires_at"], reload_pending=False,
                                     sha256=hashlib.sha256(token.encode()).hexdigest())
    assert stat.S_IMODE((refresher.dir / "state.json").stat().st_mode) == 0o600
    assert refresher.reload_count() == 1

    again = refresher.run()
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert refresher.calls() == [], "a fresh token this refresher minted needs no API call"
    assert_same_secret(refresher.held(), token, "the app file's token")
    assert refresher.reload_count() == 1


def test_fresh_token_it_did_not_mint_is_kept_after_one_check(refresher):
    planted = refresher.plant(datetime.datetime.now(UTC) + datetime.timedelta(days=1))
    refresher.app_file.write_text("ZENDESK_OAUTH_TOKEN=%s\n" % planted["full_token"], encoding="utf-8")
    result = refresher.run()
    assert (result.returncode, result.stderr) == (0, "")
    assert refresher.calls() == ["GET " + CURRENT_PATH]
    assert_same_secret(refresher.held(), planted["full_token"], "the app file's token")
    assert refresher.reload_count() == 0


def test_token_in_the_window_is_renewed_reloaded_and_revoked(refresher):
    old = refresher.mint_early()
    assert refresher.reload_count() == 1
    result = refresher.run()
    assert result.returncode == 0, result.stderr
    line = message_line(result)
    assert "renewed (its token expires at %s, within renew_before (1200 s))" % old["expires_at"] in line
    assert "revoked token %s" % old["id"] in line and str(refresher.app_file) in line
    assert refresher.calls() == ["POST " + GRANT_PATH, "GET " + CURRENT_PATH, "DELETE " + CURRENT_PATH]
    new = refresher.grant(refresher.held())
    assert new["id"] != old["id"] and new["live"] and not refresher.is_live(old["id"])
    assert refresher.reload_count() == 2


def test_a_token_it_did_not_mint_is_replaced_but_not_revoked(refresher):
    """Another holder may share it (the role's token delivery): it expires on its own."""
    planted = refresher.plant(datetime.datetime.now(UTC) + datetime.timedelta(seconds=RENEW_BEFORE // 2))
    refresher.app_file.write_text("ZENDESK_OAUTH_TOKEN=%s\n" % planted["full_token"], encoding="utf-8")
    result = refresher.run()
    assert result.returncode == 0 and "revoked" not in message_line(result)
    assert refresher.calls() == ["GET " + CURRENT_PATH, "POST " + GRANT_PATH, "GET " + CURRENT_PATH]
    assert refresher.is_live(planted["id"]) and refresher.grant(refresher.held())["live"]


def test_expired_token_is_replaced(refresher):
    planted = refresher.plant(datetime.datetime.now(UTC) - datetime.timedelta(seconds=10))
    refresher.app_file.write_text("ZENDESK_OAUTH_TOKEN=%s\n" % planted["full_token"], encoding="utf-8")
    result = refresher.run()
    assert result.returncode == 0 and "Zendesk does not accept its token" in message_line(result)
    assert refresher.grant(refresher.held())["live"] and refresher.reload_count() == 1


def test_expired_token_it_minted_is_replaced(refresher):
    old = refresher.mint_early(seconds_left=-60)
    result = refresher.run()
    assert result.returncode == 0 and "its token expires at %s" % old["expires_at"] in message_line(result)
    assert refresher.calls() == ["POST " + GRANT_PATH, "GET " + CURRENT_PATH, "DELETE " + CURRENT_PATH]
    assert refresher.grant(refresher.held())["id"] != old["id"] and refresher.reload_count() == 2


def test_force_renews_a_fresh_token(refresher):
    assert refresher.run().returncode == 0
    old = refresher.grant(refresher.held())
    result = refresher.run("--force")
    assert result.returncode == 0 and "renewed (--force)" in message_line(result)
    new = refresher.grant(refresher.held())
    assert new["id"] != old["id"] and not refresher.is_live(old["id"]) and refresher.reload_count() == 2


def test_check_says_what_it_would_do_and_changes_nothing(refresher):
    result = refresher.run("--check")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "%s: would renew: the file holds no token at ZENDESK_OAUTH_TOKEN\n" % refresher.app_file
    assert not refresher.app_file.exists() and refresher.calls() == []
    assert refresher.run().returncode == 0
    expires_at = refresher.state()["expires_at"]
    result = refresher.run("--check")
    assert result.stdout == "%s: fresh until %s\n" % (refresher.app_file, expires_at) and refresher.calls() == []


def test_wrong_secret_fails_naming_the_files_and_the_fix(refresher, client):
    refresher.write_credentials(client["identifier"], "not-the-secret-" + "x" * 40)
    result = refresher.run()
    assert result.returncode == 1
    line = message_line(result)
    assert line.startswith("zendesk-token-refresh: %s: cannot renew its token: Zendesk refused" % refresher.app_file), line
    assert "invalid_client" in line and "write the client's Identifier and current secret" in line
    assert str(refresher.dir / "credentials.json") in line
    assert not refresher.app_file.exists() and refresher.reload_count() == 0


def test_refused_scope_fails_and_keeps_the_held_token(refresher, client):
    assert refresher.run().returncode == 0
    old = refresher.grant(refresher.held())
    refresher.control.call("POST", "grants/allowed_scopes", {"client_id": client["id"], "scopes": ["read"]})
    refresher.write_config(scopes=["read", "write"])
    result = refresher.run("--force")
    assert result.returncode == 1
    line = message_line(result)
    assert "invalid_scope" in line and "may not request the scopes read write" in line and str(refresher.app_file) in line
    assert refresher.grant(refresher.held())["id"] == old["id"] and refresher.is_live(old["id"])


def test_public_client_is_refused(refresher, sim):
    public = sim.call("POST", "clients", {"client": {"name": "public", "identifier": "public_app", "kind": "public",
                                                     "user_id": seed.ADMIN_ID}})["client"]
    refresher.write_credentials(public["identifier"], public["secret"])
    result = refresher.run()
    assert result.returncode == 1 and "make it a confidential client" in message_line(result)


def test_reload_failing_keeps_the_replaced_token_live_and_is_retried(refresher):
    old = refresher.mint_early()
    refresher.write_config(reload_command="echo 'myapp: bad config' >&2; exit 3")
    result = refresher.run()
    assert result.returncode == 1
    output, line = result.stderr.splitlines()
    assert output == "myapp: bad config", "the command's own output goes to the journal too"
    assert "reload command \"echo 'myapp: bad config' >&2; exit 3\" exited with status 3" in line
    assert str(refresher.app_file) in line and "the replaced token stays live" in line
    new = refresher.grant(refresher.held())
    assert new["id"] != old["id"] and refresher.is_live(old["id"])
    assert refresher.state()["reload_pending"] is True

    again = refresher.run()
    assert again.returncode == 1 and "exited with status 3" in again.stderr, "a failed reload is not forgotten"

    refresher.write_config(reload_command="echo reloaded >> %s" % refresher.reloads)
    fixed = refresher.run()
    assert fixed.returncode == 0 and "the reload command succeeded for token %s" % new["id"] in message_line(fixed)
    assert refresher.calls() == [] and refresher.state()["reload_pending"] is False


@pytest.mark.parametrize("file_format", sorted(FORMAT_FILES))
def test_each_format_keeps_the_rest_of_the_file(refresher, file_format):
    before, after, key = FORMAT_FILES[file_format]
    app_file = refresher.app_file.with_name("app." + file_format)
    app_file.write_text(before, encoding="utf-8")
    refresher.write_config(app_file=str(app_file), format=file_format, key=key)
    result = refresher.run()
    assert result.returncode == 0, result.stderr
    token = [grant["full_token"] for grant in refresher.control.call("GET", "grants")["grants"]][-1]
    assert_same_secret(app_file.read_text(encoding="utf-8"), after.replace("{token}", token), "the %s file" % file_format)
    assert refresher.run().returncode == 0 and refresher.calls() == [], "the token written is the token read back"


def test_owner_group_and_mode_are_kept(refresher):
    refresher.app_file.write_text("OTHER=1\n", encoding="utf-8")
    os.chown(refresher.app_file, 65534, 65534)
    refresher.app_file.chmod(0o640)
    assert refresher.run().returncode == 0
    st = refresher.app_file.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o640)


def test_a_new_file_gets_the_configured_owner_group_and_mode(refresher):
    refresher.write_config(owner="nobody", group="nogroup", mode="0640")
    assert refresher.run().returncode == 0
    st = refresher.app_file.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o640)


def test_rename_is_atomic_and_a_symlink_is_replaced_not_followed(refresher, tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("ZENDESK_OAUTH_TOKEN=kept\n", encoding="utf-8")
    refresher.app_file.symlink_to(target)
    result = refresher.run()
    assert result.returncode == 0, result.stderr
    assert not refresher.app_file.is_symlink() and refresher.held() != "kept"
    assert target.read_text(encoding="utf-8") == "ZENDESK_OAUTH_TOKEN=kept\n"
    assert sorted(os.listdir(refresher.app_file.parent)) == ["app.env"], "a temporary file was left"
    assert sorted(os.listdir(refresher.dir)) == ["config.json", "credentials.json", "state.json"]


def test_unwritable_file_fails_and_revokes_the_undelivered_token(refresher, tmp_path):
    assert refresher.run().returncode == 0
    old = refresher.grant(refresher.held())
    refresher.app_file.parent.chmod(0o555)
    try:
        result = refresher.run("--force", python=unprivileged_python(tmp_path))
    finally:
        refresher.app_file.parent.chmod(0o755)
    assert result.returncode == 1
    line = message_line(result)
    assert line.startswith("zendesk-token-refresh: %s: cannot write it: Permission denied" % refresher.app_file), line
    grants = refresher.control.call("GET", "grants")["grants"]
    assert [grant["live"] for grant in grants] == [True, False], "the undelivered token is revoked, the held one stays"
    assert refresher.grant(refresher.held())["id"] == old["id"] and refresher.state()["token_id"] == old["id"]
    assert refresher.reload_count() == 1


def test_credentials_readable_by_others_are_refused(refresher, client):
    refresher.write_credentials(client["identifier"], client["secret"], mode=0o644)
    result = refresher.run()
    assert result.returncode == 1 and "may be read by others (mode 0644). Run chmod 600" in message_line(result)
    assert refresher.calls() == []


@pytest.mark.parametrize("change, problem", [
    (dict(renew_before=LIFETIME), "renew_before must be at least 360 seconds and less than lifetime"),
    (dict(renew_before=300), "renew_before must be at least 360 seconds and less than lifetime"),
    (dict(lifetime=172800), "lifetime must be more than 300 and less than 172800 seconds"),
    (dict(format="toml"), "format must be one of env, ini, json, yaml"),
    (dict(url="http://obscura.zendesk.com"), "url must be https://<subdomain>.zendesk.com (plain http only to a loopback host)"),
    (dict(scopes=["read", ""]), "scopes must be a list of scope names"),
    (dict(mode="rw"), "mode must be octal digits such as 0600"),
    (dict(credentials=None), "credentials must be a string"),
])
def test_bad_configuration_fails_before_any_call(refresher, change, problem):
    refresher.write_config(**change)
    result = refresher.run()
    assert result.returncode == 2
    assert message_line(result) == "zendesk-token-refresh: %s: %s. Fix the configuration (the role writes it)" % (
        refresher.dir / "config.json", problem)
    assert refresher.calls() == [] and not refresher.app_file.exists()


def test_bad_key_fails_naming_the_file(refresher):
    refresher.write_config(key="not a name")
    result = refresher.run()
    assert result.returncode == 2 and message_line(result).startswith(
        "zendesk-token-refresh: %s: The key 'not a name' is not a variable name" % refresher.app_file)


def test_unreachable_zendesk_fails_naming_the_file(refresher):
    refresher.write_config(url="http://127.0.0.1:9")
    result = refresher.run()
    assert result.returncode == 1
    assert "%s: cannot reach Zendesk at http://127.0.0.1:9" % refresher.app_file in message_line(result)


@pytest.mark.parametrize("file_format", ["env", "ini"])
def test_standard_library_only(refresher, file_format):
    """-S: no site-packages, as on a host whose Python has nothing but its standard library."""
    _before, _after, key = FORMAT_FILES[file_format]
    refresher.write_config(app_file=str(refresher.app_file.with_name("app." + file_format)), format=file_format, key=key)
    result = refresher.run(flags=("-I", "-S"))
    assert result.returncode == 0, result.stderr


def test_yaml_without_a_yaml_library_names_the_fix(refresher):
    refresher.write_config(app_file=str(refresher.app_file.with_name("app.yaml")), format="yaml", key="zendesk.oauth_token")
    result = refresher.run(flags=("-I", "-S"))
    assert result.returncode == 1 and message_line(result).startswith(
        "zendesk-token-refresh: %s: the yaml format cannot be read on this host: Python module yaml is missing. "
        "Install it (python3-yaml)" % refresher.app_file.with_name("app.yaml"))
    assert refresher.calls() == []


def test_standard_library_only_json(refresher):
    refresher.write_config(app_file=str(refresher.app_file.with_name("app.json")), format="json", key="zendesk.oauth_token")
    result = refresher.run(flags=("-I", "-S"))
    assert result.returncode == 0, result.stderr


def python38():
    """A Python 3.8 that runs (on PATH, or pyenv's), or None."""
    candidates = [shutil.which("python3.8")] + sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.8*/bin/python3.8")))
    for python in filter(None, candidates):
        if subprocess.run([python, "-c", "import sys; assert sys.version_info[:2] == (3, 8)"], capture_output=True, check=False).returncode == 0:
            return python
    return None


@pytest.mark.parametrize("file_format", ["env", "ini"])
def test_runs_with_python_3_8_and_its_standard_library(refresher, file_format):
    python = python38()
    if python is None:
        pytest.skip("no Python 3.8 on this machine (tests/unit checks the program's syntax for 3.8)")
    _before, _after, key = FORMAT_FILES[file_format]
    refresher.write_config(app_file=str(refresher.app_file.with_name("app." + file_format)), format=file_format, key=key)
    result = refresher.run(python=python, flags=("-I", "-S"))
    assert result.returncode == 0, result.stderr
    assert refresher.run(python=python, flags=("-I", "-S")).returncode == 0 and refresher.calls() == []


def test_a_missing_library_file_names_the_fix(refresher):
    shutil.rmtree(pathlib.Path(str(refresher.program) + ".lib"))
    result = refresher.run()
    assert result.returncode == 1 and "re-run the role to install the refresher's library" in message_line(result)


def test_new_token_whose_expiry_cannot_be_read_is_revoked(refresher):
    refresher.control.fault(method="GET", path=CURRENT_PATH, status=500)
    result = refresher.run()
    assert result.returncode == 1
    assert message_line(result).startswith("zendesk-token-refresh: %s: cannot read its new token's expiry: Zendesk answered HTTP 500"
                                           % refresher.app_file)
    assert refresher.calls() == ["POST " + GRANT_PATH, "GET " + CURRENT_PATH, "DELETE " + CURRENT_PATH]
    assert [grant["live"] for grant in refresher.control.call("GET", "grants")["grants"]] == [False]
    assert not refresher.app_file.exists() and not (refresher.dir / "state.json").exists()


def test_unreadable_token_file_fails_naming_the_fix(refresher):
    refresher.app_file.write_text('ZENDESK_OAUTH_TOKEN="unclosed\n', encoding="utf-8")
    result = refresher.run()
    assert result.returncode == 1
    assert message_line(result).startswith("zendesk-token-refresh: %s: The value of ZENDESK_OAUTH_TOKEN on line 1 has no closing "
                                           "double quote" % refresher.app_file)
    assert refresher.calls() == []


def json_report(result):
    """The --json report on stdout (one JSON object); the run must have succeeded."""
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    return json.loads(lines[0])


def test_json_reports_what_a_run_did_without_a_token(refresher):
    assert json_report(refresher.run("--check", "--json")) == dict(
        changed=True, token_id=None, expires_at=None, minted=False, revoked=[],
        reason="the file holds no token at ZENDESK_OAUTH_TOKEN")
    assert refresher.calls() == [] and not refresher.app_file.exists()

    first = json_report(refresher.run("--json"))
    grant = refresher.grant(refresher.held())
    assert first == dict(changed=True, token_id=grant["id"], expires_at=grant["expires_at"], minted=True, revoked=[],
                         reason="the file holds no token at ZENDESK_OAUTH_TOKEN")

    fresh = dict(changed=False, token_id=grant["id"], expires_at=grant["expires_at"], minted=False, revoked=[], reason=None)
    assert json_report(refresher.run("--json")) == fresh and refresher.calls() == []
    assert json_report(refresher.run("--check", "--json")) == fresh

    forced = json_report(refresher.run("--force", "--json"))
    new = refresher.grant(refresher.held())
    assert forced == dict(changed=True, token_id=new["id"], expires_at=new["expires_at"], minted=True, revoked=[grant["id"]],
                          reason="--force")


def test_json_reports_a_token_it_did_not_mint_with_its_id(refresher):
    planted = refresher.plant(datetime.datetime.now(UTC) + datetime.timedelta(days=1))
    refresher.app_file.write_text("ZENDESK_OAUTH_TOKEN=%s\n" % planted["full_token"], encoding="utf-8")
    done = json_report(refresher.run("--json"))
    assert done["changed"] is False and done["token_id"] == planted["id"] and done["expires_at"]


def test_json_reports_a_retried_reload_as_a_change(refresher):
    refresher.write_config(reload_command="exit 3")
    assert refresher.run().returncode == 1
    assert json_report(refresher.run("--check", "--json"))["changed"] is True, "--check: the pending reload would run"
    refresher.write_config(reload_command="echo reloaded >> %s" % refresher.reloads)
    done = json_report(refresher.run("--json"))
    assert done["changed"] is True and done["minted"] is False and refresher.calls() == []
    assert json_report(refresher.run("--json"))["changed"] is False


def test_a_failure_prints_no_json(refresher, client):
    refresher.write_credentials(client["identifier"], "not-the-secret-" + "x" * 40)
    result = refresher.run("--json")
    assert result.returncode == 1 and result.stdout == "" and "invalid_client" in message_line(result)


def test_revoke_revokes_the_token_it_minted_and_forgets_it(refresher):
    assert refresher.run().returncode == 0
    token = refresher.grant(refresher.held())
    checked = json_report(refresher.run("--revoke", "--check", "--json"))
    assert checked == dict(changed=True, token_id=None, expires_at=None, minted=False, revoked=[token["id"]])
    assert refresher.calls() == [] and refresher.is_live(token["id"]) and (refresher.dir / "state.json").exists()

    done = json_report(refresher.run("--revoke", "--json"))
    assert done == checked
    assert refresher.calls() == ["DELETE " + CURRENT_PATH] and not refresher.is_live(token["id"])
    assert not (refresher.dir / "state.json").exists()
    assert_same_secret(refresher.held(), token["full_token"], "the app file's token (the file is left as it is)")

    again = json_report(refresher.run("--revoke", "--json"))
    assert again == dict(changed=False, token_id=None, expires_at=None, minted=False, revoked=[]) and refresher.calls() == []


def test_revoke_names_a_recorded_token_the_file_no_longer_holds(refresher):
    assert refresher.run().returncode == 0
    token = refresher.grant(refresher.held())
    refresher.app_file.write_text("ZENDESK_OAUTH_TOKEN=another\n", encoding="utf-8")
    done = json_report(refresher.run("--revoke", "--json"))
    assert done == dict(changed=True, token_id=None, expires_at=None, minted=False, revoked=[], unrevoked=token["id"])
    assert refresher.calls() == [] and refresher.is_live(token["id"]) and not (refresher.dir / "state.json").exists()


def test_revoke_of_a_gone_token_reports_nothing_revoked(refresher):
    assert refresher.run().returncode == 0
    token = refresher.grant(refresher.held())
    refresher.control.advance_clock(LIFETIME + 60)
    result = refresher.run("--revoke", "--json")
    assert json_report(result)["revoked"] == [] and "was revoked or expired already" in message_line(result)
    assert not (refresher.dir / "state.json").exists()


def test_revoke_failing_keeps_the_record_and_names_the_fix(refresher):
    assert refresher.run().returncode == 0
    token = refresher.grant(refresher.held())
    refresher.control.fault(method="DELETE", path=CURRENT_PATH, status=500)
    result = refresher.run("--revoke", "--json")
    assert result.returncode == 1 and result.stdout == ""
    assert message_line(result).startswith("zendesk-token-refresh: %s: cannot revoke its token %s: Zendesk answered HTTP 500"
                                           % (refresher.app_file, token["id"]))
    assert refresher.state()["token_id"] == token["id"] and refresher.is_live(token["id"])

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the collection's modules the way users do (ansible-playbook, ansible ad hoc) against the simulator.

A test describes *cases* (one module task each, with optional simulator setup such as faults);
``Harness.play`` runs them in order as the tasks of one generated playbook, at ``-vvvv --diff``,
and returns per case: what ``register:`` holds, the result as display callbacks saw it and the
simulator requests the task made (all three saved by the ``sim_recorder`` callback, to 0600 files).
Every run's whole output (stdout, stderr, ANSIBLE_LOG_PATH file and the recorder's file) is searched
for every secret known to the test; a run that shows one fails.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import pathlib
import stat
import subprocess
import sys

import requests
import yaml

from zendesk_simulator import seed

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
STAGE = pathlib.Path(os.environ.get("ZENDESK_IT_STAGE", REPO / "build" / "integration"))
BIN = pathlib.Path(sys.executable).parent
MODULES = {"token": "obscura.zendesk.zendesk_oauth_token", "info": "obscura.zendesk.zendesk_oauth_client_info",
           "client": "obscura.zendesk.zendesk_oauth_client", "token_info": "obscura.zendesk.zendesk_oauth_token_info"}
WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))
TOKEN_FIELDS = {"id", "client_id", "user_id", "scopes", "created_at", "expires_at", "used_at", "url"}
CLIENT_FIELDS = {"id", "name", "identifier", "kind", "company", "description", "redirect_uri", "user_id", "global",
                 "created_at", "updated_at", "url"}
# Result keys that may hold a secret: minted tokens, client secrets, a session's connection.oauth_token, and
# zendesk_token_file's value and file content.
REDACTED_KEYS = frozenset(("full_token", "secret", "oauth_token", "value", "content"))
NO_LOG_MARKER = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
TOKENS_PATH = "/api/v2/oauth/tokens"
CURRENT_PATH = TOKENS_PATH + "/current"
CLIENTS_PATH = "/api/v2/oauth/clients"
RUN_TIMEOUT = 300
# Root ignores file permissions; run the module (or the shell) without the capabilities that allow it, so a read-only
# directory is read-only for the module too. Other users need no wrapper.
UNPRIVILEGED = """#!/bin/sh
if [ "$(id -u)" = 0 ]; then
  exec setpriv --bounding-set -dac_override,-dac_read_search,-fowner -- {program} "$@"
fi
exec {program} "$@"
"""
# Variables that make requests verify TLS against another CA bundle; runs set them only on purpose.
CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def seed_users():
    """(email, password, api_token) of every seed user."""
    local_parts = [row[1] for row in seed.USER_ROWS]
    return [(seed.email_of(local), seed.password_of(local), seed.api_token_of(local)) for local in local_parts]


def seed_secrets():
    """Every secret of the simulator's seed (value: label): OAuth tokens, client secrets, passwords, API tokens, Basic headers."""
    found = {seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN: "bootstrap admin OAuth token", seed.BOOTSTRAP_AGENT_OAUTH_TOKEN: "bootstrap agent OAuth token",
             seed.BOOTSTRAP_CLIENT_SECRET: "bootstrap client secret", seed.MY_APP_CLIENT_SECRET: "my_app client secret"}
    for email, password, api_token in seed_users():
        found.update({password: "password of " + email, api_token: "API token of " + email,
                      basic(email, password): "Basic header of " + email,
                      basic(email + "/token", api_token): "API token Basic header of " + email})
    return found


def basic(user, password):
    """The base64 part of a Basic Authorization header."""
    return base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def fragments(secret):
    """Strings whose presence in output reveals ``secret``: itself and, for long ones, its tail.

    Zendesk shows the first 10 characters of a token in its API; the rest must never appear.
    """
    return [secret, secret[-24:]] if len(secret) >= 32 else [secret]


def find_values(data, key):
    """Every value stored under ``key`` anywhere in nested dicts and lists."""
    if isinstance(data, dict):
        return [v for k, v in data.items() if k == key] + [x for v in data.values() for x in find_values(v, key)]
    if isinstance(data, list):
        return [x for item in data for x in find_values(item, key)]
    return []


def redacted(data):
    """``data`` with every value under REDACTED_KEYS replaced, so that assertion messages never show a secret."""
    if isinstance(data, dict):
        return {k: "<redacted>" if k in REDACTED_KEYS else redacted(v) for k, v in data.items()}
    if isinstance(data, list):
        return [redacted(item) for item in data]
    return data


def without_invocation(result):
    """A registered result without Ansible's ``invocation`` echo of the arguments."""
    return {k: v for k, v in result.items() if k != "invocation"}


@dataclasses.dataclass
class Case:
    """One module task: arguments, check mode, simulator setup before it, task keywords."""

    name: str
    args: dict
    module: str = "token"
    check: bool = False
    setup: tuple = ()
    environment: dict = None
    defaults: dict = None
    task_vars: dict = None

    def task(self, register):
        """The task as a playbook entry."""
        task = {"name": self.name, MODULES.get(self.module, self.module): self.args, "register": register,
                "ignore_errors": True}
        optional = {"check_mode": self.check or None, "environment": self.environment, "vars": self.task_vars,
                    "module_defaults": {"group/obscura.zendesk.zendesk": self.defaults} if self.defaults else None}
        task.update({k: v for k, v in optional.items() if v is not None})
        return task

    def recorder_entry(self, register):
        """What the recorder callback runs before the task, and the variable it saves at the end."""
        return {"setup": [{"call": call, "kwargs": kwargs} for call, kwargs in self.setup], "register": register}


@dataclasses.dataclass
class CaseResult:
    """What one case did: registered result, displayed result, status, warnings, simulator requests."""

    name: str
    result: dict
    shown: dict
    status: str
    warnings: list
    requests: list

    @property
    def changed(self):
        """The registered ``changed``."""
        return self.result.get("changed")

    @property
    def failed(self):
        """Whether the task failed."""
        return bool(self.result.get("failed"))

    @property
    def msg(self):
        """The failure message ('' when none)."""
        return str(self.result.get("msg") or "")

    @property
    def token(self):
        """The registered ``token`` (empty dict when absent)."""
        return self.result.get("token") or {}

    def calls(self, method=None):
        """'METHOD path' of each request, optionally of one method only."""
        return ["%s %s" % (r["method"], r["path"]) for r in self.requests if method in (None, r["method"])]

    def count(self, method, path):
        """How many requests had this method and path."""
        return self.calls(method).count("%s %s" % (method, path))

    def writes(self):
        """The requests that could change Zendesk's state."""
        return [r for r in self.requests if r["method"] in WRITE_METHODS]

    def describe(self):
        """Everything about the case except token values, for assertion messages."""
        return json.dumps(redacted(dataclasses.asdict(self)), indent=1, default=str)[:6000]


@dataclasses.dataclass
class Run:
    """One ansible-playbook or ansible run."""

    rc: int
    stdout: str
    stderr: str
    log: str
    recorded: str
    cases: dict

    @property
    def output(self):
        """Everything the run showed or logged."""
        return "\n".join((self.stdout, self.stderr, self.log, self.recorded))

    def __getitem__(self, name):
        return self.cases[name]


class Harness:
    """Runs cases against one simulator and watches for secrets in what Ansible shows."""

    def __init__(self, simulator, workdir):
        self.simulator = simulator
        self.control = simulator.control
        self.url = simulator.url
        self.workdir = pathlib.Path(workdir)
        self.secrets = seed_secrets()
        self.runs = 0

    # --- simulator ---------------------------------------------------------------------------

    def plant(self, client_id=seed.MY_APP_CLIENT_ID, scopes=("read",), user_id=seed.ADMIN_ID, expires_at=None):
        """Create a token directly in the simulator; its value becomes a watched secret."""
        token = self.control.plant_token(user_id, client_id, scopes, expires_at)
        self.watch(token["full_token"], "planted token %s" % token["id"])
        return token

    def revoke(self, token_id):
        """Revoke a token through the API, as the bootstrap admin."""
        response = requests.delete("%s%s/%s" % (self.url, TOKENS_PATH, token_id), timeout=30,
                                   headers={"Authorization": "Bearer " + seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN})
        assert response.status_code == 204, response.text

    def tokens(self):
        """The simulator's tokens by id (prefix, client, user, scopes, revoked, expired)."""
        return {token["id"]: token for token in self.control.state()["tokens"]}

    def live_tokens(self):
        """Ids of the tokens that are neither revoked nor expired."""
        return {i for i, token in self.tokens().items() if not token["revoked"] and not token["expired"]}

    def add_client(self, name, identifier):
        """Create an OAuth client directly in the simulator; return it."""
        client = self.control.call("POST", "clients", {"client": {"name": name, "identifier": identifier}})["client"]
        self.watch(client["secret"], "secret of client %s" % client["id"])
        return client

    # --- running Ansible ---------------------------------------------------------------------

    def environment(self, paths, env=None):
        """The environment of an Ansible run: hermetic, ZENDESK_URL/ZENDESK_OAUTH_TOKEN for the admin."""
        base = {k: v for k, v in os.environ.items()
                if not k.startswith(("ANSIBLE_", "ZENDESK_", "SIM_RECORDER_")) and k not in CA_BUNDLE_VARIABLES}
        base.update({
            "ANSIBLE_CONFIG": str(paths["config"]),
            "ANSIBLE_COLLECTIONS_PATH": str(STAGE),
            "ANSIBLE_CALLBACK_PLUGINS": str(HERE / "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "sim_recorder",
            "ANSIBLE_LOAD_CALLBACK_PLUGINS": "1",
            "ANSIBLE_LOG_PATH": str(paths["log"]),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            "ANSIBLE_LOCAL_TEMP": str(paths["dir"] / "tmp"),
            "SIM_RECORDER_URL": self.url,
            "SIM_RECORDER_CA": self.simulator.ca_path or "",
            "SIM_RECORDER_CASES": str(paths["cases"]),
            "SIM_RECORDER_OUT": str(paths["recorded"]),
            "SIM_RECORDER_REGISTERED": str(paths["results"]),
            "ZENDESK_URL": self.url,
            "ZENDESK_OAUTH_TOKEN": seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN,
        })
        base.update(env or {})
        return {k: v for k, v in base.items() if v is not None}

    def new_run_dir(self):
        """A fresh directory for one run's files."""
        self.runs += 1
        directory = self.workdir / ("run%02d" % self.runs)
        directory.mkdir(parents=True)
        paths = {name: directory / name for name in ("ansible.cfg", "log", "cases", "recorded", "results", "inventory")}
        paths["config"] = paths.pop("ansible.cfg")
        paths["dir"] = directory
        paths["config"].write_text("[defaults]\n", encoding="utf-8")
        paths["inventory"].write_text("localhost ansible_connection=local ansible_python_interpreter=%s\n" % sys.executable,
                                      encoding="utf-8")
        return paths

    def play(self, cases, env=None, scan=True, verbosity=4):
        """Run ``cases`` as one playbook (-vvvv --diff); return the Run with a CaseResult per case name."""
        names = [case.name for case in cases]
        assert len(set(names)) == len(names), "case names must be unique"
        paths = self.new_run_dir()
        registers = ["case_%d" % index for index in range(len(cases))]
        tasks = [case.task(register) for case, register in zip(cases, registers)]
        playbook = paths["dir"] / "playbook.yml"
        playbook.write_text(yaml.safe_dump([{"name": "Cases", "hosts": "localhost", "gather_facts": False, "tasks": tasks}],
                                           sort_keys=False), encoding="utf-8")
        entries = {case.name: case.recorder_entry(register) for case, register in zip(cases, registers)}
        paths["cases"].write_text(json.dumps(entries), encoding="utf-8")
        command = [str(BIN / "ansible-playbook"), "-i", str(paths["inventory"]), str(playbook), "--diff"]
        run = self.execute(command + ["-" + "v" * verbosity] if verbosity else command, paths, env)
        assert paths["results"].exists(), "the playbook did not finish:\n%s" % run.output[-6000:]
        registered = json.loads(paths["results"].read_text(encoding="utf-8"))
        recorded = json.loads(run.recorded or "{}")
        run.cases = {case.name: self.case_result(case.name, registered, recorded) for case in cases}
        self.watch_results(cases, run)
        if scan:
            self.assert_no_secrets(run)
        return run

    def adhoc(self, module, args, env=None, check=False, scan=True):
        """Run ``ansible localhost -m MODULE -a ARGS`` (-vvvv --diff); the case is named after the module."""
        paths = self.new_run_dir()
        paths["cases"].write_text("{}", encoding="utf-8")
        command = [str(BIN / "ansible"), "localhost", "-i", str(paths["inventory"]), "-m", MODULES.get(module, module),
                   "-a", args, "--diff", "-vvvv"] + (["--check"] if check else [])
        run = self.execute(command, paths, env)
        recorded = json.loads(run.recorded or "{}")
        run.cases = {name: CaseResult(name, {}, rec["shown"], rec["status"], rec["warnings"], rec["requests"])
                     for name, rec in recorded.items()}
        if scan:
            self.assert_no_secrets(run)
        return run

    def execute(self, command, paths, env):
        """Run an Ansible command; collect all it showed and logged."""
        process = subprocess.run(command, cwd=str(paths["dir"]), env=self.environment(paths, env), capture_output=True,
                                 text=True, timeout=RUN_TIMEOUT, check=False)
        log = paths["log"].read_text(encoding="utf-8") if paths["log"].exists() else ""
        recorded = paths["recorded"].read_text(encoding="utf-8") if paths["recorded"].exists() else ""
        return Run(process.returncode, process.stdout, process.stderr, log, recorded, {})

    @staticmethod
    def case_result(name, registered, recorded):
        """Join the registered and the recorded view of one case."""
        rec = recorded.get(name)
        assert rec is not None and name in registered, "the recorder saw no result for case %r" % name
        return CaseResult(name, registered[name], rec["shown"], rec["status"], rec["warnings"], rec["requests"])

    # --- secrets -----------------------------------------------------------------------------

    def watch_results(self, cases, run):
        """Watch every minted value (registered full_token) and every dest file's content."""
        for result in run.cases.values():
            for value in find_values(result.result, "full_token"):
                self.watch(value, "full_token minted by case %r" % result.name)
            client = result.result.get("client")
            if isinstance(client, dict) and client.get("secret"):
                self.watch(client["secret"], "client secret returned to case %r" % result.name)
        for case in cases:
            dest = case.args.get("dest") if isinstance(case.args, dict) else None
            if dest and os.path.isfile(os.path.expanduser(dest)):
                self.watch_file(os.path.expanduser(dest))

    def watch_file(self, path):
        """Watch the secret stored in a file."""
        value = pathlib.Path(path).read_text(encoding="utf-8").strip()
        self.watch(value, "content of %s" % path)
        return value

    def watch(self, value, label):
        """Search every later run's output for ``value`` too."""
        if value:
            self.secrets.setdefault(value, label)

    def leaks(self, text):
        """Where ``text`` reveals a watched secret: one line per secret, with context and the secret redacted."""
        found = []
        for secret, label in sorted(self.secrets.items(), key=lambda item: item[1]):
            positions = [text.find(fragment) for fragment in fragments(secret) if fragment in text]
            if positions:
                context = text[max(0, positions[0] - 200):positions[0] + 60]
                for fragment in fragments(secret):
                    context = context.replace(fragment, "<SECRET>")
                found.append("%s, e.g. in: %r" % (label, context))
        return found

    def assert_no_secrets(self, run):
        """Fail, without showing it, when the run's output reveals a watched secret."""
        leaked = self.leaks(run.output)
        assert not leaked, "the output reveals secrets:\n" + "\n".join(leaked)


def unprivileged(tmp_path, program):
    """A wrapper of ``program`` (its path) that runs it without bypassing file permissions, even as root."""
    wrapper = tmp_path / ("unprivileged-" + os.path.basename(program))
    wrapper.write_text(UNPRIVILEGED.format(program=program), encoding="utf-8")
    wrapper.chmod(0o755)
    return str(wrapper)


def unprivileged_python(tmp_path):
    """An interpreter wrapper for tasks that must not bypass file permissions."""
    return unprivileged(tmp_path, sys.executable)


def unprivileged_host(tmp_path):
    """The host variables of a host whose commands and modules do not bypass file permissions, even as root."""
    return {"ansible_python_interpreter": unprivileged_python(tmp_path), "ansible_shell_executable": unprivileged(tmp_path, "/bin/sh")}


# --- assertions shared by the tests ------------------------------------------------------------
# This module is not rewritten by pytest: its assertions show their message only, never a compared value.

def assert_same_secret(actual, expected, what):
    """Two secret values are equal (a failure names ``what``, not the values)."""
    assert actual == expected, "%s: not the expected value" % what


def assert_file_holds(path, value):
    """``path`` holds exactly ``value`` and a newline, with mode 0600."""
    with open(path, encoding="utf-8") as handle:
        assert_same_secret(handle.read(), value + "\n", "content of %s" % path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, "%s must have mode 0600" % path


def assert_secret_absent(secret, text, what):
    """``secret`` does not occur in ``text``."""
    assert secret not in text, "%s reveals a secret" % what


def assert_ok(case, changed):
    """The case succeeded with the given ``changed``."""
    assert case.status == "ok" and not case.failed, case.describe()
    assert case.changed is changed, case.describe()


def assert_failed(case, *phrases):
    """The case failed with a message containing every phrase (case-insensitive)."""
    assert case.status == "failed" and case.failed, case.describe()
    missing = [phrase for phrase in phrases if phrase.lower() not in case.msg.lower()]
    assert not missing, "message lacks %r: %s" % (missing, case.describe())
    assert "censored" not in case.shown and case.shown.get("msg") == case.msg, "failures must stay visible: " + case.describe()


def assert_no_writes(case):
    """The case sent nothing to the simulator that could change it."""
    assert not case.writes(), case.describe()


def assert_minted(case, posts=1):
    """A token was minted (with ``posts`` POST requests): register holds full_token, display shows it censored."""
    assert_ok(case, True)
    assert set(case.token) == TOKEN_FIELDS | {"full_token"}, case.describe()
    assert len(case.token["full_token"]) >= 32, case.describe()
    assert "censored" in case.shown and "token" not in case.shown, case.describe()
    assert case.count("POST", TOKENS_PATH) == posts, case.describe()


def assert_kept(case, token_id):
    """An existing token counts as present: no value returned, nothing written."""
    assert_ok(case, False)
    assert case.token["id"] == token_id, case.describe()
    assert set(case.token) == TOKEN_FIELDS, case.describe()
    assert_no_writes(case)

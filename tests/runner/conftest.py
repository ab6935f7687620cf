# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the end-to-end tests in tests/runner/ (mk/70-release.mk).

They run the collection the way its users do: built and installed from the tarball, under
ansible-runner as AWX runs jobs, and through `make demo`. Run with the project's .venv,
`-p zendesk_simulator.pytest_plugin` (the simulator is installed into .venv) (fixtures `zendesk_simulator`, `sim`).
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import yaml

from zendesk_simulator import seed

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
# pytest runs from the project's virtual environment: its bin holds ansible-*, antsibull-changelog, ...
VENV_BIN = pathlib.Path(sys.executable).parent
GALAXY = yaml.safe_load((ROOT / "galaxy.yml").read_text(encoding="utf-8"))
FQCN = f"{GALAXY['namespace']}.{GALAXY['name']}"
MODULES = sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
ROLES = sorted(path.parent.parent.name for path in (ROOT / "roles").glob("*/meta/argument_specs.yml"))


def seed_secrets():
    """Every credential of the simulator's seed, by name: none may ever show up in output or artifacts."""
    secrets = {
        "bootstrap admin OAuth token": seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN,
        "bootstrap agent OAuth token": seed.BOOTSTRAP_AGENT_OAUTH_TOKEN,
        "bootstrap client secret": seed.BOOTSTRAP_CLIENT_SECRET,
        "my_app client secret": seed.MY_APP_CLIENT_SECRET,
    }
    for _user_id, local_part, _role, _suspended in seed.USER_ROWS:
        secrets[f"{local_part} password"] = seed.password_of(local_part)
        secrets[f"{local_part} API token"] = seed.api_token_of(local_part)
    return secrets


def clean_env(**extra):
    """The environment for a child process: no ZENDESK_* or ANSIBLE_* from outside, the venv first on PATH."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ZENDESK_", "ANSIBLE_", "REQUESTS_CA_BUNDLE"))}
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "")])
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_RETRY_FILES_ENABLED"] = "false"
    env.update({key: str(value) for key, value in extra.items()})
    return env


def run(command, env=None, cwd=None, timeout=900):
    """Run a command; return the CompletedProcess with stdout and stderr captured as text."""
    return subprocess.run([str(part) for part in command], env=env or clean_env(), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, check=False)


def redact(text, secrets):
    """`text` with every secret value replaced by its name, safe to show in a failure message."""
    for name, value in secrets.items():
        if value:
            text = text.replace(value, f"<{name}>")
    return text


def found_secrets(text, secrets):
    """Names of the secrets whose value occurs in `text` (str or bytes)."""
    if isinstance(text, bytes):
        return sorted(name for name, value in secrets.items() if value and value.encode() in text)
    return sorted(name for name, value in secrets.items() if value and value in text)


def assert_ran(result, secrets=None, expect_rc=0):
    """Fail with the (redacted) output unless the command exited with `expect_rc`."""
    if result.returncode != expect_rc:
        output = redact(f"{result.stdout}\n{result.stderr}", secrets or seed_secrets())
        raise AssertionError(f"{' '.join(result.args[:4])}... exited {result.returncode}, expected {expect_rc}:\n{output[-6000:]}")


def assert_no_secret_in_output(result, secrets):
    """No secret value in a command's stdout or stderr."""
    leaked = found_secrets(result.stdout + result.stderr, secrets)
    assert not leaked, f"{' '.join(result.args[:3])}... printed {leaked}"


def secrets_in_tree(top, secrets):
    """{relative path: [secret names]} for every file under `top` holding a secret value."""
    hits = {}
    for directory, _dirs, files in os.walk(top):
        for name in files:
            path = pathlib.Path(directory, name)
            leaked = found_secrets(path.read_bytes(), secrets)
            if leaked:
                hits[str(path.relative_to(top))] = leaked
    return hits


def stage_collection(dest):
    """Copy the collection (tools/stage-collection) under `dest`; return its directory."""
    result = run([ROOT / "tools" / "stage-collection", dest])
    assert_ran(result)
    return pathlib.Path(result.stdout.strip())


def env_file_value(path, key):
    """The value of `key` in a KEY=value file, or None."""
    for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip().removeprefix("export ").strip() == key:
            return value.strip().strip("'\"")
    return None

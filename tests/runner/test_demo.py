# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make demo` (demo/run-demo), run as a newcomer would (`make demo-test`): what it does, prints and leaves behind."""

from __future__ import annotations

import os
import re
import shutil
import stat

import pytest

from conftest import BUILD, ROOT, VENV_BIN, assert_no_secret_in_output, assert_ran, clean_env, env_file_value, run, secrets_in_tree, seed_secrets

HOSTS = ("app1", "app2", "app3")
RECAP = re.compile(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)


def simulator_gone(demo_dir):
    """The simulator the demo started is no longer running."""
    pid = int((demo_dir / "simulator.pid").read_text(encoding="utf-8"))
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def run_demo(demo_dir, **extra):
    """Run demo/run-demo into `demo_dir` with a clean environment."""
    shutil.rmtree(demo_dir, ignore_errors=True)
    env = clean_env(DEMO_DIR=demo_dir, DEMO_PYTHON=VENV_BIN / "python", **extra)
    return run([ROOT / "demo" / "run-demo"], env=env, cwd=ROOT)


@pytest.fixture(name="demo", scope="module")
def demo_fixture():
    """One run of the demo: (CompletedProcess, its directory)."""
    demo_dir = BUILD / "demo-test"
    return run_demo(demo_dir), demo_dir


def recaps(output):
    """{run: {host: (changed, unreachable, failed)}} from the PLAY RECAP of each of the demo's three runs."""
    parts = re.split(r"^=== Run \d:", output, flags=re.MULTILINE)[1:]
    return {run: {host: (int(changed), int(unreachable), int(failed)) for host, changed, unreachable, failed in RECAP.findall(part)}
            for run, part in enumerate(parts, 1)}


def summary_line(output, run):
    """The summary's line about one run."""
    return next(line for line in output.splitlines() if line.startswith(f"Run {run}: hosts changed"))


def test_demo_mints_an_expiring_token_keeps_it_then_renews_it_make_before_break(demo):
    """Run 1 mints one expiring token for every host; run 2 changes and mints nothing; with the clock moved into the
    renewal window run 3 deploys a new token to every host and only then revokes the old one."""
    result, demo_dir = demo
    assert_ran(result)
    output = result.stdout
    runs = recaps(output)
    assert set(runs) == {1, 2, 3}, runs
    for run in (1, 3):
        assert set(runs[run]) == set(HOSTS) and all(changed > 0 and not failed for changed, _unreachable, failed in runs[run].values()), runs
    assert runs[2] == {host: (0, 0, 0) for host in HOSTS}
    assert "Simulator clock: now" in output.split("=== Run 3:", 1)[0].split("=== Run 2:", 1)[1]
    minted = re.findall(r"^Token minted by run (\d): id (\d+), client \d+, scopes read write, expires at (\S+Z),", output, re.MULTILINE)
    assert [run for run, _id, _expiry in minted] == ["1", "3"], minted
    (first_run, first_id, first_expiry), (third_run, third_id, third_expiry) = minted
    assert third_expiry > first_expiry and first_id != third_id
    assert "tokens minted 1," in summary_line(output, 1) and "fleet tokens revoked: none" in summary_line(output, 1)
    assert "hosts changed 0 of 3, tokens minted 0," in summary_line(output, 2) and "POST /oauth/tokens x1" in summary_line(output, 2)
    assert "hosts changed 3 of 3, tokens minted 1," in summary_line(output, 3)
    assert f"fleet tokens revoked: {first_id};" in summary_line(output, 3)
    for run in (1, 2, 3):
        assert "Ansible's own session tokens: 1 opened, 1 revoked" in summary_line(output, run)
    assert "Demo OK" in output
    values = {env_file_value(demo_dir / host / "app.env", "ZENDESK_OAUTH_TOKEN") for host in HOSTS}
    assert len(values) == 1 and all(values)
    for host in HOSTS:
        path = demo_dir / host / "app.env"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert f"APP_NAME={host}" in path.read_text(encoding="utf-8")
        assert f"{host}/app.env  mode 0600  ZENDESK_OAUTH_TOKEN=<the renewed token>" in output
    prefix = re.search(r"prefix (\w+)\.\.\.", output).group(1)
    assert values.pop().startswith(prefix) and len(prefix) < 16


def test_demo_prints_and_leaves_no_secret(demo):
    """Neither the demo's output nor its logs hold a secret: the minted token is only in the hosts' files."""
    result, demo_dir = demo
    assert_ran(result)
    secrets = dict(seed_secrets(), **{"minted token": env_file_value(demo_dir / "app1" / "app.env", "ZENDESK_OAUTH_TOKEN")})
    assert_no_secret_in_output(result, secrets)
    # The staged collection copy holds the simulator's seed (test fixtures), and the hosts' files hold the token on purpose.
    leaks = {path: names for path, names in secrets_in_tree(demo_dir, secrets).items()
             if not path.startswith("collections/") and path not in {f"{host}/app.env" for host in HOSTS}}
    assert not leaks
    assert any(demo_dir.glob("run*.log"))


def test_demo_stops_the_simulator(demo):
    """The simulator is stopped when the demo ends."""
    result, demo_dir = demo
    assert "demo: simulator stopped" in result.stdout
    assert simulator_gone(demo_dir)


def test_demo_stops_the_simulator_when_a_run_fails(tmp_path):
    """A failing playbook makes the demo fail, and the simulator is stopped all the same."""
    playbook = tmp_path / "fail.yml"
    playbook.write_text("- name: Fail\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: Fail\n      ansible.builtin.fail:\n", encoding="utf-8")
    demo_dir = BUILD / "demo-test-failing"
    result = run_demo(demo_dir, DEMO_PLAYBOOK=playbook)
    assert_ran(result, expect_rc=2)
    assert "demo: simulator stopped" in result.stdout
    assert simulator_gone(demo_dir)
    assert "Demo OK" not in result.stdout

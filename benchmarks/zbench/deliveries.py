"""Benchmark 10: the role's re-run with the client_credentials delivery vs the token delivery, and the refresher.

Delivery re-runs: each repetition starts from the simulator's seed plus two confidential clients (blue, green),
provisions the N hosts once with each delivery (the token delivery's file and the credentials delivery's file
side by side), then re-runs both, order alternating. API calls come from the simulator's counters.

The refresher: its program, installed as the role installs it (the program and its library beside it), on one
"host" in the work directory. The refresher judges expiry by the host's clock, so the simulator's clock is set
back while it mints: first a token with most of its life left, then runs with that fresh token, each timed from
process start to exit; then (--force) a token already inside its renewal window, and one more run that renews it:
that run's API calls.
"""

import datetime
import json
import shutil
import sys

from zendesk_simulator import seed

from .env import BENCH_DIR, api_calls, counter_delta, simulator
from .measure import BenchError, paired_ratios, run_process, summary
from .plays import PLAYBOOKS, HostSet
from .session import SESSION_CALLS

CREDENTIALS_PLAYBOOK = BENCH_DIR / "playbooks" / "credentials.yml"
CLIENTS = ("bench_blue", "bench_green")
DELIVERIES = ("client_credentials", "token")
TARGETS = {"ratio": 1.1, "fresh_ms": 100, "fresh_calls": 0, "renewal_calls": {"POST /oauth/tokens": 1, "DELETE /api/v2/oauth/tokens/current": 1}}
REFRESHER_LIFETIME, REFRESHER_RENEW_BEFORE = 3600, 1200
FRESH_RUNS = 10


def delivery_play(workspace, context, delivery, log):
    """One play of `delivery` (context: hosts, simulator control, environment); its wall time and API calls."""
    hosts, control, env = context
    playbook = CREDENTIALS_PLAYBOOK if delivery == "client_credentials" else PLAYBOOKS["role"]
    args = ["-i", str(hosts.inventory), "-e", f"bench_hosts_dir={hosts.files}", str(playbook)]
    before = control.counters()
    process = workspace.run_ansible("ansible-playbook", args, env, log)
    delta = counter_delta(before, control.counters())
    return dict(api_calls(delta), exchanges=delta.get(SESSION_CALLS[0], 0), wall=process.wall)


def delivery_repetition(workspace, context, index):
    """Provision both deliveries, then re-run both (order alternating with `index`); {delivery: row}."""
    hosts, control, _env = context
    control.reset()
    for identifier in CLIENTS:
        control.call("POST", "clients", {"client": {"name": identifier, "identifier": identifier, "kind": "confidential",
                                                    "user_id": seed.ADMIN_ID}})
    hosts.wipe()
    for delivery in DELIVERIES:
        delivery_play(workspace, context, delivery, f"deliveries-provision-{delivery}-{hosts.count}.log")
    order = DELIVERIES if index % 2 == 0 else DELIVERIES[::-1]
    return {delivery: delivery_play(workspace, context, delivery, f"deliveries-rerun-{delivery}-{hosts.count}.log") for delivery in order}


def install_refresher(workspace, collection):
    """The program and its library in the work directory, as the role lays them out; the program's path."""
    files = collection / "roles" / "oauth_token" / "files"
    program = workspace.workdir / "refresher" / "zendesk-token-refresh"
    shutil.rmtree(program.parent, ignore_errors=True)
    library = program.parent / "zendesk-token-refresh.lib" / "ansible_collections" / "obscura" / "zendesk"
    library.mkdir(parents=True)
    shutil.copy(files / "zendesk-token-refresh", program)
    for name in (files / "refresher-library.txt").read_text(encoding="utf-8").split():
        (library / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(collection / name, library / name)
    return program


def refresher_config(program, sim, client):
    """config.json and credentials.json of a refresher whose app file is app.env beside the program; config's path."""
    directory = program.parent / "etc"
    directory.mkdir(mode=0o700)
    credentials = directory / "credentials.json"
    credentials.write_text(json.dumps({"identifier": client["identifier"], "secret": client["secret"]}), encoding="utf-8")
    credentials.chmod(0o600)
    config = directory / "config.json"
    config.write_text(json.dumps({
        "app_file": str(program.parent / "app.env"), "format": "env", "key": "ZENDESK_OAUTH_TOKEN", "url": sim.url,
        "scopes": ["read"], "lifetime": REFRESHER_LIFETIME, "renew_before": REFRESHER_RENEW_BEFORE,
        "credentials": str(credentials), "state": str(directory / "state.json")}), encoding="utf-8")
    return config


def refresher_run(workspace, program, config, control, env, *args):
    """One run of the refresher as its timer starts it; (wall seconds, API calls by endpoint)."""
    before = control.counters()
    process = run_process([sys.executable, "-I", str(program), str(config), *args], env, workspace.workdir,
                          workspace.logs / "refresher.log")
    if process.returncode != 0:
        raise BenchError(f"the refresher failed (exit {process.returncode}); see {workspace.logs / 'refresher.log'}")
    delta = counter_delta(before, control.counters())
    return process.wall, {key: count for key, count in delta.items() if key != "connections"}


def refresher_runs(workspace, sim, env):
    """Fresh runs (wall, API calls) and the API calls of a renewing run."""
    sim.control.reset()
    client = sim.control.call("POST", "clients", {"client": {"name": "refresher", "identifier": "bench_refresher",
                                                             "kind": "confidential", "user_id": seed.ADMIN_ID}})["client"]
    program = install_refresher(workspace, workspace.collections / "ansible_collections" / "obscura" / "zendesk")
    config = refresher_config(program, sim, client)
    now = datetime.datetime.now(datetime.timezone.utc)
    minted_ago = {"fresh": 600, "due": REFRESHER_LIFETIME - REFRESHER_RENEW_BEFORE // 2}
    sim.control.set_clock(now - datetime.timedelta(seconds=minted_ago["fresh"]))
    refresher_run(workspace, program, config, sim.control, env)
    fresh = [refresher_run(workspace, program, config, sim.control, env) for dummy in range(FRESH_RUNS)]
    sim.control.set_clock(now - datetime.timedelta(seconds=minted_ago["due"]))
    refresher_run(workspace, program, config, sim.control, env, "--force")
    sim.control.set_clock(now)
    _wall, renewal_calls = refresher_run(workspace, program, config, sim.control, env)
    return {"fresh_wall": summary([wall for wall, _calls in fresh]), "fresh_calls": summary([sum(calls.values()) for _wall, calls in fresh]),
            "renewal_calls": renewal_calls, "fresh_runs": FRESH_RUNS}


def run(workspace, host_count, runs):
    """Benchmark 10 on `host_count` hosts; summaries per delivery, the pairwise ratio, and the refresher's runs."""
    with simulator() as (sim, token):
        env = workspace.ansible_env(sim, token)
        hosts = HostSet(workspace, host_count)
        rows = [delivery_repetition(workspace, (hosts, sim.control, env), index) for index in range(runs)]
        refresher = refresher_runs(workspace, sim, env)
    cells = {delivery: {metric: summary([row[delivery][metric] for row in rows]) for metric in ("wall", "reads", "writes", "exchanges")}
             for delivery in DELIVERIES}
    ratio = paired_ratios([row["client_credentials"]["wall"] for row in rows], [row["token"]["wall"] for row in rows])
    return {"hosts": host_count, "runs": runs, "cells": cells, "ratio": ratio, "refresher": refresher, "targets": TARGETS}

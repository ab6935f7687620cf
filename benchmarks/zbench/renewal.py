"""Benchmark 9: the role's renewal run vs the naive playbook, both minting one token and writing every host.

Each repetition starts from the simulator's seed and no token files. The role (tokens minted by the client
credentials grant of "OAuth client for my app", one hour's lifetime, renewed in its last third) runs once to
mint and deploy; the naive playbook's hosts get a copy of those files, so it too rewrites files that exist. The
simulator's clock then moves into the renewal window (the collection reads the time from Zendesk's Date header),
and the role's renewal run (mint with the grant, deploy to every host, revoke the old token) and the naive
playbook are measured next to each other, order alternating. API calls come from the simulator's counters; the
session calls (the exchange and the revocation) are counted apart from the other writes.
"""

import shutil

from zendesk_simulator import seed

from .env import BENCH_DIR, api_calls, counter_delta, simulator
from .measure import BenchError, paired_ratios, summary
from .plays import PLAYBOOKS, HostSet
from .session import SESSION_CALLS

RENEWAL_PLAYBOOK = BENCH_DIR / "playbooks" / "renewal.yml"
LIFETIME = 3600
RENEW_BEFORE = LIFETIME // 3  # the role's default for client credentials
INTO_RENEWAL_WINDOW = LIFETIME - RENEW_BEFORE + 60
CONTENDERS = ("renewal", "naive")
METRICS = ("wall", "reads", "writes", "session_calls", "calls")
TARGETS = {"ratio": 0.8}


def split_calls(delta):
    """Reads, writes other than session calls, session calls (exchange, revocation), all calls and calls per endpoint."""
    calls = api_calls(delta)
    session = sum(delta.get(key, 0) for key in SESSION_CALLS)
    endpoints = {key: value for key, value in delta.items() if key != "connections"}
    return {"reads": calls["reads"], "writes": calls["writes"] - session, "session_calls": session, "calls": calls["calls"],
            "endpoints": endpoints}


def play(workspace, context, playbook, hosts_dir, log):
    """Run one playbook writing into `hosts_dir` (context: hosts, simulator control, environment); its wall time and API calls."""
    hosts, control, env = context
    args = ["-i", str(hosts.inventory), "-e", f"bench_hosts_dir={hosts_dir}", str(playbook)]
    before = control.counters()
    process = workspace.run_ansible("ansible-playbook", args, env, log)
    return dict(split_calls(counter_delta(before, control.counters())), wall=process.wall)


def deployed(hosts):
    """The first host's token file (to tell whether a run renewed the token)."""
    return (hosts.files / "h001.env").read_bytes()


def repetition(workspace, context, naive_dir, index):
    """Mint and deploy, move the clock into the renewal window, then measure both (order alternating); {contender: row}."""
    hosts, control, _env = context
    control.reset()
    hosts.wipe()
    play(workspace, context, RENEWAL_PLAYBOOK, hosts.files, f"renewal-mint-{hosts.count}.log")
    shutil.rmtree(naive_dir, ignore_errors=True)
    shutil.copytree(hosts.files, naive_dir)
    minted = deployed(hosts)
    control.advance_clock(INTO_RENEWAL_WINDOW)
    runs = {
        "renewal": lambda: play(workspace, context, RENEWAL_PLAYBOOK, hosts.files, f"renewal-renew-{hosts.count}.log"),
        "naive": lambda: play(workspace, context, PLAYBOOKS["baseline"], naive_dir, f"renewal-naive-{hosts.count}.log"),
    }
    order = CONTENDERS if index % 2 == 0 else CONTENDERS[::-1]
    rows = {contender: runs[contender]() for contender in order}
    if deployed(hosts) == minted:
        raise BenchError(f"the role's run in the renewal window left the token unchanged; see {workspace.logs}")
    return rows


def endpoint_summary(runs):
    """Calls per endpoint ("METHOD /path") over the runs, summarised; an endpoint a run did not call counts 0 there."""
    keys = sorted({key for endpoints in runs for key in endpoints})
    return {key: summary([endpoints.get(key, 0) for endpoints in runs]) for key in keys}


def run(workspace, host_count, runs):
    """Benchmark 9 on `host_count` hosts; summaries per contender and the pairwise wall-time ratio renewal ÷ naive."""
    with simulator() as (sim, token):
        hosts = HostSet(workspace, host_count)
        env = dict(workspace.ansible_env(sim, token), BENCH_APP_CLIENT_SECRET=seed.MY_APP_CLIENT_SECRET,
                   BENCH_TOKEN_LIFETIME=str(LIFETIME))
        context = (hosts, sim.control, env)
        naive_dir = workspace.workdir / f"hosts-{host_count}-naive"
        rows = [repetition(workspace, context, naive_dir, index) for index in range(runs)]
    cells = {contender: dict({metric: summary([row[contender][metric] for row in rows]) for metric in METRICS},
                             endpoints=endpoint_summary([row[contender]["endpoints"] for row in rows]))
             for contender in CONTENDERS}
    ratio = paired_ratios([row["renewal"]["wall"] for row in rows], [row["naive"]["wall"] for row in rows])
    return {"hosts": host_count, "runs": runs, "cells": cells, "ratio": ratio, "targets": TARGETS,
            "lifetime": LIFETIME, "renew_before": RENEW_BEFORE, "advance": INTO_RENEWAL_WINDOW}

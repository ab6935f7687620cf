"""Benchmark 6: the role's re-run with OAuth client credentials vs the same re-run with an OAuth token.

Each repetition starts from the simulator's seed plus a confidential "automation" client, provisions
the N hosts once (with the OAuth token), then re-runs the role with client credentials and with the
token, in alternating order. API calls come from the simulator's counters; the session's own calls
(the exchange and its revocation) are counted apart from the application-token calls.
"""

from zendesk_simulator import seed

from .env import counter_delta, simulator
from .measure import paired_ratios, summary
from .plays import PLAYBOOKS, HostSet

SESSION_CALLS = ("POST /oauth/tokens", "DELETE /api/v2/oauth/tokens/current")
CLIENT = {"name": "Benchmark automation", "identifier": "bench_automation", "kind": "confidential", "user_id": seed.ADMIN_ID}
TARGETS = {"session_calls": 2, "ratio": 1.10}
MODES = ("client_credentials", "oauth_token")


def split_calls(delta):
    """Session calls (exchange, revocation) apart from every other API call of a play."""
    session = sum(delta.get(key, 0) for key in SESSION_CALLS)
    calls = sum(count for key, count in delta.items() if key != "connections")
    return {"session_calls": session, "app_calls": calls - session, "exchanges": delta.get(SESSION_CALLS[0], 0)}


def environments(workspace, sim, token, secret):
    """The Ansible environment of each mode (client credentials replace the OAuth token, never join it)."""
    with_token = workspace.ansible_env(sim, token)
    with_client = {key: value for key, value in with_token.items() if key != "ZENDESK_OAUTH_TOKEN"}
    with_client.update(ZENDESK_OAUTH_CLIENT_IDENTIFIER=CLIENT["identifier"], ZENDESK_OAUTH_CLIENT_SECRET=secret)
    return {"client_credentials": with_client, "oauth_token": with_token}


def rerun(workspace, control, hosts, env, log):
    """One re-run of the role; its wall time and API calls."""
    args = ["-i", str(hosts.inventory), "-e", f"bench_hosts_dir={hosts.files}", str(PLAYBOOKS["role"])]
    before = control.counters()
    process = workspace.run_ansible("ansible-playbook", args, env, log)
    return dict(split_calls(counter_delta(before, control.counters())), wall=process.wall)


def repetition(workspace, sim, token, hosts, index):
    """Provision, then re-run in both modes (order alternating with `index`); return {mode: row}."""
    sim.control.reset()
    secret = sim.control.call("POST", "clients", {"client": CLIENT})["client"]["secret"]
    hosts.wipe()
    envs = environments(workspace, sim, token, secret)
    rerun(workspace, sim.control, hosts, envs["oauth_token"], f"session-provision-{hosts.count}.log")
    order = MODES if index % 2 == 0 else MODES[::-1]
    return {mode: rerun(workspace, sim.control, hosts, envs[mode], f"session-rerun-{mode}-{hosts.count}.log") for mode in order}


def run(workspace, host_count, runs):
    """Benchmark 6 on `host_count` hosts; return summaries per mode and the pairwise wall-time ratio."""
    with simulator() as (sim, token):
        hosts = HostSet(workspace, host_count)
        rows = [repetition(workspace, sim, token, hosts, index) for index in range(runs)]
    cells = {mode: {metric: summary([row[mode][metric] for row in rows]) for metric in ("wall", "session_calls", "app_calls", "exchanges")}
             for mode in MODES}
    ratio = paired_ratios([row["client_credentials"]["wall"] for row in rows], [row["oauth_token"]["wall"] for row in rows])
    return {"hosts": host_count, "runs": runs, "cells": cells, "ratio": ratio, "targets": TARGETS}

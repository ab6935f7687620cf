"""Benchmark 4: find one OAuth client by name among 10,000 (cursor pages of 100).

The collection's lookup (module_utils, called in-process) against a raw `requests` loop over the same
pages: requests, TCP connections, wall time, peak Python memory; plus the ad-hoc module's wall time.
"""

import json
import tracemalloc

import requests

from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskApi
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import resolve_client

from .env import counting, simulator
from .measure import BenchError, paired_ratios, summary, timed

CLIENTS_PATH = "/api/v2/oauth/clients"
MAX_PAGES = 1000
TARGETS = {"requests": 101, "connections": 1, "ratio": 1.1}


def wanted_name(seed_clients):
    """The name of the seeded client in the middle of the listing."""
    return f"Seeded client {max(1, seed_clients // 2):05d}"


def module_lookup(url, token, name):
    """The collection's lookup by name, as the modules do it (one client, one session)."""
    api = ZendeskApi(url, ("bearer", token))
    try:
        return resolve_client(api, name=name)["id"]
    finally:
        api.close()


def raw_lookup(url, token, name):
    """What a user writes with `requests`: follow the cursor pages, collect the clients with that name."""
    found = []
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        response = session.get(url + CLIENTS_PATH, params={"page[size]": 100}, timeout=30)
        for _page in range(MAX_PAGES):
            response.raise_for_status()
            page = response.json()
            found += [client["id"] for client in page["clients"] if client["name"] == name]
            if not page["meta"]["has_more"]:
                break
            response = session.get(page["links"]["next"], timeout=30)
    if len(found) != 1:
        raise BenchError(f"the raw loop found {len(found)} clients named {name!r}")
    return found[0]


CONTENDERS = (("module", module_lookup), ("raw", raw_lookup))


def peak_memory(function, *args):
    """Peak Python memory (KiB, tracemalloc) while `function(*args)` runs."""
    tracemalloc.start()
    try:
        function(*args)
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def timing_runs(sim, token, name, runs):
    """Interleaved timed lookups; return ({contender: [wall]}, {contender: API calls of the last run})."""
    walls = {contender[0]: [] for contender in CONTENDERS}
    calls = {}
    for index in range(runs):
        for contender, function in CONTENDERS if index % 2 == 0 else CONTENDERS[::-1]:
            (wall, _found), calls[contender] = counting(sim.control, lambda f=function: timed(f, sim.url, token, name))
            walls[contender].append(wall)
    return walls, calls


def adhoc_runs(workspace, sim, token, name, runs):
    """The ad-hoc module by name: wall times, peak RSS of its process tree, API calls of the last run."""
    env = workspace.ansible_env(sim, token)
    args = ["localhost", "-m", "obscura.zendesk.zendesk_oauth_client_info", "-a", json.dumps({"name": name})]
    walls, rss, calls = [], [], None
    for _index in range(runs):
        result, calls = counting(sim.control, lambda: workspace.run_ansible("ansible", args, env, "lookup-adhoc.log"))
        walls.append(result.wall)
        rss.append(result.maxrss_kib)
    return {"wall": summary(walls), "maxrss_kib": summary(rss), "calls": calls}


def run(workspace, runs, seed_clients=10000, adhoc=True):
    """Benchmark 4; return its results."""
    name = wanted_name(seed_clients)
    with simulator(seed_clients) as (sim, token):
        walls, calls = timing_runs(sim, token, name, runs)
        memory = {contender: peak_memory(function, sim.url, token, name) for contender, function in CONTENDERS}
        adhoc_result = adhoc_runs(workspace, sim, token, name, max(1, runs // 2)) if adhoc else None
    return {
        "runs": runs, "clients": seed_clients + 2, "name": name,
        "calls": calls, "wall": {contender: summary(values) for contender, values in walls.items()},
        "ratio": paired_ratios(walls["module"], walls["raw"]),
        "peak_kib": memory, "adhoc": adhoc_result, "targets": TARGETS,
    }

"""Benchmark 5: a 429 storm on a paged listing (every 3rd request answered 429 with Retry-After: 1).

Each run pairs a clean listing with a stormy one; the wait the storm costs is compared with the sum of
the Retry-After values the simulator sent.
"""

import json

from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError

from .env import simulator
from .lookup import module_lookup, wanted_name
from .measure import summary, timed

CLIENTS_PATH = "/api/v2/oauth/clients"
RETRY_AFTER = 1
STORM = {"method": "GET", "path": CLIENTS_PATH, "status": 429, "retry_after": RETRY_AFTER, "every": 3, "count": 10000}
TARGET_RATIO = 1.1


def in_process_action(sim, token, name):
    """The module_utils lookup by name with the modules' default retry policy; True when it succeeded."""
    def action():
        try:
            module_lookup(sim.url, token, name)
        except ZendeskError:
            return False
        return True
    return action


def adhoc_action(workspace, sim, token, name):
    """`ansible localhost -m zendesk_oauth_client_info name=...`; True when it succeeded."""
    env = workspace.ansible_env(sim, token)
    args = ["localhost", "-m", "obscura.zendesk.zendesk_oauth_client_info", "-a", json.dumps({"name": name})]
    return lambda: workspace.run_ansible("ansible", args, env, "storm-adhoc.log", check=False).returncode == 0


def stormy(control, action):
    """Run `action` under the storm; return (wall, succeeded, 429 answers, sum of Retry-After)."""
    control.clear_requests()
    control.fault(**STORM)
    try:
        wall, succeeded = timed(action)
    finally:
        control.clear_faults()
    throttled = sum(1 for entry in control.requests() if entry["status"] == 429)
    return wall, succeeded, throttled, throttled * RETRY_AFTER


def storm_runs(control, action, runs):
    """`runs` pairs (clean, stormy) of one action; return the summarised results."""
    rows = []
    for _index in range(runs):
        clean_wall, clean_ok = timed(action)
        wall, succeeded, throttled, retry_after = stormy(control, action)
        rows.append({"clean": clean_wall, "storm": wall, "ok": succeeded and clean_ok, "throttled": throttled,
                     "retry_after": retry_after})
    return {
        "clean": summary([row["clean"] for row in rows]),
        "storm": summary([row["storm"] for row in rows]),
        "throttled": summary([row["throttled"] for row in rows]),
        "retry_after": summary([row["retry_after"] for row in rows]),
        "total_ratio": summary([row["storm"] / row["retry_after"] for row in rows if row["retry_after"]]),
        "added_ratio": summary([(row["storm"] - row["clean"]) / row["retry_after"] for row in rows if row["retry_after"]]),
        "failures": sum(1 for row in rows if not row["ok"]),
    }


def run(workspace, runs, seed_clients=1000, adhoc=True):
    """Benchmark 5; return its results."""
    name = wanted_name(seed_clients)
    with simulator(seed_clients) as (sim, token):
        results = {"in_process": storm_runs(sim.control, in_process_action(sim, token, name), runs)}
        if adhoc:
            results["adhoc"] = storm_runs(sim.control, adhoc_action(workspace, sim, token, name), max(1, runs // 2))
    pages = -(-(seed_clients + 2) // 100)
    return {"runs": runs, "clients": seed_clients + 2, "pages": pages, "every": STORM["every"],
            "retry_after": RETRY_AFTER, "target": TARGET_RATIO, **results}

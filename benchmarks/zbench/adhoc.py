"""Benchmark 3: ad-hoc `zendesk_oauth_client_info id=2` vs `ansible.builtin.uri` for the same GET."""

import json

from .env import counting, simulator
from .measure import paired_ratios, summary

CLIENT_ID = 2
TARGET_RATIO = 1.15


def module_args(_url, _token):
    """The collection's module: connection from ZENDESK_URL / ZENDESK_OAUTH_TOKEN."""
    return ["-m", "obscura.zendesk.zendesk_oauth_client_info", "-a", f"id={CLIENT_ID}"]


def uri_args(url, token):
    """The same GET with ansible.builtin.uri, the way a user writes it."""
    args = {"url": f"{url}/api/v2/oauth/clients/{CLIENT_ID}", "headers": {"Authorization": f"Bearer {token}"},
            "return_content": True}
    return ["-m", "ansible.builtin.uri", "-a", json.dumps(args)]


CONTENDERS = (("module", module_args), ("uri", uri_args))


def adhoc_run(workspace, sim, token, contender):
    """One `ansible localhost` run of a contender; return (wall seconds, API calls)."""
    name, make_args = contender
    env = workspace.ansible_env(sim, token)
    args = ["localhost"] + make_args(sim.url, token)
    run, calls = counting(sim.control, lambda: workspace.run_ansible("ansible", args, env, f"adhoc-{name}.log"))
    return run.wall, calls


def run(workspace, runs):
    """Interleave the two contenders `runs` times (alternating who goes first); return the results."""
    walls = {contender[0]: [] for contender in CONTENDERS}
    calls = {}
    with simulator() as (sim, token):
        for index in range(runs):
            order = CONTENDERS if index % 2 == 0 else CONTENDERS[::-1]
            for contender in order:
                wall, calls[contender[0]] = adhoc_run(workspace, sim, token, contender)
                walls[contender[0]].append(wall)
    return {
        "runs": runs,
        "wall": {name: summary(values) for name, values in walls.items()},
        "calls": calls,
        "ratio": paired_ratios(walls["module"], walls["uri"]),
        "target": TARGET_RATIO,
    }

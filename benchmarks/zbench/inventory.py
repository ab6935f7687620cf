"""Benchmark 7: the token inventory of an account with 1,000 tokens owned by 50 users.

The collection's inventory (module_utils, called in-process, every user's tokens) against a raw `requests`
loop doing the same reads: the token list in cursor pages, the owners with `users/show_many` in batches
of 100, and the client list until every token's client is seen. Requests, TCP connections, wall time.
"""

import math

import requests

from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskApi
from ansible_collections.obscura.zendesk.plugins.module_utils._token_inventory import Inventory

from .env import counting, simulator
from .measure import BenchError, paired_ratios, summary, timed

TOKENS_PATH = "/api/v2/oauth/tokens"
CLIENTS_PATH = "/api/v2/oauth/clients"
SHOW_MANY_PATH = "/api/v2/users/show_many"
MY_APP_CLIENT_ID = 2
MAX_PAGES = 1000
TARGET_RATIO = 1.1
PARAMS = dict(all_users=True, client_id=None, client_identifier=None, client_name=None, token_id=None, token=None,
              include_expired=False, expiring_within=86400, unused_for_days=30)


def module_inventory(url, token):
    """The collection's inventory of every user's tokens, as zendesk_oauth_token_info runs it; returns the total."""
    api = ZendeskApi(url, ("bearer", token))
    try:
        return Inventory(api, PARAMS).run()[1]["total"]
    finally:
        api.close()


def raw_pages(session, url, params):
    """Every item page of a cursor-paginated list (what a user writes with `requests`)."""
    response = session.get(url, params=dict(params, **{"page[size]": 100}), timeout=30)
    for _page in range(MAX_PAGES):
        response.raise_for_status()
        page = response.json()
        yield page
        if not page["meta"]["has_more"]:
            return
        response = session.get(page["links"]["next"], timeout=30)
    raise BenchError(f"more than {MAX_PAGES} pages at {url}")


def raw_inventory(url, token):
    """The same reads with a raw `requests.Session`: tokens, owners in batches of 100, clients until all are seen."""
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        tokens = [t for page in raw_pages(session, url + TOKENS_PATH, {"all": "true"}) for t in page["tokens"]]
        user_ids = sorted({t["user_id"] for t in tokens})
        users = {}
        for start in range(0, len(user_ids), 100):
            batch = ",".join(str(i) for i in user_ids[start:start + 100])
            response = session.get(url + SHOW_MANY_PATH, params={"ids": batch, "include_deleted": "true"}, timeout=30)
            response.raise_for_status()
            users.update({user["id"]: user for user in response.json()["users"]})
        wanted, seen = {t["client_id"] for t in tokens}, set()
        for page in raw_pages(session, url + CLIENTS_PATH, {}):
            seen |= wanted & {client["id"] for client in page["clients"]}
            if seen == wanted:
                break
    if len(users) != len(user_ids):
        raise BenchError(f"the raw loop found {len(users)} of {len(user_ids)} owners")
    return len(tokens)


CONTENDERS = (("module", module_inventory), ("raw", raw_inventory))


def plant(sim, tokens, users):
    """`users` admins owning `tokens` tokens of the client my_app (besides the seed's 2 tokens of 2 users)."""
    owners = sim.control.add_users(users, role="admin")
    sim.control.plant_tokens(tokens, owners, MY_APP_CLIENT_ID, ["read"])
    state = sim.control.state()
    live = [t for t in state["tokens"] if not t["revoked"] and not t["expired"]]
    return len(live), len({t["user_id"] for t in live})


def timing_runs(sim, token, runs, total):
    """Interleaved timed inventories; return ({contender: [wall]}, {contender: API calls of the last run})."""
    walls = {contender[0]: [] for contender in CONTENDERS}
    calls = {}
    for index in range(runs):
        for contender, function in CONTENDERS if index % 2 == 0 else CONTENDERS[::-1]:
            (wall, found), calls[contender] = counting(sim.control, lambda f=function: timed(f, sim.url, token))
            if found != total:
                raise BenchError(f"{contender} inventory found {found} tokens, expected {total}")
            walls[contender].append(wall)
    return walls, calls


def run(_workspace, runs, tokens=1000, users=50):
    """Benchmark 7; return its results."""
    with simulator() as (sim, token):
        total, owners = plant(sim, tokens, users)
        walls, calls = timing_runs(sim, token, runs, total)
    token_pages = math.ceil(total / 100)
    return {
        "runs": runs, "tokens": total, "owners": owners, "planted": {"tokens": tokens, "users": users},
        "calls": calls, "wall": {contender: summary(values) for contender, values in walls.items()},
        "ratio": paired_ratios(walls["module"], walls["raw"]),
        "targets": {"requests": token_pages + math.ceil(owners / 100), "token_pages": token_pages,
                    "user_batches": math.ceil(owners / 100), "connections": 1, "ratio": TARGET_RATIO},
    }

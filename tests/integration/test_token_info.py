# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""zendesk_oauth_token_info through ansible-playbook: owners and every problem on planted data, leaked value and
prefix lookups, a 1,000-token account in cursor pages with owners in batches, bad input; never a write or a value."""

from __future__ import annotations

import datetime
import math

import requests

from harness import CLIENTS_PATH, TOKEN_FIELDS, TOKENS_PATH, Case, assert_failed, assert_no_writes, assert_ok

from zendesk_simulator import seed

PROBLEMS = ["expired", "expiring", "no_expiry", "unused", "owner_suspended", "owner_inactive", "owner_not_admin", "client_missing"]
OWNER_FIELDS = {"id", "name", "email", "role", "active", "suspended"}
SHOW_MANY = "/api/v2/users/show_many"
# The module judges expiry and use by the controller's clock: the simulator's clock ends at (about) now.
LATER = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
START = LATER - datetime.timedelta(days=40)
GLOBAL_CLIENT_ID = 777000
MY_APP = seed.MY_APP_CLIENT_ID


def info(title, check=False, **args):
    """A zendesk_oauth_token_info case."""
    return Case(title, args, module="token_info", check=check)


def use(harness, token):
    """Authenticate one call with a token (Zendesk then updates its used_at)."""
    response = requests.get(harness.url + TOKENS_PATH + "/current", timeout=30, headers={"Authorization": "Bearer " + token["full_token"]})
    assert response.status_code == 200, response.status_code


def plant_account(harness):
    """Tokens with each problem, created at START; the clock then stands 40 days later. Returns {label: token}."""
    control = harness.control
    control.set_clock(START)
    deleted, downgraded = control.add_users(2, role="admin")
    tokens = {
        "healthy": harness.plant(MY_APP, ["read", "write"], seed.ADMIN_ID),
        "expired": harness.plant(MY_APP, ["read"], seed.ADMIN_ID, expires_at=LATER - datetime.timedelta(days=1)),
        "expiring": harness.plant(MY_APP, ["read"], seed.ADMIN_ID, expires_at=LATER + datetime.timedelta(hours=1)),
        "unused": harness.plant(MY_APP, ["tickets:read"], seed.ADMIN2_ID),
        "suspended owner": harness.plant(MY_APP, ["tickets:read"], seed.SUSPENDED_ID),
        "deleted owner": harness.plant(MY_APP, ["tickets:read"], deleted),
        "downgraded owner": harness.plant(MY_APP, ["read", "write"], downgraded),
        "agent, narrow scopes": harness.plant(MY_APP, ["tickets:read"], seed.AGENT_ID),
    }
    global_token = control.plant_global_client_token(seed.ADMIN2_ID, GLOBAL_CLIENT_ID, ["tickets:read"])
    harness.watch(global_token["full_token"], "token of a global client")
    tokens["global client"] = global_token
    control.advance_clock(40 * 86400)
    for label in ("healthy", "expiring", "downgraded owner", "agent, narrow scopes", "global client"):
        use(harness, tokens[label])
    control.change_user(deleted, active=False)
    control.change_user(downgraded, role="agent")
    return tokens, deleted, downgraded


EXPECTED = {  # label: problems with include_expired, expiring_within=1 day, unused_for_days=30
    "healthy": ["no_expiry"],
    "expired": ["expired", "unused"],
    "expiring": ["expiring"],
    "unused": ["no_expiry", "unused"],
    "suspended owner": ["no_expiry", "unused", "owner_suspended"],
    "deleted owner": ["no_expiry", "unused", "owner_inactive"],
    "downgraded owner": ["no_expiry", "owner_not_admin"],
    "agent, narrow scopes": ["no_expiry"],
    "global client": ["no_expiry", "client_missing"],
}


def by_id(case):
    """The returned tokens by id."""
    return {token["id"]: token for token in case.result["tokens"]}


def test_inventory_owners_and_every_problem(harness):
    """Each planted token has exactly its problems and its owner's fields; the summary counts every problem name."""
    tokens, deleted, downgraded = plant_account(harness)
    options = {"all_users": True, "include_expired": True, "expiring_within": 86400, "unused_for_days": 30}
    run = harness.play([
        info("everything", **options),
        info("everything in check mode", check=True, **options),
        info("every user, defaults", all_users=True),
        info("the caller's tokens"),
        info("the caller's tokens, expired too", include_expired=True),
        info("by client_identifier", all_users=True, client_identifier=seed.MY_APP_CLIENT_IDENTIFIER),
        info("by client_id", all_users=True, client_id=MY_APP),
        info("by token_id", token_id=tokens["downgraded owner"]["id"]),
    ])
    everything = run["everything"]
    assert_ok(everything, False)
    found = by_id(everything)
    for label, problems in EXPECTED.items():
        token = found[tokens[label]["id"]]
        assert token["problems"] == problems, "%s: %s" % (label, everything.describe())
        assert set(token) == TOKEN_FIELDS | {"owner", "problems"} and set(token["owner"]) == OWNER_FIELDS, everything.describe()
    owners = {label: found[tokens[label]["id"]]["owner"] for label in EXPECTED}
    assert owners["healthy"] == {"id": seed.ADMIN_ID, "name": "Admin (simulator)", "email": seed.ADMIN_EMAIL, "role": "admin",
                                 "active": True, "suspended": False}, everything.describe()
    assert owners["suspended owner"]["suspended"] is True and owners["suspended owner"]["active"] is True
    assert owners["deleted owner"]["id"] == deleted and owners["deleted owner"]["active"] is False
    assert owners["downgraded owner"]["id"] == downgraded and owners["downgraded owner"]["role"] == "agent"
    assert found[tokens["healthy"]["id"]]["used_at"] == LATER.strftime("%Y-%m-%dT%H:%M:%SZ") and found[tokens["unused"]["id"]]["used_at"] is None
    summary = everything.result["summary"]
    assert summary == {"total": 11, "expired": 1, "expiring": 1, "no_expiry": 9, "unused": 5, "owner_suspended": 1, "owner_inactive": 1,
                       "owner_not_admin": 2, "client_missing": 1}, everything.describe()  # + the 2 seed tokens
    agent_seed = found[seed.BOOTSTRAP_AGENT_TOKEN_ID]
    assert agent_seed["problems"] == ["no_expiry", "unused", "owner_not_admin"], everything.describe()  # agent with read+write
    assert run["everything in check mode"].result["tokens"] == everything.result["tokens"]

    defaults = run["every user, defaults"]
    assert tokens["expired"]["id"] not in by_id(defaults), defaults.describe()
    assert set(defaults.result["summary"]) == {"total", *PROBLEMS} and defaults.result["summary"]["expiring"] == 0
    assert defaults.result["summary"]["unused"] == 0 and defaults.result["summary"]["total"] == 10, defaults.describe()

    mine = run["the caller's tokens"]
    assert {t["user_id"] for t in mine.result["tokens"]} == {seed.ADMIN_ID}, mine.describe()
    assert set(by_id(mine)) == {seed.BOOTSTRAP_ADMIN_TOKEN_ID, tokens["healthy"]["id"], tokens["expiring"]["id"]}, mine.describe()
    assert mine.calls() == ["GET " + TOKENS_PATH, "GET " + SHOW_MANY, "GET " + CLIENTS_PATH], mine.describe()
    mine_expired = run["the caller's tokens, expired too"]
    assert tokens["expired"]["id"] in by_id(mine_expired) and {t["user_id"] for t in mine_expired.result["tokens"]} == {seed.ADMIN_ID}
    assert mine_expired.calls() == ["GET /api/v2/users/me", "GET " + TOKENS_PATH, "GET " + CLIENTS_PATH], mine_expired.describe()

    by_identifier, by_client_id = run["by client_identifier"], run["by client_id"]
    of_my_app = {t["id"] for label, t in tokens.items() if label not in ("expired", "global client")}
    assert set(by_id(by_identifier)) == set(by_id(by_client_id)) == of_my_app
    assert by_identifier.count("GET", CLIENTS_PATH) == 1 and by_identifier.count("GET", "%s/%d" % (CLIENTS_PATH, MY_APP)) == 0
    assert by_client_id.count("GET", CLIENTS_PATH) == 0 and by_client_id.count("GET", "%s/%d" % (CLIENTS_PATH, MY_APP)) == 1
    one = run["by token_id"]
    assert [t["id"] for t in one.result["tokens"]] == [tokens["downgraded owner"]["id"]], one.describe()
    assert one.calls()[0] == "GET %s/%d" % (TOKENS_PATH, tokens["downgraded owner"]["id"]), one.describe()
    for case in run.cases.values():
        assert_ok(case, False)
        assert_no_writes(case)
        assert all(r["method"] == "GET" for r in case.requests), case.describe()
    assert '"token": "' not in run.output  # no listed prefix is echoed either


def test_inventory_finds_a_leaked_value_or_prefix(harness):
    """A full value is confirmed with tokens/current (exactly that token); a prefix matches the listed prefixes."""
    leaked = harness.plant(MY_APP, ["tickets:read"], seed.ADMIN2_ID)
    revoked = harness.plant(MY_APP, ["read"], seed.ADMIN2_ID)
    harness.revoke(revoked["id"])
    value = leaked["full_token"]
    run = harness.play([
        info("full value", all_users=True, token=value),
        info("12 characters", all_users=True, token=value[:12]),
        info("10 characters", all_users=True, token=value[:10]),
        info("10 characters, the caller's tokens only", token=value[:10]),
        info("a revoked value", all_users=True, token=revoked["full_token"]),
    ])
    full = run["full value"]
    assert_ok(full, False)
    assert [t["id"] for t in full.result["tokens"]] == [leaked["id"]] and full.result["matched_by"] == "value"
    # The list is read before the value touches the token, so used_at is the last use before this lookup.
    assert full.calls()[:2] == ["GET %s" % TOKENS_PATH, "GET %s/current" % TOKENS_PATH], full.describe()
    assert full.requests[1]["auth"] == "bearer", full.describe()
    assert full.result["tokens"][0]["used_at"] is None and full.result["used_at_before_lookup"] is True, full.describe()
    assert harness.tokens()[leaked["id"]]["used_at"] is not None, "the lookup with the value should count as a use"
    assert full.result["tokens"][0]["owner"]["id"] == seed.ADMIN2_ID
    for name in ("12 characters", "10 characters"):
        case = run[name]
        assert [t["id"] for t in case.result["tokens"]] == [leaked["id"]] and case.result["matched_by"] == "prefix", case.describe()
    assert run["10 characters"].count("GET", TOKENS_PATH + "/current") == 0
    assert run["12 characters"].count("GET", TOKENS_PATH + "/current") == 1
    assert run["10 characters, the caller's tokens only"].result["tokens"] == []
    gone = run["a revoked value"]
    assert gone.result["tokens"] == [] and gone.result["matched_by"] == "prefix", gone.describe()
    for case in run.cases.values():
        assert_ok(case, False)
        assert_no_writes(case)
    for fragment in (value[:10], value[:12], value[10:30]):
        assert fragment not in run.output, "the output shows part of the leaked value"


def test_inventory_of_1000_tokens_reads_pages_and_owner_batches(harness):
    """1,000 tokens of 150 users: one request per 100 tokens, one show_many per 100 owners, one client page."""
    owners = harness.control.add_users(150, role="admin")
    harness.control.plant_tokens(1000, owners, MY_APP, ["read"])
    run = harness.play([info("the whole account", all_users=True), info("one client", all_users=True, client_id=MY_APP)],
                       verbosity=0)
    whole, one = run["the whole account"], run["one client"]
    assert_ok(whole, False)
    assert whole.result["summary"]["total"] == 1002, whole.describe()  # + the 2 seed tokens
    token_pages = math.ceil(1002 / 100)
    batches = [r for r in whole.requests if r["path"] == SHOW_MANY]
    assert len(batches) == math.ceil(152 / 100), whole.describe()
    assert sorted(len(r["query"]["ids"][0].split(",")) for r in batches) == [52, 100], whole.describe()
    assert whole.count("GET", TOKENS_PATH) == token_pages and whole.count("GET", CLIENTS_PATH) == 1, whole.describe()
    assert len(whole.requests) == token_pages + len(batches) + 1, whole.describe()
    pages = [r for r in whole.requests if r["path"] == TOKENS_PATH]
    assert pages[0]["query"]["page[size]"] == ["100"] and all("page[after]" in r["query"] for r in pages[1:]), whole.describe()
    assert_ok(one, False)
    assert one.result["summary"]["total"] == 1000 and len(one.requests) == 10 + 2 + 1, one.describe()
    assert {t["owner"]["id"] for t in one.result["tokens"]} == set(owners)


def test_inventory_bad_input(harness):
    """Two client selectors, a short prefix, token with token_id, negative numbers, a non-admin: clear errors."""
    run = harness.play([
        info("two selectors", client_id=MY_APP, client_name=seed.MY_APP_CLIENT_NAME),
        info("short prefix", token="abcdefghi"),
        info("token and token_id", token="abcdefghijkl", token_id=9001),
        info("negative expiring_within", expiring_within=-1),
        info("negative unused_for_days", unused_for_days=-5),
        info("unknown client name", client_name="No such client"),
        info("all_users as an agent", all_users=True, oauth_token=seed.BOOTSTRAP_AGENT_OAUTH_TOKEN),
        info("the caller's tokens as an agent", oauth_token=seed.BOOTSTRAP_AGENT_OAUTH_TOKEN),
    ])
    assert_failed(run["two selectors"], "only one of client_id, client_identifier and client_name", "client_id, client_name")
    assert_failed(run["short prefix"], "at least its first 10 characters")
    assert "abcdefghi" not in run["short prefix"].msg
    assert_failed(run["token and token_id"], "only one of token and token_id")
    assert_failed(run["negative expiring_within"], "expiring_within must be 0")
    assert_failed(run["negative unused_for_days"], "unused_for_days must be 0")
    assert_failed(run["unknown client name"], "No OAuth client matches client_name='No such client'")
    assert_failed(run["all_users as an agent"], "all_users: true", "needs a Zendesk admin", "HTTP 403")
    assert_failed(run["the caller's tokens as an agent"], "lists OAuth tokens to admins only", "HTTP 403")
    for name in ("two selectors", "short prefix", "token and token_id", "negative expiring_within", "negative unused_for_days"):
        assert run[name].requests == [], run[name].describe()
    for case in run.cases.values():
        assert_no_writes(case)

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""zendesk_oauth_token with current_token: kept when valid (never echoed), replaced and explained otherwise."""

from __future__ import annotations

import datetime
import json

from harness import (CURRENT_PATH, NO_LOG_MARKER, TOKENS_PATH, Case, assert_file_holds, assert_kept, assert_minted,
                     assert_no_writes, assert_ok, assert_secret_absent, without_invocation)

from zendesk_simulator import seed

MY_APP = seed.MY_APP_CLIENT_ID


def in_one_hour():
    """An expiry one hour from now (real time: the module and the simulator's default clock use it)."""
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)


def held(name, value, check=False, setup=(), **args):
    """A state=present case for MY_APP with a current_token."""
    return Case(name, dict({"client_id": MY_APP, "current_token": value}, **args), check=check, setup=setup)


def test_valid_current_token_is_kept_and_not_echoed(harness, tmp_path):
    """A valid held token: changed=false, current_token_valid, one introspection GET as that token, no value returned."""
    token = harness.plant(scopes=["read", "write"])
    dest = str(tmp_path / "held-token")
    run = harness.play([
        held("valid", token["full_token"], scopes=["write", "read"]),
        held("valid, padded with spaces", "  %s \n" % token["full_token"], scopes=["read", "write", "read"]),
        held("valid in check mode", token["full_token"], check=True, scopes=["read", "write"]),
        held("valid with dest", token["full_token"], scopes=["read", "write"], dest=dest),
        held("valid with dest again", token["full_token"], scopes=["read", "write"], dest=dest),
    ])
    for name in ("valid", "valid, padded with spaces", "valid in check mode"):
        case = run[name]
        assert_kept(case, token["id"])
        assert case.result["current_token_valid"] is True and "current_token_problem" not in case.result, case.describe()
        assert case.calls() == ["GET " + CURRENT_PATH], case.describe()
        assert case.requests[0]["auth"] == "bearer" and case.requests[0]["user_id"] == seed.ADMIN_ID
        shown = json.dumps(without_invocation(case.result))
        assert_secret_absent(token["full_token"], shown, "the result of %r" % name)
        assert NO_LOG_MARKER not in shown, case.describe()
        assert not case.warnings, case.describe()
    first, second = run["valid with dest"], run["valid with dest again"]
    assert_ok(first, True)
    assert_ok(second, False)
    for case in (first, second):
        assert case.result["current_token_valid"] is True and "full_token" not in case.token, case.describe()
        assert_no_writes(case)
    assert_file_holds(dest, token["full_token"])


def test_invalid_current_token_is_replaced_with_the_reason(harness):
    """Revoked, never issued, another client's, other scopes, expiring: a new token and current_token_problem."""
    revoked = harness.plant()
    harness.revoke(revoked["id"])
    other_client = harness.plant(client_id=seed.BOOTSTRAP_CLIENT_ID)
    read_only = harness.plant(scopes=["read"])
    expiring = harness.plant(scopes=["read"], expires_at=in_one_hour())
    harness.watch("0" * 64, "a token value never issued")
    run = harness.play([
        held("revoked", revoked["full_token"]),
        held("never issued", "0" * 64),
        held("another client", other_client["full_token"]),
        held("other scopes", read_only["full_token"], scopes=["read", "write"]),
        held("expiring within renew_before", expiring["full_token"], renew_before=7200),
        held("not expiring within renew_before", expiring["full_token"], renew_before=600),
        held("revoked in check mode", revoked["full_token"], check=True),
    ])
    problems = {
        "revoked": "revoked",
        "never issued": "never issued",
        "another client": "another OAuth client",
        "other scopes": "other scopes",
        "expiring within renew_before": "renew_before",
    }
    for name, phrase in problems.items():
        case = run[name]
        assert_minted(case)
        assert case.result["current_token_valid"] is False, case.describe()
        assert phrase in case.result["current_token_problem"], case.describe()
        assert case.calls()[0] == "GET " + CURRENT_PATH and case.calls()[-1] == "POST " + TOKENS_PATH, case.describe()
    assert sorted(run["other scopes"].token["scopes"]) == ["read", "write"]
    assert_kept(run["not expiring within renew_before"], expiring["id"])
    assert run["not expiring within renew_before"].result["current_token_valid"] is True
    check = run["revoked in check mode"]
    assert_ok(check, True)
    assert_no_writes(check)
    assert check.result["current_token_valid"] is False and "revoked" in check.result["current_token_problem"]
    live = harness.live_tokens()
    assert {other_client["id"], read_only["id"], expiring["id"]} <= live, "replaced tokens must not be revoked"


def test_expired_current_token_and_renew_before_without_current_token(harness):
    """The simulator's clock passes a held token's expiry: replaced. renew_before also applies to recreate=never."""
    soon = harness.plant(scopes=["read"], expires_at=in_one_hour())
    run = harness.play([
        Case("existing expiring, no renew_before", {"client_id": MY_APP}),
        Case("existing expiring, renew_before", {"client_id": MY_APP, "renew_before": 7200}),
        held("expired by the clock", soon["full_token"], setup=[("advance_clock", {"seconds": 7200})]),
    ])
    assert_kept(run["existing expiring, no renew_before"], soon["id"])
    renewed = run["existing expiring, renew_before"]
    assert_minted(renewed)
    assert renewed.token["id"] != soon["id"]
    expired = run["expired by the clock"]
    assert_minted(expired)
    assert expired.result["current_token_valid"] is False and "expired" in expired.result["current_token_problem"]
    assert harness.tokens()[soon["id"]]["expired"] is True

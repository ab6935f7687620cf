# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""zendesk_oauth_token state=absent: by token_id, by current_token, by client (and scopes); check mode; already gone."""

from __future__ import annotations

from harness import CURRENT_PATH, TOKENS_PATH, Case, assert_no_writes, assert_ok

from zendesk_simulator import seed

MY_APP = seed.MY_APP_CLIENT_ID
BOOTSTRAP_TOKENS = {seed.BOOTSTRAP_ADMIN_TOKEN_ID, seed.BOOTSTRAP_AGENT_TOKEN_ID}


def absent(name, check=False, **args):
    """A state=absent case."""
    return Case(name, dict(args, state="absent"), check=check)


def assert_revoked(case, ids, changed=None):
    """The case succeeded, reporting exactly ``ids`` as revoked."""
    assert_ok(case, bool(ids) if changed is None else changed)
    assert sorted(case.result["revoked"]) == sorted(ids), case.describe()
    assert "token" not in case.result, case.describe()


def test_revoke_by_token_id(harness):
    """token_id revokes that token with one DELETE; check mode only reads; an unknown or gone id is changed=false."""
    token = harness.plant()
    run = harness.play([
        absent("check mode", check=True, token_id=token["id"]),
        absent("revoke", token_id=token["id"]),
        absent("again", token_id=token["id"]),
        absent("check mode again", check=True, token_id=token["id"]),
        absent("never existed", token_id=777777),
    ])
    assert_revoked(run["check mode"], [token["id"]])
    assert run["check mode"].calls() == ["GET %s/%d" % (TOKENS_PATH, token["id"])]
    assert_revoked(run["revoke"], [token["id"]])
    assert run["revoke"].calls() == ["DELETE %s/%d" % (TOKENS_PATH, token["id"])]
    for name in ("again", "check mode again", "never existed"):
        assert_revoked(run[name], [])
        assert len(run[name].requests) == 1, run[name].describe()
    assert_no_writes(run["check mode again"])
    assert harness.tokens()[token["id"]]["revoked"] is True


def test_revoke_by_current_token_revokes_exactly_that_token(harness):
    """A leaked value revokes its own token only, authenticated as that token; then it is gone (changed=false)."""
    leaked, sibling = harness.plant(scopes=["read"]), harness.plant(scopes=["read"])
    run = harness.play([
        absent("check mode", check=True, current_token=leaked["full_token"]),
        absent("revoke", current_token=leaked["full_token"]),
        absent("again", current_token=leaked["full_token"]),
    ])
    assert_revoked(run["check mode"], [leaked["id"]])
    assert_no_writes(run["check mode"])
    assert_revoked(run["revoke"], [leaked["id"]])
    assert run["revoke"].calls() == ["GET " + CURRENT_PATH, "DELETE " + CURRENT_PATH], run["revoke"].describe()
    assert all(r["auth"] == "bearer" for r in run["revoke"].requests)
    assert_revoked(run["again"], [])
    assert_no_writes(run["again"])
    tokens = harness.tokens()
    assert tokens[leaked["id"]]["revoked"] is True
    assert harness.live_tokens() == BOOTSTRAP_TOKENS | {sibling["id"]}


def test_revoke_by_client_and_scopes(harness):
    """Every token of the caller for the client (with exactly the scopes, if given); other clients and users are kept."""
    read1, read2 = harness.plant(scopes=["read"]), harness.plant(scopes=["read"])
    read_write = harness.plant(scopes=["read", "write"])
    tickets = harness.plant(scopes=["tickets:read"])
    kept = {harness.plant(client_id=seed.BOOTSTRAP_CLIENT_ID)["id"], harness.plant(user_id=seed.ADMIN2_ID)["id"]}
    run = harness.play([
        absent("check mode, read", check=True, client_id=MY_APP, scopes=["read"]),
        absent("by name, read", client_name=seed.MY_APP_CLIENT_NAME, scopes=["read"]),
        absent("by id, scopes in another order", client_id=MY_APP, scopes=["write", "read", "write"]),
        absent("by identifier, every scope", client_identifier=seed.MY_APP_CLIENT_IDENTIFIER),
        absent("again", client_id=MY_APP),
    ])
    assert_revoked(run["check mode, read"], [read1["id"], read2["id"]])
    assert_no_writes(run["check mode, read"])
    assert_revoked(run["by name, read"], [read1["id"], read2["id"]])
    assert sorted(run["by name, read"].calls("DELETE")) == sorted("DELETE %s/%d" % (TOKENS_PATH, t["id"]) for t in (read1, read2))
    assert_revoked(run["by id, scopes in another order"], [read_write["id"]])
    assert_revoked(run["by identifier, every scope"], [tickets["id"]])
    assert_revoked(run["again"], [])
    assert_no_writes(run["again"])
    assert harness.live_tokens() == BOOTSTRAP_TOKENS | kept

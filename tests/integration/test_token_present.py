# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""zendesk_oauth_token state=present without current_token: client selection, recreate, check mode, diff."""

from __future__ import annotations

from harness import (CLIENTS_PATH, TOKEN_FIELDS, TOKENS_PATH, Case, assert_failed, assert_kept, assert_minted,
                     assert_no_writes, assert_ok)

from zendesk_simulator import seed

MY_APP = seed.MY_APP_CLIENT_ID


def present(name, check=False, **args):
    """A state=present case."""
    return Case(name, args, check=check)


def test_selectors_and_recreate_never(harness):
    """A token is minted once; any selector and any scope order then finds it (no POST, a warning, no value)."""
    run = harness.play([
        present("mint by client_id", client_id=MY_APP, scopes=["read", "write"]),
        present("again by client_id", client_id=MY_APP, scopes=["read", "write"]),
        present("again by identifier", client_identifier=seed.MY_APP_CLIENT_IDENTIFIER, scopes=["write", "read"]),
        present("again by name, duplicate scopes", client_name=seed.MY_APP_CLIENT_NAME, scopes=["write", "read", "write"]),
        present("default scopes mint read", client_name=seed.MY_APP_CLIENT_NAME),
        present("default scopes again", client_id=MY_APP, scopes=["read"]),
    ])
    first = run["mint by client_id"]
    assert_minted(first)
    assert first.calls() == ["GET " + TOKENS_PATH, "POST " + TOKENS_PATH], first.describe()
    assert first.requests[0]["query"]["client_id"] == [str(MY_APP)], first.describe()
    assert (first.token["client_id"], sorted(first.token["scopes"]), first.token["user_id"]) == (MY_APP, ["read", "write"], seed.ADMIN_ID)
    for name in ("again by client_id", "again by identifier", "again by name, duplicate scopes"):
        case = run[name]
        assert_kept(case, first.token["id"])
        assert any("already exists" in w and "current_token" in w for w in case.warnings), case.describe()
        assert case.token == {k: v for k, v in first.token.items() if k != "full_token"} | {"used_at": case.token["used_at"]}
    assert run["again by client_id"].calls() == ["GET " + TOKENS_PATH]
    assert run["again by identifier"].calls() == ["GET " + CLIENTS_PATH, "GET " + TOKENS_PATH]
    assert run["again by name, duplicate scopes"].calls() == ["GET " + CLIENTS_PATH, "GET " + TOKENS_PATH]
    minted = run["default scopes mint read"]
    assert_minted(minted)
    assert minted.token["scopes"] == ["read"] and minted.token["id"] != first.token["id"]
    assert_kept(run["default scopes again"], minted.token["id"])
    assert harness.live_tokens() >= {first.token["id"], minted.token["id"]}


def test_recreate_always_mints_every_run_and_never_then_takes_the_newest(harness):
    """recreate=always mints on every run, even with a matching token; recreate=never then reports the newest one."""
    old = harness.plant(scopes=["read"])
    more = [harness.plant(scopes=["read"]) for count in range(120)]  # the caller's tokens for the client span two pages
    run = harness.play([
        present("always 1", client_id=MY_APP, recreate="always"),
        present("always 2", client_id=MY_APP, recreate="always"),
        present("never", client_id=MY_APP),
    ])
    ids = [run[name].token["id"] for name in ("always 1", "always 2")]
    for name in ("always 1", "always 2"):
        assert_minted(run[name])
        assert run[name].calls() == ["POST " + TOKENS_PATH], run[name].describe()
    assert len({old["id"], *ids}) == 3 and min(ids) > max(t["id"] for t in more)
    different = run["always 1"].token["full_token"] != run["always 2"].token["full_token"]
    assert different, "each run mints a new value"
    assert_kept(run["never"], max(ids))
    pages = [r for r in run["never"].requests if r["path"] == TOKENS_PATH]
    assert len(pages) == 2 and "page[after]" in pages[1]["query"], run["never"].describe()
    assert harness.live_tokens() >= {old["id"], *ids}


def test_check_mode_predicts_without_writing(harness):
    """Check mode reads, predicts changed, returns no value and sends no POST/DELETE."""
    existing = harness.plant(scopes=["read"])
    run = harness.play([
        present("would mint", check=True, client_id=MY_APP, scopes=["tickets:read", "users:write"]),
        present("would keep", check=True, client_name=seed.MY_APP_CLIENT_NAME, scopes=["read"]),
        present("would mint always", check=True, client_id=MY_APP, scopes=["read"], recreate="always"),
        present("unknown client_id in check mode", check=True, client_id=424242),
    ])
    before = harness.tokens()
    for name in ("would mint", "would mint always"):
        case = run[name]
        assert_ok(case, True)
        assert_no_writes(case)
        assert not case.token and "full_token" not in str(case.result), case.describe()
    assert run["would mint"].shown["diff"] == {"before": {}, "after": {"client_id": MY_APP, "scopes": ["tickets:read", "users:write"]}}
    assert_kept(run["would keep"], existing["id"])
    assert_failed(run["unknown client_id in check mode"], "client_id=424242")
    assert_no_writes(run["unknown client_id in check mode"])
    assert harness.tokens() == before and len(before) == 3


def test_diff_shows_metadata_only(harness):
    """--diff: the diff of a kept token and of an absent run holds token metadata only."""
    token = harness.plant(scopes=["read"])
    run = harness.play([
        present("kept", client_id=MY_APP),
        Case("revoke by id", {"state": "absent", "token_id": token["id"]}),
    ])
    kept = run["kept"].shown["diff"]
    assert set(kept["before"]) == TOKEN_FIELDS and kept["before"] == kept["after"], run["kept"].describe()
    revoked = run["revoke by id"].shown["diff"]
    assert revoked["after"] == {"tokens": []}, run["revoke by id"].describe()
    assert all(set(t) <= TOKEN_FIELDS for t in revoked["before"]["tokens"]), run["revoke by id"].describe()
    assert "before:" in run.stdout or "--- before" in run.stdout


def test_client_selection_failures(harness):
    """An ambiguous name lists the candidates; an unknown client is named; nothing is written."""
    twin = harness.add_client(seed.MY_APP_CLIENT_NAME, "my_app_twin")
    run = harness.play([
        present("ambiguous name", client_name=seed.MY_APP_CLIENT_NAME),
        present("unknown name", client_name="No such app"),
        present("unknown identifier", client_identifier="no_such_app"),
        present("unknown client_id", client_id=424242),
    ])
    ambiguous = run["ambiguous name"]
    assert_failed(ambiguous, "ambiguous", str(MY_APP), seed.MY_APP_CLIENT_IDENTIFIER, str(twin["id"]), "my_app_twin",
                  "client_id", "client_identifier")
    assert_failed(run["unknown name"], "No such app", "zendesk_oauth_client_info")
    assert_failed(run["unknown identifier"], "no_such_app")
    assert_failed(run["unknown client_id"], "client_id=424242")
    for name in ("ambiguous name", "unknown name", "unknown identifier"):
        assert_no_writes(run[name])
        assert "token" not in run[name].result, run[name].describe()
    assert all(r["status"] >= 400 for r in run["unknown client_id"].writes()), run["unknown client_id"].describe()
    assert set(harness.tokens()) == {seed.BOOTSTRAP_ADMIN_TOKEN_ID, seed.BOOTSTRAP_AGENT_TOKEN_ID}

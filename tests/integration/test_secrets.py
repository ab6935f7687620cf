# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secret exposure at -vvvv --diff: register keeps full_token, display never shows any secret.

Every run of this suite is already searched for every known secret (harness.Harness.assert_no_secrets);
these tests run the main lifecycle in one playbook and prove that the search finds a leak.
"""

from __future__ import annotations

from harness import Case, assert_failed, assert_file_holds, assert_minted, assert_ok, find_values

from zendesk_simulator import seed

MY_APP = seed.MY_APP_CLIENT_ID
NO_ENV_BEARER = {"ZENDESK_OAUTH_TOKEN": ""}
WRONG_TOKEN = "bad" + "7" * 61


def lifecycle(tmp_path):
    """Mint with each auth mode, rotate with current_token, revoke a leaked value, fail, check mode."""
    return [
        Case("mint with password", {"client_id": MY_APP, "email": seed.ADMIN_EMAIL, "password": seed.ADMIN_PASSWORD},
             environment=NO_ENV_BEARER),
        Case("mint with api_token", {"client_id": MY_APP, "recreate": "always", "email": seed.ADMIN_EMAIL,
                                     "api_token": seed.ADMIN_API_TOKEN}, environment=NO_ENV_BEARER),
        Case("mint with bearer to dest", {"client_id": MY_APP, "recreate": "always", "dest": str(tmp_path / "token")}),
        Case("keep the held token", {"client_id": MY_APP, "current_token": "{{ case_2.token.full_token }}"}),
        Case("rotate the held token", {"client_id": MY_APP, "current_token": "{{ case_2.token.full_token }}",
                                       "scopes": ["read", "write"]}),
        Case("revoke a leaked value", {"state": "absent", "current_token": "{{ case_0.token.full_token }}"}),
        Case("check mode mint", {"client_id": MY_APP, "recreate": "always"}, check=True),
        Case("refused token", {"client_id": MY_APP, "oauth_token": WRONG_TOKEN}),
    ]


def test_lifecycle_at_vvvv_diff_shows_no_secret(harness, tmp_path):
    """Registered results hold each minted full_token; stdout, stderr, the log file and callbacks never show a secret."""
    harness.watch(WRONG_TOKEN, "a refused OAuth token")
    run = harness.play(lifecycle(tmp_path))
    minted = ["mint with password", "mint with api_token", "mint with bearer to dest", "rotate the held token"]
    for name in minted:
        assert_minted(run[name])
        assert run[name].shown.get("censored") and "diff" not in run[name].shown, run[name].describe()
    values = [run[name].token["full_token"] for name in minted]
    distinct = len(set(values)) == len(values) and all(v in harness.secrets for v in values)
    assert distinct, "each minted value is new and watched"
    assert_file_holds(str(tmp_path / "token"), values[2])
    assert_ok(run["keep the held token"], False)
    assert run["keep the held token"].result["current_token_valid"] is True
    assert run["rotate the held token"].result["current_token_valid"] is False
    assert_ok(run["revoke a leaked value"], True)
    assert run["revoke a leaked value"].result["revoked"] == [run["mint with password"].token["id"]]
    assert_ok(run["check mode mint"], True)
    assert run["check mode mint"].shown["diff"]["after"] == {"client_id": MY_APP, "scopes": ["read"]}
    assert_failed(run["refused token"], "HTTP 401")
    for case in run.cases.values():
        assert not find_values(case.shown, "full_token"), case.describe()
    assert "ESTABLISH LOCAL CONNECTION" in run.stdout and "--- before" in run.stdout, "the run must be verbose with --diff"
    assert "rotate the held token" in run.log and "ESTABLISH LOCAL CONNECTION" in run.log, "the log file must be written"
    assert harness.leaks(run.output) == []


def test_the_search_finds_a_leak(harness):
    """A task that prints a token value is caught in stdout and in the log file."""
    token = harness.plant()
    run = harness.play([Case("print a token", {"msg": "token: %s" % token["full_token"]}, module="ansible.builtin.debug")],
                       scan=False)
    assert len(harness.leaks(run.stdout)) == 1 and len(harness.leaks(run.log)) == 1
    assert harness.leaks(run.output)[0].startswith("planted token %d" % token["id"])

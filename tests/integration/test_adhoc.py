# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Ad hoc use, as users run it: `ansible localhost -m obscura.zendesk.zendesk_oauth_token -a '... dest=~/.zendesk-token'`."""

from __future__ import annotations

from harness import CLIENTS_PATH, TOKENS_PATH, assert_file_holds

from zendesk_simulator import seed

ARGS = 'client_name="%s" scopes=read,write dest=~/.zendesk-token' % seed.MY_APP_CLIENT_NAME


def only_case(run):
    """The one task an ad hoc run records."""
    assert len(run.cases) == 1, run.output[-3000:]
    return next(iter(run.cases.values()))


def test_adhoc_token_to_a_file_then_idempotent(harness, tmp_path):
    """First run: CHANGED, censored, value only in the 0600 file. Second run: unchanged, a warning, no POST."""
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home)}
    first = harness.adhoc("token", ARGS, env=env)
    dest = home / ".zendesk-token"
    value = harness.watch_file(str(dest))
    harness.assert_no_secrets(first)
    assert first.rc == 0 and "localhost | CHANGED" in first.stdout and "censored" in first.stdout, first.output[-3000:]
    assert len(value) >= 32, "the file must hold a token"
    assert_file_holds(str(dest), value)
    case = only_case(first)
    assert [c.split("?")[0] for c in case.calls()] == ["GET " + CLIENTS_PATH, "GET " + TOKENS_PATH, "POST " + TOKENS_PATH]
    second = harness.adhoc("token", ARGS, env=env)
    assert second.rc == 0 and "localhost | SUCCESS" in second.stdout, second.output[-3000:]
    assert '"changed": false' in second.stdout and "already exists" in second.stderr
    assert only_case(second).writes() == []
    assert_file_holds(str(dest), value)


def test_adhoc_check_mode_and_info(harness):
    """--check predicts a change without a POST; client_info prints the client."""
    check = harness.adhoc("token", "client_id=%d recreate=always" % seed.MY_APP_CLIENT_ID, check=True)
    assert check.rc == 0 and "localhost | CHANGED" in check.stdout, check.output[-3000:]
    assert only_case(check).writes() == []
    info = harness.adhoc("info", "identifier=%s" % seed.MY_APP_CLIENT_IDENTIFIER)
    assert info.rc == 0 and '"name": "%s"' % seed.MY_APP_CLIENT_NAME in info.stdout, info.output[-3000:]
    assert only_case(info).calls() == ["GET " + CLIENTS_PATH]

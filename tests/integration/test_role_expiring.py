# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role obscura.zendesk.oauth_token on the fleet of test_role_fleet (hosts that differ) with tokens that expire:
minted with the client credentials grant, kept while valid beyond the renewal window, renewed make-before-break
inside it, replaced after expiry; a failing host keeps the old token live; serial batches share one token; overlapping
and killed runs of an exclusive client leave, after one clean run, exactly one live token that every host holds.
Every run, --check included, is followed by a count of the client's live tokens.

The renewal window and expiry are judged by Zendesk's clock (the Date of its answers), so the tests move the
simulator's clock: into the window (renewal), past the expiry (a dead token replaced).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import requests

from harness import CURRENT_PATH, TOKENS_PATH, assert_same_secret, unprivileged_host
from test_client_credentials import GRANT_PATH, automation_client, credentials_env, grants
from test_role_fleet import FLEET, fleet_run, held_tokens, play_fleet, prepare, recap, writes

from zendesk_simulator import seed

LIFETIME, RENEW_BEFORE = 3600, 1200  # the role's default window: a third of the lifetime
EXPIRING = {"oauth_token_source": "client_credentials", "oauth_token_client_secret": seed.MY_APP_CLIENT_SECRET,
            "oauth_token_lifetime": LIFETIME}
INTO_THE_WINDOW = LIFETIME - RENEW_BEFORE + 60  # seconds after a mint: valid, but inside the renewal window
MINTS, REVOKES_BY_ID = "POST " + GRANT_PATH, "DELETE " + TOKENS_PATH + "/{id}"
EXCLUSIVE = dict(EXPIRING, oauth_token_exclusive_client=True, oauth_token_client_identifier=seed.MY_APP_CLIENT_IDENTIFIER,
                 oauth_token_client_name=None)


def app_tokens(harness):
    """Every token of the app client ever issued (revoked and expired ones too), by id."""
    return {i: t for i, t in harness.tokens().items() if t["client_id"] == seed.MY_APP_CLIENT_ID}


def live_tokens(harness):
    """The app client's tokens that are neither revoked nor expired, by id."""
    return {i: t for i, t in app_tokens(harness).items() if not t["revoked"] and not t["expired"]}


def the_one_value(harness, paths):
    """The one token every host holds (watched from now on)."""
    values = set(held_tokens(paths).values())
    assert len(values) == 1 and None not in values, "every host holds the same token"
    value = values.pop()
    harness.watch(value, "the fleet's token")
    return value


def assert_new(value, *earlier):
    """``value`` is none of the ``earlier`` tokens (a failure shows no value)."""
    is_new = value not in earlier
    assert is_new, "the hosts hold an earlier token, not a new one"


def token_of(harness, value):
    """The metadata Zendesk gives for a token value (None when it does not authenticate)."""
    response = requests.get(harness.url + CURRENT_PATH, headers={"Authorization": "Bearer " + value}, timeout=30)
    return response.json()["token"] if response.status_code == 200 else None


def watch_grants(harness):
    """Every token the grant issued is a secret from now on."""
    for grant in grants(harness):
        harness.watch(grant["full_token"], "grant token %s" % grant["id"])


def run_ok(harness, paths, role_vars, check=False, **kwargs):
    """A successful play: (API calls, oauth_token_result by host); no secret in its output."""
    run, calls, results = play_fleet(harness, paths, role_vars=role_vars, check=check, **kwargs)
    watch_grants(harness)
    assert run.rc == 0, run.output[-4000:]
    harness.assert_no_secrets(run)
    assert sorted(results) == sorted(FLEET), results
    return calls, results


def check_changes_nothing(harness, paths, role_vars, live, **predicted):
    """--check: nothing written anywhere, ``live`` tokens stay live; oauth_token_result says what a real run would do."""
    texts = {host: path.read_bytes() for host, path in paths.items()}
    calls, results = run_ok(harness, paths, role_vars, check=True)
    assert not writes(calls), calls
    assert {host: path.read_bytes() for host, path in paths.items()} == texts, "--check changed a file"
    assert set(live_tokens(harness)) == live
    for result in results.values():
        assert {key: result[key] for key in predicted} == predicted, results


def test_expiring_tokens_are_kept_renewed_before_expiry_and_replaced_after_it(harness, tmp_path):
    paths = prepare(tmp_path)
    check_changes_nothing(harness, paths, EXPIRING, set(), minted=True, token_id=None, changed=True)

    calls, results = run_ok(harness, paths, EXPIRING)
    assert calls.get(MINTS) == 1, calls
    first = the_one_value(harness, paths)
    live = live_tokens(harness)
    assert len(live) == 1, live
    (first_id, first_token), = live.items()
    assert first_token["expires_at"] and token_of(harness, first)["id"] == first_id
    for result in results.values():
        assert result == dict(delivery="token", token_id=first_id, expires_at=first_token["expires_at"], changed=True,
                              minted=True, revoked=[]), results

    check_changes_nothing(harness, paths, EXPIRING, {first_id}, minted=False, token_id=first_id, changed=False)
    texts = {host: path.read_bytes() for host, path in paths.items()}
    again, results = run_ok(harness, paths, EXPIRING)
    assert not writes(again), again
    assert {host: path.read_bytes() for host, path in paths.items()} == texts, "a re-run inside the lifetime rewrote a file"
    assert set(live_tokens(harness)) == {first_id}
    assert not any(result["changed"] or result["minted"] for result in results.values()), results

    harness.control.advance_clock(INTO_THE_WINDOW)
    assert set(live_tokens(harness)) == {first_id}, "inside the window the token is still live"
    check_changes_nothing(harness, paths, EXPIRING, {first_id}, minted=True, token_id=None, changed=True)
    calls, results = run_ok(harness, paths, EXPIRING)
    assert calls.get(MINTS) == 1 and calls.get(REVOKES_BY_ID) == 1, calls
    second = the_one_value(harness, paths)
    assert_new(second, first)
    live = live_tokens(harness)
    assert len(live) == 1 and token_of(harness, second)["id"] in live, live
    assert token_of(harness, first) is None, "the renewed token was revoked once every host held the new one"
    for result in results.values():
        assert result["minted"] and result["changed"] and result["revoked"] == [first_id], results

    second_id = token_of(harness, second)["id"]
    harness.control.advance_clock(LIFETIME + 60)
    assert live_tokens(harness) == {}, "the fleet's token expired"
    check_changes_nothing(harness, paths, EXPIRING, set(), minted=True, token_id=None, changed=True)
    calls, results = run_ok(harness, paths, EXPIRING)
    assert calls.get(MINTS) == 1 and not calls.get(REVOKES_BY_ID), calls  # an expired token is gone: nothing to revoke
    third = the_one_value(harness, paths)
    assert_new(third, first, second)
    live = live_tokens(harness)
    assert list(live) == [token_of(harness, third)["id"]] and second_id not in live, live
    assert all(result["revoked"] == [] and result["minted"] for result in results.values()), results


def test_a_host_that_fails_during_renewal_keeps_the_old_token_live_until_a_rerun_finishes(harness, tmp_path):
    paths = prepare(tmp_path)
    run_ok(harness, paths, EXPIRING)
    old = the_one_value(harness, paths)
    (old_id,) = live_tokens(harness)

    # The worker's directory is read-only for its remote user: the read works, the write fails.
    broken = {"worker": unprivileged_host(tmp_path)}
    paths["worker"].parent.chmod(0o555)
    harness.control.advance_clock(INTO_THE_WINDOW)
    try:
        run, calls, results = play_fleet(harness, paths, host_overrides=broken, role_vars=EXPIRING)
    finally:
        paths["worker"].parent.chmod(0o755)
    watch_grants(harness)
    harness.assert_no_secrets(run)
    assert run.rc != 0 and recap(run)["worker"]["failed"] == 1, run.output[-4000:]
    assert calls.get(MINTS) == 1 and not calls.get(REVOKES_BY_ID), calls
    held = held_tokens(paths)
    assert_same_secret(held["worker"], old, "the failed host's token")
    assert len(set(held.values())) == 2, "the other hosts hold the new token"
    assert len(live_tokens(harness)) == 2 and token_of(harness, old)["id"] == old_id, "the old token stays live"
    assert "worker" not in results and all(result["revoked"] == [] for result in results.values()), results

    check_changes_nothing(harness, paths, EXPIRING, set(live_tokens(harness)), minted=False, revoked=[])
    calls, results = run_ok(harness, paths, EXPIRING)
    assert not calls.get(MINTS) and calls.get(REVOKES_BY_ID) == 1, calls
    new = the_one_value(harness, paths)
    assert_new(new, old)
    assert token_of(harness, old) is None and list(live_tokens(harness)) == [token_of(harness, new)["id"]]
    assert results["worker"]["changed"] and not results["web"]["changed"] and results["web"]["revoked"] == [old_id], results


def test_serial_batches_share_one_token_and_revoke_the_replaced_one_in_the_last_batch(harness, tmp_path):
    paths = prepare(tmp_path)
    serial = {"serial": 2}
    calls, _results = run_ok(harness, paths, EXPIRING, play=serial)
    assert calls.get(MINTS) == 1, calls
    old = the_one_value(harness, paths)
    assert len(live_tokens(harness)) == 1

    calls, results = run_ok(harness, paths, dict(EXPIRING, oauth_token_rotate=True), play=serial)
    assert calls.get(MINTS) == 1 and calls.get(REVOKES_BY_ID) == 1, calls
    new = the_one_value(harness, paths)
    assert_new(new, old)
    assert token_of(harness, old) is None and len(live_tokens(harness)) == 1
    minted = [host for host, result in results.items() if result["minted"]]
    revoked = [host for host, result in results.items() if result["revoked"]]
    assert len(minted) == 2 and len(revoked) == 2 and not set(minted) & set(revoked), results  # first batch mints, last revokes


def start(harness, paths, role_vars, env):
    """Start a play of the role without waiting for it: (process, its run directory)."""
    command, run_paths = fleet_run(harness, paths, role_vars=role_vars)
    with open(run_paths["dir"] / "output", "wb") as output:
        process = subprocess.Popen(command, cwd=str(run_paths["dir"]), env=harness.environment(run_paths, env),  # pylint: disable=consider-using-with
                                   stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    return process, run_paths


def wait(process, seconds=300):
    """Wait for a started play; its exit status (either may fail: both write the same files)."""
    return process.wait(seconds)


def kill_after_a_mint(harness, process):
    """Kill the play (its whole process group) as soon as the app client has a token more than before."""
    known = set(app_tokens(harness))
    deadline = time.monotonic() + 300
    while set(app_tokens(harness)) <= known:
        assert process.poll() is None, "the run ended without minting"
        assert time.monotonic() < deadline, "the run did not mint"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(60)


def test_killed_and_overlapping_runs_of_an_exclusive_client_leave_one_live_token_after_one_clean_run(harness, tmp_path):
    paths = prepare(tmp_path)
    env = credentials_env(automation_client(harness))

    process, dummy = start(harness, paths, EXCLUSIVE, env)
    kill_after_a_mint(harness, process)
    watch_grants(harness)
    assert len(app_tokens(harness)) == 1 and len(live_tokens(harness)) == 1

    runs = [start(harness, paths, EXCLUSIVE, env) for dummy in range(2)]
    for process, dummy in runs:
        wait(process)
    watch_grants(harness)
    for dummy, run_paths in runs:
        assert not harness.leaks((run_paths["dir"] / "output").read_text(encoding="utf-8")), "an overlapping run showed a secret"
    assert len(app_tokens(harness)) <= 3 and len(live_tokens(harness)) <= 3, "each run mints at most one token"

    texts = {host: path.read_bytes() for host, path in paths.items()}
    live = set(live_tokens(harness))
    check, calls, dummy = play_fleet(harness, paths, role_vars=EXCLUSIVE, env=env, check=True)
    assert check.rc == 0 and not set(writes(calls)) - {"POST " + GRANT_PATH, "DELETE " + CURRENT_PATH}, calls  # the session only
    assert {host: path.read_bytes() for host, path in paths.items()} == texts and set(live_tokens(harness)) == live

    calls, results = run_ok(harness, paths, EXCLUSIVE, env=env)
    value = the_one_value(harness, paths)
    live = live_tokens(harness)
    assert list(live) == [token_of(harness, value)["id"]], (live, calls)
    assert {result["token_id"] for result in results.values()} == set(live), results

    again, calls, dummy = play_fleet(harness, paths, role_vars=EXCLUSIVE, env=env)
    harness.assert_no_secrets(again)
    assert again.rc == 0 and all(counts["changed"] == 0 for counts in recap(again).values()), recap(again)
    assert not calls.get(REVOKES_BY_ID) and calls.get(MINTS) == 1, calls  # the session's exchange, no mint
    assert list(live_tokens(harness)) == list(live)


def test_an_exclusive_client_revokes_the_callers_other_tokens_of_the_scopes_and_without_the_flag_nothing(harness, tmp_path):
    paths = prepare(tmp_path)
    run_ok(harness, paths, EXPIRING)
    held = the_one_value(harness, paths)
    orphan = harness.plant(client_id=seed.MY_APP_CLIENT_ID, scopes=("read",))  # as a killed run leaves one
    other_scopes = harness.plant(client_id=seed.MY_APP_CLIENT_ID, scopes=("read", "write"))
    others_token = harness.plant(client_id=seed.MY_APP_CLIENT_ID, scopes=("read",), user_id=seed.AGENT_ID)
    kept = {token_of(harness, held)["id"], orphan["id"], other_scopes["id"], others_token["id"]}

    calls, dummy = run_ok(harness, paths, EXPIRING)
    assert not writes(calls) and set(live_tokens(harness)) == kept, "without the flag nothing is revoked"

    check_changes_nothing(harness, paths, EXCLUSIVE, kept, changed=False, minted=False, revoked=[])
    calls, results = run_ok(harness, paths, EXCLUSIVE)
    assert calls.get(REVOKES_BY_ID) == 1 and not calls.get(MINTS), calls
    assert set(live_tokens(harness)) == kept - {orphan["id"]}, "only the caller's other token of the client and scopes goes"
    assert all(result["revoked"] == [orphan["id"]] and not result["changed"] for result in results.values()), results


def test_an_exclusive_client_refuses_a_connection_with_its_own_credentials_before_any_call(harness, tmp_path):
    paths = prepare(tmp_path)
    own = {"identifier": seed.MY_APP_CLIENT_IDENTIFIER, "secret": seed.MY_APP_CLIENT_SECRET}
    before = {host: path.read_bytes() for host, path in paths.items()}
    run, calls, results = play_fleet(harness, paths, role_vars=EXCLUSIVE, env=credentials_env(own))
    assert run.rc != 0 and "authenticates with that client's own credentials" in run.stdout, run.output[-4000:]
    assert not any(calls.values()), calls
    assert {host: path.read_bytes() for host, path in paths.items()} == before and results == {}
    assert live_tokens(harness) == {}
    harness.assert_no_secrets(run)

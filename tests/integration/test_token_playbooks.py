# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The playbooks audit_tokens and leak_response, run with ansible-playbook against the simulator."""

from __future__ import annotations

import datetime
import json
import os

from harness import BIN, CURRENT_PATH, TOKENS_PATH
from test_client_credentials import GRANT_PATH, assert_no_live_session, automation_client, credentials_env, scan_session_tokens

from zendesk_simulator import seed

MY_APP = seed.MY_APP_CLIENT_ID


def run_playbook(harness, name, extra_vars, env=None):
    """Run the collection's playbook ``name`` with extra vars from a 0600 file (-vvvv --diff); scan it for secrets.

    Returns the Run; ``run.cases`` maps each task name to what the recorder saw (status, shown, requests).
    """
    paths = harness.new_run_dir()
    paths["cases"].write_text("{}", encoding="utf-8")
    extra = paths["dir"] / "extra-vars.json"
    descriptor = os.open(extra, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(extra_vars, handle)
    command = [str(BIN / "ansible-playbook"), "-i", str(paths["inventory"]), "obscura.zendesk." + name,
               "-e", "@" + str(extra), "--diff", "-vvvv"]
    run = harness.execute(command, paths, env)
    run.cases = json.loads(run.recorded or "{}")
    for variable in ("oauth_token_dest",):
        if variable in extra_vars and os.path.isfile(extra_vars[variable]):
            harness.watch_file(extra_vars[variable])
    harness.assert_no_secrets(run)
    return run


def writes(run):
    """Every write request the run made."""
    return [r for record in run.cases.values() for r in record["requests"] if r["method"] in ("POST", "PUT", "PATCH", "DELETE")]


def test_audit_reports_every_token_and_fails_on_chosen_problems(harness):
    """The report has one line per token and no value; the default fails on a suspended owner; [] only reports."""
    suspended = harness.plant(MY_APP, ["tickets:read"], seed.SUSPENDED_ID)
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
    expired = harness.plant(MY_APP, ["read"], seed.ADMIN_ID, expires_at=past)
    default = run_playbook(harness, "audit_tokens", {})
    assert default.rc != 0, default.output[-3000:]
    report = default.cases["Report every token"]["shown"]["msg"]
    assert report[0].split() == ["token", "client", "owner", "scopes", "used", "expires", "problems"]
    lines = {line.split()[0]: line for line in report[1:]}
    assert set(lines) == {str(seed.BOOTSTRAP_ADMIN_TOKEN_ID), str(seed.BOOTSTRAP_AGENT_TOKEN_ID), str(suspended["id"]),
                          str(expired["id"])}, report
    assert "suspended@example.com (admin, suspended)" in lines[str(suspended["id"])] and "owner_suspended" in lines[str(suspended["id"])]
    assert "expired" in lines[str(expired["id"])]
    failure = default.cases["Fail on the chosen problems"]
    assert failure["status"] == "failed" and "owner_suspended: token ids %d" % suspended["id"] in failure["shown"]["msg"]
    assert "expired" not in failure["shown"]["msg"].split("(")[0], failure["shown"]["msg"]
    assert not writes(default)

    report_only = run_playbook(harness, "audit_tokens", {"zendesk_audit_fail_on": []})
    assert report_only.rc == 0, report_only.output[-3000:]
    assert report_only.cases["Fail on the chosen problems"]["status"] == "skipped"

    as_text = run_playbook(harness, "audit_tokens", {"zendesk_audit_fail_on": "[expired,expiring]"})
    assert as_text.rc != 0
    message = as_text.cases["Fail on the chosen problems"]["shown"]["msg"]
    assert "expired: token ids %d" % expired["id"] in message and "owner_suspended:" not in message, message

    no_expiry = run_playbook(harness, "audit_tokens", {"zendesk_audit_fail_on": ["no_expiry"]})
    assert no_expiry.rc != 0
    message = no_expiry.cases["Fail on the chosen problems"]["shown"]["msg"]
    never = "%d, %d, %d" % (seed.BOOTSTRAP_ADMIN_TOKEN_ID, seed.BOOTSTRAP_AGENT_TOKEN_ID, suspended["id"])
    assert message.startswith("no_expiry: token ids %s;" % never) and str(expired["id"]) not in message, message
    assert "no_expiry" in lines[str(suspended["id"])] and "no_expiry" not in lines[str(expired["id"])]

    unknown = run_playbook(harness, "audit_tokens", {"zendesk_audit_fail_on": ["stale"]})
    assert unknown.rc != 0 and "Read the token inventory" not in unknown.cases
    assert "unknown problems stale" in unknown.cases["Check the problem names to fail on"]["shown"]["msg"]


def test_leak_response_revokes_exactly_the_leaked_token(harness):
    """A full value: that token is revoked, the others stay; a shared prefix: nothing revoked, a clear failure."""
    leaked = harness.plant(MY_APP, ["read"], seed.ADMIN2_ID)
    other = harness.plant(MY_APP, ["read"], seed.ADMIN2_ID)
    run = run_playbook(harness, "leak_response", {"zendesk_leaked_token": leaked["full_token"]})
    assert run.rc == 0, run.output[-3000:]
    tokens = harness.tokens()
    assert tokens[leaked["id"]]["revoked"] and not tokens[other["id"]]["revoked"]
    deletes = [r["path"] for r in writes(run)]
    assert deletes == ["%s/%d" % (TOKENS_PATH, leaked["id"])], deletes
    report = run.cases["Report what was done"]["shown"]["msg"]
    assert "Revoked token id %d (matched by value)" % leaked["id"] in report and "admin2@example.com" in report, report
    # The confirming lookup is itself a use; the report keeps the last use Zendesk listed before it: never.
    assert tokens[leaked["id"]]["used_at"] is not None, "the lookup with the value should count as a use"
    assert "last used never (as Zendesk listed it before this lookup, which itself counts as a use)." in report, report

    again = run_playbook(harness, "leak_response", {"zendesk_leaked_token": leaked["full_token"]})
    assert again.rc == 0 and not writes(again)
    assert "nothing to revoke" in again.cases["Report what was done"]["shown"]["msg"]

    shared = harness.control.plant_tokens(2, [seed.ADMIN_ID, seed.AGENT_ID], MY_APP, value_prefix="eyJhbGciOiJIUzI1")
    ambiguous = run_playbook(harness, "leak_response", {"zendesk_leaked_token": "eyJhbGciOiJIUzI1"})
    assert ambiguous.rc != 0 and not writes(ambiguous)
    message = ambiguous.cases["Stop when the prefix matches several tokens"]["shown"]["msg"]
    assert "matches 2 tokens (ids %d, %d" % tuple(shared) in message and "nothing was revoked" in message, message

    short = run_playbook(harness, "leak_response", {"zendesk_leaked_token": "eyJhbG"})
    assert short.rc != 0 and "at least its first 10 characters" in short.cases["Check that the leaked value or prefix is given"]["shown"]["msg"]


def test_leak_response_can_provision_a_new_token(harness, tmp_path):
    """With zendesk_reprovision the role gives the hosts a new token after the leaked one is revoked."""
    leaked = harness.plant(MY_APP, ["read"], seed.ADMIN_ID)
    dest = str(tmp_path / "app.env")
    run = run_playbook(harness, "leak_response", {
        "zendesk_leaked_token": leaked["full_token"][:12], "zendesk_reprovision": True, "zendesk_token_hosts": "localhost",
        "oauth_token_client_id": MY_APP, "oauth_token_dest": dest})
    assert run.rc == 0, run.output[-3000:]
    assert harness.tokens()[leaked["id"]]["revoked"]
    with open(dest, encoding="utf-8") as handle:
        held = handle.read()
    assert held.startswith("ZENDESK_OAUTH_TOKEN=") and leaked["full_token"] not in held
    assert "(matched by prefix)" in run.cases["Report what was done"]["shown"]["msg"]


def test_leak_response_with_client_credentials_works_in_one_session(harness):
    """With OAuth client credentials the find-and-revoke play makes one exchange and revokes its session."""
    client = automation_client(harness)
    leaked = harness.plant(MY_APP, ["read"], seed.ADMIN2_ID)
    run = run_playbook(harness, "leak_response", {"zendesk_leaked_token": leaked["full_token"]}, env=credentials_env(client))
    scan_session_tokens(harness, run)
    assert run.rc == 0, run.output[-3000:]
    assert harness.tokens()[leaked["id"]]["revoked"]
    calls = [r["method"] + " " + r["path"] for record in run.cases.values() for r in record["requests"]]
    assert calls.count("POST " + GRANT_PATH) == 1 and calls.count("DELETE " + CURRENT_PATH) == 1, calls
    assert_no_live_session(harness, 1)

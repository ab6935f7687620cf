# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""zendesk_oauth_client through ansible-playbook: create, idempotent re-runs, one-field PUT, secret regeneration,
check mode and diff, absent twice with the token count, dest failure, bad input; secrets never shown."""

from __future__ import annotations

from harness import (
    CLIENT_FIELDS,
    CLIENTS_PATH,
    Case,
    assert_failed,
    assert_file_holds,
    assert_no_writes,
    assert_ok,
)

from zendesk_simulator import seed

IDENTIFIER = "it_app"
FIRST_NEW_CLIENT_ID = 3  # the simulator's first id after the two seed clients
FIELDS = {"identifier": IDENTIFIER, "name": "Integration app", "kind": "confidential", "company": "Example Inc.",
          "description": "Made by the integration tests",
          "redirect_uri": ["https://app.example.com/callback", "https://app.example.com/other"]}
CLIENT_PATH = "%s/%d" % (CLIENTS_PATH, FIRST_NEW_CLIENT_ID)


def client_case(title, check=False, **args):
    """A zendesk_oauth_client case."""
    return Case(title, args, module="client", check=check)


def assert_secret_returned(case):
    """The result carries a full secret for register, and display shows the result censored."""
    assert_ok(case, True)
    client = case.result["client"]
    assert set(client) == CLIENT_FIELDS | {"secret"}, case.describe()
    assert len(client["secret"]) >= 32 and not client["secret"].endswith("..."), case.describe()
    assert "censored" in case.shown and "client" not in case.shown, case.describe()


def assert_no_secret(case):
    """The result carries the public fields only."""
    assert set(case.result["client"]) <= CLIENT_FIELDS and "secret" not in case.result["client"], case.describe()


def test_client_lifecycle_present(harness, tmp_path):
    """Create, re-run without a write, one changed field is one PUT, regenerate once, check mode predicts."""
    dest = str(tmp_path / "secret")
    reordered = {**FIELDS, "redirect_uri": list(reversed(FIELDS["redirect_uri"])) + [FIELDS["redirect_uri"][0]]}
    described = {**FIELDS, "description": "New text"}
    run = harness.play([
        client_case("create in check mode", check=True, **FIELDS),
        client_case("create", **FIELDS),
        client_case("re-run", **FIELDS),
        client_case("re-run with the redirect URLs reordered and repeated", **reordered),
        client_case("only the identifier", identifier=IDENTIFIER),
        client_case("change the description in check mode", check=True, **described),
        client_case("change the description", **described),
        client_case("regenerate in check mode", check=True, identifier=IDENTIFIER, regenerate_secret=True),
        client_case("regenerate", identifier=IDENTIFIER, regenerate_secret=True, dest=dest),
        client_case("re-run after regenerating", **described, dest=dest),
    ])
    check_create = run["create in check mode"]
    assert_ok(check_create, True)
    assert_no_writes(check_create)
    assert check_create.result["client"] == {}, check_create.describe()
    assert check_create.result["diff"] == {"before": {}, "after": FIELDS}, check_create.describe()

    create = run["create"]
    assert_secret_returned(create)
    assert create.calls("POST") == ["POST " + CLIENTS_PATH] and not create.calls("PUT"), create.describe()
    assert create.result["client"]["id"] == FIRST_NEW_CLIENT_ID, create.describe()
    assert {k: create.result["client"][k] for k in FIELDS} == FIELDS, create.describe()
    assert "secret" not in str(create.result["diff"]), create.describe()

    for name in ("re-run", "re-run with the redirect URLs reordered and repeated", "only the identifier"):
        case = run[name]
        assert_ok(case, False)
        assert_no_writes(case)
        assert_no_secret(case)
        assert case.result["client"]["description"] == FIELDS["description"], case.describe()

    check_change = run["change the description in check mode"]
    assert_ok(check_change, True)
    assert_no_writes(check_change)
    assert check_change.result["client"]["description"] == "New text", check_change.describe()
    assert check_change.result["diff"]["before"]["description"] == FIELDS["description"], check_change.describe()
    assert check_change.result["diff"]["after"] == described, check_change.describe()

    change = run["change the description"]
    assert_ok(change, True)
    assert change.calls("PUT") == ["PUT " + CLIENT_PATH] and len(change.writes()) == 1, change.describe()
    assert_no_secret(change)
    assert change.result["client"]["description"] == "New text", change.describe()
    before, after = change.result["diff"]["before"], change.result["diff"]["after"]
    assert [k for k in after if after[k] != before[k]] == ["description"], change.describe()

    check_regenerate = run["regenerate in check mode"]
    assert_ok(check_regenerate, True)
    assert_no_writes(check_regenerate)
    assert_no_secret(check_regenerate)

    regenerate = run["regenerate"]
    assert_secret_returned(regenerate)
    assert regenerate.calls("PUT") == ["PUT %s/generate_secret" % CLIENT_PATH] and len(regenerate.writes()) == 1
    assert regenerate.result["client"]["secret"] != create.result["client"]["secret"], "regenerating must change the secret"
    assert_file_holds(dest, regenerate.result["client"]["secret"])
    assert regenerate.result["diff"]["after"]["secret"].startswith("<"), regenerate.describe()

    again = run["re-run after regenerating"]
    assert_ok(again, False)
    assert_no_writes(again)
    assert_no_secret(again)
    assert_file_holds(dest, regenerate.result["client"]["secret"])


def test_client_absent_counts_the_tokens_it_revokes(harness):
    """Check mode and diff say how many tokens deleting revokes; deleting twice: the second is changed=false."""
    client = harness.add_client("Doomed app", "doomed_app")
    planted = [harness.plant(client_id=client["id"], user_id=user) for user in (seed.ADMIN_ID, seed.ADMIN2_ID, seed.AGENT_ID)]
    harness.revoke(planted[2]["id"])
    run = harness.play([
        client_case("absent in check mode", check=True, identifier="doomed_app", state="absent"),
        client_case("absent", identifier="doomed_app", state="absent"),
        client_case("absent again", identifier="doomed_app", state="absent"),
    ])
    check = run["absent in check mode"]
    assert_ok(check, True)
    assert_no_writes(check)
    assert check.result["tokens_revoked"] == 2, check.describe()
    assert check.result["diff"]["before"]["tokens"] == 2 and check.result["diff"]["after"] == {}, check.describe()
    assert "2 live token(s)" in check.result["diff"]["before_header"], check.describe()
    counted = [r for r in check.requests if r["path"] == "/api/v2/oauth/tokens"]
    assert len(counted) == 1 and counted[0]["query"]["all"] == ["true"], check.describe()
    assert counted[0]["query"]["client_id"] == [str(client["id"])], check.describe()

    absent = run["absent"]
    assert_ok(absent, True)
    assert absent.calls("DELETE") == ["DELETE %s/%d" % (CLIENTS_PATH, client["id"])], absent.describe()
    assert absent.result["tokens_revoked"] == 2 and absent.result["client"] == {}, absent.describe()
    tokens = harness.tokens()
    assert all(tokens[t["id"]]["revoked"] for t in planted), "deleting the client revokes its tokens"
    assert client["id"] not in harness.control.state()["client_ids"]

    again = run["absent again"]
    assert_ok(again, False)
    assert_no_writes(again)
    assert again.result["tokens_revoked"] == 0 and again.result["client"] == {}, again.describe()


def test_client_secret_that_cannot_be_delivered(harness, tmp_path):
    """dest fails: the message says the client exists, the secret was not delivered, and what to do; no secret shown."""
    dest = str(tmp_path / "missing-directory" / "secret")
    run = harness.play([
        client_case("create with a bad dest", identifier="undelivered", name="Undelivered", dest=dest),
        client_case("regenerate with a bad dest", identifier=seed.MY_APP_CLIENT_IDENTIFIER, regenerate_secret=True, dest=dest),
    ])
    create = run["create with a bad dest"]
    assert_failed(create, "'undelivered'", "was created in Zendesk", dest, "not delivered", "regenerate_secret: true")
    assert create.calls("POST") == ["POST " + CLIENTS_PATH], create.describe()
    assert "secret" not in create.result["client"] and create.result["changed"] is True, create.describe()
    regenerate = run["regenerate with a bad dest"]
    assert_failed(regenerate, "got a new secret in Zendesk", "not delivered", "regenerate_secret: true")
    assert "secret" not in regenerate.result["client"], regenerate.describe()


def test_client_bad_input_fails_before_any_write(harness):
    """Missing name to create, options that only fit state=present, empty values: clear errors, nothing written."""
    run = harness.play([
        client_case("create without name", identifier="nameless"),
        client_case("regenerate with absent", identifier=IDENTIFIER, state="absent", regenerate_secret=True),
        client_case("dest with absent", identifier=IDENTIFIER, state="absent", dest="/tmp/x"),
        client_case("empty identifier", identifier=" ", name="x"),
        client_case("empty redirect URL", identifier=IDENTIFIER, name="x", redirect_uri=[""]),
        client_case("as an agent", identifier=IDENTIFIER, name="x", oauth_token=seed.BOOTSTRAP_AGENT_OAUTH_TOKEN),
    ])
    assert_failed(run["create without name"], "'nameless'", "needs name")
    assert_failed(run["regenerate with absent"], "regenerate_secret is only used with state=present")
    assert_failed(run["dest with absent"], "dest is only used with state=present")
    assert_failed(run["empty identifier"], "identifier must not be empty")
    assert_failed(run["empty redirect URL"], "redirect_uri")
    assert_failed(run["as an agent"], "403", "admin")
    for case in run.cases.values():
        assert_no_writes(case)

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OAuth client credentials: each module run makes one exchange and one revocation; zendesk_session shares one
session among tasks; refusals and bad input get clear messages; no client secret or session token is ever shown."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from harness import CLIENTS_PATH, CURRENT_PATH, TOKENS_PATH, Case, assert_failed, assert_kept, assert_minted, assert_ok

from zendesk_simulator import seed

GRANT_PATH = "/oauth/tokens"
AUTOMATION = "ansible_automation"
NO_BEARER = {"ZENDESK_OAUTH_TOKEN": None}


def automation_client(harness, kind="confidential", identifier=AUTOMATION, user_id=seed.ADMIN_ID):
    """A client for the collection's own credentials, owned by an admin; its secret is watched."""
    client = harness.control.call("POST", "clients", {"client": {"name": "Ansible automation " + identifier, "identifier": identifier,
                                                                 "kind": kind, "user_id": user_id}})["client"]
    harness.watch(client["secret"], f"secret of client {identifier}")
    return client


def credentials_env(client):
    """The controller environment of a run with client credentials (and no other credentials)."""
    return dict(NO_BEARER, ZENDESK_OAUTH_CLIENT_IDENTIFIER=client["identifier"], ZENDESK_OAUTH_CLIENT_SECRET=client["secret"])


def grants(harness):
    """Every token the grant issued since the reset (full values included)."""
    return harness.control.call("GET", "grants")["grants"]


def scan_session_tokens(harness, run):
    """Watch every session token issued so far and search the run's whole output for them too."""
    for grant in grants(harness):
        harness.watch(grant["full_token"], f"session token {grant['id']}")
    harness.assert_no_secrets(run)


def assert_opened(case):
    """zendesk_session opened a session: changed, one exchange and nothing else, hidden from display.

    A failure message describes the case without its session token (the harness hides only full_token).
    """
    safe = dataclasses.replace(case, result={k: "<redacted>" if k in ("session", "connection") else v for k, v in case.result.items()})
    assert case.status == "ok" and case.changed is True and not case.failed, safe.describe()
    assert case.calls() == ["POST " + GRANT_PATH], safe.describe()
    assert "censored" in case.shown and "session" not in case.shown and "connection" not in case.shown, safe.describe()


def assert_one_session(case):
    """The module run exchanged once and revoked that token at its end."""
    assert case.count("POST", GRANT_PATH) == 1 and case.count("DELETE", CURRENT_PATH) == 1, case.describe()
    assert case.calls()[0] == "POST " + GRANT_PATH and case.calls()[-1] == "DELETE " + CURRENT_PATH, case.describe()


def assert_no_session_calls(case):
    """The task used a shared session: no exchange, no revocation of its own."""
    assert case.count("POST", GRANT_PATH) == 0 and case.count("DELETE", CURRENT_PATH) == 0, case.describe()


def assert_no_live_session(harness, expected):
    """``expected`` grants were issued and none of them still authenticates."""
    issued = grants(harness)
    assert len(issued) == expected, [(g["id"], g["live"]) for g in issued]
    assert not [g["id"] for g in issued if g["live"]], "a session token is still live"


def test_modules_and_a_shared_session_with_client_credentials_from_env(harness):
    client = automation_client(harness)
    shared = "{{ case_3.connection }}"
    run = harness.play([
        Case("info", {"identifier": seed.MY_APP_CLIENT_IDENTIFIER}, module="info"),
        Case("mint", {"client_id": seed.MY_APP_CLIENT_ID, "scopes": ["read"], "recreate": "always"}),
        Case("check mode", {"client_id": seed.MY_APP_CLIENT_ID, "scopes": ["read"]}, check=True),
        Case("open", {"expires_in": 1800}, module="obscura.zendesk.zendesk_session"),
        Case("info in the session", {"identifier": seed.MY_APP_CLIENT_IDENTIFIER}, module="info", defaults=shared),
        Case("token in the session", {"client_id": seed.MY_APP_CLIENT_ID, "scopes": ["read"]}, defaults=shared),
        Case("close", {"state": "absent", "session_token": "{{ case_3.session.full_token }}"}, module="obscura.zendesk.zendesk_session"),
        Case("close again", {"state": "absent", "session_token": "{{ case_3.session.full_token }}"},
             module="obscura.zendesk.zendesk_session"),
        Case("after the close", {"identifier": seed.MY_APP_CLIENT_IDENTIFIER}, module="info", defaults=shared),
    ], env=credentials_env(client))
    scan_session_tokens(harness, run)

    assert_ok(run["info"], False)
    assert [c["identifier"] for c in run["info"].result["clients"]] == [seed.MY_APP_CLIENT_IDENTIFIER]
    assert_one_session(run["info"])
    assert_minted(run["mint"])
    assert run["mint"].token["user_id"] == seed.ADMIN_ID  # the session acts as the client's owner
    assert_one_session(run["mint"])
    assert_ok(run["check mode"], False)
    assert_one_session(run["check mode"])

    opened = run["open"]
    assert_opened(opened)
    session = opened.result["session"]
    assert session["scopes"] == ["read", "write"] and session["expires_in"] == 1800 and session["expires_at"].endswith("Z")
    assert opened.result["connection"]["oauth_token"] == session["full_token"]
    assert opened.result["connection"]["oauth_client_identifier"] == "" == opened.result["connection"]["oauth_client_secret"]
    for name in ("info in the session", "token in the session"):
        assert_ok(run[name], False)
        assert_no_session_calls(run[name])
    assert run["token in the session"].token["id"] == run["mint"].token["id"]
    assert_ok(run["close"], True)
    assert run["close"].calls() == ["DELETE " + CURRENT_PATH]
    assert_ok(run["close again"], False)
    assert_failed(run["after the close"], "HTTP 401", "credentials")
    assert_no_live_session(harness, 4)
    owner = {g["user_id"] for g in grants(harness)}
    assert owner == {seed.ADMIN_ID} and {g["client_id"] for g in grants(harness)} == {client["id"]}


def test_client_credentials_from_module_defaults(harness):
    client = automation_client(harness)
    credentials = {"oauth_client_identifier": client["identifier"], "oauth_client_secret": client["secret"]}
    merged = "{{ zendesk_api | combine(case_2.connection) }}"
    run = harness.play([
        Case("info", {"id": seed.MY_APP_CLIENT_ID}, module="info", defaults=credentials),
        Case("mint", {"client_id": seed.MY_APP_CLIENT_ID, "scopes": ["read", "write"], "recreate": "always"}, defaults=credentials),
        Case("open", {}, module="obscura.zendesk.zendesk_session", defaults=credentials),
        Case("mint in the session", {"client_id": seed.MY_APP_CLIENT_ID, "scopes": ["read"], "recreate": "always"},
             defaults=merged, task_vars={"zendesk_api": credentials}),
        Case("close", {"state": "absent", "session_token": "{{ case_2.session.full_token }}"}, module="obscura.zendesk.zendesk_session",
             defaults=credentials),
    ], env=NO_BEARER)
    scan_session_tokens(harness, run)
    assert_ok(run["info"], False)
    assert_one_session(run["info"])
    assert_minted(run["mint"])
    assert_one_session(run["mint"])
    assert_opened(run["open"])
    assert_minted(run["mint in the session"])
    assert_no_session_calls(run["mint in the session"])
    assert_ok(run["close"], True)
    assert run["close"].calls() == ["DELETE " + CURRENT_PATH]
    assert_no_live_session(harness, 3)


def test_other_credentials_pass_through_the_session_module(harness):
    run = harness.play([
        Case("open", {}, module="obscura.zendesk.zendesk_session"),
        Case("info", {"id": seed.MY_APP_CLIENT_ID}, module="info", defaults="{{ case_0.connection }}"),
        Case("close", {"state": "absent", "session_token": "{{ case_0.session.full_token | default('') }}"},
             module="obscura.zendesk.zendesk_session"),
    ])
    assert_ok(run["open"], False)
    assert run["open"].result["session"] == {} and run["open"].result["connection"] == {} and run["open"].requests == []
    assert "censored" not in run["open"].shown
    assert_ok(run["info"], False)
    assert_ok(run["close"], False)
    assert run["close"].requests == []
    assert not grants(harness)


def test_adhoc_with_client_credentials(harness):
    client = automation_client(harness)
    env = credentials_env(client)
    info = harness.adhoc("info", f"identifier={seed.MY_APP_CLIENT_IDENTIFIER}", env=env)
    mint = harness.adhoc("token", f"client_id={seed.MY_APP_CLIENT_ID} scopes=read recreate=always", env=env)
    for run in (info, mint):
        scan_session_tokens(harness, run)
        assert run.rc == 0, run.output[-3000:]
        case = next(iter(run.cases.values()))
        assert_one_session(case)
    assert "localhost | SUCCESS" in info.stdout and seed.MY_APP_CLIENT_IDENTIFIER in info.stdout
    assert "localhost | CHANGED" in mint.stdout and "censored" in mint.stdout
    assert next(iter(mint.cases.values())).count("POST", TOKENS_PATH) == 1
    assert_no_live_session(harness, 2)


def test_bad_client_credentials_fail_clearly(harness):
    client = automation_client(harness)
    public = automation_client(harness, kind="public", identifier="public_app")
    identifier, secret = client["identifier"], client["secret"]
    only_read = ("call", {"method": "POST", "path": "grants/allowed_scopes", "body": {"client_id": client["id"], "scopes": ["read"]}})
    run = harness.play([
        Case("identifier without secret", {"oauth_client_identifier": identifier}, module="info"),
        Case("secret without identifier", {"oauth_client_secret": secret}, module="info"),
        Case("client credentials and oauth_token", {"oauth_client_identifier": identifier, "oauth_client_secret": secret,
                                                    "oauth_token": seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN}, module="info"),
        Case("no scopes", {"oauth_client_identifier": identifier, "oauth_client_secret": secret, "oauth_client_scopes": []}, module="info"),
        Case("session expires_in too short", {"oauth_client_identifier": identifier, "oauth_client_secret": secret, "expires_in": 300},
             module="obscura.zendesk.zendesk_session"),
        Case("session expires_in too long", {"oauth_client_identifier": identifier, "oauth_client_secret": secret, "expires_in": 172800},
             module="obscura.zendesk.zendesk_session"),
        Case("wrong secret", {"oauth_client_identifier": identifier, "oauth_client_secret": "wrong-" + secret[6:]}, module="info"),
        Case("unknown identifier", {"oauth_client_identifier": "no_such_client", "oauth_client_secret": secret}, module="info"),
        Case("public client", {"oauth_client_identifier": "public_app", "oauth_client_secret": public["secret"]}, module="info"),
        Case("scope the client may not request", {"oauth_client_identifier": identifier, "oauth_client_secret": secret},
             module="info", setup=(only_read,)),
        Case("session with a scope the client may not request", {"oauth_client_identifier": identifier, "oauth_client_secret": secret},
             module="obscura.zendesk.zendesk_session"),
    ], env=NO_BEARER)
    scan_session_tokens(harness, run)
    no_call = {
        "identifier without secret": ["oauth_client_identifier (ZENDESK_OAUTH_CLIENT_IDENTIFIER) needs oauth_client_secret",
                                      "ZENDESK_OAUTH_CLIENT_SECRET"],
        "secret without identifier": ["oauth_client_secret (ZENDESK_OAUTH_CLIENT_SECRET) needs oauth_client_identifier", "Identifier"],
        "client credentials and oauth_token": ["exactly one", "oauth_token (ZENDESK_OAUTH_TOKEN)", "oauth_client_secret"],
        "no scopes": ["oauth_client_scopes", "at least one"],
        "session expires_in too short": ["expires_in", "more than 300"],
        "session expires_in too long": ["expires_in", "less than 172800"],
    }
    for name, phrases in no_call.items():
        assert_failed(run[name], *phrases)
        assert run[name].requests == [], run[name].describe()
    refused = {
        "wrong secret": ["HTTP 401", "invalid_client", "oauth_client_identifier", "oauth_client_secret"],
        "unknown identifier": ["HTTP 401", "invalid_client", "Identifier, not its numeric id"],
        "public client": ["HTTP 400", "unauthorized_client", "kind 'confidential'"],
        "scope the client may not request": ["HTTP 400", "invalid_scope", "oauth_client_scopes", "allowed scopes"],
        "session with a scope the client may not request": ["invalid_scope", "oauth_client_scopes"],
    }
    for name, phrases in refused.items():
        assert_failed(run[name], *phrases)
        assert run[name].calls() == ["POST " + GRANT_PATH], run[name].describe()
    assert not grants(harness)
    assert all(CLIENTS_PATH not in call for case in run.cases.values() for call in case.calls())


CRASHING_MODULE = '''#!/usr/bin/python
"""Test-only: a module of the collection's kind that opens its session, then dies of an uncaught exception."""
from ansible_collections.obscura.zendesk.plugins.module_utils._zendesk_module import ZendeskModule


def main():
    module = ZendeskModule(argument_spec={})
    module.api.get("/api/v2/users/me")
    raise RuntimeError("a bug after the session was opened")


if __name__ == "__main__":
    main()
'''


def test_a_run_that_dies_of_an_uncaught_exception_still_revokes_its_session(harness, tmp_path):
    client = automation_client(harness)
    library = tmp_path / "library"
    library.mkdir()
    (library / "zendesk_crash.py").write_text(CRASHING_MODULE, encoding="utf-8")
    run = harness.adhoc("zendesk_crash", "", env=dict(credentials_env(client), ANSIBLE_LIBRARY=str(library)))
    scan_session_tokens(harness, run)
    assert run.rc != 0 and "a bug after the session was opened" in run.output, run.output[-3000:]
    case = next(iter(run.cases.values()))
    assert case.calls() == ["POST " + GRANT_PATH, "GET /api/v2/users/me", "DELETE " + CURRENT_PATH], case.describe()
    assert_no_live_session(harness, 1)


# --- the run's own session token belongs to the run --------------------------------------------

MY_APP_ENV = dict(NO_BEARER, ZENDESK_OAUTH_CLIENT_IDENTIFIER=seed.MY_APP_CLIENT_IDENTIFIER,
                  ZENDESK_OAUTH_CLIENT_SECRET=seed.MY_APP_CLIENT_SECRET)
EXISTS_WARNING = "already exists and counts as present"


def parse_time(value):
    """A datetime from Zendesk's ISO 8601 text."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def session_ids(harness):
    """Ids of every token the grant issued (the runs' sessions, and grant mints)."""
    return {g["id"] for g in grants(harness)}


def test_client_credentials_session_is_not_an_existing_token_adhoc(harness):
    args = f'client_name="{seed.MY_APP_CLIENT_NAME}" scopes=read,write'
    check = harness.adhoc("token", args, env=MY_APP_ENV, check=True)
    mint = harness.adhoc("token", args, env=MY_APP_ENV)
    for run in (check, mint):
        scan_session_tokens(harness, run)
        assert run.rc == 0, run.output[-3000:]
        assert EXISTS_WARNING not in run.output and "localhost | CHANGED" in run.stdout, run.stdout[-3000:]
        assert_one_session(next(iter(run.cases.values())))
    assert next(iter(check.cases.values())).count("POST", TOKENS_PATH) == 0
    assert next(iter(mint.cases.values())).count("POST", TOKENS_PATH) == 1 and "censored" in mint.stdout
    live = harness.live_tokens()
    minted = [t for i, t in harness.tokens().items() if i in live and t["client_id"] == seed.MY_APP_CLIENT_ID]
    assert [(t["user_id"], sorted(t["scopes"])) for t in minted] == [(seed.ADMIN_ID, ["read", "write"])]
    assert_no_live_session(harness, 2)


def test_client_credentials_session_is_never_revoked_by_absent(harness):
    planted = harness.plant(scopes=("read", "write"))
    absent = {"state": "absent", "client_name": seed.MY_APP_CLIENT_NAME}
    run = harness.play([Case("absent, check mode", absent, check=True), Case("absent", absent), Case("absent again", absent)],
                       env=MY_APP_ENV)
    scan_session_tokens(harness, run)
    assert_ok(run["absent, check mode"], True)
    assert run["absent, check mode"].result["revoked"] == [planted["id"]]
    assert_ok(run["absent"], True)
    assert run["absent"].result["revoked"] == [planted["id"]]
    assert_ok(run["absent again"], False)
    assert run["absent again"].result["revoked"] == []
    for name in ("absent, check mode", "absent", "absent again"):
        assert_one_session(run[name])
        assert run[name].count("DELETE", CURRENT_PATH) == 1  # the run closes its own session, nothing else does
    assert planted["id"] not in harness.live_tokens()
    assert_no_live_session(harness, 3)


def test_client_credentials_session_is_never_listed_by_token_info(harness):
    planted = harness.plant(scopes=("read", "write"))
    run = harness.play([
        Case("mine", {"client_identifier": seed.MY_APP_CLIENT_IDENTIFIER}, module="token_info"),
        Case("everyone's", {"all_users": True}, module="token_info"),
    ], env=MY_APP_ENV)
    scan_session_tokens(harness, run)
    sessions = session_ids(harness)
    assert_ok(run["mine"], False)
    assert [t["id"] for t in run["mine"].result["tokens"]] == [planted["id"]]
    assert_ok(run["everyone's"], False)
    listed = {t["id"] for t in run["everyone's"].result["tokens"]}
    assert planted["id"] in listed and not listed & sessions
    assert run["everyone's"].result["summary"]["total"] == len(listed)


# --- zendesk_oauth_token source=client_credentials ----------------------------------------------

def test_client_credentials_source_mints_with_a_lifetime(harness):
    mint = {"client_identifier": seed.MY_APP_CLIENT_IDENTIFIER, "source": "client_credentials",
            "client_secret": seed.MY_APP_CLIENT_SECRET, "scopes": ["read", "write"], "lifetime": 3600}
    default = {"client_id": seed.MY_APP_CLIENT_ID, "source": "client_credentials", "client_secret": seed.MY_APP_CLIENT_SECRET,
               "recreate": "always"}
    run = harness.play([
        Case("mint", mint),
        Case("again", mint),
        Case("rotate, check mode", dict(mint, recreate="always"), check=True),
        Case("default lifetime, no scopes", default),
        Case("held", dict(mint, current_token="{{ case_0.token.full_token }}", renew_before=600)),
        Case("bad lifetime", dict(mint, lifetime=300)),
        Case("lifetime with tokens_api", {"client_id": seed.MY_APP_CLIENT_ID, "lifetime": 3600}),
        Case("no secret", {"client_id": seed.MY_APP_CLIENT_ID, "source": "client_credentials"}),
    ])
    scan_session_tokens(harness, run)
    issued = {g["id"]: g for g in grants(harness)}

    first = run["mint"]
    assert_minted(first, posts=0)
    assert first.count("POST", GRANT_PATH) == 1 and first.calls()[-1] == "GET " + CURRENT_PATH
    assert first.token["id"] in issued and first.token["expires_at"] == issued[first.token["id"]]["expires_at"]
    assert first.token["user_id"] == seed.ADMIN_ID and sorted(issued[first.token["id"]]["scopes"]) == ["read", "write"]
    assert_kept(run["again"], first.token["id"])
    assert_ok(run["rotate, check mode"], True)
    assert run["rotate, check mode"].token == {} and not run["rotate, check mode"].writes()

    other = run["default lifetime, no scopes"]
    assert_minted(other, posts=0)
    lived = (parse_time(other.token["expires_at"]) - parse_time(first.token["expires_at"])).total_seconds()
    assert 86400 - 3600 - 120 <= lived <= 86400 - 3600 + 120, lived

    assert_ok(run["held"], False)
    assert run["held"].result["current_token_valid"] is True and run["held"].token["id"] == first.token["id"]
    assert_failed(run["bad lifetime"], "lifetime", "301", "172799")
    assert_failed(run["lifetime with tokens_api"], "lifetime", "source=client_credentials")
    assert_failed(run["no secret"], "client_secret")
    for name in ("bad lifetime", "lifetime with tokens_api", "no secret"):
        assert run[name].requests == [], run[name].describe()
    assert {first.token["id"], other.token["id"]} <= harness.live_tokens()


def test_client_credentials_source_with_the_connections_own_client(harness):
    mint = {"client_identifier": seed.MY_APP_CLIENT_IDENTIFIER, "source": "client_credentials", "scopes": ["read", "write"]}
    run = harness.play([Case("mint", mint), Case("again", mint)], env=MY_APP_ENV)
    scan_session_tokens(harness, run)
    assert_minted(run["mint"], posts=0)
    assert run["mint"].count("POST", GRANT_PATH) == 2  # the run's session and the mint
    again = run["again"]
    assert_ok(again, False)
    assert again.token["id"] == run["mint"].token["id"] and "full_token" not in again.token
    assert again.count("POST", GRANT_PATH) == 1 and again.count("POST", TOKENS_PATH) == 0  # its session only
    issued = grants(harness)  # two sessions and the mint: only the mint is live
    assert len(issued) == 3 and {g["id"] for g in issued if g["live"]} == {run["mint"].token["id"]}

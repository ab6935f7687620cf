# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""zendesk_oauth_client_credentials against the simulator: which pair a fleet keeps, which slot's secret is
regenerated, what check mode and a given secret do; after each case, which secrets authenticate; every check's token
revoked at once; no secret in any output."""

from __future__ import annotations

import requests

from harness import CLIENTS_PATH, CURRENT_PATH, Case, assert_failed, assert_ok, assert_same_secret

MODULE = "obscura.zendesk.zendesk_oauth_client_credentials"
GRANT_PATH = "/oauth/tokens"
BLUE, GREEN = "app_blue", "app_green"
WRONG = "not-the-secret-0123456789abcdef0123456789abcdef"
IN_PLACE = "regenerated in place (one identifier)"
PLACEHOLDER = "(the secret a real run generates)"


def slot(harness, identifier, kind="confidential"):
    """A client of the simulator; its secret is watched. (identifier, secret, id)."""
    client = harness.control.add_client(identifier, kind=kind)
    harness.watch(client["secret"], "secret of client %s" % identifier)
    return client["identifier"], client["secret"], client["id"]


def works(harness, identifier, secret):
    """Whether the simulator grants a token for the pair now (the token is revoked at once)."""
    response = requests.post(harness.url + GRANT_PATH, timeout=30, json={
        "grant_type": "client_credentials", "client_id": identifier, "client_secret": secret, "expires_in": 301})
    if response.status_code == 401:
        return False
    assert response.status_code == 201, response.status_code
    revoked = requests.delete(harness.url + CURRENT_PATH, timeout=30,
                              headers={"Authorization": "Bearer " + response.json()["access_token"]})
    assert revoked.status_code == 204, revoked.status_code
    return True


def assert_works(harness, *pairs, broken=()):
    """Each of ``pairs`` authenticates, none of ``broken`` does (messages never show a secret)."""
    for identifier, secret in pairs:
        assert works(harness, identifier, secret), "a secret of %s should work" % identifier
    for identifier, secret in broken:
        assert not works(harness, identifier, secret), "a secret of %s should no longer work" % identifier


def assert_no_live_check_token(harness):
    """Every token the grant issued (the modules' checks and this test's) is revoked."""
    live = [grant["id"] for grant in harness.control.call("GET", "grants")["grants"] if grant["live"]]
    assert not live, "tokens of checks left live: %s" % live


def held(*pairs):
    """The module's held option."""
    return [{"identifier": identifier, "secret": secret} for identifier, secret in pairs]


def decision(name, identifiers, pairs=(), check=False, **more):
    """A case of the module."""
    return Case(name, dict(identifiers=list(identifiers), held=held(*pairs), **more), module=MODULE, check=check)


def play(harness, cases):
    """Run the cases; watch every secret they return and search the whole output for it again."""
    run = harness.play(cases)
    for case in run.cases.values():
        harness.watch(case.result.get("secret"), "secret returned to case %r" % case.name)
    harness.assert_no_secrets(run)
    return run


def assert_checks(case, exchanges, granted=None):
    """The case made ``exchanges`` exchanges (``granted`` of them, default all, got a token), each token revoked at once."""
    granted = exchanges if granted is None else granted
    assert case.count("POST", GRANT_PATH) == exchanges == case.result["validated"], case.describe()
    assert case.count("DELETE", CURRENT_PATH) == granted, case.describe()
    calls = case.calls()
    revocations = [index for index, call in enumerate(calls) if call == "DELETE " + CURRENT_PATH]
    assert all(calls[index - 1] == "POST " + GRANT_PATH for index in revocations), case.describe()


def regenerations(case):
    """How many generate_secret calls the case made."""
    return sum(1 for call in case.calls("PUT") if call.endswith("/generate_secret"))


def assert_decided(case, identifier, client_id, retire=None, regenerated=False):
    """The case chose ``identifier``; with a regeneration (not in check mode), the result is hidden and holds the secret."""
    assert_ok(case, regenerated)
    result = case.result
    assert (result["identifier"], result["client_id"], result["retire"], result["regenerated"]) == \
        (identifier, client_id, retire, regenerated), case.describe()
    if regenerated and "secret" in result:
        assert "censored" in case.shown and "secret" not in case.shown, case.describe()
    else:
        assert "censored" not in case.shown, case.describe()


def test_a_missing_or_public_client_fails_before_anything_changes(harness):
    blue = slot(harness, BLUE)
    public = slot(harness, "app_public", kind="public")
    run = play(harness, [
        decision("missing", [BLUE, "app_missing"], [blue[:2]], rotate=True),
        decision("public", [BLUE, "app_public"], [blue[:2], public[:2]], rotate=True),
        decision("missing, check mode", ["app_missing"], check=True),
    ])
    assert_failed(run["missing"], "OAuth client 'app_missing' (identifiers) does not exist in Zendesk",
                  "create it first with obscura.zendesk.zendesk_oauth_client (kind: confidential)", "docs/expiring-tokens.md")
    assert_failed(run["public"], "OAuth client 'app_public' (identifiers) is public", "need a confidential client",
                  "set kind: confidential")
    assert_failed(run["missing, check mode"], "'app_missing' (identifiers) does not exist")
    for case in run.cases.values():
        assert case.calls() == ["GET " + CLIENTS_PATH], case.describe()
    assert_works(harness, blue[:2])


def test_a_valid_held_pair_is_kept_with_one_exchange_per_distinct_pair(harness):
    blue, green = slot(harness, BLUE), slot(harness, GREEN)
    run = play(harness, [
        decision("two valid pairs", [BLUE, GREEN], [blue[:2], green[:2], green[:2]]),
        decision("one pair, many hosts", [BLUE, GREEN], [blue[:2]] * 3),
        decision("a valid and a wrong pair", [BLUE, GREEN], [(BLUE, WRONG), green[:2], (BLUE, WRONG)]),
        decision("other identifiers are ignored", [GREEN], [("app_other", WRONG), green[:2]]),
    ])
    assert_decided(run["two valid pairs"], GREEN, green[2], retire=BLUE)
    assert run["two valid pairs"].result["kept_index"] == 1
    assert_checks(run["two valid pairs"], 2)
    assert_decided(run["one pair, many hosts"], BLUE, blue[2])
    assert_checks(run["one pair, many hosts"], 1)
    assert_decided(run["a valid and a wrong pair"], GREEN, green[2])
    assert run["a valid and a wrong pair"].result["kept_index"] == 1
    assert_checks(run["a valid and a wrong pair"], 2, granted=1)  # the wrong pair got no token to revoke
    assert_decided(run["other identifiers are ignored"], GREEN, green[2])
    assert_checks(run["other identifiers are ignored"], 1)
    for case in run.cases.values():
        assert regenerations(case) == 0 and case.warnings == [], case.describe()
    assert_no_live_check_token(harness)
    assert_works(harness, blue[:2], green[:2])


def test_no_valid_pair_then_rotations_regenerate_the_slot_fewer_hosts_depend_on(harness):
    blue, green = slot(harness, BLUE), slot(harness, GREEN)
    run = play(harness, [
        decision("no valid pair", [BLUE, GREEN], [(BLUE, WRONG), (BLUE, WRONG)]),
        decision("rotate", [BLUE, GREEN], [(GREEN, "{{ case_0.secret }}")] * 2, rotate=True),
        decision("rotate, both slots held", [BLUE, GREEN],
                 [(BLUE, "{{ case_1.secret }}"), (GREEN, "{{ case_0.secret }}"), (GREEN, "{{ case_0.secret }}")], rotate=True),
    ])
    first, second, third = (run[name] for name in ("no valid pair", "rotate", "rotate, both slots held"))
    assert_decided(first, GREEN, green[2], retire=BLUE, regenerated=True)
    assert_checks(first, 1, granted=0)
    assert_decided(second, BLUE, blue[2], retire=GREEN, regenerated=True)
    assert_checks(second, 1)
    assert_decided(third, BLUE, blue[2], retire=GREEN, regenerated=True)
    assert_checks(third, 2)
    for case in (first, second, third):
        assert regenerations(case) == 1 and case.result["kept_index"] is None and case.warnings == [], case.describe()
        assert case.calls()[-1] == "PUT %s/%s/generate_secret" % (CLIENTS_PATH, case.result["client_id"]), case.describe()
    assert_no_live_check_token(harness)
    # the retired slots are the role's to regenerate: green's new secret still works, blue's has been replaced twice
    assert_works(harness, (GREEN, first.result["secret"]), (BLUE, third.result["secret"]),
                 broken=[green[:2], blue[:2], (BLUE, second.result["secret"])])


def test_one_identifier_regenerates_in_place_and_warns(harness):
    blue = slot(harness, BLUE)
    run = play(harness, [
        decision("one slot, check mode", [BLUE], [(BLUE, WRONG)], check=True),
        decision("one slot, nothing valid", [BLUE], [(BLUE, WRONG)]),
        decision("one slot, valid", [BLUE], [(BLUE, "{{ case_1.secret }}")]),
    ])
    would, done, kept = run["one slot, check mode"], run["one slot, nothing valid"], run["one slot, valid"]
    assert_decided(would, BLUE, blue[2], regenerated=True)
    assert regenerations(would) == 0 and "secret" not in would.result
    assert any("would be " + IN_PLACE in warning for warning in would.warnings), would.describe()
    assert_decided(done, BLUE, blue[2], regenerated=True)
    assert regenerations(done) == 1
    warnings = [warning for warning in done.warnings if IN_PLACE in warning]
    assert len(warnings) == 1 and "oauth client app_blue: the secret was " + IN_PLACE in warnings[0], done.describe()
    assert "every host fails to authenticate" in warnings[0] and "give two identifiers" in warnings[0]
    assert_decided(kept, BLUE, blue[2])
    assert_checks(kept, 1)
    assert_works(harness, (BLUE, done.result["secret"]), broken=[blue[:2]])


def test_a_given_secret_is_checked_and_deployed_as_it_is(harness):
    blue = slot(harness, BLUE)
    run = play(harness, [
        decision("given, valid", [BLUE], [(BLUE, WRONG)], secret=blue[1]),
        decision("given, held too", [BLUE], [blue[:2]], secret=blue[1]),
        decision("given, wrong", [BLUE], [blue[:2]], secret=WRONG),
        decision("given, check mode", [BLUE], secret=blue[1], check=True),
        decision("given with two slots", [BLUE, GREEN], secret=blue[1]),
    ])
    for name in ("given, valid", "given, held too", "given, check mode"):
        assert_decided(run[name], BLUE, blue[2])
        assert_checks(run[name], 1)
    assert run["given, valid"].result["kept_index"] is None and run["given, held too"].result["kept_index"] == 0
    assert_failed(run["given, wrong"], "Zendesk refused secret for OAuth client 'app_blue'", "leave secret out")
    assert run["given, wrong"].calls() == ["GET " + CLIENTS_PATH, "POST " + GRANT_PATH], run["given, wrong"].describe()
    assert_failed(run["given with two slots"], "secret", "exactly one entry in identifiers")
    assert run["given with two slots"].requests == []
    for case in run.cases.values():
        assert regenerations(case) == 0, case.describe()
    assert_no_live_check_token(harness)
    assert_works(harness, blue[:2])


def test_check_mode_regenerates_nothing(harness):
    blue, green = slot(harness, BLUE), slot(harness, GREEN)
    run = play(harness, [
        decision("new fleet", [BLUE, GREEN], check=True),
        decision("rotate", [BLUE, GREEN], [green[:2]], rotate=True, check=True),
        decision("keep", [BLUE, GREEN], [green[:2]], check=True),
    ])
    assert_decided(run["new fleet"], BLUE, blue[2], retire=GREEN, regenerated=True)
    assert_decided(run["rotate"], BLUE, blue[2], retire=GREEN, regenerated=True)
    assert_checks(run["rotate"], 1)
    assert_decided(run["keep"], GREEN, green[2])
    for case in run.cases.values():
        assert regenerations(case) == 0 and "secret" not in case.result, case.describe()
        assert not case.calls("PUT"), case.describe()
    assert_no_live_check_token(harness)
    assert_works(harness, blue[:2], green[:2])


class QuietCase(Case):
    """A case whose task is no_log (it sets facts that hold a secret)."""

    def task(self, register):
        return dict(super().task(register), no_log=True)


def registered_pair(identifier, secret):
    """What zendesk_token_file registers with keys [identifier, secret] (set here with set_fact)."""
    return {"held_values": {"identifier": identifier, "secret": secret}, "held": bool(secret)}


def test_the_role_fleet_option_hands_back_the_chosen_secret_hidden(harness):
    blue, green = slot(harness, BLUE), slot(harness, GREEN)
    fleet = {"read": "zd_read", "written": "zd_written"}
    facts = QuietCase("facts", {"zd_read": registered_pair(*green[:2])}, module="ansible.builtin.set_fact")
    wrong = QuietCase("wrong facts", {"zd_read": registered_pair(GREEN, WRONG)}, module="ansible.builtin.set_fact")
    run = play(harness, [
        facts,
        Case("kept", {"identifiers": [BLUE, GREEN], "_fleet": fleet}, module=MODULE),
        wrong,
        Case("regenerate, check mode", {"identifiers": [BLUE, GREEN], "_fleet": fleet}, module=MODULE, check=True),
        Case("regenerate", {"identifiers": [BLUE, GREEN], "_fleet": fleet}, module=MODULE),
        Case("given", {"identifiers": [GREEN], "secret": green[1], "_fleet": fleet}, module=MODULE),
    ])
    kept, would, done, given = (run[name] for name in ("kept", "regenerate, check mode", "regenerate", "given"))
    for case in (kept, would, done, given):
        assert "censored" in case.shown and "secret" not in case.shown, case.describe()
        assert case.result["lacking"] == [], case.describe()
    assert_ok(kept, False)
    assert kept.result["identifier"] == GREEN and kept.result["kept_index"] == 0
    assert_same_secret(kept.result["secret"], green[1], "the kept secret")
    assert_checks(kept, 1)
    assert_ok(would, True)
    assert would.result["identifier"] == BLUE and would.result["secret"] == PLACEHOLDER and regenerations(would) == 0
    assert_ok(done, True)
    assert done.result["identifier"] == BLUE and done.result["retire"] == GREEN and regenerations(done) == 1
    assert_ok(given, False)
    assert_same_secret(given.result["secret"], green[1], "the given secret")
    assert_no_live_check_token(harness)
    assert_works(harness, (BLUE, done.result["secret"]), green[:2], broken=[blue[:2]])

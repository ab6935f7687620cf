# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the client-credentials decision: the choice (pure), the input checks, and a decision against a small
fake Zendesk (HTTP mocked with responses) that counts exchanges and revocations."""

from __future__ import annotations

import itertools
import json
import re

import pytest
import responses

from ansible_collections.obscura.zendesk.plugins.module_utils._client_credentials import (
    Choice,
    Decision,
    choose,
    held_pairs,
    input_problems,
    kept_index,
    regeneration_slot,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._http import RetryPolicy, ZendeskApi, ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import OAuthProblem

BASE = "https://obscura.zendesk.com"
BLUE, GREEN = "app_blue", "app_green"
SLOTS = [BLUE, GREEN]
B1, B2 = (BLUE, "blue-secret-1" + "b" * 40), (BLUE, "blue-secret-2" + "b" * 40)
G1, G2 = (GREEN, "green-secret-1" + "g" * 40), (GREEN, "green-secret-2" + "g" * 40)


# --- the choice --------------------------------------------------------------------------------

@pytest.mark.parametrize("held,valid,expected", [
    # the valid pair the most hosts hold is kept
    ([B1, G1, G1], {B1, G1}, Choice(GREEN, G1, BLUE)),
    ([B1, B1, G1], {B1, G1}, Choice(BLUE, B1, GREEN)),
    # tie: the order of identifiers, whatever the order of the hosts
    ([G1, B1], {B1, G1}, Choice(BLUE, B1, GREEN)),
    # tie between two pairs of one identifier (cannot both be valid in Zendesk; decided by the first held)
    ([B2, B1], {B1, B2}, Choice(BLUE, B2, None)),
    # the other slot is retired only when some host holds a valid pair of it
    ([B1, G2, G2], {G2}, Choice(GREEN, G2, None)),
    ([G1], {G1}, Choice(GREEN, G1, None)),
    # a valid pair held by fewer hosts beats invalid ones held by more
    ([B1, B1, B1, G1], {G1}, Choice(GREEN, G1, None)),
])
def test_keep_the_valid_pair_held_by_the_most_hosts(held, valid, expected):
    assert choose(SLOTS, held, valid) == expected
    assert not expected.regenerate


@pytest.mark.parametrize("held,valid,rotate,expected", [
    # nothing held (a new fleet): the first slot, the other retired
    ([], set(), False, Choice(BLUE, None, GREEN)),
    # no valid pair: the slot no host holds
    ([B1, B1], set(), False, Choice(GREEN, None, BLUE)),
    ([G1], set(), False, Choice(BLUE, None, GREEN)),
    # a rotation: the slot no host holds, even though a valid pair is held
    ([B1, B1], {B1}, True, Choice(GREEN, None, BLUE)),
    ([G1], {G1}, True, Choice(BLUE, None, GREEN)),
    # both slots held: the one fewer hosts hold
    ([B1, B1, G1], set(), False, Choice(GREEN, None, BLUE)),
    ([B1, G1, G2], {G1}, True, Choice(BLUE, None, GREEN)),
    # both held by as many hosts: the slot of the valid pair (that would be kept) is spared
    ([B1, G1], {B1}, True, Choice(GREEN, None, BLUE)),
    ([B1, G1], {G1}, True, Choice(BLUE, None, GREEN)),
    # ... and without a valid pair, the second
    ([B1, G1], set(), False, Choice(GREEN, None, BLUE)),
])
def test_regenerate_a_slot_when_no_pair_serves_or_on_a_rotation(held, valid, rotate, expected):
    assert choose(SLOTS, held, valid, rotate) == expected
    assert expected.regenerate


@pytest.mark.parametrize("held,valid,rotate,expected", [
    ([B1], {B1}, False, Choice(BLUE, B1, None)),
    ([B1], {B1}, True, Choice(BLUE, None, None)),
    ([B1, B2], set(), False, Choice(BLUE, None, None)),
    ([], set(), False, Choice(BLUE, None, None)),
])
def test_one_identifier_regenerates_in_place_and_retires_nothing(held, valid, rotate, expected):
    assert choose([BLUE], held, valid, rotate) == expected


def test_regeneration_slot_with_one_identifier_is_that_identifier_even_when_it_is_kept():
    assert regeneration_slot([BLUE], [B1], kept=B1) == BLUE


def test_held_pairs_strip_and_drop_incomplete_entries_and_kept_index_counts_entries_as_given():
    held = [{"identifier": " %s " % BLUE, "secret": B1[1] + "\n"}, {"identifier": GREEN, "secret": ""},
            {"identifier": "", "secret": "x" * 20}, {"identifier": GREEN, "secret": G1[1]}]
    assert held_pairs(held) == [B1, G1]
    assert kept_index(held, G1) == 3 and kept_index(held, B1) == 0 and kept_index(held, G2) is None


# --- input ---------------------------------------------------------------------------------------

def params(**given):
    """The module's options: two slots, nothing held, unless ``given``."""
    return dict(dict(identifiers=list(SLOTS), held=[], secret=None, rotate=False), **given)


@pytest.mark.parametrize("given,phrases", [
    (dict(identifiers=[]), ["identifiers", "one or two", "got 0"]),
    (dict(identifiers=["a", "b", "c"]), ["identifiers", "one or two", "got 3"]),
    (dict(identifiers=["a", " "]), ["identifiers", "empty"]),
    (dict(identifiers=["a", "a"]), ["identifiers", "two different", "repeated"]),
    (dict(secret=G1[1]), ["secret", "exactly one entry in identifiers"]),
    (dict(identifiers=[BLUE], secret=" "), ["secret must not be empty", "leave secret out"]),
    (dict(identifiers=[BLUE], secret=B1[1], rotate=True), ["rotate", "secret", "remove one"]),
])
def test_input_problems_name_the_option_and_the_fix(given, phrases):
    message = " ".join(input_problems(params(**given)))
    assert all(phrase in message for phrase in phrases), message
    assert B1[1] not in message and G1[1] not in message


def test_good_input_has_no_problems():
    assert input_problems(params()) == []
    assert input_problems(params(identifiers=[BLUE], secret=B1[1])) == []


# --- a decision against a fake Zendesk -----------------------------------------------------------

class FakeZendesk:
    """Confidential or public OAuth clients with one secret each; the grant, tokens/current and generate_secret."""

    def __init__(self, secrets, kinds=None):
        self.secrets = dict(secrets)
        self.clients = [{"id": 100 + index, "identifier": identifier, "kind": (kinds or {}).get(identifier, "confidential")}
                        for index, identifier in enumerate(self.secrets)]
        self.tokens = {}
        self.counter = itertools.count(1)
        self.calls = []
        self.fail_grant = None
        self.fail_revoke = None

    def install(self):
        """Answer the API calls the decision makes."""
        responses.get(BASE + "/api/v2/oauth/clients", json={"clients": self.clients, "meta": {"has_more": False}})
        responses.add_callback(responses.POST, BASE + "/oauth/tokens", callback=self.grant)
        responses.add_callback(responses.DELETE, BASE + "/api/v2/oauth/tokens/current", callback=self.revoke)
        responses.add_callback(responses.PUT, re.compile(BASE + r"/api/v2/oauth/clients/\d+/generate_secret"), callback=self.generate)

    def grant(self, request):
        body = json.loads(request.body)
        self.calls.append(("grant", body["client_id"], body["expires_in"], "scope" in body))
        if self.fail_grant:
            return self.fail_grant
        if self.secrets.get(body["client_id"]) != body["client_secret"]:
            return 401, {}, json.dumps({"error": "invalid_client", "error_description": "Client authentication failed"})
        token = "token-%d-" % next(self.counter) + "t" * 40
        self.tokens[token] = "live"
        return 201, {}, json.dumps({"access_token": token, "token_type": "bearer", "expires_in": body["expires_in"]})

    def revoke(self, request):
        token = request.headers["Authorization"].split(" ", 1)[1]
        self.calls.append(("revoke",))
        if self.fail_revoke:
            return self.fail_revoke
        self.tokens[token] = "revoked"
        return 204, {}, ""

    def generate(self, request):
        client = next(c for c in self.clients if request.path_url.startswith("/api/v2/oauth/clients/%d/" % c["id"]))
        self.secrets[client["identifier"]] = "new-secret-%d-" % next(self.counter) + "n" * 40
        self.calls.append(("generate", client["identifier"]))
        return 200, {}, json.dumps({"client": dict(client, secret=self.secrets[client["identifier"]])})

    def client_id(self, identifier):
        return next(c["id"] for c in self.clients if c["identifier"] == identifier)

    def count(self, kind):
        return sum(1 for call in self.calls if call[0] == kind)


def decide(zendesk, check_mode=False, **given):
    """Run a Decision against ``zendesk``; (result, warnings)."""
    warnings = []
    api = ZendeskApi(BASE, ("bearer", "admin-token"), retry=RetryPolicy(retries=0))
    zendesk.install()
    result = Decision(api, params(**given), check_mode, warnings.append).run()
    return result, warnings


def held(*pairs):
    return [dict(identifier=identifier, secret=secret) for identifier, secret in pairs]


def assert_checks_left_no_token(zendesk):
    """Every exchange's token was revoked at once; checks ask no scope and live 301 seconds."""
    assert "live" not in zendesk.tokens.values()
    assert all(call[2:] == (301, False) for call in zendesk.calls if call[0] == "grant")


def assert_no_secret(zendesk, *texts):
    for secret in zendesk.secrets.values():
        assert all(secret not in text for text in texts)


@responses.activate
def test_a_valid_held_pair_is_kept_with_one_exchange_per_distinct_pair():
    zendesk = FakeZendesk({BLUE: B1[1], GREEN: G2[1]})
    result, warnings = decide(zendesk, held=held(B1, B1, G1, B1))
    assert result == dict(changed=False, identifier=BLUE, client_id=100, regenerated=False, retire=None, retire_client_id=None,
                          kept_index=0, validated=2, url=BASE)
    assert zendesk.count("grant") == 2 and zendesk.count("generate") == 0
    assert zendesk.count("revoke") == len(zendesk.tokens) == 1  # the refused pair got no token
    assert_checks_left_no_token(zendesk)
    assert warnings == []


@responses.activate
def test_pairs_of_other_identifiers_are_neither_checked_nor_counted():
    zendesk = FakeZendesk({BLUE: B1[1], GREEN: G1[1]})
    result, dummy = decide(zendesk, held=held(("other_app", "x" * 30), G1))
    assert result["identifier"] == GREEN and result["kept_index"] == 1 and result["validated"] == 1


@responses.activate
def test_a_finished_rotation_keeps_the_majority_and_retires_the_other_valid_slot():
    zendesk = FakeZendesk({BLUE: B1[1], GREEN: G1[1]})
    result, dummy = decide(zendesk, held=held(B1, G1, G1))
    assert (result["identifier"], result["retire"], result["retire_client_id"], result["kept_index"]) == (GREEN, BLUE, 100, 1)
    assert not result["changed"] and zendesk.count("generate") == 0


@responses.activate
def test_no_valid_pair_regenerates_the_slot_no_host_holds():
    zendesk = FakeZendesk({BLUE: B2[1], GREEN: G1[1]})
    result, warnings = decide(zendesk, held=held(B1, B1))
    assert result["changed"] is True and result["regenerated"] is True and result["identifier"] == GREEN
    assert result["secret"] == zendesk.secrets[GREEN] and result["kept_index"] is None
    assert (result["retire"], result["retire_client_id"], result["client_id"]) == (BLUE, 100, 101)
    assert zendesk.calls[-1] == ("generate", GREEN) and zendesk.count("generate") == 1
    assert warnings == [] and result["validated"] == 1
    assert_checks_left_no_token(zendesk)


@responses.activate
def test_rotate_regenerates_although_a_held_pair_is_valid():
    zendesk = FakeZendesk({BLUE: B1[1], GREEN: G1[1]})
    result, dummy = decide(zendesk, held=held(B1, B1), rotate=True)
    assert result["regenerated"] and result["identifier"] == GREEN and result["retire"] == BLUE
    assert zendesk.count("generate") == 1


@responses.activate
def test_one_identifier_regenerates_in_place_with_a_warning_without_secret():
    zendesk = FakeZendesk({BLUE: B2[1]})
    result, warnings = decide(zendesk, identifiers=[BLUE], held=held(B1))
    assert result["regenerated"] and result["identifier"] == BLUE and result["retire"] is None
    assert len(warnings) == 1 and "regenerated in place (one identifier)" in warnings[0] and "two identifiers" in warnings[0]
    assert BLUE in warnings[0]
    assert_no_secret(zendesk, *warnings)


@responses.activate
def test_check_mode_regenerates_nothing_and_returns_no_secret():
    zendesk = FakeZendesk({BLUE: B2[1]})
    result, warnings = decide(zendesk, check_mode=True, identifiers=[BLUE], held=held(B1))
    assert result["changed"] is True and result["regenerated"] is True and "secret" not in result
    assert zendesk.count("generate") == 0 and zendesk.secrets[BLUE] == B2[1]
    assert "would be regenerated in place" in warnings[0]
    assert_checks_left_no_token(zendesk)


@responses.activate
def test_check_mode_keeps_a_valid_pair_as_a_real_run_does():
    zendesk = FakeZendesk({BLUE: B1[1], GREEN: G1[1]})
    result, dummy = decide(zendesk, check_mode=True, held=held(G1))
    assert result["changed"] is False and result["identifier"] == GREEN and zendesk.count("generate") == 0


@responses.activate
@pytest.mark.parametrize("holders", [[], [B1], [B2]])
def test_a_valid_given_secret_is_kept_with_one_exchange(holders):
    zendesk = FakeZendesk({BLUE: B1[1]})
    result, warnings = decide(zendesk, identifiers=[BLUE], secret=" %s " % B1[1], held=held(*holders))
    assert result["changed"] is False and result["identifier"] == BLUE and result["retire"] is None
    assert result["kept_index"] == (0 if holders == [B1] else None)
    assert result["validated"] == 1 and zendesk.count("grant") == 1 and zendesk.count("generate") == 0
    assert_checks_left_no_token(zendesk)
    assert warnings == []


@responses.activate
def test_a_refused_given_secret_fails_naming_secret_and_regenerates_nothing():
    zendesk = FakeZendesk({BLUE: B1[1]})
    with pytest.raises(OAuthProblem) as failed:
        decide(zendesk, identifiers=[BLUE], secret=B2[1])
    assert "Zendesk refused secret for OAuth client %r" % BLUE in str(failed.value) and "leave secret out" in str(failed.value)
    assert zendesk.count("generate") == 0
    assert_no_secret(zendesk, str(failed.value))
    assert B2[1] not in str(failed.value)


@responses.activate
@pytest.mark.parametrize("kinds,secrets,phrases", [
    ({}, {BLUE: B1[1]}, ["OAuth client %r (identifiers) does not exist in Zendesk" % GREEN, "zendesk_oauth_client",
                         "kind: confidential", "docs/expiring-tokens.md"]),
    ({GREEN: "public"}, {BLUE: B1[1], GREEN: G1[1]}, ["OAuth client %r (identifiers) is public" % GREEN,
                                                      "need a confidential client", "set kind: confidential"]),
])
def test_a_missing_or_public_client_fails_before_any_exchange_or_change(kinds, secrets, phrases):
    zendesk = FakeZendesk(secrets, kinds)
    with pytest.raises(OAuthProblem) as failed:
        decide(zendesk, held=held(B1, G1), rotate=True)
    assert all(phrase in str(failed.value) for phrase in phrases), str(failed.value)
    assert zendesk.calls == []


@responses.activate
def test_both_problems_are_named_at_once():
    zendesk = FakeZendesk({BLUE: B1[1]}, {BLUE: "public"})
    with pytest.raises(OAuthProblem) as failed:
        decide(zendesk)
    assert "%r (identifiers) is public" % BLUE in str(failed.value) and "%r (identifiers) does not exist" % GREEN in str(failed.value)


@responses.activate
@pytest.mark.parametrize("status,body", [
    (400, {"error": "invalid_grant", "error_description": "bad grant"}),
    (400, {"error": "invalid_client", "error_description": "bad client"}),
    (401, {"error": "unauthorized", "error_description": "no"}),
])
def test_a_refusal_makes_a_pair_invalid(status, body):
    zendesk = FakeZendesk({BLUE: B1[1], GREEN: G1[1]})
    zendesk.fail_grant = (status, {}, json.dumps(body))
    result, dummy = decide(zendesk, held=held(B1))
    assert result["regenerated"] and result["identifier"] == GREEN


@responses.activate
@pytest.mark.parametrize("status,body", [
    (503, {"error": "ServiceUnavailable"}),
    (400, {"error": "invalid_request", "error_description": "expires_in"}),
    (403, {"error": "Forbidden"}),
])
def test_another_failure_of_a_check_fails_the_decision_without_regenerating(status, body):
    zendesk = FakeZendesk({BLUE: B1[1], GREEN: G1[1]})
    zendesk.fail_grant = (status, {}, json.dumps(body))
    with pytest.raises(ZendeskError) as failed:
        decide(zendesk, held=held(B1))
    assert failed.value.status == status and zendesk.count("generate") == 0
    assert B1[1] not in str(failed.value.summary())


@responses.activate
def test_a_failed_revocation_of_a_check_is_a_warning_without_any_value():
    zendesk = FakeZendesk({BLUE: B1[1], GREEN: G1[1]})
    zendesk.fail_revoke = (500, {}, json.dumps({"error": "InternalError"}))
    result, warnings = decide(zendesk, held=held(B1))
    assert result["identifier"] == BLUE and not result["changed"]
    assert len(warnings) == 1 and "Could not revoke the token of the check" in warnings[0] and "301 seconds" in warnings[0]
    assert_no_secret(zendesk, *warnings)
    assert all(token not in warnings[0] for token in zendesk.tokens)


@responses.activate
def test_a_regeneration_whose_answer_lacks_the_secret_fails_saying_so():
    zendesk = FakeZendesk({BLUE: B1[1], GREEN: G1[1]})
    responses.put(BASE + "/api/v2/oauth/clients/101/generate_secret", json={"client": {"id": 101, "identifier": GREEN, "secret": "abc..."}})
    with pytest.raises(OAuthProblem) as failed:
        decide(zendesk, held=held(B2))
    assert "did not return it in full" in str(failed.value) and "rotate: true" in str(failed.value)


def test_every_held_and_given_secret_is_redacted_from_the_apis_errors_at_once():
    api = ZendeskApi(BASE, ("bearer", "admin-token"), retry=RetryPolicy(retries=0))
    Decision(api, params(identifiers=[BLUE], secret=B2[1], held=held(B1, ("other_app", G1[1]), ("", G2[1]))), False, None)
    assert api.redact(" ".join((B1[1], B2[1], G1[1], G2[1]))) == " ".join(["********"] * 4)

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role obscura.zendesk.oauth_token with oauth_token_delivery=client_credentials on the fleet of test_role_fleet
(env, JSON, YAML and ini files that differ): two confidential clients take turns (blue/green).

After every run the test asserts which secrets work (an exchange with each, its token revoked at once), what each
host's file holds, and that no token of either client is left live (the role's checks revoke what they mint).
"""

from __future__ import annotations

import configparser
import json
import re

import requests
import yaml

from harness import CURRENT_PATH
from test_client_credentials import GRANT_PATH, automation_client
from test_role_fleet import FLEET, WRITE_TASK, assert_rest_of_files_kept, play_fleet, prepare, recap, writes

BLUE, GREEN = "app_blue", "app_green"
REGENERATE = "PUT /api/v2/oauth/clients/{id}/generate_secret"
EXCHANGES, CURRENT_REVOKES = "POST " + GRANT_PATH, "DELETE " + CURRENT_PATH
# Keys per host: the defaults of each format, and custom keys on the JSON host, which also gets the URL (in place of
# the one its file holds).
HOST_KEYS = {
    "web": ("ZENDESK_OAUTH_CLIENT_IDENTIFIER", "ZENDESK_OAUTH_CLIENT_SECRET"),
    "api": ("zendesk.client.id", "zendesk.client.secret"),
    "worker": ("zendesk.oauth_client_identifier", "zendesk.oauth_client_secret"),
    "legacy": ("zendesk.oauth_client_identifier", "zendesk.oauth_client_secret"),
}
HOSTS = {"api": {"oauth_token_identifier_key": "zendesk.client.id", "oauth_token_secret_key": "zendesk.client.secret",
                 "oauth_token_url_key": "zendesk.url"}}
TWO_CLIENTS = {"oauth_token_delivery": "client_credentials", "oauth_token_client_name": None,
               "oauth_token_client_identifiers": [BLUE, GREEN]}


def env_value(text, name):
    found = re.search(r"^(?:export\s+)?%s\s*=\s*(\S+)" % re.escape(name), text, re.MULTILINE)
    return found.group(1) if found else None


def mapping_value(data, dotted):
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def ini_value(text, dotted):
    section, key = dotted.split(".", 1)
    parser = configparser.ConfigParser(inline_comment_prefixes=(";",))
    parser.read_string(text)
    return parser.get(section, key, fallback=None)


READERS = {"web": env_value, "api": lambda text, key: mapping_value(json.loads(text), key),
           "worker": lambda text, key: mapping_value(yaml.safe_load(text), key), "legacy": ini_value}


def held_pairs(paths):
    """(identifier, secret) each host's file holds, read with a plain parser of its format."""
    pairs = {}
    for host, path in paths.items():
        text = path.read_text(encoding="utf-8")
        pairs[host] = tuple(READERS[host](text, key) for key in HOST_KEYS[host])
    return pairs


def the_pair(harness, paths):
    """The one pair every host holds; its secret is watched from now on."""
    pairs = set(held_pairs(paths).values())
    assert len(pairs) == 1, "every host holds the same pair: %s" % sorted(pair[0] for pair in pairs)
    pair = pairs.pop()
    assert pair[0] in (BLUE, GREEN) and pair[1], "the hosts hold a client of the play"
    harness.watch(pair[1], "the fleet's secret of %s" % pair[0])
    return pair


def secret_works(harness, identifier, secret):
    """Whether Zendesk exchanges the pair; the token it gives is revoked at once."""
    response = requests.post(harness.url + GRANT_PATH, timeout=30, json={
        "grant_type": "client_credentials", "client_id": identifier, "client_secret": secret, "expires_in": 301})
    if response.status_code not in (200, 201):
        assert response.status_code in (400, 401), response.text
        return False
    revoked = requests.delete(harness.url + CURRENT_PATH, timeout=30,
                              headers={"Authorization": "Bearer " + response.json()["access_token"]})
    assert revoked.status_code == 204, revoked.text
    return True


def assert_working(harness, working, broken):
    """Exactly the ``working`` pairs exchange; the ``broken`` ones are refused."""
    assert [secret_works(harness, *pair) for pair in working] == [True] * len(working), "a secret that should work fails"
    assert [secret_works(harness, *pair) for pair in broken] == [False] * len(broken), "a retired secret still works"


def assert_no_live_tokens(harness, clients):
    """The role's checks leave no token of the fleet's clients live."""
    ids = {client["id"] for client in clients}
    live = [t["id"] for t in harness.tokens().values() if t["client_id"] in ids and not t["revoked"] and not t["expired"]]
    assert live == [], live


def run_ok(harness, paths, role_vars=None, check=False, host_overrides=None):
    """A successful play of the delivery: (run, API calls, oauth_token_result by host); no secret in its output."""
    overrides = {host: dict(HOSTS.get(host, {}), **(host_overrides or {}).get(host, {})) for host in FLEET}
    run, calls, results = play_fleet(harness, paths, overrides, dict(TWO_CLIENTS, **(role_vars or {})), check=check)
    assert run.rc == 0, run.output[-4000:]
    harness.assert_no_secrets(run)
    assert sorted(results) == sorted(FLEET), results
    return run, calls, results


def two_clients(harness):
    """The blue and green clients, confidential, with their first secrets (watched)."""
    return automation_client(harness, identifier=BLUE), automation_client(harness, identifier=GREEN)


def test_two_clients_take_turns_and_a_rerun_changes_nothing(harness, tmp_path):
    blue, green = two_clients(harness)
    paths = prepare(tmp_path)
    before = {host: path.read_bytes() for host, path in paths.items()}

    run, calls, results = run_ok(harness, paths, check=True)
    assert not writes(calls) and not calls.get(EXCHANGES), calls
    assert {host: path.read_bytes() for host, path in paths.items()} == before, "--check changed a file"
    assert all(result["changed"] for result in results.values()), results
    assert_working(harness, [(BLUE, blue["secret"]), (GREEN, green["secret"])], [])

    run, calls, results = run_ok(harness, paths)
    assert calls.get(REGENERATE) == 2, calls
    first = the_pair(harness, paths)
    assert first[0] == BLUE, "with no pair held, the first client no host uses is taken"
    assert_working(harness, [first], [(BLUE, blue["secret"]), (GREEN, green["secret"])])
    assert_no_live_tokens(harness, (blue, green))
    assert_rest_of_files_kept(paths)
    assert json.loads(paths["api"].read_text(encoding="utf-8"))["zendesk"]["url"] == harness.url
    assert results == dict.fromkeys(FLEET, dict(delivery="client_credentials", token_id=None, expires_at=None,
                                                changed=True, minted=False, revoked=[])), results

    texts = {host: path.read_bytes() for host, path in paths.items()}
    run, calls, results = run_ok(harness, paths)
    assert all(counts["changed"] == 0 for counts in recap(run).values()), recap(run)
    assert calls.get(EXCHANGES) == 1 and calls.get(CURRENT_REVOKES) == 1 and not calls.get(REGENERATE), calls
    assert {host: path.read_bytes() for host, path in paths.items()} == texts, "a converged re-run rewrote a file"
    assert not any(result["changed"] for result in results.values()), results
    assert WRITE_TASK not in run.stdout, "every host holds the pair and URL settled: none reaches the write"
    assert_no_live_tokens(harness, (blue, green))

    moved = json.loads(paths["api"].read_text(encoding="utf-8"))
    moved["zendesk"]["url"] = "https://old-subdomain.zendesk.com"
    paths["api"].write_text(json.dumps(moved, indent=2) + "\n", encoding="utf-8")
    run, calls, results = run_ok(harness, paths)
    assert {host for host, result in results.items() if result["changed"]} == {"api"}, "only the host with another URL is written"
    assert WRITE_TASK in run.stdout, run.stdout[-4000:]
    assert json.loads(paths["api"].read_text(encoding="utf-8"))["zendesk"]["url"] == harness.url
    assert the_pair(harness, paths) == first and not calls.get(REGENERATE), calls

    run, calls, results = run_ok(harness, paths, {"oauth_token_rotate": True})
    second = the_pair(harness, paths)
    assert second[0] == GREEN and calls.get(REGENERATE) == 2, calls
    assert_working(harness, [second], [first])
    assert_no_live_tokens(harness, (blue, green))


def test_a_host_that_fails_during_a_rotation_keeps_the_old_secret_working(harness, tmp_path):
    blue, green = two_clients(harness)
    paths = prepare(tmp_path)
    run_ok(harness, paths)
    first = the_pair(harness, paths)

    failing = {"legacy": {"oauth_token_owner": "no-such-user-here"}}
    overrides = {host: dict(HOSTS.get(host, {}), **failing.get(host, {})) for host in FLEET}
    run, calls, _results = play_fleet(harness, paths, overrides, dict(TWO_CLIENTS, oauth_token_rotate=True))
    assert run.rc != 0 and recap(run)["legacy"]["failed"] == 1, run.output[-4000:]
    assert calls.get(REGENERATE) == 1, "only the idle client's secret is regenerated: %s" % calls
    pairs = held_pairs(paths)
    assert pairs["legacy"] == first, "the failing host keeps the old pair"
    new = pairs["web"]
    harness.watch(new[1], "the new secret")
    harness.assert_no_secrets(run)
    assert new[0] == GREEN and {pairs[host] for host in ("web", "api", "worker")} == {new}
    assert_working(harness, [first, new], [])

    run, calls, results = run_ok(harness, paths)
    assert the_pair(harness, paths) == new, "the pair most hosts hold is finished, not rotated again"
    assert calls.get(REGENERATE) == 1 and calls.get(EXCHANGES) == 2, calls
    assert_working(harness, [new], [first])
    assert [host for host, result in results.items() if result["changed"]] == ["legacy"], results
    assert_no_live_tokens(harness, (blue, green))


def test_one_client_rotates_in_place_with_a_warning(harness, tmp_path):
    blue = automation_client(harness, identifier=BLUE)
    paths = prepare(tmp_path)
    run, calls, _results = run_ok(harness, paths, {"oauth_token_client_identifiers": [BLUE]})
    assert calls.get(REGENERATE) == 1, calls
    pair = the_pair(harness, paths)
    assert "regenerated in place" in run.output and "two identifiers" in run.output, run.output[-4000:]
    assert_working(harness, [pair], [(BLUE, blue["secret"])])
    assert_no_live_tokens(harness, (blue,))


def test_a_given_secret_is_deployed_as_it_is_and_a_wrong_one_changes_nothing(harness, tmp_path):
    blue = automation_client(harness, identifier=BLUE)
    paths = prepare(tmp_path)
    before = {host: path.read_bytes() for host, path in paths.items()}
    wrong = "not-the-secret-of-blue-0123456789"
    harness.watch(wrong, "a wrong secret")
    one = {"oauth_token_client_identifiers": [BLUE]}
    overrides = {host: HOSTS.get(host, {}) for host in FLEET}
    run, calls, _results = play_fleet(harness, paths, overrides, dict(TWO_CLIENTS, oauth_token_client_secret=wrong, **one))
    assert run.rc != 0 and "secret" in run.stdout, run.output[-4000:]
    assert not calls.get(REGENERATE), calls
    assert {host: path.read_bytes() for host, path in paths.items()} == before, "a refused secret was written"
    harness.assert_no_secrets(run)

    run, calls, _results = run_ok(harness, paths, dict(one, oauth_token_client_secret=blue["secret"]))
    assert the_pair(harness, paths) == (BLUE, blue["secret"]) and not calls.get(REGENERATE), calls
    assert_working(harness, [(BLUE, blue["secret"])], [])
    assert_no_live_tokens(harness, (blue,))


def test_a_missing_or_public_client_fails_before_any_write(harness, tmp_path):
    blue = automation_client(harness, identifier=BLUE)
    automation_client(harness, identifier=GREEN, kind="public")
    paths = prepare(tmp_path)
    before = {host: path.read_bytes() for host, path in paths.items()}
    overrides = {host: HOSTS.get(host, {}) for host in FLEET}
    for identifiers, phrase in (([BLUE, "app_missing"], "app_missing"), ([BLUE, GREEN], GREEN)):
        run, calls, results = play_fleet(harness, paths, overrides, dict(TWO_CLIENTS, oauth_token_client_identifiers=identifiers))
        assert run.rc != 0 and phrase in run.stdout and "zendesk_oauth_client" in run.stdout, run.output[-4000:]
        assert not writes(calls), calls
        assert {host: path.read_bytes() for host, path in paths.items()} == before, "a refused play changed a file"
        assert results == {}, results
        harness.assert_no_secrets(run)
    assert_working(harness, [(BLUE, blue["secret"])], [])


def test_bad_variables_are_refused_before_any_call(harness, tmp_path):
    paths = prepare(tmp_path)
    overrides = {host: HOSTS.get(host, {}) for host in FLEET}
    run, calls, _results = play_fleet(harness, paths, overrides, dict(TWO_CLIENTS, oauth_token_client_identifiers=[]))
    assert run.rc != 0 and "needs oauth_token_client_identifiers" in run.stdout, run.output[-4000:]
    assert sum(calls.values()) == 0, calls
    assert_rest_of_files_kept(paths)

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of zendesk_oauth_client: create, no-op, one-field PUT, regenerate, check mode, absent, dest failure."""

from __future__ import annotations

import os
import stat

import pytest
import responses
from responses import matchers

from ansible_collections.obscura.zendesk.plugins.modules import zendesk_oauth_client

BASE = "https://obscura.zendesk.com"
CLIENTS = BASE + "/api/v2/oauth/clients"
TOKENS = BASE + "/api/v2/oauth/tokens"
SECRET = "newsecret0123456789abcdef0123456789abcdef0123456789abcdef012345"
CLIENT = {"id": 7, "name": "My app", "identifier": "my_app", "kind": "confidential", "company": None, "description": None,
          "redirect_uri": ["https://a.example/cb"], "user_id": 1, "global": False, "created_at": "t", "updated_at": "t",
          "url": CLIENTS + "/7.json", "secret": "newsecret0..."}
WANTED = {"identifier": "my_app", "name": "My app", "kind": "confidential", "redirect_uri": ["https://a.example/cb"]}


def listing(*clients):
    """One page of the client list."""
    responses.get(CLIENTS, json={"clients": list(clients), "meta": {"has_more": False}, "links": {"next": None}})


def writes():
    """The write requests made."""
    return [(c.request.method, c.request.path_url) for c in responses.calls if c.request.method != "GET"]


@pytest.fixture(name="run")
def run_fixture(run_module):
    return lambda args, **kwargs: run_module(zendesk_oauth_client.main, args, **kwargs)


@responses.activate
def test_create_returns_the_secret_once(run):
    listing()
    responses.post(CLIENTS, status=201, json={"client": dict(CLIENT, secret=SECRET)},
                   match=[matchers.json_params_matcher({"client": WANTED})])
    result = run(WANTED, diff=True)
    assert result["changed"] is True and result["client"]["secret"] == SECRET
    assert result["diff"] == {"before": {}, "after": dict(WANTED, description=None, company=None)}
    assert SECRET not in str(result["diff"])


@responses.activate
def test_nothing_differs_nothing_written(run):
    listing(CLIENT)
    result = run(dict(WANTED, redirect_uri=["https://a.example/cb", "https://a.example/cb"]))
    assert result["changed"] is False and not writes() and "secret" not in result["client"]


@responses.activate
def test_one_field_one_put_with_only_that_field(run):
    listing(CLIENT)
    responses.put(CLIENTS + "/7", json={"client": dict(CLIENT, company="Example")},
                  match=[matchers.json_params_matcher({"client": {"company": "Example"}}, strict_match=True)])
    result = run(dict(WANTED, company="Example"))
    assert result["changed"] is True and writes() == [("PUT", "/api/v2/oauth/clients/7")]
    assert result["client"]["company"] == "Example" and "secret" not in result["client"]


@responses.activate
def test_check_mode_predicts_the_update(run):
    listing(CLIENT)
    result = run(dict(WANTED, company="Example"), check_mode=True)
    assert result["changed"] is True and not writes() and result["client"]["company"] == "Example"
    assert result["diff"]["before"]["company"] is None and result["diff"]["after"]["company"] == "Example"


@responses.activate
def test_regenerate_writes_dest(run, tmp_path):
    listing(CLIENT)
    responses.put(CLIENTS + "/7/generate_secret", json={"client": dict(CLIENT, secret=SECRET)})
    dest = str(tmp_path / "secret")
    result = run({"identifier": "my_app", "regenerate_secret": True, "dest": dest})
    assert result["changed"] is True and result["client"]["secret"] == SECRET
    with open(dest, encoding="utf-8") as handle:
        assert handle.read() == SECRET + "\n"
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert SECRET not in str(result["diff"])


@responses.activate
def test_a_secret_that_cannot_be_written_is_reported_without_it(run, tmp_path):
    listing()
    responses.post(CLIENTS, status=201, json={"client": dict(CLIENT, secret=SECRET)})
    result = run(dict(WANTED, dest=str(tmp_path / "missing" / "secret")))
    assert result["failed"] is True and result["changed"] is True
    assert "was created in Zendesk" in result["msg"] and "not delivered" in result["msg"]
    assert SECRET not in str(result)


@responses.activate
def test_a_shortened_secret_on_create_is_an_error(run):
    listing()
    responses.post(CLIENTS, status=201, json={"client": CLIENT})
    result = run(WANTED)
    assert result["failed"] is True and "did not return its secret in full" in result["msg"]
    assert "regenerate_secret: true" in result["msg"]


@responses.activate
def test_absent_counts_tokens_and_deletes(run):
    listing(CLIENT)
    responses.get(TOKENS, json={"tokens": [{"id": 1}, {"id": 2}], "meta": {"has_more": False}},
                  match=[matchers.query_param_matcher({"all": "true", "client_id": "7", "page[size]": "100"})])
    responses.delete(CLIENTS + "/7", status=204)
    result = run({"identifier": "my_app", "state": "absent"})
    assert result["changed"] is True and result["tokens_revoked"] == 2 and result["diff"]["before"]["tokens"] == 2
    assert writes() == [("DELETE", "/api/v2/oauth/clients/7")]


@responses.activate
def test_absent_in_check_mode_only_counts(run):
    listing(CLIENT)
    responses.get(TOKENS, json={"tokens": [{"id": 1}], "meta": {"has_more": False}})
    result = run({"identifier": "my_app", "state": "absent"}, check_mode=True)
    assert result["changed"] is True and result["tokens_revoked"] == 1 and not writes()


@responses.activate
def test_absent_when_gone(run):
    listing()
    result = run({"identifier": "my_app", "state": "absent"})
    assert result["changed"] is False and result["tokens_revoked"] == 0 and not writes()


@responses.activate
def test_create_needs_a_name(run):
    listing()
    result = run({"identifier": "my_app"})
    assert result["failed"] is True and "needs name" in result["msg"] and not writes()


@responses.activate
def test_api_errors_are_explained(run):
    listing()
    responses.post(CLIENTS, status=422, json={"error": "RecordInvalid", "description": "Record validation errors",
                                              "details": {"identifier": [{"description": "Identifier: has already been taken"}]}})
    result = run(WANTED)
    assert result["failed"] is True and "identifier: Identifier: has already been taken" in result["msg"]
    assert result["status"] == 422

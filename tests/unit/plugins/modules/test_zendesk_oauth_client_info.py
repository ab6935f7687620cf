# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of zendesk_oauth_client_info: filters, one GET by id, no match, no secret, errors, check mode."""

from __future__ import annotations

import pytest
import responses

from ansible_collections.obscura.zendesk.plugins.modules import zendesk_oauth_client_info

BASE = "https://obscura.zendesk.com"
CLIENTS = BASE + "/api/v2/oauth/clients"
SECRET = "clientsecret0123456789abcdef0123456789abcdef0123456789abcdef01"
PUBLIC = ("id", "name", "identifier", "kind", "company", "description", "redirect_uri", "user_id", "global",
          "created_at", "updated_at", "url")


def client(number, name="App", **fields):
    """A client as Zendesk lists it, with its secret (as create and generate_secret answers carry it)."""
    return dict({"id": number, "name": name, "identifier": "app_%d" % number, "kind": "confidential", "company": None,
                 "description": None, "redirect_uri": [], "user_id": 1, "global": False, "created_at": "2026-01-01T00:00:00Z",
                 "updated_at": "2026-01-01T00:00:00Z", "url": "%s/%d" % (CLIENTS, number), "secret": SECRET}, **fields)


def pages(*pages_of_clients):
    """Cursor pages of the client list, each pointing at the next."""
    for index, clients in enumerate(pages_of_clients):
        has_more = index + 1 < len(pages_of_clients)
        after = "%s?page%%5Bafter%%5D=c%d&page%%5Bsize%%5D=100" % (CLIENTS, index + 1)
        responses.get(CLIENTS, json={"clients": list(clients), "meta": {"has_more": has_more},
                                     "links": {"next": after if has_more else None}})


def gets():
    """The paths read, in order."""
    return [call.request.path_url for call in responses.calls]


@pytest.fixture(name="run")
def run_fixture(run_module):
    return lambda args, **kwargs: run_module(zendesk_oauth_client_info.main, args, **kwargs)


@responses.activate
def test_no_filter_lists_every_client_of_every_page_without_a_secret(run):
    pages([client(1), client(2)], [client(3)])
    result = run({})
    assert not result["failed"] and result["changed"] is False
    assert [c["id"] for c in result["clients"]] == [1, 2, 3]
    assert all(set(c) == set(PUBLIC) for c in result["clients"])
    assert SECRET not in str(result)
    assert len(gets()) == 2


@responses.activate
def test_identifier_stops_reading_at_the_page_that_holds_it(run):
    pages([client(1), client(2)], [client(3)])
    result = run({"identifier": "app_2"})
    assert [c["id"] for c in result["clients"]] == [2]
    assert len(gets()) == 1


@responses.activate
def test_name_returns_every_client_of_that_name(run):
    pages([client(1, "Twin"), client(2, "Other")], [client(3, "Twin")])
    result = run({"name": "Twin"})
    assert [c["id"] for c in result["clients"]] == [1, 3]


@responses.activate
def test_id_is_one_direct_get_and_other_filters_still_apply(run):
    responses.get(CLIENTS + "/5", json={"client": client(5, "Five")})
    assert [c["id"] for c in run({"id": 5})["clients"]] == [5]
    assert run({"id": 5, "name": "Not five"})["clients"] == []
    assert gets() == ["/api/v2/oauth/clients/5", "/api/v2/oauth/clients/5"]


@responses.activate
def test_no_match_is_an_empty_list_not_a_failure(run):
    responses.get(CLIENTS + "/9", status=404, json={"error": "RecordNotFound", "description": "Not found"})
    pages([client(1)])
    assert run({"id": 9}) == {"changed": False, "clients": [], "failed": False}
    assert run({"identifier": "nope"})["clients"] == []


@responses.activate
def test_check_mode_reads_as_usual(run):
    pages([client(1)])
    result = run({}, check_mode=True)
    assert not result["failed"] and [c["id"] for c in result["clients"]] == [1]


@responses.activate
def test_a_refusal_fails_with_advice_and_no_secret(run):
    responses.get(CLIENTS, status=403, json={"error": "Forbidden", "description": "You do not have access to this page."})
    result = run({})
    assert result["failed"] and result["status"] == 403
    assert result["msg"].startswith("Could not read the OAuth clients.")
    assert "admin" in result["msg"]
    assert "admin-oauth-token" not in str(result)

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""zendesk_oauth_client_info through ansible-playbook: every filter, paging, no match, check mode."""

from __future__ import annotations

from harness import CLIENT_FIELDS, CLIENTS_PATH, Case, assert_no_writes, assert_ok

from zendesk_simulator import seed

SEEDED = 250  # with the 2 seed clients: 252 clients, 3 pages of 100


def info(title, check=False, **filters):
    """A client_info case."""
    return Case(title, filters, module="info", check=check)


ID_CASES = [
    info("by id", id=seed.MY_APP_CLIENT_ID),
    info("by unknown id", id=424242),
    info("by id and another identifier", id=seed.MY_APP_CLIENT_ID, identifier="seeded_00001"),
]
PAGED_CASES = [
    info("every client"),
    info("by identifier on page 1", identifier=seed.MY_APP_CLIENT_IDENTIFIER),
    info("by identifier on page 2", identifier="seeded_00150"),
    info("by unknown identifier", identifier="no_such_client"),
    info("by name on page 3", name="Seeded client 00250"),
    info("by name on page 1", name=seed.MY_APP_CLIENT_NAME),
    info("by unknown name", name="No such client"),
    info("by identifier and name", identifier=seed.MY_APP_CLIENT_IDENTIFIER, name=seed.MY_APP_CLIENT_NAME),
    info("by name in check mode", check=True, name="Seeded client 00001"),
]


def list_pages(case):
    """The list requests a case made, checking each asks for cursor pages of 100."""
    pages = [r for r in case.requests if r["path"] == CLIENTS_PATH]
    assert pages and pages[0]["query"].get("page[size]") == ["100"], case.describe()
    assert all("page[after]" in r["query"] for r in pages[1:]), case.describe()
    return len(pages)


def test_client_info_filters_and_paging(harness):
    """Each list filter returns the right clients, never a secret, and reads only the pages it needs."""
    harness.control.seed_clients(SEEDED)
    run = harness.play(PAGED_CASES)
    for case in run.cases.values():
        assert_ok(case, False)
        assert_no_writes(case)
        assert all(set(client) == CLIENT_FIELDS for client in case.result["clients"]), case.describe()
        assert all(r["method"] == "GET" and r["status"] in (200, 404) for r in case.requests), case.describe()
    expected = {  # case: (identifiers returned, list pages read)
        "every client": (None, 3),
        "by unknown identifier": ([], 3),
        "by identifier on page 1": ([seed.MY_APP_CLIENT_IDENTIFIER], 1),
        "by identifier on page 2": (["seeded_00150"], 2),
        "by name on page 3": (["seeded_00250"], 3),
        "by name on page 1": ([seed.MY_APP_CLIENT_IDENTIFIER], 3),
        "by unknown name": ([], 3),
        "by identifier and name": ([seed.MY_APP_CLIENT_IDENTIFIER], 1),
        "by name in check mode": (["seeded_00001"], 3),
    }
    for name, (identifiers, pages) in expected.items():
        case = run[name]
        if identifiers is not None:
            assert [c["identifier"] for c in case.result["clients"]] == identifiers, case.describe()
        assert list_pages(case) == pages, case.describe()
    every = run["every client"].result["clients"]
    assert len(every) == SEEDED + 2 and len({c["id"] for c in every}) == SEEDED + 2
    assert "secret" not in run.output


def test_client_info_by_id_is_one_direct_get(harness):
    """id reads the client directly (one GET, no list); an unknown id or a contradicting filter gives []."""
    run = harness.play(ID_CASES)
    by_id = run["by id"]
    assert by_id.calls() == ["GET %s/%d" % (CLIENTS_PATH, seed.MY_APP_CLIENT_ID)], by_id.describe()
    client = by_id.result["clients"][0]
    assert (client["id"], client["name"], client["identifier"]) == (seed.MY_APP_CLIENT_ID, seed.MY_APP_CLIENT_NAME,
                                                                    seed.MY_APP_CLIENT_IDENTIFIER)
    assert client["kind"] == "confidential" and client["user_id"] == seed.ADMIN_ID
    for name in ("by unknown id", "by id and another identifier"):
        assert_ok(run[name], False)
        assert run[name].result["clients"] == [], run[name].describe()
        assert len(run[name].requests) == 1, run[name].describe()


def test_client_info_identifier_stops_at_its_client_even_when_the_name_differs(harness):
    """Identifiers are unique: once the identifier's client is read, no later page can match."""
    harness.control.seed_clients(SEEDED)
    case = harness.play([info("mismatch", identifier=seed.MY_APP_CLIENT_IDENTIFIER, name="Seeded client 00001")])["mismatch"]
    assert_ok(case, False)
    assert case.result["clients"] == [], case.describe()
    assert list_pages(case) == 1, case.describe()

"""Cursor and offset pagination on the list endpoints."""

import urllib.parse

import pytest

from zendesk_simulator import seed
from zendesk_simulator.pagination import encode_cursor

from conftest import ADMIN_PASSWORD


def follow_cursor_pages(api, path, size):
    """Walk `links.next` while `meta.has_more`; return the pages' bodies."""
    pages = [api.get(path, auth=ADMIN_PASSWORD, params={"page[size]": size}).json()]
    while pages[-1]["meta"]["has_more"]:
        pages.append(api.session.get(pages[-1]["links"]["next"], auth=ADMIN_PASSWORD, timeout=10).json())
    return pages


def test_cursor_pages_cover_every_client_once(api, sim):
    sim.seed_clients(248)
    pages = follow_cursor_pages(api, "/api/v2/oauth/clients", 100)
    ids = [client["id"] for page in pages for client in page["clients"]]
    assert len(pages) == 3 and [len(page["clients"]) for page in pages] == [100, 100, 50]
    assert ids == sorted(set(ids)) and len(ids) == 250
    assert pages[-1]["meta"]["has_more"] is False
    assert pages[0]["links"]["next"].startswith(f"{api.url}/api/v2/oauth/clients?")


def test_seeded_clients_are_named_in_order(api, sim):
    sim.seed_clients(2)
    clients = api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD).json()["clients"]
    assert [(client["name"], client["identifier"]) for client in clients[2:]] == [
        ("Seeded client 00001", "seeded_00001"), ("Seeded client 00002", "seeded_00002")]


def test_cursor_links_keep_filters(api, sim):
    for _attempt in range(3):
        sim.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID)
    body = api.get("/api/v2/oauth/tokens", auth=ADMIN_PASSWORD, params={"page[size]": 2, "client_id": 2}).json()
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(body["links"]["next"]).query)
    assert query["client_id"] == ["2"] and query["page[size]"] == ["2"] and query["page[after]"] == [body["meta"]["after_cursor"]]
    second = api.session.get(body["links"]["next"], auth=ADMIN_PASSWORD, timeout=10).json()
    assert len(second["tokens"]) == 1 and second["meta"]["has_more"] is False


def test_page_before_walks_backwards(api, sim):
    sim.seed_clients(8)
    last = api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params={"page[size]": 4, "page[after]": first_page_after(api, 4)}).json()
    previous = api.session.get(last["links"]["prev"], auth=ADMIN_PASSWORD, timeout=10).json()
    assert [client["id"] for client in previous["clients"]] == [1, 2, 3, 4]
    assert previous["meta"]["has_more"] is False


def first_page_after(api, size):
    """The after-cursor of the first page of clients."""
    return api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params={"page[size]": size}).json()["meta"]["after_cursor"]


def test_empty_page_has_no_cursors(api):
    body = api.get("/api/v2/oauth/tokens", auth=(seed.email_of("admin2"), seed.password_of("admin2")), params={"page[size]": 10}).json()
    assert body == {"tokens": [], "meta": {"has_more": False, "after_cursor": None, "before_cursor": None},
                    "links": {"next": None, "prev": None}}


@pytest.mark.parametrize("params", [{"page[size]": 101}, {"page[size]": 0}, {"page[size]": "x"}, {"page[after]": "%%%"},
                                    {"page[after]": "Zm9vOmJhcg"}])
def test_bad_cursor_parameters_are_400(api, params):
    response = api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params=params)
    assert (response.status_code, response.json()["error"]) == (400, "InvalidPaginationParameter")


def test_offset_pagination_without_page_size(api, sim):
    sim.seed_clients(148)
    first = api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params={"per_page": 100}).json()
    assert (len(first["clients"]), first["count"], first["previous_page"]) == (100, 150, None)
    assert "meta" not in first and "links" not in first
    second = api.session.get(first["next_page"], auth=ADMIN_PASSWORD, timeout=10).json()
    assert len(second["clients"]) == 50 and second["next_page"] is None
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(second["previous_page"]).query)["page"] == ["1"]


def test_offset_defaults_and_caps_per_page_at_100(api, sim):
    sim.seed_clients(150)
    assert len(api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD).json()["clients"]) == 100
    assert len(api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params={"per_page": 500}).json()["clients"]) == 100


def test_offset_past_10000_records_is_400(api, sim):
    sim.seed_clients(10050)
    assert api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params={"page": 100, "per_page": 100}).status_code == 200
    response = api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params={"page": 101, "per_page": 100})
    assert (response.status_code, response.json()["error"]) == (400, "InvalidPaginationParameter")
    cursor = api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params={"page[size]": 100, "page[after]": encode_cursor(10000)})
    assert len(cursor.json()["clients"]) == 52


@pytest.mark.parametrize("params", [{"page": 0}, {"page": "x"}, {"per_page": 0}])
def test_bad_offset_parameters_are_400(api, params):
    assert api.get("/api/v2/oauth/clients", auth=ADMIN_PASSWORD, params=params).status_code == 400

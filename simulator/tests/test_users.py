"""Users: show_many, suspending, deleting and downgrading owners, planting many users and tokens."""

import pytest

from zendesk_simulator import seed

from conftest import ADMIN_BEARER, AGENT_BEARER, END_USER_PASSWORD, create_token

USER_KEYS = {"id", "url", "name", "email", "role", "active", "suspended", "verified", "time_zone", "locale",
             "created_at", "updated_at"}


def show_many(api, ids, token=ADMIN_BEARER, **params):
    """GET /api/v2/users/show_many with ids (a list or a raw string)."""
    text = ids if isinstance(ids, str) else ",".join(str(i) for i in ids)
    return api.get("/api/v2/users/show_many", token=token, params={"ids": text, **params})


def test_show_many_returns_the_users_asked_for(api):
    response = show_many(api, [seed.AGENT_ID, seed.ADMIN_ID, 999999, seed.AGENT_ID])
    assert response.status_code == 200, response.text
    users = response.json()["users"]
    assert [u["id"] for u in users] == [seed.AGENT_ID, seed.ADMIN_ID]  # unknown ids are skipped, repeats once
    assert all(set(u) == USER_KEYS for u in users)
    assert users[0]["role"] == "agent" and users[0]["active"] is True and users[0]["suspended"] is False


def test_show_many_is_for_agents(api):
    assert show_many(api, [seed.ADMIN_ID], token=AGENT_BEARER).status_code == 200
    response = api.get("/api/v2/users/show_many", auth=END_USER_PASSWORD, params={"ids": str(seed.ADMIN_ID)})
    assert response.status_code == 403


@pytest.mark.parametrize("ids", ["", "1,abc", ",".join(str(i) for i in range(1, 102))])
def test_show_many_rejects_bad_ids(api, ids):
    response = show_many(api, ids)
    assert response.status_code == 400 and response.json()["error"] == "InvalidParameter"


def test_show_many_accepts_100_ids(api):
    assert show_many(api, list(range(1000, 1100))).status_code == 200


def test_deleted_users_need_include_deleted(api, sim):
    sim.change_user(seed.AGENT_ID, active=False)
    assert show_many(api, [seed.AGENT_ID]).json()["users"] == []
    users = show_many(api, [seed.AGENT_ID], include_deleted="true").json()["users"]
    assert [(u["id"], u["active"]) for u in users] == [(seed.AGENT_ID, False)]


def test_suspending_or_deleting_the_owner_stops_its_tokens(api, sim):
    token = sim.plant_token(seed.ADMIN2_ID, seed.MY_APP_CLIENT_ID, ["read"])["full_token"]
    assert api.get("/api/v2/users/me", token=token).status_code == 200
    sim.change_user(seed.ADMIN2_ID, suspended=True)
    assert api.get("/api/v2/users/me", token=token).status_code == 401
    sim.change_user(seed.ADMIN2_ID, suspended=False, active=False)
    assert api.get("/api/v2/users/me", token=token).status_code == 401
    sim.change_user(seed.ADMIN2_ID, active=True)
    assert api.get("/api/v2/users/me", token=token).status_code == 200


def test_a_downgraded_owner_keeps_its_tokens_but_loses_admin_endpoints(api, sim):
    token = create_token(api, scopes=["read", "write"])["full_token"]
    assert api.get("/api/v2/oauth/tokens", token=token).status_code == 200
    shown = sim.change_user(seed.ADMIN_ID, role="agent")
    assert shown["role"] == "agent"
    assert api.get("/api/v2/users/me", token=token).status_code == 200
    assert api.get("/api/v2/oauth/tokens", token=token).status_code == 403


@pytest.mark.parametrize("changes", [{"role": "owner"}, {"suspended": "yes"}, {"email": "x@example.com"}])
def test_change_user_rejects_bad_changes(sim, changes):
    with pytest.raises(Exception, match="400"):
        sim.change_user(seed.AGENT_ID, **changes)


def test_change_unknown_user_is_404(sim):
    with pytest.raises(Exception, match="404"):
        sim.change_user(424242, suspended=True)


def test_add_users_and_plant_many_tokens(api, sim):
    ids = sim.add_users(50, role="admin")
    assert len(ids) == 50 and ids[0] == max(seed.USER_ROWS)[0] + 1
    token_ids = sim.plant_tokens(1000, ids, seed.MY_APP_CLIENT_ID, ["read"])
    assert len(token_ids) == 1000
    state = sim.state()
    owners = {t["user_id"] for t in state["tokens"] if t["id"] in set(token_ids)}
    assert owners == set(ids)
    assert {u["id"]: u["role"] for u in state["users"]}[ids[0]] == "admin"
    listed = api.get("/api/v2/oauth/tokens", token=ADMIN_BEARER, params={"all": "true", "page[size]": "100"}).json()
    assert len(listed["tokens"]) == 100 and listed["meta"]["has_more"] is True
    assert "full_token" not in str(listed)


def test_planted_users_sign_in_with_the_seed_pattern(api, sim):
    user_id = sim.add_users(1)[0]
    local = f"planted-{user_id}"
    response = api.get("/api/v2/users/me", auth=(seed.email_of(local), seed.password_of(local)))
    assert response.json()["user"]["id"] == user_id


def test_plant_tokens_refuses_unknown_users(sim):
    with pytest.raises(Exception, match="400"):
        sim.plant_tokens(2, [424242], seed.MY_APP_CLIENT_ID)


def test_used_at_moves_with_each_use(api, sim):
    sim.set_clock("2026-12-01T10:00:00Z")
    planted = sim.plant_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID, ["read"])
    assert planted["used_at"] is None
    api.get("/api/v2/users/me", token=planted["full_token"])
    sim.advance_clock(3600)
    api.get("/api/v2/users/me", token=planted["full_token"])
    shown = api.get(f"/api/v2/oauth/tokens/{planted['id']}", token=ADMIN_BEARER).json()["token"]
    assert shown["used_at"] == "2026-12-01T11:00:00Z"


def test_tokens_of_a_global_client_are_listed_with_its_id(api, sim):
    planted = sim.plant_global_client_token(seed.ADMIN_ID, 777000, ["read"])
    assert api.get("/api/v2/users/me", token=planted["full_token"]).status_code == 200
    listed = api.get("/api/v2/oauth/tokens", token=ADMIN_BEARER).json()["tokens"]
    assert [t["client_id"] for t in listed if t["id"] == planted["id"]] == [777000]
    assert 777000 not in [c["id"] for c in api.get("/api/v2/oauth/clients", token=ADMIN_BEARER).json()["clients"]]
    with pytest.raises(Exception, match="400"):
        sim.plant_global_client_token(seed.ADMIN_ID, seed.MY_APP_CLIENT_ID)


def test_planted_tokens_can_share_a_listed_prefix(api, sim):
    ids = sim.plant_tokens(3, [seed.ADMIN_ID], seed.MY_APP_CLIENT_ID, value_prefix="eyJhbGciOiJIUzI1")
    listed = api.get("/api/v2/oauth/tokens", token=ADMIN_BEARER).json()["tokens"]
    assert {t["token"] for t in listed if t["id"] in ids} == {"eyJhbGciOi"}

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected faults: a POST Zendesk may have processed is never repeated; 429/503 and dropped reads are retried."""

from __future__ import annotations

import socket

from harness import CLIENTS_PATH, TOKENS_PATH, Case, assert_failed, assert_minted, assert_ok

from zendesk_simulator import seed

MY_APP = seed.MY_APP_CLIENT_ID
CLIENT_PATH = "%s/%d" % (CLIENTS_PATH, MY_APP)
MINT = {"client_id": MY_APP, "recreate": "always"}


def faulty(name, args, module="token", **fault):
    """A case run with one fault armed (earlier faults disarmed)."""
    return Case(name, args, module=module, setup=[("clear_faults", {}), ("fault", fault)])


def closed_port_url():
    """An http URL on loopback where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d" % probe.getsockname()[1]


def test_faults_on_post_and_get(harness):
    """500/503/drop on POST: one POST and a clear failure. 429 on POST and 429/503/drop on GET: retried."""
    run = harness.play([
        faulty("500 on POST", MINT, method="POST", path=TOKENS_PATH, status=500),
        faulty("503 on POST", MINT, method="POST", path=TOKENS_PATH, status=503, retry_after="1"),
        faulty("dropped connection on POST", MINT, method="POST", path=TOKENS_PATH, drop=True),
        faulty("429 on POST with Retry-After", MINT, method="POST", path=TOKENS_PATH, status=429, retry_after="1"),
        faulty("429 on POST beyond retries", dict(MINT, retries=1), method="POST", path=TOKENS_PATH, status=429,
               retry_after="0", count=3),
        faulty("503 twice on GET", {"client_name": seed.MY_APP_CLIENT_NAME, "scopes": ["write"]}, method="GET",
               path=CLIENTS_PATH, status=503, count=2),
        faulty("429 on GET without Retry-After", {"id": MY_APP}, module="info", method="GET", path=CLIENTS_PATH + "/{id}",
               status=429),
        faulty("dropped connection on GET", {"id": MY_APP}, module="info", method="GET", path=CLIENTS_PATH + "/{id}", drop=True),
        faulty("429 on GET with an HTTP-date Retry-After", {"id": MY_APP}, module="info", method="GET",
               path=CLIENTS_PATH + "/{id}", status=429, retry_after="Wed, 21 Oct 2015 07:28:00 GMT"),
        faulty("503 on GET with retries=0", {"id": MY_APP, "retries": 0}, module="info", method="GET",
               path=CLIENTS_PATH + "/{id}", status=503),
        Case("nothing listening at url", {"id": MY_APP, "retries": 0, "url": closed_port_url()}, module="info"),
        faulty("slow GET beyond timeout", {"id": MY_APP, "retries": 0, "timeout": 1}, module="info", method="GET",
               path=CLIENTS_PATH + "/{id}", delay=4),
    ])
    for name, phrases in {"500 on POST": ["HTTP 500", "POST " + TOKENS_PATH, "never repeated"],
                          "503 on POST": ["HTTP 503", "POST " + TOKENS_PATH],
                          "dropped connection on POST": ["POST " + TOKENS_PATH, "dropped"]}.items():
        case = run[name]
        assert_failed(case, *phrases)
        assert case.calls() == ["POST " + TOKENS_PATH], case.describe()
        assert "token" not in case.result, case.describe()
    minted = run["429 on POST with Retry-After"]
    assert_minted(minted, posts=2)
    assert [r["status"] for r in minted.requests] == [429, 201], minted.describe()
    beyond = run["429 on POST beyond retries"]
    assert_failed(beyond, "HTTP 429", "retries")
    assert beyond.calls() == ["POST " + TOKENS_PATH] * 2, beyond.describe()
    get503 = run["503 twice on GET"]
    assert_minted(get503)
    assert [r["status"] for r in get503.requests if r["path"] == CLIENTS_PATH] == [503, 503, 200], get503.describe()
    for name in ("429 on GET without Retry-After", "dropped connection on GET", "429 on GET with an HTTP-date Retry-After"):
        assert_ok(run[name], False)
        assert run[name].result["clients"][0]["id"] == MY_APP
        assert run[name].calls() == ["GET " + CLIENT_PATH] * 2, run[name].describe()
    assert_failed(run["503 on GET with retries=0"], "HTTP 503", "GET " + CLIENT_PATH)
    assert run["503 on GET with retries=0"].calls() == ["GET " + CLIENT_PATH]
    assert_failed(run["nothing listening at url"], "could not connect", "127.0.0.1")
    # The simulator logs the slow request only once its delay is over: its log is not checked.
    assert_failed(run["slow GET beyond timeout"], "GET " + CLIENT_PATH, "timeout")
    new_tokens = set(harness.tokens()) - {seed.BOOTSTRAP_ADMIN_TOKEN_ID, seed.BOOTSTRAP_AGENT_TOKEN_ID}
    assert new_tokens == {minted.token["id"], get503.token["id"]}, "a failed POST must not have created a token"

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Authentication: bearer, api_token and password (with their warnings), 401/403 advice, module_defaults, env fallbacks."""

from __future__ import annotations

from harness import TOKENS_PATH, Case, assert_failed, assert_minted, assert_ok

from zendesk_simulator import seed

MY_APP = seed.MY_APP_CLIENT_ID
NO_ENV_BEARER = {"ZENDESK_OAUTH_TOKEN": ""}
WRONG_TOKEN = "wrong" + "5" * 59
MINT = {"client_id": MY_APP, "recreate": "always"}
INFO = {"id": MY_APP}


def basic_case(name, email, secret_option, secret, module="token", args=None):
    """A case authenticating with email plus api_token or password given as options (no bearer in the environment)."""
    return Case(name, dict(args or MINT, email=email, **{secret_option: secret}), module=module, environment=NO_ENV_BEARER)


def assert_auth(case, kind, user_id=seed.ADMIN_ID):
    """Every request of the case was authenticated this way as this user."""
    assert case.requests and all((r["auth"], r["user_id"]) == (kind, user_id) for r in case.requests), case.describe()


def test_auth_modes_and_their_warnings(harness):
    """bearer is first-class (no warning); api_token and password work and warn, never showing the secret."""
    run = harness.play([
        Case("bearer from ZENDESK_OAUTH_TOKEN", MINT),
        Case("bearer as an option", dict(MINT, oauth_token=seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN), environment=NO_ENV_BEARER),
        basic_case("api_token", seed.ADMIN_EMAIL, "api_token", seed.ADMIN_API_TOKEN),
        basic_case("password", seed.ADMIN_EMAIL, "password", seed.ADMIN_PASSWORD),
        basic_case("info with api_token", seed.ADMIN_EMAIL, "api_token", seed.ADMIN_API_TOKEN, module="info", args=INFO),
    ])
    for name in ("bearer from ZENDESK_OAUTH_TOKEN", "bearer as an option"):
        assert_minted(run[name])
        assert_auth(run[name], "bearer")
        assert not run[name].warnings, run[name].describe()
    for name, kind, phrase in (("api_token", "api_token", "2027-04-30"), ("password", "password", "retired"),
                               ("info with api_token", "api_token", "2027-04-30")):
        case = run[name]
        assert_auth(case, kind)
        assert any(phrase in w and "oauth_token" in w for w in case.warnings), case.describe()
        assert not any(seed.ADMIN_API_TOKEN in w or seed.ADMIN_PASSWORD in w for w in case.warnings)
    assert_minted(run["api_token"])
    assert_minted(run["password"])
    assert_ok(run["info with api_token"], False)


def test_refused_credentials_get_actionable_messages(harness):
    """401 says to check the credentials; 403 says admin role or read+write scopes; nothing is created."""
    read_only = harness.plant(client_id=seed.BOOTSTRAP_CLIENT_ID, scopes=["read"])
    harness.watch(WRONG_TOKEN, "a wrong OAuth token")
    run = harness.play([
        Case("unknown bearer token", dict(INFO, oauth_token=WRONG_TOKEN), module="info"),
        basic_case("wrong password", seed.ADMIN_EMAIL, "password", "not-the-password", module="info", args=INFO),
        basic_case("suspended admin", seed.SUSPENDED_EMAIL, "api_token", seed.SUSPENDED_API_TOKEN),
        Case("agent bearer token", dict(INFO, oauth_token=seed.BOOTSTRAP_AGENT_OAUTH_TOKEN), module="info"),
        basic_case("agent password", seed.AGENT_EMAIL, "password", seed.AGENT_PASSWORD),
        Case("bearer token without write scope", dict(MINT, oauth_token=read_only["full_token"])),
    ])
    for name in ("unknown bearer token", "wrong password", "suspended admin"):
        assert_failed(run[name], "HTTP 401", "credentials")
        assert run[name].result["status"] == 401, run[name].describe()
    for name in ("agent bearer token", "agent password"):
        assert_failed(run[name], "HTTP 403", "admin")
        assert run[name].result["status"] == 403
    scope = run["bearer token without write scope"]
    assert_failed(scope, "HTTP 403", "missing the following required scopes: write", "'write' scopes")
    assert scope.calls() == ["POST " + TOKENS_PATH] and scope.requests[0]["status"] == 403, scope.describe()
    assert set(harness.tokens()) == {seed.BOOTSTRAP_ADMIN_TOKEN_ID, seed.BOOTSTRAP_AGENT_TOKEN_ID, read_only["id"]}


def test_module_defaults_group(harness):
    """module_defaults for group/obscura.zendesk.zendesk configure both modules (no ZENDESK_* environment)."""
    defaults = {"url": harness.url, "oauth_token": seed.BOOTSTRAP_ADMIN_OAUTH_TOKEN}
    blank = {"ZENDESK_URL": "", "ZENDESK_OAUTH_TOKEN": ""}
    run = harness.play([
        Case("info through module_defaults", INFO, module="info", defaults=defaults, environment=blank),
        Case("token through module_defaults", MINT, defaults=defaults, environment=blank),
        Case("without module_defaults", INFO, module="info", environment=blank),
    ])
    assert_ok(run["info through module_defaults"], False)
    assert_auth(run["info through module_defaults"], "bearer")
    assert_minted(run["token through module_defaults"])
    assert_failed(run["without module_defaults"], "subdomain", "url")


def test_environment_fallbacks(harness):
    """ZENDESK_EMAIL/ZENDESK_API_TOKEN from the controller's environment; with ZENDESK_OAUTH_TOKEN too, both are named."""
    env = {"ZENDESK_EMAIL": seed.ADMIN_EMAIL, "ZENDESK_API_TOKEN": seed.ADMIN_API_TOKEN}
    run = harness.play([
        Case("api_token from the environment", INFO, module="info", environment=NO_ENV_BEARER),
        Case("api_token and oauth_token from the environment", INFO, module="info"),
    ], env=env)
    assert_ok(run["api_token from the environment"], False)
    assert_auth(run["api_token from the environment"], "api_token")
    both = run["api_token and oauth_token from the environment"]
    assert_failed(both, "exactly one", "api_token (ZENDESK_API_TOKEN)", "oauth_token (ZENDESK_OAUTH_TOKEN)")
    assert both.requests == []

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the shared connection options: validation, auth, warnings, error messages."""

from __future__ import annotations

import pytest

from ansible_collections.obscura.zendesk.plugins.module_utils.client import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils.common import (
    auth_from,
    auth_warnings,
    base_url,
    client_from_params,
    connection_argument_spec,
    connection_problems,
    error_message,
)

SECRET = "s3cret-value-that-must-not-leak"


def params(**overrides):
    values = dict(subdomain="obscura", url=None, email=None, api_token=None, password=None, oauth_token=SECRET,
                  validate_certs=True, ca_path=None, timeout=30, retries=5)
    values.update(overrides)
    return values


def test_valid_bearer_connection_has_no_problem():
    assert connection_problems(params()) == []


@pytest.mark.parametrize("overrides,names", [
    (dict(oauth_token=None), ["oauth_token", "ZENDESK_OAUTH_TOKEN"]),
    (dict(api_token=SECRET, email="a@example.com"), ["api_token", "oauth_token", "exactly one"]),
    (dict(oauth_token=None, password=SECRET, api_token=SECRET, email="a@example.com"), ["api_token", "password"]),
    (dict(oauth_token=None, api_token=SECRET), ["api_token", "email", "ZENDESK_EMAIL"]),
    (dict(oauth_token=None, password=SECRET), ["password", "email"]),
    (dict(subdomain="evil.com/x"), ["subdomain", "url"]),
    (dict(subdomain="-bad-"), ["subdomain"]),
    (dict(subdomain="obscura.zendesk.com"), ["subdomain", "bare"]),
    (dict(url="https://support.example.com"), ["subdomain", "url", "not both"]),
    (dict(subdomain=None), ["subdomain", "url", "ZENDESK_SUBDOMAIN"]),
    (dict(subdomain=None, url="http://support.example.com"), ["url", "https://", "loopback"]),
    (dict(subdomain=None, url="ftp://support.example.com"), ["url", "https://"]),
    (dict(subdomain=None, url="https://user:pw@support.example.com"), ["url", "credentials"]),
    (dict(subdomain=None, url="https://support.example.com/?x=1"), ["url", "query"]),
    (dict(subdomain=None, url="support.example.com"), ["url", "absolute"]),
    (dict(timeout=0), ["timeout"]),
    (dict(retries=-1), ["retries"]),
])
def test_bad_connection_options_are_named_with_a_fix(overrides, names):
    problems = " ".join(connection_problems(params(**overrides)))
    assert problems
    for name in names:
        assert name in problems
    assert SECRET not in problems and "pw@" not in problems


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:3000", "http://[::1]:80", "http://127.3.2.1"])
def test_plain_http_is_accepted_for_loopback(url):
    assert connection_problems(params(subdomain=None, url=url)) == []


def test_base_url():
    assert base_url(params(subdomain="Obscura")) == "https://obscura.zendesk.com"
    assert base_url(params(subdomain=None, url="https://support.example.com/")) == "https://support.example.com"


def test_auth_modes():
    assert auth_from(params()) == ("bearer", SECRET)
    assert auth_from(params(oauth_token=None, api_token="t", email="a@b.c")) == ("basic", ("a@b.c/token", "t"))
    assert auth_from(params(oauth_token=None, password="p", email="a@b.c")) == ("basic", ("a@b.c", "p"))


def test_retired_auth_modes_warn_without_the_secret():
    assert auth_warnings(params()) == []
    token_warning = auth_warnings(params(oauth_token=None, api_token=SECRET, email="a@b.c"))
    password_warning = auth_warnings(params(oauth_token=None, password=SECRET, email="a@b.c"))
    assert "2027-04-30" in token_warning[0] and "oauth_token" in token_warning[0]
    assert "retired" in password_warning[0]
    assert SECRET not in " ".join(token_warning + password_warning)


def test_secret_options_are_no_log_and_fall_back_to_env():
    spec = connection_argument_spec()
    for name in ("api_token", "password", "oauth_token"):
        assert spec[name]["no_log"] is True
    for name, env in (("subdomain", "ZENDESK_SUBDOMAIN"), ("url", "ZENDESK_URL"), ("email", "ZENDESK_EMAIL"),
                      ("oauth_token", "ZENDESK_OAUTH_TOKEN"), ("api_token", "ZENDESK_API_TOKEN"), ("password", "ZENDESK_PASSWORD")):
        assert spec[name]["fallback"][1] == [env]


def test_client_from_params_knows_the_secrets():
    client = client_from_params(params(retries=2))
    assert client.retry.retries == 2 and client.base_url == "https://obscura.zendesk.com"
    assert client.redact("x %s y" % SECRET) == "x ******** y"


@pytest.mark.parametrize("status,advice", [
    (401, "credentials"), (403, "admin"), (404, "subdomain/url"), (422, "field"), (429, "retries"), (500, "later"), (None, None),
])
def test_error_messages_tell_what_to_do(status, advice):
    err = ZendeskError("POST", "/api/v2/oauth/tokens", status, error="Oops", description="It broke")
    text = error_message(err, "Could not mint.")
    assert text.startswith("Could not mint.") and "POST /api/v2/oauth/tokens" in text
    if advice:
        assert advice in text

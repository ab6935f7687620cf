# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the shared connection options: validation, auth, warnings, error messages."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._connection_options import (
    api_from_params,
    auth_from,
    auth_warnings,
    base_url,
    connection_argument_spec,
    connection_problems,
    uses_client_credentials,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._zendesk_module import error_message

SECRET = "s3cret-value-that-must-not-leak"
CLIENT_SECRET = "client-s3cret-that-must-not-leak-0123456789abcdef"


def params(**overrides):
    values = dict(subdomain="obscura", url=None, email=None, api_token=None, password=None, oauth_token=SECRET,
                  oauth_client_identifier=None, oauth_client_secret=None, oauth_client_scopes=["read", "write"],
                  validate_certs=True, ca_path=None, timeout=30, retries=5)
    values.update(overrides)
    return values


def test_valid_bearer_connection_has_no_problem():
    assert connection_problems(params()) == []


CLIENT_CREDENTIALS = dict(oauth_token=None, oauth_client_identifier="ansible_automation", oauth_client_secret=CLIENT_SECRET)


def test_client_credentials_are_a_connection_mode():
    assert connection_problems(params(**CLIENT_CREDENTIALS)) == []
    assert uses_client_credentials(params(**CLIENT_CREDENTIALS)) and not uses_client_credentials(params())
    assert auth_from(params(**CLIENT_CREDENTIALS)) == ("none", None)
    assert auth_warnings(params(**CLIENT_CREDENTIALS)) == []


@pytest.mark.parametrize("overrides,names", [
    (dict(CLIENT_CREDENTIALS, oauth_client_secret=None), ["oauth_client_identifier", "oauth_client_secret", "ZENDESK_OAUTH_CLIENT_SECRET"]),
    (dict(CLIENT_CREDENTIALS, oauth_client_identifier=""), ["oauth_client_secret", "oauth_client_identifier", "ZENDESK_OAUTH_CLIENT_IDENTIFIER"]),
    (dict(oauth_client_identifier="x", oauth_client_secret=CLIENT_SECRET), ["exactly one", "oauth_token", "oauth_client_secret"]),
    (dict(CLIENT_CREDENTIALS, api_token=SECRET, email="a@b.c"), ["exactly one", "api_token", "oauth_client_secret"]),
    (dict(CLIENT_CREDENTIALS, oauth_client_scopes=[" "]), ["oauth_client_scopes", "read, write"]),
    (dict(oauth_token=None), ["oauth_token", "ZENDESK_OAUTH_TOKEN", "oauth_client_identifier", "ZENDESK_OAUTH_CLIENT_SECRET"]),
])
def test_bad_client_credentials_are_named_with_a_fix(overrides, names):
    problems = " ".join(connection_problems(params(**overrides)))
    for name in names:
        assert name in problems
    assert CLIENT_SECRET not in problems and SECRET not in problems


def test_credentials_may_be_optional_for_a_module_that_authenticates_otherwise():
    assert connection_problems(params(oauth_token=None), credentials_required=False) == []
    assert connection_problems(params(oauth_token=None, oauth_client_identifier="x"), credentials_required=False)


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
    assert "retired" in password_warning[0] and "oauth_client_identifier" in password_warning[0]
    assert SECRET not in " ".join(token_warning + password_warning)


@pytest.mark.parametrize("today,phrases,absent", [
    (datetime.date(2026, 12, 3), ["stops accepting API tokens on 2027-04-30", "oauth_client_identifier"], "no longer"),
    (datetime.date(2027, 4, 30), ["stops accepting API tokens on 2027-04-30"], "no longer"),
    (datetime.date(2027, 5, 1), ["no longer accepts API tokens", "since 2027-04-30", "oauth_client_secret"], "stops accepting"),
])
def test_api_token_warning_follows_the_calendar(today, phrases, absent):
    warning = auth_warnings(params(oauth_token=None, api_token=SECRET, email="a@b.c"), today=today)[0]
    for phrase in phrases:
        assert phrase in warning
    assert absent not in warning


def test_secret_options_are_no_log_and_fall_back_to_env():
    spec = connection_argument_spec()
    for name in ("api_token", "password", "oauth_token", "oauth_client_secret"):
        assert spec[name]["no_log"] is True
    assert spec["oauth_client_scopes"]["default"] == ["read", "write"]
    for name, env in (("subdomain", "ZENDESK_SUBDOMAIN"), ("url", "ZENDESK_URL"), ("email", "ZENDESK_EMAIL"),
                      ("oauth_token", "ZENDESK_OAUTH_TOKEN"), ("api_token", "ZENDESK_API_TOKEN"), ("password", "ZENDESK_PASSWORD"),
                      ("oauth_client_identifier", "ZENDESK_OAUTH_CLIENT_IDENTIFIER"), ("oauth_client_secret", "ZENDESK_OAUTH_CLIENT_SECRET")):
        assert spec[name]["fallback"][1] == [env]


def test_api_from_params_knows_the_secrets():
    api = api_from_params(params(retries=2), version="1.2.3")
    assert api.retry.retries == 2 and api.base_url == "https://obscura.zendesk.com"
    assert api.redact("x %s y" % SECRET) == "x ******** y"
    assert api.http.headers["User-Agent"] == "obscura.zendesk/1.2.3 (Ansible collection)"
    with_client_secret = api_from_params(params(**CLIENT_CREDENTIALS))
    assert "Authorization" not in with_client_secret.http.headers and with_client_secret.http.auth is None
    assert with_client_secret.redact(CLIENT_SECRET) == "********"


@pytest.mark.parametrize("status,advice", [
    (401, "credentials"), (403, "admin"), (404, "subdomain/url"), (422, "field"), (429, "retries"), (500, "later"), (None, None),
])
def test_error_messages_tell_what_to_do(status, advice):
    err = ZendeskError("POST", "/api/v2/oauth/tokens", status, error="Oops", description="It broke")
    text = error_message(err, "Could not mint.")
    assert text.startswith("Could not mint.") and "POST /api/v2/oauth/tokens" in text
    if advice:
        assert advice in text

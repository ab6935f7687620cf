# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Invalid input fails before any request, with a message that names the option and says how to fix it."""

from __future__ import annotations

from harness import Case, assert_failed

from zendesk_simulator import seed

MY_APP = seed.MY_APP_CLIENT_ID
# Task environments only blank or set non-secret variables: Ansible shows a task's environment at -vvvv.
NO_BEARER = {"ZENDESK_OAUTH_TOKEN": ""}
NO_URL = {"ZENDESK_URL": ""}
URL_PASSWORD = "url-password-7f3e9c1d"  # a secret written into a url: must never be shown either

# (case name, module arguments, task environment, phrases the message must contain)
TOKEN_CASES = [
    ("password and oauth_token", {"client_id": MY_APP, "email": seed.ADMIN_EMAIL, "password": seed.ADMIN_PASSWORD}, None,
     ["exactly one", "password (ZENDESK_PASSWORD)", "oauth_token (ZENDESK_OAUTH_TOKEN)", "remove"]),
    ("api_token without email", {"client_id": MY_APP, "api_token": seed.ADMIN_API_TOKEN}, NO_BEARER,
     ["api_token", "needs email", "ZENDESK_EMAIL"]),
    ("password without email", {"client_id": MY_APP, "password": seed.ADMIN_PASSWORD}, NO_BEARER, ["password", "needs email"]),
    ("no credentials", {"client_id": MY_APP}, NO_BEARER, ["credentials", "oauth_token", "ZENDESK_OAUTH_TOKEN"]),
    ("subdomain with a host and path", {"client_id": MY_APP, "subdomain": "evil.com/x"}, NO_URL, ["subdomain", "bare", "url"]),
    ("subdomain from the environment", {"client_id": MY_APP}, {"ZENDESK_URL": "", "ZENDESK_SUBDOMAIN": "evil.com/x"},
     ["subdomain", "bare"]),
    ("subdomain and url", {"client_id": MY_APP, "subdomain": "obscura"}, None, ["only one", "subdomain", "url"]),
    ("neither subdomain nor url", {"client_id": MY_APP}, NO_URL, ["subdomain", "url", "ZENDESK_SUBDOMAIN"]),
    ("plain http to a remote host", {"client_id": MY_APP, "url": "http://zendesk.example.com"}, None,
     ["url", "http://", "https://"]),
    ("url with credentials", {"client_id": MY_APP, "url": "https://admin:%s@zendesk.example.com" % URL_PASSWORD}, None,
     ["url", "credentials", "oauth_token"]),
    ("url with another scheme", {"client_id": MY_APP, "url": "ftp://zendesk.example.com"}, None, ["url", "https://"]),
    ("url with a query", {"client_id": MY_APP, "url": "https://zendesk.example.com/?brand=1"}, None, ["url", "query"]),
    ("chat scope", {"client_id": MY_APP, "scopes": ["read", "chat"]}, None, ["scopes", "chat", "Chat product"]),
    ("unknown scope", {"client_id": MY_APP, "scopes": ["admin"]}, None, ["scopes", "'admin'", "read, write"]),
    ("resource scope without access", {"client_id": MY_APP, "scopes": ["tickets"]}, None, ["tickets:read", "tickets:write"]),
    ("access the resource does not allow", {"client_id": MY_APP, "scopes": ["auditlogs:write"]}, None, ["auditlogs:read"]),
    ("unknown resource", {"client_id": MY_APP, "scopes": ["spaceships:read"]}, None, ["spaceships", "known resources"]),
    ("empty scopes", {"client_id": MY_APP, "scopes": []}, None, ["scopes", "at least one"]),
    ("token_id with state=present", {"client_id": MY_APP, "token_id": 9003}, None, ["token_id", "state=absent"]),
    ("state=absent with nothing to revoke", {"state": "absent"}, None, ["token_id", "current_token", "client_id"]),
    ("token_id and current_token", {"state": "absent", "token_id": 9003, "current_token": "0" * 64}, None,
     ["only one", "token_id", "current_token"]),
    ("dest with state=absent", {"state": "absent", "token_id": 9003, "dest": "/tmp/zendesk-token"}, None,
     ["dest", "state=present"]),
    ("no client selector", {"scopes": ["read"]}, None, ["client_id", "client_identifier", "client_name"]),
    ("several client selectors", {"client_id": MY_APP, "client_name": seed.MY_APP_CLIENT_NAME}, None,
     ["Set only one of", "client_id", "client_name", "cheapest"]),
    ("client_id 0", {"client_id": 0}, None, ["client_id", "positive", "zendesk_oauth_client_info"]),
    ("client_id not a number", {"client_id": "my_app"}, None, ["client_id", "int"]),
    ("empty client_name", {"client_name": "  "}, None, ["client_name", "empty"]),
    ("negative token_id", {"state": "absent", "token_id": -3}, None, ["token_id", "positive"]),
    ("negative renew_before", {"client_id": MY_APP, "renew_before": -60}, None, ["renew_before", "0 or a positive"]),
    ("negative retries", {"client_id": MY_APP, "retries": -1}, None, ["retries", "0"]),
    ("zero timeout", {"client_id": MY_APP, "timeout": 0}, None, ["timeout", "positive"]),
    ("negative timeout", {"client_id": MY_APP, "timeout": -5}, None, ["timeout", "positive"]),
    ("unknown state", {"client_id": MY_APP, "state": "revoked"}, None, ["state", "present", "absent"]),
    ("unknown recreate", {"client_id": MY_APP, "recreate": "sometimes"}, None, ["recreate", "never", "always"]),
    ("validate_certs not a boolean", {"client_id": MY_APP, "validate_certs": "perhaps"}, None, ["validate_certs"]),
    ("unknown option", {"client_id": MY_APP, "scope": ["read"]}, None, ["scope", "Supported parameters"]),
]
INFO_CASES = [
    ("info: id not a number", {"id": "my_app"}, None, ["id", "int"]),
    ("info: password and oauth_token", {"email": seed.ADMIN_EMAIL, "password": seed.ADMIN_PASSWORD}, None,
     ["exactly one", "password", "oauth_token"]),
    ("info: url with credentials", {"url": "https://admin:%s@zendesk.example.com" % URL_PASSWORD}, None, ["url", "credentials"]),
    ("info: unknown option", {"client_id": MY_APP}, None, ["client_id", "Supported parameters"]),
]


def cases():
    """Every invalid input as a Case."""
    return ([Case(row[0], row[1], environment=row[2]) for row in TOKEN_CASES]
            + [Case(row[0], row[1], module="info", environment=row[2]) for row in INFO_CASES])


def test_invalid_input_fails_before_any_request(harness):
    """Each invalid input fails, names the option and the fix, and makes no request at all."""
    harness.watch(URL_PASSWORD, "password in a url")
    run = harness.play(cases())
    assert len(run.cases) >= 20
    for name, phrases in ((row[0], row[3]) for row in TOKEN_CASES + INFO_CASES):
        case = run[name]
        assert_failed(case, *phrases)
        assert case.changed is False and "Traceback" not in case.msg, case.describe()
        assert case.requests == [], case.describe()

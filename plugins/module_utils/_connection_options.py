# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options shared by every module: argument spec, checks, authentication, the HTTP layer they build."""

from __future__ import annotations

import datetime
import ipaddress
import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.obscura.zendesk.plugins.module_utils._http import RetryPolicy, ZendeskApi

SUBDOMAIN_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)
# Exactly one of these authenticates a module run (oauth_client_secret goes with oauth_client_identifier).
CREDENTIAL_OPTIONS = ("api_token", "password", "oauth_token", "oauth_client_secret")
SECRET_OPTIONS = ("api_token", "password", "oauth_token", "oauth_client_secret")
ENV_NAMES = {
    "subdomain": "ZENDESK_SUBDOMAIN",
    "url": "ZENDESK_URL",
    "email": "ZENDESK_EMAIL",
    "api_token": "ZENDESK_API_TOKEN",
    "password": "ZENDESK_PASSWORD",
    "oauth_token": "ZENDESK_OAUTH_TOKEN",
    "oauth_client_identifier": "ZENDESK_OAUTH_CLIENT_IDENTIFIER",
    "oauth_client_secret": "ZENDESK_OAUTH_CLIENT_SECRET",
}
API_TOKENS_END = datetime.date(2027, 4, 30)
RECOMMENDED = ("OAuth client credentials (oauth_client_identifier and oauth_client_secret, or ZENDESK_OAUTH_CLIENT_IDENTIFIER "
               "and ZENDESK_OAUTH_CLIENT_SECRET) or an OAuth access token (oauth_token / ZENDESK_OAUTH_TOKEN)")
API_TOKEN_WARNING = (
    "Authenticating with an API token (api_token): Zendesk stops accepting API tokens on 2027-04-30 "
    "(and no account can create new ones since 2026-10-27). Switch to %s." % RECOMMENDED
)
API_TOKEN_ENDED_WARNING = (
    "Authenticating with an API token (api_token): Zendesk no longer accepts API tokens (since 2027-04-30), so "
    "expect HTTP 401. Switch to %s." % RECOMMENDED
)
PASSWORD_WARNING = (
    "Authenticating with a password (password): Zendesk has retired password access to the API. Switch to %s." % RECOMMENDED
)


def _env(option):
    return dict(fallback=(env_fallback, [ENV_NAMES[option]]))


def connection_argument_spec():
    """The connection options of every module (see the obscura.zendesk.connection doc fragment)."""
    return dict(
        subdomain=dict(type="str", **_env("subdomain")),
        url=dict(type="str", **_env("url")),
        email=dict(type="str", **_env("email")),
        api_token=dict(type="str", no_log=True, **_env("api_token")),
        password=dict(type="str", no_log=True, **_env("password")),
        oauth_token=dict(type="str", no_log=True, **_env("oauth_token")),
        oauth_client_identifier=dict(type="str", no_log=False, **_env("oauth_client_identifier")),
        oauth_client_secret=dict(type="str", no_log=True, **_env("oauth_client_secret")),
        oauth_client_scopes=dict(type="list", elements="str", default=["read", "write"]),
        validate_certs=dict(type="bool", default=True),
        ca_path=dict(type="path"),
        timeout=dict(type="float", default=30),
        retries=dict(type="int", default=5),
    )


def _named(option):
    return "%s (%s)" % (option, ENV_NAMES[option])


def _is_loopback(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url_problems(params):
    """Problems with subdomain/url, each a sentence naming the option and the fix."""
    subdomain, url = params.get("subdomain"), params.get("url")
    if subdomain and url:
        return ["Set only one of subdomain (ZENDESK_SUBDOMAIN) and url (ZENDESK_URL), not both."]
    if not subdomain and not url:
        return ["Tell the modules which Zendesk account to use: set subdomain (e.g. 'obscura' for "
                "https://obscura.zendesk.com) or url, or the environment variable ZENDESK_SUBDOMAIN or ZENDESK_URL."]
    if subdomain:
        if not SUBDOMAIN_PATTERN.match(subdomain):
            return ["subdomain must be the bare Zendesk subdomain (letters, digits and inner hyphens, e.g. 'obscura' "
                    "for https://obscura.zendesk.com); for any other address use url instead."]
        return []
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return ["url must be an absolute https:// URL such as https://support.example.com."]
    if parts.username or parts.password:
        return ["url must not contain credentials; use email with oauth_token, api_token or password instead."]
    if parts.query or parts.fragment:
        return ["url must be a base URL without a query string or fragment, e.g. https://support.example.com."]
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return ["url uses plain http:// to %s, which would send credentials unencrypted; use https:// "
                "(plain http:// is only accepted for loopback hosts such as 127.0.0.1)." % parts.hostname]
    return []


def credential_problems(params):
    """Problems with the credential options, each a sentence naming the option and the fix."""
    pairing = client_credential_problems(params)
    if pairing:
        return pairing
    given = [name for name in CREDENTIAL_OPTIONS if params.get(name)]
    if not given:
        return ["No Zendesk credentials: set oauth_client_identifier with oauth_client_secret (OAuth client credentials, "
                "recommended for new accounts) or oauth_token, or the environment variables ZENDESK_OAUTH_CLIENT_IDENTIFIER "
                "and ZENDESK_OAUTH_CLIENT_SECRET, or ZENDESK_OAUTH_TOKEN."]
    if len(given) > 1:
        return ["Set exactly one kind of credentials; got %s. Remove all but one (OAuth client credentials or "
                "oauth_token are recommended)." % " and ".join(_named(name) for name in given)]
    if given[0] in ("api_token", "password") and not params.get("email"):
        return ["%s needs email (ZENDESK_EMAIL): the address of the Zendesk user it belongs to." % _named(given[0])]
    return []


def client_credential_problems(params):
    """The identifier and the secret of an OAuth client go together."""
    identifier, secret = params.get("oauth_client_identifier"), params.get("oauth_client_secret")
    if secret and not identifier:
        return ["%s needs %s: the Identifier of the confidential OAuth client the secret belongs to (Admin Center > "
                "Apps and integrations > APIs > OAuth clients)." % (_named("oauth_client_secret"), _named("oauth_client_identifier"))]
    if identifier and not secret:
        return ["%s needs %s: the client's Secret, shown when the client is created or its secret regenerated."
                % (_named("oauth_client_identifier"), _named("oauth_client_secret"))]
    scopes = params.get("oauth_client_scopes")
    if secret and scopes is not None and not [scope for scope in scopes if scope and scope.strip()]:
        return ["oauth_client_scopes must name at least one scope, e.g. [read, write] (the default)."]
    return []


def uses_client_credentials(params):
    """Whether the run authenticates with OAuth client credentials (a session exchanged at the start)."""
    return bool(params.get("oauth_client_identifier") and params.get("oauth_client_secret"))


def number_problems(params):
    """Problems with timeout/retries."""
    problems = []
    if params.get("timeout") is not None and params["timeout"] <= 0:
        problems.append("timeout must be a positive number of seconds.")
    if params.get("retries") is not None and params["retries"] < 0:
        problems.append("retries must be 0 (no retries) or more.")
    return problems


def connection_problems(params, credentials_required=True):
    """Every problem with the connection options; an empty list when they are usable.

    ``credentials_required=False`` accepts no credentials at all (a module that authenticates otherwise).
    """
    given = any(params.get(name) for name in CREDENTIAL_OPTIONS + ("oauth_client_identifier",))
    credentials = credential_problems(params) if credentials_required or given else []
    return base_url_problems(params) + credentials + number_problems(params)


def base_url(params):
    """The account's API base URL from subdomain or url."""
    if params.get("subdomain"):
        return "https://%s.zendesk.com" % params["subdomain"].lower()
    return params["url"].rstrip("/")


def auth_from(params):
    """(kind, value) for the client: ('bearer', token), ('basic', (user, password)) or ('none', None).

    With client credentials the client starts without credentials: the exchange sends them in its body.
    """
    if params.get("oauth_token"):
        return "bearer", params["oauth_token"]
    if uses_client_credentials(params):
        return "none", None
    if params.get("api_token"):
        return "basic", ("%s/token" % params["email"], params["api_token"])
    return "basic", (params["email"], params["password"])


def auth_warnings(params, today=None):
    """Warnings for the retired and retiring authentication modes (never carrying a value)."""
    if params.get("oauth_token") or uses_client_credentials(params):
        return []
    if params.get("api_token"):
        today = today or datetime.date.today()
        return [API_TOKEN_ENDED_WARNING if today > API_TOKENS_END else API_TOKEN_WARNING]
    return [PASSWORD_WARNING]


def api_from_params(params, version=None):
    """A ZendeskApi for validated connection options (not yet authenticated with client credentials).

    ``version``: the collection's, for the User-Agent.
    """
    secrets = [params.get(name) for name in SECRET_OPTIONS]
    return ZendeskApi(
        base_url(params), auth_from(params), secrets=secrets,
        validate_certs=params.get("validate_certs", True), ca_path=params.get("ca_path"),
        timeout=params.get("timeout", 30), retry=RetryPolicy(retries=params.get("retries", 5)),
        version=version,
    )

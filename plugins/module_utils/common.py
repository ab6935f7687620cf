# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options shared by every module: argument spec, validation, client, error messages."""

from __future__ import annotations

import atexit
import datetime
import ipaddress
import os
import re
import tempfile
import traceback
from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.obscura.zendesk.plugins.module_utils.client import RetryPolicy, ZendeskClient, ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils.session import (
    MODULE_RUN_EXPIRES_IN, close_warning, exchange, grant_error_message, revoke)

try:
    import requests  # noqa: F401  pylint: disable=unused-import
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

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
# The hidden parameter by which the collection's action plugins pass its version (plugin_utils/secret_action.py).
VERSION_PARAMETER = "_collection_version"
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


def client_from_params(params, version=None):
    """A ZendeskClient for validated connection options (not yet authenticated with client credentials).

    ``version``: the collection's, for the User-Agent.
    """
    secrets = [params.get(name) for name in SECRET_OPTIONS]
    return ZendeskClient(
        base_url(params), auth_from(params), secrets=secrets,
        validate_certs=params.get("validate_certs", True), ca_path=params.get("ca_path"),
        timeout=params.get("timeout", 30), retry=RetryPolicy(retries=params.get("retries", 5)),
        version=version,
    )


ADVICE = {
    401: "Zendesk did not accept the credentials: check email with api_token/password, or oauth_token "
         "(an OAuth token may have expired or been revoked), and the ZENDESK_* environment variables.",
    403: "Zendesk refused the call: the authenticated user must be a Zendesk admin (with OAuth client credentials: "
         "the client's owner), and an OAuth token used as credentials needs the 'read' and 'write' scopes.",
    404: "Zendesk found nothing at that address: check subdomain/url and the ids given.",
    422: "Zendesk rejected the request's data; see the field errors above.",
    429: "Zendesk kept rate-limiting the calls; run again later or raise retries.",
}


def error_message(err, context=None):
    """A message a user can act on for a ZendeskError: what failed, what Zendesk said, what to do."""
    parts = [context] if context else []
    parts.append(err.summary())
    advice = ADVICE.get(err.status)
    if advice is None and err.status is not None and err.status >= 500:
        advice = ("Zendesk had an internal problem. A request that may have been processed (creating a token) is "
                  "never repeated, so nothing was done twice. Run again later.")
    if advice:
        parts.append(advice)
    return " ".join(part if part.endswith(".") else part + "." for part in parts)


class ZendeskModule(AnsibleModule):
    """AnsibleModule with the connection options, their checks and a lazily built client.

    With OAuth client credentials the client opens a session (one exchange) when first used, and the
    session token is revoked when the run ends: in exit_json and fail_json, and at interpreter exit
    for a run that ends any other way (an uncaught exception).
    """

    def __init__(self, argument_spec, credentials_required=True, **kwargs):
        self._client = None
        self._session = None
        self.collection_version = None
        spec = connection_argument_spec()
        spec.update(argument_spec)
        super().__init__(argument_spec=spec, **kwargs)
        if REQUESTS_IMPORT_ERROR:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        problems = connection_problems(self.params, credentials_required)
        if problems:
            self.fail_json(msg=" ".join(problems))
        for warning in auth_warnings(self.params):
            self.warn(warning)

    def _load_params(self):
        """Read the parameters, setting aside the collection's version that its action plugins add (not a user option)."""
        super()._load_params()
        self.collection_version = self.params.pop(VERSION_PARAMETER, None)

    def new_client(self):
        """A ZendeskClient for this run's connection options (not authenticated with client credentials yet)."""
        return client_from_params(self.params, self.collection_version)

    @property
    def client(self):
        """The run's one ZendeskClient (one pooled session), authenticated."""
        if self._client is None:
            self._client = self.new_client()
            if uses_client_credentials(self.params):
                self._open_session()
        return self._client

    def _open_session(self):
        """Exchange the client credentials for this run's token; fail with advice when Zendesk refuses."""
        params = self.params
        try:
            self._session = exchange(self._client, params["oauth_client_identifier"], params["oauth_client_secret"],
                                     params.get("oauth_client_scopes"), MODULE_RUN_EXPIRES_IN)
        except ZendeskError as err:
            self.fail_json(msg=grant_error_message(err), status=err.status)
        atexit.register(self.close_session)
        self._client.use_bearer(self._session.token)

    def close_session(self):
        """Revoke this run's session token, once; a warning (never a failure) when that is not possible."""
        session, self._session = self._session, None
        if session is None:
            return
        try:
            revoke(self._client, session.token)
        except Exception as err:  # pylint: disable=broad-exception-caught  # the run's own result matters more
            self.warn(close_warning(err))

    def exit_json(self, **kwargs):
        """Close the session, then report success."""
        self.close_session()
        super().exit_json(**kwargs)

    def fail_json(self, msg, **kwargs):
        """Close the session, then report the failure."""
        self.close_session()
        super().fail_json(msg=msg, **kwargs)

    def fail_on_api_error(self, err, context=None, **result):
        """fail_json with an actionable message for a ZendeskError."""
        self.fail_json(msg=error_message(err, context), status=err.status, **result)


def _read_text(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def write_secret_file(module, path, value):
    """Make ``path`` hold ``value`` (plus a newline) with mode 0600, replacing it atomically.

    Returns whether anything changed; in check mode only predicts it. Raises OSError when the
    file cannot be written; the previous content is then left as it was.
    """
    wanted = value + "\n"
    same_content = _read_text(path) == wanted
    if module.check_mode:
        return not same_content or (os.stat(path).st_mode & 0o7777) != 0o600
    if same_content:
        return module.set_mode_if_different(path, "0600", False)
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".zendesk-token-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(wanted)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return True


__all__ = ["ZendeskModule", "ZendeskError", "client_from_params", "connection_argument_spec", "credential_problems", "error_message",
           "uses_client_credentials", "write_secret_file"]

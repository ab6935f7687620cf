# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options shared by every obscura.zendesk module."""

from __future__ import annotations


class ModuleDocFragment:
    """Documentation of the connection options (plugins/module_utils/_connection_options.py)."""

    DOCUMENTATION = r"""
options:
  subdomain:
    description:
      - The Zendesk account's subdomain, for example V(obscura) for C(https://obscura.zendesk.com).
      - Letters, digits and inner hyphens only. Use O(url) for any other address.
      - Falls back to the environment variable E(ZENDESK_SUBDOMAIN).
      - Exactly one of O(subdomain) and O(url) must be set (directly or from the environment).
    type: str
  url:
    description:
      - The account's base URL instead of O(subdomain), for a host-mapped brand or a test server,
        for example V(https://support.example.com).
      - Must be C(https://); plain C(http://) is accepted only for loopback hosts (C(127.0.0.1), C(localhost), C(::1)).
      - Falls back to the environment variable E(ZENDESK_URL).
    type: str
  email:
    description:
      - The Zendesk user's email address, required with O(api_token) or O(password).
      - Falls back to the environment variable E(ZENDESK_EMAIL).
    type: str
  oauth_client_identifier:
    description:
      - The B(Identifier) of a confidential OAuth client (Admin Center > Apps and integrations > APIs > OAuth clients),
        used with O(oauth_client_secret). The recommended credentials for accounts that can no longer create API tokens.
      - The module exchanges the pair at C(POST /oauth/tokens) (grant type C(client_credentials)) for a session token
        that lives ten minutes, authenticates every call of the run as C(Bearer), and is revoked
        (C(DELETE /api/v2/oauth/tokens/current)) when the run ends, whether it succeeded or failed.
        The session token is never shown. This happens in check mode too, since it is how the run authenticates,
        not a change of the account, and it leaves no token behind.
      - The token acts as the client's owner (the admin who created it, its C(user_id)). To manage OAuth clients and tokens
        the owner must be a Zendesk admin. If the owner is deactivated or loses the admin role, the credentials stop
        working; Zendesk advises a dedicated admin user to own such clients.
      - To share one session among the tasks of a play instead of one per task, open it with
        M(obscura.zendesk.zendesk_session).
      - Falls back to the environment variable E(ZENDESK_OAUTH_CLIENT_IDENTIFIER).
    type: str
  oauth_client_secret:
    description:
      - The B(Secret) of the OAuth client O(oauth_client_identifier); both are needed. The client must be of kind
        C(confidential); Zendesk refuses client credentials of a C(public) client.
      - Falls back to the environment variable E(ZENDESK_OAUTH_CLIENT_SECRET).
      - Exactly one of O(oauth_client_secret), O(oauth_token), O(api_token) and O(password) must be set.
    type: str
  oauth_client_scopes:
    description:
      - The scopes the session token from O(oauth_client_identifier) and O(oauth_client_secret) asks for, sent as
        Zendesk's space-separated C(scope). The client's allowed scopes (Admin Center) must include them.
      - Ignored with other credentials.
    type: list
    elements: str
    default: [read, write]
  oauth_token:
    description:
      - An OAuth access token, sent as a C(Bearer) C(Authorization) header.
      - To manage OAuth clients and tokens it must belong to a Zendesk admin and carry the C(read) and C(write) scopes.
      - Falls back to the environment variable E(ZENDESK_OAUTH_TOKEN).
      - Exactly one of O(oauth_client_secret), O(oauth_token), O(api_token) and O(password) must be set.
    type: str
  api_token:
    description:
      - A Zendesk API token of O(email), sent as Basic C({email}/token:{api_token}).
      - No account can create API tokens since 2026-10-27, and Zendesk stops accepting them on 2027-04-30; the modules
        warn when one is used. Prefer O(oauth_client_identifier) and O(oauth_client_secret), or O(oauth_token).
      - Falls back to the environment variable E(ZENDESK_API_TOKEN).
    type: str
  password:
    description:
      - The password of O(email), sent as Basic C({email}:{password}).
      - Zendesk has retired password access to the API; the modules warn when one is used.
      - Falls back to the environment variable E(ZENDESK_PASSWORD).
    type: str
  validate_certs:
    description:
      - Verify the server's TLS certificate. Only turn this off for a throw-away test server.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM bundle of CA certificates to verify the server with, for a private CA or a TLS-intercepting proxy.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: float
    default: 30
  retries:
    description:
      - How many times a request is repeated after a rate limit (HTTP 429), HTTP 503 or a connection error;
        V(0) disables retries. Waits honour C(Retry-After), otherwise back off exponentially with jitter,
        and never exceed two minutes in total.
      - A POST (creating a token) is repeated only when Zendesk cannot have processed it
        (HTTP 429, or no connection was made), so a retry never creates a second token.
    type: int
    default: 5
requirements:
  - requests
notes:
  - Connection options can be set once with C(module_defaults) and the action group C(group/obscura.zendesk.zendesk),
    which holds every module of the collection that talks to Zendesk (all but M(obscura.zendesk.zendesk_token_file)).
  - Set the E(ZENDESK_*) variables in the controller's environment (or an AWX credential), not with a task's
    C(environment) keyword, which Ansible prints at C(-vvvv); or pass the secret options, which are never logged.
"""

    ACTION_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/obscura.zendesk.zendesk) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - obscura.zendesk.zendesk
"""

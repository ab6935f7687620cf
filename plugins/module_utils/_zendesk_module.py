# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The modules' base class: connection options checked, one authenticated ZendeskApi per run, errors a user can act on."""

from __future__ import annotations

import atexit
import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.obscura.zendesk.plugins.module_utils._connection_options import (
    api_from_params,
    auth_warnings,
    connection_argument_spec,
    connection_problems,
    uses_client_credentials,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._grant import (
    MODULE_RUN_EXPIRES_IN,
    PLAY_EXPIRES_IN,
    close_warning,
    exchange,
    grant_error_message,
    session_result,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import revoke_token_value

try:
    import requests  # noqa: F401  pylint: disable=unused-import
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

# The hidden parameter by which the collection's action plugins pass its version (plugin_utils/secret_action.py).
VERSION_PARAMETER = "_collection_version"
# The hidden parameter by which the role asks its decision task to keep its session for the play's later tasks:
# true (or "always") keeps it; KEEP_FOR_REVOCATIONS lets the module close it at once when no revocation follows.
KEEP_SESSION_PARAMETER = "_keep_session"
KEEP_FOR_REVOCATIONS = "for_revocations"

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
    """AnsibleModule with the connection options, their checks and a lazily built ZendeskApi.

    With OAuth client credentials the run opens a session (one exchange) when first used, and the
    session token is revoked when the run ends: in exit_json and fail_json, and at interpreter exit
    for a run that ends any other way (an uncaught exception). With the hidden parameter ``_keep_session``
    (the role's decision task) a successful run instead hands its session on, as zendesk_session does.
    """

    def __init__(self, argument_spec, credentials_required=True, **kwargs):
        self._api = None
        self._session = None
        self.collection_version = None
        self.keep_session = False
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
        """Read the parameters, setting aside the hidden ones (the collection's version, _keep_session): not user options."""
        super()._load_params()
        self.collection_version = self.params.pop(VERSION_PARAMETER, None)
        self.keep_session = self.params.pop(KEEP_SESSION_PARAMETER, False)

    def new_api(self):
        """A ZendeskApi for this run's connection options (not authenticated with client credentials yet)."""
        return api_from_params(self.params, self.collection_version)

    @property
    def api(self):
        """The run's one ZendeskApi (one HTTP connection pool), authenticated."""
        if self._api is None:
            self._api = self.new_api()
            if uses_client_credentials(self.params):
                self._open_session()
        return self._api

    def _open_session(self):
        """Exchange the client credentials for this run's token; fail with advice when Zendesk refuses."""
        params = self.params
        try:
            self._session = exchange(self._api, params["oauth_client_identifier"], params["oauth_client_secret"],
                                     params.get("oauth_client_scopes"), PLAY_EXPIRES_IN if self.keep_session else MODULE_RUN_EXPIRES_IN)
        except ZendeskError as err:
            self.fail_json(msg=grant_error_message(err), status=err.status)
        atexit.register(self.close_session)
        self._api.use_granted(self._session)

    def close_session(self):
        """Revoke this run's session token, once; a warning (never a failure) when that is not possible."""
        session, self._session = self._session, None
        if session is None:
            return
        try:
            revoke_token_value(self._api, session.token)
        except Exception as err:  # pylint: disable=broad-exception-caught  # the run's own result matters more
            self.warn(close_warning(err))

    def exit_json(self, **kwargs):
        """Close the session (or hand it on, with _keep_session), then report success."""
        if self.keep_session and self._session is not None:
            kwargs.update(session_result(self._session))
            self._session = None
        self.close_session()
        super().exit_json(**kwargs)

    def fail_json(self, msg, **kwargs):
        """Close the session, then report the failure."""
        self.close_session()
        super().fail_json(msg=msg, **kwargs)

    def fail_on_api_error(self, err, context=None, **result):
        """fail_json with an actionable message for a ZendeskError."""
        self.fail_json(msg=error_message(err, context), status=err.status, **result)

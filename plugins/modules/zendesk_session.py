#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: zendesk_session
short_description: Open and close one Zendesk session from OAuth client credentials for a whole play
version_added: 0.1.0
description:
  - With OAuth client credentials (O(oauth_client_identifier) and O(oauth_client_secret)), every module of the
    collection exchanges them for a token of its own and revokes it at the end of its run. This module instead
    opens B(one) session for the tasks that follow, so that a play makes one exchange and one revocation.
  - O(state=present) exchanges the client credentials at C(POST /oauth/tokens) (grant type C(client_credentials))
    for an access token that lives O(expires_in) seconds, and returns it in RV(session.full_token) and, ready for
    C(module_defaults) of the group C(group/obscura.zendesk.zendesk), in RV(connection).
  - The result is hidden from every display callback (as with C(no_log)), while C(register) still holds it.
    Use C(no_log) on tasks that pass the token on, for example your own M(ansible.builtin.uri) calls.
  - O(state=absent) revokes the session token O(session_token) (C(DELETE /api/v2/oauth/tokens/current), authenticated
    by the token itself, so no other credentials are needed). A token already revoked or expired is C(changed=false).
    Put it in an C(always) section, so that a failed play leaves no session behind.
  - B(Pass-through.) With other credentials (O(oauth_token), O(api_token) or O(password)), O(state=present) opens
    nothing and returns an empty RV(connection), and O(state=absent) without O(session_token) does nothing, so a role
    or playbook can call both unconditionally.
  - The session token acts as the OAuth client's owner (the admin who created the client). To manage OAuth clients
    and tokens that user must be a Zendesk admin; if the owner leaves or loses the admin role, the client credentials
    stop working. Zendesk advises a dedicated admin user that owns such clients.
author:
  - Obscura Zendesk maintainers (@obscura)
extends_documentation_fragment:
  - obscura.zendesk.connection
  - obscura.zendesk.connection.action_group
  - obscura.zendesk.attributes
attributes:
  check_mode:
    support: full
    details:
      - A session is authentication, not a change of the account. In check mode it is opened and closed all the same,
        because the tasks that follow need it to read.
  diff_mode:
    support: none
options:
  state:
    description:
      - V(present) opens a session (with client credentials); V(absent) revokes O(session_token).
    type: str
    choices: [present, absent]
    default: present
  expires_in:
    description:
      - Seconds the session token lives unless revoked earlier, with O(state=present). Zendesk accepts more than
        300 and less than 172800. The default, one hour, covers a long play; the token is revoked by O(state=absent)
        when the play ends, so a shorter value only matters when that never runs.
    type: int
    default: 3600
  session_token:
    description:
      - With O(state=absent), the session token to revoke, usually C(registered.session.full_token).
      - Empty or unset (a session that was never opened because other credentials are used) makes O(state=absent)
        do nothing.
    type: str
seealso:
  - module: obscura.zendesk.zendesk_oauth_token
  - name: Zendesk grant type tokens
    description: Zendesk's reference for C(POST /oauth/tokens).
    link: https://developer.zendesk.com/api-reference/ticketing/oauth/grant_type_tokens/
"""

EXAMPLES = r"""
- name: Work with one Zendesk session (client credentials from ZENDESK_OAUTH_CLIENT_IDENTIFIER/_SECRET)
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Open the session
      obscura.zendesk.zendesk_session:
        expires_in: 1800
      register: zendesk

    - name: Use it
      module_defaults:
        group/obscura.zendesk.zendesk: "{{ zendesk.connection }}"
      block:
        - name: Find the client of my app
          obscura.zendesk.zendesk_oauth_client_info:
            identifier: my_app
          register: my_app

        - name: Mint a token for it
          obscura.zendesk.zendesk_oauth_token:
            client_id: "{{ my_app.clients[0].id }}"
            scopes: [read]
          register: minted

        - name: Call an endpoint the collection has no module for
          ansible.builtin.uri:
            url: "https://obscura.zendesk.com/api/v2/users/me"
            headers:
              Authorization: "Bearer {{ zendesk.session.full_token }}"
          no_log: true
          when: zendesk.session.full_token is defined
      always:
        - name: Close the session, also when a task failed
          obscura.zendesk.zendesk_session:
            state: absent
            session_token: "{{ zendesk.session.full_token | default('') }}"

- name: Client credentials given as options; merge the session over them for the later tasks
  hosts: localhost
  gather_facts: false
  vars:
    zendesk_api:
      subdomain: obscura
      oauth_client_identifier: ansible_automation
      oauth_client_secret: "{{ vault_zendesk_client_secret }}"
  tasks:
    - name: Open the session
      obscura.zendesk.zendesk_session:
      module_defaults:
        group/obscura.zendesk.zendesk: "{{ zendesk_api }}"
      register: zendesk

    - name: Read the clients with the session
      obscura.zendesk.zendesk_oauth_client_info:
      module_defaults:
        group/obscura.zendesk.zendesk: "{{ zendesk_api | combine(zendesk.connection) }}"
      register: clients

    - name: Close the session
      obscura.zendesk.zendesk_session:
        state: absent
        session_token: "{{ zendesk.session.full_token | default('') }}"
      module_defaults:
        group/obscura.zendesk.zendesk: "{{ zendesk_api }}"
"""

RETURN = r"""
session:
  description:
    - The session opened by O(state=present) with client credentials; an empty dict when passing other credentials through
      and with O(state=absent).
  returned: success
  type: dict
  contains:
    full_token:
      description: The session token (an OAuth access token). Hidden from display; never logged.
      type: str
      returned: when a session was opened
    scopes:
      description: The scopes Zendesk granted.
      type: list
      elements: str
      sample: [read, write]
    expires_in:
      description: Seconds the token lives from its creation.
      type: int
      sample: 3600
    expires_at:
      description: When the token expires unless revoked earlier (UTC, ISO 8601), computed from RV(session.expires_in).
      type: str
      sample: "2026-12-03T10:15:00Z"
connection:
  description:
    - Connection options for the tasks that follow, to use as C(module_defaults) of C(group/obscura.zendesk.zendesk)
      or to merge over yours (C(combine)). With a session, V(oauth_token) is the session token and
      V(oauth_client_identifier) and V(oauth_client_secret) are empty strings, so that the
      E(ZENDESK_OAUTH_CLIENT_IDENTIFIER)/E(ZENDESK_OAUTH_CLIENT_SECRET) environment fallbacks do not apply as well.
    - Empty when passing other credentials through (Ansible never returns the value of a secret option), and with
      O(state=absent).
  returned: success
  type: dict
  sample:
    oauth_token: (the session token)
    oauth_client_identifier: ""
    oauth_client_secret: ""
"""

from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._connection_options import credential_problems, uses_client_credentials
from ansible_collections.obscura.zendesk.plugins.module_utils._zendesk_module import ZendeskModule, error_message
from ansible_collections.obscura.zendesk.plugins.module_utils._grant import PLAY_EXPIRES_IN, exchange, expires_in_problems, grant_error_message, session_result
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import revoke_token_value


def open_session(module):
    """state=present: one exchange with client credentials, or a pass-through of other credentials."""
    params = module.params
    problems = credential_problems(params) + expires_in_problems(params["expires_in"])
    if problems:
        module.fail_json(msg=" ".join(problems))
    if not uses_client_credentials(params):
        return dict(changed=False, session={}, connection={})
    try:
        session = exchange(module.new_api(), params["oauth_client_identifier"], params["oauth_client_secret"],
                           params["oauth_client_scopes"], params["expires_in"])
    except ZendeskError as err:
        module.fail_json(msg=grant_error_message(err), status=err.status)
    return dict(changed=True, **session_result(session))


def close_session(module):
    """state=absent: revoke the session token; nothing to do without one."""
    token = (module.params["session_token"] or "").strip()
    if not token:
        return dict(changed=False, session={}, connection={})
    try:
        revoked = revoke_token_value(module.new_api(), token)
    except ZendeskError as err:
        module.fail_json(msg=error_message(err, "Could not revoke the session token."), status=err.status)
    return dict(changed=revoked, session={}, connection={})


def main():
    """Run the module."""
    module = ZendeskModule(
        argument_spec=dict(
            state=dict(type="str", choices=["present", "absent"], default="present"),
            expires_in=dict(type="int", default=PLAY_EXPIRES_IN),
            session_token=dict(type="str", no_log=True),
        ),
        supports_check_mode=True,
        credentials_required=False,
    )
    if module.params["state"] == "present":
        module.exit_json(**open_session(module))
    module.exit_json(**close_session(module))


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: zendesk_oauth_client_info
short_description: List Zendesk OAuth clients, optionally filtered by id, identifier or name
version_added: 0.1.0
description:
  - Reads the OAuth clients of a Zendesk account and returns those matching every given filter.
  - Reads every page of clients (cursor pagination, 100 per page). A filter by O(identifier) stops at the
    first match, since identifiers are unique; a filter by O(id) makes one direct request.
  - No filter matching is not an error; RV(clients) is then an empty list.
  - Never returns a client secret.
author:
  - Obscura Zendesk maintainers (@obscura)
extends_documentation_fragment:
  - obscura.zendesk.connection
  - obscura.zendesk.connection.action_group
  - obscura.zendesk.attributes
  - obscura.zendesk.attributes.info_module
options:
  id:
    description:
      - The client's numeric resource id (the C(client_id) that token calls take).
    type: int
  identifier:
    description:
      - The client's unique identifier (the OAuth C(client_id) of the grant flows).
    type: str
  name:
    description:
      - The client's name. Several clients may share one name.
    type: str
seealso:
  - module: obscura.zendesk.zendesk_oauth_token
  - name: Zendesk OAuth Clients API
    description: Zendesk's reference for the endpoints this module reads.
    link: https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_clients/
"""

EXAMPLES = r"""
- name: Find the client of my app by name (connection from ZENDESK_* environment variables)
  obscura.zendesk.zendesk_oauth_client_info:
    name: OAuth client for my app
  register: found

- name: Use its id
  ansible.builtin.debug:
    msg: "client id {{ found.clients[0].id }}"
  when: found.clients | length == 1

- name: List every OAuth client of the account, authenticating with an OAuth token
  obscura.zendesk.zendesk_oauth_client_info:
    subdomain: obscura
    oauth_token: "{{ vault_zendesk_admin_oauth_token }}"
  register: all_clients

- name: Look up one client by identifier through module_defaults
  module_defaults:
    group/obscura.zendesk.zendesk:
      subdomain: obscura
      oauth_token: "{{ vault_zendesk_admin_oauth_token }}"
  block:
    - name: Read it
      obscura.zendesk.zendesk_oauth_client_info:
        identifier: my_app
      register: my_app
"""

RETURN = r"""
clients:
  description: The OAuth clients that match every filter given (all of them without filters); empty when none matches.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: Resource id; what O(obscura.zendesk.zendesk_oauth_token#module:client_id) takes.
      type: int
      sample: 223443
    name:
      description: The client's name.
      type: str
      sample: OAuth client for my app
    identifier:
      description: The client's unique identifier.
      type: str
      sample: my_app
    kind:
      description: V(public) or V(confidential).
      type: str
      sample: confidential
    company:
      description: The company shown to users who authorize the client.
      type: str
    description:
      description: The client's description.
      type: str
    redirect_uri:
      description: Redirect URLs of the authorization flow.
      type: list
      elements: str
    user_id:
      description: Id of the admin who created the client.
      type: int
    global:
      description: Whether it is a global (multi-account) client.
      type: bool
    created_at:
      description: Creation time, ISO 8601.
      type: str
      sample: "2026-11-01T09:00:00Z"
    updated_at:
      description: Last update time, ISO 8601.
      type: str
    url:
      description: The client's API URL.
      type: str
"""

from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._zendesk_module import ZendeskModule
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import find_clients, public_client


def main():
    """Run the module."""
    module = ZendeskModule(
        argument_spec=dict(
            id=dict(type="int"),
            identifier=dict(type="str"),
            name=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    params = module.params
    try:
        clients = find_clients(module.api, params["id"], params["identifier"], params["name"])
    except ZendeskError as err:
        module.fail_on_api_error(err, "Could not read the OAuth clients.")
    module.exit_json(changed=False, clients=[public_client(c) for c in clients])


if __name__ == "__main__":
    main()

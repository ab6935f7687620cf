#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: zendesk_oauth_token_info
short_description: Inventory of Zendesk OAuth tokens with their owners and what will break or has leaked
version_added: 0.1.0
description:
  - Lists OAuth access tokens with their metadata, their B(owner) (the user each token acts as) and a list of
    B(problems) with stable names a playbook can test, plus a count per problem in RV(summary).
  - By default the calling user's tokens; with O(all_users=true) every user's. Zendesk lists OAuth tokens to
    admins only, so the credentials must be an admin's.
  - Filters, all optional and combined with AND, are one client selector (O(client_id), O(client_identifier) or
    O(client_name)), O(token_id), and O(token) (a leaked value or its prefix). Expired tokens are left out unless
    O(include_expired=true).
  - Reads only; it never writes, so check mode runs it as usual.
  - B(Cost) in requests - one per 100 listed tokens (cursor pages), plus one C(GET /api/v2/users/show_many) per
    100 distinct owners, plus the client check for V(client_missing) - nothing when the client was selected by
    O(client_identifier) or O(client_name) (that lookup already proved it exists), one direct read with
    O(client_id), otherwise the client list, read only until every client of the listed tokens has been seen (one
    page for accounts with up to 100 clients). O(include_expired) without O(all_users) adds one
    C(GET /api/v2/users/me). No request is made per token.
  - With client-credentials connection options (O(oauth_client_identifier), O(oauth_client_secret)) the run's own
    session token is never listed; telling it apart costs one C(GET /api/v2/oauth/tokens/current), only when the
    selection is not empty.
  - B(Never any part of a token value) is returned, not even the 10-character prefix Zendesk lists (the id
    identifies a token; revoke it with M(obscura.zendesk.zendesk_oauth_token) and its C(token_id)).
  - "B(Problems), in this order:"
  - V(expired) - C(expires_at) has passed (only listed with O(include_expired)).
  - V(expiring) - expires within O(expiring_within) seconds.
  - V(no_expiry) - a live token without an expiry (C(expires_at) empty), such as every token of the Tokens API.
    Zendesk enforces expiring tokens for every customer by 2027-04-01; replace these with tokens minted with a
    lifetime (M(obscura.zendesk.zendesk_oauth_token) with C(source=client_credentials)).
  - V(unused) - not used for O(unused_for_days) days; a token never used counts from its creation, so one minted
    today is not unused yet.
  - V(owner_suspended) - the owner is suspended, so the token no longer authenticates.
  - V(owner_inactive) - the owner was deleted (Zendesk's C(active=false)), or Zendesk returns no such user; the
    token no longer authenticates.
  - V(owner_not_admin) - the owner is not an admin while the token's work needs one, that is when its scopes reach
    admin-only endpoints - V(read) or V(write) without a resource (these cover the OAuth clients and tokens APIs,
    audit logs and targets), V(impersonate), V(auditlogs:read), V(targets:write), V(unrestricted:read) or
    V(unrestricted:write). Such calls fail with 403, typically after an admin was downgraded. A token limited to
    resource scopes such as V(tickets:read) never has this problem; narrow a token's scopes when it needs no admin.
  - V(client_missing) - the token's C(client_id) is not one of the account's OAuth clients (for example a client
    deleted while its tokens were read; tokens of a global client, which the account's client list does not show,
    count too).
author:
  - Obscura Zendesk maintainers (@obscura)
extends_documentation_fragment:
  - obscura.zendesk.connection
  - obscura.zendesk.connection.action_group
  - obscura.zendesk.attributes
  - obscura.zendesk.attributes.info_module
options:
  all_users:
    description:
      - V(false) lists the calling user's tokens; V(true) every user's (C(all=true)). Both need a Zendesk admin;
        a non-admin gets a message saying so.
    type: bool
    default: false
  client_id:
    description:
      - Only tokens of the OAuth client with this numeric resource id. One of O(client_id), O(client_identifier)
        and O(client_name) may be given.
    type: int
  client_identifier:
    description:
      - Only tokens of the OAuth client with this unique identifier (one client lookup).
    type: str
  client_name:
    description:
      - Only tokens of the OAuth client with this name. Fails, listing the candidates, when several clients share
        it, and when no client has it.
    type: str
  token_id:
    description:
      - Only the token with this id (one direct read, whoever owns it).
    type: int
  token:
    description:
      - A leaked token value, to find which token it is, whose, and used when. Never echoed, in whole or in part.
      - The token list is read first, and tokens whose listed prefix matches the value's first 10 characters are
        the candidates. A value longer than 10 characters is then checked as a full token with
        C(GET /api/v2/oauth/tokens/current) authenticated by the value itself; if Zendesk accepts it, exactly that
        token is returned and RV(matched_by=value). That read is itself a use (Zendesk updates the token's
        C(used_at)), so the returned C(used_at) is the last use as the list showed it before the lookup
        (RV(used_at_before_lookup)); the evidence of when the leaked value was last used is kept.
      - Otherwise (a value of 10 characters, a fragment, or a value Zendesk no longer accepts, such as an expired
        token's) its first 10 characters are matched against the prefix Zendesk lists of each token
        (RV(matched_by=prefix)). Several tokens can share a prefix (expiring tokens are JWTs with a common header),
        so check how many were found before revoking.
      - Shorter than 10 characters fails. Use O(all_users=true) to search every user's tokens.
    type: str
  include_expired:
    description:
      - Also list expired tokens (Zendesk's C(include_expired), which requires C(all=true); without O(all_users)
        the list is narrowed to the caller).
    type: bool
    default: false
  expiring_within:
    description:
      - A token that expires within this many seconds has the problem V(expiring). V(0) turns it off.
    type: int
    default: 0
  unused_for_days:
    description:
      - A token not used for this many days (never used - since its creation) has the problem V(unused). V(0) turns
        it off.
    type: int
    default: 0
seealso:
  - module: obscura.zendesk.zendesk_oauth_token
  - module: obscura.zendesk.zendesk_oauth_client
  - name: Zendesk OAuth Tokens API
    description: Zendesk's reference for the token endpoints this module reads.
    link: https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/
  - name: Zendesk Show Many Users
    description: How the owners are read, up to 100 per request.
    link: https://developer.zendesk.com/api-reference/ticketing/users/users/#show-many-users
"""

EXAMPLES = r"""
- name: Every token of the account, with problems (connection from ZENDESK_* environment variables)
  obscura.zendesk.zendesk_oauth_token_info:
    all_users: true
    expiring_within: 604800  # a week
    unused_for_days: 90
  register: inventory

- name: Fail when a token acts as a suspended or deleted user
  ansible.builtin.assert:
    that:
      - inventory.summary.owner_suspended == 0
      - inventory.summary.owner_inactive == 0
    fail_msg: "{{ inventory.tokens | selectattr('problems') | map(attribute='id') | list }} will stop working"

- name: The tokens that break when Zendesk enforces expiring tokens (2027-04-01)
  ansible.builtin.debug:
    msg: "{{ inventory.summary.no_expiry }} tokens never expire: {{ never | map(attribute='id') | list }}"
  vars:
    never: "{{ inventory.tokens | selectattr('problems', 'contains', 'no_expiry') }}"

- name: Which token is this leaked value, and whose? (no_log keeps the value out of the output)
  obscura.zendesk.zendesk_oauth_token_info:
    all_users: true
    token: "{{ leaked_value }}"
  register: leaked
  no_log: true

- name: Show what was found (ids, owner, client; never a value)
  ansible.builtin.debug:
    msg: "{{ leaked.tokens | map(attribute='id') | list }} matched by {{ leaked.matched_by }}"

- name: Tokens of one client, through module_defaults
  module_defaults:
    group/obscura.zendesk.zendesk:
      subdomain: obscura
      oauth_token: "{{ vault_zendesk_admin_oauth_token }}"
  block:
    - name: Read them
      obscura.zendesk.zendesk_oauth_token_info:
        all_users: true
        client_identifier: my_app
      register: my_app_tokens
"""

RETURN = r"""
tokens:
  description: The tokens selected, oldest first as Zendesk lists them; empty when none matches. Never any part of a value.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The token's id (what O(obscura.zendesk.zendesk_oauth_token#module:token_id) takes).
      type: int
      sample: 8678530
    client_id:
      description: The OAuth client's resource id.
      type: int
    user_id:
      description: The user the token acts as (its owner).
      type: int
    scopes:
      description: The token's scopes.
      type: list
      elements: str
      sample: [read, write]
    created_at:
      description: Creation time, ISO 8601.
      type: str
    expires_at:
      description: Expiry time, ISO 8601, or null for a token that does not expire.
      type: str
    used_at:
      description: Last use, ISO 8601, or null when never used.
      type: str
    url:
      description: The token's API URL.
      type: str
    owner:
      description: The user the token acts as (from C(users/show_many) with deleted users included).
      type: dict
      contains:
        id:
          description: User id.
          type: int
        name:
          description: Name (null when Zendesk returns no such user).
          type: str
        email:
          description: E-mail address.
          type: str
        role:
          description: V(admin), V(agent) or V(end-user).
          type: str
        active:
          description: False when the user was deleted, or when Zendesk returns no such user.
          type: bool
        suspended:
          description: Whether the user is suspended.
          type: bool
    problems:
      description:
        - Names from V(expired), V(expiring), V(no_expiry), V(unused), V(owner_suspended), V(owner_inactive), V(owner_not_admin),
          V(client_missing) (see the description for when each applies), in that order; empty when none.
      type: list
      elements: str
      sample: [owner_suspended]
summary:
  description: V(total) tokens returned and, for every problem name (0 when none), how many tokens have it.
  returned: success
  type: dict
  sample:
    total: 12
    expired: 0
    expiring: 1
    no_expiry: 9
    unused: 3
    owner_suspended: 2
    owner_inactive: 0
    owner_not_admin: 1
    client_missing: 0
matched_by:
  description: With O(token) - V(value) when Zendesk confirmed the full value, V(prefix) when the listed prefixes were matched.
  returned: when O(token) is given
  type: str
  sample: value
used_at_before_lookup:
  description:
    - With RV(matched_by=value) - V(true) when the token's C(used_at) is its last use as Zendesk listed it before the
      lookup with the value; V(false) when the list read did not show the token (another user's token without
      O(all_users=true)), so C(used_at) includes the lookup itself.
  returned: when RV(matched_by) is V(value)
  type: bool
  sample: true
"""

from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._zendesk_module import ZendeskModule
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import OAuthProblem, client_selector_problems
from ansible_collections.obscura.zendesk.plugins.module_utils._token_inventory import Inventory, inventory_problems


def main():
    """Run the module."""
    module = ZendeskModule(
        argument_spec=dict(
            all_users=dict(type="bool", default=False),
            client_id=dict(type="int"),
            client_identifier=dict(type="str"),
            client_name=dict(type="str"),
            token_id=dict(type="int", no_log=False),
            token=dict(type="str", no_log=True),
            include_expired=dict(type="bool", default=False),
            expiring_within=dict(type="int", default=0),
            unused_for_days=dict(type="int", default=0),
        ),
        supports_check_mode=True,
    )
    problems = client_selector_problems(module.params) + inventory_problems(module.params)
    if problems:
        module.fail_json(msg=" ".join(problems))
    inventory = Inventory(module.api, module.params)
    try:
        tokens, summary = inventory.run()
    except OAuthProblem as err:
        module.fail_json(msg=str(err))
    except ZendeskError as err:
        module.fail_on_api_error(err, "Could not read the OAuth token inventory.")
    result = dict(changed=False, tokens=tokens, summary=summary)
    if module.params["token"] is not None:
        result["matched_by"] = inventory.matched_by
    if inventory.matched_by == "value":
        result["used_at_before_lookup"] = inventory.used_at_before_lookup
    module.exit_json(**result)


if __name__ == "__main__":
    main()

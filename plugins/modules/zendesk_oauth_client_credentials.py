#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: zendesk_oauth_client_credentials
short_description: Decide which OAuth client identifier and secret a fleet of applications holds
version_added: 0.1.0
description:
  - For applications that use the OAuth client credentials grant themselves (each host holds a confidential OAuth
    client's identifier and secret and exchanges them for tokens). Run it once per play, on the controller; it decides
    which pair the hosts should hold and regenerates a secret only when no held one works, or on a rotation.
  - O(identifiers) names one or two confidential OAuth clients, the B(slots). With two, a rotation never breaks a
    host. The new secret is made in the slot no host uses, and the other slot is retired (its secret regenerated and
    discarded) only once every host holds the new pair. With one, the secret is regenerated in place and every host
    fails to authenticate until it holds the new secret (the module warns).
  - One C(GET /api/v2/oauth/clients) resolves the slots. A missing or public client fails before anything changes,
    naming it and the fix (create it with M(obscura.zendesk.zendesk_oauth_client) and C(kind=confidential)).
  - B(Held pairs are checked by use.) Each distinct pair of O(held) whose identifier is a slot is exchanged once at
    C(POST /oauth/tokens) (grant type C(client_credentials), C(expires_in) 301, no scope), and the token is revoked at
    once (C(DELETE /api/v2/oauth/tokens/current) authenticated by it). Zendesk refusing the pair (HTTP 401, or 400
    C(invalid_client)/C(invalid_grant)) makes it invalid; any other failure fails the task. A failed revocation is a
    warning; the token expires within five minutes anyway.
  - B(The choice.) Without O(rotate), the valid pair held by the most hosts is kept (a tie goes to the earlier slot of
    O(identifiers)); RV(retire) names the other slot when some host still holds a valid pair of it. Otherwise (no
    valid pair, or O(rotate=true)) the secret of a slot is regenerated with
    C(PUT /api/v2/oauth/clients/{id}/generate_secret), in a slot no host holds, or else the one fewer hosts hold (a tie
    spares the slot of the valid pair). With two slots RV(retire) is then the other one.
  - B(A given secret.) With O(secret), that secret of the only slot is deployed as it is. It is checked with one
    exchange (revoked at once) and the task fails, naming O(secret), when Zendesk refuses it; nothing is regenerated.
  - The new secret is returned once, in RV(secret); the whole result is then hidden from every display callback (as
    with C(no_log)) while C(register) keeps it. No secret ever appears in a message or warning.
  - B(Retiring) is the caller's step, after every host holds the chosen pair and none failed. Regenerate the retired
    slot's secret and discard it with M(obscura.zendesk.zendesk_oauth_client) and C(regenerate_secret=true), so that
    the old secret stops working. The role P(obscura.zendesk.oauth_token#role) does all this with
    C(oauth_token_delivery=client_credentials).
  - Check mode regenerates nothing; the checks of the held pairs still run (they leave no token behind).
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
      - Nothing is regenerated. The held pairs (or O(secret)) are still checked, each with one exchange whose token is
        revoked at once, because the prediction depends on them.
  diff_mode:
    support: none
options:
  identifiers:
    description:
      - The B(Identifier) of one or two confidential OAuth clients (the OAuth C(client_id) of the grant, not the numeric
        id), the slots the fleet alternates between. Two make rotations without downtime.
    type: list
    elements: str
    required: true
  held:
    description:
      - The pairs the hosts hold now, B(one entry per host) that holds one (the counts decide between valid pairs and
        between slots). Entries of other identifiers, and entries lacking the identifier or the secret, are ignored.
      - The secrets are never returned or shown.
    type: list
    elements: dict
    default: []
    suboptions:
      identifier:
        description: The OAuth client identifier a host holds.
        type: str
        required: true
      secret:
        description: The secret the host holds with it.
        type: str
        required: true
  secret:
    description:
      - A secret to deploy as it is, for example one kept in a vault, instead of letting the module keep a held one or
        regenerate one. O(identifiers) must then have exactly one entry. Checked with one exchange; the task fails when
        Zendesk refuses it. Excludes O(rotate).
    type: str
  rotate:
    description:
      - Regenerate a secret even when a held pair is valid (a rotation); see the description for which slot.
    type: bool
    default: false
seealso:
  - module: obscura.zendesk.zendesk_oauth_client
  - module: obscura.zendesk.zendesk_token_file
  - name: Tokens that expire
    description: The collection's guide to client credentials delivery and rotation (docs/expiring-tokens.md).
    link: https://github.com/obscura/obscura.zendesk/blob/main/docs/expiring-tokens.md
"""

EXAMPLES = r"""
- name: Keep the pair the hosts hold, or make a new secret in the slot no host uses
  obscura.zendesk.zendesk_oauth_client_credentials:
    identifiers: [my_app_blue, my_app_green]
    held: "{{ ansible_play_hosts | map('extract', hostvars, 'my_app_pair') | select | list }}"
  run_once: true
  delegate_to: localhost
  register: decided
  no_log: true

- name: Deploy the chosen pair (the new secret when one was regenerated)
  ansible.builtin.copy:
    content: |
      ZENDESK_OAUTH_CLIENT_IDENTIFIER={{ decided.identifier }}
      ZENDESK_OAUTH_CLIENT_SECRET={{ decided.secret if decided.regenerated else held[decided.kept_index].secret }}
    dest: /etc/myapp/zendesk.env
    mode: "0600"
  vars:
    held: "{{ ansible_play_hosts | map('extract', hostvars, 'my_app_pair') | select | list }}"
  no_log: true

- name: Once every host holds it, retire the other slot (its secret is regenerated and discarded)
  obscura.zendesk.zendesk_oauth_client:
    identifier: "{{ decided.retire }}"
    regenerate_secret: true
  when: decided.retire is not none
  run_once: true
  delegate_to: localhost
  no_log: true

- name: Rotate now
  obscura.zendesk.zendesk_oauth_client_credentials:
    identifiers: [my_app_blue, my_app_green]
    held: "{{ ansible_play_hosts | map('extract', hostvars, 'my_app_pair') | select | list }}"
    rotate: true
  run_once: true
  register: decided
  no_log: true

- name: Deploy a secret kept in a vault (one client); fails if Zendesk refuses it
  obscura.zendesk.zendesk_oauth_client_credentials:
    identifiers: [my_app]
    secret: "{{ vault_my_app_client_secret }}"
  run_once: true
  register: decided
"""

RETURN = r"""
identifier:
  description: The chosen slot's identifier, the one every host should hold.
  returned: success
  type: str
  sample: my_app_green
client_id:
  description: The chosen slot's client id (numeric).
  returned: success
  type: int
  sample: 223443
regenerated:
  description: Whether the chosen slot's secret was regenerated (in check mode, would be). Equals C(changed).
  returned: success
  type: bool
secret:
  description:
    - The regenerated secret. B(Only) when this run regenerated it (never in check mode); Zendesk never shows it again.
    - The whole result is hidden from display when this key is present; keep it out of logs with C(no_log).
    - Run by the role (its internal fleet option), the chosen secret whatever its origin, in check mode a placeholder
      when a real run would regenerate.
  returned: when this run regenerated a secret
  type: str
kept_index:
  description:
    - The index in O(held), as given, of the first entry holding the chosen pair; null when the secret was (would be)
      regenerated, or when no entry holds a given O(secret).
    - The chosen secret is then O(held)[RV(kept_index)].secret (or O(secret)).
  returned: success
  type: int
  sample: 0
retire:
  description:
    - The other slot's identifier, to retire once every host holds the chosen pair (regenerate its secret and discard
      it); null when nothing is to be retired.
  returned: success
  type: str
  sample: my_app_blue
retire_client_id:
  description: The client id of RV(retire); null with it.
  returned: success
  type: int
validated:
  description: How many exchanges checked held pairs or O(secret) (one per distinct pair of a slot).
  returned: success
  type: int
  sample: 1
url:
  description: The Zendesk account's base URL the clients belong to, for applications that need it with the pair.
  returned: success
  type: str
  sample: https://obscura.zendesk.com
"""

from ansible_collections.obscura.zendesk.plugins.module_utils._client_credentials import Decision, input_problems
from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import OAuthProblem
from ansible_collections.obscura.zendesk.plugins.module_utils._zendesk_module import KEEP_FOR_REVOCATIONS, ZendeskModule


def main():
    """Run the module."""
    module = ZendeskModule(
        argument_spec=dict(
            identifiers=dict(type="list", elements="str", required=True),
            held=dict(type="list", elements="dict", default=[], options=dict(
                identifier=dict(type="str", required=True),
                secret=dict(type="str", required=True, no_log=True),
            )),
            secret=dict(type="str", no_log=True),
            rotate=dict(type="bool", default=False),
        ),
        supports_check_mode=True,
    )
    problems = input_problems(module.params)
    if problems:
        module.fail_json(msg=" ".join(problems))
    try:
        result = Decision(module.api, module.params, module.check_mode, module.warn).run()
    except OAuthProblem as err:
        module.fail_json(msg=str(err))
    except ZendeskError as err:
        module.fail_on_api_error(err, "Could not decide the client credentials of %s." % ", ".join(module.params["identifiers"]))
    if module.keep_session == KEEP_FOR_REVOCATIONS and (module.check_mode or result["retire"] is None):
        module.keep_session = False  # no retirement follows: the run closes its session itself
    module.exit_json(**result)


if __name__ == "__main__":
    main()

#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: zendesk_oauth_client
short_description: Create, update, delete Zendesk OAuth clients and regenerate their secret
version_added: 0.1.0
description:
  - Manages a local OAuth client of a Zendesk account as code, selected by its unique O(identifier).
  - O(state=present) creates the client, or updates only the fields that differ with one
    C(PUT /api/v2/oauth/clients/{id}) carrying exactly those fields. When nothing differs nothing is written
    and C(changed=false). An option left unset is not managed (Zendesk keeps its value).
  - Comparing, text fields treat null and an empty string alike; O(redirect_uri) is compared as a set (order and
    repeats do not matter, since Zendesk accepts a redirect to any URL of the list). When it differs, the list is
    sent as given.
  - Zendesk returns a client's secret in full only when the client is created and when the secret is regenerated.
    Only then does RV(client.secret) hold it, once, for C(register); the whole result is then hidden from every
    display callback (as with C(no_log)) while C(register) keeps it. Failures stay visible and never carry it.
  - O(regenerate_secret=true) B(breaks every application that holds the old secret) (for example one using the
    client credentials grant) the moment it runs. It is never implied by another option; use it to rotate the
    secret or to recover one that was never delivered.
  - O(state=absent) deletes the client. Zendesk then revokes B(every token) issued for it, of every user; check
    mode, diff mode and RV(tokens_revoked) say how many (counted with C(GET /api/v2/oauth/tokens?all=true&client_id=),
    which reads one page per 100 tokens). Deleting a client that is not there is C(changed=false).
  - Check mode writes nothing; it reads the client (and, for O(state=absent), counts its tokens) and predicts
    C(changed), RV(client) and the diff.
  - Diff mode shows the identifier and the managed fields, never a secret; a regeneration shows as a placeholder.
  - Needs a Zendesk admin (the OAuth Clients API is for admins).
author:
  - Obscura Zendesk maintainers (@obscura)
extends_documentation_fragment:
  - obscura.zendesk.connection
  - obscura.zendesk.connection.action_group
  - obscura.zendesk.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
options:
  state:
    description:
      - V(present) makes sure the client exists with the given fields; V(absent) deletes it (and so revokes its tokens).
    type: str
    choices: [present, absent]
    default: present
  identifier:
    description:
      - The client's unique identifier (the OAuth C(client_id) of Zendesk's grant flows). Selects the client; it
        cannot be changed by this module.
    type: str
    required: true
  name:
    description:
      - The client's name. Required to create the client.
    type: str
  kind:
    description:
      - V(confidential) (can keep a secret; needed for the client credentials grant) or V(public).
      - Unset when creating, Zendesk's default applies.
    type: str
    choices: [public, confidential]
  redirect_uri:
    description:
      - Redirect URLs of the authorization code flow. Compared as a set (order and repeats do not matter).
      - An empty list removes every URL.
    type: list
    elements: str
  description:
    description:
      - The client's description, shown to users who authorize it.
    type: str
  company:
    description:
      - The company shown to users who authorize the client.
    type: str
  regenerate_secret:
    description:
      - Give the existing client a new secret, returned once in RV(client.secret) (and written to O(dest)).
      - B(The old secret stops working at once:) every application holding it breaks until it gets the new one.
      - Changes the client on every run while true; set it for one run only. Ignored when this run creates the
        client (a new client's secret is fresh already).
    type: bool
    default: false
  dest:
    description:
      - A file on the host running the module to write the secret to (mode C(0600), replaced atomically), whenever
        this run knows it (the client was created or its secret regenerated); otherwise the file is left as it is.
      - If the file cannot be written, the module fails saying so. The client (or its new secret) then exists in
        Zendesk but the secret was delivered nowhere; run again with O(regenerate_secret=true) once the path is fixed.
      - A symbolic link at O(dest) is replaced by a regular file, never written through (its target keeps its
        content, owner and mode).
    type: path
seealso:
  - module: obscura.zendesk.zendesk_oauth_client_info
  - module: obscura.zendesk.zendesk_oauth_token
  - name: Zendesk OAuth Clients API
    description: Zendesk's reference for the endpoints this module calls.
    link: https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_clients/
"""

EXAMPLES = r"""
- name: Make sure the client of my app exists (connection from ZENDESK_* environment variables)
  obscura.zendesk.zendesk_oauth_client:
    identifier: my_app
    name: OAuth client for my app
    kind: confidential
    company: Example Inc.
    redirect_uri:
      - https://app.example.com/oauth/callback
  register: my_app_client

- name: Store the secret in the vault of your choice when the client was just created
  ansible.builtin.copy:
    content: "{{ my_app_client.client.secret }}"
    dest: /etc/myapp/zendesk-client-secret
    mode: "0600"
  when: my_app_client.client.secret is defined
  no_log: true

- name: Rotate the secret (breaks every application holding the old one) and write it to a file
  obscura.zendesk.zendesk_oauth_client:
    identifier: my_app
    regenerate_secret: true
    dest: ~/.zendesk-my-app-secret

- name: See how many tokens deleting the client would revoke, without deleting it
  obscura.zendesk.zendesk_oauth_client:
    identifier: old_integration
    state: absent
  check_mode: true
  register: would_delete

- name: Delete it
  obscura.zendesk.zendesk_oauth_client:
    identifier: old_integration
    state: absent
  when: would_delete.tokens_revoked == 0
"""

RETURN = r"""
client:
  description:
    - The client as it is now (as it would be, in check mode); empty with O(state=absent), and in check mode when
      the client would be created.
    - The public fields of M(obscura.zendesk.zendesk_oauth_client_info), plus C(secret) only when this run created
      the client or regenerated its secret.
  returned: always
  type: dict
  contains:
    id:
      description: Resource id; what O(obscura.zendesk.zendesk_oauth_token#module:client_id) takes.
      type: int
      sample: 223443
    name:
      description: The client's name.
      type: str
    identifier:
      description: The client's unique identifier.
      type: str
      sample: my_app
    kind:
      description: V(public) or V(confidential).
      type: str
    company:
      description: The company shown to users who authorize the client.
      type: str
    description:
      description: The client's description.
      type: str
    redirect_uri:
      description: Redirect URLs.
      type: list
      elements: str
    user_id:
      description: Id of the admin who created the client (a client credentials token acts as this user).
      type: int
    global:
      description: Whether it is a global client.
      type: bool
    created_at:
      description: Creation time, ISO 8601.
      type: str
    updated_at:
      description: Last update time, ISO 8601.
      type: str
    url:
      description: The client's API URL.
      type: str
    secret:
      description:
        - The client's secret. B(Only) when this run created the client or regenerated its secret; Zendesk never
          shows it in full again.
        - The whole result is hidden from display when this key is present; keep it out of logs with C(no_log).
      type: str
      returned: when this run created the client or regenerated its secret
tokens_revoked:
  description: How many live tokens (of every user) deleting the client revoked (would revoke, in check mode).
  returned: when O(state=absent)
  type: int
  sample: 3
"""

from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import (
    SECRET_PLACEHOLDER_AFTER,
    SECRET_PLACEHOLDER_BEFORE,
    changed_fields,
    create_client,
    delete_client,
    diff_view,
    field_problems,
    find_client,
    missing_secret_problem,
    planned_client,
    regenerate_secret,
    undelivered_secret_message,
    update_client,
    wanted_fields,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import count_client_tokens
from ansible_collections.obscura.zendesk.plugins.module_utils._secret_file import write_secret_file
from ansible_collections.obscura.zendesk.plugins.module_utils._zendesk_module import ZendeskModule
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import OAuthProblem, public_client


class ClientRun:
    """One run of the module: read the client, then create, update, regenerate or delete it."""

    def __init__(self, module):
        self.module = module
        self.api = module.api
        self.params = module.params
        self.result = dict(changed=False, client={})

    def present(self):
        """Create the client, or update the fields that differ; regenerate the secret when asked."""
        current = find_client(self.api, self.params["identifier"])
        if current is None:
            return self.create()
        changes = changed_fields(current, wanted_fields(self.params))
        before, after = diff_view(current), dict(diff_view(current), **changes)
        self.result["client"] = self.update(current, changes) if changes else public_client(current)
        if self.params["regenerate_secret"]:
            before["secret"], after["secret"] = SECRET_PLACEHOLDER_BEFORE, SECRET_PLACEHOLDER_AFTER
            self.regenerate()
        self.result["diff"] = dict(before=before, after=after)
        return self.result

    def create(self):
        """Create the client (or predict it in check mode)."""
        if not self.params["name"]:
            raise OAuthProblem("No OAuth client has identifier %r, and creating it needs name: set name (and kind, "
                               "redirect_uri, ... as wanted)." % self.params["identifier"])
        fields = wanted_fields(self.params)
        self.result["changed"] = True
        self.result["diff"] = dict(before={}, after=diff_view(dict(fields, identifier=self.params["identifier"])))
        if self.module.check_mode:
            return self.result
        client, secret = create_client(self.api, self.params["identifier"], fields)
        self.result["client"] = public_client(client)
        self.deliver(client, secret, "was created")
        return self.result

    def update(self, current, changes):
        """One PUT with exactly the differing fields (check mode: the predicted client)."""
        self.result["changed"] = True
        if self.module.check_mode:
            return planned_client(current, changes)
        return public_client(update_client(self.api, current["id"], changes))

    def regenerate(self):
        """Give the client a new secret and deliver it (check mode: only predict)."""
        self.result["changed"] = True
        if self.module.check_mode:
            return
        regenerated, secret = regenerate_secret(self.api, self.result["client"]["id"])
        self.result["client"] = public_client(regenerated)
        self.deliver(regenerated, secret, "got a new secret")

    def deliver(self, client, secret, action):
        """Return the secret once in client.secret and write it to dest; fail clearly when it cannot be delivered."""
        if secret is None:
            raise missing_secret_problem(client, "created" if action == "was created" else "regenerated the secret of")
        self.api.add_secret(secret)
        if self.params["dest"]:
            try:
                write_secret_file(self.module, self.params["dest"], secret)
            except OSError as err:
                raise OAuthProblem(undelivered_secret_message(client, action, self.params["dest"], err)) from None
        self.result["client"]["secret"] = secret

    def absent(self):
        """Delete the client; count the tokens that revokes."""
        current = find_client(self.api, self.params["identifier"])
        if current is None:
            self.result.update(tokens_revoked=0, diff=dict(before={}, after={}))
            return self.result
        tokens = count_client_tokens(self.api, current["id"])
        before = dict(diff_view(current), tokens=tokens)
        self.result["diff"] = dict(before=before, after={},
                                   before_header="OAuth client %s (id %s), %d live token(s)" % (current["identifier"], current["id"], tokens),
                                   after_header="deleted: its %d token(s) revoked" % tokens)
        self.result["tokens_revoked"] = tokens
        self.result["changed"] = self.module.check_mode or delete_client(self.api, current["id"])
        if not self.result["changed"]:
            self.result["tokens_revoked"] = 0
        return self.result


def main():
    """Run the module."""
    module = ZendeskModule(
        argument_spec=dict(
            state=dict(type="str", choices=["present", "absent"], default="present"),
            identifier=dict(type="str", required=True),
            name=dict(type="str"),
            kind=dict(type="str", choices=["public", "confidential"]),
            redirect_uri=dict(type="list", elements="str"),
            description=dict(type="str"),
            company=dict(type="str"),
            regenerate_secret=dict(type="bool", default=False, no_log=False),
            dest=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    problems = field_problems(module.params)
    if problems:
        module.fail_json(msg=" ".join(problems))
    run = ClientRun(module)
    try:
        result = run.present() if module.params["state"] == "present" else run.absent()
    except OAuthProblem as err:
        run.result["client"].pop("secret", None)
        module.fail_json(msg=str(err), **run.result)
    except ZendeskError as err:
        run.result["client"].pop("secret", None)
        module.fail_on_api_error(err, "Could not manage the OAuth client %r." % module.params["identifier"], **run.result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()

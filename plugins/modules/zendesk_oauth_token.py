#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: zendesk_oauth_token
short_description: Mint, validate, rotate and revoke Zendesk OAuth access tokens idempotently
version_added: 0.1.0
description:
  - Makes sure an OAuth access token exists for a Zendesk OAuth client with the given scopes
    (O(state=present)), or revokes tokens (O(state=absent)).
  - Zendesk returns a token's full value only once, when it is created (C(token.full_token)); afterwards the
    API shows only its first characters. This module therefore decides idempotency as follows.
  - B(With O(current_token)) (the value your application holds now), that value alone decides. It is checked
    with C(GET /api/v2/oauth/tokens/current) authenticated by the token itself. If Zendesk accepts it, it
    belongs to the selected client, has exactly the requested O(scopes) and does not expire within
    O(renew_before) seconds, it is kept (C(changed=false), RV(current_token_valid=true)). Otherwise a new
    token is minted (C(changed=true), RV(token.full_token) returned) and RV(current_token_problem) says why.
    The old token is not revoked; do that with O(state=absent) once the new value is deployed.
  - B(With O(held_tokens)) (the values several holders hold now, for example each host of a fleet), those values
    alone decide. Each distinct value is checked like O(current_token). The newest valid one is kept
    (C(changed=false), RV(kept_index) says which); when none is valid, one token is minted. With O(recreate=always)
    (a rotation) a token is minted, unless two or more distinct held values are valid (an unfinished
    rotation); then the newest is kept and no second token is minted, and a re-run finishes the rotation.
    RV(held) reports each check and RV(replaced) lists the ids of the other held tokens Zendesk still knows, to
    revoke once the chosen value is deployed everywhere. No held value is ever returned.
  - B(Without O(current_token) or O(held_tokens)) and O(recreate=never) (the default), a token of the calling user for the same
    client and scopes that is not expired counts as present (C(changed=false), the newest one is returned
    without a value, with a warning that its value cannot be read back). Only when none exists is a token
    minted. O(recreate=always) mints a new token on every run.
  - RV(token.full_token) is returned B(only) when this run minted the token. The result is then hidden from
    every display callback (as with C(no_log)), while C(register) still holds it; failures stay visible.
    Use C(no_log) on tasks that pass the value on.
  - O(state=absent) revokes the token with O(token_id), or exactly the token whose value is O(current_token)
    (for example a leaked one), or every token of the calling user for the selected client (and O(scopes),
    if given). Revoking what is already gone is C(changed=false), not an error.
  - B(Two sources.) O(source=tokens_api) (the default) mints with C(POST /api/v2/oauth/tokens) as the calling user;
    Zendesk documents these tokens as non-expiring. O(source=client_credentials) mints with the client credentials
    grant (C(POST /oauth/tokens)) with the selected client's identifier and O(client_secret), for O(lifetime) seconds
    (C(expires_in) is always sent); such a token acts as the client's owner (the admin who created the client). The
    grant's answer carries no token id, so the new token's metadata is read with C(GET /api/v2/oauth/tokens/current)
    authenticated by the new token; the result has RV(token.id) and RV(token.expires_at) like any other token.
  - With O(source=client_credentials) and O(recreate=never), an existing token B(of the client's owner) for the same
    client and scopes counts as present (the tokens a grant issued act as that user, whoever runs the module).
  - B(The run's own session.) With client-credentials connection options (O(oauth_client_identifier),
    O(oauth_client_secret)) the run authenticates with a session token of its own, revoked when the run ends. That
    token is never counted as an existing token, never revoked or reported by O(state=absent) and never returned.
    Telling it apart costs one C(GET /api/v2/oauth/tokens/current), made once and only when a token list the run
    reads is not empty.
  - Check mode makes no write. It reads, predicts C(changed) and returns metadata without any value.
  - Diff mode shows token metadata (ids, client, scopes), never a value.
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
      - V(present) makes sure a usable token exists (see the description); V(absent) revokes tokens.
    type: str
    choices: [present, absent]
    default: present
  client_id:
    description:
      - The OAuth client's numeric resource id. One of O(client_id), O(client_identifier) and O(client_name)
        selects the client; required with O(state=present) and for revoking by client with O(state=absent).
      - The cheapest selector, since no lookup request is needed.
    type: int
  client_identifier:
    description:
      - The OAuth client's unique identifier (the OAuth C(client_id) of Zendesk's grant flows).
    type: str
  client_name:
    description:
      - The OAuth client's name. Fails, listing the candidates' ids and identifiers, when several clients
        share it, and names it when no client has it.
    type: str
  scopes:
    description:
      - The token's scopes. Order and duplicates do not matter when comparing with existing tokens.
      - Each is V(read), V(write), V(impersonate) or C(<resource>:read) / C(<resource>:write) for one of
        Zendesk's resources (C(tickets), C(users), C(auditlogs), C(organizations), C(hc), C(apps), C(triggers),
        C(automations), C(targets), C(webhooks), C(macros), C(requests), C(satisfaction_ratings),
        C(dynamic_content), C(any_channel), C(web_widget), C(security), C(unrestricted)). An unknown scope
        fails before any request (V(chat) is a Zendesk Chat scope; Chat tokens come from the Chat product).
      - Defaults to V([read]) with O(state=present) and O(source=tokens_api).
      - With O(source=client_credentials), the grant's C(scope) is these scopes joined by spaces, sent B(only when
        this option is set). Unset, no C(scope) is sent (Zendesk grants the client's default; a client with allowed
        scopes refuses others with C(invalid_scope)), and held or existing tokens of the client count whatever their
        scopes.
      - With O(state=absent) and a client selector, only tokens with exactly these scopes are revoked; unset, every
        token of the client is.
    type: list
    elements: str
  current_token:
    description:
      - The token value your application holds now. If given, it alone decides whether a new token is
        needed (see the description); with O(state=absent) exactly this token is revoked.
      - With O(recreate=always) a new token is minted even when this one is valid (a forced rotation);
        RV(current_token_valid) still reports what the check found.
      - Leading and trailing white space is ignored; an empty value counts as not given.
      - Mutually exclusive with O(held_tokens).
    type: str
  held_tokens:
    description:
      - With O(state=present), the token values that the holders of the token hold now, for example the value each
        host of a fleet has in its configuration file. Empty strings and repeated values are ignored; leading and
        trailing white space is ignored.
      - If given, these values alone decide (see the description). Each distinct value is checked with
        C(GET /api/v2/oauth/tokens/current) authenticated by that value, then for the selected client, O(scopes)
        and O(renew_before). The newest valid one is kept, RV(kept_index) pointing at it in this list. When none
        is valid (or the list is empty) one token is minted.
      - With O(recreate=always) a token is minted even when one held value is valid (a rotation), unless two or
        more distinct values are valid (an unfinished rotation; the newest is kept, no second token is minted).
      - Mutually exclusive with O(current_token). The values are never returned.
    type: list
    elements: str
  recreate:
    description:
      - V(never) counts an existing token of the caller for the same client and scopes as present when
        neither O(current_token) nor O(held_tokens) is given. V(always) mints a new token on every run (for
        example to rotate); with O(held_tokens), see there.
    type: str
    choices: [never, always]
    default: never
  token_id:
    description:
      - With O(state=absent), revoke the token with this id. Needs no client selector.
    type: int
  renew_before:
    description:
      - A token that expires within this many seconds counts as invalid, so a fresh one is minted ahead of
        its expiry. Applies to O(current_token), to O(held_tokens) and to existing tokens found with
        O(recreate=never).
      - Tokens without an expiry never need renewing.
      - Works the same with both values of O(source).
    type: int
    default: 0
  source:
    description:
      - How a token is minted with O(state=present).
      - V(tokens_api) - C(POST /api/v2/oauth/tokens) as the calling user (the selected client's numeric id and
        O(scopes)). Zendesk documents these tokens as non-expiring and takes no lifetime.
      - V(client_credentials) - the client credentials grant at C(POST /oauth/tokens) with the selected client's
        identifier, O(client_secret) and O(lifetime). The client must be confidential. The token acts as the
        client's owner and expires after O(lifetime) seconds; mint again before then (O(renew_before)).
    type: str
    choices: [tokens_api, client_credentials]
    default: tokens_api
  lifetime:
    description:
      - Seconds a token minted with O(source=client_credentials) lives (the grant's C(expires_in), always sent).
        Zendesk accepts 301 to 172799 (more than 5 minutes, less than 48 hours); another value fails before any
        request. Defaults to V(86400) (one day).
      - Only with O(source=client_credentials); with O(source=tokens_api) it fails before any request.
    type: int
  client_secret:
    description:
      - The selected OAuth client's secret, for O(source=client_credentials). Never returned or shown.
      - Defaults to O(oauth_client_secret) only when the selected client is the connection's own client (its
        identifier equals O(oauth_client_identifier)). Otherwise it is required; without it the module fails before
        any request (with O(client_id) or O(client_name) and client-credentials connection options, after the one
        client lookup that tells the identifier, and before any write).
      - Only with O(source=client_credentials).
    type: str
  dest:
    description:
      - A file on the host running the module to write the token's value to (mode C(0600), replaced
        atomically), for ad-hoc use. Written whenever the value is known (minted now, a confirmed
        O(current_token), or the kept one of O(held_tokens)); otherwise the file is left as it is. Only with
        O(state=present).
      - A symbolic link at O(dest) is replaced by a regular file, never written through (its target keeps its
        content, owner and mode).
    type: path
seealso:
  - module: obscura.zendesk.zendesk_oauth_client_info
  - name: Zendesk OAuth Tokens API
    description: Zendesk's reference for the endpoints this module calls.
    link: https://developer.zendesk.com/api-reference/ticketing/oauth/oauth_tokens/
"""

EXAMPLES = r"""
- name: Make sure the app's token is valid; mint a new one only if the held one is not
  obscura.zendesk.zendesk_oauth_token:
    client_name: OAuth client for my app
    scopes: [read, write]
    current_token: "{{ app_token_held | default('') }}"
    renew_before: 86400
  register: app_token
  no_log: true

- name: Deploy the value when it changed (token.full_token exists only when a token was minted)
  ansible.builtin.copy:
    content: "ZENDESK_OAUTH_TOKEN={{ app_token.token.full_token }}\n"
    dest: /etc/myapp/zendesk.env
    mode: "0600"
  when: app_token.token.full_token is defined
  no_log: true

- name: Ad hoc, write a new token to a file, authenticating from ZENDESK_* environment variables
  obscura.zendesk.zendesk_oauth_token:
    client_identifier: my_app
    scopes: [read, write]
    recreate: always
    dest: ~/.zendesk-token

- name: Keep the token a fleet holds (each host's value read earlier into held_token), or mint one
  obscura.zendesk.zendesk_oauth_token:
    client_id: 223443
    scopes: [read, write]
    held_tokens: "{{ ansible_play_hosts | map('extract', hostvars, 'held_token') | select | list }}"
    renew_before: 86400
  run_once: true
  delegate_to: localhost
  register: fleet_token
  no_log: true

- name: Deploy the chosen value to every host (the minted one, or the kept held one)
  ansible.builtin.copy:
    content: "ZENDESK_OAUTH_TOKEN={{ fleet_value }}\n"
    dest: /etc/myapp/zendesk.env
    mode: "0600"
  vars:
    fleet_held: "{{ ansible_play_hosts | map('extract', hostvars, 'held_token') | select | list }}"
    fleet_value: "{{ fleet_token.token.full_token if fleet_token.kept_index is none else fleet_held[fleet_token.kept_index] }}"
  no_log: true

- name: Once every host has it, revoke the tokens it replaced
  obscura.zendesk.zendesk_oauth_token:
    state: absent
    token_id: "{{ item }}"
  loop: "{{ fleet_token.replaced }}"
  run_once: true
  delegate_to: localhost

- name: Keep the app's token, or mint one that lives a day, a few hours before the held one expires
  obscura.zendesk.zendesk_oauth_token:
    client_identifier: my_app
    source: client_credentials
    client_secret: "{{ vault_my_app_client_secret }}"
    lifetime: 86400
    renew_before: 28800
    scopes: [read, write]
    current_token: "{{ app_token_held | default('') }}"
  register: app_token
  no_log: true

- name: Revoke a leaked token by its value
  obscura.zendesk.zendesk_oauth_token:
    state: absent
    current_token: "{{ leaked_token }}"
  no_log: true

- name: Revoke a token by id
  obscura.zendesk.zendesk_oauth_token:
    state: absent
    token_id: 1234

- name: Revoke every token the calling user has for a client
  obscura.zendesk.zendesk_oauth_token:
    state: absent
    client_id: 223443

- name: Set the connection once for the collection's modules
  module_defaults:
    group/obscura.zendesk.zendesk:
      subdomain: obscura
      oauth_token: "{{ vault_zendesk_admin_oauth_token }}"
  block:
    - name: Check a held token without minting (check mode only reads)
      obscura.zendesk.zendesk_oauth_token:
        client_id: 223443
        current_token: "{{ app_token_held }}"
      check_mode: true
      register: check
      no_log: true
"""

RETURN = r"""
token:
  description:
    - The token that is present now with O(state=present) - the minted one, the confirmed O(current_token), the kept
      one of O(held_tokens), or the existing one counted as present. Empty in check mode when a token would be minted.
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: The token's id (what O(token_id) takes).
      type: int
      sample: 8678530
    client_id:
      description: The OAuth client's resource id.
      type: int
      sample: 223443
    user_id:
      description: The user the token authenticates as.
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
      description:
        - Expiry time, ISO 8601, as Zendesk reports it, or null for a token that does not expire.
        - For a token minted with O(source=client_credentials), read from Zendesk after the mint (about O(lifetime)
          seconds from now).
      type: str
      sample: "2026-12-07T10:00:00Z"
    used_at:
      description: Last use, ISO 8601, or null.
      type: str
    url:
      description: The token's API URL.
      type: str
    full_token:
      description:
        - The token's value. B(Only) when this run minted the token (with either O(source)); Zendesk never shows it again.
        - The whole result is hidden from display when this key is present; keep it out of logs with C(no_log).
      type: str
      returned: when a token was minted in this run
current_token_valid:
  description: Whether O(current_token) was kept (valid for the client and scopes, not expiring within O(renew_before)).
  returned: when O(current_token) is given with O(state=present)
  type: bool
current_token_problem:
  description: Why O(current_token) was not kept (unknown or revoked, expired or expiring, another client, other scopes).
  returned: when O(current_token) is given with O(state=present) and is not valid
  type: str
  sample: "unknown to Zendesk: revoked, expired or never issued"
held:
  description:
    - One check per distinct value of O(held_tokens), in the order the values first appear there. Never a value.
  returned: when O(held_tokens) is given with O(state=present)
  type: list
  elements: dict
  contains:
    valid:
      description: Whether the value serves (known to Zendesk, the selected client, the O(scopes), not expiring within O(renew_before)).
      type: bool
    problem:
      description: Why it does not serve (unknown or revoked, expired or expiring, another client, other scopes); null when valid.
      type: str
      sample: "unknown to Zendesk: revoked, expired or never issued"
    token:
      description: The token's metadata (the fields of RV(token) without RV(token.full_token)); null when Zendesk does not know the value.
      type: dict
kept_index:
  description:
    - The index in O(held_tokens), as given, of the value that was kept; null when a token was minted (or, in check mode,
      would be).
    - The caller computes the chosen value as RV(token.full_token) when this is null, else as O(held_tokens)[RV(kept_index)].
  returned: when O(held_tokens) is given with O(state=present)
  type: int
  sample: 0
replaced:
  description:
    - Ids of the held tokens Zendesk still knows other than the kept or minted one. Revoke them (O(state=absent),
      O(token_id)) once every holder has the chosen value. This module does not revoke them.
  returned: when O(held_tokens) is given with O(state=present)
  type: list
  elements: int
  sample: [8678530]
revoked:
  description:
    - Ids of the tokens revoked by this run (that would be revoked, in check mode). Never the run's own session token
      (client-credentials connection options), which the run revokes itself when it ends.
  returned: always
  type: list
  elements: int
  sample: [8678530]
"""

from ansible_collections.obscura.zendesk.plugins.module_utils._connection_options import uses_client_credentials
from ansible_collections.obscura.zendesk.plugins.module_utils._grant import (
    MAX_EXPIRES_IN,
    MIN_EXPIRES_IN,
    exchange,
    expires_in_problems,
    grant_error_message,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._http import ZendeskError
from ansible_collections.obscura.zendesk.plugins.module_utils._secret_file import write_secret_file
from ansible_collections.obscura.zendesk.plugins.module_utils._zendesk_module import KEEP_FOR_REVOCATIONS, ZendeskModule
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_clients import (
    OAuthProblem,
    describe_selector,
    find_clients,
    no_client_problem,
    resolve_client,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._oauth_tokens import (
    choose_held_token,
    create_token,
    inspect_token_value,
    my_tokens,
    newest,
    normalize_scopes,
    public_token,
    replaced_token_ids,
    revoke_token,
    revoke_token_value,
    same_scopes,
    scopes_problems,
    show_token,
    token_of_value,
    token_problem,
    user_tokens,
)

SELECTORS = ("client_id", "client_identifier", "client_name")
DEFAULT_LIFETIME = 86400
MINT_ADVICE = {
    "invalid_client": (
        "Zendesk refused the selected client's identifier and secret: check client_secret (or, for the connection's "
        "own client, oauth_client_secret); a secret regenerated in Admin Center replaces the old one."),
    "invalid_scope": "The OAuth client may not grant these scopes (its allowed scopes are set in Admin Center): "
                     "change scopes, or leave them unset to get the client's default.",
    "invalid_request": "Zendesk refused the request's parameters; lifetime must be 301 to 172799 seconds.",
}
EXISTING_TOKEN_WARNING = (
    "Token id %s of the calling user for %s with scopes [%s] already exists and counts as present. Zendesk shows "
    "a token's value only when it is created, so no full_token is returned. Pass current_token (the value you "
    "hold) to check it, or recreate=always to mint a new token."
)


def distinct_values(values):
    """The non-empty values of a list without surrounding white space, each once, in the order they first appear."""
    distinct = []
    for value in values or []:
        value = (value or "").strip()
        if value and value not in distinct:
            distinct.append(value)
    return distinct


def input_problems(params):
    """Problems with the module's own options, found before any request."""
    problems = []
    selectors = [name for name in SELECTORS if params[name] is not None]
    has_selector = bool(selectors)
    if len(selectors) > 1:
        problems.append("Set only one of client_id, client_identifier and client_name (got %s): each selects the "
                        "OAuth client on its own; client_id is the cheapest." % ", ".join(selectors))
    if params["state"] == "present":
        if not has_selector:
            problems.append("state=present needs the OAuth client: set client_id, client_identifier or client_name.")
        if params["token_id"] is not None:
            problems.append("token_id is only used with state=absent; remove it, or set state=absent to revoke that token.")
        if params["held_tokens"] is not None and params["current_token"]:
            problems.append("Set only one of current_token and held_tokens: current_token is the value one holder has, "
                            "held_tokens the values of several holders.")
    else:
        if params["token_id"] is not None and params["current_token"]:
            problems.append("Set only one of token_id and current_token with state=absent: each names one token to revoke.")
        if not (has_selector or params["token_id"] is not None or params["current_token"]):
            problems.append("state=absent needs what to revoke: token_id, current_token, or a client "
                            "(client_id, client_identifier or client_name).")
        if params["dest"]:
            problems.append("dest is only used with state=present; remove it.")
        if params["held_tokens"] is not None:
            problems.append("held_tokens is only used with state=present; to revoke a held value, pass it as current_token.")
    problems.extend(source_problems(params))
    if params["scopes"] is not None:
        problems.extend(scopes_problems(params["scopes"]))
    if params["client_id"] is not None and params["client_id"] <= 0:
        problems.append("client_id must be a positive OAuth client id; find it with obscura.zendesk.zendesk_oauth_client_info.")
    if params["token_id"] is not None and params["token_id"] <= 0:
        problems.append("token_id must be a positive token id.")
    if params["renew_before"] < 0:
        problems.append("renew_before must be 0 or a positive number of seconds.")
    if params["client_name"] is not None and not params["client_name"].strip():
        problems.append("client_name must not be empty.")
    if params["client_identifier"] is not None and not params["client_identifier"].strip():
        problems.append("client_identifier must not be empty.")
    return problems


def source_problems(params):
    """Problems with source, lifetime and client_secret, found before any request."""
    if params["state"] == "absent":
        given = [name for name in ("lifetime", "client_secret") if params[name] is not None]
        given += ["source"] if params["source"] != "tokens_api" else []
        return ["%s: only used with state=present (to mint); remove it." % ", ".join(given)] if given else []
    if params["source"] == "tokens_api":
        wrong = [name for name in ("lifetime", "client_secret") if params[name] is not None]
        return ["%s: only used with source=client_credentials (the Tokens API takes no lifetime and no secret); set "
                "source=client_credentials or remove it." % name for name in wrong]
    problems = expires_in_problems(params["lifetime"], "lifetime")
    if params["lifetime"] is not None and problems:
        problems = ["lifetime must be %d to %d seconds (Zendesk accepts more than 300 and less than 172800); got %s."
                    % (MIN_EXPIRES_IN, MAX_EXPIRES_IN, params["lifetime"])]
    if params["client_secret"] is None and not connection_secret_may_serve(params):
        problems.append(missing_secret_message(params))
    return problems


def connection_secret_may_serve(params):
    """Whether oauth_client_secret can be the selected client's secret (it is, when the client is the connection's)."""
    if not uses_client_credentials(params):
        return False
    identifier = params["client_identifier"]
    return identifier is None or identifier == params["oauth_client_identifier"]


def missing_secret_message(params):
    """The failure for source=client_credentials without the selected client's secret."""
    return ("source=client_credentials needs the selected client's secret: set client_secret (no_log). It defaults to "
            "oauth_client_secret only when the selected client is the connection's own client (oauth_client_identifier=%r)."
            % (params["oauth_client_identifier"] or ""))


class TokenRun:
    """One run of the module: keep a valid token or mint one (state=present), or revoke (state=absent)."""

    def __init__(self, module):
        self.module = module
        self.api = module.api
        self.params = module.params
        self.held = (self.params["current_token"] or "").strip() or None
        self.held_values = distinct_values(self.params["held_tokens"])
        for value in [self.held] + self.held_values:
            if value:
                self.api.add_secret(value)
        self.client_id = self.params["client_id"]
        self.client = None
        self.grant = self.params["source"] == "client_credentials"
        self.api.add_secret(self.params["client_secret"])
        self.result = dict(changed=False, revoked=[])

    def selector(self):
        """The client selector as the user wrote it, for messages."""
        return describe_selector(self.params["client_id"], self.params["client_identifier"], self.params["client_name"])

    def need_client_id(self):
        """The selected client's id, looking the client up by identifier or name once if needed."""
        if self.client_id is None:
            self.client_id = self.need_client()["id"]
        return self.client_id

    def need_client(self):
        """The selected client (one lookup, once): source=client_credentials needs its identifier or owner to mint."""
        if self.client is None:
            self.client = resolve_client(self.api, self.params["client_id"], self.params["client_identifier"],
                                         self.params["client_name"])
        return self.client

    def wanted_scopes(self):
        """The scopes to mint and compare: as asked, else [read]; with client_credentials unset means the client's default.

        None (client_credentials without scopes) sends no scope and accepts a held or existing token of any scopes.
        """
        if self.params["scopes"] is not None:
            return normalize_scopes(self.params["scopes"])
        return None if self.grant else ["read"]

    def grant_secret(self):
        """The selected client's secret: client_secret, else the connection's when the client is the connection's own."""
        if self.params["client_secret"] is not None:
            return self.params["client_secret"]
        if self.need_client()["identifier"] == self.params["oauth_client_identifier"]:
            return self.params["oauth_client_secret"]
        raise OAuthProblem(missing_secret_message(self.params))

    # --- state=present -----------------------------------------------------------------------

    def present(self):
        """Keep a valid token, or mint one."""
        scopes = self.wanted_scopes()
        recreate = self.params["recreate"] == "always"
        client_id = self.need_client_id()
        if self.params["held_tokens"] is not None:
            return self.present_from_held(client_id, scopes, recreate)
        if self.held:
            kept = self.check_held(client_id, scopes)
            if kept and not recreate:
                return self.keep(kept, value=self.held)
        elif not recreate:
            existing = self.existing_token(client_id, scopes)
            if existing:
                self.module.warn(EXISTING_TOKEN_WARNING % (existing["id"], self.selector(), ", ".join(existing.get("scopes") or [])))
                return self.keep(existing, value=None)
        return self.mint(client_id, scopes)

    def present_from_held(self, client_id, scopes, recreate):
        """Keep the newest valid one of several held values, or mint; report each check and what is replaced."""
        checks = [self.check_value(value, client_id, scopes) for value in self.held_values]
        chosen = choose_held_token(checks, rotate=recreate)
        self.result["held"] = [dict(check, token=public_token(check["token"]) if check["token"] else None) for check in checks]
        self.result["replaced"] = replaced_token_ids(checks, chosen)
        if chosen is None:
            self.result["kept_index"] = None
            return self.mint(client_id, scopes)
        value = self.held_values[chosen]
        self.result["kept_index"] = [(item or "").strip() for item in self.params["held_tokens"]].index(value)
        return self.keep(checks[chosen]["token"], value=value)

    def check_value(self, value, client_id, scopes):
        """{valid, problem, token} for one held value."""
        token, problem = inspect_token_value(self.api, value)
        if token is not None:
            problem = token_problem(token, client_id, scopes, self.params["renew_before"], self.api.server_now())
        return dict(valid=problem is None, problem=problem, token=token)

    def check_held(self, client_id, scopes):
        """The held token's metadata when it serves; records current_token_valid/problem either way."""
        check = self.check_value(self.held, client_id, scopes)
        self.result["current_token_valid"] = check["valid"]
        if not check["valid"]:
            self.result["current_token_problem"] = check["problem"]
            return None
        return check["token"]

    def existing_token(self, client_id, scopes):
        """The newest usable token for this client and scopes, or None; never the run's own session token.

        With source=tokens_api, a token of the caller (who mints); with client_credentials, a token of the client's
        owner (the user a client-credentials token acts as).
        """
        listed = user_tokens(self.api, client_id, self.need_client()["user_id"]) if self.grant else my_tokens(self.api, client_id)
        return newest([t for t in listed if token_problem(t, client_id, scopes, self.params["renew_before"], self.api.server_now()) is None])

    def keep(self, token, value):
        """Report an existing token as present; write ``value`` to dest when known."""
        self.result["token"] = public_token(token)
        self.result["diff"] = dict(before=self.result["token"], after=self.result["token"])
        if value is not None:
            self.write_dest(value)
        return self.result

    def mint(self, client_id, scopes):
        """Create a token (or predict it in check mode)."""
        before = {}
        self.result["changed"] = True
        planned = dict(client_id=client_id, scopes=scopes)
        if self.grant:
            planned["lifetime"] = self.params["lifetime"] or DEFAULT_LIFETIME
            secret = self.grant_secret()
        if self.module.check_mode:
            if self.client is None:
                self.confirm_client_exists(client_id)
            self.result["token"] = {}
            self.result["diff"] = dict(before=before, after=planned)
            return self.result
        token, value = self.mint_by_grant(secret, scopes, planned["lifetime"]) if self.grant else self.mint_by_tokens_api(client_id, scopes)
        self.result["token"] = dict(public_token(token), full_token=value)
        self.result["diff"] = dict(before=before, after=dict(planned, id=token.get("id")))
        try:
            self.write_dest(value)
        except OSError as err:
            self.revoke_unusable(token["id"], "Could not write dest (%s): %s." % (self.params["dest"], err.strerror or err))
        return self.result

    def mint_by_tokens_api(self, client_id, scopes):
        """(metadata, value) of a token from ``POST /api/v2/oauth/tokens``."""
        try:
            token, value = create_token(self.api, client_id, scopes)
        except ZendeskError as err:
            if err.status in (404, 422) and self.params["client_id"] is not None:
                self.module.fail_on_api_error(err, "Could not create a token for client_id=%s; check that this OAuth client exists." % client_id)
            raise
        self.api.add_secret(value)
        return token, value

    def mint_by_grant(self, secret, scopes, lifetime):
        """(metadata, value) of a token from the client credentials grant, its id and expiry read from Zendesk."""
        try:
            granted = exchange(self.api, self.need_client()["identifier"], secret, scopes, lifetime)
        except ZendeskError as err:
            raise OAuthProblem(grant_error_message(err, "mint a token for %s with client credentials" % self.selector(),
                                                   MINT_ADVICE)) from None
        try:
            return token_of_value(self.api, granted.token), granted.token
        except ZendeskError as err:
            why = ("Zendesk issued a token for %s but reading its id with GET /api/v2/oauth/tokens/current failed (%s)."
                   % (self.selector(), err.summary()))
        try:
            revoke_token_value(self.api, granted.token)
        except ZendeskError:
            raise OAuthProblem("%s Revoking it failed too; it expires on its own at %s." % (why, granted.expires_at)) from None
        raise OAuthProblem("%s It was revoked again, so nothing is left orphaned; run again." % why)

    def revoke_unusable(self, token_id, why):
        """Revoke a token minted by this run that cannot be delivered, then fail saying so."""
        try:
            revoke_token(self.api, token_id)
        except ZendeskError as err:
            raise OAuthProblem("%s Revoking the new token id %s failed too (%s): revoke it with state=absent "
                               "token_id=%s." % (why, token_id, err.summary(), token_id)) from None
        raise OAuthProblem("%s The new token id %s was revoked again, so nothing is left orphaned; fix the path or "
                           "its permissions and run again." % (why, token_id))

    def confirm_client_exists(self, client_id):
        """In check mode, fail as the real run would when client_id names no client."""
        if self.params["client_id"] is not None and not find_clients(self.api, client_id=client_id):
            raise no_client_problem(self.selector())

    def write_dest(self, value):
        """Write the value to dest (0600, atomic) when dest is set."""
        if self.params["dest"]:
            changed = write_secret_file(self.module, self.params["dest"], value)
            self.result["changed"] = self.result["changed"] or changed

    # --- state=absent ------------------------------------------------------------------------

    def absent(self):
        """Revoke by id, by value, or every token of the caller for a client."""
        if self.params["token_id"] is not None:
            targets = self.absent_by_id(self.params["token_id"])
        elif self.held:
            targets = self.absent_by_value()
        else:
            targets = self.absent_by_client()
        self.result["revoked"] = [t["id"] for t in targets]
        self.result["changed"] = bool(targets)
        self.result["diff"] = dict(before=dict(tokens=[public_token(t) for t in targets]), after=dict(tokens=[]))
        return self.result

    def absent_by_id(self, token_id):
        if self.module.check_mode:
            token = show_token(self.api, token_id)
            return [token] if token else []
        return [dict(id=token_id)] if revoke_token(self.api, token_id) else []

    def absent_by_value(self):
        token, dummy = inspect_token_value(self.api, self.held)
        if token is None or self.module.check_mode:
            return [token] if token else []
        try:
            gone = revoke_token_value(self.api, self.held)
        except ZendeskError as err:
            if err.status != 403:
                raise
            gone = revoke_token(self.api, token["id"])  # the token may not revoke itself: use the admin's rights
        return [token] if gone else []

    def absent_by_client(self):
        client_id = self.need_client_id()
        scopes = self.params["scopes"]
        targets = [t for t in my_tokens(self.api, client_id) if scopes is None or same_scopes(t.get("scopes"), scopes)]
        if self.module.check_mode:
            return targets
        return [t for t in targets if revoke_token(self.api, t["id"])]


def main():
    """Run the module."""
    module = ZendeskModule(
        argument_spec=dict(
            state=dict(type="str", choices=["present", "absent"], default="present"),
            client_id=dict(type="int"),
            client_identifier=dict(type="str"),
            client_name=dict(type="str"),
            scopes=dict(type="list", elements="str"),
            current_token=dict(type="str", no_log=True),
            held_tokens=dict(type="list", elements="str", no_log=True),
            recreate=dict(type="str", choices=["never", "always"], default="never"),
            token_id=dict(type="int", no_log=False),
            renew_before=dict(type="int", default=0),
            dest=dict(type="path"),
            source=dict(type="str", choices=["tokens_api", "client_credentials"], default="tokens_api"),
            lifetime=dict(type="int"),
            client_secret=dict(type="str", no_log=True),
        ),
        supports_check_mode=True,
    )
    problems = input_problems(module.params)
    if problems:
        module.fail_json(msg=" ".join(problems))
    run = TokenRun(module)
    try:
        result = run.present() if module.params["state"] == "present" else run.absent()
    except OAuthProblem as err:
        run.result.pop("token", None)
        module.fail_json(msg=str(err), **run.result)
    except ZendeskError as err:
        run.result.pop("token", None)
        module.fail_on_api_error(err, **run.result)
    if module.keep_session == KEEP_FOR_REVOCATIONS and (module.check_mode or not result.get("replaced")):
        module.keep_session = False  # no revocation follows: the run closes its session itself, one module run fewer
    module.exit_json(**result)


if __name__ == "__main__":
    main()

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The options of each host's file that the role obscura.zendesk.oauth_token gives its read and its write.

The role's read and write of each host's file (tasks/file.yml, deliveries token and client_credentials) give
zendesk_token_file the path, what the task itself adds, and the internal option ``_role_options: true``. The action
plugin then takes the file's other options from the host's role variables, here. A variable is templated only when
its value is a template: a host whose variables are plain values costs no compile. A task argument such as
``"{{ oauth_token_owner }}"`` would cost every host's worker a compile, whatever the value, and a conditional such as
``"{{ oauth_token_key if oauth_token_delivery == 'token' else omit }}"`` also resolves every variable it names.
"""

from __future__ import annotations

ROLE_OPTIONS = "_role_options"
# zendesk_token_file's options that the role's variables of the same name give, as they are.
PLAIN = {"format": "oauth_token_format", "owner": "oauth_token_owner", "group": "oauth_token_group", "mode": "oauth_token_mode"}


def credential_keys(variable):
    """{field: key}: where the client's identifier and secret (and Zendesk's URL, with oauth_token_url_key) go, in that
    order."""
    keys = {"identifier": variable("oauth_token_identifier_key"), "secret": variable("oauth_token_secret_key")}
    url_key = variable("oauth_token_url_key")
    return dict(keys, url=url_key) if url_key else keys


def role_file_options(variable, writing, credentials=None):
    """The options of one host's read (``writing`` false) or write, from ``variable(name)``, the host's value of a
    role variable.

    Delivery token reads and writes one key (``key``, null for the format's default). Delivery client_credentials reads
    the credentials' keys (``keys``), and writes ``credentials`` at them: the decision's {identifier, secret, url},
    which the write task gives as ``values``. Only the format ``template`` takes a template and its regular expression.
    The write also takes ``backup``.
    """
    options = {option: variable(name) for option, name in PLAIN.items()}
    if options["format"] == "template":
        options.update(template=variable("oauth_token_template"), template_regex=variable("oauth_token_template_regex"))
    if variable("oauth_token_delivery") == "token":
        options["key"] = variable("oauth_token_key")
    elif writing:
        options["values"] = {key: credentials[field] for field, key in credential_keys(variable).items()}
    else:
        options["keys"] = list(credential_keys(variable).values())
    if writing:
        options["backup"] = variable("oauth_token_backup")
    return options

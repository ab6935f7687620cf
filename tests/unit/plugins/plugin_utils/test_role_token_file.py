# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The options of each host's file that the role's read and write take from the host's variables."""

from __future__ import annotations

import pytest

from ansible_collections.obscura.zendesk.plugins.plugin_utils.role_token_file import role_file_options

DEFAULTS = dict(oauth_token_delivery="token", oauth_token_format="env", oauth_token_key=None, oauth_token_template=None,
                oauth_token_template_regex=None, oauth_token_owner=None, oauth_token_group=None, oauth_token_mode="0600",
                oauth_token_backup=False, oauth_token_identifier_key="ID", oauth_token_secret_key="SECRET", oauth_token_url_key="")


def options(writing=False, credentials=None, **variables):
    """role_file_options for a host whose variables are the defaults with ``variables``; the names it asked for."""
    values, asked = dict(DEFAULTS, **variables), []

    def variable(name):
        asked.append(name)
        return values[name]

    return role_file_options(variable, writing, credentials), asked


def test_a_token_read_takes_the_format_key_owner_group_and_mode():
    read, asked = options(oauth_token_format="json", oauth_token_key="app.token", oauth_token_owner="app", oauth_token_group="www")
    assert read == dict(format="json", key="app.token", owner="app", group="www", mode="0600")
    assert "oauth_token_identifier_key" not in asked  # its default is a template: never rendered for a token


def test_a_token_write_also_takes_backup():
    write, dummy = options(writing=True, oauth_token_backup=True)
    assert write == dict(format="env", key=None, owner=None, group=None, mode="0600", backup=True)


@pytest.mark.parametrize("url_key, keys", [("", ["ID", "SECRET"]), ("URL", ["ID", "SECRET", "URL"])])
def test_a_credentials_read_takes_the_credentials_keys_and_no_token_key(url_key, keys):
    read, dummy = options(oauth_token_delivery="client_credentials", oauth_token_url_key=url_key, oauth_token_key="ELSEWHERE")
    assert read == dict(format="env", keys=keys, owner=None, group=None, mode="0600")


@pytest.mark.parametrize("url_key, values", [
    ("", {"ID": "blue", "SECRET": "s3cret"}),
    ("URL", {"ID": "blue", "SECRET": "s3cret", "URL": "https://x.zendesk.com"}),
])
def test_a_credentials_write_puts_the_decisions_credentials_at_the_hosts_keys(url_key, values):
    credentials = dict(identifier="blue", secret="s3cret", url="https://x.zendesk.com")
    write, dummy = options(writing=True, credentials=credentials, oauth_token_delivery="client_credentials",
                           oauth_token_url_key=url_key)
    assert write["values"] == values
    assert "keys" not in write and "key" not in write and write["backup"] is False


def test_only_the_template_format_takes_the_template_and_its_regex():
    plain, dummy = options(oauth_token_template="app.conf.j2", oauth_token_template_regex="^token=(.*)$")
    templated, dummy = options(oauth_token_format="template", oauth_token_template="app.conf.j2",
                               oauth_token_template_regex="^token=(.*)$")
    assert "template" not in plain and "template_regex" not in plain
    assert (templated["template"], templated["template_regex"]) == ("app.conf.j2", "^token=(.*)$")

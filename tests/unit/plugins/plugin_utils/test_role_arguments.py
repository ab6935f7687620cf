# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the role's variables checked against its argument spec once for every host (role_arguments)."""

from __future__ import annotations

import pathlib

import pytest

from ansible.errors import AnsibleUndefinedVariable

from ansible_collections.obscura.zendesk.plugins.filter.oauth_token_problem import oauth_token_problem
from ansible_collections.obscura.zendesk.plugins.plugin_utils.role_arguments import arguments_problems, role_options

ROLE = pathlib.Path(__file__).parents[4] / "roles" / "oauth_token"
SECRET = "automation-secret-0123456789abcdef"
HOSTS = ["web", "api"]


class HostVars(dict):
    """A host's variables as hostvars gives them: a value that uses the play's variables cannot be templated."""

    def __getitem__(self, name):
        value = super().__getitem__(name)
        if value == "{{ play_var }}":
            raise AnsibleUndefinedVariable("'play_var' is undefined")
        return value


def settings(**changes):
    """The role's variables as the defaults and a play that sets the client and the file give them."""
    base = {"oauth_token_client_name": "App", "oauth_token_dest": "/etc/app.env", "oauth_token_scopes": ["read"],
            "oauth_token_format": "env", "oauth_token_mode": "0600", "oauth_token_backup": False,
            "oauth_token_rotate": False, "oauth_token_renew_before": 0, "oauth_token_delivery": "token",
            "oauth_token_state": "present", "oauth_token_client_identifiers": [], "oauth_token_source": "tokens_api",
            "oauth_token_lifetime": 86400, "oauth_token_exclusive_client": False, "oauth_token_api": {},
            "oauth_token_client_id": None, "oauth_token_key": None}
    return dict(base, **changes)


@pytest.fixture(scope="module", name="options")
def fixture_options():
    return role_options(str(ROLE))


def check(options, role_settings, hostvars=None, names=()):
    return arguments_problems(hostvars or {host: {} for host in HOSTS}, HOSTS, role_settings, options, names)


def test_the_spec_is_the_documented_entry_points_and_main_has_none():
    assert "oauth_token_dest" in role_options(str(ROLE))
    spec = (ROLE / "meta" / "argument_specs.yml").read_text(encoding="utf-8")
    assert "\n  main:" not in spec, "a spec for main makes ansible-core check it with a task per host"


def test_the_defaults_pass(options):
    assert check(options, settings()) == []


@pytest.mark.parametrize("changes,phrase", [
    ({"oauth_token_dest": None}, "missing required arguments: oauth_token_dest"),
    ({"oauth_token_format": "xml"}, "oauth_token_format must be one of: env, json, yaml, ini, template, got: xml"),
    ({"oauth_token_lifetime": "a day"}, "oauth_token_lifetime"),
    ({"oauth_token_scopes": {"read": True}}, "oauth_token_scopes"),
    ({"oauth_token_backup": "perhaps"}, "oauth_token_backup"),
])
def test_a_wrong_value_of_the_play_is_named_once(options, changes, phrase):
    found = check(options, settings(**changes))
    assert len(found) == 1 and phrase in found[0], found


def test_an_empty_value_of_an_option_that_is_no_string_is_unset(options):
    assert check(options, settings(oauth_token_client_id="", oauth_token_client_name="App")) == []


def test_each_hosts_own_wrong_value_is_named_with_the_host(options):
    hostvars = {"web": HostVars(oauth_token_mode="0640"), "api": HostVars(oauth_token_format="xml", unrelated=1)}
    found = check(options, settings(), hostvars)
    assert found == ["host api: value of oauth_token_format must be one of: env, json, yaml, ini, template, got: xml"]


def test_a_host_value_that_uses_the_plays_variables_is_left_to_the_plays_check(options):
    hostvars = {"web": HostVars(oauth_token_dest="{{ play_var }}"), "api": HostVars()}
    assert check(options, settings(), hostvars) == []


@pytest.mark.parametrize("name,option", [
    ("oauth_token_destination", "oauth_token_dest"),
    ("oauth_token_scope", "oauth_token_scopes"),
    ("oauth_token_formt", "oauth_token_format"),
    ("oauth_token_client_identifer", "oauth_token_client_identifier"),
])
def test_a_misspelt_variable_is_named_with_the_option_it_means(options, name, option):
    found = check(options, settings(), names=["oauth_token_dest", name])
    assert found == ["%s is not a variable of the role: did you mean %s?" % (name, option)]


def test_variables_of_the_roles_prefix_unlike_any_option_are_left_alone(options):
    names = ["oauth_token_result", "oauth_token_value", "oauth_token_path", "oauth_token_for_my_own_app"]
    assert check(options, settings(), names=names) == []


def test_a_secret_never_shows_in_a_message(options):
    found = check(options, settings(oauth_token_api=SECRET, oauth_token_lifetime=SECRET, oauth_token_client_secret=SECRET))
    assert len(found) == 2 and all(SECRET not in message for message in found), found


def test_the_filter_stops_at_the_spec_before_the_checks_across_hosts():
    found = oauth_token_problem({host: {} for host in HOSTS}, HOSTS, settings(oauth_token_lifetime="a day"), str(ROLE))
    assert found.startswith("Fix the role's variables (ansible-doc -t role obscura.zendesk.oauth_token"), found
    assert "oauth_token_lifetime" in found

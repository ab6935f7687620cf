# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the role oauth_token's check before any change (filter oauth_token_problem)."""

from __future__ import annotations

import pytest

from ansible_collections.obscura.zendesk.plugins.filter.oauth_token_problem import FilterModule, role_problems

SECRET = "automation-secret-0123456789abcdef"
HOSTS = ["web", "api"]


def settings(**changes):
    """The role's defaults with the client given by id, changed by ``changes``."""
    base = {"oauth_token_client_id": 2, "oauth_token_client_identifier": None, "oauth_token_client_name": None,
            "oauth_token_source": "tokens_api", "oauth_token_lifetime": 86400, "oauth_token_renew_before": 0,
            "oauth_token_exclusive_client": False, "oauth_token_api": {}, "oauth_token_delivery": "token",
            "oauth_token_state": "present", "oauth_token_format": "env"}
    return dict(base, **changes)


def problems(role_settings, hostvars=None, environ=None):
    return role_problems(hostvars or {host: {} for host in HOSTS}, HOSTS, role_settings, environ or {})


def test_the_filter_is_registered():
    assert "oauth_token_problem" in FilterModule().filters()


def test_defaults_with_one_selector_pass():
    assert problems(settings()) == []
    assert problems(settings(oauth_token_source="client_credentials", oauth_token_lifetime="3600",
                             oauth_token_renew_before="1200", oauth_token_client_secret=SECRET)) == []


@pytest.mark.parametrize("changes,count", [
    ({"oauth_token_client_id": None}, 0),
    ({"oauth_token_client_name": "App"}, 2),
    ({"oauth_token_client_id": None, "oauth_token_client_identifier": "", "oauth_token_client_name": None}, 0),
])
def test_exactly_one_selector(changes, count):
    found = problems(settings(**changes))
    assert len(found) == 1 and "(set here: %d)" % count in found[0] and "Run one play per client or set of scopes" in found[0]


def test_hosts_whose_inventory_sets_another_client_or_scopes_are_named():
    hostvars = {"web": {"oauth_token_scopes": ["write", "read"]},
                "api": {"oauth_token_scopes": ["read", "write"], "oauth_token_client_id": 3}}
    found = problems(settings(), hostvars)
    assert len(found) == 1 and '"api": [3, "", "", ["read", "write"]]' in found[0], found
    same = {"web": {"oauth_token_scopes": ["write", "read"]}, "api": {"oauth_token_scopes": ["read", "write"]}}
    assert problems(settings(), same) == []


@pytest.mark.parametrize("lifetime,renew_before,phrase", [
    (300, 0, "oauth_token_lifetime must be 301 to 172799 seconds"),
    (172800, 0, "oauth_token_lifetime must be 301 to 172799 seconds"),
    (3600, 3600, "oauth_token_renew_before (3600) must be less than oauth_token_lifetime (3600)"),
    (3600, -1, "oauth_token_renew_before must be 0 or a positive number"),
])
def test_lifetime_and_renewal_window(lifetime, renew_before, phrase):
    found = problems(settings(oauth_token_source="client_credentials", oauth_token_lifetime=lifetime,
                              oauth_token_renew_before=renew_before, oauth_token_client_secret=SECRET))
    assert len(found) == 1 and phrase in found[0], found


def test_client_credentials_need_the_fleets_client_secret():
    found = problems(settings(oauth_token_source="client_credentials", oauth_token_renew_before=28800))
    assert len(found) == 1 and "set oauth_token_client_secret" in found[0], found


def test_the_lifetime_does_not_matter_with_the_tokens_api():
    assert problems(settings(oauth_token_lifetime=5)) == []


OWN = {"oauth_client_identifier": "my_app", "oauth_client_secret": SECRET}


@pytest.mark.parametrize("changes,environ,phrase", [
    ({"oauth_token_client_id": None, "oauth_token_client_identifier": "my_app", "oauth_token_api": OWN}, {},
     "authenticates with that client's own credentials"),
    ({"oauth_token_client_id": None, "oauth_token_client_identifier": "my_app"},
     {"ZENDESK_OAUTH_CLIENT_IDENTIFIER": "my_app", "ZENDESK_OAUTH_CLIENT_SECRET": SECRET},
     "authenticates with that client's own credentials"),
    ({"oauth_token_api": {"oauth_client_identifier": "automation", "oauth_client_secret": SECRET}}, {},
     "needs the fleet's client as oauth_token_client_identifier"),
])
def test_an_exclusive_client_must_not_be_the_connections_own(changes, environ, phrase):
    found = problems(settings(oauth_token_exclusive_client=True, **changes), environ=environ)
    assert len(found) == 1 and phrase in found[0] and SECRET not in found[0], found
    assert problems(settings(**changes), environ=environ) == [], "without the flag the connection may be the client's own"


@pytest.mark.parametrize("changes,environ", [
    ({"oauth_token_client_id": None, "oauth_token_client_identifier": "my_app",
      "oauth_token_api": {"oauth_client_identifier": "automation", "oauth_client_secret": SECRET}}, {}),
    ({}, {"ZENDESK_OAUTH_TOKEN": "x"}),
    ({"oauth_token_api": {"oauth_client_identifier": "my_app"}}, {}),
])
def test_an_exclusive_client_with_another_connection_passes(changes, environ):
    assert problems(settings(oauth_token_exclusive_client=True, **changes), environ=environ) == []


def credentials(**changes):
    """The role's defaults for a delivery that puts client credentials on the hosts (two alternating clients)."""
    return settings(**dict({"oauth_token_client_id": None, "oauth_token_delivery": "client_credentials",
                            "oauth_token_client_identifiers": ["app_blue", "app_green"]}, **changes))


def test_credential_deliveries_with_two_or_one_identifiers_pass():
    assert problems(credentials()) == []
    assert problems(credentials(oauth_token_client_identifiers=["app"], oauth_token_client_secret=SECRET)) == []
    assert problems(credentials(oauth_token_delivery="refresher", oauth_token_renew_before=28800)) == []


@pytest.mark.parametrize("changes,phrase", [
    ({"oauth_token_client_identifiers": []}, "needs oauth_token_client_identifiers: a list of one or two"),
    ({"oauth_token_client_identifiers": ["a", "b", "c"]}, "needs oauth_token_client_identifiers: a list of one or two"),
    ({"oauth_token_client_identifiers": ["a", ""]}, "needs oauth_token_client_identifiers: a list of one or two"),
    ({"oauth_token_client_name": "App"}, "selects its clients with oauth_token_client_identifiers only: unset oauth_token_client_name"),
    ({"oauth_token_client_secret": SECRET}, "give exactly one identifier in oauth_token_client_identifiers"),
    ({"oauth_token_state": "absent"}, "oauth_token_state=absent removes a refresher"),
    ({"oauth_token_delivery": "refresher", "oauth_token_renew_before": 300}, "must be at least 360 seconds"),
    ({"oauth_token_delivery": "refresher", "oauth_token_renew_before": 90000}, "less than oauth_token_lifetime (86400)"),
    ({"oauth_token_delivery": "refresher", "oauth_token_lifetime": 200, "oauth_token_renew_before": 400},
     "oauth_token_lifetime must be 301 to 172799 seconds"),
])
def test_credential_delivery_problems(changes, phrase):
    found = problems(credentials(**changes))
    assert len(found) == 1 and phrase in found[0], found
    assert SECRET not in found[0]


def test_token_delivery_has_no_refresher_to_remove():
    found = problems(settings(oauth_token_state="absent"))
    assert len(found) == 1 and "oauth_token_state=absent removes a refresher" in found[0], found


def test_hosts_with_other_identifiers_or_a_template_are_named():
    hostvars = {"web": {"oauth_token_format": "template"}, "api": {"oauth_token_client_identifiers": ["other"]}}
    found = problems(credentials(), hostvars)
    assert len(found) == 2, found
    assert '"api": ["other"]' in found[0] and "Run one play per pair of clients" in found[0]
    assert 'oauth_token_format must be one of env, json, yaml, ini; these hosts have another: {"web": "template"}' in found[1]
    found = problems(credentials(oauth_token_delivery="refresher", oauth_token_renew_before=28800),
                     {"web": {"oauth_token_format": "template"}, "api": {}})
    assert len(found) == 1 and "installs a refresher that writes these formats only" in found[0], found

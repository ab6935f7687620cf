# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A value or key that reaches the formats from a template is a str subclass; every format writes it as plain text."""

from __future__ import annotations

import pytest

try:  # ansible-core 2.19 and later: templated values are tagged str subclasses
    from ansible.template import trust_as_template as templated
except ImportError:  # ansible-core 2.18: unsafe text
    from ansible.utils.unsafe_proxy import AnsibleUnsafeText as templated

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_env import EnvFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_ini import IniFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_json import JsonFile
from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file import new_content
from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file_yaml import YamlFile

VALUE = "templated0123456789abcdef0123456789abcdef0123456789abcdef012345"


@pytest.mark.parametrize("file_format, key, text", [
    (YamlFile, "zendesk.oauth_token", "# settings\nzendesk:\n  url: https://x.zendesk.com\n"),
    (YamlFile, "app.zendesk.token", "# settings\nzendesk:\n  url: https://x.zendesk.com\n"),
    (JsonFile, "zendesk.oauth_token", '{"zendesk": {}}\n'),
    (EnvFile, "ZENDESK_OAUTH_TOKEN", "A=1\n"),
    (IniFile, "zendesk.oauth_token", "[zendesk]\n"),
], ids=["yaml", "yaml-new-mappings", "json", "env", "ini"])
def test_a_str_subclass_value_is_written_as_plain_text(file_format, key, text):
    # Made here, not in the parameters: the test runner's workers cannot serialise the str subclasses.
    parser = file_format(templated(key))
    written = new_content(parser, text, templated(VALUE))
    assert parser.held(written) == VALUE
    assert "!!" not in written and "Unsafe" not in written

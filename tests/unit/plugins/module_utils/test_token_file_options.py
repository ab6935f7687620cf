# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of zendesk_token_file's options: the argument spec as documented, default keys, modes."""

from __future__ import annotations

import ast
import pathlib

import pytest
import yaml

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_options import (
    ARGUMENT_SPEC,
    DEFAULT_KEYS,
    DEFAULT_MODE,
    FORMATS,
    octal_mode,
)
from ansible_collections.obscura.zendesk.plugins.modules import zendesk_token_file


def documented_options():
    """The options of the module's DOCUMENTATION."""
    source = pathlib.Path(zendesk_token_file.__file__).read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "DOCUMENTATION":
            return yaml.safe_load(node.value.value)["options"]
    raise AssertionError("no DOCUMENTATION")


def test_the_spec_is_what_ansible_doc_shows_and_nothing_internal():
    options = documented_options()
    assert sorted(ARGUMENT_SPEC) == sorted(options)
    assert not [name for name in ARGUMENT_SPEC if name.startswith("_") or name == "previous"]
    for name, spec in ARGUMENT_SPEC.items():
        assert spec.get("default") == options[name].get("default"), name
    assert ARGUMENT_SPEC["value"]["no_log"] is True and ARGUMENT_SPEC["follow"]["default"] is False


def test_every_format_but_a_template_has_a_default_key_and_the_choices_are_the_formats():
    assert set(DEFAULT_KEYS) == set(FORMATS) and ARGUMENT_SPEC["format"]["choices"] == list(FORMATS)
    assert DEFAULT_KEYS["env"] == "ZENDESK_OAUTH_TOKEN" and DEFAULT_KEYS["ini"] == "zendesk.oauth_token"


@pytest.mark.parametrize("mode,bits", [(DEFAULT_MODE, 0o600), ("640", 0o640), ("0640", 0o640), ("4755", 0o4755), (0o640, 0o640),
                                       (0, 0), ("u=rw,g=,o=", None), ("a+r", None), ("u=rwX,go-w", None)])
def test_octal_mode(mode, bits):
    assert octal_mode(mode) == bits


@pytest.mark.parametrize("mode", ["rw-------", "0800", "06", "99999", True, 0o10000, -1, "u=rw;g=r", ""])
def test_an_invalid_mode_is_a_value_error_naming_both_forms(mode):
    with pytest.raises(ValueError, match="neither octal .like '0600'. nor symbolic .like 'u=rw,g=,o='."):
        octal_mode(mode)

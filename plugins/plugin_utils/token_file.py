# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The token file formats on the controller (zendesk_token_file's action plugin): each format's parser, the diff's masking.

env, ini and json are in module_utils (standard library only: the host's refresher uses them too), yaml and
template here. ``new_content`` and ``TokenFileError`` are module_utils' (_token_file_text).
"""

from __future__ import annotations

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_env import EnvFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_ini import IniFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_json import JsonFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_text import TokenFileError, new_content
from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file_yaml import YamlFile

__all__ = ["FORMAT_CLASSES", "NEW_PLACEHOLDER", "OLD_PLACEHOLDER", "TokenFileError", "mask", "new_content"]

OLD_PLACEHOLDER = "<zendesk token (old)>"
NEW_PLACEHOLDER = "<zendesk token (new)>"
FORMAT_CLASSES = {"env": EnvFile, "ini": IniFile, "json": JsonFile, "yaml": YamlFile}


def mask(text, replacements):
    """``text`` with every occurrence of each non-empty key of ``replacements`` replaced by its placeholder."""
    for value in sorted((v for v in replacements if v), key=len, reverse=True):
        text = text.replace(value, replacements[value])
    return text

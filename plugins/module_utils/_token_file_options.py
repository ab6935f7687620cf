# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The options of zendesk_token_file as ansible-doc shows them, shared by the module (host side) and its action plugin (controller side).

The internal arguments of the read and write protocol are in _token_file_protocol.py.
"""

from __future__ import annotations

import re

FORMATS = ("env", "json", "yaml", "ini", "template")
DEFAULT_KEYS = {
    "env": "ZENDESK_OAUTH_TOKEN",
    "template": "ZENDESK_OAUTH_TOKEN",
    "json": "zendesk.oauth_token",
    "yaml": "zendesk.oauth_token",
    "ini": "zendesk.oauth_token",
}
DEFAULT_MODE = "0600"
_OCTAL_MODE = re.compile(r"0?[0-7]{3,4}\Z")
_SYMBOLIC_MODE = re.compile(r"[ugoa]*[-+=][rwxXstugo]*(?:[-+=][rwxXstugo]*)*(?:,[ugoa]*[-+=][rwxXstugo]*(?:[-+=][rwxXstugo]*)*)*\Z")

ARGUMENT_SPEC = dict(
    path=dict(type="path", required=True),
    format=dict(type="str", default="env", choices=list(FORMATS)),
    key=dict(type="str", no_log=False),
    template=dict(type="path"),
    template_regex=dict(type="str"),
    value=dict(type="str", no_log=True),
    values=dict(type="dict", no_log=True),
    keys=dict(type="list", elements="str", no_log=False),
    owner=dict(type="str"),
    group=dict(type="str"),
    mode=dict(type="raw", default=DEFAULT_MODE),
    backup=dict(type="bool", default=False),
    return_content=dict(type="bool", default=False),
    follow=dict(type="bool", default=False),
)


def octal_mode(mode):
    """The permission bits ``mode`` stands for (an int, or octal digits), None for a symbolic mode; ValueError when invalid."""
    if isinstance(mode, int) and not isinstance(mode, bool) and 0 <= mode <= 0o7777:
        return mode
    text = str(mode)
    if _OCTAL_MODE.match(text):
        return int(text, 8)
    if _SYMBOLIC_MODE.match(text):
        return None
    raise ValueError("mode %r is neither octal (like '0600') nor symbolic (like 'u=rw,g=,o=')" % (mode,))

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the mapping formats (json, yaml) share: a dotted key path, what a reader reads at every path, their errors.

Standard library only, Python 3.8 syntax: the refresher program (a host script) uses this file too.
"""

from __future__ import annotations

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_text import TokenFileError


def kind(node):
    """A short name of a loaded value's type for messages."""
    if isinstance(node, dict):
        return "a mapping"
    if isinstance(node, list):
        return "a list"
    if node is None:
        return "null"
    return "a boolean" if isinstance(node, bool) else "a number" if isinstance(node, (int, float)) else "a string"


def top_level_problem(data, file_kind, key):
    """TokenFileError when the loaded file (None: empty) is not a mapping, else None."""
    if data is None or isinstance(data, dict):
        return None
    return TokenFileError("The top level of the %s file is %s, not a mapping, so it cannot hold the key %s" % (file_kind, kind(data), key),
                          "Make the file a mapping, or use another format (option format)")


def node_problem(path, depth, node, file_kind):
    """TokenFileError when ``node``, at ``path[depth]``, cannot be on the path (a last one must be a value), else None."""
    name = ".".join(path[:depth + 1])
    if depth == len(path) - 1 and isinstance(node, (dict, list)):
        return TokenFileError("The key %s of the %s file is %s, not a value" % (name, file_kind, kind(node)),
                              "Give the key of the value itself (option key), or remove %s from the file" % name)
    if depth < len(path) - 1 and not isinstance(node, dict):
        return TokenFileError("The key path %s goes through %s, which is %s, not a mapping" % (".".join(path), name, kind(node)),
                              "Choose another key (option key), or make %s a mapping in the file" % name)
    return None


def held_at(data, path, file_kind):
    """The string at ``path`` in loaded data ('' when there is none or it is no string); TokenFileError for a bad path."""
    node = data
    for depth, part in enumerate(path):
        if node is None or part not in node:
            return ""
        node = node[part]
        problem = node_problem(path, depth, node, file_kind)
        if problem:
            raise problem
    return node if isinstance(node, str) else ""


def flattened(data, prefix=()):
    """{path tuple: value} of every value in nested mappings and lists (an empty list is a value, an empty mapping holds none)."""
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list) and data:
        items = enumerate(data)
    else:
        return {prefix: data}
    flat = {}
    for name, value in items:
        flat.update(flattened(value, prefix + (name,)))
    return flat

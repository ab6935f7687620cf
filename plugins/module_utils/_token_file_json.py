# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The json token file format (RFC 8259): a JSON object whose key (a dotted path) holds the value.

A write replaces the value's text in place, or inserts the missing key after the last member of the deepest
existing object on the path, in that object's layout; every other byte is kept (numbers such as ``1e400`` too).
A byte-order mark is skipped (as .NET and utf-8-sig readers do) and kept. ``NaN`` and ``Infinity`` are not JSON;
a name twice on the key's path is ambiguous (readers take the first, the last, or refuse): both are refused.

Standard library only, Python 3.8 syntax: the refresher program (a host script) uses this file too.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring
from json.scanner import NUMBER_RE

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_mapping import (
    flattened,
    held_at,
    node_problem,
    top_level_problem,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_text import TokenFileError, key_path, split_bom

READER = "RFC 8259 readers (json)"
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LITERAL = re.compile(r"true|false|null")


class Node:
    """A JSON value's place in the text: [start, end), and for an object its members [(name, name start, value Node)]."""

    def __init__(self, start, end, members=None):
        self.start = start
        self.end = end
        self.members = members


def _skip(text, position):
    return _WHITESPACE.match(text, position).end()


def parse_node(text, position):
    """The Node of the (valid) JSON value at ``position``, white space before it skipped."""
    position = _skip(text, position)
    char = text[position]
    if char == "{":
        return _parse_object(text, position)
    if char == "[":
        end = _skip(text, position + 1)
        while text[end] != "]":
            end = _skip(text, parse_node(text, end).end)
            end = _skip(text, end + 1) if text[end] == "," else end
        return Node(position, end + 1)
    if char == '"':
        return Node(position, scanstring(text, position + 1)[1])
    match = NUMBER_RE.match(text, position) or _LITERAL.match(text, position)
    return Node(position, match.end())


def _parse_object(text, position):
    members = []
    end = _skip(text, position + 1)
    while text[end] != "}":
        name, after = scanstring(text, end + 1)
        value = parse_node(text, _skip(text, after) + 1)
        members.append((name, end, value))
        end = _skip(text, value.end)
        end = _skip(text, end + 1) if text[end] == "," else end
    return Node(position, end + 1, members)


def _not_a_constant(name):
    raise ValueError(name)


def loaded(body, key):
    """The object in ``body`` (None when empty); TokenFileError when it is not RFC 8259 JSON or not an object."""
    if not body.strip():
        return None
    try:
        data = json.loads(body, parse_constant=_not_a_constant)
    except json.JSONDecodeError as err:
        raise TokenFileError("The file is not valid JSON (%s at line %d, column %d)" % (err.msg, err.lineno, err.colno),
                             "Fix the file, or use another format (option format)") from None
    except ValueError:
        raise TokenFileError("The file is not valid JSON (NaN, Infinity and -Infinity are not JSON)",
                             "Write the number as JSON, or use another format (option format)") from None
    problem = top_level_problem(data, "JSON", key)
    if problem:
        raise problem
    return data


class JsonFile:
    """A JSON object; the value's text replaced in place, a missing key inserted in the layout of its object."""

    KIND = "JSON"

    def __init__(self, key):
        self.key = key
        self.path = key_path(key)
        self.reading_key = tuple(self.path)

    def readings(self, text):
        """{reader: {path: value}} of the file."""
        return {READER: flattened(loaded(split_bom(text)[1], self.key) or {})}

    def held(self, text):
        body = split_bom(text)[1]
        data = loaded(body, self.key)
        if data is not None:
            self._walk(body)
        return held_at(data, self.path, "JSON")

    def all_held(self, text):
        """The value the key holds, as a list."""
        held = self.held(text)
        return [held] if held else []

    def _walk(self, body):
        """(the deepest object Node on the path, the parts of the path not in the file, the value Node or None)."""
        node = parse_node(body, 0)
        data = json.loads(body)
        for depth, part in enumerate(self.path):
            found = [value for name, _start, value in node.members if name == part]
            if len(found) > 1:
                raise TokenFileError("The name %s occurs %d times in its object on the key path: JSON readers take the first, the "
                                     "last, or refuse the file" % (".".join(self.path[:depth + 1]), len(found)),
                                     "Keep one of them in the file")
            if not found:
                return node, self.path[depth:], None
            data = data[part]
            problem = node_problem(self.path, depth, data, "JSON")
            if problem:
                raise problem
            if depth == len(self.path) - 1:
                return node, [], found[0]
            node = found[0]
        return node, [], None

    def with_value(self, text, value):
        bom, body = split_bom(text)
        if loaded(body, self.key) is None:
            layout = _Layout(body, None)
            return bom + layout.member_text(self.path, value, "", multiline=True).join(("{", layout.newline + "}")) + \
                layout.newline
        parent, missing, found = self._walk(body)
        string = json.dumps(value, ensure_ascii="\\u" in body)
        if found is not None:
            return bom + body[:found.start] + string + body[found.end:]
        return bom + _Layout(body, parent).inserted(missing, value)


class _Layout:
    """How an object of the file is laid out: line ends, indentation, separators; and the text of new members in it."""

    def __init__(self, body, node):
        self.body = body
        self.node = node
        newline = re.search(r"\r\n|\r|\n", body)
        self.newline = newline.group(0) if newline else "\n"
        unit = re.search(r"[\r\n]([ \t]+)\S", body)
        self.unit = unit.group(1) if unit else "  "
        colon = re.search(r'"\s*:([ \t]*)', body)
        self.colon = ":" + (colon.group(1) if colon else " ")

    def line_indent(self, position):
        """The white space that starts the line of ``position``."""
        start = max(self.body.rfind("\n", 0, position), self.body.rfind("\r", 0, position)) + 1
        return re.match(r"[ \t]*", self.body[start:]).group(0)

    def member_text(self, path, value, indent, multiline):
        """``"name": value`` for the first part of ``path``, with new objects for the rest, at ``indent``."""
        name = json.dumps(path[0], ensure_ascii=False)
        if len(path) == 1:
            return (self.newline + indent + self.unit if multiline else "") + name + self.colon + \
                json.dumps(value, ensure_ascii="\\u" in self.body)
        inner = self.member_text(path[1:], value, indent + self.unit, multiline)
        closing = self.newline + indent + self.unit if multiline else ""
        return (self.newline + indent + self.unit if multiline else "") + name + self.colon + "{" + inner + closing + "}"

    def inserted(self, path, value):
        """The body with ``path`` (holding ``value``) added as the last member of this object."""
        node, body = self.node, self.body
        indent = self.line_indent(node.start)
        if not node.members:
            multiline = bool(re.search(r"[\r\n]", body.strip())) or not re.search(r'"\s*:', body)
            closing = self.newline + indent if multiline else ""
            return body[:node.start + 1] + self.member_text(path, value, indent, multiline) + closing + body[node.end - 1:]
        last = node.members[-1]
        if len(node.members) > 1:
            between = re.match(r"\s*,(\s*)", body[node.members[-2][2].end:last[1]]).group(1)
        else:
            between = body[node.start + 1:last[1]]
        multiline = bool(re.search(r"[\r\n]", between))
        if not multiline:
            between = between or (" " if self.colon.endswith(" ") and len(node.members) == 1 else "")
            member = self.member_text(path, value, indent, False)
            return body[:last[2].end] + "," + between + member + body[last[2].end:]
        member_indent = re.search(r"([ \t]*)\Z", between).group(1)
        if member_indent.startswith(indent) and len(member_indent) > len(indent):
            self.unit = member_indent[len(indent):]
        return body[:last[2].end] + "," + self.member_text(path, value, indent, True) + body[last[2].end:]

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The data token file formats, json and yaml: a mapping whose key (a dotted path) holds the value.

JSON keeps key order, indentation, line endings and the final newline. YAML keeps comments, order and
quotes when ruamel.yaml is on the controller (round trip); without it PyYAML rewrites the file, with
a warning that comments are not kept. Parser messages are reduced to a line and column: they may
quote the file, and the file holds a secret.
"""

from __future__ import annotations

import io
import json
import re
import types

import yaml

from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file import TokenFileError, key_path, newline_of

NO_RUAMEL_WARNING = ("ruamel.yaml is not installed on the controller, so the YAML file was rewritten by PyYAML: its comments, "
                     "quotes and layout are not kept. Install ruamel.yaml on the controller (python3 -m pip install ruamel.yaml)")
_DOCUMENT_START = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*---[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z)")


def ruamel_yaml():
    """ruamel.yaml's round-trip parts, imported on first use (only YAML files need them); None when it is not installed."""
    try:
        from ruamel.yaml import YAML  # pylint: disable=import-outside-toplevel
        from ruamel.yaml.comments import CommentedMap  # pylint: disable=import-outside-toplevel
        from ruamel.yaml.error import YAMLError  # pylint: disable=import-outside-toplevel
        from ruamel.yaml.scalarstring import ScalarString  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None
    return types.SimpleNamespace(YAML=YAML, CommentedMap=CommentedMap, YAMLError=YAMLError, ScalarString=ScalarString)


def _kind(node):
    """A short name of a node's type for messages."""
    if isinstance(node, dict):
        return "a mapping"
    if isinstance(node, list):
        return "a list"
    if node is None:
        return "null"
    return "a boolean" if isinstance(node, bool) else "a number" if isinstance(node, (int, float)) else "a string"


class _MappingFile:
    """What json and yaml share: walking and setting a dotted key path in a mapping."""

    FORMAT = ""

    def __init__(self, key):
        self.key = key
        self.path = key_path(key)

    def load(self, text):
        """The file's top-level mapping (None for an empty file)."""
        raise NotImplementedError

    def held(self, text):
        node = self.load(text)
        for depth, part in enumerate(self.path):
            if node is None or part not in node:
                return ""
            node = node[part]
            self._check_node(node, depth)
        return str(node) if isinstance(node, str) else ""

    def _check_node(self, node, depth):
        """A node on the path must be a mapping, and the last one must not be a mapping or list."""
        name = ".".join(self.path[:depth + 1])
        last = depth == len(self.path) - 1
        if last and isinstance(node, (dict, list)):
            raise TokenFileError("The key %s of the %s file is %s, not a value" % (name, self.FORMAT, _kind(node)),
                                 "Give the key of the value itself (option key), or remove %s from the file" % name)
        if not last and not isinstance(node, dict):
            raise TokenFileError("The key path %s goes through %s, which is %s, not a mapping" % (self.key, name, _kind(node)),
                                 "Choose another key (option key), or make %s a mapping in the file" % name)

    def set_value(self, data, value, new_mapping):
        """Set the key path in ``data`` to ``value``, creating missing mappings with ``new_mapping``."""
        node = data
        for depth, part in enumerate(self.path[:-1]):
            if part not in node:
                node[part] = new_mapping()
            node = node[part]
            self._check_node(node, depth)
        last = self.path[-1]
        if last in node:
            self._check_node(node[last], len(self.path) - 1)
        node[last] = self.styled(node.get(last), value)

    def styled(self, _old, value):
        """The new value in the old one's style (quoting), where the format keeps styles."""
        return value

    def top_level(self, data):
        """The loaded data, which must be a mapping (None: empty file)."""
        if data is not None and not isinstance(data, dict):
            raise TokenFileError("The top level of the %s file is %s, not a mapping, so it cannot hold the key %s"
                                 % (self.FORMAT, _kind(data), self.key),
                                 "Make the file a mapping, or use another format (option format)")
        return data


class JsonFile(_MappingFile):
    """A JSON object; written back with the file's indentation (default 2), key order and final newline."""

    FORMAT = "JSON"

    def load(self, text):
        if not text.strip():
            return None
        try:
            return self.top_level(json.loads(text))
        except json.JSONDecodeError as err:
            raise TokenFileError("The file is not valid JSON (%s at line %d, column %d)" % (err.msg, err.lineno, err.colno),
                                 "Fix the file, or use another format (option format)") from None

    def with_value(self, text, value):
        data = self.load(text) or {}
        self.set_value(data, value, dict)
        indent, separators = self._style(text)
        dumped = json.dumps(data, indent=indent, separators=separators, ensure_ascii="\\u" in text)
        ending = "\n" if text.endswith("\n") or not text.strip() else ""
        return (dumped + ending).replace("\n", newline_of(text))

    @staticmethod
    def _style(text):
        """(indent, separators) of json.dumps that reproduce the file's layout."""
        body = text.strip()
        indented = re.search(r"\n([ \t]+)\S", body)
        if indented:
            return indented.group(1), (",", ": ")
        if body and "\n" not in body and body != "{}":
            return None, (", ", ": ") if re.search(r"[,:]\s", body) else (",", ":")
        return 2, (",", ": ")


def _yaml_position(err):
    """' (line L, column C)' of a YAML parser error, or ''."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    return " (line %d, column %d)" % (mark.line + 1, mark.column + 1) if mark is not None else ""


def yaml_indentation(text):
    """(mapping, sequence, offset) indentation of a block YAML file, as ruamel.yaml's indent() takes them."""
    mapping = offset = sequence = None
    parent = None
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if not stripped.strip() or stripped.startswith("#"):
            continue
        indent = len(line) - len(stripped)
        if parent is not None and stripped.startswith("- ") and offset is None and indent >= parent:
            offset = indent - parent
            sequence = offset + len(stripped) - len(stripped[1:].lstrip(" "))
        elif parent is not None and not stripped.startswith("-") and mapping is None and indent > parent:
            mapping = indent - parent
        parent = indent if re.search(r":[ \t]*(?:#.*)?$", stripped) and not stripped.startswith("-") else None
    mapping = mapping or 2
    offset = offset or 0
    return mapping, sequence or offset + 2, offset


class YamlFile(_MappingFile):
    """A YAML mapping (one document); round trip with ruamel.yaml when installed, else PyYAML with a warning."""

    FORMAT = "YAML"

    def __init__(self, key):
        super().__init__(key)
        self.warnings = []
        self.ruamel = ruamel_yaml()
        self.errors = (yaml.YAMLError, self.ruamel.YAMLError) if self.ruamel else (yaml.YAMLError,)

    def load(self, text):
        try:
            documents = list(self._round_trip(text).load_all(text) if self.ruamel else yaml.safe_load_all(text))
        except self.errors as err:
            raise TokenFileError("The file is not valid YAML%s" % _yaml_position(err),
                                 "Fix the file, or use another format (option format)") from None
        if len(documents) > 1:
            raise TokenFileError("The file holds %d YAML documents, not one" % len(documents),
                                 "Keep the token in a file with a single YAML document")
        return self.top_level(documents[0] if documents else None)

    def _round_trip(self, text):
        """A round-trip ruamel.yaml instance that writes with the file's indentation and keeps quotes."""
        handler = self.ruamel.YAML(typ="rt")
        handler.preserve_quotes = True
        handler.width = 4096
        mapping, sequence, offset = yaml_indentation(text)
        handler.indent(mapping=mapping, sequence=sequence, offset=offset)
        return handler

    def styled(self, old, value):
        return type(old)(value) if self.ruamel and isinstance(old, self.ruamel.ScalarString) else value

    def with_value(self, text, value):
        data = self.load(text)
        prelude = _DOCUMENT_START.match(text)
        if data is None:
            # Empty, or comments only: keep them and add the mapping after them.
            prelude, data = text, {}
        else:
            prelude = prelude.group(0) if prelude else ""
        if self.ruamel:
            data = data if data else self.ruamel.CommentedMap()
            self.set_value(data, value, self.ruamel.CommentedMap)
            stream = io.StringIO()
            self._round_trip(text).dump(data, stream)
            dumped = stream.getvalue()
        else:
            self.warnings.append(NO_RUAMEL_WARNING)
            self.set_value(data, value, dict)
            dumped = yaml.safe_dump(data, default_flow_style=False, sort_keys=False, allow_unicode=True, width=4096,
                                    indent=yaml_indentation(text)[0])
        if prelude and not prelude.endswith("\n"):
            prelude += newline_of(text)
        return prelude + dumped.replace("\n", newline_of(text))

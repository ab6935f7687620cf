# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The yaml token file format (controller side): a YAML mapping whose key (a dotted path) holds the value.

Read as PyYAML (YAML 1.1) and ruamel.yaml (YAML 1.2) read it: the value held is the one both read. A value
that is in the file is replaced where it is (PyYAML gives the place of each scalar), in its quoting, so every
other byte is kept (directives, comments, anchors, ``0644``). A missing key is added with ruamel.yaml's round
trip, with the file's YAML version; without ruamel.yaml, PyYAML rewrites the file, with a warning that comments
are not kept. Keys under an alias or an anchored node, which would change every alias, are refused.

This format stays on the controller (ruamel.yaml is not in Python's standard library); the other formats live
in module_utils for the host's refresher. Parser messages are reduced to a line and column: they may quote the
file, and the file holds a secret.
"""

from __future__ import annotations

import io
import re
import types

import yaml

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_mapping import (
    flattened,
    held_at,
    node_problem,
    top_level_problem,
)
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_text import (
    TokenFileError,
    agreed,
    key_path,
    newline_of,
    split_bom,
)

PYYAML = "PyYAML (YAML 1.1)"
RUAMEL = "ruamel.yaml (YAML 1.2)"
NO_RUAMEL_WARNING = ("ruamel.yaml is not installed on the controller, so the YAML file was rewritten by PyYAML: its comments, "
                     "quotes and layout are not kept. Install ruamel.yaml on the controller (python3 -m pip install ruamel.yaml)")
_DOCUMENT_START = re.compile(r"(?:[ \t]*(?:#[^\r\n]*)?(?:\r\n|\r|\n))*---[ \t]*(?:#[^\r\n]*)?(?:\r\n|\r|\n|\Z)")
_QUOTES = {"'": lambda value: "'%s'" % value.replace("'", "''"), '"': lambda value: '"%s"' % value.replace("\\", "\\\\").replace('"', '\\"')}


def ruamel_yaml():
    """ruamel.yaml's round-trip parts, imported on first use (only YAML files need them); None when it is not installed."""
    try:
        from ruamel.yaml import YAML  # pylint: disable=import-outside-toplevel
        from ruamel.yaml.comments import CommentedMap  # pylint: disable=import-outside-toplevel
        from ruamel.yaml.error import YAMLError  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None
    return types.SimpleNamespace(YAML=YAML, CommentedMap=CommentedMap, YAMLError=YAMLError)


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


def _references(node, counts):
    """Count how often each node of a composed graph is reached (an anchored node with aliases: more than once)."""
    counts[id(node)] = counts.get(id(node), 0) + 1
    if counts[id(node)] > 1:
        return counts
    children = node.value if isinstance(node, yaml.SequenceNode) else \
        [child for pair in node.value for child in pair] if isinstance(node, yaml.MappingNode) else []
    for child in children:
        _references(child, counts)
    return counts


class YamlFile:
    """A YAML mapping (one document), read as PyYAML and ruamel.yaml read it; a value replaced where it is."""

    KIND = "YAML"

    def __init__(self, key):
        self.key = key
        self.path = key_path(key)
        self.reading_key = tuple(self.path)
        self.warnings = []
        self.ruamel = ruamel_yaml()

    def _loaders(self):
        """{reader: load(text)} of the YAML readers on the controller."""
        loaders = {PYYAML: lambda text: list(yaml.safe_load_all(text))}
        if self.ruamel:
            loaders[RUAMEL] = lambda text: list(self.ruamel.YAML(typ="safe").load_all(text))
        return loaders

    def _loaded(self, text):
        """{reader: the document's data (None: empty)}; TokenFileError when a reader cannot read it as one YAML mapping."""
        body = split_bom(text)[1]
        loaded = {}
        for reader, load in self._loaders().items():
            errors = (yaml.YAMLError, self.ruamel.YAMLError) if self.ruamel else (yaml.YAMLError,)
            try:
                documents = load(body)
            except errors as err:
                raise TokenFileError("The file is not valid YAML for %s%s" % (reader, _yaml_position(err)),
                                     "Fix the file (a key twice in a mapping is an error for ruamel.yaml), or use another format "
                                     "(option format)") from None
            if len(documents) > 1:
                raise TokenFileError("The file holds %d YAML documents, not one" % len(documents),
                                     "Keep the token in a file with a single YAML document")
            data = documents[0] if documents else None
            problem = top_level_problem(data, "YAML", self.key)
            if problem:
                raise problem
            loaded[reader] = data
        return loaded

    def readings(self, text):
        """{reader: {path: value}} of the file."""
        return {reader: flattened(data or {}) for reader, data in self._loaded(text).items()}

    def held(self, text):
        loaded = self._loaded(text)
        for data in loaded.values():
            held_at(data, self.path, "YAML")
        readings = {reader: flattened(data or {}) for reader, data in loaded.items()}
        value = agreed(readings, self.reading_key, self._disagreement)
        return value if isinstance(value, str) else ""

    def _disagreement(self, readers):
        return TokenFileError("The readers of YAML files disagree on the value at %s: %s (YAML 1.1 and 1.2 differ on yes/no, "
                              "on/off, octal and sexagesimal numbers)" % (self.key, readers),
                              "Quote the value in the file, or write it as YAML 1.2 and 1.1 both read it")

    def all_held(self, text):
        """The value the key holds, as a list."""
        held = self.held(text)
        return [held] if held else []

    def _scalar(self, body):
        """The composed scalar node of the key, or None when the key is not in the file's own mappings."""
        root = yaml.compose(body, Loader=yaml.SafeLoader)
        if root is None:
            return None
        counts = _references(root, {})
        node = root
        for depth, part in enumerate(self.path):
            found = [value for name, value in node.value if isinstance(name, yaml.ScalarNode) and name.value == part]
            if not found:
                return None
            node = found[-1]
            if counts[id(node)] > 1:
                raise self._aliased(depth)
            if depth < len(self.path) - 1 and not isinstance(node, yaml.MappingNode):
                return None
        return node if isinstance(node, yaml.ScalarNode) else None

    def _aliased(self, depth):
        name = ".".join(self.path[:depth + 1])
        return TokenFileError("%s is an anchored node or an alias (*name) in the file, so a write there would change every alias of it"
                              % name, "Write %s out in full where the key is, without the anchor or alias" % name)

    def with_value(self, text, value):
        bom, body = split_bom(text)
        self._loaded(text)
        scalar = self._scalar(body)
        if scalar is None:
            return bom + self._added(body, value)
        start, end = scalar.start_mark.index, scalar.end_mark.index
        start += len(re.match(r"(?:[!&]\S*[ \t]+)*", body[start:end]).group(0))  # a tag or an anchor stays
        trailing = re.search(r"[\r\n \t]*\Z", body[start:end]).group(0) if scalar.style in ("|", ">") else ""
        leading = " " if start == end else ""  # an empty value (null) is right after its colon
        for style in (scalar.style if scalar.style in _QUOTES else None, None, "'", '"'):
            written = body[:start] + leading + (_QUOTES[style](value) if style else value) + trailing + body[end:]
            if self._reads(bom + written, value):
                return bom + written
        return text

    def _reads(self, text, value):
        """Whether every reader reads ``value`` at the key of ``text``."""
        try:
            return all(read.get(self.reading_key) == value for read in self.readings(text).values())
        except TokenFileError:
            return False

    def _added(self, body, value):
        """``body`` with the missing key added (ruamel.yaml's round trip, or PyYAML's rewrite with a warning)."""
        handler = self._round_trip(body) if self.ruamel else None
        data = handler.load(body) if handler else yaml.safe_load(body)
        prelude = _DOCUMENT_START.match(body)
        if data is None:
            prelude, data = body, {}
        else:
            prelude = prelude.group(0) if prelude else ""
        if handler:
            data = data if data else self.ruamel.CommentedMap()
            self._set(data, value, self.ruamel.CommentedMap)
            stream = io.StringIO()
            handler.dump(data, stream)
            dumped = stream.getvalue()
        else:
            self.warnings.append(NO_RUAMEL_WARNING)
            self._set(data, value, dict)
            dumped = yaml.safe_dump(data, default_flow_style=False, sort_keys=False, allow_unicode=True, width=4096,
                                    indent=yaml_indentation(body)[0])
        if prelude and not prelude.endswith(("\n", "\r")):
            prelude += newline_of(body)
        return prelude + dumped.replace("\n", newline_of(body))

    def _round_trip(self, body):
        """A round-trip ruamel.yaml instance that writes with the file's indentation and keeps quotes."""
        handler = self.ruamel.YAML(typ="rt")
        handler.preserve_quotes = True
        handler.width = 4096
        mapping, sequence, offset = yaml_indentation(body)
        handler.indent(mapping=mapping, sequence=sequence, offset=offset)
        return handler

    def _set(self, data, value, new_mapping):
        """Set the key path in loaded ``data`` to ``value``, creating missing mappings with ``new_mapping``."""
        node = data
        for depth, part in enumerate(self.path[:-1]):
            if part not in node:
                node[part] = new_mapping()
            node = node[part]
            problem = node_problem(self.path, depth, node, "YAML")
            if problem:
                raise problem
        node[self.path[-1]] = value

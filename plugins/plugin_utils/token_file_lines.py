# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The line-based token file formats, env and ini: only the key's lines change, every other byte is kept."""

from __future__ import annotations

import re

from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file import (
    TokenFileError,
    Value,
    append_line,
    join_lines,
    newline_of,
    render_value,
    split_lines,
)

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ENV_ASSIGNMENT = re.compile(r"[ \t]*(export[ \t]+)?[A-Za-z_][A-Za-z0-9_]*[ \t]*[=:]")
_INI_HEADER = re.compile(r"[ \t]*\[(?P<name>[^\]]*)\][ \t]*(?:[;#].*)?\Z")
_INI_COMMENT_OR_BLANK = re.compile(r"[ \t]*(?:[;#].*)?\Z")
_INI_OPTION = re.compile(r"(?P<indent>[ \t]*)(?P<key>[^\s=:;#\[][^=:]*?)(?P<separator>[ \t]*[=:][ \t]*)")


class EnvFile:
    """``KEY=value`` lines as a shell or dotenv reads them: ``export``, ``=`` or ``:``, quotes and inline comments kept.

    The last assignment of the key is the held value (as a shell sees it); a write sets every assignment of
    the key, or appends ``KEY=value`` (with ``export`` when every other assignment has it).
    """

    def __init__(self, key):
        if not _ENV_NAME.match(key):
            raise TokenFileError("The key %r is not a variable name" % key,
                                 "Give key as letters, digits and underscores, not starting with a digit (option key)")
        self.key = key
        self._line = re.compile(r"[ \t]*(?:export[ \t]+)?%s[ \t]*[=:][ \t]*" % re.escape(key))

    def _values(self, lines):
        """(line index, Value) of every assignment of the key."""
        found = []
        for index, (body, _ending) in enumerate(lines):
            match = self._line.match(body)
            if match:
                found.append((index, Value.parse(body, match.end(), "%s on line %d" % (self.key, index + 1))))
        return found

    def held(self, text):
        found = self.all_held(text)
        return found[-1] if found else ""

    def all_held(self, text):
        """Every value the key is assigned, in file order."""
        return [value.text for _index, value in self._values(split_lines(text))]

    def with_value(self, text, value):
        lines = split_lines(text)
        found = self._values(lines)
        for index, held in found:
            lines[index][0] = held.replaced(lines[index][0], value, may_quote=True)
        if not found:
            assignments = [body for body, _ending in lines if _ENV_ASSIGNMENT.match(body)]
            export = "export " if assignments and all(body.lstrip().startswith("export") for body in assignments) else ""
            line = export + self.key + "=" + render_value(value, "", may_quote=True)
            append_line(lines, line, newline_of(text))
        return join_lines(lines)


class _IniLine:
    """One line of an ini file: its kind, its section and, for an option, its key and value."""

    def __init__(self, index, body, section):
        self.index = index
        self.section = section
        self.header = None
        self.option = None
        self.value = None
        header = _INI_HEADER.match(body)
        if header:
            self.header = header.group("name").strip()
            self.section = self.header
            return
        option = _INI_OPTION.match(body)
        if option:
            self.option = option
            return
        if not _INI_COMMENT_OR_BLANK.match(body) and not body[:1].isspace():
            raise TokenFileError("Line %d is neither a [section] header, a key = value line nor a comment" % (index + 1),
                                 "Fix the file so that it is valid ini, or use another format")


class IniFile:
    """``[section]`` and ``key = value`` lines; headers may carry a comment (``[zendesk] ; credentials``).

    The key is ``section.key`` (split at the first dot: ``[PHP]`` ``session.name`` is ``PHP.session.name``).
    The last occurrence of the key in its section is the held value; a write sets every occurrence, or adds
    the key at the end of the section (before its trailing blank lines), or appends the section.
    """

    def __init__(self, key):
        section, dot, option = key.partition(".")
        if not dot or not section or not option:
            raise TokenFileError("The ini key %r is not section.key" % key,
                                 "Give key as the section and the key joined by a dot, e.g. zendesk.oauth_token (option key)")
        self.section = section
        self.option = option

    def _parse(self, lines):
        """Each line classified, with the section it belongs to."""
        parsed = []
        section = None
        for index, (body, _ending) in enumerate(lines):
            line = _IniLine(index, body, section)
            section = line.section
            if line.option and section == self.section and line.option.group("key").strip() == self.option:
                line.value = Value.parse(body, line.option.end(), "%s in [%s] on line %d" % (self.option, section, index + 1))
            parsed.append(line)
        return parsed

    def held(self, text):
        found = self.all_held(text)
        return found[-1] if found else ""

    def all_held(self, text):
        """Every value of the key in its section, in file order."""
        return [line.value.text for line in self._parse(split_lines(text)) if line.value]

    def with_value(self, text, value):
        lines = split_lines(text)
        parsed = self._parse(lines)
        found = [line for line in parsed if line.value]
        for line in found:
            lines[line.index][0] = line.value.replaced(lines[line.index][0], value, may_quote=False)
        if not found:
            self._add(lines, parsed, value, newline_of(text))
        return join_lines(lines)

    def _add(self, lines, parsed, value, newline):
        """Add the key at the end of the first block of its section, or append the section."""
        block = self._first_block(parsed)
        if not block:
            if lines and lines[-1][0].strip():
                append_line(lines, "", newline)
            append_line(lines, "[%s]" % self.section, newline)
            append_line(lines, self.option + " = " + value, newline)
            return
        options = [line.option for line in block if line.option]
        separator = options[-1].group("separator") if options else " = "
        last = max(line.index for line in block if line.header is not None or lines[line.index][0].strip())
        if not lines[last][1]:
            lines[last][1] = newline
        lines.insert(last + 1, [self.option + separator + value, newline])

    def _first_block(self, parsed):
        """The lines of the section's first block (its header to the next header), or []."""
        block = []
        for line in parsed:
            if line.header is not None and block:
                break
            if line.section == self.section and (block or line.header is not None):
                block.append(line)
        return block

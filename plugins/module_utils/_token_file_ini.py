# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The ini token file format, read as Python's configparser reads it (its defaults), and as readers that also allow
keys without a value (my.cnf) or strip inline comments (configparser with inline_comment_prefixes, PHP, MySQL).

configparser's rules are followed: option names without case, continuation lines (indented deeper than their
key), ``[DEFAULT]`` values inherited by every section, section names exactly as between the brackets, ``=`` or
``:``, whole-line comments only. A byte-order mark is skipped (as readers that open the file as utf-8-sig do)
and kept. What readers read differently at the key (an inline comment, quotes, ``%``, the key or its section
twice, ``[ zendesk ]``) is refused with the fix.

Standard library only, Python 3.8 syntax: the refresher program (a host script) uses this file too.
"""

from __future__ import annotations

import re

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_text import (
    TokenFileError,
    agreed,
    append_line,
    join_lines,
    newline_of,
    plain_text,
    split_bom,
    split_lines,
)

DEFAULT_SECTION = "DEFAULT"
_SECTION = re.compile(r"\[(?P<header>.+)\]")
_OPTION = re.compile(r"(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$")
_OPTION_OR_NAME = re.compile(r"(?P<option>.*?)\s*(?:(?P<vi>=|:)\s*(?P<value>.*))?$")
_COMMENT_PREFIXES = ("#", ";")
# Each reader: (strips inline comments, allows keys without a value, refuses a section or key twice).
READERS = {
    "configparser": (False, False, True),
    "configparser with allow_no_value": (False, True, True),
    "ini readers of inline comments (configparser with inline_comment_prefixes, PHP, MySQL)": (True, True, False),
}


class _Unreadable(Exception):
    """The reader refuses the file at ``line``."""

    def __init__(self, line):
        super().__init__(line)
        self.line = line


class Option:
    """One ``name = value`` line of a section: where its value is, its continuation lines, its layout."""

    def __init__(self, line, name, indent, separator, span, value):
        self.line = line
        self.name = name
        self.indent = indent
        self.separator = separator
        self.span = span
        self.parts = None if value is None else [value]
        self.lines = [line]

    def text(self):
        """The value as configparser returns it (None for a key without a value)."""
        return None if self.parts is None else "\n".join(self.parts).rstrip()


class ParsedIni:
    """An ini file as one reader parses it: sections, the defaults, every option and header in file order."""

    def __init__(self):
        self.sections = {}
        self.defaults = {}
        self.options = []
        self.headers = []

    def readings(self):
        """{(section, option): value} of every option a reader can get, inherited defaults included."""
        read = {(DEFAULT_SECTION, name): option.text() for name, option in self.defaults.items()}
        for section, options in self.sections.items():
            for name, option in dict(self.defaults, **options).items():
                read[(section, name)] = option.text()
        return read


def _inline_comment(line):
    """Where an inline comment (``;`` or ``#`` after white space) starts in ``line``, or None."""
    match = re.search(r"\s[#;]", line)
    return match.start() + 1 if match else None


def parse_ini(body, inline, allow_no_value, strict):
    """``body`` (no byte-order mark) as configparser's read with these options parses it; _Unreadable where it refuses it."""
    lines = split_lines(body)
    parsed, section, current, option, indent_level, added = ParsedIni(), None, None, None, 0, set()
    for index, (line, _ending) in enumerate(lines):
        comment = 0 if line.strip().startswith(_COMMENT_PREFIXES) else _inline_comment(line) if inline else None
        content = line[:comment].strip() if comment is not None else line.strip()
        if not content:
            if comment is None and option is not None and option.parts is not None:
                option.parts.append("")
            continue
        lead = len(line) - len(line.lstrip())
        if option is not None and lead > indent_level:
            if option.parts is None:
                raise _Unreadable(index + 1)
            option.parts.append(content)
            option.lines.append(index)
            continue
        indent_level = lead
        header = _SECTION.match(content)
        if header:
            section, option = header.group("header"), None
            if strict and section in added and section != DEFAULT_SECTION:
                raise _Unreadable(index + 1)
            added.add(section)
            current = parsed.defaults if section == DEFAULT_SECTION else parsed.sections.setdefault(section, {})
            parsed.headers.append((index, section))
            continue
        option = _option(parsed, line, lead, content, index, section, allow_no_value)
        if current is None or option is None or (strict and (section, option.name) in added):
            raise _Unreadable(index + 1)
        added.add((section, option.name))
        current[option.name] = option
    return parsed


def _option(parsed, line, lead, content, index, section, allow_no_value):
    """The option on ``line`` (recorded in ``parsed.options`` with its section), or None when it is not one."""
    match = (_OPTION_OR_NAME if allow_no_value else _OPTION).match(content)
    if not match or not match.group("option"):
        return None
    value = match.group("value")
    end = lead + (match.end("value") if value is not None else len(content))
    start = lead + match.start("value") if value is not None else end
    separator = content[match.end("option"):match.start("value")] if value is not None else None
    option = Option(index, match.group("option").rstrip().lower(), line[:lead], separator, (start, end),
                    None if value is None else value.strip())
    parsed.options.append((section, option))
    return option


class IniFile:
    """``[section]`` and ``key = value`` lines as configparser reads them; the key is ``section.key`` (split at the first dot).

    A write sets the key's value (its continuation lines removed), or adds the key at the end of its section
    (before its trailing blank lines, in the separator style of the section), or appends the section.
    """

    KIND = "ini"

    def __init__(self, key):
        section, dot, option = plain_text(key).partition(".")
        if not dot or not section or not option:
            raise TokenFileError("The ini key %r is not section.key" % key,
                                 "Give key as the section and the key joined by a dot, e.g. zendesk.oauth_token (option key)")
        self.section = section
        self.option = option.lower()
        self.name = option
        self.reading_key = (section, self.option)

    def readings(self, text):
        """{reader: {(section, option): value}}, None for a reader that refuses the file."""
        body = split_bom(text)[1]
        read = {}
        for reader, options in READERS.items():
            try:
                read[reader] = parse_ini(body, *options).readings()
            except _Unreadable:
                read[reader] = None
        return read

    def new_place(self, name):
        """Whether a write may make ``name`` readable where it was not: in the key's section (which may be new)."""
        return name[0] == self.section

    def _located(self, text):
        """The file as the most lenient reader parses it; TokenFileError when no reader can read it."""
        try:
            return parse_ini(split_bom(text)[1], True, True, False)
        except _Unreadable as err:
            raise TokenFileError("Line %d is neither a [section] header, a key = value line nor a comment" % err.line,
                                 "Fix the file so that it is valid ini, or use another format") from None

    def _mine(self, parsed):
        """The lines of the key in its own section; TokenFileError for what readers read differently."""
        headers = [index + 1 for index, name in parsed.headers if name == self.section]
        if len(headers) > 1:
            raise TokenFileError("The section [%s] occurs %d times (lines %s): configparser refuses such a file, other readers merge them"
                                 % (self.section, len(headers), ", ".join(map(str, headers))), "Merge them into one section in the file")
        for index, name in parsed.headers:
            if name != self.section and name.strip() == self.section:
                raise TokenFileError("The section header on line %d has white space inside its brackets: configparser reads it as "
                                     "another section than [%s], other readers as [%s]" % (index + 1, self.section, self.section),
                                     "Write the header as [%s] in the file" % self.section)
        mine = [option for section, option in parsed.options if section == self.section and option.name == self.option]
        if len(mine) > 1:
            raise TokenFileError("The key %s occurs %d times in [%s] (lines %s; names match without case): configparser refuses such "
                                 "a file, other readers take the last" % (self.name, len(mine), self.section,
                                                                          ", ".join(str(option.line + 1) for option in mine)),
                                 "Keep one of them in the file")
        return mine[0] if mine else None

    def held(self, text):
        parsed = self._located(text)
        mine = self._mine(parsed)
        value = mine.text() if mine else None
        if value and (value[0] in "\"'" and value[-1] == value[0] and len(value) > 1):
            raise TokenFileError("The value of %s in [%s] on line %d is in quotes: configparser reads the quotes as part of the value, "
                                 "other readers do not" % (self.name, self.section, mine.line + 1), "Remove the quotes in the file")
        value = agreed(self.readings(text), self.reading_key, self._disagreement)
        if value and "%" in value:
            raise TokenFileError("The value of %s in [%s] has a %%, which configparser interpolates and other readers do not"
                                 % (self.name, self.section), "Write the value without %, or use another format (option format)")
        return value or ""

    def _disagreement(self, readers):
        return TokenFileError("The readers of ini files disagree on %s in [%s]: %s (a comment after the value on its line is part of "
                              "the value for configparser's defaults, not for readers of inline comments)" % (self.name, self.section, readers),
                              "Put the comment on a line of its own in the file")

    def all_held(self, text):
        """The value of the key in its section and each of its lines, as a list."""
        held = self.held(text)
        if not held:
            return []
        mine = self._mine(self._located(text))
        return [held] + ([part for part in mine.parts if part] if mine else [])

    def with_value(self, text, value):
        if "%" in value or re.search(r"\s[#;]", value) or value != value.strip():
            raise TokenFileError("The value cannot be written so that every ini reader reads it as it is (it has a percent sign, "
                                 "an inline comment or white space at an end)", "Give another value (option value), or use another format")
        bom, body = split_bom(text)
        lines = split_lines(body)
        parsed = self._located(text)
        mine = self._mine(parsed)
        if mine is None:
            self._add(lines, parsed, value, newline_of(body))
        else:
            line = lines[mine.line][0]
            start, end = mine.span
            lines[mine.line][0] = line[:start] + ("" if mine.parts is not None else " = ") + value + line[end:]
            for index in reversed(mine.lines[1:]):
                del lines[index]
        return bom + join_lines(lines)

    def _add(self, lines, parsed, value, newline):
        """Add the key at the end of its section's block, or append the section."""
        headers = [index for index, _name in parsed.headers]
        start = [index for index, name in parsed.headers if name == self.section]
        if not start:
            if lines and lines[-1][0].strip():
                append_line(lines, "", newline)
            append_line(lines, "[%s]" % self.section, newline)
            append_line(lines, self.name + " = " + value, newline)
            return
        end = min([index for index in headers if index > start[0]] + [len(lines)])
        options = [option for section, option in parsed.options if start[0] < option.line < end and option.separator is not None]
        last = max(index for index in range(start[0], end) if index == start[0] or lines[index][0].strip())
        if not lines[last][1]:
            lines[last][1] = newline
        indent, separator = (options[-1].indent, options[-1].separator) if options else ("", " = ")
        lines.insert(last + 1, [indent + self.name + separator + value, newline])

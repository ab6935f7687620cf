# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the token file formats share (controller side of zendesk_token_file): errors, lines, values, masking.

Every format is a class with ``held(text)`` (the value the file holds at the key, '' when none) and
``with_value(text, value)`` (the file's new text, everything else kept). One parser per format serves
both, so that what is written is what is read back.
"""

from __future__ import annotations

import re

OLD_PLACEHOLDER = "<zendesk token (old)>"
NEW_PLACEHOLDER = "<zendesk token (new)>"
_LINE = re.compile(r"([^\n]*?)(\r?\n|\Z)")
_SAFE_UNQUOTED = re.compile(r"[A-Za-z0-9_@%+=:,./~^-]*\Z")
_DOUBLE_QUOTE_ESCAPED = re.compile(r'\\([\\"$`])')


class TokenFileError(Exception):
    """A problem with the file, its content or the options, and how to fix it; never carries a value."""

    def __init__(self, problem, fix):
        super().__init__("%s. %s" % (problem, fix))
        self.problem = problem
        self.fix = fix


def split_lines(text):
    """``text`` as [body, ending] pairs, ending being '\\n', '\\r\\n' or '' (last line): joined, exactly ``text``."""
    lines = [[match.group(1), match.group(2)] for match in _LINE.finditer(text)]
    if lines and lines[-1] == ["", ""]:
        lines.pop()
    return lines


def join_lines(lines):
    """The text of [body, ending] pairs."""
    return "".join(body + ending for body, ending in lines)


def newline_of(text):
    """The file's line ending: that of its first line, '\\n' for a file without any."""
    match = re.search(r"\r?\n", text)
    return match.group(0) if match else "\n"


def append_line(lines, body, newline):
    """Add a line at the end, ending the previous last line first when it has no line ending."""
    if lines and not lines[-1][1]:
        lines[-1][1] = newline
    lines.append([body, newline])


def plain_text(text):
    """``text`` as an exact str: a templated string is a str subclass (tagged or unsafe) that YAML dumpers refuse."""
    return str.__str__(text)


def key_path(key):
    """A dotted key as its parts; empty parts are an error naming ``key``."""
    parts = plain_text(key).split(".")
    if not all(parts):
        raise TokenFileError("The key %r has an empty part" % key, "Give key as names separated by single dots (option key)")
    return parts


class Value:
    """A value on a line of an env or ini file: where its raw text is in the line, its quote and its text."""

    def __init__(self, start, end, quote, text):
        self.start = start
        self.end = end
        self.quote = quote
        self.text = text

    @classmethod
    def parse(cls, line, start, what):
        """The value starting at ``line[start:]``: quoted, or up to an inline comment (white space, then # or ;)."""
        rest = line[start:]
        if rest[:1] == '"':
            close = re.match(r'"((?:[^"\\]|\\.)*)"', rest)
            if not close:
                raise TokenFileError("The value of %s has no closing double quote" % what, "Close the quote in the file")
            return cls(start, start + close.end(), '"', _DOUBLE_QUOTE_ESCAPED.sub(r"\1", close.group(1)))
        if rest[:1] == "'":
            close = rest.find("'", 1)
            if close < 0:
                raise TokenFileError("The value of %s has no closing single quote" % what, "Close the quote in the file")
            return cls(start, start + close + 1, "'", rest[1:close])
        comment = re.search(r"[ \t]+[#;]", rest)
        raw = (rest[:comment.start()] if comment else rest).rstrip(" \t")
        return cls(start, start + len(raw), "", raw)

    def replaced(self, line, value, may_quote):
        """``line`` with ``value`` in this value's place, in its quoting (double quotes when ``value`` needs quoting)."""
        return line[:self.start] + render_value(value, self.quote, may_quote) + line[self.end:]


def render_value(value, quote, may_quote):
    """``value`` as written in an env or ini file: in ``quote``, or in double quotes when it needs and may have them."""
    if quote == "'" and "'" not in value:
        return "'%s'" % value
    if quote or (may_quote and not _SAFE_UNQUOTED.match(value)):
        return '"%s"' % re.sub(r'([\\"$`])', r"\\\1", value)
    return value


def mask(text, replacements):
    """``text`` with every occurrence of each non-empty key of ``replacements`` replaced by its placeholder."""
    for value in sorted((v for v in replacements if v), key=len, reverse=True):
        text = text.replace(value, replacements[value])
    return text


def new_content(file_format, text, value):
    """The file's text holding ``value``: unchanged when it already does (for formats that keep other content)."""
    value = plain_text(value)
    if "\n" in value or "\r" in value:
        raise TokenFileError("The value has a line break", "Give a value on one line (option value)")
    if not getattr(file_format, "WHOLE_FILE", False) and file_format.held(text) == value:
        return text
    updated = file_format.with_value(text, value)
    if file_format.held(updated) != value:
        raise TokenFileError("The value cannot be written so that it reads back unchanged in this format",
                             "Use another format or a value without line breaks and quotes")
    return updated

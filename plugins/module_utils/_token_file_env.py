# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The env token file format, read as its two readers read it: python-dotenv and a POSIX shell (``. file``).

python-dotenv's grammar is followed exactly (multi-line quoted values, ``KEY= # comment``, ``'don\\'t'``,
``\\r`` line ends, a byte-order mark). A shell reads the file too when it can: a file with ``\\r`` in it or
with a quote a shell cannot close is read by python-dotenv alone. The value held is the one both read;
a file where they read the key differently is refused. A write replaces the key's value only, in the same
quotes where both readers read that quoting alike.

Standard library only, Python 3.8 syntax: the refresher program (a host script) uses this file too.
"""

from __future__ import annotations

import re

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_text import (
    TokenFileError,
    agreed,
    newline_of,
    plain_text,
    split_bom,
)

DOTENV = "python-dotenv"
SHELL = "a POSIX shell"
EXPANDED = ("expanded by the shell",)  # what a shell reads where a value expands a variable, a command or ~
# python-dotenv's own grammar (dotenv/parser.py).
_WHITESPACE_AND_LINES = re.compile(r"\s*")
_WHITESPACE = re.compile(r"[^\S\r\n]*")
_EXPORT = re.compile(r"(?:export[^\S\r\n]+)?")
_QUOTED_KEY = re.compile(r"'([^']+)'")
_KEY = re.compile(r"([^=\#\s]+)")
_EQUAL_SIGN = re.compile(r"(=[^\S\r\n]*)")
_SINGLE_QUOTED = re.compile(r"'((?:\\.|[^'\\])*)'", re.DOTALL)
_DOUBLE_QUOTED = re.compile(r'"((?:\\.|[^"\\])*)"', re.DOTALL)
_UNQUOTED = re.compile(r"([^\r\n]*)")
_COMMENT = re.compile(r"(?:[^\S\r\n]*#[^\r\n]*)?")
_END_OF_LINE = re.compile(r"[^\S\r\n]*(?:\r\n|\n|\r|$)")
_REST_OF_LINE = re.compile(r"[^\r\n]*(?:\r|\n|\r\n)?")
_ESCAPES = {"'": re.compile(r"\\[\\']"), '"': re.compile(r"\\[\\'\"abfnrtv]")}
_ESCAPED = dict(zip("\\'\"abfnrtv", "\\'\"\a\b\f\n\r\t\v"))
_INTERPOLATION = re.compile(r"\$\{[^}:]*(?::-[^}]*)?\}")
# A POSIX shell's.
_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_SHELL_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_SHELL_BREAKS = " \t\n;&|()<>"
_SHELL_BEFORE_ASSIGNMENTS = ("export", "readonly", "then", "do", "else", "{", "!")
_SHELL_EXPANSION = re.compile(r"\$(?:\{[^}]*\}|\([^)]*\)|[A-Za-z0-9_@*#?$!-])|`[^`]*`")
# What a value may be written as: unquoted, in single or in double quotes, read alike by both readers.
_PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./^-]+\Z")
_NOT_IN_QUOTES = {"": None, "'": re.compile(r"['\\]|\$\{"), '"': re.compile(r"[$`]")}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class _NoMatch(Exception):
    """python-dotenv's parser found no match: the binding is an error; ``problem`` says what is wrong with it."""

    def __init__(self, problem="cannot be parsed"):
        super().__init__(problem)
        self.problem = problem


class Binding:
    """One ``KEY=value`` of python-dotenv: its key, decoded value (None without ``=``) and where its raw value is."""

    def __init__(self, key, value, export, span, quote):
        self.key = key
        self.value = value
        self.export = export
        self.span = span
        self.quote = quote


class _DotenvReader:
    """python-dotenv's reader over the text (after a byte-order mark), keeping positions in the whole text."""

    def __init__(self, text, offset):
        self.text = text
        self.position = offset

    def read(self, regex, problem="cannot be parsed"):
        match = regex.match(self.text, self.position)
        if match is None:
            raise _NoMatch(problem)
        self.position = match.end()
        return match

    def peek(self):
        return self.text[self.position:self.position + 1]


def line_number(text, position):
    """The line of ``position`` in ``text`` (1 for the first)."""
    return len(_LINE_BREAK.findall(text, 0, position)) + 1


def dotenv_bindings(text):
    """(bindings, {line: (key, problem)} of lines python-dotenv skips as invalid), as python-dotenv parses ``text``."""
    bom, _body = split_bom(text)
    reader = _DotenvReader(text, len(bom))
    bindings, invalid = [], {}
    while reader.position < len(text):
        reader.read(_WHITESPACE_AND_LINES)
        if reader.position == len(text):
            break
        start, key = reader.position, None
        try:
            export = bool(reader.read(_EXPORT).group(0))
            key = _read_key(reader)
            bindings.append(_read_binding(reader, key, export))
        except _NoMatch as err:
            invalid[line_number(text, start)] = (key, err.problem)
            reader.read(_REST_OF_LINE)
    return [binding for binding in bindings if binding.key is not None], invalid


def _read_key(reader):
    """The binding's key (None for a comment line)."""
    char = reader.peek()
    if char == "#":
        return None
    return reader.read(_QUOTED_KEY if char == "'" else _KEY).group(1)


def _read_binding(reader, key, export):
    """The rest of a binding after its key: ``= value``, an inline comment, the line end."""
    reader.read(_WHITESPACE)
    value, span, quote = None, None, ""
    if reader.peek() == "=":
        equal_sign = reader.read(_EQUAL_SIGN)
        char = reader.peek()
        if char in ("", "\n", "\r") or (char == "#" and len(equal_sign.group(0)) > 1):
            value, span = "", (equal_sign.start() + 1, equal_sign.start() + 1)
        elif char in "'\"":
            match = reader.read(_SINGLE_QUOTED if char == "'" else _DOUBLE_QUOTED,
                                "has no closing %s quote" % ("single" if char == "'" else "double"))
            value, span, quote = _ESCAPES[char].sub(lambda escape: _ESCAPED[escape.group(0)[1]], match.group(1)), match.span(), char
        else:
            match = reader.read(_UNQUOTED)
            value = re.sub(r"\s+#.*", "", match.group(1)).rstrip()
            span = (match.start(), match.start() + len(value))
    reader.read(_COMMENT)
    reader.read(_END_OF_LINE, "is followed by text that is not a comment")
    return Binding(key, value, export, span, quote)


class _ShellSyntaxError(Exception):
    """A shell cannot run the file (a quote it cannot close)."""


def shell_assignments(text):
    """{name: value} a POSIX shell assigns running ``text`` (value EXPANDED when it expands something); None when it cannot run it.

    Only assignments as commands of their own (also after ``then``, ``do``, ``else``), or after ``export`` or ``readonly``,
    count; other commands are skipped.
    """
    if "\r" in text:
        return None
    assigned, position, assignable = {}, 0, True
    try:
        while position < len(text):
            char = text[position]
            if char in " \t" or text.startswith("\\\n", position):
                position += 1 if char in " \t" else 2
            elif char in _SHELL_BREAKS:
                position, assignable = position + 1, char in "\n;&|()"
            elif char == "#":
                end = text.find("\n", position)
                position = len(text) if end < 0 else end
            else:
                end, _word = _shell_word(text, position)
                assignment = _SHELL_ASSIGNMENT.match(text, position, end)
                if assignable and assignment:
                    assigned[assignment.group(0)[:-1]] = _shell_word(text, assignment.end(), tilde=True)[1]
                else:
                    assignable = text[position:end] in _SHELL_BEFORE_ASSIGNMENTS
                position = end
    except _ShellSyntaxError:
        return None
    return assigned


def _shell_word(text, position, tilde=False):
    """(end, the word's text or EXPANDED when it expands a variable, a command or ``~``) of the word at ``position``."""
    parts, expands = [], tilde and text.startswith("~", position)
    while position < len(text) and text[position] not in _SHELL_BREAKS:
        char = text[position]
        if char == "\\":
            parts.append(text[position + 1:position + 2].replace("\n", ""))
            position += 2
        elif char == "'":
            end = text.find("'", position + 1)
            if end < 0:
                raise _ShellSyntaxError()
            parts.append(text[position + 1:end])
            position = end + 1
        elif char == '"':
            position, part, expanded = _shell_double_quoted(text, position + 1)
            parts.append(part)
            expands = expands or expanded
        else:
            expansion = _SHELL_EXPANSION.match(text, position)
            if expansion:
                expands, position = True, expansion.end()
            else:
                parts.append(char)
                position += 1
    return position, EXPANDED if expands else "".join(parts)


def _shell_double_quoted(text, position):
    """(end after the closing quote, the text, whether it expands something) of a double-quoted part."""
    parts, expands = [], False
    while True:
        if position >= len(text):
            raise _ShellSyntaxError()
        char = text[position]
        if char == '"':
            return position + 1, "".join(parts), expands
        expansion = _SHELL_EXPANSION.match(text, position)
        if char == "\\" and text[position + 1:position + 2] in ("$", "`", '"', "\\", "\n"):
            parts.append(text[position + 1].replace("\n", ""))
            position += 2
        elif expansion:
            expands, position = True, expansion.end()
        else:
            parts.append(char)
            position += 1


def render(value, quotes):
    """``value`` as both readers read it literally, in the first of ``quotes`` that can hold it; None if none can."""
    for quote in quotes:
        if quote == "" and _PLAIN.match(value):
            return value
        if quote and not _NOT_IN_QUOTES[quote].search(value):
            return quote + (re.sub(r'([\\"])', r"\\\1", value) if quote == '"' else value) + quote
    return None


class EnvFile:
    """``KEY=value`` lines as python-dotenv and a POSIX shell read them; the last assignment of the key counts.

    A write sets every assignment of the key, or appends ``KEY=value`` (with ``export`` when every other
    assignment has it).
    """

    KIND = "env"

    def __init__(self, key):
        key = plain_text(key)
        if not _KEY.match(key) or _KEY.match(key).group(0) != key or key.startswith("'"):
            raise TokenFileError("The key %r is not a variable name" % key,
                                 "Give key as a name without spaces, '=', '#' or quotes, e.g. ZENDESK_OAUTH_TOKEN (option key)")
        self.key = key
        self.reading_key = key
        self.shell_name = bool(_SHELL_NAME.match(key))

    def readings(self, text):
        """What python-dotenv and a shell read: {reader: {name: value}}, None for a shell that cannot run the file.

        A key that is no shell variable name (such as a dotted one) is python-dotenv's alone.
        """
        bindings, _invalid = dotenv_bindings(text)
        dotenv = {}
        for binding in bindings:
            dotenv[binding.key] = binding.value
        read = {DOTENV: {key: value for key, value in dotenv.items() if value is not None}}
        if self.shell_name:
            read[SHELL] = shell_assignments(text)
        return read

    def _bindings(self, text):
        """python-dotenv's bindings of the key with a value; TokenFileError when it skips a line of the key as invalid."""
        bindings, invalid = dotenv_bindings(text)
        for line, (key, problem) in invalid.items():
            if key == self.key:
                raise TokenFileError("The value of %s on line %d %s" % (self.key, line, problem),
                                     "Close the quote in the file, or put a # before the text after the value")
        return [binding for binding in bindings if binding.key == self.key]

    def held(self, text):
        mine = self._bindings(text)
        if mine and mine[-1].value is not None and _INTERPOLATION.search(mine[-1].value):
            raise TokenFileError("The value of %s on line %d refers to other variables (${...}), so what it holds depends on the reader "
                                 "and the environment" % (self.key, line_number(text, mine[-1].span[0])),
                                 "Write the value itself in the file, in single quotes")
        value = agreed(self.readings(text), self.key, self._disagreement)
        return value or ""

    def _disagreement(self, readers):
        return TokenFileError("The readers of env files disagree on %s in this file: %s" % (self.key, readers),
                              "Write it as %s=value on a line of its own: no spaces around '=', no quotes around the name, no 'export %s' "
                              "without a value after an assignment, no byte-order mark before it on the first line, and a value in single "
                              "quotes without backslashes" % (self.key, self.key))

    def all_held(self, text):
        """Every value the key is assigned, in file order, as read and as written (escaped) in the file."""
        held = []
        for binding in self._bindings(text):
            if binding.value:
                raw = text[binding.span[0]:binding.span[1]]
                held.extend([binding.value, raw[1:-1] if binding.quote else raw])
        return held

    def with_value(self, text, value):
        mine = [binding for binding in self._bindings(text) if binding.value is not None]
        if not mine:
            return self._appended(text, value)
        for binding in reversed(mine):
            written = render(value, (binding.quote, "", '"', "'"))
            if written is None:
                raise self._unwritable()
            text = text[:binding.span[0]] + written + text[binding.span[1]:]
        return text

    def _appended(self, text, value):
        """``text`` with ``KEY=value`` on a line of its own at the end."""
        written = render(value, ("", '"', "'"))
        if written is None:
            raise self._unwritable()
        bindings, _invalid = dotenv_bindings(text)
        export = "export " if bindings and all(binding.export for binding in bindings) else ""
        newline = newline_of(text)
        if split_bom(text)[1] and not text.endswith(("\n", "\r")):
            text += newline
        return text + export + self.key + "=" + written + newline

    @staticmethod
    def _unwritable():
        return TokenFileError("The value cannot be written so that python-dotenv and a shell both read it as it is (it holds quotes "
                              "with backslashes, $ or `)", "Give another value (option value), or use another format (option format)")

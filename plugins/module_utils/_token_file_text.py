# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the token file formats share: errors, lines, the byte-order mark, and the readers' verdict on a write.

Every format is a class with ``held(text)`` (the value the file holds at the key, '' when none) and
``with_value(text, value)`` (the file's new text, only the value changed). A format also says how each
reader that applications use reads the file (``readings(text)``): the value held is the one every reader
reads, and a write is kept only when every reader that could read the file before reads the new value at
the key and the same as before everywhere else.

Standard library only, Python 3.8 syntax: the refresher program (a host script) uses these files too.
"""

from __future__ import annotations

import re

BOM = "\ufeff"
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|\Z)")


class TokenFileError(Exception):
    """A problem with the file, its content or the options, and how to fix it; never carries a value."""

    def __init__(self, problem, fix):
        super().__init__("%s. %s" % (problem, fix))
        self.problem = problem
        self.fix = fix


def plain_text(text):
    """``text`` as an exact str: a templated string is a str subclass (tagged or unsafe) that some writers refuse."""
    return str.__str__(text)


def split_bom(text):
    """(the byte-order mark or '', the rest of ``text``)."""
    return (BOM, text[1:]) if text.startswith(BOM) else ("", text)


def split_lines(text):
    """``text`` as [body, ending] pairs, ending being '\\n', '\\r\\n', '\\r' or '' (last line): joined, exactly ``text``."""
    lines = [[match.group(1), match.group(2)] for match in _LINE.finditer(text)]
    if lines and lines[-1] == ["", ""]:
        lines.pop()
    return lines


def join_lines(lines):
    """The text of [body, ending] pairs."""
    return "".join(body + ending for body, ending in lines)


def newline_of(text):
    """The file's line ending: that of its first line, '\\n' for a file without any."""
    match = re.search(r"\r\n|\r|\n", text)
    return match.group(0) if match else "\n"


def append_line(lines, body, newline):
    """Add a line at the end, ending the previous last line first when it has no line ending."""
    if lines and not lines[-1][1]:
        lines[-1][1] = newline
    lines.append([body, newline])


def key_path(key):
    """A dotted key as its parts; empty parts are an error naming ``key``."""
    parts = plain_text(key).split(".")
    if not all(parts):
        raise TokenFileError("The key %r has an empty part" % key, "Give key as names separated by single dots (option key)")
    return parts


def agreed(readings, key, disagreement):
    """The value every reader that can read the file reads at ``key`` (None: none holds one).

    ``readings`` maps each reader's name to what it reads ({key: value}), or to None when it cannot read the
    file. When readers read different values, ``disagreement(readers)`` is the TokenFileError to raise, given
    the readers as text: those that read one value, then "differently from", then the others.
    """
    values = {}
    for reader, read in readings.items():
        if read is not None:
            values.setdefault(_comparable(read.get(key)), []).append(reader)
    if len(values) > 1:
        groups = [" and ".join(readers) for readers in values.values()]
        raise disagreement("%s read it differently from %s" % (groups[0], " and ".join(groups[1:])))
    return read_value(readings, key)


def read_value(readings, key):
    """What the first reader that can read the file reads at ``key``."""
    for read in readings.values():
        if read is not None:
            return read.get(key)
    return None


def _comparable(value):
    """A value with its type, so that 1, True and '1' differ."""
    return (type(value).__name__, repr(value))


def check_written(before, after, key, value, file_kind, new_place=lambda name: False):
    """TokenFileError unless every reader that could read the file before reads ``value`` at ``key`` after, and the rest as before.

    A name no reader read before may read something after only where ``new_place(name)`` allows it (an ini section
    added by the write inherits the [DEFAULT] values).
    """
    for reader, read in before.items():
        if read is None:
            continue
        now = after.get(reader)
        if now is None:
            problem = "%s could read the %s file before the write and could not after it" % (reader, file_kind)
        elif now.get(key) != value:
            problem = "%s would not read the new value at the key" % reader
        elif _others(now, key, read) != _others(read, key, read) or not all(new_place(name) for name in now if name not in read and name != key):
            problem = "%s would read other keys differently after the write" % reader
        else:
            continue
        raise TokenFileError("The value cannot be written into this %s file so that its readers read it and nothing else (%s)"
                             % (file_kind, problem), "Write the value into the file by hand once, or use another format (option format)")


def _others(read, key, before):
    """What a reader reads at every key but ``key`` that it read ``before``."""
    return {name: _comparable(value) for name, value in read.items() if name != key and name in before}


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
    readings = getattr(file_format, "readings", None)
    if readings is not None:
        check_written(readings(text), readings(updated), file_format.reading_key, value, file_format.KIND,
                      getattr(file_format, "new_place", lambda name: False))
    return updated

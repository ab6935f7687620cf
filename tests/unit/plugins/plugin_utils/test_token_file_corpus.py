# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A corpus of odd but valid (and a few ambiguous) config files, each from a reader's own tests or docs (named in the case),
run through the token file formats and checked with the readers applications use: python-dotenv and ``sh`` (env),
configparser (ini), json (json), PyYAML and ruamel.yaml (yaml).

For each file and for an existing and a missing key: what the format reads is what every reader reads; after a
write, every reader that could read the file before reads the new value at the key and exactly what it read
before everywhere else; line ends and the byte-order mark are kept; a second write changes nothing. A file the
readers read differently is refused, with a message saying what and how to fix it, and no value in it.
The env, ini and json parts run the same from a copy of their files with only Python's standard library, 3.8 too.
"""

from __future__ import annotations

import configparser
import glob
import json
import os
import pathlib
import random
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from dotenv import dotenv_values
from ruamel.yaml import YAML

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_mapping import flattened
from ansible_collections.obscura.zendesk.plugins.plugin_utils import token_file
from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file import FORMAT_CLASSES, TokenFileError, new_content

NEW = "new0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
OLD = "old0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
BOM = "\ufeff"
MISSING_KEYS = {"env": "ZENDESK_NEW_TOKEN", "ini": "zendesk_new.oauth_token", "json": "zendesk_new.oauth_token",
                "yaml": "zendesk_new.oauth_token"}
SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
INI_READERS = {
    "configparser": {},
    "configparser allow_no_value": {"allow_no_value": True},
    "configparser inline comments": {"allow_no_value": True, "strict": False, "inline_comment_prefixes": (";", "#")},
}
SH_READ = r"""
. ./file
for name in "$@"; do
  eval "if [ \"\${$name+set}\" = set ]; then printf '%s=%s\0' \"\$name\" \"\$$name\"; fi"
done
printf 'END\0'
"""


class Case:
    """A corpus file: its format, key, text, where it comes from, and the refusal expected (a phrase), if any."""

    def __init__(self, file_format, source, text, key=None, refused=None, missing_refused=None, read_refused=True):
        self.format = file_format
        self.read_refused = bool(refused) and read_refused
        self.source = source
        self.text = text
        self.key = key
        self.refused = refused
        self.missing_refused = missing_refused if missing_refused is not None else refused

    def __repr__(self):
        return "%s: %s" % (self.format, self.source)


ENV_CASES = [
    Case("env", "python-dotenv docs (README): KEY=value lines", "DOMAIN=example.org\nADMIN_EMAIL=admin@example.org\nTOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: export prefix", "export a=b\nexport TOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: single quotes", "a='b c'\nTOKEN='%s'\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: double quotes with escapes", 'a="b\\nc"\nTOKEN="%s"\n' % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: an escaped single quote (what `dotenv set` writes)",
         "a='don\\'t'\nTOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: inline comment after a value", "a=b # comment\nTOKEN=%s # the token\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: empty value with an inline comment (KEY= # comment)",
         "a=b\nTOKEN=  # set by the role\n", "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: '#' inside an unquoted value", "a=b#c\nTOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: multi-line double-quoted value holding KEY=",
         'a="line one\nTOKEN=inside\n"\nb=c\n', "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: multi-line double-quoted value of the key", 'TOKEN="first\nsecond"\nb=c\n', "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: multi-line single-quoted value", "a='x\ny'\nTOKEN='%s'\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: old Mac line ends (\\r)", "a=b\rTOKEN=%s\rc=d\r" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: Windows line ends (\\r\\n)", "a=b\r\nTOKEN=%s\r\nc=d\r\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: a dotted key", "app.token=%s\nb=c\n" % OLD, "app.token"),
    Case("env", "python-dotenv tests/test_parser.py: a key without '=' (export a)", "a=1\nexport a\nTOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: an invalid line is skipped", "a=b\n%%%%invalid line\nTOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_main.py: byte-order mark before another key", BOM + "a=b\nTOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_main.py: byte-order mark before the key", BOM + "TOKEN=%s\na=b\n" % OLD, "TOKEN",
         refused="python-dotenv read it differently from a POSIX shell", missing_refused=False),
    Case("env", "python-dotenv tests/test_parser.py: a quoted key", "'TOKEN'=%s\n" % OLD, "TOKEN",
         refused="python-dotenv read it differently from a POSIX shell", missing_refused=False),
    Case("env", "python-dotenv tests/test_parser.py: spaces around '='", "a = b\nTOKEN = %s\n" % OLD, "TOKEN",
         refused="python-dotenv read it differently from a POSIX shell", missing_refused=False),
    Case("env", "POSIX sh 2.9.1: export after an assignment (python-dotenv: no value)", "TOKEN=%s\nexport TOKEN\n" % OLD, "TOKEN",
         refused="python-dotenv read it differently from a POSIX shell", missing_refused=False),
    Case("env", "POSIX sh 2.2.2: a backslash in single quotes ends nothing", "TOKEN='a\\\\b'\n", "TOKEN",
         refused="python-dotenv read it differently from a POSIX shell", missing_refused=False),
    Case("env", "python-dotenv tests/test_parser.py: unterminated double quote", 'TOKEN="%s\nb=c\n' % OLD, "TOKEN",
         refused="has no closing double quote", missing_refused=False),
    Case("env", "python-dotenv tests/test_variables.py: interpolation in the key's value", "HOST=x\nTOKEN=${HOST}\n", "TOKEN",
         refused="refers to other variables", missing_refused=False),
    Case("env", "POSIX sh 2.3: comments and blank lines only", "# settings\n\n# none yet\n", "TOKEN"),
    Case("env", "empty file", "", "TOKEN"),
    Case("env", "last line without a line end", "a=b\nTOKEN=%s" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: the key twice (the last counts)", "TOKEN=first\na=b\nTOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: an escaped double quote", 'a="b\\"c"\nTOKEN="%s"\n' % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: empty quotes", "a=''\nTOKEN=\"\"\n", "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: a tab before the inline comment", "TOKEN=%s\t# c\na=b\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: indented and export with several spaces", "  a=b\nexport   TOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "POSIX sh 2.6.2: another key that expands a variable", "a=$HOME/x\nb=\"${a}y\"\nTOKEN=%s\n" % OLD, "TOKEN"),
    Case("env", "python-dotenv tests/test_parser.py: \\n in double quotes is a line break for python-dotenv only", 'TOKEN="a\\nb"\n', "TOKEN",
         refused="python-dotenv read it differently from a POSIX shell", missing_refused=False),
    Case("env", "POSIX sh 2.9.1: an unquoted space ends the assignment", "TOKEN=a b\n", "TOKEN",
         refused="python-dotenv read it differently from a POSIX shell", missing_refused=False),
    Case("env", "POSIX sh 2.6.2: $ in the key's value expands in a shell", "TOKEN=$HOME\n", "TOKEN",
         refused="python-dotenv read it differently from a POSIX shell", missing_refused=False),
    Case("env", "POSIX sh 2.9.1: two assignments on one line", "a=1 TOKEN=%s\n" % OLD, "TOKEN",
         refused="python-dotenv read it differently from a POSIX shell", missing_refused=False),
]

INI_DOCS = """[Simple Values]
key=value
spaces in keys=allowed
spaces in values=allowed as well
spaces around the delimiter = obviously
you can also use : to delimit keys from values

[All Values Are Strings]
values like this: 1000000
or this: 3.14159265359
are they treated as numbers? : no

[Multiline Values]
chorus: I'm a lumberjack, and I'm okay
    I sleep all night and I work all day

[You can use comments]
# like this
; or this

    [Sections Can Be Indented]
        can_values_be_as_well = True
        multiline_values = are
            handled just fine as
            long as they are indented
        # Did I mention we can indent comments, too?
[zendesk]
oauth_token = %s
"""

INI_CASES = [
    Case("ini", "configparser docs: Supported INI File Structure", INI_DOCS % OLD, "zendesk.oauth_token"),
    Case("ini", "configparser docs: Quick Start ([DEFAULT] values inherited)",
         "[DEFAULT]\nServerAliveInterval = 45\noauth_token = %s\n\n[forge.example]\nUser = hg\n\n[zendesk]\nPort = 50022\n" % OLD,
         "zendesk.oauth_token"),
    Case("ini", "configparser docs: option names are case-insensitive", "[zendesk]\nOAuth_Token = %s\nuser = me\n" % OLD, "zendesk.oauth_token"),
    Case("ini", "configparser docs: continuation lines of a value", "[zendesk]\nscopes = read\n  write\noauth_token = %s\n  second half\nz = 1\n"
         % OLD, "zendesk.oauth_token"),
    Case("ini", "configparser docs: a continuation line that looks like a list", '[zendesk]\nscopes =\n    ["read", "write"]\n'
         'oauth_token = %s\n' % OLD, "zendesk.oauth_token"),
    Case("ini", "configparser docs: ':' as the delimiter", "[zendesk]\noauth_token: %s\n" % OLD, "zendesk.oauth_token"),
    Case("ini", "configparser docs: empty lines in values", "[zendesk]\nnote = a\n\n  b\noauth_token = %s\n" % OLD, "zendesk.oauth_token"),
    Case("ini", "configparser docs: a comment after the header's brackets", "[zendesk] ; credentials\noauth_token = %s\n" % OLD,
         "zendesk.oauth_token"),
    Case("ini", "configparser docs: an inline comment is part of the value by default", "[zendesk]\noauth_token = %s ; the token\n" % OLD,
         "zendesk.oauth_token", missing_refused=False,
         refused="disagree on oauth_token in [zendesk]: configparser and configparser with allow_no_value read it differently from ini "
                 "readers of inline comments"),
    Case("ini", "configparser docs: section names are exact ([ zendesk ])", "[ zendesk ]\noauth_token = %s\n" % OLD, "zendesk.oauth_token",
         refused="white space inside its brackets", missing_refused=False),
    Case("ini", "configparser docs: strict, an option twice", "[zendesk]\noauth_token = a\nOAUTH_TOKEN = %s\n" % OLD, "zendesk.oauth_token",
         refused="occurs 2 times in [zendesk]", missing_refused=False),
    Case("ini", "configparser docs: strict, a section twice", "[zendesk]\nuser = me\n[zendesk]\noauth_token = %s\n" % OLD,
         "zendesk.oauth_token", refused="[zendesk] occurs 2 times", missing_refused=False),
    Case("ini", "configparser docs: quotes are part of the value", '[zendesk]\noauth_token = "%s"\n' % OLD, "zendesk.oauth_token",
         refused="is in quotes", missing_refused=False),
    Case("ini", "MySQL my.cnf (configparser docs: allow_no_value)", "[mysqld]\nuser = mysql\nskip-name-resolve\nskip-bdb\n\n[zendesk]\n"
         "oauth_token = %s\n" % OLD, "zendesk.oauth_token"),
    Case("ini", "Visual Studio: a byte-order mark, Windows line ends", BOM + "[zendesk]\r\nuser = me\r\noauth_token = %s\r\n" % OLD,
         "zendesk.oauth_token"),
    Case("ini", "old Mac line ends (\\r)", "[zendesk]\ruser = me\roauth_token = %s\r" % OLD, "zendesk.oauth_token"),
    Case("ini", "community.general ini_file tests: a section without the key", "[drinks]\nfav = lemonade\n\n[zendesk]\nuser = me\n\n"
         "[beverage]\nx = 1\n", "zendesk.oauth_token"),
    Case("ini", "community.general ini_file tests: a file without sections", "", "zendesk.oauth_token"),
    Case("ini", "community.general ini_file tests: the last line without a line end", "[zendesk]\noauth_token = %s" % OLD,
         "zendesk.oauth_token"),
    Case("ini", "community.general ini_file tests: an empty value", "[zendesk]\noauth_token =\n", "zendesk.oauth_token"),
    Case("ini", "configparser docs: a key before any section", "oauth_token = %s\n" % OLD, "zendesk.oauth_token",
         refused="Line 1 is neither"),
    Case("ini", "configparser docs: indented keys of a section", "[zendesk]\n  user = me\n  oauth_token = %s\n  url = https://x\n" % OLD,
         "zendesk.oauth_token"),
    Case("ini", "configparser docs: the first delimiter splits (a = in a value)", "[zendesk]\noauth_token: %s\nquery = a=b:c\n" % OLD,
         "zendesk.oauth_token"),
    Case("ini", "configparser docs: a [DEFAULT] value overridden by the section", "[DEFAULT]\noauth_token = d\n[zendesk]\n"
         "oauth_token = %s\n[other]\nx = 1\n" % OLD, "zendesk.oauth_token"),
    Case("ini", "configparser docs: an empty value continued on the next line", "[zendesk]\noauth_token =\n    %s\nx = 1\n" % OLD,
         "zendesk.oauth_token"),
    Case("ini", "configparser docs: interpolation syntax elsewhere", "[paths]\nhome = /home\nlib = %%(home)s/lib\n[zendesk]\n"
         "oauth_token = %s\n" % OLD, "zendesk.oauth_token"),
    Case("ini", "configparser docs: unicode section and key names", "[zendesk]\nbenutzer_\u00e4 = \u00fc\noauth_token = %s\n" % OLD,
         "zendesk.oauth_token"),
    Case("ini", "community.general ini_file tests: a comment at the end of the section", "[zendesk]\nuser = me\n# end of zendesk\n\n[b]\nx=1\n",
         "zendesk.oauth_token"),
    Case("ini", "configparser docs: the key's value holds %", "[zendesk]\noauth_token = 50%\n", "zendesk.oauth_token",
         refused="has a %", missing_refused=False),
]

JSON_CASES = [
    Case("json", "RFC 8259 section 13: the Image object", """{
  "Image": {
      "Width":  800,
      "Height": 600,
      "Title":  "View from 15th Floor",
      "Thumbnail": {
          "Url":    "http://www.example.com/image/481989943",
          "Height": 125,
          "Width":  100
      },
      "Animated" : false,
      "IDs": [116, 943, 234, 38793]
    },
  "zendesk": {"oauth_token": "%s"}
}
""" % OLD, "zendesk.oauth_token"),
    Case("json", "RFC 8259 section 6: a number beyond IEEE 754 (1e400)", '{"big": 1e400, "pi": 3.141592653589793238462643383279,'
         ' "zendesk": {"oauth_token": "%s"}}' % OLD, "zendesk.oauth_token"),
    Case("json", "RFC 8259 section 8.1: a byte-order mark (appsettings.json from Visual Studio)",
         BOM + '{\r\n  "Logging": {\r\n    "LogLevel": {\r\n      "Default": "Information"\r\n    }\r\n  },\r\n  "AllowedHosts": "*"\r\n}\r\n',
         "zendesk.oauth_token"),
    Case("json", "RFC 8259 section 7: escapes in strings", '{"path": "C:\\\\dir\\/x", "e": "\\u00e9", "zendesk": {"oauth_token": "%s"}}\n'
         % OLD, "zendesk.oauth_token"),
    Case("json", "RFC 8259 section 4: names should be unique (the key twice)", '{"zendesk": {"oauth_token": "a", "oauth_token": "%s"}}' % OLD,
         "zendesk.oauth_token", refused="occurs 2 times", missing_refused=False),
    Case("json", "RFC 8259 section 4: a name twice elsewhere", '{"a": 1, "a": 2, "zendesk": {"oauth_token": "%s"}}' % OLD,
         "zendesk.oauth_token"),
    Case("json", "RFC 8259 section 13: a top-level array", '[{"a": 1}]', "zendesk.oauth_token", refused="top level of the JSON file is a list"),
    Case("json", "RFC 8259 section 6: NaN is not JSON", '{"a": NaN}', "zendesk.oauth_token", refused="NaN, Infinity"),
    Case("json", "RFC 8259 section 2: insignificant white space, tabs", '{\n\t"a": [\n\t\t1\n\t],\n\t"zendesk": {}\n}\n', "zendesk.oauth_token"),
    Case("json", "RFC 8259 section 2: one line, no spaces", '{"a":{"b":[1,2]},"zendesk":{"oauth_token":null}}', "zendesk.oauth_token"),
    Case("json", "empty file", "", "zendesk.oauth_token"),
    Case("json", "an empty object", "{}", "zendesk.oauth_token"),
    Case("json", "RFC 8259 section 3: a number at the key (replaced by a string)", '{"zendesk": {"oauth_token": 12}}', "zendesk.oauth_token"),
    Case("json", "RFC 8259 section 2: deeper objects to create", '{\n    "zendesk": {\n        "url": "https://x"\n    }\n}\n',
         "zendesk.api.token"),
    Case("json", "RFC 8259 section 5: the key path through an array", '{"zendesk": [1]}', "zendesk.oauth_token",
         refused="goes through zendesk, which is a list", missing_refused=False),
    Case("json", "white space only", "  \n", "zendesk.oauth_token"),
    Case("json", "RFC 8259 section 7: unicode escapes and raw UTF-8", '{"\u00e9": "\\u00e9", "zendesk": {"oauth_token": "%s"}}' % OLD,
         "zendesk.oauth_token"),
]

YAML_CASES = [
    Case("yaml", "YAML 1.2 spec example 2.2: mapping scalars to scalars, with comments",
         "hr:  65    # Home runs\navg: 0.278 # Batting average\nrbi: 147   # Runs Batted In\nzendesk:\n  oauth_token: %s # the token\n" % OLD,
         "zendesk.oauth_token"),
    Case("yaml", "YAML 1.1 spec: the %YAML 1.1 directive, an octal 0644 and yes", "%%YAML 1.1\n---\nmode: 0644\nenabled: yes\nzendesk:\n"
         "  oauth_token: '%s'\n" % OLD, "zendesk.oauth_token"),
    Case("yaml", "YAML 1.1 spec: octal without the directive (1.1 and 1.2 read it differently, elsewhere)", "mode: 0644\nzendesk:\n"
         "  oauth_token: \"%s\"\n" % OLD, "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 2.10: anchors and aliases elsewhere", "hr:\n  - Mark McGwire\n  - &SS Sammy Sosa\nrbi:\n  - *SS\n"
         "zendesk:\n  oauth_token: %s\n" % OLD, "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 2.10: the key under an alias", "shared: &shared\n  oauth_token: %s\nzendesk: *shared\n" % OLD,
         "zendesk.oauth_token", refused="would change every alias", missing_refused=False, read_refused=False),
    Case("yaml", "YAML merge key (yaml.org/type/merge): the key in the merged mapping", "base: &base\n  oauth_token: %s\n  user: me\n"
         "zendesk:\n  <<: *base\n" % OLD, "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 2.12: flow mappings", "zendesk: {user: me, oauth_token: %s}\nother: [1, 2]\n" % OLD,
         "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 9.2: document markers and a byte-order mark", BOM + "# comment\n---\nzendesk:\n"
         "  oauth_token: %s\n" % OLD, "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec 5.4: Windows line ends", "a: 1\r\nzendesk:\r\n  oauth_token: %s\r\n" % OLD, "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 8.1: a block scalar value", "zendesk:\n  oauth_token: |\n    %s\n  user: me\n" % OLD,
         "zendesk.oauth_token"),
    Case("yaml", "YAML 1.1 and 1.2 read 'on' differently at the key", "zendesk:\n  oauth_token: on\n", "zendesk.oauth_token",
         refused="PyYAML (YAML 1.1) read it differently from ruamel.yaml (YAML 1.2)", missing_refused=False),
    Case("yaml", "YAML 1.2 spec example 2.7: two documents", "a: 1\n---\nb: 2\n", "zendesk.oauth_token", refused="2 YAML documents"),
    Case("yaml", "ruamel.yaml: a key twice in a mapping", "zendesk:\n  oauth_token: a\n  oauth_token: %s\n" % OLD, "zendesk.oauth_token",
         refused="not valid YAML for ruamel.yaml"),
    Case("yaml", "empty file", "", "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 2.12: a flow mapping without the key", "zendesk: {user: me}\nother: 1\n", "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 2.28: a document end marker", "---\nzendesk:\n  oauth_token: %s\n...\n" % OLD, "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 2.23: an explicit !!str tag", "zendesk:\n  oauth_token: !!str %s\n" % OLD, "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 2.17: double-quoted escapes elsewhere", 'unicode: "Sosa did fine.\\u263A"\ncontrol: "\\b1998"\n'
         'zendesk:\n  oauth_token: "%s"\n' % OLD, "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec example 2.3: sequences under the mapping", "american:\n  - Boston Red Sox\n  - Detroit Tigers\nzendesk:\n"
         "  user: me\n", "zendesk.oauth_token"),
    Case("yaml", "YAML 1.2 spec: the key's value empty (null)", "zendesk:\n  oauth_token:\n  user: me\n", "zendesk.oauth_token"),
    Case("yaml", "YAML 1.1 and 1.2 read 0644 differently at the key", "zendesk:\n  oauth_token: 0644\n", "zendesk.oauth_token",
         refused="PyYAML (YAML 1.1) read it differently from ruamel.yaml (YAML 1.2)", missing_refused=False),
]

CORPUS = ENV_CASES + INI_CASES + JSON_CASES + YAML_CASES


def write_file(tmp_path, text):
    """The case's file on disk (bytes as they are: no newline translation)."""
    path = tmp_path / "file"
    path.write_bytes(text.encode("utf-8"))
    return path


def shell_reading(path, names):
    """{name: value} ``sh`` has after ``. ./file``, or None when it cannot run the file."""
    names = sorted(name for name in names if SHELL_NAME.match(name))
    done = subprocess.run([shutil.which("sh"), "-c", SH_READ, "sh"] + names, cwd=str(path.parent), env={"PATH": "/usr/bin:/bin"},
                          capture_output=True, check=False)
    fields = done.stdout.decode("utf-8", "surrogateescape").split("\0")
    if "END" not in fields:
        return None
    return dict(field.split("=", 1) for field in fields[:fields.index("END")])


def env_readings(path, key):
    """{reader: {name: value}}: python-dotenv always, ``sh`` for files without \\r (a shell reads \\r into values)."""
    dotenv = {name: value for name, value in dotenv_values(str(path)).items() if value is not None}
    readings = {"python-dotenv": dotenv}
    text = path.read_bytes().decode("utf-8")
    if "\r" not in text and SHELL_NAME.match(key):
        readings["sh"] = shell_reading(path, set(dotenv) | {key} | set(re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", text)))
    return readings


def ini_readings(path, key):
    """{reader: {(section, option): value}} of configparser with its defaults and two common variants; None: it refuses the file."""
    readings = {}
    for reader, options in INI_READERS.items():
        parser = configparser.ConfigParser(**options)
        try:
            parser.read(str(path), encoding="utf-8-sig")
        except configparser.Error:
            readings[reader] = None
            continue
        read = {("DEFAULT", name): interpolated(parser, "DEFAULT", name) for name in parser.defaults()}
        read.update({(section, name): interpolated(parser, section, name) for section in parser.sections() for name in parser.options(section)})
        readings[reader] = read
    return readings


def interpolated(parser, section, name):
    """What ``parser.get`` returns (interpolated, as applications get values), or the kind of error it raises."""
    try:
        return parser.get(section, name)
    except configparser.InterpolationError as err:
        return type(err).__name__


def _refuse_constant(name):
    raise ValueError(name)


def json_readings(path, key):
    """{reader: {path: value}} of Python's json (RFC 8259: no NaN or Infinity), the byte-order mark skipped."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig").strip() or "{}", parse_constant=_refuse_constant)  # blank: no settings yet
    except ValueError:
        return {"json": None}
    return {"json": flattened(data) if isinstance(data, dict) else None}


def yaml_readings(path, key):
    """{reader: {path: value}} of PyYAML (YAML 1.1) and ruamel.yaml (YAML 1.2)."""
    readings = {}
    for reader, load in (("PyYAML", lambda text: list(yaml.safe_load_all(text))),
                         ("ruamel.yaml", lambda text: list(YAML(typ="safe").load_all(text)))):
        try:
            documents = load(path.read_text(encoding="utf-8"))
        except Exception:  # pylint: disable=broad-exception-caught  # any refusal of the reader
            readings[reader] = None
            continue
        data = documents[0] if len(documents) == 1 else {} if not documents else None
        readings[reader] = flattened(data) if isinstance(data, dict) else None
    return readings


READINGS = {"env": env_readings, "ini": ini_readings, "json": json_readings, "yaml": yaml_readings}


def reading_key(case_format, key):
    """The key as the readers' readings name it."""
    if case_format == "env":
        return key
    if case_format == "ini":
        section, _dot, option = key.partition(".")
        return (section, option.lower())
    return tuple(key.split("."))


def new_reading_allowed(case_format, name, new):
    """Whether a key no reader read before may read something after writing ``name``: only in the new ini section (defaults inherited)."""
    return new == name or (case_format == "ini" and new[0] == name[0])


def line_ends(text):
    """The kinds of line ends in ``text``."""
    return set(re.findall(r"\r\n|\r(?!\n)|(?<!\r)\n", text))


def assert_refused(call, phrase):
    """``call()`` raises TokenFileError with ``phrase``, a fix, and no value."""
    with pytest.raises(TokenFileError) as caught:
        call()
    message = str(caught.value)
    assert phrase in message, message
    assert caught.value.fix
    assert OLD not in message and NEW not in message


def check_write(case, key, refused, tmp_path):
    """Write NEW at ``key``: refused with ``refused``, or read by every reader as it should be."""
    file_format = FORMAT_CLASSES[case.format](key)
    readings = READINGS[case.format]
    if refused:
        assert_refused(lambda: new_content(file_format, case.text, NEW), refused)
        return
    before = readings(write_file(tmp_path, case.text), key)
    name = reading_key(case.format, key)
    agreed = {repr(read.get(name)) for read in before.values() if read is not None}
    assert len(agreed) == 1, "the corpus case is ambiguous for its readers: %s" % sorted(before)
    held = next(read.get(name) for read in before.values() if read is not None)
    assert file_format.held(case.text) == (held if isinstance(held, str) else "")
    written = new_content(file_format, case.text, NEW)
    after = readings(write_file(tmp_path, written), key)
    for reader, read in before.items():
        if read is None:
            continue
        assert after[reader] is not None, "%s cannot read the file after the write" % reader
        assert after[reader].get(name) == NEW, "%s reads %r" % (reader, after[reader].get(name))
        assert {k: v for k, v in after[reader].items() if k in read and k != name} == {k: v for k, v in read.items() if k != name}, reader
        assert all(new_reading_allowed(case.format, name, k) for k in after[reader] if k not in read), reader
    assert written.startswith(BOM) == case.text.startswith(BOM)
    assert line_ends(written) <= (line_ends(case.text) or {"\n"}), "line ends changed"
    assert file_format.held(written) == NEW
    assert new_content(file_format, written, NEW) == written


@pytest.mark.parametrize("case", CORPUS, ids=repr)
def test_existing_key(case, tmp_path):
    check_write(case, case.key, case.refused, tmp_path)


@pytest.mark.parametrize("case", CORPUS, ids=repr)
def test_missing_key(case, tmp_path):
    check_write(case, MISSING_KEYS[case.format], case.missing_refused, tmp_path)


@pytest.mark.parametrize("case", [case for case in CORPUS if case.read_refused], ids=repr)
def test_a_refused_read_says_what_is_ambiguous(case):
    assert_refused(lambda: FORMAT_CLASSES[case.format](case.key).held(case.text), case.refused)


def test_the_corpus_covers_every_format():
    counts = {name: len([case for case in CORPUS if case.format == name]) for name in MISSING_KEYS}
    assert min(counts.values()) >= 10, counts


# Files made at random (fixed seeds) of lines from the cases above: whatever the format does not refuse, every reader agrees with.
FRAGMENTS = {
    "env": ["TOKEN=old", "export TOKEN=old", "TOKEN='o ld'", 'TOKEN="o\\"ld"', "TOKEN=", "TOKEN=  # c", "a=1", "a='x\ny'", 'a="TOKEN=in\n"',
            "# c", "", "TOKEN = old", "'TOKEN'=old", "export TOKEN", "TOKEN=a#b", "TOKEN='a\\'b'", 'TOKEN="a\\\\b"', "a=1 TOKEN=2",
            "TOKEN=old # c", "  TOKEN=old", 'TOKEN="two\nlines"', "b=x\\", "if true; then TOKEN=x; fi", "TOKEN=~/x", "TOKEN=a;b",
            "TOKEN='$a'", "b='unterminated", "TOKEN=${a}"],
    "ini": ["[zendesk]", "[ zendesk ]", "[DEFAULT]", "[a]", "oauth_token = old", "OAuth_Token: old", "  oauth_token = old",
            "oauth_token = a ; c", "oauth_token =", "  continued", "    more", "x = 1", "skip-name-resolve", "# c", "; c", "",
            'oauth_token = "q"', "[zendesk] ; c", "  [zendesk]", "y = %(x)s", "oauth_token=old", "\toauth_token\t=\tv", "= bad"],
}


@pytest.mark.parametrize("case_format", sorted(FRAGMENTS))
@pytest.mark.parametrize("seed", range(3))
def test_random_files_of_corpus_lines(case_format, seed, tmp_path):
    randomly = random.Random(seed)
    for _file in range(60):
        ending = randomly.choice(["\n", "\n", "\r\n", "\r"])
        text = ending.join(randomly.choice(FRAGMENTS[case_format]) for _line in range(randomly.randint(1, 5))) + ending
        try:
            new_content(FORMAT_CLASSES[case_format]("TOKEN" if case_format == "env" else "zendesk.oauth_token"), text, NEW)
        except TokenFileError:
            continue
        check_write(Case(case_format, "random", text), "TOKEN" if case_format == "env" else "zendesk.oauth_token", None, tmp_path)


HOST_FILES = ("_token_file_text.py", "_token_file_mapping.py", "_token_file_env.py", "_token_file_ini.py", "_token_file_json.py")
HOST_RUN = """
import json, sys
sys.path.insert(0, sys.argv[1])
from ansible_collections.obscura.zendesk.plugins.module_utils import _token_file_env, _token_file_ini, _token_file_json, _token_file_text
classes = {"env": _token_file_env.EnvFile, "ini": _token_file_ini.IniFile, "json": _token_file_json.JsonFile}
results = []
for file_format, key, text, value in json.load(sys.stdin):
    try:
        results.append(_token_file_text.new_content(classes[file_format](key), text, value))
    except _token_file_text.TokenFileError as err:
        results.append("refused: %s" % err)
json.dump(results, sys.stdout)
"""


def python38():
    """A Python 3.8 that runs (on PATH, or pyenv's), or None."""
    candidates = [shutil.which("python3.8")] + sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.8*/bin/python3.8")))
    for python in filter(None, candidates):
        if subprocess.run([python, "-c", "import sys; assert sys.version_info[:2] == (3, 8)"], capture_output=True, check=False).returncode == 0:
            return python
    return None


def written_or_refused(file_format, key, text):
    """What new_content makes of the case here: the new text, or 'refused: ' and the message."""
    try:
        return new_content(FORMAT_CLASSES[file_format](key), text, NEW)
    except TokenFileError as err:
        return "refused: %s" % err


@pytest.mark.parametrize("python", [sys.executable, "3.8"])
def test_host_formats_write_the_corpus_alike_with_the_standard_library_only(python, tmp_path):
    """env, ini and json from a copy of their files, run by a Python without site-packages (3.8 too): the same result for each case."""
    python = python38() if python == "3.8" else python
    if python is None:
        pytest.skip("no Python 3.8 on this machine")
    module_utils = pathlib.Path(token_file.__file__).parents[1] / "module_utils"
    target = tmp_path / "ansible_collections" / "obscura" / "zendesk" / "plugins" / "module_utils"
    target.mkdir(parents=True)
    for name in HOST_FILES:
        shutil.copy(str(module_utils / name), str(target / name))
    cases = [(case.format, key, case.text, NEW) for case in CORPUS if case.format != "yaml" for key in (case.key, MISSING_KEYS[case.format])]
    done = subprocess.run([python, "-I", "-S", "-c", HOST_RUN, str(tmp_path)], input=json.dumps(cases), capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [written_or_refused(file_format, key, text) for file_format, key, text, _value in cases]

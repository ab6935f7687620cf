# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the token file formats: read and write with one parser, other content kept, each bad input."""

from __future__ import annotations

import ast
import json
import pathlib
import subprocess
import sys
from unittest import mock

import pytest
import yaml

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_env import EnvFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_ini import IniFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_json import JsonFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_text import split_lines
from ansible_collections.obscura.zendesk.plugins.plugin_utils import token_file_yaml
from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file import TokenFileError, mask, new_content
from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file_yaml import YamlFile, yaml_indentation
from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file_template import TemplateFile

OLD = "old0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
NEW = "new0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"


def round_trip(file_format, text, expected):
    """Writing NEW gives ``expected``, which reads back as NEW, and writing NEW again changes nothing."""
    written = new_content(file_format, text, NEW)
    assert written == expected
    assert file_format.held(written) == NEW
    assert new_content(file_format, written, NEW) == written
    return written


def assert_error(call, *phrases):
    """``call()`` raises TokenFileError whose message has every phrase and no value."""
    with pytest.raises(TokenFileError) as caught:
        call()
    message = str(caught.value)
    for phrase in phrases:
        assert phrase in message
    assert OLD not in message and NEW not in message and OLD[-24:] not in message
    return message


# --- lines -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "a", "a\n", "a\r\nb\r\n", "a\n\n\nb", "\n", "a\rb\n", "x\x0by\u2028z\n"])
def test_split_lines_keeps_every_byte(text):
    assert "".join(body + ending for body, ending in split_lines(text)) == text


# --- env ---------------------------------------------------------------------------------------

ENV = "# app settings\nAPP_NAME=my app\n\nexport ZENDESK_OAUTH_TOKEN=%s   # the token\nOTHER='x'\n"


@pytest.mark.parametrize("text,expected", [
    (ENV % OLD, ENV % NEW),
    ("ZENDESK_OAUTH_TOKEN=%s" % OLD, "ZENDESK_OAUTH_TOKEN=%s" % NEW),
    ("ZENDESK_OAUTH_TOKEN: %s\n" % OLD, "ZENDESK_OAUTH_TOKEN: %s\nZENDESK_OAUTH_TOKEN=%s\n" % (OLD, NEW)),
    ("  ZENDESK_OAUTH_TOKEN=%s\n" % OLD, "  ZENDESK_OAUTH_TOKEN=%s\n" % NEW),
    ("A = 1\r\nZENDESK_OAUTH_TOKEN = %s\r\n" % OLD, "A = 1\r\nZENDESK_OAUTH_TOKEN = %s\r\n" % NEW),
    ("A=1\rZENDESK_OAUTH_TOKEN=%s\rB=2\r" % OLD, "A=1\rZENDESK_OAUTH_TOKEN=%s\rB=2\r" % NEW),
    ("A='don\\'t'\nZENDESK_OAUTH_TOKEN='%s'\n" % OLD, "A='don\\'t'\nZENDESK_OAUTH_TOKEN='%s'\n" % NEW),
    ("ZENDESK_OAUTH_TOKEN=  # set by the role\n", "ZENDESK_OAUTH_TOKEN=%s  # set by the role\n" % NEW),
    ('A="x\nZENDESK_OAUTH_TOKEN=inside\n"\n', 'A="x\nZENDESK_OAUTH_TOKEN=inside\n"\nZENDESK_OAUTH_TOKEN=%s\n' % NEW),
    ('ZENDESK_OAUTH_TOKEN="two\nlines"\nB=2\n', 'ZENDESK_OAUTH_TOKEN="%s"\nB=2\n' % NEW),
    ("\ufeffA=1\n", "\ufeffA=1\nZENDESK_OAUTH_TOKEN=%s\n" % NEW),
    ('ZENDESK_OAUTH_TOKEN="%s" # quoted\n' % OLD, 'ZENDESK_OAUTH_TOKEN="%s" # quoted\n' % NEW),
    ("ZENDESK_OAUTH_TOKEN='%s'\n" % OLD, "ZENDESK_OAUTH_TOKEN='%s'\n" % NEW),
    ("A=1\r\nZENDESK_OAUTH_TOKEN=%s\r\nB=2\r\n" % OLD, "A=1\r\nZENDESK_OAUTH_TOKEN=%s\r\nB=2\r\n" % NEW),
    ("ZENDESK_OAUTH_TOKEN=\n", "ZENDESK_OAUTH_TOKEN=%s\n" % NEW),
    ('ZENDESK_OAUTH_TOKEN=""\n', 'ZENDESK_OAUTH_TOKEN="%s"\n' % NEW),
    ("", "ZENDESK_OAUTH_TOKEN=%s\n" % NEW),
    ("A=1", "A=1\nZENDESK_OAUTH_TOKEN=%s\n" % NEW),
    ("A=1\n# ZENDESK_OAUTH_TOKEN=commented\n", "A=1\n# ZENDESK_OAUTH_TOKEN=commented\nZENDESK_OAUTH_TOKEN=%s\n" % NEW),
    ("export A=1\r\nexport B=2\r\n", "export A=1\r\nexport B=2\r\nexport ZENDESK_OAUTH_TOKEN=%s\r\n" % NEW),
    ("export A=1\nB=2\n", "export A=1\nB=2\nZENDESK_OAUTH_TOKEN=%s\n" % NEW),
    ("ZENDESK_OAUTH_TOKEN_OLD=x\nMY_ZENDESK_OAUTH_TOKEN=y\n",
     "ZENDESK_OAUTH_TOKEN_OLD=x\nMY_ZENDESK_OAUTH_TOKEN=y\nZENDESK_OAUTH_TOKEN=%s\n" % NEW),
    ("ZENDESK_OAUTH_TOKEN=a\nZENDESK_OAUTH_TOKEN=%s\n" % OLD, "ZENDESK_OAUTH_TOKEN=%s\nZENDESK_OAUTH_TOKEN=%s\n" % (NEW, NEW)),
])
def test_env_round_trip(text, expected):
    round_trip(EnvFile("ZENDESK_OAUTH_TOKEN"), text, expected)


@pytest.mark.parametrize("text,held", [
    (ENV % OLD, OLD),
    ('ZENDESK_OAUTH_TOKEN="a\\"b" # c\n', 'a"b'),
    ("ZENDESK_OAUTH_TOKEN=abc#notacomment # comment\n", "abc#notacomment"),
    ("ZENDESK_OAUTH_TOKEN='a # b'\n", "a # b"),
    ("ZENDESK_OAUTH_TOKEN=first\nZENDESK_OAUTH_TOKEN=last\n", "last"),
    ("ZENDESK_OAUTH_TOKEN=\n", ""),
    ("# ZENDESK_OAUTH_TOKEN=commented\n", ""),
    ("export ZENDESK_OAUTH_TOKEN\n", ""),
    ("A='don\\'t'\nZENDESK_OAUTH_TOKEN=x\n", "x"),
    ('ZENDESK_OAUTH_TOKEN="a\nb"\n', "a\nb"),
    ("ZENDESK_OAUTH_TOKEN: x\n", ""),
    ('A="ZENDESK_OAUTH_TOKEN=inside\n"\n', ""),
    ("", ""),
])
def test_env_held(text, held):
    assert EnvFile("ZENDESK_OAUTH_TOKEN").held(text) == held


@pytest.mark.parametrize("value,written", [
    ("has space", 'K="has space"\n'),
    ('q"uo\\te', 'K="q\\"uo\\\\te"\n'),
    ("a#b", 'K="a#b"\n'),
    ("a$b", "K='a$b'\n"),
])
def test_env_quotes_values_that_need_it(value, written):
    env = EnvFile("K")
    assert new_content(env, "", value) == written
    assert env.held(written) == value


@pytest.mark.parametrize("value", ["q\"u'o$te", "a'`b", "a'${b}"])
def test_env_value_no_quoting_keeps_for_both_readers_is_refused(value):
    assert_error(lambda: new_content(EnvFile("K"), "", value), "python-dotenv and a shell both read it")


@pytest.mark.parametrize("text", [
    "A=1\nZENDESK_OAUTH_TOKEN = %s\n" % OLD,
    "'ZENDESK_OAUTH_TOKEN'=%s\n" % OLD,
    "\ufeffZENDESK_OAUTH_TOKEN=%s\n" % OLD,
    "ZENDESK_OAUTH_TOKEN=%s\nexport ZENDESK_OAUTH_TOKEN\n" % OLD,
    "ZENDESK_OAUTH_TOKEN='a\\\\b'\n",
    "A=1 ZENDESK_OAUTH_TOKEN=%s\n" % OLD,
    "ZENDESK_OAUTH_TOKEN=~/x\nexport ZENDESK_OAUTH_TOKEN\n",
    "if true; then ZENDESK_OAUTH_TOKEN=%s; fi\n" % OLD,
])
def test_env_key_the_readers_read_differently_is_refused(text):
    env = EnvFile("ZENDESK_OAUTH_TOKEN")
    message = assert_error(lambda: env.held(text), "The readers of env files disagree on ZENDESK_OAUTH_TOKEN", "Write it as ZENDESK_OAUTH_TOKEN=value")
    assert message == assert_error(lambda: new_content(env, text, NEW), "differently")


def test_env_value_with_interpolation_is_refused():
    assert_error(lambda: EnvFile("K").held("H=x\nK=${H}\n"), "refers to other variables", "line 2")


def test_env_dotted_key_is_python_dotenv_s_alone():
    env = EnvFile("app.token")
    assert env.held("app.token=%s\n" % OLD) == OLD
    round_trip(env, "A=1\napp.token=%s\n" % OLD, "A=1\napp.token=%s\n" % NEW)


def test_env_single_quoted_value_with_a_quote_becomes_double_quoted():
    env = EnvFile("K")
    assert new_content(env, "K='x'\n", "it's") == 'K="it\'s"\n'


def test_env_all_held_lists_every_assignment_as_read_and_as_written():
    assert EnvFile("K").all_held("K=a\nK=b\n") == ["a", "a", "b", "b"]
    assert EnvFile("K").all_held('K="a\\"b"\n') == ['a"b', 'a\\"b']


def test_ini_all_held_lists_the_lines_of_a_value():
    assert IniFile("s.k").all_held("[s]\nk = a\n  b\n") == ["a\nb", "a", "b"]


@pytest.mark.parametrize("key", ["", "A B", "A=B", "#A", "'A'"])
def test_env_bad_key(key):
    assert_error(lambda: EnvFile(key), "not a variable name", "option key")


@pytest.mark.parametrize("text,phrase", [
    ('ZENDESK_OAUTH_TOKEN="%s\n' % OLD, "no closing double quote"),
    ("ZENDESK_OAUTH_TOKEN='%s\n" % OLD, "no closing single quote"),
    ('ZENDESK_OAUTH_TOKEN="%s" trailing\n' % OLD, "is followed by text that is not a comment"),
])
def test_env_unterminated_quote(text, phrase):
    env = EnvFile("ZENDESK_OAUTH_TOKEN")
    assert_error(lambda: env.held(text), phrase, "line 1")
    assert_error(lambda: new_content(env, text, NEW), phrase)


@pytest.mark.parametrize("file_format", [EnvFile("K"), IniFile("a.b"), JsonFile("a"), YamlFile("a"), TemplateFile(lambda value: value)])
@pytest.mark.parametrize("value", ["a\nb", "a\r\nb", "a\r"])
def test_a_value_with_a_line_break_is_refused(file_format, value):
    assert_error(lambda: new_content(file_format, "", value), "line break")


# --- ini ---------------------------------------------------------------------------------------

INI = "; app\n[app]\nname = my app\n\n[zendesk] ; credentials\nuser=me\n; the token\noauth_token = %s\n\n[other]\nx: 1\n"


@pytest.mark.parametrize("text,expected", [
    (INI % OLD, INI % NEW),
    ("[zendesk]   # comment\noauth_token=%s\n" % OLD, "[zendesk]   # comment\noauth_token=%s\n" % NEW),
    ("[zendesk]\n  oauth_token : %s\n" % OLD, "[zendesk]\n  oauth_token : %s\n" % NEW),
    ("[zendesk]\nOAuth_Token = %s\n" % OLD, "[zendesk]\nOAuth_Token = %s\n" % NEW),
    ("[zendesk]\noauth_token = %s\n  continued\n\n  and more\nx = 1\n" % OLD, "[zendesk]\noauth_token = %s\n\nx = 1\n" % NEW),
    ('[zendesk]\nscopes =\n    ["read", "write"]\n', '[zendesk]\nscopes =\n    ["read", "write"]\noauth_token =%s\n' % NEW),
    ("\ufeff[zendesk]\r\noauth_token = %s\r\n" % OLD, "\ufeff[zendesk]\r\noauth_token = %s\r\n" % NEW),
    ("[zendesk]\roauth_token = %s\r" % OLD, "[zendesk]\roauth_token = %s\r" % NEW),
    ("[mysqld]\nskip-name-resolve\n[zendesk]\nuser = me\n", "[mysqld]\nskip-name-resolve\n[zendesk]\nuser = me\noauth_token = %s\n" % NEW),
    ("[zendesk]\noauth_token\n", "[zendesk]\noauth_token = %s\n" % NEW),
    ("[DEFAULT]\noauth_token = %s\n[zendesk]\nuser = me\n" % OLD, "[DEFAULT]\noauth_token = %s\n[zendesk]\nuser = me\noauth_token = %s\n"
     % (OLD, NEW)),
    ("[zendesk]\r\noauth_token = %s\r\n" % OLD, "[zendesk]\r\noauth_token = %s\r\n" % NEW),
    ("[zendesk] ; creds\nuser=me\n\n\n[next]\na=1\n", "[zendesk] ; creds\nuser=me\noauth_token=%s\n\n\n[next]\na=1\n" % NEW),
    ("[zendesk]\n\n[next]\n", "[zendesk]\noauth_token = %s\n\n[next]\n" % NEW),
    ("[zendesk]", "[zendesk]\noauth_token = %s\n" % NEW),
    ("[a]\nx=1\n", "[a]\nx=1\n\n[zendesk]\noauth_token = %s\n" % NEW),
    ("[a]\nx=1\n\n", "[a]\nx=1\n\n[zendesk]\noauth_token = %s\n" % NEW),
    ("[a]\r\nx=1", "[a]\r\nx=1\r\n\r\n[zendesk]\r\noauth_token = %s\r\n" % NEW),
    ("", "[zendesk]\noauth_token = %s\n" % NEW),
    ("[zendesk]\noauth_token =\n", "[zendesk]\noauth_token =%s\n" % NEW),
    ("[other]\noauth_token = x\n", "[other]\noauth_token = x\n\n[zendesk]\noauth_token = %s\n" % NEW),
    ("[zendesk]\n; oauth_token = commented\n", "[zendesk]\n; oauth_token = commented\noauth_token = %s\n" % NEW),
])
def test_ini_round_trip(text, expected):
    round_trip(IniFile("zendesk.oauth_token"), text, expected)


@pytest.mark.parametrize("text,held", [
    (INI % OLD, OLD),
    ("[zendesk] ; credentials\noauth_token = %s\n" % OLD, OLD),
    ("[zendesk]\n# oauth_token = x\n", ""),
    ("[other]\noauth_token = x\n", ""),
    ("[zendesk]\noauth_token = value;not comment\n", "value;not comment"),
    ("[zendesk]\nOAUTH_TOKEN = x\n", "x"),
    ("[zendesk]\noauth_token = a\n  b\n", "a\nb"),
    ("[DEFAULT]\noauth_token = inherited\n[zendesk]\n", "inherited"),
    ("[DEFAULT]\noauth_token = inherited\n", ""),
    ('[zendesk]\nx = 1\n  [not]\n  y = 2\n', ""),
])
def test_ini_held(text, held):
    assert IniFile("zendesk.oauth_token").held(text) == held


def test_ini_key_split_at_first_dot():
    ini = IniFile("PHP.session.name")
    assert ini.held("[PHP]\nsession.name = abc\n") == "abc"


@pytest.mark.parametrize("key", ["oauth_token", ".oauth_token", "zendesk."])
def test_ini_bad_key(key):
    assert_error(lambda: IniFile(key), "is not section.key", "option key")


@pytest.mark.parametrize("text,phrase", [
    ("[zendesk\noauth_token = x\n", "Line 1 is neither"),
    ("oauth_token = x\n", "Line 1 is neither"),
    ("[zendesk]\n= x\n", "Line 2 is neither"),
    ("[zendesk]\noauth_token = a ; comment\n", "a comment after the value on its line is part of the value"),
    ("[zendesk]\noauth_token = a # comment\n", "a comment after the value on its line is part of the value"),
    ("[ zendesk ]\noauth_token = a\n", "white space inside its brackets"),
    ('[zendesk]\noauth_token = "%s"\n' % OLD, "is in quotes"),
    ("[zendesk]\noauth_token = a\n[zendesk]\nuser = b\n", "[zendesk] occurs 2 times (lines 1, 3)"),
    ("[zendesk]\noauth_token = a\nOAuth_Token = b\n", "occurs 2 times in [zendesk] (lines 2, 3"),
    ("[zendesk]\noauth_token = 100%\n", "has a %"),
])
def test_ini_not_valid(text, phrase):
    ini = IniFile("zendesk.oauth_token")
    assert_error(lambda: ini.held(text), phrase)
    assert_error(lambda: new_content(ini, text, NEW), phrase)


@pytest.mark.parametrize("value", ["x ; y", "x # y", "50%"])
def test_ini_value_that_readers_read_otherwise_is_refused(value):
    assert_error(lambda: new_content(IniFile("a.b"), "", value), "cannot be written")


def test_ini_write_that_changes_inherited_keys_is_refused():
    text = "[DEFAULT]\noauth_token = %s\n[app]\nx = 1\n" % OLD
    assert_error(lambda: new_content(IniFile("DEFAULT.oauth_token"), text, NEW), "would read other keys differently")


# --- json --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ('{\n    "b": 1,\n    "zendesk": {\n        "oauth_token": "%s",\n        "z": [1, 2]\n    },\n    "a": "\u00e9"\n}\n' % OLD,
     '{\n    "b": 1,\n    "zendesk": {\n        "oauth_token": "%s",\n        "z": [1, 2]\n    },\n    "a": "\u00e9"\n}\n' % NEW),
    ('{"big": 1e400, "zendesk": {"oauth_token": "%s"}}' % OLD, '{"big": 1e400, "zendesk": {"oauth_token": "%s"}}' % NEW),
    ('\ufeff{\r\n  "a": [1, 2]\r\n}\r\n', '\ufeff{\r\n  "a": [1, 2],\r\n  "zendesk": {\r\n    "oauth_token": "%s"\r\n  }\r\n}\r\n' % NEW),
    ('{\n  "zendesk": {}\n}\n', '{\n  "zendesk": {\n    "oauth_token": "%s"\n  }\n}\n' % NEW),
    ('{"a": {"b": 1}, "zendesk": {"x": 1, "y": 2}}', '{"a": {"b": 1}, "zendesk": {"x": 1, "y": 2, "oauth_token": "%s"}}' % NEW),
    ('{\n\t"a": 1\n}', '{\n\t"a": 1,\n\t"zendesk": {\n\t\t"oauth_token": "%s"\n\t}\n}' % NEW),
    ('{\r\n  "a": "\\u00e9"\r\n}\r\n', '{\r\n  "a": "\\u00e9",\r\n  "zendesk": {\r\n    "oauth_token": "%s"\r\n  }\r\n}\r\n' % NEW),
    ('{"a":1}', '{"a":1,"zendesk":{"oauth_token":"%s"}}' % NEW),
    ('{"a": 1}\n', '{"a": 1, "zendesk": {"oauth_token": "%s"}}\n' % NEW),
    ("", '{\n  "zendesk": {\n    "oauth_token": "%s"\n  }\n}\n' % NEW),
    ("{}\n", '{\n  "zendesk": {\n    "oauth_token": "%s"\n  }\n}\n' % NEW),
    ('{"zendesk": {"oauth_token": null}}', '{"zendesk": {"oauth_token": "%s"}}' % NEW),
])
def test_json_round_trip(text, expected):
    written = round_trip(JsonFile("zendesk.oauth_token"), text, expected)
    loaded = json.loads(written.lstrip("\ufeff"))
    assert list(loaded) == list(json.loads(text.lstrip("\ufeff") or "{}")) + (["zendesk"] if "zendesk" not in (text or "{}") else [])


@pytest.mark.parametrize("text,held", [
    ('{"zendesk": {"oauth_token": "%s"}}' % OLD, OLD),
    ('{"zendesk": {}}', ""),
    ('{"zendesk": {"oauth_token": 12}}', ""),
    ('{"other": 1}', ""),
    ("   \n", ""),
])
def test_json_held(text, held):
    assert JsonFile("zendesk.oauth_token").held(text) == held


def test_json_single_key():
    assert JsonFile("token").held('{"token": "abc"}') == "abc"


@pytest.mark.parametrize("text,phrases", [
    ('{"zendesk": "%s",}' % OLD, ("not valid JSON", "line 1", "column")),
    ('{"zendesk": "%s"' % OLD, ("not valid JSON",)),
    ('["%s"]' % OLD, ("top level of the JSON file is a list, not a mapping",)),
    ('"%s"' % OLD, ("top level of the JSON file is a string",)),
    ('{"zendesk": ["%s"]}' % OLD, ("goes through zendesk, which is a list, not a mapping",)),
    ('{"zendesk": "%s"}' % OLD, ("goes through zendesk, which is a string",)),
    ('{"zendesk": 5}', ("which is a number",)),
    ('{"zendesk": {"oauth_token": {"v": "%s"}}}' % OLD, ("zendesk.oauth_token of the JSON file is a mapping, not a value",)),
    ('{"a": NaN, "zendesk": {"oauth_token": "%s"}}' % OLD, ("NaN, Infinity and -Infinity are not JSON",)),
    ('{"zendesk": {"oauth_token": "a", "oauth_token": "%s"}}' % OLD, ("zendesk.oauth_token occurs 2 times",)),
    ('{"zendesk": {"x": 1}, "zendesk": {"oauth_token": "%s"}}' % OLD, ("zendesk occurs 2 times",)),
])
def test_json_bad_input(text, phrases):
    file_format = JsonFile("zendesk.oauth_token")
    assert_error(lambda: file_format.held(text), *phrases)
    assert_error(lambda: new_content(file_format, text, NEW), *phrases)


@pytest.mark.parametrize("key", ["a..b", ".a", "a."])
def test_dotted_key_with_an_empty_part(key):
    assert_error(lambda: JsonFile(key), "empty part", "option key")


# --- yaml --------------------------------------------------------------------------------------

YAML_TEXT = """# Settings of my app
---
app:
    name: 'my app'   # quoted
    list:
        -   a
        -   b
zendesk:   # credentials
    user: me
    oauth_token: "%s"  # the token
tail: 1
"""


def test_yaml_round_trip_keeps_comments_quotes_order_indentation():
    round_trip(YamlFile("zendesk.oauth_token"), YAML_TEXT % OLD, YAML_TEXT % NEW)


@pytest.mark.parametrize("text,expected", [
    ("a: 1  # one\n", "a: 1  # one\nzendesk:\n  oauth_token: %s\n" % NEW),
    ("", "zendesk:\n  oauth_token: %s\n" % NEW),
    ("# only a comment\n", "# only a comment\nzendesk:\n  oauth_token: %s\n" % NEW),
    ("zendesk:\n  oauth_token:\n", "zendesk:\n  oauth_token: %s\n" % NEW),
    ("zendesk:\n  oauth_token: '%s'\n" % OLD, "zendesk:\n  oauth_token: '%s'\n" % NEW),
    ("a: 1\r\nb: 2\r\n", "a: 1\r\nb: 2\r\nzendesk:\r\n  oauth_token: %s\r\n" % NEW),
    ("a:\n- x\n", "a:\n- x\nzendesk:\n  oauth_token: %s\n" % NEW),
])
def test_yaml_round_trip(text, expected):
    round_trip(YamlFile("zendesk.oauth_token"), text, expected)


def test_yaml_value_that_looks_like_a_number_is_quoted():
    yaml_file = YamlFile("token")
    written = new_content(yaml_file, "", "12345")
    assert yaml.safe_load(written) == {"token": "12345"}
    assert yaml_file.held(written) == "12345"


@pytest.mark.parametrize("text,phrases", [
    ("zendesk: [%s\n" % OLD, ("not valid YAML", "line 2")),
    ("- %s\n" % OLD, ("top level of the YAML file is a list",)),
    ("a: 1\n---\nb: 2\n", ("2 YAML documents",)),
    ("zendesk: %s\n" % OLD, ("goes through zendesk, which is a string",)),
    ("zendesk:\n  oauth_token:\n    - %s\n" % OLD, ("is a list, not a value",)),
])
def test_yaml_bad_input(text, phrases):
    for file_format in (YamlFile("zendesk.oauth_token"), yaml_file_without_ruamel("zendesk.oauth_token")):
        assert_error(lambda: file_format.held(text), *phrases[:1])  # pylint: disable=cell-var-from-loop
        assert_error(lambda: new_content(file_format, text, NEW), *phrases[:1])  # pylint: disable=cell-var-from-loop
    assert_error(lambda: YamlFile("zendesk.oauth_token").held(text), *phrases)


def test_yaml_duplicate_key_with_ruamel():
    text = "zendesk:\n  oauth_token: %s\n  oauth_token: %s\n" % (OLD, OLD)
    assert_error(lambda: YamlFile("zendesk.oauth_token").held(text), "not valid YAML", "line 3")


def yaml_file_without_ruamel(key):
    """A YamlFile made where ``import ruamel.yaml`` fails, as on a controller without it."""
    with mock.patch.dict(sys.modules, {"ruamel": None, "ruamel.yaml": None}):
        yaml_file = YamlFile(key)
    assert yaml_file.ruamel is None
    return yaml_file


def test_yaml_without_ruamel_replaces_a_value_in_place():
    yaml_file = yaml_file_without_ruamel("zendesk.oauth_token")
    round_trip(yaml_file, YAML_TEXT % OLD, YAML_TEXT % NEW)
    assert not yaml_file.warnings


def test_yaml_without_ruamel_rewrites_to_add_a_key_with_a_warning():
    yaml_file = yaml_file_without_ruamel("zendesk.oauth_token")
    text = (YAML_TEXT % OLD).replace("    oauth_token: \"%s\"  # the token\n" % OLD, "")
    written = new_content(yaml_file, text, NEW)
    assert yaml_file.held(written) == NEW
    assert yaml.safe_load(written) == dict(yaml.safe_load(text), zendesk={"user": "me", "oauth_token": NEW})
    assert written.startswith("# Settings of my app\n---\napp:\n    name: my app\n")
    assert "# credentials" not in written
    assert len(yaml_file.warnings) == 1 and "comments" in yaml_file.warnings[0] and "ruamel.yaml" in yaml_file.warnings[0]
    reading = yaml_file_without_ruamel("zendesk.oauth_token")
    assert reading.held(written) == NEW and not reading.warnings


@pytest.mark.parametrize("text,expected", [
    ("", "zendesk:\n  oauth_token: %s\n" % NEW),
    ("a: 1\r\n", "a: 1\r\nzendesk:\r\n  oauth_token: %s\r\n" % NEW),
    ("zendesk:\n    user: me\n    oauth_token: %s\n" % OLD, "zendesk:\n    user: me\n    oauth_token: %s\n" % NEW),
])
def test_yaml_without_ruamel_round_trip(text, expected):
    round_trip(yaml_file_without_ruamel("zendesk.oauth_token"), text, expected)


def test_yaml_with_ruamel_gives_no_warning():
    yaml_file = YamlFile("zendesk.oauth_token")
    assert yaml_file.ruamel is not None
    new_content(yaml_file, "a: 1\n", NEW)
    assert not yaml_file.warnings


IMPORT_CHECK = """
import sys
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
_AnsibleCollectionFinder(paths=[sys.argv[1]])._install()
from ansible_collections.obscura.zendesk.plugins.plugin_utils import token_file
token_file.FORMAT_CLASSES["json"]("a.b").held("{}")
token_file.FORMAT_CLASSES["env"]("A").held("A=1")
before = "ruamel.yaml" in sys.modules
token_file.FORMAT_CLASSES["yaml"]("a.b").held("a: {b: 1}")
print(before, "ruamel.yaml" in sys.modules)
"""


def test_ruamel_yaml_is_imported_only_for_yaml():
    collections_path = pathlib.Path(token_file_yaml.__file__).parents[5]
    done = subprocess.run([sys.executable, "-c", IMPORT_CHECK, str(collections_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


@pytest.mark.parametrize("text,indentation", [
    ("a:\n  b: 1\n", (2, 2, 0)),
    ("a:\n    b: 1\n    c:\n        - 1\n", (4, 6, 4)),
    ("a:\n-   x\n", (2, 4, 0)),
    ("a: 1\n", (2, 2, 0)),
])
def test_yaml_indentation(text, indentation):
    assert yaml_indentation(text) == indentation


# --- template ----------------------------------------------------------------------------------

def renderer(template):
    """A render(value) like the action plugin's, for a Python format string with {value}."""
    return lambda value: template.format(value=value)


@pytest.mark.parametrize("template,text,held", [
    ("TOKEN={value}\nHOST=web1\n", "TOKEN=%s\nHOST=web1\n" % OLD, OLD),
    ("TOKEN={value}\nHOST=web1\n", "TOKEN=%s\nHOST=web2\n" % OLD, OLD),
    ("a {value} b {value}\n", "a %s b %s\n" % (OLD, OLD), OLD),
    ("a {value} b {value}\n", "a %s b %s\n" % (OLD, NEW), ""),
    ("x={value}\ny={value}\n", "x=%s\ny=%s\n" % (OLD, NEW), ""),
    ("{value}\n", "%s\n" % OLD, OLD),
    ("# managed\n{value}\n", "# other\n%s\n" % OLD, ""),
    ("TOKEN={value}\n", "nothing here\n", ""),
    ("TOKEN={value}\n", "", ""),
    ("[x]\ntoken = {value}\n", "[x]\ntoken = %s\n" % OLD, OLD),
])
def test_template_held(template, text, held):
    assert TemplateFile(renderer(template)).held(text) == held


def test_template_write_is_the_rendering():
    file_format = TemplateFile(renderer("TOKEN={value}\n"))
    assert new_content(file_format, "TOKEN=%s\nextra\n" % NEW, NEW) == "TOKEN=%s\n" % NEW


def test_template_regex():
    file_format = TemplateFile(renderer("unused"), regex=r"^token: (\S+)$")
    assert file_format.held("a: 1\ntoken: %s\n" % OLD) == OLD
    assert file_format.held("a: 1\n") == ""


@pytest.mark.parametrize("regex,phrase", [("(unclosed", "not a valid regular expression"), ("no group", "has no group")])
def test_template_bad_regex(regex, phrase):
    assert_error(lambda: TemplateFile(renderer("{value}"), regex=regex), phrase, "template_regex")


def test_template_that_transforms_the_value_needs_a_regex():
    file_format = TemplateFile(lambda value: "TOKEN=%s\n" % value.upper())
    assert_error(lambda: file_format.held("TOKEN=X\n"), "does not show oauth_token_value", "template_regex")


# --- masking -----------------------------------------------------------------------------------

def test_mask_replaces_every_value_longest_first():
    text = "a=%s b=%s c=%s" % (OLD, NEW, OLD + "x")
    masked = mask(text, {OLD: "<old>", NEW: "<new>", OLD + "x": "<longer>", "": "<never>"})
    assert masked == "a=<old> b=<new> c=<longer>"


# --- the formats a host script uses --------------------------------------------------------------

HOST_FORMATS = ("_token_file_text.py", "_token_file_mapping.py", "_token_file_env.py", "_token_file_ini.py", "_token_file_json.py")
HOST_CHECK = """
import sys
sys.path.insert(0, sys.argv[1])
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_env import EnvFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_ini import IniFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_json import JsonFile
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_text import new_content
print(new_content(EnvFile("A"), "A=1\\n", "2") + new_content(IniFile("s.k"), "", "3") + new_content(JsonFile("k"), "{}", "4"))
print(sorted(name for name in sys.modules if name.split(".")[0] in ("ansible", "yaml", "ruamel")))
"""


def test_host_formats_need_only_the_standard_library(tmp_path):
    """env, ini and json run from a copy of their files with Python's standard library alone (no site-packages)."""
    module_utils = pathlib.Path(token_file_yaml.__file__).parents[1] / "module_utils"
    target = tmp_path / "ansible_collections" / "obscura" / "zendesk" / "plugins" / "module_utils"
    target.mkdir(parents=True)
    for name in HOST_FORMATS:
        (target / name).write_text((module_utils / name).read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", HOST_CHECK, str(tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == 'A=2\n[s]\nk = 3\n{\n  "k": "4"\n}\n[]\n'


@pytest.mark.parametrize("name", HOST_FORMATS)
def test_host_formats_are_python_3_8_syntax(name):
    source = (pathlib.Path(token_file_yaml.__file__).parents[1] / "module_utils" / name).read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 8))

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The template token file format: the whole file is a template rendered with the value.

The held value is found by rendering the template with a marker as the value: the file must match the
rendering with the same value wherever the marker is. When other parts of the rendering differ (other
variables changed), the lines around the marker decide. A ``template_regex`` replaces both.
"""

from __future__ import annotations

import os
import re
import secrets

from ansible.errors import AnsibleError
from ansible.template import generate_ansible_template_vars

from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file import NEW_PLACEHOLDER, TokenFileError, mask

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core 2.18: templates need no trust
    trust_as_template = None

_VALUE = r"([^\r\n]+?)"
# As ansible.builtin.template renders by default.
_OVERRIDES = dict(trim_blocks=True, lstrip_blocks=False)


def _pattern(parts):
    """A regular expression of ``parts`` joined by one value: the first occurrence a group, the others the same text."""
    return re.escape(parts[0]) + "".join((_VALUE if index == 0 else r"\1") + re.escape(part)
                                         for index, part in enumerate(parts[1:]))


class TemplateFile:
    """A file rendered from a template; ``render(value)`` returns the file's text for a value."""

    WHOLE_FILE = True

    def __init__(self, render, regex=None):
        self.render = render
        self.regex = None
        if regex:
            try:
                self.regex = re.compile(regex, re.MULTILINE)
            except re.error as err:
                raise TokenFileError("template_regex is not a valid regular expression (%s)" % err,
                                     "Fix template_regex (Python re syntax, matched in multiline mode)") from None
            if self.regex.groups < 1:
                raise TokenFileError("template_regex has no group", "Put the value's part of template_regex in parentheses")

    def held(self, text):
        if self.regex:
            match = self.regex.search(text)
            return (match.group(1) or "") if match else ""
        marker = "ZendeskTokenFileMarker%s" % secrets.token_hex(8)
        rendered = self.render(marker)
        if marker not in rendered:
            raise TokenFileError("The template does not show oauth_token_value as it is, so the value in the file cannot be found",
                                 "Give template_regex, a regular expression whose first group is the value in the file")
        whole = re.fullmatch(_pattern(rendered.split(marker)), text)
        return whole.group(1) if whole else self._from_lines(rendered, marker, text)

    @staticmethod
    def _from_lines(rendered, marker, text):
        """The value the lines around the marker agree on ('' if they disagree or one is missing)."""
        found = set()
        for line in rendered.splitlines():
            parts = line.split(marker)
            if len(parts) == 1 or not "".join(parts).strip():
                continue
            values = re.findall("^" + _pattern(parts) + "$", text, re.MULTILINE)
            if not values:
                return ""
            found.update(values)
        return found.pop() if len(found) == 1 else ""

    def with_value(self, _text, value):
        return self.render(value)


def template_renderer(action, template, dest, task_vars):
    """``render(value)`` of the template ``template`` (found as ansible.builtin.template finds its src) for an action plugin."""
    try:
        source = action._find_needle("templates", template)  # pylint: disable=protected-access
        with open(source, encoding="utf-8") as handle:
            data = handle.read()
    except (AnsibleError, OSError, UnicodeDecodeError):
        raise TokenFileError("The template %s is not found on the controller, or cannot be read as UTF-8 text" % template,
                             "Put it in the templates/ directory of the role or the playbook, or give its path (option template)") from None
    searchpath = []
    basedir = action._loader.get_basedir()  # pylint: disable=protected-access
    for directory in list(task_vars.get("ansible_search_path", [])) + [basedir, os.path.dirname(source)]:
        searchpath.extend([os.path.join(directory, "templates"), directory])
    variables = dict(task_vars)
    variables.update(generate_ansible_template_vars(template, source, dest))

    def render(value):
        available = dict(variables, oauth_token_value=value)
        templar = action._templar.copy_with_new_env(searchpath=searchpath, available_variables=available)  # pylint: disable=protected-access
        try:
            if trust_as_template is None:
                rendered = templar.do_template(data, preserve_trailing_newlines=True, escape_backslashes=False, overrides=_OVERRIDES)
            else:
                rendered = templar.template(trust_as_template(data), preserve_trailing_newlines=True, escape_backslashes=False,
                                            overrides=_OVERRIDES)
        except AnsibleError as err:
            raise TokenFileError("The template %s cannot be rendered: %s" % (template, mask(str(err), {value: NEW_PLACEHOLDER})),
                                 "Fix the template or the variables it uses") from None
        return "" if rendered is None else str(rendered)
    return render

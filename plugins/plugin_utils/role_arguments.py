# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role obscura.zendesk.oauth_token's variables checked against its argument spec, once for every host of a play.

ansible-core checks a role's entry point against ``meta/argument_specs.yml`` with one task per host, which costs every
host a worker. The role's entry point ``main`` has no spec for that reason; its options are documented under the
entry point ``deliver`` (the same tasks), and the role's first task, run once, checks them here: the values the play
gives (as the host that runs the check sees them) once, and what each host's inventory or facts set, host by host.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping

import yaml

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

ENTRY_POINT = "deliver"
PREFIX = "oauth_token_"
# Variables of the role's namespace that are not options: what the role sets on each host.
RESULT_VARIABLES = ("oauth_token_result",)
# Secrets that may sit in the options' values: never in a message.
SECRET_OPTIONS = ("oauth_token_client_secret",)
SECRET_CONNECTION_OPTIONS = ("oauth_client_secret", "oauth_token", "api_token", "password")
MASK = "********"
# What of an option's documentation the check uses (the rest is prose, which the validator would only copy).
SPEC_KEYS = ("type", "elements", "required", "choices", "default", "no_log", "aliases", "options")


def role_options(role_path):
    """The options of the role's entry point ``deliver``, from ``meta/argument_specs.yml`` under ``role_path``,
    each with the keys the check uses."""
    with open(os.path.join(role_path, "meta", "argument_specs.yml"), encoding="utf-8") as spec_file:
        options = yaml.load(spec_file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["argument_specs"][ENTRY_POINT]["options"]
    return {name: {key: option[key] for key in SPEC_KEYS if key in option} for name, option in options.items()}


def secrets_in(values):
    """The secret strings among the option values (the client secret, the connection's credentials)."""
    api = values.get("oauth_token_api")
    connection = [api.get(name) for name in SECRET_CONNECTION_OPTIONS] if isinstance(api, dict) else []
    return [secret for secret in [values.get(name) for name in SECRET_OPTIONS] + connection
            if isinstance(secret, str) and secret]


def masked(message, secrets):
    """``message`` with every secret replaced by a mask."""
    for secret in secrets:
        message = message.replace(secret, MASK)
    return message


def plain(value):
    """``value`` as plain dicts and lists: the validator deep-copies what it gets, and a variable's container copies
    the whole template context with it."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def validation_errors(options, values):
    """ansible-core's messages for ``values`` against ``options`` (an argument spec), secrets masked."""
    values = plain(values)
    messages = ArgumentSpecValidator(options).validate(values).error_messages
    return [masked(message, secrets_in(values)) for message in messages]


def host_values(host_vars, options):
    """The options a host's inventory, facts or set_fact give it (they may differ from host to host).

    A value that cannot be templated with the host's own variables (it uses the play's) is left to the play's check.
    """
    values = {}
    for name in options:
        try:
            if name in host_vars:
                values[name] = host_vars[name]
        except AnsibleError:
            continue
    return values


def likely_option(name, options):
    """The option a variable named like the role's most likely means, or None.

    Names are compared after the role's prefix (every name shares it). The candidates are the options whose rest
    begins the name's or is begun by it (oauth_token_destination, oauth_token_scope) and those spelt nearly alike
    (oauth_token_formt); the closest of them wins.
    """
    rest = name[len(PREFIX):]
    rests = {option[len(PREFIX):]: option for option in options}
    candidates = {other for other in rests if rest.startswith(other) or other.startswith(rest)}
    candidates.update(difflib.get_close_matches(rest, list(rests), n=3, cutoff=0.75))
    if not candidates:
        return None
    return rests[max(sorted(candidates), key=lambda other: difflib.SequenceMatcher(None, rest, other).ratio())]


def unknown_names(names, options):
    """Variables named like the role's that are none of its options, each with the option it most likely means."""
    unknown = sorted(set(names) - set(options) - set(RESULT_VARIABLES))
    guesses = {name: likely_option(name, options) for name in unknown if name.startswith(PREFIX)}
    return {name: guess for name, guess in guesses.items() if guess}


def is_set(option, value):
    """Whether a value sets an option: not null, and not '' for an option that is no string (2.18 turns a null
    variable in a play into '')."""
    return value is not None and (value != "" or option.get("type", "str") in ("str", "path", "raw"))


def arguments_problems(hostvars, hosts, settings, options, names=()):
    """Every problem of the role's variables against its argument spec: the play's values, then each host's own.

    ``settings`` are the values the host running the check sees (unset ones None); ``names`` the names of the
    variables the play defines that start like the role's (for misspelt ones).
    """
    given = {name: value for name, value in settings.items() if name not in options or is_set(options[name], value)}
    problems = ["%s is not a variable of the role: did you mean %s?" % (name, option)
                for name, option in unknown_names(names, options).items()]
    play_errors = validation_errors(options, given)
    problems += play_errors
    for host in hosts:
        own = host_values(hostvars[host], options)
        if own:
            optional = {name: dict(options[name], required=False) for name in own}
            problems += ["host %s: %s" % (host, error) for error in validation_errors(optional, own) if error not in play_errors]
    return problems

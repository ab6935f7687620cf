# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Controller side of zendesk_token_file: read the file on the host, do the format work here, write once.

How the read and the write reach the host, and the internal option ``_previous``: module_utils/_token_file_protocol.py.
The internal option ``_role_options`` (the role's read and write) takes the file's options from the host's role
variables: plugin_utils/role_token_file.py.
A result that carries the value or the file's text is hidden from display callbacks.
"""

from __future__ import annotations

import contextlib
import difflib

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.obscura.zendesk.plugins.module_utils import _token_file_protocol as protocol
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_options import (
    ARGUMENT_SPEC,
    DEFAULT_KEYS,
    octal_mode,
)
from ansible_collections.obscura.zendesk.plugins.plugin_utils.pipelining import pipelined, takes_stdin
from ansible_collections.obscura.zendesk.plugins.plugin_utils.role_token_file import ROLE_OPTIONS, role_file_options
from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file import (
    FORMAT_CLASSES,
    NEW_PLACEHOLDER,
    OLD_PLACEHOLDER,
    TokenFileError,
    mask,
    new_content,
)
from ansible_collections.obscura.zendesk.plugins.plugin_utils.token_file_template import TemplateFile, template_renderer

display = Display()
MODULE = "obscura.zendesk.zendesk_token_file"
CONTROLLER_SPEC = dict(ARGUMENT_SPEC, path=dict(ARGUMENT_SPEC["path"], type="str"),
                       **{protocol.PREVIOUS: dict(type="dict", no_log=True), protocol.SETTLED: dict(type="bool", default=False)})
ATTRIBUTES = protocol.ATTRIBUTES
TARGET_FAILURE_KEYS = ("msg", "exception", "module_stderr", "rc")
HostFailure = protocol.HostFailure
LINK_WARNING = ("%s is a symbolic link, not followed (follow: false): it reads as no file, and a write replaces the link with "
                "a regular file. Remove the link, give the path of the file itself, or set follow: true (see its risk in the docs)")


def validated(args):
    """The task's arguments checked against the options: (options, None), or (None, the problem with no_log values hidden)."""
    validation = ArgumentSpecValidator(CONTROLLER_SPEC).validate(dict(args))
    if not validation.error_messages:
        return dict(args, **validation.validated_parameters), None
    hidden = dict.fromkeys(validation._no_log_values, "********")  # pylint: disable=protected-access
    problems = [("Unsupported parameters: " if isinstance(error, UnsupportedError) else "") + error.msg for error in validation.errors.errors]
    return None, mask("; ".join(problems), hidden)


def options_problem(options):
    """What is wrong with the combination of options (a TokenFileError), or None."""
    templated = options["format"] == "template"
    if not templated and (options["template"] or options["template_regex"]):
        return TokenFileError("template and template_regex are only used with format=template", "Remove them, or set format: template")
    if templated and not options["template"]:
        return TokenFileError("format=template needs the option template", "Give template, the template file on the controller")
    if options["value"] == "":
        return TokenFileError("value is empty", "Give the value to write, or omit value to only read")
    problem = several_keys_problem(options)
    if problem:
        return problem
    writing = options["value"] is not None or options["values"] is not None
    if options[protocol.PREVIOUS] is not None and not writing:
        return TokenFileError("_previous is only used when writing", "Give value too, or remove _previous")
    if options[protocol.SETTLED] and writing:
        return TokenFileError("_settled is only used when reading", "Remove value, or remove _settled")
    try:
        octal_mode(options["mode"])
    except ValueError as err:
        return TokenFileError(str(err), "Give mode in octal as a string, e.g. '0600', or symbolically, e.g. 'u=rw,g=,o='")
    return None


def several_keys_problem(options):
    """What is wrong with values or keys (a TokenFileError), or None."""
    if not several(options):
        return None
    given = [name for name in ("values", "keys", "key", "value") if options[name] is not None]
    if len(given) > 1:
        return TokenFileError("%s cannot be combined" % " and ".join(given),
                              "Give values (key: value) to write several keys, keys (a list) to read them, or key and value for one")
    if options["format"] == "template":
        return TokenFileError("values and keys work with format env, json, yaml and ini, not template", "Give key and value instead")
    if not (options["values"] or options["keys"]):
        return TokenFileError("%s is empty" % given[0], "Give at least one key")
    for key, value in (options["values"] or {}).items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or str(value) == "":
            return TokenFileError("The value of key %s in values is empty or not a string" % key, "Give each key of values a non-empty string")
    return None


def attributes_verdict(state, options):
    """Whether the file has the wanted owner, group and mode: True, False, or None (a symbolic mode: ask the host)."""
    if not state["exists"]:
        return False
    for name, number in (("owner", "uid"), ("group", "gid")):
        wanted = options[name]
        if wanted and wanted != state[name] and not (wanted.isdigit() and int(wanted) == state[number]):
            return False
    wanted_mode = octal_mode(options["mode"])
    if wanted_mode is None:
        return None
    return state["mode"] is not None and int(state["mode"], 8) == wanted_mode


def predicted_attributes(state, options):
    """The attributes the file would have after a write (check mode)."""
    predicted = {name: state.get(name) if state["exists"] else None for name in ATTRIBUTES}
    wanted_mode = octal_mode(options["mode"])
    if wanted_mode is not None:
        predicted["mode"] = "%04o" % wanted_mode
    for name, number in (("owner", "uid"), ("group", "gid")):
        if options[name] and options[name] != predicted[name]:
            predicted[name] = options[name]
            predicted[number] = int(options[name]) if options[name].isdigit() else None
    return predicted


def hide_value_in_task_data(task):
    """Replace a value written into the task's own data (as ad hoc ``-a 'value=...'``) by a placeholder.

    Since ansible-core 2.19, a failed task without a source file (an ad hoc task) is reported with its data,
    arguments included. The task's arguments were parsed from that data when it was loaded and stay as they are.
    """
    data = task.get_ds()
    args = data.get("args") if isinstance(data, dict) else None
    if isinstance(args, dict) and args.get("value"):
        args["value"] = NEW_PLACEHOLDER
    if isinstance(args, dict) and isinstance(args.get("values"), dict):
        args["values"] = dict.fromkeys(args["values"], NEW_PLACEHOLDER)


def unified_diff(diff, path):
    """The diff as text, the way the default callback shows a file's diff."""
    return "".join(difflib.unified_diff(diff["before"].splitlines(True), diff["after"].splitlines(True),
                                        "before: %s" % path, "after: %s" % path))


def several(options):
    """Whether the task names several keys (values or keys) rather than one (key)."""
    return options["values"] is not None or options["keys"] is not None


def wanted_values(options):
    """{key: value} the file must hold (values, or key and value); None for a read."""
    if options["values"] is not None:
        return {key: str(value) for key, value in options["values"].items()}
    return None if options["value"] is None else {options["key"]: options["value"]}


def keys_of(options):
    """The keys a read is about: keys, or key."""
    return options["keys"] if options["keys"] is not None else [options["key"]]


def value_fields(options, values):
    """What a result says about the values ({key: value}): held_values with values or keys, else key and value.

    (Not ``values``: validate-modules rejects return keys that Jinja's dot notation cannot reach.)
    """
    return dict(held_values=values) if several(options) else dict(key=options["key"], value=values[options["key"]])


def with_values(formats, text, wanted):
    """``text`` holding every wanted value at its key, in one new text."""
    for key, value in wanted.items():
        text = new_content(formats[key], text, value)
    return text


def settled(state, options, formats, held):
    """Whether the file needs no write to hold what it holds (protocol step 5): a value at every key, the text a write of
    those values would leave, the wanted owner, group and mode (a symbolic mode: not known here, so not settled)."""
    if not (state["exists"] and all(held.values()) and attributes_verdict(state, options)):
        return False
    try:
        return with_values(formats, state["content"], held) == state["content"]
    except TokenFileError:
        return False


def old_placeholders(formats, text, held):
    """{value the file held at any place of a key: the old placeholder}."""
    found = [value for key, file_format in formats.items()
             for value in getattr(file_format, "all_held", lambda _text, key=key: [held[key]])(text)]
    return dict.fromkeys(found, OLD_PLACEHOLDER)


class ActionModule(ActionBase):
    """Read the token file, and write it when a value is given, with the least module executions on the host."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        host = task_vars.get("inventory_hostname", "?")
        arguments = self.arguments(task_vars)  # a role variable that cannot be rendered fails with Ansible's own message
        try:
            options, invalid = validated(arguments)
            if invalid:
                return dict(result, failed=True, msg="Host %s: %s" % (host, invalid))
            problem = options_problem(options)
            if problem:
                raise problem
            options["key"] = options["key"] or DEFAULT_KEYS[options["format"]]
            result.update(self.token_file(options, task_vars))
            if self._discovered_interpreter_key:
                result["ansible_facts"] = {self._discovered_interpreter_key: self._discovered_interpreter}
        except (TokenFileError, protocol.PreviousProblem) as err:
            result.update(failed=True, msg="Host %s, file %s: %s" % (host, options["path"], err))
        except HostFailure as err:
            result.update(err.result, failed=True, msg="Host %s: %s" % (host, err.result.get("msg")))
        except AnsibleConnectionFailure:
            raise
        except Exception as err:  # pylint: disable=broad-exception-caught  # its message may quote the value or the file
            result.update(failed=True, msg="Host %s, file %s: unexpected %s in the format work (its message is not shown: it may "
                                           "quote the file's content). Please report it with the file's format and layout."
                                           % (host, options["path"], type(err).__name__))
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
            hide_value_in_task_data(self._task)
        if not result.get("failed") and (result.get("value") or any(result.get("held_values", {}).values()) or "content" in result):
            result["_ansible_no_log"] = True
            if result.get("diff") and result.get("changed"):
                display.display(unified_diff(result["diff"], options["path"]))
        return result

    def arguments(self, task_vars):
        """The task's arguments; with the internal option ``_role_options`` (the role's read and write), the file's
        other options from the host's variables of the role obscura.zendesk.oauth_token (plugin_utils/role_token_file.py),
        and the client credentials' ``values`` at the keys those variables name."""
        args = dict(self._task.args)
        if not boolean(args.pop(ROLE_OPTIONS, False)):
            return args
        writing = args.get("value") is not None or args.get("values") is not None
        return dict(args, **role_file_options(lambda name: self._templar.template(task_vars.get(name)), writing, args.get("values")))

    def token_file(self, options, task_vars):
        """The result of reading, or of writing, the file."""
        wanted = wanted_values(options)
        formats = {key: self.file_format(options, task_vars, key) for key in (list(wanted) if wanted else keys_of(options))}
        previous = options[protocol.PREVIOUS]
        state = protocol.state_from_previous(previous, options["path"]) if previous is not None else self.read(options)
        held = {key: file_format.held(state["content"]) if state["exists"] else "" for key, file_format in formats.items()}
        base = dict(path=options["path"], format=options["format"])
        if wanted is None:
            result = dict(base, changed=False, exists=state["exists"], held=all(held.values()), **value_fields(options, held),
                          **{name: state[name] for name in ATTRIBUTES})
            if options["return_content"]:
                result["content"] = state["content"]
            if options[protocol.SETTLED]:
                result["settled"] = settled(state, options, formats, held)
        else:
            result = self.write(options, task_vars, state, held, formats, wanted, base)
        if state.get("link"):
            result["warnings"] = result.get("warnings", []) + [LINK_WARNING % options["path"]]
        return result

    def file_format(self, options, task_vars, key):
        """The parser of the file's format, for ``key``."""
        if options["format"] == "template":
            render = template_renderer(self, options["template"], options["path"], task_vars)
            return TemplateFile(render, options["template_regex"])
        return FORMAT_CLASSES[options["format"]](key)

    @contextlib.contextmanager
    def quiet_connection(self):
        """While the host answers, the connection does not log what it says.

        The host's output holds the file's text, which connection plugins log at -vvv (ssh) unless their play
        context (the connection's own copy) says no_log.
        """
        context = self._connection._play_context
        no_log, context.no_log = context.no_log, True
        try:
            yield
        finally:
            context.no_log = no_log

    def module(self, module_args, task_vars):
        """Run the module on the host; its result, or HostFailure."""
        try:
            with self.quiet_connection(), pipelined(self._connection, self._play_context):
                result = self._execute_module(module_name=self._module_name(), module_args=module_args,
                                              task_vars=task_vars, wrap_async=False)
        except AnsibleConnectionFailure:
            raise
        except AnsibleError as err:  # not found, no interpreter, become: messages of Ansible's own, never the arguments
            raise HostFailure(dict(msg="The module could not run on the host: %s" % err)) from None
        if result.get("failed"):
            raise HostFailure({name: result[name] for name in TARGET_FAILURE_KEYS if name in result})
        return result

    def _module_name(self):
        """The module this action runs on the host, as the task names it."""
        return self._task.resolved_action or MODULE

    def read(self, options):
        """The file as the host has it: exists, content and attributes (one shell command, no Python on the host)."""
        marker = protocol.new_marker()
        with self.quiet_connection():
            answer = self._low_level_execute_command(protocol.read_command(options["path"], options["follow"], marker), sudoable=True)
        return protocol.state_from_answer(answer, marker, options["path"])

    def shell_write(self, options, new_text, state):
        """The written file's result when one shell command wrote ``new_text`` as the module would; None when it could not
        (the module then writes, or fails saying why)."""
        marker = protocol.new_marker()
        request = protocol.write_command(options, new_text, state, marker)
        if request is None or not takes_stdin(self._connection, self._play_context):
            return None
        command, data = request
        with self.quiet_connection():
            answer = self._low_level_execute_command(command, sudoable=True, in_data=data)
        written = protocol.written_attributes(answer, marker)
        return dict(written, changed=True) if written else None

    def write(self, options, task_vars, state, held, formats, wanted, base):
        """Make the file hold the values with the wanted attributes: nothing on the host when nothing changes, else the
        shell write, or the module when that cannot write as asked."""
        text = state["content"] if state["exists"] else ""
        new = with_values(formats, text, wanted)
        same_content = state["exists"] and new == text
        verdict = attributes_verdict(state, options)
        result = dict(base, exists=True, held=True, **value_fields(options, wanted))
        if same_content and verdict:
            result.update(changed=False, **{name: state[name] for name in ATTRIBUTES})
        elif self._task.check_mode and (not same_content or verdict is not None):
            result.update(changed=True, **predicted_attributes(state, options))
        else:
            written = None if same_content else self.shell_write(options, new, state)
            if written is None:
                written = self.module(protocol.write_arguments(options, new, state), task_vars)
            result.update({name: written[name] for name in ("changed", "backup_file") + ATTRIBUTES if name in written})
        if options["return_content"]:
            result["content"] = new
        if not same_content:
            warnings = list(dict.fromkeys(warning for file_format in formats.values() for warning in getattr(file_format, "warnings", ())))
            if warnings:
                result["warnings"] = warnings
            if self._task.diff:
                placeholders = old_placeholders(formats, text, held)
                placeholders.update(dict.fromkeys(wanted.values(), NEW_PLACEHOLDER))
                result["diff"] = dict(before=mask(text, placeholders), after=mask(new, placeholders),
                                      before_header=options["path"], after_header=options["path"])
        return result

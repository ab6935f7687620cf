# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Test-only callback: set the simulator up before each task, record what each task did.

Before a task starts it empties the simulator's request log and runs the task's setup calls
(SimulatorControl methods, e.g. ``fault`` or ``advance_clock``) from the JSON file named by
SIM_RECORDER_CASES. When the task ends it records, under the task's name, the requests the task
made, its status, its warnings and the result exactly as display callbacks receive it (censored
when no_log applies), and rewrites the JSON file SIM_RECORDER_OUT (mode 0600). At the end of the
playbook it saves what each case's ``register:`` variable holds (uncensored: register keeps secrets)
to SIM_RECORDER_REGISTERED (mode 0600), without running a task that could display it.
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

from zendesk_simulator.testing import SimulatorControl

DOCUMENTATION = r"""
name: sim_recorder
type: aggregate
short_description: Record each task's simulator requests and displayed result (obscura.zendesk tests)
description:
  - Test-only; configured through the environment variables SIM_RECORDER_URL, SIM_RECORDER_CA, SIM_RECORDER_CASES,
    SIM_RECORDER_OUT and SIM_RECORDER_REGISTERED.
requirements:
  - enable in configuration
"""


def load_json(path):
    """The JSON content of ``path``, or an empty dict when no path is given."""
    if not path:
        return {}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def write_private_json(path, data):
    """Write ``data`` as JSON to ``path`` with mode 0600."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, default=str)


def message_of(summary):
    """The text of a warning summary (ansible-core 2.19+ objects, or plain strings)."""
    event = getattr(summary, "event", None)
    return str(event.msg if event is not None else summary)


class CallbackModule(CallbackBase):
    """Per task: simulator setup before, request log and displayed result after."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "sim_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = load_json(os.environ.get("SIM_RECORDER_CASES"))
        self.out = os.environ.get("SIM_RECORDER_OUT")
        self.control = SimulatorControl(os.environ["SIM_RECORDER_URL"], os.environ.get("SIM_RECORDER_CA") or None)
        self.records = {}
        self.play = None
        self.host = None

    def v2_playbook_on_play_start(self, play):
        """Remember the play, to read registered variables at the end."""
        self.play = play

    def v2_playbook_on_task_start(self, task, is_conditional):
        """Empty the request log and apply the task's setup calls."""
        self.control.clear_requests()
        for call in self.cases.get(task.get_name(), {}).get("setup", []):
            getattr(self.control, call["call"])(**call.get("kwargs", {}))

    def v2_runner_on_ok(self, result):
        """Record a successful task."""
        self.record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        """Record a failed task."""
        self.record(result, "failed")

    def v2_runner_on_skipped(self, result):
        """Record a skipped task."""
        self.record(result, "skipped")

    def record(self, result, status):
        """Store what the task did and rewrite the output file."""
        self.host = result.host
        self.records[result.task_name] = {
            "status": status,
            "shown": json.loads(json.dumps(result.result, default=str)),
            "warnings": [message_of(warning) for warning in getattr(result, "warnings", None) or []],
            "requests": self.control.requests(),
        }
        if self.out:
            write_private_json(self.out, self.records)

    def v2_playbook_on_stats(self, stats):
        """Save each case's registered variable."""
        path = os.environ.get("SIM_RECORDER_REGISTERED")
        if not path or self.play is None or self.host is None:
            return
        variables = self.play.get_variable_manager().get_vars(play=self.play, host=self.host, include_hostvars=False)
        registered = {name: variables[case["register"]] for name, case in self.cases.items() if case["register"] in variables}
        write_private_json(path, json.loads(json.dumps(registered, default=str)))

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixture of the module tests: run a module's main() with arguments, get what it exited or failed with."""

from __future__ import annotations

import json
from unittest import mock

import pytest

from ansible.module_utils import basic

CONNECTION = {"subdomain": "obscura", "oauth_token": "admin-oauth-token-0123456789abcdef"}


class ModuleExit(Exception):
    """exit_json or fail_json was called; ``result`` holds its arguments and ``failed``."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


def run_main(main, args, check_mode=False, diff=False, connection=True):
    """Run ``main()`` with ``args`` (plus the connection options unless ``connection`` is false); its result, with ``failed``."""
    args = dict(CONNECTION if connection else {}, **args)
    if check_mode:
        args["_ansible_check_mode"] = True
    if diff:
        args["_ansible_diff"] = True

    def leave(failed):
        def stop(self, **result):
            raise ModuleExit(dict(result, failed=failed))
        return stop

    payload = json.dumps({"ANSIBLE_MODULE_ARGS": args}).encode()
    patches = [mock.patch.object(basic, "_ANSIBLE_ARGS", payload), mock.patch.object(basic.AnsibleModule, "exit_json", leave(False)),
               mock.patch.object(basic.AnsibleModule, "fail_json", leave(True))]
    if hasattr(basic, "_ANSIBLE_PROFILE"):
        patches.append(mock.patch.object(basic, "_ANSIBLE_PROFILE", "legacy"))
    for patch in patches:
        patch.start()
    try:
        with pytest.raises(ModuleExit) as done:
            main()
    finally:
        for patch in reversed(patches):
            patch.stop()
    return done.value.result


@pytest.fixture(name="run_module")
def run_module_fixture():
    """``run_module(main, args, check_mode=False, diff=False, connection=True)`` -> the module's result."""
    return run_main

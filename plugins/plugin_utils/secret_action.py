# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Controller side of the collection's modules: run the module, hide a result that carries a secret.

Ansible censors only the copy of a result that it hands to display callbacks when the result is
marked ``_ansible_no_log``; ``register:`` still receives it whole. Failed results stay visible. The warnings of a
hidden result are displayed here, since ansible-core 2.18 censors them with the rest (they never hold a secret).
The module also receives the collection's version (for its User-Agent) as the hidden option
``_collection_version``, read once from the collection's own metadata.
"""

from __future__ import annotations

import functools
import json
import pathlib

import yaml

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.obscura.zendesk.plugins.plugin_utils.pipelining import pipelined

COLLECTION_ROOT = pathlib.Path(__file__).resolve().parents[2]


@functools.lru_cache(maxsize=None)
def collection_version(root=COLLECTION_ROOT):
    """The collection's version: MANIFEST.json of an installed build, else galaxy.yml of a source tree; None if neither."""
    manifest, galaxy = root / "MANIFEST.json", root / "galaxy.yml"
    try:
        if manifest.is_file():
            return json.loads(manifest.read_text(encoding="utf-8"))["collection_info"]["version"]
        if galaxy.is_file():
            return str(yaml.safe_load(galaxy.read_text(encoding="utf-8"))["version"])
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError):
        return None
    return None


def carries_secret(result, secret_paths):
    """True when a successful result holds a non-empty value at one of ``secret_paths`` (tuples of keys)."""
    if result.get("failed"):
        return False
    for path in secret_paths:
        found = result
        for key in path:
            found = found.get(key) if isinstance(found, dict) else None
        if found:
            return True
    return False


class ArgumentsProblem(Exception):
    """The task's arguments cannot be given to the module; the message says why and how to fix it."""


class SecretResultAction(ActionBase):
    """Run the module this action plugin is named after; mark a result with a secret as no_log for display.

    Subclasses set ``SECRET_PATHS``: where in a result a secret may be, as tuples of keys. They may also adapt the
    module's arguments (``module_args``) and its result (``completed``) on the controller.
    """

    SECRET_PATHS = ()
    _supports_check_mode = True
    _supports_async = True

    def module_name(self):
        """The module to run: the task's resolved action, else the collection's module of this plugin's name."""
        return self._task.resolved_action or "obscura.zendesk." + type(self).__module__.rsplit(".", 1)[-1]

    def module_args(self, task_vars):  # pylint: disable=unused-argument  # task_vars: for subclasses
        """The arguments the module gets: the task's own. ArgumentsProblem fails the task without running the module."""
        return dict(self._task.args)

    def completed(self, result, task_vars):  # pylint: disable=unused-argument  # task_vars: for subclasses
        """The task's result made from the module's."""
        return result

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        try:
            module_args = self.module_args(task_vars)
        except ArgumentsProblem as err:
            result.update(failed=True, msg=str(err))
            return result
        version = collection_version()
        if version:
            module_args["_collection_version"] = version
        with pipelined(self._connection, self._play_context):
            result.update(self._execute_module(module_name=self.module_name(), module_args=module_args, task_vars=task_vars,
                                               wrap_async=self._task.async_val))
        result = self.completed(result, task_vars)
        if carries_secret(result, self.SECRET_PATHS):
            result["_ansible_no_log"] = True
            for warning in result.pop("warnings", None) or []:
                Display().warning(warning)
        return result

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Controller side of the collection's modules: run the module, hide a result that carries a secret.

Ansible censors only the copy of a result that it hands to display callbacks when the result is
marked ``_ansible_no_log``; ``register:`` still receives it whole. Failed results stay visible.
The module also receives the collection's version (for its User-Agent) as the hidden option
``_collection_version``, read once from the collection's own metadata.
"""

from __future__ import annotations

import functools
import json
import pathlib

import yaml

from ansible.plugins.action import ActionBase

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
    """True when a successful result holds a non-empty value at one of ``secret_paths`` ((key, subkey) pairs)."""
    if result.get("failed"):
        return False
    for key, subkey in secret_paths:
        container = result.get(key)
        if isinstance(container, dict) and container.get(subkey):
            return True
    return False


class SecretResultAction(ActionBase):
    """Run the module this action plugin is named after; mark a result with a secret as no_log for display.

    Subclasses set ``SECRET_PATHS``: where in a result a secret may be, as (key, subkey) pairs.
    """

    SECRET_PATHS = ()
    _supports_check_mode = True
    _supports_async = True

    def module_name(self):
        """The module to run: the task's resolved action, else the collection's module of this plugin's name."""
        return self._task.resolved_action or "obscura.zendesk." + type(self).__module__.rsplit(".", 1)[-1]

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        module_args = dict(self._task.args)
        version = collection_version()
        if version:
            module_args["_collection_version"] = version
        result.update(self._execute_module(module_name=self.module_name(), module_args=module_args, task_vars=task_vars,
                                           wrap_async=self._task.async_val))
        if carries_secret(result, self.SECRET_PATHS):
            result["_ansible_no_log"] = True
        return result

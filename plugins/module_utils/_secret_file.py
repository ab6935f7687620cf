# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A secret written to a file of its own (the modules' ``dest``): mode 0600, replaced atomically."""

from __future__ import annotations

import os
import tempfile


def _read_text(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def write_secret_file(module, path, value):
    """Make ``path`` hold ``value`` (plus a newline) with mode 0600, replacing it atomically.

    Returns whether anything changed; in check mode only predicts it. Raises OSError when the
    file cannot be written; the previous content is then left as it was.
    """
    wanted = value + "\n"
    same_content = _read_text(path) == wanted
    if module.check_mode:
        return not same_content or (os.stat(path).st_mode & 0o7777) != 0o600
    if same_content:
        return module.set_mode_if_different(path, "0600", False)
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=directory, prefix=".zendesk-token-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(wanted)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return True

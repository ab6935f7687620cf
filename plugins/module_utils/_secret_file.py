# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Files that hold a secret, written on the host: atomically, and never through a symbolic link.

``replace_file`` is the one file writer of the collection (zendesk_token_file, and the ``dest`` of
zendesk_oauth_token and zendesk_oauth_client through ``write_secret_file``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile

from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_read import ReadProblem, read_bytes

SECRET_MODE = "0600"


@contextlib.contextmanager
def _private_umask():
    """While inside, files the process creates or AnsibleModule.atomic_move chmods by the umask are 0600."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def _is_regular_file(path):
    """Whether ``path`` itself (not what a symbolic link there points to) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def _write_temporary(path, data):
    """A new file beside ``path`` (mode 0600, owned by the user running the module) holding ``data``; its path."""
    directory, name = os.path.split(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".%s." % name, suffix=".tmp")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    return temporary


def _as_os_error(error):
    """``error`` as an OSError: itself, the OSError that ansible-core 2.19+ wraps in an Exception, or one with its message."""
    if isinstance(error, OSError):
        return error
    if isinstance(error.__cause__, OSError):
        return error.__cause__
    return OSError(errno.EIO, str(error))


def replace_file(module, path, data, mode, owner=None, group=None):
    """Make ``path`` a regular file holding ``data`` with ``mode``, ``owner`` and ``group``, as ansible.builtin.lineinfile does.

    The data goes to a temporary file in the same directory, which AnsibleModule.atomic_move renames over ``path``;
    then the attributes are applied. A regular file at ``path`` hands its owner, group, mode and SELinux context on
    to the new one first (what ``owner`` and ``group`` leave unset stays). Anything else at ``path``, a symbolic link
    above all, is replaced and never written through: the new file starts private to the user running the module,
    and nothing is changed at a link's target. Raises OSError when the file cannot be written; ``path`` is then as it was.
    """
    temporary = _write_temporary(path, data)
    try:
        with _private_umask():
            module.atomic_move(temporary, path, keep_dest_attrs=_is_regular_file(path))
    except Exception as err:  # pylint: disable=broad-exception-caught  # ansible-core 2.19+ wraps an OSError in an Exception
        raise _as_os_error(err) from None
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
    arguments = module.load_file_common_arguments(dict(mode=mode, owner=owner, group=group), path=path)
    module.set_fs_attributes_if_different(arguments, True)


def write_secret_file(module, path, value):
    """Make ``path`` a regular file holding ``value`` (plus a newline) with mode 0600, replacing it atomically.

    A symbolic link at ``path`` is replaced by the file, never written through. Returns whether anything changed;
    in check mode only predicts it. Raises OSError when the file cannot be written; it is then left as it was.
    """
    wanted = (value + "\n").encode("utf-8")
    try:
        current, st = read_bytes(path)
    except ReadProblem as err:
        raise OSError(errno.EIO, str(err)) from None
    if current == wanted and stat.S_IMODE(st.st_mode) == int(SECRET_MODE, 8):
        return False
    if module.check_mode:
        return True
    if current == wanted:
        return module.set_mode_if_different(path, SECRET_MODE, False)
    replace_file(module, path, wanted, SECRET_MODE)
    return True

# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How zendesk_token_file's action plugin (on the controller) and the host talk, with as little work on the host as can be.

1. The read. The action plugin sends one POSIX shell command through the connection (``read_command``; with become
   when the task has it; run by ``/bin/sh -c`` as every command Ansible sends). Its shell function ``print_state`` tells
   what is at the path (no file, a symbolic link not followed, a directory, another kind of file, a file it may not
   read) and, for a regular file, prints ``ls -ldn`` (mode, uid, gid), ``ls -ld`` (owner and group names) and the bytes
   in hexadecimal (``od``), each after a marker line new for every read. ``state_from_answer`` makes of that, on the
   controller, whether the file exists, its text, owner, group and mode. No Python runs on the host: no interpreter
   discovery, no interpreter start, no module payload. ``~`` and ``$VARIABLE`` in the path are expanded on the host as
   the module's ``type: path`` does (``os.path.expandvars``, then ``os.path.expanduser``), without evaluating the path.
2. The decision, on the controller: the format work makes the new text. When it is the file's text and the owner,
   group and mode are the wanted ones, nothing more runs on the host.
3. The write. When the text changes, the action plugin first sends one POSIX shell command (``write_command``) with
   the new text, then the text the read saw, on its standard input (never in the command line, which -vvv shows). It
   writes the new text to a new file (mode 0600) beside the path, gives it the old file's owner and group when it
   can, then the wanted owner, group and mode, and renames it over the path only if the path still holds the text the
   read saw (``cmp``), as the module's ``atomic_move`` would; with SELinux on, it first gives the new file the old
   file's context (``stat -c %C``) or the path's default one (``matchpathcon``), with ``chcon``. No Python runs on the
   host. Where it could not do exactly what the module does, it changes nothing and answers ``defer``: no directory, a
   symbolic link at the path, a file changed since the read, an owner or group the host lacks, a context it cannot
   learn or set, a tool missing. The action plugin then runs the module, which writes or fails with its message; it also runs the module
   straight away for ``follow``, ``backup``, a symbolic mode, a change of owner, group or mode alone, and a connection
   that cannot take standard input (one that cannot pipeline, or ``su``). The module run has the task's file options
   and two internal arguments that only the action plugin sends (the module takes them out of its parameters before
   validation, and ansible-doc does not show them): ``_content``, the new text, and ``_checksum``, the sha256 of the
   bytes the read saw ('' for no file). The module writes only if the file still has those bytes; otherwise it fails
   and writes nothing.
4. A read handed to a write. The role reads every host (with ``return_content``), decides once, then writes where
   needed. It gives each write its registered read in the internal option ``_previous``, so that the write skips
   step 1. The action plugin checks that it is a successful read of the same path.
5. A read that tells whether a write is needed. Given the internal option ``_settled: true`` and the write's ``owner``,
   ``group`` and ``mode``, a read also returns ``settled``: the file holds a value at every key read, writing that same
   value would leave its text as it is, and it has the wanted owner, group and mode (false with a symbolic mode, which
   only the host can compare). A host whose read is settled and holds the chosen value needs no write: the role's
   write task skips it with a plain ``when``, without running anything for it.
"""

from __future__ import annotations

import re
import secrets
import shlex

from ansible_collections.obscura.zendesk.plugins.module_utils import _token_file_read
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_options import octal_mode

CONTENT = "_content"
CHECKSUM = "_checksum"
PREVIOUS = "_previous"
SETTLED = "_settled"
ATTRIBUTES = ("mode", "owner", "group", "uid", "gid")
STATE = ("exists", "content") + ATTRIBUTES
WRITE_OPTIONS = ("path", "follow", "owner", "group", "mode", "backup")
SHELL_FIX = ("The read is a POSIX shell command (sh, ls, od) sent through the connection: check become (a password, "
             "become_user) and that the remote user's commands run in a POSIX shell")
# The read (step 1), after the path is in $p. $m is the marker of this read; every answer is a line "$m KIND [detail]".
# A file that is not there is told apart from one behind a directory the user may not search (or a loop of links) by
# the shell's message when it opens it (LC_ALL=C: in English).
READ_SCRIPT = r"""
print_state() {
  if [ "$2" = nofollow ] && [ -L "$1" ]; then echo "$m link"
  elif [ ! -e "$1" ]; then
    e=$( (: < "$1") 2>&1 )
    case $e in
      "" | *"No such file"*) echo "$m missing" ;;
      *"Permission denied"*) echo "$m denied" ;;
      *) echo "$m failed ${e##*: }" ;;
    esac
  elif [ -d "$1" ]; then echo "$m directory"
  elif [ ! -f "$1" ]; then echo "$m special"
  elif [ ! -r "$1" ]; then echo "$m denied"
  else
    echo "$m numbers"; ls -ldn$3 -- "$1"; echo "$m names"; ls -ld$3 -- "$1"
    echo "$m content"; od -An -v -tx1 < "$1" && echo "$m end"
  fi
}
"""
# os.path.expandvars's variables: $name and ${name}, replaced when the environment has them.
_VARIABLE = re.compile(r"\$(\w+|\{[^}]*\})", re.ASCII)
_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# ~ and ~user (a name the shell's own tilde expansion may be given), after the variables, as os.path.expanduser.
_EXPAND_HOME = r"""case $p in "~"*)
  u=${p%%/*}; u=${u#"~"}
  case $u in [-+]* | *[!A-Za-z0-9._-]*) ;; *) eval "h=~$u"; case $h in "~"*) ;; *) p=$h${p#"~$u"} ;; esac ;; esac ;;
esac
"""
# The write (step 3), after the path is in $p and umask 077: write_file NEW_SIZE KEPT OWNER GROUP MODE WAS (WAS: "file" or
# "none"), the new text then the old one on standard input. $t is set once the new file is the script's own, so that only it is removed.
# With SELinux on, the new file gets the SELinux context atomic_move gives it: the old file's, or the path's default.
WRITE_SCRIPT = r"""
write_file() {
  case $p in */*) d=${p%/*}; d=${d:-/} ;; *) d=. ;; esac
  [ -d "$d" ] && [ ! -L "$p" ] || return 1
  c=''
  if [ -e /sys/fs/selinux/enforce ]; then
    if [ "$6" = file ]; then c=$(stat -c %C -- "$p"); else c=$(matchpathcon -n -- "$p"); fi && [ -n "$c" ] || return 1
  fi
  n="$d/.${p##*/}.$m.tmp"
  (set -C; : > "$n") 2>/dev/null || return 1
  t=$n
  dd ibs=1 count="$1" of="$t" 2>/dev/null && [ "$(($(wc -c < "$t")))" -eq "$1" ] || return 1
  [ -z "$2" ] || chown -- "$2" "$t" 2>/dev/null
  [ -z "$3" ] || chown -- "$3" "$t" 2>/dev/null || return 1
  [ -z "$4" ] || chgrp -- "$4" "$t" 2>/dev/null || return 1
  chmod "$5" "$t" && { sync -- "$t" 2>/dev/null || :; } || return 1
  [ -z "$c" ] || chcon -- "$c" "$t" 2>/dev/null || return 1
  if [ "$6" = file ]; then [ -f "$p" ] && [ ! -L "$p" ] && cmp -s - "$p"; else [ ! -e "$p" ] && [ ! -L "$p" ]; fi || return 1
  mv -f -- "$t" "$p" || return 1
  t=''
  echo "$m written"; echo "$m numbers"; ls -ldn -- "$p"; echo "$m names"; ls -ld -- "$p"
}
"""
_MODE_BITS = (0o400, 0o200, 0o100, 0o40, 0o20, 0o10, 0o4, 0o2, 0o1)
_SPECIAL_BITS = {3: (0o4000, "sS"), 6: (0o2000, "sSl"), 9: (0o1000, "tT")}
_KINDS = {
    "directory": "%(path)s is a directory. Give the path of a file in option path",
    "special": "%(path)s is not a regular file. Give the path of a regular file in option path",
    "denied": "%(path)s cannot be read: permission denied. Run the task with become (and become_user), or let the remote user "
              "read the file",
    "failed": "%(path)s cannot be read: %(detail)s. Give the path of a readable file in option path",
}


class HostFailure(Exception):
    """The host could not read or write the file; ``result`` is what of the host's answer may be shown."""

    def __init__(self, result):
        super().__init__(result.get("msg"))
        self.result = result


class PreviousProblem(ValueError):
    """The option ``_previous`` is not a read this write can use; the message says why and how to fix it."""


def new_marker():
    """The marker of one read's answer lines: new for every read, so that nothing else the host prints is taken for it."""
    return "zendesk_token_file-%s" % secrets.token_hex(8)


def path_assignment(path):
    """Shell code that sets $p to ``path`` expanded as the module's ``type: path`` does, never evaluating ``path`` itself."""
    lines, start = ["p=''"], 0
    for match in _VARIABLE.finditer(path):
        name = match.group(1)[1:-1] if match.group(1).startswith("{") else match.group(1)
        if _SHELL_NAME.match(name):
            lines.append("p=${p}%s" % shlex.quote(path[start:match.start()]))
            lines.append('if [ "${%s+set}" = set ]; then p=${p}$%s; else p=${p}%s; fi' % (name, name, shlex.quote(match.group(0))))
            start = match.end()
    lines.append("p=${p}%s" % shlex.quote(path[start:]))
    if len(lines) == 2:
        lines = ["p=%s" % shlex.quote(path)]
    return "\n".join(lines) + "\n" + (_EXPAND_HOME if path[:1] in ("~", "$") else "")


def read_command(path, follow, marker):
    """The shell command that reads ``path`` on the host (step 1), its answer lines marked with ``marker``.

    It ends without a newline: ansible-core 2.18 appends `` && sleep 0`` to the command, which must continue its last line.
    """
    return "LC_ALL=C; export LC_ALL\nm=%s\n%s%sprint_state \"$p\" %s" % (
        marker, path_assignment(path), READ_SCRIPT.lstrip("\n"), "follow L" if follow else "nofollow")


def mode_of(text):
    """The permission bits (as '%04o') of ``ls -l``'s mode text, such as '-rwsr-x---' (4750)."""
    bits = sum(bit for char, bit in zip(text[1:10], _MODE_BITS) if char in "rwxst")
    bits += sum(bit for index, (bit, chars) in _SPECIAL_BITS.items() if len(text) > index and text[index] in chars)
    return "%04o" % bits


def owner_and_group(numbers, names):
    """(owner, group) from the first lines of ``ls -ldn`` and ``ls -ld``; a name with white space in it is given as its number."""
    fields, named = numbers.split(), names.split()
    if len(named) != len(fields):
        return fields[2], fields[3]
    return named[2], named[3]


def _sections(stdout, marker):
    """{kind: (detail, the lines after it)} of the answer's marked lines; what came before the first is left out."""
    parts = re.split(r"^%s (\w+) ?([^\r\n]*?)\r?$" % re.escape(marker), stdout, flags=re.MULTILINE)
    return {kind: (detail, body.strip("\r\n").splitlines()) for kind, detail, body in zip(parts[1::3], parts[2::3], parts[3::3])}


def _attributes(sections):
    """The file's attributes (mode, owner, group, uid, gid) from its sections numbers and names."""
    numbers, names = sections["numbers"][1][0], sections["names"][1][0]
    fields = numbers.split()
    owner, group = owner_and_group(numbers, names)
    return dict(mode=mode_of(fields[0]), owner=owner, group=group, uid=int(fields[2]), gid=int(fields[3]))


def _file_state(sections, path):
    """The state of a regular file from its sections (numbers, names, content, end)."""
    try:
        text = bytes.fromhex("".join(sections["content"][1])).decode("utf-8")
    except UnicodeDecodeError:
        raise HostFailure(dict(msg="%s is not UTF-8 text. Convert the file to UTF-8, or choose another file in option path" % path)) from None
    return dict(_attributes(sections), exists=True, content=text, link=False)


def state_from_answer(answer, marker, path):
    """The file's state from what the read command returned (stdout, stderr, rc); HostFailure when it cannot be read."""
    sections = _sections(answer.get("stdout") or "", marker)
    kind = next(iter(sections), None)
    if kind in _KINDS:
        raise HostFailure(dict(msg=_KINDS[kind] % dict(path=path, detail=sections[kind][0])))
    if kind in ("missing", "link"):
        return dict(dict.fromkeys(ATTRIBUTES), exists=False, content="", link=kind == "link")
    try:
        if kind == "numbers" and "end" in sections and answer.get("rc") == 0:
            return _file_state(sections, path)
    except (IndexError, KeyError, ValueError):
        pass
    error = (answer.get("stderr") or "").strip()
    raise HostFailure(dict(rc=answer.get("rc"), msg="The host could not read the file (exit status %s)%s. %s"
                                                    % (answer.get("rc"), ": " + error if error else "", SHELL_FIX)))


def state_from_previous(previous, path):
    """The file as the registered read ``previous`` saw it (step 4); PreviousProblem when that is no usable read of ``path``."""
    if not isinstance(previous, dict) or previous.get("failed") or previous.get("skipped") or \
            "content" not in previous or "exists" not in previous:
        raise PreviousProblem("_previous is not the registered result of a successful read with return_content: true. "
                              "Register a read of this path made with return_content: true and give it as _previous")
    if previous.get("path") != path:
        raise PreviousProblem("_previous is the read of %s, not of this path. Give as _previous the registered read of the "
                              "same path" % previous.get("path"))
    return {name: previous.get(name) for name in STATE}


def checksum(state):
    """What the write compares before it writes (step 3): the sha256 of the text a read saw, '' for no file."""
    return _token_file_read.checksum(state["content"].encode("utf-8") if state["exists"] else None)


def write_command(options, new_text, state, marker):
    """(command, standard input) of the shell write of ``new_text`` over the file a read saw as ``state`` (step 3), its
    answer marked with ``marker``; None when only the module can write it as asked (follow, backup, a symbolic mode, a
    symbolic link at the path). Ends without a newline, as ``read_command``."""
    mode = octal_mode(options["mode"])
    if options["follow"] or options["backup"] or mode is None or state.get("link"):
        return None
    new, old = new_text.encode("utf-8"), state["content"].encode("utf-8") if state["exists"] else b""
    kept = "%s:%s" % (state["uid"], state["gid"]) if state["exists"] and state.get("uid") is not None else ""
    arguments = (len(new), kept, options["owner"] or "", options["group"] or "", "%04o" % mode, "file" if state["exists"] else "none")
    command = "LC_ALL=C; export LC_ALL; umask 077\nm=%s\n%s%st=''\nwrite_file %s || { [ -z \"$t\" ] || rm -f -- \"$t\"; echo \"$m defer\"; }" % (
        marker, path_assignment(options["path"]), WRITE_SCRIPT.lstrip("\n"), " ".join(shlex.quote(str(argument)) for argument in arguments))
    return command, new + old


def written_attributes(answer, marker):
    """The attributes of the file the shell write made (step 3), from its answer (unknown ones None); None when it did
    not write (it deferred to the module)."""
    sections = _sections(answer.get("stdout") or "", marker)
    if "written" not in sections:
        return None
    try:
        return _attributes(sections)
    except (IndexError, KeyError, ValueError):
        return dict.fromkeys(ATTRIBUTES)


def write_arguments(options, new_text, state):
    """The module's arguments for writing ``new_text`` over the file a read saw as ``state`` (step 3)."""
    return dict({name: options[name] for name in WRITE_OPTIONS}, **{CONTENT: new_text, CHECKSUM: checksum(state)})


def take_write_request(params):
    """The module's side of step 3: remove the internal arguments from ``params``; (new text, checksum), None for a read."""
    content, expected = params.pop(CONTENT, None), params.pop(CHECKSUM, "")
    return None if content is None else (content, expected)

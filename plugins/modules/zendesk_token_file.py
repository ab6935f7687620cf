#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: zendesk_token_file
short_description: Read or set the Zendesk OAuth token in an application's config file (env, JSON, YAML, ini, template)
version_added: 0.1.0
description:
  - Reads what a config file on the managed host holds at a key (O(key)) and, given O(value), makes the file
    hold that value there, keeping everything else in the file.
  - B(This module does not talk to Zendesk.) It has no connection options and is not part of the
    C(group/obscura.zendesk.zendesk) action group. Get a token with M(obscura.zendesk.zendesk_oauth_token),
    or let the role C(obscura.zendesk.oauth_token) do both.
  - The format work (parsing and writing env, JSON, YAML, ini and templates) runs on the controller, in the
    action plugin. A read is one POSIX shell command sent through the connection (with become if the task uses it);
    C(test), C(ls) and C(od) tell the file's kind, owner, group and mode and send its bytes. It needs no Python on the
    host, so no interpreter is discovered or started and no module payload is sent. A write is a read plus one more
    shell command, none when the file already holds the value with the wanted O(owner), O(group) and O(mode). So a
    re-run that changes nothing costs one shell command per host.
  - The write's shell command (C(dd), C(chown), C(chgrp), C(chmod), C(cmp), C(mv); with SELinux on, C(stat),
    C(matchpathcon) and C(chcon) give the new file the old one's context or the path's default one) gets the new
    text on its standard input, never in its command line. Where it cannot write exactly as the module would, it
    changes nothing and the module (the host's Python and its standard library) writes instead, in one more
    execution, with O(follow), O(backup) or a symbolic O(mode), when only O(owner), O(group) or O(mode) change, when
    the connection cannot take standard input (it cannot pipeline, or become is C(su)), and whenever the command
    meets a problem (no directory, an unknown owner, a file changed since the read, an SELinux context it cannot
    set), so that the module's message tells what went wrong.
  - The file is replaced atomically, as M(ansible.builtin.lineinfile) does (a temporary file in the same directory,
    renamed over it), then given O(owner), O(group) and O(mode). The write happens only if the file still has the
    content that was read (checked on the host).
  - A symbolic link at O(path) is not followed (see O(follow)); it reads as no file (RV(exists=false), with a
    warning), and a write replaces the link with a regular file. Nothing is read from, written to, chowned or
    chmodded at the link's target.
  - A successful result that carries the value (RV(value)) or the file (RV(content)) is hidden from every
    display callback, as with C(no_log), while C(register) still holds it. Failures stay visible and never
    show the value or the file's content. Use C(no_log) on tasks that pass the value on.
  - Check mode reads, predicts C(changed) and the diff, and writes nothing.
  - Diff mode shows the file's change with the old value replaced by "<zendesk token (old)>" and the new one by
    "<zendesk token (new)>"; this action prints the diff itself, since the result is hidden. The rest of the
    file is shown as it is, so keep other secrets out of that file, or turn diff mode off for the task (the
    C(diff) keyword set to V(false)).
  - Bad input fails with a message naming the host, the file and the fix, and nothing is written. This covers a
    file that is not valid for its O(format), a O(key) path through something that is not a mapping, a missing
    O(template), a file that cannot be read, and a directory at O(path).
author:
  - Obscura Zendesk maintainers (@obscura)
extends_documentation_fragment:
  - action_common_attributes
  - action_common_attributes.flow
  - action_common_attributes.files
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  check_mode:
    support: full
  diff_mode:
    support: full
  platform:
    platforms: posix
  safe_file_operations:
    support: full
  vault:
    support: none
options:
  path:
    description:
      - The config file on the managed host. Its directory must exist.
      - A missing or empty file holds nothing (RV(held=false)); writing creates it.
    type: path
    required: true
  format:
    description:
      - How the file is laid out. Only the key's value changes in a write; what else is kept depends on the format.
      - Each format is read as the readers applications use read it. The value held is the one every reader reads; a
        file that readers read differently at the key is refused with the fix, and nothing is written. A write is
        kept only when every reader that could read the file before reads the new value at the key and exactly what
        it read before everywhere else. Only the value changes; line ends (LF, CRLF, CR), a byte-order mark,
        comments, quotes and the key's place are kept.
      - 'V(env): read as python-dotenv and a POSIX shell (C(. file)) read it: C(KEY=value), C(export KEY=value), quotes
        (also over several lines), C(KEY= # comment); the last assignment counts. A shell does not read files with CR
        line ends (it keeps the CR in values), so those are read as python-dotenv reads them; a name that is not a shell
        variable (a dotted one) is python-dotenv''s alone. Refused, as the readers disagree: C(KEY = value), a quoted
        name, a byte-order mark before the key on the first line, C(export KEY) after an assignment, a value with
        C(${...}). A missing key is appended as C(KEY=value) (with C(export) when every other assignment has it); a
        value is written unquoted, or in quotes both readers read alike. Another variable whose value refers to the key
        (C(URL=...$KEY)) follows it, as it says.'
      - 'V(ini): read as Python''s configparser reads it with its defaults (and with C(allow_no_value), as for C(my.cnf)):
        names without case, continuation lines, C([DEFAULT]) inherited, C(=) or C(:), whole-line comments. Readers
        differ on inline comments (configparser keeps C(value ; comment) as the value, PHP and MySQL do not), quotes
        (part of the value for configparser) and C(%): such a value at the key is refused, as are the key or its section
        twice and a header with spaces inside its brackets (C([ zendesk ])). A missing key is added at the end of its
        section, in that section''s separator style; a missing section is appended.'
      - 'V(json): a JSON object (RFC 8259; a byte-order mark is skipped and kept). The value is replaced where it is, a
        missing key is inserted after the last member of its object, in that object''s layout; everything else is kept
        byte for byte (numbers such as C(1e400) too). C(NaN) and C(Infinity), and a name twice on the key''s path, are
        refused.'
      - 'V(yaml): a YAML mapping (one document), read as PyYAML (YAML 1.1) and ruamel.yaml (YAML 1.2) read it. A value in
        the file is replaced where it is, in its quotes, so directives (C(%YAML 1.1)), comments, anchors and numbers
        such as C(0644) are kept. A key under an anchored node or an alias (which would change every alias) is refused.
        A missing key is added with the Python package C(ruamel.yaml) on the B(controller) (comments, order, quotes and
        the YAML version kept); without it the file is rewritten by PyYAML (comments and quotes lost), with a warning
        saying so; install it with C(python3 -m pip install ruamel.yaml) in the Python environment of ansible-core. The
        managed host never needs it.'
      - 'V(template): the whole file is rendered from O(template). It is written when the rendering differs from the
        file.'
    type: str
    choices: [env, json, yaml, ini, template]
    default: env
  key:
    description:
      - Where the value is in the file.
      - 'With O(format=env), a variable name; default V(ZENDESK_OAUTH_TOKEN). Example: V(APP_ZENDESK_TOKEN) for the
        line C(export APP_ZENDESK_TOKEN="...").'
      - 'With O(format=json) and O(format=yaml), a key or a dotted path of keys; default V(zendesk.oauth_token).
        Example: V(services.zendesk.token) for C({"services": {"zendesk": {"token": "..."}}}). Missing mappings on
        the path are created; a path through something that is not a mapping (a list, a string) is an error.'
      - 'With O(format=ini), C(section.key), split at the first dot; default V(zendesk.oauth_token), the key
        C(oauth_token) in C([zendesk]). Example: V(PHP.session.name) is the key C(session.name) in C([PHP]).'
      - With O(format=template), only reported back in RV(key) (default V(ZENDESK_OAUTH_TOKEN)); the template
        decides where the value goes.
    type: str
  template:
    description:
      - With O(format=template) (and only then, where it is required), the template on the controller, searched
        like the C(src) of M(ansible.builtin.template) (a role's C(templates/) directory, the playbook's, or a path).
      - 'It is rendered with the task''s variables and C(oauth_token_value), the value. Example: a template
        C(token = {{ oauth_token_value }}).'
      - To find the value a file holds, the template is rendered with a marker as the value; the file must match
        the rendering, the same value at every place of the marker. If other parts of the file differ, the lines
        around the marker decide. A template that transforms the value (a filter on C(oauth_token_value)) needs
        O(template_regex).
    type: path
  template_regex:
    description:
      - With O(format=template), a regular expression (Python syntax, multiline mode) whose first group is the
        value the file holds, instead of matching the rendered template.
    type: str
  value:
    description:
      - The value the file must hold at O(key), typically an OAuth access token. It is hidden like a C(no_log)
        option.
      - Omitted, the module only reads (RV(changed) is always false). An empty value, or one with a line break,
        is an error.
      - Ad hoc, a failure that ansible-core reports before this action runs (such as an unquoted space in C(-a),
        which makes raw parameters) shows the arguments as typed. There, give the value through a variable rather
        than literally, such as C(value={{ new_token }}) with C(-e @token.yml), or the P(ansible.builtin.env#lookup)
        lookup.
    type: str
  values:
    description:
      - Several keys to write in one task, as a mapping of key (as in O(key)) to value, instead of O(key) and O(value).
        The file is written once, atomically, holding every value. Hidden like O(value); each value must be a
        non-empty string on one line.
      - Only with O(format=env), V(json), V(yaml) and V(ini). No key may be a part of another (such as V(zendesk) and
        V(zendesk.token)).
      - 'Example: V({"ZENDESK_OAUTH_CLIENT_IDENTIFIER": "myapp", "ZENDESK_OAUTH_CLIENT_SECRET": "..."}).'
    type: dict
  keys:
    description:
      - Several keys to read in one task (a list of keys as in O(key)), instead of O(key). RV(held_values) returns what the
        file holds at each.
      - Only with O(format=env), V(json), V(yaml) and V(ini).
    type: list
    elements: str
  owner:
    description: Owner of the file (name or uid), enforced on every write. Setting another user usually needs C(become).
    type: str
  group:
    description: Group of the file (name or gid), enforced on every write.
    type: str
  mode:
    description:
      - Permissions of the file, enforced on every write (a change of mode alone reports RV(changed)). Octal as a
        string (V('0600')), an integer (YAML C(0600) is 384), or symbolic (V(u=rw,g=,o=)).
      - A symbolic mode cannot be compared on the controller, so a write with it always runs on the host (it still
        changes nothing when nothing differs).
    type: raw
    default: '0600'
  backup:
    description: Keep a timestamped copy of the file before replacing its content (RV(backup_file)).
    type: bool
    default: false
  return_content:
    description:
      - Return the file's whole text in RV(content).
    type: bool
    default: false
  follow:
    description:
      - What to do when O(path) is a symbolic link.
      - V(false) (the default), as with M(ansible.builtin.copy) and C(community.general.ini_file), the link is not
        followed. It reads as no file, and a write replaces the link itself with a regular file with O(owner),
        O(group) and O(mode). The link's target is never read, written, chowned or chmodded. Symbolic links among
        the directories of O(path) are followed either way, as by every file module.
      - V(true) reads and writes the file the link points to, and gives B(that) file O(owner), O(group) and O(mode).
        B(Risk:) whoever can write the directory of O(path) (say, the application's user in its own config directory)
        can point the link at any file, such as C(/etc/sudoers); a run with C(become) then writes the token into that
        file and hands it to O(owner). Use it only where nobody but root can write that directory.
    type: bool
    default: false
notes:
  - The file must be UTF-8 text.
  - The value is transferred to the host on the write command's standard input, or inside the module's arguments
    when the module writes, as with M(ansible.builtin.copy) and C(content).
  - A read runs one shell command on the host and no Python, and so does a write where it can. The shell write takes
    standard input where a module would be pipelined (pipelining is on, or nothing configured it and the task uses no
    C(become)). When the module writes, it runs pipelined (one command instead of six) on the same terms;
    ansible-core leaves pipelining off by default for sudo's C(requiretty) only. A pipelining setting of yours, on or
    off, is kept. The collection's other modules do the same.
seealso:
  - module: obscura.zendesk.zendesk_oauth_token
  - module: ansible.builtin.template
"""

EXAMPLES = r"""
- name: Read the token an application holds (register it; the result is hidden from display)
  obscura.zendesk.zendesk_token_file:
    path: /etc/myapp/zendesk.env
  register: held

- name: Write a token into an env file (ZENDESK_OAUTH_TOKEN=...), keeping every other line
  obscura.zendesk.zendesk_token_file:
    path: /etc/myapp/zendesk.env
    value: "{{ app_token.token.full_token }}"
    owner: myapp
    group: myapp
    mode: "0640"
  no_log: true

- name: The token under zendesk.oauth_token of a YAML file, comments kept
  obscura.zendesk.zendesk_token_file:
    path: /etc/myapp/config.yml
    format: yaml
    value: "{{ new_token }}"
  no_log: true

- name: Into section [zendesk], key oauth_token, of an ini file, with a backup
  obscura.zendesk.zendesk_token_file:
    path: /etc/myapp/app.ini
    format: ini
    key: zendesk.oauth_token
    value: "{{ new_token }}"
    backup: true
  no_log: true

- name: A file rendered from a template (templates/myapp.conf.j2 uses {{ oauth_token_value }})
  obscura.zendesk.zendesk_token_file:
    path: /etc/myapp/myapp.conf
    format: template
    template: myapp.conf.j2
    value: "{{ new_token }}"
  no_log: true

- name: Write the client's identifier and secret into one env file in one write
  obscura.zendesk.zendesk_token_file:
    path: /etc/myapp/zendesk.env
    values:
      ZENDESK_OAUTH_CLIENT_IDENTIFIER: myapp
      ZENDESK_OAUTH_CLIENT_SECRET: "{{ client_secret }}"
  no_log: true

- name: Read them back (register it; the result is hidden from display)
  obscura.zendesk.zendesk_token_file:
    path: /etc/myapp/zendesk.env
    keys: [ZENDESK_OAUTH_CLIENT_IDENTIFIER, ZENDESK_OAUTH_CLIENT_SECRET]
  register: credentials

- name: Write into the file a symbolic link points to (only where nobody but root can write /etc/myapp)
  obscura.zendesk.zendesk_token_file:
    path: /etc/myapp/current.env
    follow: true
    value: "{{ new_token }}"
  no_log: true
"""

RETURN = r"""
path:
  description: The file, as given in O(path).
  returned: always
  type: str
  sample: /etc/myapp/zendesk.env
format:
  description: The file's format (O(format)).
  returned: always
  type: str
  sample: env
key:
  description: The key used (O(key) or the format's default).
  returned: unless O(values) or O(keys) is given
  type: str
  sample: ZENDESK_OAUTH_TOKEN
exists:
  description: Whether the file exists (after the write; in check mode, before it).
  returned: always
  type: bool
held:
  description: Whether the file holds a non-empty value at the key (with O(keys) or O(values), at every key; after a
    write, true).
  returned: always
  type: bool
value:
  description:
    - On a read, the value the file holds at the key (empty when none); on a write, the value the file holds now
      (in check mode, would hold).
    - B(Secret.) A result with a non-empty value is hidden from display callbacks (as with C(no_log)); C(register)
      keeps it. Pass it on only in tasks with C(no_log).
  returned: unless O(values) or O(keys) is given
  type: str
held_values:
  description:
    - With O(keys), what the file holds at each key (empty when nothing); with O(values), what it holds now (in check
      mode, would hold).
    - B(Secret.) Hidden from display callbacks like RV(value); C(register) keeps it.
  returned: when O(values) or O(keys) is given
  type: dict
changed:
  description: Whether the file was (in check mode, would be) created, changed, or given another owner, group or mode.
  returned: always
  type: bool
mode:
  description: The file's permissions in octal (in check mode, as they would be when known); null when there is no file.
  returned: always
  type: str
  sample: "0600"
owner:
  description: The file's owner (a name, or the uid when the host has no name for it); null when there is no file.
  returned: always
  type: str
  sample: myapp
group:
  description: The file's group (a name, or the gid); null when there is no file.
  returned: always
  type: str
  sample: myapp
uid:
  description: The file's numeric owner; null when there is no file.
  returned: always
  type: int
gid:
  description: The file's numeric group; null when there is no file.
  returned: always
  type: int
content:
  description:
    - The file's whole text (after a write, the new text); empty when there is no file.
    - B(Secret), as it holds the value. A result with it is hidden from display callbacks; C(register) keeps it.
  returned: when O(return_content=true)
  type: str
backup_file:
  description: The backup copy made of the file before it was replaced.
  returned: when O(backup=true) and the file's content was replaced
  type: str
  sample: /etc/myapp/zendesk.env.12345.2026-12-03@10:00:00~
diff:
  description:
    - The file before and after, the old value replaced by "<zendesk token (old)>" and the new one by
      "<zendesk token (new)>". Not secret as far as the value goes; the rest of the file is shown as it is.
  returned: in diff mode, when the content changes
  type: dict
  contains:
    before:
      description: The file's text before.
      type: str
    after:
      description: The file's text after.
      type: str
"""

import grp
import os
import pwd

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.obscura.zendesk.plugins.module_utils._secret_file import replace_file
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_options import ARGUMENT_SPEC, octal_mode
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_protocol import take_write_request
from ansible_collections.obscura.zendesk.plugins.module_utils._token_file_read import (
    MISSING,
    ReadProblem,
    attributes,
    checksum,
    file_state,
    read_bytes,
)


class TokenFileModule(AnsibleModule):
    """AnsibleModule that takes out the write request only the action plugin sends (_token_file_protocol, step 3)."""

    def _load_params(self):
        super()._load_params()
        self.write_request = take_write_request(self.params)
        if self.write_request:
            self.no_log_values.add(self.write_request[0])


def fail(module, problem, fix):
    """Fail with a message saying what is wrong and how to fix it."""
    module.fail_json(msg="%s. %s" % (problem, fix))


def predicted(module, st):
    """The attributes the file would have after a write in check mode."""
    params = module.params
    current = attributes(st) if st else dict(MISSING)
    wanted = octal_mode(params["mode"])
    current["mode"] = "%04o" % wanted if wanted is not None else current["mode"]
    current.update({name: params[name] for name in ("owner", "group") if params[name]})
    return current


def target_of(module, path):
    """The file the module works on: ``path`` itself, or with follow=true what a symbolic link there points to."""
    return os.path.realpath(path) if module.params["follow"] else os.path.abspath(path)


def unknown_owner_or_group(owner, group):
    """Which of ``owner`` and ``group`` (names or numeric ids) this host does not know, as a sentence; None if both are known."""
    unknown = []
    for kind, name, lookup in (("owner", owner, pwd.getpwnam), ("group", group, grp.getgrnam)):
        if name and not str(name).isdigit():
            try:
                lookup(name)
            except KeyError:
                unknown.append("%s %r" % (kind, name))
    return " and ".join(unknown) or None


def write(module, path):
    """Make the file hold the new text with the wanted attributes, if it still has the content that was read."""
    params = module.params
    unknown = unknown_owner_or_group(params["owner"], params["group"])
    if unknown:
        fail(module, "This host has no %s, so %s was not written" % (unknown, path),
             "Create the user or group first (ansible.builtin.user, ansible.builtin.group), or set owner and group to ones "
             "the host has (in the role: oauth_token_owner, oauth_token_group)")
    target = target_of(module, path)
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        fail(module, "The directory %s does not exist" % directory,
             "Create it first (ansible.builtin.file with state=directory), or give another path")
    current, st = read_bytes(target, params["follow"])
    new_text, expected = module.write_request
    if checksum(current) != expected:
        fail(module, "%s changed since it was read" % path, "Nothing was written; run the task again (read again first)")
    data = new_text.encode("utf-8")
    result = {}
    if current == data:
        arguments = module.load_file_common_arguments(dict(mode=params["mode"], owner=params["owner"], group=params["group"]), path=target)
        result["changed"] = module.set_fs_attributes_if_different(arguments, False)
    elif module.check_mode:
        result["changed"] = True
    else:
        if params["backup"] and current is not None:
            result["backup_file"] = module.backup_local(target)
        try:
            replace_file(module, target, data, params["mode"], params["owner"], params["group"])
        except OSError as err:
            fail(module, "%s cannot be written: %s" % (path, err.strerror),
                 "Nothing was changed; make the directory writable for the remote user (or use become) and check its free space")
        result["changed"] = True
    result.update(predicted(module, st) if module.check_mode else attributes(os.stat(target)))
    return result


def main():
    """Read the file, or write it when the action plugin sends the new content."""
    module = TokenFileModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    path = module.params["path"]
    try:
        if module.write_request is None:
            result = dict(file_state(path, module.params["follow"]), changed=False)
        else:
            result = write(module, path)
    except ReadProblem as err:
        module.fail_json(msg=str(err))
    module.exit_json(**result)


if __name__ == "__main__":
    main()

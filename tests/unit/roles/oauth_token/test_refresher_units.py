# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The refresher's files as they land on a host: the program's Python 3.8 syntax, the systemd units (systemd-analyze
verify), the cron entry, and a schedule that runs at least twice in every renewal window.

The program's behaviour is tested against the simulator in tests/integration/test_refresher.py.
"""

from __future__ import annotations

import ast
import os
import pathlib
import re
import shutil
import subprocess
import sys

import jinja2
import pytest

ROLE = pathlib.Path(__file__).resolve().parents[4] / "roles" / "oauth_token"
COLLECTION = ROLE.parents[1]
NAME = "myapp"
DAY = 24 * 60
# renew_before values: Zendesk's shortest lifetime's third, a few hours, and the most below the longest lifetime.
RENEW_BEFORE = (360, 600, 1200, 3599, 3600, 28800, 43200, 100000, 172798)


def variables(renew_before):
    """The role variables the templates read."""
    return dict(oauth_token_refresher_name=NAME, oauth_token_refresher_dir="/etc/zendesk-token/" + NAME,
                oauth_token_refresher_program="/usr/local/libexec/zendesk-token-refresh", oauth_token_dest="/etc/myapp/app.env",
                oauth_token_renew_before=renew_before, __oauth_token_python=sys.executable)


def render(template, renew_before):
    """A role template rendered as ansible.builtin.template renders it (trim_blocks; the one Ansible filter they use)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(ROLE / "templates")), trim_blocks=True,
                                     keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    environment.filters["dirname"] = os.path.dirname
    return environment.get_template(template).render(variables(renew_before))


def setting(text, name):
    """The value of ``name=`` in a unit file's text."""
    return re.search(r"^%s=(.*)$" % name, text, re.M).group(1)


def schedule_entry(renew_before):
    """The cron entry's time fields and its --delay."""
    line = [line for line in render("zendesk-token-refresh.cron.j2", renew_before).splitlines() if line[:1] in "*0123456789"][0]
    fields = line.split()
    return fields[:5], int(fields[-1])


def run_minutes(minute, hour):
    """The minutes of a day at which cron fields ``*/N`` or ``0`` (minute) and ``*``, ``*/N`` (hour) fire."""
    def values(field, size):
        return range(0, size, int(field[2:])) if field.startswith("*/") else range(size) if field == "*" else [int(field)]
    return sorted(h * 60 + m for h in values(hour, 24) for m in values(minute, 60))


def longest_gap(minutes):
    """The longest time between two runs, the day wrapping around."""
    return max(later - earlier for earlier, later in zip(minutes, minutes[1:] + [minutes[0] + DAY]))


@pytest.mark.parametrize("path", [ROLE / "files" / "zendesk-token-refresh"] + [
    COLLECTION / name for name in (ROLE / "files" / "refresher-library.txt").read_text(encoding="utf-8").split()])
def test_program_and_library_are_python_3_8(path):
    """The host's Python may be 3.8: no syntax of a later version in the program and the files it imports."""
    ast.parse(path.read_text(encoding="utf-8"), str(path), feature_version=(3, 8))


def test_program_is_executable_with_a_python_shebang():
    """Units and cron name the host's Python; the role puts it into the installed program's first line for hand runs."""
    program = ROLE / "files" / "zendesk-token-refresh"
    assert program.read_text(encoding="utf-8").startswith("#!/usr/bin/env python\n") and os.access(program, os.X_OK)


@pytest.mark.parametrize("renew_before", RENEW_BEFORE)
def test_runs_at_least_twice_in_every_renewal_window(renew_before):
    """Longest gap plus the random delay below half of renew_before: two runs in any renew_before long window."""
    (minute, hour, *every_day), delay = schedule_entry(renew_before)
    assert every_day == ["*", "*", "*"]
    assert (longest_gap(run_minutes(minute, hour)) * 60 + delay) * 2 <= renew_before


@pytest.mark.parametrize("renew_before", RENEW_BEFORE)
def test_the_timer_runs_when_cron_does(renew_before):
    (minute, hour, *_days), delay = schedule_entry(renew_before)
    timer = render("zendesk-token-refresh@.timer.d.conf.j2", renew_before)
    systemd = {"*": "*"}
    as_systemd = [systemd.get(field, field.replace("*/", "0/")) for field in (hour, minute)]
    assert setting(timer, "OnCalendar") == "*-*-* %s:%s:00" % tuple(as_systemd)
    assert int(setting(timer, "RandomizedDelaySec")) == delay


def test_cron_entry_runs_the_program_as_root_and_at_boot():
    lines = [line for line in render("zendesk-token-refresh.cron.j2", 28800).splitlines() if line and not line.startswith("#")]
    command = "%s -I /usr/local/libexec/zendesk-token-refresh /etc/zendesk-token/myapp/config.json" % sys.executable
    assert lines == ["SHELL=/bin/sh", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                     "0 */2 * * * root %s --delay 2400" % command, "@reboot root %s --delay 120" % command]


def test_service_drop_in_runs_the_instance_and_may_write_only_its_places():
    drop_in = render("zendesk-token-refresh@.service.d.conf.j2", 28800)
    assert setting(drop_in, "ExecStart") == ("%s -I /usr/local/libexec/zendesk-token-refresh /etc/zendesk-token/myapp/config.json"
                                             % sys.executable)
    assert setting(drop_in, "ReadWritePaths") == "-/etc/myapp /etc/zendesk-token/myapp"


def install_units(directory, renew_before):
    """The units and the instance's drop-ins as the role lays them out in /etc/systemd/system."""
    for unit in ("zendesk-token-refresh@.service", "zendesk-token-refresh@.timer"):
        shutil.copy(ROLE / "files" / unit, directory / unit)
    for kind, name in (("service", "refresher.conf"), ("timer", "schedule.conf")):
        drop_ins = directory / ("zendesk-token-refresh@%s.%s.d" % (NAME, kind))
        drop_ins.mkdir()
        (drop_ins / name).write_text(render("zendesk-token-refresh@.%s.d.conf.j2" % kind, renew_before), encoding="utf-8")


@pytest.mark.parametrize("renew_before", (600, 28800))
def test_systemd_analyze_verify(tmp_path, renew_before):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    install_units(tmp_path, renew_before)
    units = ["zendesk-token-refresh@%s.service" % NAME, "zendesk-token-refresh@%s.timer" % NAME]
    result = subprocess.run([analyze, "verify"] + units, cwd=tmp_path, capture_output=True, text=True, check=False,
                            env=dict(os.environ, SYSTEMD_UNIT_PATH="%s:" % tmp_path))
    assert (result.returncode, result.stderr) == (0, "")


def test_systemd_analyze_verify_fails_without_the_instance_drop_in(tmp_path):
    """The check above would notice a drop-in that is not read: the service alone has no ExecStart=."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    install_units(tmp_path, 600)
    (tmp_path / ("zendesk-token-refresh@%s.service.d" % NAME) / "refresher.conf").unlink()
    result = subprocess.run([analyze, "verify", "zendesk-token-refresh@%s.service" % NAME], cwd=tmp_path, capture_output=True,
                            text=True, check=False, env=dict(os.environ, SYSTEMD_UNIT_PATH="%s:" % tmp_path))
    assert result.returncode != 0 and "no ExecStart=" in result.stderr

# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Snapshots and the closing summary of `make demo` (demo/run-demo).

  summary.py --url URL --demo-dir DIR snapshot N   save the simulator's counters and tokens after run N
  summary.py --url URL --demo-dir DIR advance SECONDS   move the simulator's clock forward
  summary.py --url URL --demo-dir DIR report HOST...   print what happened; exit 1 if the demo failed

Prints a token only as the prefix Zendesk itself shows on reads, never its value.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import stat
import sys
import urllib.request

from zendesk_simulator import seed

TOKEN_KEY = "ZENDESK_OAUTH_TOKEN"
RECAP = re.compile(r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)")


RUNS = (1, 2, 3)
APP_CLIENT_ID = seed.MY_APP_CLIENT_ID  # "OAuth client for my app": the fleet's tokens; Ansible's sessions are another client's


def call(url, path, body=None, token=None):
    """A request to the simulator (loopback); its JSON answer."""
    request = urllib.request.Request(f"{url.rstrip('/')}{path}", method="POST" if body is not None else "GET",
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310  # loopback simulator
        return json.load(response)


def control(url, path, body=None):
    """A simulator control endpoint (`/_sim/...`): GET, or POST with ``body``."""
    return call(url, f"/_sim/{path}", body)


def advance(args):
    """Move the simulator's clock forward."""
    print(f"Simulator clock: now {control(args.url, 'clock', {'advance': args.seconds})['now']}")


def snapshot_path(demo_dir, run):
    """Where the snapshot after run `run` (0: before the first run) is kept."""
    return os.path.join(demo_dir, f"snapshot-{run}.json")


def snapshot(args):
    """Save the simulator's request counters and token list (prefixes only)."""
    data = {"counters": control(args.url, "counters"), "tokens": control(args.url, "state")["tokens"]}
    with open(snapshot_path(args.demo_dir, args.run), "w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=1)


def load_snapshot(demo_dir, run):
    """Read a saved snapshot."""
    with open(snapshot_path(demo_dir, run), encoding="utf-8") as stream:
        return json.load(stream)


def calls_between(before, after):
    """API requests made between two snapshots: {"METHOD /path": count}."""
    calls = {}
    for key, count in after["counters"].items():
        if key == "connections":
            continue
        delta = count - before["counters"].get(key, 0)
        if delta:
            calls[key] = delta
    return calls


def recap(demo_dir, run):
    """The PLAY RECAP of a run's log: {host: {ok, changed, unreachable, failed}}."""
    hosts = {}
    with open(os.path.join(demo_dir, f"run{run}.log"), encoding="utf-8") as stream:
        for line in stream:
            match = RECAP.match(line.strip())
            if match:
                hosts[match.group("host")] = {key: int(value) for key, value in match.groupdict().items() if key != "host"}
    return hosts


def held_token(path):
    """The token value in an env file, or None."""
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            key, sep, value = line.strip().partition("=")
            if sep and key.removeprefix("export ").strip() == TOKEN_KEY:
                return value.strip().strip("'\"")
    return None


class Report:
    """Collects the summary lines and the failed expectations."""

    def __init__(self):
        self.problems = []

    def expect(self, condition, problem):
        """Record `problem` unless `condition` holds."""
        if not condition:
            self.problems.append(problem)
        return condition


def describe_calls(calls):
    """`3 (GET /api/v2/oauth/clients x1, ...)`."""
    total = sum(calls.values())
    detail = ", ".join(f"{key} x{count}" for key, count in sorted(calls.items()))
    return f"{total}" + (f" ({detail})" if detail else "")


def issued_per_run(snapshots, fleets=True):
    """The tokens each run had issued: [[token, ...] for run 1, 2, 3]; the fleet's, or else Ansible's own sessions."""
    known = {token["id"] for token in snapshots[0]["tokens"]}
    issued = []
    for run in RUNS:
        new = [token for token in snapshots[run]["tokens"] if token["id"] not in known]
        known.update(token["id"] for token in new)
        issued.append([token for token in new if (token["client_id"] == APP_CLIENT_ID) == fleets])
    return issued


def token_id_of(url, value):
    """The id of the token with this value (Zendesk's tokens/current as that token), or None."""
    try:
        return call(url, "/api/v2/oauth/tokens/current", token=value)["token"]["id"]
    except OSError:
        return None


def report_files(args, checks, token):
    """One line per host's file; the expectations on it (holds ``token``, mode 0600, other settings kept)."""
    print("Files after run 3:")
    for host in args.hosts:
        path = os.path.join(args.demo_dir, host, "app.env")
        value = held_token(path)
        mode = stat.S_IMODE(os.stat(path).st_mode)
        with open(path, encoding="utf-8") as stream:
            kept = [line.split("=", 1)[0] for line in stream if "=" in line and not line.startswith(TOKEN_KEY)]
        holds = bool(token and value and token_id_of(args.url, value) == token["id"])
        print(f"  {os.path.relpath(path)}  mode {mode:04o}  {TOKEN_KEY}={'<the renewed token>' if holds else '<NOT the renewed token>'}"
              f"  other settings kept: {', '.join(kept) or 'none'}")
        checks.expect(holds, f"{path} does not hold the token minted by run 3")
        checks.expect(mode == 0o600, f"{path} has mode {mode:04o}, expected 0600")
        checks.expect({"APP_NAME", "LOG_LEVEL"} <= set(kept), f"{path} lost its other settings")


def report_runs(args, checks, snapshots, minted):
    """One line per run: hosts changed, tokens minted and revoked, API calls, Ansible's sessions."""
    sessions_per_run = issued_per_run(snapshots, fleets=False)
    for run in RUNS:
        hosts = recap(args.demo_dir, run)
        calls = calls_between(snapshots[run - 1], snapshots[run])
        changed = sum(1 for host in args.hosts if hosts.get(host, {}).get("changed"))
        revoked = [token["id"] for token in snapshots[run]["tokens"] if token["revoked"] and token["client_id"] == APP_CLIENT_ID
                   and not any(old["id"] == token["id"] and old["revoked"] for old in snapshots[run - 1]["tokens"])]
        sessions = [token for token in sessions_per_run[run - 1] if token["revoked"]]
        print(f"Run {run}: hosts changed {changed} of {len(args.hosts)}, tokens minted {len(minted[run - 1])}, "
              f"Zendesk API calls {describe_calls(calls)}; fleet tokens revoked: {', '.join(map(str, revoked)) or 'none'}; "
              f"Ansible's own session tokens: {len(sessions_per_run[run - 1])} opened, {len(sessions)} revoked")
        checks.expect(len(sessions) == len(sessions_per_run[run - 1]) == 1, f"run {run} should open one session and revoke it")
        for host in args.hosts:
            result = hosts.get(host)
            checks.expect(result is not None, f"run {run}: no PLAY RECAP line for {host}")
            if result:
                checks.expect(not result["failed"] and not result["unreachable"], f"run {run}: {host} failed or was unreachable")
        if run == 2:
            checks.expect(changed == 0, f"run 2 should change nothing, it changed {changed} hosts")
        if run == 3:
            first = minted[0][0]["id"] if minted[0] else None
            checks.expect(revoked == [first], f"run 3 should revoke the token of run 1 ({first}), it revoked {revoked}")


def report(args):
    """Print the summary; return the exit status."""
    checks = Report()
    snapshots = [load_snapshot(args.demo_dir, run) for run in (0,) + RUNS]
    minted = issued_per_run(snapshots)
    for run, expected in zip(RUNS, (1, 0, 1)):
        checks.expect(len(minted[run - 1]) == expected, f"run {run} should mint {expected} token(s), it minted {len(minted[run - 1])}")
    for run, tokens in zip(RUNS, minted):
        for token in tokens:
            print(f"Token minted by run {run}: id {token['id']}, client {token['client_id']}, scopes {' '.join(token['scopes'])}, "
                  f"expires at {token['expires_at']}, prefix {token['token']}... (the part Zendesk shows; the value is only in "
                  f"the hosts' files)")
            checks.expect(token["expires_at"], f"the token of run {run} has no expiry")
    report_files(args, checks, minted[2][0] if minted[2] else None)
    report_runs(args, checks, snapshots, minted)
    if checks.problems:
        print("\nDemo FAILED:")
        for problem in checks.problems:
            print(f"  - {problem}")
        return 1
    print("\nDemo OK: one expiring token minted and deployed to every host; the second run changed nothing (changed=0) and "
          "minted nothing; inside the renewal window the third run deployed a new token and then revoked the old one.")
    return 0


def main(argv=None):
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the simulator's base URL")
    parser.add_argument("--demo-dir", required=True)
    commands = parser.add_subparsers(dest="command", required=True)
    snap = commands.add_parser("snapshot")
    snap.add_argument("run", type=int)
    rep = commands.add_parser("report")
    rep.add_argument("hosts", nargs="+")
    later = commands.add_parser("advance")
    later.add_argument("seconds", type=int)
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        snapshot(args)
        return 0
    if args.command == "advance":
        advance(args)
        return 0
    return report(args)


if __name__ == "__main__":
    sys.exit(main())

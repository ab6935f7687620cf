# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Snapshots and the closing summary of `make demo` (demo/run-demo).

  summary.py --url URL --demo-dir DIR snapshot N   save the simulator's counters and tokens after run N
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

TOKEN_KEY = "ZENDESK_OAUTH_TOKEN"
RECAP = re.compile(r"^(?P<host>\S+)\s+:\s+ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)")


def control(url, path):
    """GET a simulator control endpoint (`/_sim/...`) and return its JSON."""
    with urllib.request.urlopen(f"{url.rstrip('/')}/_sim/{path}", timeout=30) as response:  # nosec B310  # loopback simulator
        return json.load(response)


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


def report(args):
    """Print the summary; return the exit status."""
    checks = Report()
    snapshots = [load_snapshot(args.demo_dir, run) for run in (0, 1, 2)]
    known = {token["id"] for token in snapshots[0]["tokens"]}
    minted = []
    for run in (1, 2):
        new = [token for token in snapshots[run]["tokens"] if token["id"] not in known]
        known.update(token["id"] for token in new)
        minted.append(new)

    checks.expect(len(minted[0]) == 1, f"run 1 should mint exactly one token, it minted {len(minted[0])}")
    checks.expect(not minted[1], f"run 2 should mint no token, it minted {len(minted[1])}")
    token = minted[0][0] if minted[0] else None
    if token:
        print(f"Token minted by run 1: id {token['id']}, client {token['client_id']}, scopes {' '.join(token['scopes'])}, "
              f"prefix {token['token']}... (the part Zendesk shows; the value is only in the hosts' files)")

    print("Files written:")
    for host in args.hosts:
        path = os.path.join(args.demo_dir, host, "app.env")
        value = held_token(path)
        mode = stat.S_IMODE(os.stat(path).st_mode)
        with open(path, encoding="utf-8") as stream:
            kept = [line.split("=", 1)[0] for line in stream if "=" in line and not line.startswith(TOKEN_KEY)]
        holds = bool(token and value and value.startswith(token["token"]))
        print(f"  {os.path.relpath(path)}  mode {mode:04o}  {TOKEN_KEY}={'<the new token>' if holds else '<NOT the new token>'}"
              f"  other settings kept: {', '.join(kept) or 'none'}")
        checks.expect(holds, f"{path} does not hold the token minted by run 1")
        checks.expect(mode == 0o600, f"{path} has mode {mode:04o}, expected 0600")
        checks.expect({"APP_NAME", "LOG_LEVEL"} <= set(kept), f"{path} lost its other settings")

    for run in (1, 2):
        hosts = recap(args.demo_dir, run)
        calls = calls_between(snapshots[run - 1], snapshots[run])
        changed = sum(1 for host in args.hosts if hosts.get(host, {}).get("changed"))
        print(f"Run {run}: hosts changed {changed} of {len(args.hosts)}, tokens minted {len(minted[run - 1])}, "
              f"Zendesk API calls {describe_calls(calls)}")
        for host in args.hosts:
            result = hosts.get(host)
            checks.expect(result is not None, f"run {run}: no PLAY RECAP line for {host}")
            if result:
                checks.expect(not result["failed"] and not result["unreachable"], f"run {run}: {host} failed or was unreachable")
        if run == 2:
            checks.expect(changed == 0, f"run 2 should change nothing, it changed {changed} hosts")

    if checks.problems:
        print("\nDemo FAILED:")
        for problem in checks.problems:
            print(f"  - {problem}")
        return 1
    print("\nDemo OK: one token minted and deployed to every host; the second run changed nothing (changed=0) and minted nothing.")
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
    args = parser.parse_args(argv)
    if args.command == "snapshot":
        snapshot(args)
        return 0
    return report(args)


if __name__ == "__main__":
    sys.exit(main())

"""Benchmarks 1 and 2: the role vs the naive baseline playbook, and the role's re-run vs Ansible's floor.

For each host count N, each repetition starts from the simulator's seed and no token files, then runs
  role: first run, re-run, floor (slurp only, same files), after one host lost its file;
  baseline: first run, re-run, after one host lost its file.
The contenders swap order from one repetition to the next; API calls come from the simulator's counters.
Python starts on the hosts are counted by the hosts' Python interpreter, a wrapper that logs each start
(with pipelining, one start per module execution or run of the role's read script; the role's controller tasks
run on localhost, not counted).
"""

import shutil
import sys

from .env import BENCH_DIR, counting, simulator
from .measure import paired_ratios, summary, utc_now

PLAYBOOKS = {
    "role": BENCH_DIR / "playbooks" / "role.yml",
    "floor": BENCH_DIR / "playbooks" / "floor.yml",
    "baseline": BENCH_DIR / "baseline" / "naive.yml",
}
SEQUENCES = {
    "role": (("role", "first"), ("role", "rerun"), ("floor", "rerun"), ("role", "lost")),
    "baseline": (("baseline", "first"), ("baseline", "rerun"), ("baseline", "lost")),
}
TARGETS = {"rerun_reads": 2, "rerun_writes": 0, "first_calls": 3, "floor_ratio": 1.3, "floor_hosts": 50, "first_ratio": 1.0,
           "rerun_executions_per_host": 1}
INTERPRETER_WRAPPER = """#!/bin/sh
echo >> '{log}'
exec '{python}' "$@"
"""


class HostSet:
    """N local-connection hosts: an inventory, a directory holding each host's token file, a count of Python starts."""

    def __init__(self, workspace, count):
        self.count = count
        self.files = workspace.workdir / f"hosts-{count}"
        self.inventory = workspace.workdir / f"inventory-{count}.ini"
        self.executions_log = workspace.workdir / f"executions-{count}.log"
        interpreter = workspace.workdir / f"python-{count}"
        interpreter.write_text(INTERPRETER_WRAPPER.format(log=self.executions_log, python=sys.executable), encoding="utf-8")
        interpreter.chmod(0o755)
        names = [f"h{number:03d} ansible_connection=local ansible_python_interpreter={interpreter}" for number in range(1, count + 1)]
        self.inventory.write_text("[bench]\n" + "\n".join(names) + "\n", encoding="utf-8")

    def executions(self):
        """Module executions on the hosts since the last call."""
        started = self.executions_log.read_text(encoding="utf-8").count("\n") if self.executions_log.exists() else 0
        self.executions_log.unlink(missing_ok=True)
        return started

    def wipe(self):
        """No host holds a token file."""
        shutil.rmtree(self.files, ignore_errors=True)
        self.files.mkdir(parents=True)

    def lose_one(self):
        """The first host loses its file."""
        (self.files / "h001.env").unlink(missing_ok=True)


def play(workspace, context, hosts, contender, scenario):
    """Run one playbook on the hosts (context: simulator control, environment); return its wall time and API calls."""
    if scenario == "lost" and contender != "floor":
        hosts.lose_one()
    args = ["-i", str(hosts.inventory), "-e", f"bench_hosts_dir={hosts.files}", str(PLAYBOOKS[contender])]
    log = f"play-{contender}-{scenario}-{hosts.count}.log"
    control, env = context
    hosts.executions()
    run, calls = counting(control, lambda: workspace.run_ansible("ansible-playbook", args, env, log))
    return dict(calls, wall=run.wall, executions_per_host=hosts.executions() / hosts.count)


def repetition(workspace, sim, token, hosts, index):
    """One repetition of both sequences (order alternating with `index`); return {(contender, scenario): row}."""
    rows = {}
    context = (sim.control, workspace.ansible_env(sim, token))
    order = ("role", "baseline") if index % 2 == 0 else ("baseline", "role")
    for sequence in order:
        sim.control.reset()
        hosts.wipe()
        for contender, scenario in SEQUENCES[sequence]:
            rows[(contender, scenario)] = play(workspace, context, hosts, contender, scenario)
    return rows


def cell_summary(rows, key):
    """Summaries of every quantity measured for one (contender, scenario) over the repetitions."""
    metrics = ("wall", "reads", "writes", "calls", "connections", "executions_per_host")
    return {metric: summary([row[key][metric] for row in rows]) for metric in metrics}


def summarise(rows):
    """Per (contender, scenario): summaries of every measured quantity; plus pairwise ratios."""
    keys = rows[0].keys()
    cells = {f"{contender}/{scenario}": cell_summary(rows, (contender, scenario)) for contender, scenario in keys}
    walls = {key: [row[key]["wall"] for row in rows] for key in keys}
    ratios = {f"role/baseline {scenario}": paired_ratios(walls[("role", scenario)], walls[("baseline", scenario)])
              for scenario in ("first", "rerun", "lost")}
    ratios["role rerun/floor"] = paired_ratios(walls[("role", "rerun")], walls[("floor", "rerun")])
    return {"cells": cells, "ratios": ratios, "runs": len(rows)}


def run(workspace, host_counts, runs):
    """Benchmarks 1 and 2 for every host count; return {N: summarised results}."""
    results = {}
    with simulator() as (sim, token):
        for count in host_counts:
            hosts = HostSet(workspace, count)
            started = utc_now()
            rows = [repetition(workspace, sim, token, hosts, index) for index in range(runs)]
            results[str(count)] = dict(summarise(rows), measured=f"{started} – {utc_now()}")
    return {"hosts": results, "targets": TARGETS}

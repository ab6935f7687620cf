"""`python -m zbench.profile`: where the role's runs spend their time, per task and per host.

In benchmark 8's defaults set-up (local hosts, no pipelining, interpreter discovery), N hosts (10 by default):
  - every play once at -vvv: each host's commands per task (`EXEC` and `PUT` lines), by kind;
  - the role's first run and re-run with ansible.posix's profile_tasks callback: wall time per task;
  - the role's first run and re-run under cProfile (zbench.profiled): the controller's main process and each
    worker (one per host and task), CPU time per task and host, and the functions it goes to.
ansible.posix comes from the `ansible` package on PyPI (pip download, only that collection is unpacked).
Writes profile.json and profile.md (tables only) into the work directory; the -vvv output, which may quote
module arguments, is searched for the deployed value, counted, then deleted.
"""

import argparse
import collections
import json
import pathlib
import pstats
import re
import shutil
import statistics
import sys
import zipfile

from .env import BENCH_DIR, Workspace, simulator
from .measure import BenchError, load_average, run_process, utc_now
from .perhost import PLAYBOOKS, DefaultsSetup, Fleet
from .report import table

POSIX_PACKAGE = "ansible==12.3.0"  # the newest `ansible` whose ansible.posix has profile_tasks and runs on this core
POSIX_PREFIX = "ansible_collections/ansible/posix/"
TASK_LINE = re.compile(r"^(?:TASK|RUNNING HANDLER) \[(.*)\] \*+$")
HOST_LINE = re.compile(r"^<([^>]+)> (EXEC|PUT) (.*)$")
PROFILE_TASKS_LINE = re.compile(r"^(.*?) -+ (\d+\.\d+)s$")
EXEC_KINDS = (  # (kind, pattern of the command's first line), first match wins
    ("interpreter discovery", r"echo (FOUND|PLATFORM)"),
    ("home directory (echo ~)", r"echo ~"),
    ("temp dir: create", r"umask 77 && mkdir"),
    ("temp dir: remove", r"rm -f -r"),
    ("chmod of the module", r"chmod u\+"),
    ("module run (AnsiballZ)", r"AnsiballZ_"),
    ("python -c (read script)", r"python[\d.]* -c "),
    ("write command (sh: dd, chmod, cmp, mv)", r"LC_ALL=C; export LC_ALL; umask 077"),
    ("read command (sh: test, ls, od)", r"LC_ALL=C; export LC_ALL"),
    ("raw command", r"cat "),
)
TOP_FUNCTIONS = 12
# Waiting, not working: left out of the own-time tables (the main process waits for workers, workers for hosts).
WAITS = re.compile(r"method '(acquire|poll|select)'|fcntl\.flock|time\.sleep|posix\.waitpid|threading\.py|queues\.py"
                   r"|multiprocessing/connection\.py|selectors\.py")
# The main process's work per task and host: variables, templating, results, callbacks.
MAIN_WORK = re.compile(r"vars/manager\.py:\d+\(get_vars\)|strategy/__init__\.py:\d+\((_process_pending_results|_queue_task)\)"
                       r"|strategy/linear\.py:\d+\(run\)|task_queue_manager\.py:\d+\(send_callback\)"
                       r"|_templating/_engine\.py:\d+\(template\)|inventory/manager\.py:\d+\(parse_sources\)"
                       r"|plugins/loader\.py:\d+\(_load_plugin_filter\)|cli/__init__\.py:\d+\(cli_executor\)")


def ensure_posix(workspace):
    """A collections directory holding ansible.posix (downloaded once into the work directory)."""
    root = workspace.workdir / "posix-collection"
    if (root / POSIX_PREFIX / "plugins" / "callback" / "profile_tasks.py").exists():
        return root
    download = workspace.workdir / "posix-download"
    log = workspace.logs / "posix-download.log"
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", POSIX_PACKAGE, "-d", str(download)]
    if run_process(command, None, workspace.workdir, log).returncode != 0:
        raise BenchError(f"could not download {POSIX_PACKAGE} for ansible.posix's profile_tasks; see {log}")
    with zipfile.ZipFile(next(download.glob("ansible-*.whl"))) as wheel:
        wheel.extractall(root, [name for name in wheel.namelist() if name.startswith(POSIX_PREFIX)])
    shutil.rmtree(download)
    return root


def exec_kind(command):
    """What a command a host ran is for."""
    return next((kind for kind, pattern in EXEC_KINDS if re.search(pattern, command)), "other")


def count_commands(lines):
    """{task: {host: Counter(kind)}} from -vvv output: every EXEC (by kind) and PUT line under each task header."""
    counts = collections.defaultdict(lambda: collections.defaultdict(collections.Counter))
    task = "(before the first task)"
    for line in lines:
        header = TASK_LINE.match(line)
        if header:
            task = header.group(1)
            continue
        action = HOST_LINE.match(line)
        if action:
            host, verb, command = action.groups()
            counts[task][host]["PUT (file transfer)" if verb == "PUT" else exec_kind(command)] += 1
    return counts


def per_host(counts, hosts):
    """{task: {kind: commands per host}} over the fleet's hosts (the controller's `localhost` apart)."""
    result = {}
    for task, by_host in counts.items():
        kinds = collections.Counter()
        for host in hosts:
            kinds.update(by_host.get(host, {}))
        controller = dict(by_host.get("localhost", {}))
        result[task] = {"per_host": {kind: number / len(hosts) for kind, number in sorted(kinds.items())},
                        "controller": controller}
    return result


def profile_tasks_times(lines):
    """{task: seconds} from profile_tasks' summary at the end of the output."""
    times = {}
    for line in lines:
        match = PROFILE_TASKS_LINE.match(line.strip())
        if match:
            times[match.group(1).strip()] = float(match.group(2))
    return times


def function_name(key):
    """A pstats key as `file:line(function)`, the file shortened to its package path."""
    filename, line, name = key
    short = re.sub(r"^.*/(site-packages|ansible_collections)/", "", filename)
    return f"{short}:{line}({name})"


def top_functions(stats, sort_index, limit=TOP_FUNCTIONS, keep=lambda name: not WAITS.search(name)):
    """The functions with the most time: [(name, calls, own seconds, cumulative seconds)]; sort_index 2 own, 3 cumulative."""
    rows = [(function_name(key), value[1], value[2], value[3]) for key, value in stats.stats.items()]
    rows = [row for row in rows if keep(row[0])]
    return [list(row) for row in sorted(rows, key=lambda row: row[sort_index], reverse=True)[:limit]]


def cprofile_summary(outdir):
    """Worker CPU time per task (median per host, sum), each task's top functions, and the main process's."""
    by_task = collections.defaultdict(list)
    for sidecar in outdir.glob("worker-*.json"):
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        by_task[meta["task"]].append(sidecar.with_suffix(".prof"))
    tasks = {}
    for task, files in by_task.items():
        totals = [pstats.Stats(str(path)).total_tt for path in files]
        merged = pstats.Stats(*[str(path) for path in files])
        tasks[task] = {"workers": len(files), "median": statistics.median(totals), "sum": sum(totals),
                       "top_own": top_functions(merged, 2, 8)}
    main = pstats.Stats(str(outdir / "main.prof"))
    return {"tasks": tasks, "main": {"total": main.total_tt, "top_own": top_functions(main, 2),
                                     "work": top_functions(main, 3, keep=MAIN_WORK.search)}}


class Profiler:
    """The runs of one profile: a fleet in the defaults set-up, the simulator, the work directory."""

    def __init__(self, workspace, sim, token, count, posix):
        self.workspace, self.sim = workspace, sim
        self.setup = DefaultsSetup(workspace)
        self.fleet = Fleet(self.setup, count)
        self.env = self.setup.env(workspace.ansible_env(sim, token))
        self.env["ANSIBLE_COLLECTIONS_PATH"] += ":" + str(posix)
        self.hosts = [f"h{number:03d}" for number in range(1, count + 1)]

    def fresh(self):
        """The simulator's seed, no token files."""
        self.sim.control.reset()
        self.fleet.wipe()

    def args(self, play):
        """ansible-playbook's arguments for one play on the fleet."""
        return ["-i", str(self.fleet.inventory), "-e", f"bench_hosts_dir={self.fleet.files}", str(PLAYBOOKS[play])]

    def run(self, play, mode, extra_env=None, extra_args=()):
        """One play; its output lines (the log of this run only) and wall time."""
        log = self.workspace.logs / f"profile-{play}-{mode}.log"
        log.unlink(missing_ok=True)
        command = [str(pathlib.Path(sys.executable).parent / "ansible-playbook")] + list(extra_args) + self.args(play)
        run = run_process(command, dict(self.env, **(extra_env or {})), self.workspace.workdir, log)
        if run.returncode != 0:
            raise BenchError(f"{play} ({mode}) failed (exit {run.returncode}); see {log}")
        return log, run.wall

    def verbose(self, play):
        """Commands per host and task at -vvv; the log is deleted once counted (it may quote module arguments)."""
        log, wall = self.run(play, "vvv", extra_args=["-vvv"])
        text = log.read_text(encoding="utf-8", errors="replace")
        value = self.deployed_value()
        log.unlink()
        return {"wall": wall, "commands": per_host(count_commands(text.splitlines()), self.hosts),
                "value_in_output": text.count(value) if value else None}

    def deployed_value(self):
        """The token the first host's file holds, or None."""
        path = self.fleet.files / f"{self.hosts[0]}.env"
        if not path.exists():
            return None
        return path.read_text(encoding="utf-8").strip().partition("=")[2] or None

    def task_times(self, play):
        """profile_tasks' wall time per task."""
        log, wall = self.run(play, "profile_tasks", {"ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks"})
        return {"wall": wall, "tasks": profile_tasks_times(log.read_text(encoding="utf-8").splitlines())}

    def cprofiled(self, play, scenario):
        """The play under cProfile (main process and workers)."""
        outdir = self.workspace.workdir / f"cprofile-{scenario}"
        shutil.rmtree(outdir, ignore_errors=True)
        command = [sys.executable, "-m", "zbench.profiled", str(outdir)] + self.args(play)
        log = self.workspace.logs / f"profile-{scenario}-cprofile.log"
        log.unlink(missing_ok=True)
        env = dict(self.env, PYTHONPATH=str(BENCH_DIR))
        run = run_process(command, env, self.workspace.workdir, log)
        if run.returncode != 0:
            raise BenchError(f"{play} under cProfile failed (exit {run.returncode}); see {log}")
        return dict(cprofile_summary(outdir), wall=run.wall)

    def scenario(self, name, play, prepare):
        """-vvv, profile_tasks and cProfile of one play, each after `prepare()`."""
        result = {}
        for key, measure in (("vvv", self.verbose), ("profile_tasks", self.task_times),
                             ("cprofile", lambda p: self.cprofiled(p, name))):
            prepare()
            result[key] = measure(play)
        return result


def profile(workspace, count):
    """Every measurement of the profile; a dict for profile.json."""
    posix = ensure_posix(workspace)
    started, load_start = utc_now(), load_average()
    with simulator() as (sim, token):
        profiler = Profiler(workspace, sim, token, count, posix)
        results = {"role_first": profiler.scenario("role_first", "role_first", profiler.fresh)}
        # the first run's last run left every host provisioned; a re-run changes nothing
        results["role_rerun"] = profiler.scenario("role_rerun", "role_rerun", lambda: None)
        profiler.fresh()
        results["naive"] = {"vvv": profiler.verbose("naive")}
        results["raw_floor"] = {"vvv": profiler.verbose("raw_floor")}
    return {"hosts": count, "measured": f"{started} – {utc_now()}", "load": {"start": load_start, "end": load_average()},
            "plays": results}


def commands_table(plays):
    """Commands per host and task, by kind, for every play at -vvv."""
    rows = []
    for play, result in plays.items():
        for task, counts in result["vvv"]["commands"].items():
            kinds = ", ".join(f"{kind} {number:g}" for kind, number in counts["per_host"].items()) or "none"
            total = sum(counts["per_host"].values())
            controller = ", ".join(f"{kind} {number}" for kind, number in counts["controller"].items()) or "–"
            rows.append((play, task, f"{total:g}", kinds, controller))
    return table(("play", "task", "commands per host", "by kind (per host)", "on the controller (localhost)"), rows)


def times_table(play, result):
    """profile_tasks' wall time and cProfile's worker CPU time, per task of one play."""
    times, workers = result["profile_tasks"]["tasks"], result["cprofile"]["tasks"]
    rows = []
    for task in sorted(set(times) | set(workers), key=lambda name: -times.get(name, 0)):
        cpu = workers.get(task)
        rows.append((task, f"{times[task]:.2f} s" if task in times else "–",
                     f"{cpu['workers']}" if cpu else "–", f"{cpu['median'] * 1000:.0f} ms" if cpu else "–",
                     f"{cpu['sum']:.2f} s" if cpu else "–"))
    return table((f"{play}: task", "wall (profile_tasks)", "workers", "worker CPU per host (median, cProfile)",
                  "worker CPU, all hosts"), rows)


def functions_table(title, functions):
    """The functions with the most time."""
    return table((title, "calls", "own s", "cumulative s"),
                 [(f"`{name}`", calls, f"{own:.3f}", f"{cumulative:.3f}") for name, calls, own, cumulative in functions])


def render(data):
    """profile.md: the tables of one profile (no analysis)."""
    plays = data["plays"]
    parts = [
        f"Profile of N = {data['hosts']} local hosts at Ansible's defaults, {data['measured']}; 1-minute load average "
        f"{data['load']['start']:.1f} at the start, {data['load']['end']:.1f} at the end. Walls: "
        + "; ".join(f"{play} {mode} {result[mode]['wall']:.2f} s" for play, result in plays.items() for mode in result) + ".",
        "Times under -vvv and cProfile are inflated by the instrumentation; command counts are exact.",
        "Deployed value found in the -vvv output: " + ", ".join(
            f"{play} {result['vvv']['value_in_output']} times" for play, result in plays.items()
            if result["vvv"]["value_in_output"] is not None) + ".",
        commands_table(plays),
    ]
    for play in ("role_first", "role_rerun"):
        result = plays[play]
        parts.append(times_table(play, result))
        for task, cpu in sorted(result["cprofile"]["tasks"].items(), key=lambda item: -item[1]["sum"])[:3]:
            parts.append(functions_table(f"{play}, `{task}`: own time, all workers", cpu["top_own"]))
        main = result["cprofile"]["main"]
        parts.append(f"{play}: the main process (strategy, variables, callbacks) {main['total']:.2f} s CPU under cProfile.")
        parts.append(functions_table(f"{play}, main process: its work, cumulative", main["work"]))
        parts.append(functions_table(f"{play}, main process: own time (waits left out)", main["top_own"]))
    return "\n\n".join(parts) + "\n"


def main(argv=None):
    """Profile, write profile.json and profile.md into the work directory, print profile.md."""
    parser = argparse.ArgumentParser(prog="python -m zbench.profile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--collections", required=True, help="directory holding ansible_collections/obscura/zendesk")
    parser.add_argument("--workdir", default=str(BENCH_DIR / "work" / "profile"), help="scratch directory (git-ignored)")
    parser.add_argument("--hosts", type=int, default=10, help="local hosts (default 10)")
    args = parser.parse_args(argv)
    workspace = Workspace(args.workdir, args.collections)
    try:
        data = profile(workspace, args.hosts)
    except BenchError as exc:
        sys.exit(f"zbench.profile: {exc}")
    (workspace.workdir / "profile.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    text = render(data)
    (workspace.workdir / "profile.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

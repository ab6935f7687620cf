"""The benchmark's surroundings: work directory, simulator, Ansible environment and API call counting."""

import contextlib
import os
import pathlib
import sys

from zendesk_simulator.testing import SimulatorProcess

from .measure import BenchError, run_process

BENCH_DIR = pathlib.Path(__file__).resolve().parent.parent
BIN_DIR = pathlib.Path(sys.executable).parent
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


class Workspace:
    """Paths under the work directory (git-ignored) and the environment every Ansible run gets."""

    def __init__(self, workdir, collections):
        self.workdir = pathlib.Path(workdir).resolve()
        self.collections = pathlib.Path(collections).resolve()
        self.logs = self.workdir / "logs"
        for path in (self.workdir, self.logs, self.workdir / "tmp"):
            path.mkdir(parents=True, exist_ok=True)

    def ansible_env(self, sim, token):
        """Environment of an Ansible run against `sim`: this collection, local temp dirs, ZENDESK_* set."""
        env = {key: value for key, value in os.environ.items() if not key.startswith(("ZENDESK_", "ANSIBLE_"))}
        env.update({
            "PATH": os.pathsep.join([str(BIN_DIR), env.get("PATH", "")]),
            "ANSIBLE_COLLECTIONS_PATH": str(self.collections),
            "ANSIBLE_LOCAL_TEMP": str(self.workdir / "tmp" / "local"),
            "ANSIBLE_REMOTE_TEMP": str(self.workdir / "tmp" / "remote"),
            "ANSIBLE_PIPELINING": "True",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "False",
            "ANSIBLE_DEPRECATION_WARNINGS": "False",
            "ANSIBLE_LOCALHOST_WARNING": "False",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ZENDESK_URL": sim.url,
            "ZENDESK_OAUTH_TOKEN": token,
        })
        return env

    def run_ansible(self, program, args, env, log_name, check=True):
        """Run an Ansible command line from the work directory; a failure is a BenchError if `check`."""
        log_path = self.logs / log_name
        run = run_process([str(BIN_DIR / program)] + list(args), env, self.workdir, log_path)
        if check and run.returncode != 0:
            raise BenchError(f"{program} {' '.join(args[:3])} failed (exit {run.returncode}); see {log_path}")
        return run


@contextlib.contextmanager
def simulator(seed_clients=0):
    """A simulator on loopback for the duration of the block; yields (SimulatorProcess, admin OAuth token)."""
    with SimulatorProcess(seed_clients=seed_clients) as sim:
        yield sim, sim.control.info()["bootstrap_admin_oauth_token"]


def counter_delta(before, after):
    """What changed between two `/_sim/counters` snapshots."""
    return {key: after.get(key, 0) - before.get(key, 0) for key in after if after.get(key, 0) != before.get(key, 0)}


def api_calls(delta):
    """Reads, writes and TCP connections in a counters delta."""
    reads = sum(count for key, count in delta.items() if key.startswith("GET "))
    writes = sum(count for key, count in delta.items() if key.split(" ", 1)[0] in WRITE_METHODS)
    return {"reads": reads, "writes": writes, "calls": reads + writes, "connections": delta.get("connections", 0)}


def counting(control, action):
    """Run `action()`; return (its result, API calls it made according to the simulator)."""
    before = control.counters()
    result = action()
    return result, api_calls(counter_delta(before, control.counters()))

"""Benchmark 8: the cost per host, at Ansible's defaults and over SSH with pipelining.

Every play runs at two host counts (10 and 50 by default). Its cost per host is the slope between them,
(t_large − t_small) ÷ (large − small); its fixed cost the intercept, t_small − small × slope. The role's own fixed
cost, which the target bounds, is the re-run's intercept above the raw floor's (Ansible's start-up): the issue's
"2.0 s of fixed cost" is exactly that difference of its own figures (3.74 − 10 × 0.063 = 3.11 s for the re-run,
1.24 − 10 × 0.014 = 1.10 s for the floor). Plays: the role's
first run and re-run (playbooks/role.yml), the naive playbook (baseline/naive.yml: two `uri` tasks, one `copy`
per host) and the raw floor (playbooks/raw-floor.yml: one `raw: cat FILE` per host).

A repetition runs the role's sequence (first run, re-run, raw floor) and the naive playbook, each from the
simulator's seed and no token files on either host count, and every play at both host counts back to back, so
that a change of the machine's load between the two runs of a slope stays small; which sequence and which count go
first alternate from one repetition to the next. Slopes and ratios are computed repetition by repetition, then summarised.

Set-ups:
  defaults: local-connection hosts, no pipelining, no ansible.cfg, interpreter discovery (the system's PATH),
            the user's remote temp.
  ssh: the molecule test hosts' sshd on loopback (tools/ssh-test-hosts, user zdplain), pipelining on, one SSH
       connection per host and run (a control socket per host in a directory of its own for each run).
"""

import contextlib
import itertools
import json
import os
import pathlib
import shutil
import tempfile

from .env import BENCH_DIR, simulator
from .measure import BenchError, load_average, paired_ratios, run_process, summary, utc_now

PLAYBOOKS = {
    "role_first": BENCH_DIR / "playbooks" / "role.yml",
    "role_rerun": BENCH_DIR / "playbooks" / "role.yml",
    "naive": BENCH_DIR / "baseline" / "naive.yml",
    "raw_floor": BENCH_DIR / "playbooks" / "raw-floor.yml",
}
SEQUENCES = (("role_first", "role_rerun", "raw_floor"), ("naive",))
TARGETS = {"first_per_host": 0.70, "rerun_per_host": 2.0, "rerun_fixed": 1.5}
DEFAULT_SIZES = (10, 50)
SMOKE_SIZES = (1, 2)
# Settings of the bench's other benchmarks that Ansible's defaults do not have.
NOT_DEFAULTS = ("ANSIBLE_PIPELINING", "ANSIBLE_PYTHON_INTERPRETER", "ANSIBLE_REMOTE_TEMP")
# The hosts' PATH in the defaults set-up: the system's, as a login shell has it. The controller's PATH may hold
# version managers' shims (pyenv's answers `command -v python3.13` without having it), which interpreter
# discovery would pick.
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SSH_TEST_HOSTS = BENCH_DIR.parent / "tools" / "ssh-test-hosts"
SSH_USER = "zdplain"  # the molecule test hosts' user without sudo: owns its files
SSH_ADDRESSES = ("127.0.0.1", "127.0.0.2")


class DefaultsSetup:
    """Ansible's defaults with local-connection hosts: only the collection, local temp, quiet warnings and PATH are set."""

    name = "defaults"
    label = "(a) Ansible's defaults: local connection, no pipelining, interpreter discovery"
    owner = None

    def __init__(self, workspace):
        self.workdir = workspace.workdir
        self.files_root = workspace.workdir / "perhost-defaults"

    def group_vars(self):
        """Variables of every host."""
        return {"ansible_connection": "local"}

    def host_vars(self, _name, _number):
        """Variables of one host."""
        return {}

    def env(self, base):
        """The environment of one run."""
        env = {key: value for key, value in base.items() if key not in NOT_DEFAULTS}
        env["PATH"] = SYSTEM_PATH
        return env


class SshSetup(DefaultsSetup):
    """SSH to the molecule test hosts' sshd with pipelining on; everything else as in DefaultsSetup."""

    name = "ssh"
    label = "(b) SSH on loopback (the molecule test hosts' sshd), pipelining on, interpreter discovery"
    owner = SSH_USER

    def __init__(self, workspace, shared, state, port):
        super().__init__(workspace)
        self.files_root = shared / "targets"
        self.state, self.port = state, port
        self.sockets = shared / "cp"
        self.runs = itertools.count(1)

    def group_vars(self):
        return {
            "ansible_port": self.port,
            "ansible_user": SSH_USER,
            "ansible_ssh_private_key_file": str(self.state / "id_ed25519"),
            "ansible_ssh_common_args": f"-o UserKnownHostsFile={self.state / 'known_hosts'} -o IdentitiesOnly=yes",
        }

    def host_vars(self, name, number):
        """Each host its own control socket: one connection per host, as with as many machines."""
        return {"ansible_host": SSH_ADDRESSES[number % len(SSH_ADDRESSES)], "ansible_control_path": f"%(directory)s/{name}"}

    def env(self, base):
        """Pipelining on; control sockets in a new directory, so that no run reuses an earlier run's connections."""
        sockets = self.sockets / str(next(self.runs))
        sockets.mkdir(parents=True)
        return dict(super().env(base), ANSIBLE_PIPELINING="True", ANSIBLE_SSH_CONTROL_PATH_DIR=str(sockets))


class Fleet:
    """N hosts of one set-up: an inventory and the directory of their token files."""

    def __init__(self, setup, count):
        self.count = count
        self.owner = setup.owner
        self.files = setup.files_root / f"hosts-{count}"
        self.inventory = setup.workdir / f"inventory-{setup.name}-{count}.json"
        hosts = {f"h{number:03d}": setup.host_vars(f"h{number:03d}", number) for number in range(1, count + 1)}
        self.inventory.write_text(json.dumps({"bench": {"hosts": hosts, "vars": setup.group_vars()}}, indent=1), encoding="utf-8")

    def wipe(self):
        """No host holds a token file; the hosts' user owns their directory."""
        shutil.rmtree(self.files, ignore_errors=True)
        self.files.mkdir(parents=True)
        if self.owner:
            self.files.parent.chmod(0o755)
            shutil.chown(self.files, self.owner, self.owner)


def ssh_unavailable():
    """Why the SSH set-up cannot run here, or None."""
    if os.geteuid() != 0:
        return "needs root: tools/ssh-test-hosts installs sshd when missing and creates the test users (as CI runs it)"
    if not SSH_TEST_HOSTS.exists():
        return f"{SSH_TEST_HOSTS} is missing"
    return None


def sshd_port(state):
    """The port the test hosts' sshd listens on, from the sshd_config tools/ssh-test-hosts wrote."""
    lines = (state / "sshd_config").read_text(encoding="utf-8").splitlines()
    return int(next(line.split()[1] for line in lines if line.startswith("Port ")))


@contextlib.contextmanager
def ssh_test_hosts(workspace):
    """The molecule test hosts' sshd, started and stopped as tests/molecule/run does; yields an SshSetup.

    Its state lives in a directory every user can reach (sshd reads authorized_keys as the test user).
    """
    shared = pathlib.Path(tempfile.mkdtemp(prefix="zbench-ssh.", dir="/tmp"))
    shared.chmod(0o755)
    state = shared / "ssh"
    state.mkdir()
    state.chmod(0o755)
    log = workspace.logs / "ssh-test-hosts.log"
    try:
        started = run_process([str(SSH_TEST_HOSTS), "start", str(state)], dict(os.environ), workspace.workdir, log)
        if started.returncode != 0:
            raise BenchError(f"tools/ssh-test-hosts start failed (exit {started.returncode}); see {log}")
        yield SshSetup(workspace, shared, state, sshd_port(state))
    finally:
        if (state / "sshd.pid").exists():
            run_process([str(SSH_TEST_HOSTS), "stop", str(state)], dict(os.environ), workspace.workdir, log)
        shutil.rmtree(shared, ignore_errors=True)


def play(workspace, setup, fleet, name, base_env):
    """Run one play on the fleet; its wall time."""
    args = ["-i", str(fleet.inventory), "-e", f"bench_hosts_dir={fleet.files}", str(PLAYBOOKS[name])]
    log = f"perhost-{setup.name}-{name}-{fleet.count}.log"
    return workspace.run_ansible("ansible-playbook", args, setup.env(base_env), log).wall


def repetition(workspace, context, setup, fleets, index):
    """Both sequences, each play at both host counts back to back (orders alternating with `index`); {(play, N): wall}."""
    control, base_env = context
    forward = index % 2 == 0
    walls = {}
    for sequence in SEQUENCES if forward else SEQUENCES[::-1]:
        control.reset()
        for fleet in fleets:
            fleet.wipe()
        for name in sequence:
            for fleet in fleets if forward else fleets[::-1]:
                walls[(name, fleet.count)] = play(workspace, setup, fleet, name, base_env)
    return walls


def slopes(rows, name, small, large):
    """Per repetition: (cost per host, fixed cost) of one play, from its walls at the two host counts."""
    per_host = [(row[(name, large)] - row[(name, small)]) / (large - small) for row in rows]
    return per_host, [row[(name, small)] - small * slope for row, slope in zip(rows, per_host)]


def summarise(rows, sizes):
    """Per play: wall at each count, cost per host, fixed cost; the ratios per host and as whole plays, and the
    re-run's fixed cost above the raw floor's (the role's own), repetition by repetition."""
    small, large = sizes
    plays, per_host, fixed = {}, {}, {}
    for name in PLAYBOOKS:
        per_host[name], fixed[name] = slopes(rows, name, small, large)
        walls = {str(count): summary([row[(name, count)] for row in rows]) for count in sizes}
        plays[name] = {"wall": walls, "per_host": summary(per_host[name]), "fixed": summary(fixed[name])}
    whole = {name: [row[(name, large)] for row in rows] for name in PLAYBOOKS}
    ratios = {
        "first_per_host": paired_ratios(per_host["role_first"], per_host["naive"]),
        "rerun_per_host": paired_ratios(per_host["role_rerun"], per_host["raw_floor"]),
        "first_whole": paired_ratios(whole["role_first"], whole["naive"]),
        "rerun_whole": paired_ratios(whole["role_rerun"], whole["raw_floor"]),
    }
    own_fixed = summary([role - floor for role, floor in zip(fixed["role_rerun"], fixed["raw_floor"])])
    return {"plays": plays, "ratios": ratios, "rerun_own_fixed": own_fixed}


def measure_setup(workspace, sim, token, setup, sizes, runs):
    """Every repetition in one set-up; the summaries with when they were measured and the load meanwhile."""
    fleets = [Fleet(setup, count) for count in sizes]
    context = (sim.control, workspace.ansible_env(sim, token))
    started, load_start = utc_now(), load_average()
    rows = [repetition(workspace, context, setup, fleets, index) for index in range(runs)]
    return dict(summarise(rows, sizes), label=setup.label, runs=runs, measured=f"{started} – {utc_now()}",
                load={"start": load_start, "end": load_average()})


def run(workspace, sizes, runs):
    """Benchmark 8 in both set-ups; the SSH set-up says why when it cannot run here."""
    if len(sizes) != 2 or sizes[0] >= sizes[1]:
        raise BenchError(f"benchmark 8 needs two host counts, the smaller first (got {sizes})")
    setups = {}
    with simulator() as (sim, token):
        setups["defaults"] = measure_setup(workspace, sim, token, DefaultsSetup(workspace), sizes, runs)
        reason = ssh_unavailable()
        if reason:
            setups["ssh"] = {"label": SshSetup.label, "skipped": reason}
        else:
            with ssh_test_hosts(workspace) as setup:
                setups["ssh"] = measure_setup(workspace, sim, token, setup, sizes, runs)
    return {"sizes": list(sizes), "setups": setups, "targets": TARGETS}

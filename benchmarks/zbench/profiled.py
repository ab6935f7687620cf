"""`python -m zbench.profiled OUTDIR ARGS...`: ansible-playbook ARGS under cProfile, its main process and each worker.

The main process's profile goes to OUTDIR/main.prof; each worker (one fork per host and task) writes
OUTDIR/worker-PID.prof and OUTDIR/worker-PID.json (the task's name and the host).
"""

import cProfile
import json
import os
import pathlib
import sys

from ansible.cli.playbook import main as playbook_main
from ansible.executor.process.worker import WorkerProcess


def profile_workers(outdir, main_profiler):
    """Make every worker run its task under cProfile and leave its profile in `outdir`.

    A worker is a fork of the main process: it stops the main process's profiler (its copy) and starts its own.
    """
    original = WorkerProcess._run  # pylint: disable=protected-access

    def profiled_run(worker):
        main_profiler.disable()
        profiler = cProfile.Profile()
        try:
            return profiler.runcall(original, worker)
        finally:
            stem = outdir / f"worker-{os.getpid()}"
            profiler.dump_stats(f"{stem}.prof")
            pathlib.Path(f"{stem}.json").write_text(json.dumps({"task": worker._task.get_name(), "host": worker._host.name}))

    WorkerProcess._run = profiled_run  # pylint: disable=protected-access


def main():
    """Run ansible-playbook with the rest of the command line, profiled; exit as it exits."""
    outdir = pathlib.Path(sys.argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    sys.argv = ["ansible-playbook"] + sys.argv[2:]
    profiler = cProfile.Profile()
    profile_workers(outdir, profiler)
    code = 0
    try:
        profiler.runcall(playbook_main)
    except SystemExit as exit_:
        code = exit_.code
    finally:
        profiler.dump_stats(str(outdir / "main.prof"))
    sys.exit(code)


if __name__ == "__main__":
    main()

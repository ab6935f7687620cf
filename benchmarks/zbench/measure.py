"""Timing of subprocesses (wall time and peak RSS), summaries (median, min, max) and pairwise ratios."""

import dataclasses
import datetime
import os
import statistics
import subprocess
import time

PROCESS_TIMEOUT = 900
POLL_INTERVAL = 0.005


class BenchError(RuntimeError):
    """A benchmark could not produce a measurement (a command failed, a result was malformed)."""


@dataclasses.dataclass
class ProcessRun:
    """One finished subprocess: wall time (s), peak RSS of its process tree (KiB), exit code."""

    wall: float
    maxrss_kib: int
    returncode: int


def wait_with_usage(proc, deadline):
    """Wait for `proc` (bounded by `deadline`, killing it then); return (exit code, rusage)."""
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            return os.waitstatus_to_exitcode(status), usage
        if time.perf_counter() > deadline:
            proc.kill()
        time.sleep(POLL_INTERVAL)


def run_process(command, env, cwd, log_path, timeout=PROCESS_TIMEOUT):
    """Run `command`, appending its output to `log_path`; return a ProcessRun."""
    with open(log_path, "ab") as log:
        log.write(("\n$ " + " ".join(command) + "\n").encode())
        log.flush()
        start = time.perf_counter()
        with subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT) as proc:
            proc.returncode, usage = wait_with_usage(proc, start + timeout)
        wall = time.perf_counter() - start
    return ProcessRun(wall, usage.ru_maxrss, proc.returncode)


def timed(function, *args, **kwargs):
    """Call `function`; return (wall seconds, its result)."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def summary(values):
    """Median, min, max and count of a list of numbers (None for an empty list)."""
    values = [value for value in values if value is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def paired_ratios(numerators, denominators):
    """Ratios numerator/denominator run by run (pairs measured next to each other), summarised."""
    return summary([num / den for num, den in zip(numerators, denominators) if num is not None and den])


def load_average():
    """The 1-minute load average (the machine may be shared), or None where unknown."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def utc_now():
    """The current UTC time, to the second."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")

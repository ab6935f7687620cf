"""Command line of `make bench`: run the benchmarks, write results.json, RESULTS.md and the plot."""

import argparse
import json
import pathlib
import sys

from . import adhoc, deliveries, inventory, lookup, perhost, plays, renewal, report, session, storm
from .env import BENCH_DIR, Workspace
from .measure import BenchError, load_average, utc_now

BENCHMARKS = ("1", "3", "4", "5", "6", "7", "8", "9", "10")
RENEWAL_SMOKE_HOSTS = 2


def parse_args(argv):
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m zbench", description=__doc__)
    parser.add_argument("--collections", required=True, help="directory holding ansible_collections/obscura/zendesk")
    parser.add_argument("--workdir", default=str(BENCH_DIR / "work"), help="scratch directory (git-ignored)")
    parser.add_argument("--results", default=str(BENCH_DIR / "RESULTS.md"), help="the Markdown report to write")
    parser.add_argument("--plot", default=str(BENCH_DIR / "results.png"), help="the PNG plot to write")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement (default 3)")
    parser.add_argument("--hosts", default="1,10,50",
                        help="host counts of benchmarks 1-2 (default 1,10,50); the largest is benchmarks 6 and 9's")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="benchmarks to run (1 includes 2)")
    parser.add_argument("--lookup-clients", type=int, default=10000, help="seeded clients of benchmark 4")
    parser.add_argument("--storm-clients", type=int, default=1000, help="seeded clients of benchmark 5")
    parser.add_argument("--inventory-tokens", type=int, default=1000, help="planted tokens of benchmark 7")
    parser.add_argument("--inventory-users", type=int, default=50, help="users owning them in benchmark 7")
    parser.add_argument("--per-host-hosts", default=",".join(map(str, perhost.DEFAULT_SIZES)),
                        help="the two host counts of benchmark 8, whose slope is the cost per host")
    parser.add_argument("--no-adhoc", action="store_true", help="skip the ad-hoc module runs of benchmarks 4-5")
    parser.add_argument("--smoke", action="store_true", help="one run of everything at the smallest sizes; check the table")
    parser.add_argument("--report-only", action="store_true", help="rewrite the report and plot from the last results.json")
    parser.add_argument("--keep", action="store_true",
                        help="keep the last results.json's results of what this run does not measure (other benchmarks, "
                             "other host counts of benchmark 1); the report says when each was measured")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs, args.hosts, args.lookup_clients, args.storm_clients, args.no_adhoc = 1, "1", 500, 300, True
        args.inventory_tokens, args.inventory_users = 200, 10
        args.per_host_hosts = ",".join(map(str, perhost.SMOKE_SIZES))
    return args


def run_benchmarks(args, workspace):
    """Run the selected benchmarks; return their results by key."""
    only = set(args.only.split(","))
    jobs = (
        ("1", "plays", lambda: plays.run(workspace, [int(n) for n in args.hosts.split(",")], args.runs)),
        ("3", "adhoc", lambda: adhoc.run(workspace, max(args.runs, 2 if args.smoke else 5))),
        ("4", "lookup", lambda: lookup.run(workspace, max(args.runs, 1 if args.smoke else 5), args.lookup_clients, not args.no_adhoc)),
        ("5", "storm", lambda: storm.run(workspace, args.runs, args.storm_clients, not args.no_adhoc)),
        ("6", "session", lambda: session.run(workspace, max(int(n) for n in args.hosts.split(",")), args.runs)),
        ("7", "inventory", lambda: inventory.run(workspace, max(args.runs, 1 if args.smoke else 5), args.inventory_tokens,
                                                 args.inventory_users)),
        ("8", "perhost", lambda: perhost.run(workspace, [int(n) for n in args.per_host_hosts.split(",")], args.runs)),
        ("9", "renewal", lambda: renewal.run(workspace, RENEWAL_SMOKE_HOSTS if args.smoke else max(int(n) for n in args.hosts.split(",")),
                                             args.runs)),
        ("10", "deliveries", lambda: deliveries.run(workspace, RENEWAL_SMOKE_HOSTS if args.smoke else max(int(n) for n in args.hosts.split(",")),
                                                    args.runs)),
    )
    results = {}
    for number, key, job in jobs:
        if number in only:
            print(f"zbench: benchmark {number} ({key}) ...", flush=True)
            started = utc_now()
            results[key] = dict(job(), measured=f"{started} – {utc_now()}")
    return results


def kept(previous, results):
    """``results`` over the ``previous`` ones: benchmarks not measured now, and benchmark 1's other host counts, stay."""
    merged = {key: value for key, value in previous.items() if key not in ("load", "machine", "plot")}
    merged.update(results, kept=True)
    if "plays" in results and "plays" in previous:
        hosts = dict(previous["plays"]["hosts"], **results["plays"]["hosts"])
        merged["plays"] = dict(results["plays"], hosts=dict(sorted(hosts.items(), key=lambda item: int(item[0]))))
    return merged


def measure(args, workspace):
    """Run the benchmarks; return the results with the machine and its load."""
    started, load_start, staged = utc_now(), load_average(), report.revision()
    try:
        results = run_benchmarks(args, workspace)
    except BenchError as exc:
        sys.exit(f"zbench: {exc}")
    results.update(load={"start": load_start, "end": load_average()}, machine=report.machine(started, utc_now(), staged))
    return results


def write_report(args, results):
    """Write the plot and RESULTS.md; return the report's text."""
    results.pop("plot", None)
    if "plays" in results and len(results["plays"]["hosts"]) > 1 and report.plot(results["plays"], args.plot):
        results["plot"] = pathlib.Path(args.plot).name
    text = report.render(results, "make bench-smoke" if args.smoke else "make bench")
    pathlib.Path(args.results).write_text(text, encoding="utf-8")
    return text


def main(argv=None):
    """Run, then write the results; exit 1 only when a benchmark could not measure or the table is malformed."""
    args = parse_args(argv)
    workspace = Workspace(args.workdir, args.collections)
    results_json = workspace.workdir / "results.json"
    if args.report_only:
        results = json.loads(results_json.read_text(encoding="utf-8"))
    else:
        results = measure(args, workspace)
        if args.keep and results_json.exists():
            results = kept(json.loads(results_json.read_text(encoding="utf-8")), results)
        results_json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = write_report(args, results)
    print(text)
    problems = report.check_tables(text)
    if problems:
        sys.exit("zbench: malformed results table:\n" + "\n".join(problems))


if __name__ == "__main__":
    main()

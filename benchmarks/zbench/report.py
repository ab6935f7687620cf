"""RESULTS.md (tables, machine, verdicts) and the plot (wall time vs host count) from the results."""

import os
import pathlib
import platform
import subprocess

from ansible.release import __version__ as ANSIBLE_CORE_VERSION

try:
    from matplotlib.figure import Figure
except ImportError:  # the report stays complete without the plot
    Figure = None

from .explain import EXPLANATIONS, PLAYS_NOTES, VARIATION

PLOT_SERIES = (("role/first", "role: first run"), ("role/rerun", "role: re-run"), ("role/lost", "role: one host lost its file"),
               ("baseline/first", "baseline: first run"), ("baseline/rerun", "baseline: re-run"),
               ("baseline/lost", "baseline: one host lost its file"), ("floor/rerun", "floor: slurp only"))
SCENARIOS = (("first", "first run"), ("rerun", "re-run"), ("lost", "one host lost its file"))


def spread(cell, unit):
    """A summary as `median<unit> (min–max)`, or only the median for a single run."""
    if not cell:
        return "n/a"
    if cell["n"] == 1:
        return f"{cell['median']:.2f}{unit}"
    return f"{cell['median']:.2f}{unit} ({cell['min']:.2f}–{cell['max']:.2f})"


def seconds(cell):
    """A wall-time summary as `median s (min–max)`."""
    return spread(cell, " s")


def ratio(cell):
    """A ratio summary as `median× (min–max)`."""
    return spread(cell, "×")


def count(cell):
    """A count summary: the value when every run agreed, else `median (min–max)`."""
    if not cell:
        return "n/a"
    if cell["min"] == cell["max"]:
        return f"{cell['min']:g}"
    return f"{cell['median']:g} ({cell['min']:g}–{cell['max']:g})"


def verdict(met):
    """The result column."""
    return "met" if met else "**missed**"


def table(header, rows):
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine(started, finished, staged):
    """What the benchmark ran on; `staged`: the revision of the collection it measured."""
    model = "unknown"
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo", encoding="utf-8") as stream:
            model = next((line.split(":", 1)[1].strip() for line in stream if line.startswith("model name")), model)
    return {"cpu": model, "cores": os.cpu_count(), "python": platform.python_version(), "ansible_core": ANSIBLE_CORE_VERSION,
            "os": platform.platform(), "started": started, "finished": finished, "revision": staged}


def revision():
    """The checkout's commit (`-dirty` when files differ from it): what was staged and measured."""
    try:
        result = subprocess.run(["git", "-C", str(pathlib.Path(__file__).parent), "describe", "--always", "--dirty"],
                                capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip()


def calls_text(cell):
    """API calls of one contender and scenario: `reads r + writes w`."""
    return f"{count(cell['reads'])} r + {count(cell['writes'])} w"


def plays_targets(plays):
    """Summary rows of benchmarks 1 and 2."""
    hosts, targets = plays["hosts"], plays["targets"]
    reruns = [hosts[n]["cells"]["role/rerun"] for n in hosts]
    firsts = [hosts[n]["cells"]["role/first"] for n in hosts]
    rerun_ok = all(c["reads"]["max"] <= targets["rerun_reads"] and c["writes"]["max"] <= targets["rerun_writes"] for c in reruns)
    first_ok = all(c["calls"]["max"] <= targets["first_calls"] for c in firsts)
    big = str(targets["floor_hosts"]) if str(targets["floor_hosts"]) in hosts else max(hosts, key=int)
    floor, first = hosts[big]["ratios"]["role rerun/floor"], hosts[big]["ratios"]["role/baseline first"]
    executions = hosts[big]["cells"]["role/rerun"]["executions_per_host"]
    return [
        ("1", "role re-run: API calls (N = " + ", ".join(hosts) + ")", " · ".join(calls_text(c) for c in reruns),
         f"≤ {targets['rerun_reads']} reads, {targets['rerun_writes']} writes", verdict(rerun_ok)),
        ("1", "role first run: API calls", " · ".join(calls_text(c) for c in firsts), f"≤ {targets['first_calls']} calls",
         verdict(first_ok)),
        ("1", f"role first run ÷ naive baseline, N = {big}", ratio(first), f"≤ {targets['first_ratio']}×",
         verdict(first["median"] <= targets["first_ratio"])),
        ("2", f"role re-run ÷ slurp-only floor, N = {big}", ratio(floor), f"≤ {targets['floor_ratio']}×",
         verdict(floor["median"] <= targets["floor_ratio"])),
        ("2", f"role re-run: Python starts per host, N = {big}", count(executions),
         f"≤ {targets['rerun_executions_per_host']}", verdict(executions["max"] <= targets["rerun_executions_per_host"])),
    ]


def adhoc_targets(adhoc):
    """Summary row of benchmark 3."""
    return [("3", "ad-hoc client_info by id ÷ ad-hoc uri GET", ratio(adhoc["ratio"]), f"≤ {adhoc['target']}×",
             verdict(adhoc["ratio"]["median"] <= adhoc["target"]))]


def lookup_targets(lookup):
    """Summary rows of benchmark 4."""
    calls, targets = lookup["calls"]["module"], lookup["targets"]
    return [
        ("4", f"find by name among {lookup['clients']:,}: requests / TCP connections", f"{calls['calls']} / {calls['connections']}",
         f"≤ {targets['requests']} / {targets['connections']}",
         verdict(calls["calls"] <= targets["requests"] and calls["connections"] <= targets["connections"])),
        ("4", "lookup (module_utils) ÷ raw requests loop", ratio(lookup["ratio"]), f"≤ {targets['ratio']}×",
         verdict(lookup["ratio"]["median"] <= targets["ratio"])),
    ]


def storm_targets(storm):
    """Summary row of benchmark 5."""
    cell = storm["in_process"]
    met = cell["added_ratio"]["median"] <= storm["target"] and cell["failures"] == 0
    return [("5", "429 storm: wait it adds (storm − clean wall) ÷ Σ Retry-After, in-process lookup",
             f"{ratio(cell['added_ratio'])}, {cell['failures']} failures", f"≤ {storm['target']}×, no failure", verdict(met))]


def session_targets(result):
    """Summary rows of benchmark 6."""
    cells, targets = result["cells"], result["targets"]
    with_session, with_token = cells["client_credentials"], cells["oauth_token"]
    same_app_calls = with_session["app_calls"]["max"] == with_token["app_calls"]["min"] == with_token["app_calls"]["max"]
    session_ok = with_session["session_calls"]["max"] == targets["session_calls"] and same_app_calls
    return [
        ("6", f"role re-run with client credentials, N = {result['hosts']}: session calls · application-token calls",
         f"{count(with_session['session_calls'])} · {count(with_session['app_calls'])} (OAuth token: {count(with_token['app_calls'])})",
         f"{targets['session_calls']} (one exchange, one revocation) · as with the OAuth token", verdict(session_ok)),
        ("6", "role re-run: client credentials ÷ OAuth token", ratio(result["ratio"]), f"≤ {targets['ratio']}×",
         verdict(result["ratio"]["median"] <= targets["ratio"])),
    ]


def inventory_targets(inventory):
    """Summary rows of benchmark 7."""
    calls, targets = inventory["calls"]["module"], inventory["targets"]
    return [
        ("7", f"inventory of {inventory['tokens']:,} tokens of {inventory['owners']} users: requests / TCP connections",
         f"{calls['calls']} / {calls['connections']}",
         f"≤ {targets['requests']} ({targets['token_pages']} token pages + {targets['user_batches']} user batch(es)) / {targets['connections']}",
         verdict(calls["calls"] <= targets["requests"] and calls["connections"] <= targets["connections"])),
        ("7", "inventory (module_utils) ÷ raw requests loop", ratio(inventory["ratio"]), f"≤ {targets['ratio']}×",
         verdict(inventory["ratio"]["median"] <= targets["ratio"])),
    ]


def milliseconds(cell):
    """A summary in seconds, shown in milliseconds: `median ms (min–max)`."""
    if not cell:
        return "n/a"
    return spread({key: value * 1000 if key != "n" else value for key, value in cell.items()}, " ms")


PERHOST_SHORT = {"defaults": "defaults", "ssh": "SSH + pipelining"}
PERHOST_RATIOS = (("first_per_host", "role_first", "naive"), ("rerun_per_host", "role_rerun", "raw_floor"))
UNRELIABLE = "**unreliable**"


def perhost_verdicts(result, targets):
    """Each target's verdict in one set-up; unreliable where a run's slope, the re-run's intercept or its part above the
    floor's came out ≤ 0."""
    plays, ratios = result["plays"], result["ratios"]
    verdicts = {}
    for key, play, base in PERHOST_RATIOS:
        reliable = min(plays[play]["per_host"]["min"], plays[base]["per_host"]["min"]) > 0
        verdicts[key] = verdict(ratios[key]["median"] <= targets[key]) if reliable else UNRELIABLE
    rerun, own = plays["role_rerun"], result["rerun_own_fixed"]
    reliable = min(rerun["per_host"]["min"], plays["raw_floor"]["per_host"]["min"], rerun["fixed"]["min"], own["min"]) > 0
    verdicts["rerun_fixed"] = verdict(own["median"] <= targets["rerun_fixed"]) if reliable else UNRELIABLE
    return verdicts


def perhost_targets(perhost):
    """Summary rows of benchmark 8, per set-up."""
    targets, (small, large) = perhost["targets"], perhost["sizes"]
    rows = []
    for name, result in perhost["setups"].items():
        short = PERHOST_SHORT[name]
        if "skipped" in result:
            rows.append(("8", f"{short}: not measured", result["skipped"], "both set-ups", "**not measured**"))
            continue
        ratios, fixed = result["ratios"], result["rerun_own_fixed"]
        verdicts = perhost_verdicts(result, targets)
        rows += [
            ("8", f"{short}: role first run ÷ naive playbook, per host (N = {small} → {large})", ratio(ratios["first_per_host"]),
             f"≤ {targets['first_per_host']}×", verdicts["first_per_host"]),
            ("8", f"{short}: role re-run ÷ raw floor, per host", ratio(ratios["rerun_per_host"]),
             f"≤ {targets['rerun_per_host']}×", verdicts["rerun_per_host"]),
            ("8", f"{short}: role re-run, fixed cost above the raw floor's", seconds(fixed), f"≤ {targets['rerun_fixed']} s",
             verdicts["rerun_fixed"]),
        ]
    return rows


def renewal_calls_text(cell):
    """API calls of one contender of benchmark 9: `reads r + writes w + session calls s`."""
    return f"{count(cell['reads'])} r + {count(cell['writes'])} w + {count(cell['session_calls'])} s"


def renewal_targets(result):
    """Summary row of benchmark 9."""
    cells, target = result["cells"], result["targets"]["ratio"]
    return [("9", f"role renewal run ÷ naive playbook, N = {result['hosts']} (API calls: renewal "
             f"{renewal_calls_text(cells['renewal'])}, naive {renewal_calls_text(cells['naive'])})", ratio(result["ratio"]),
             f"≤ {target}×", verdict(result["ratio"]["median"] <= target))]


def deliveries_targets(result):
    """Summary rows of benchmark 10."""
    cells, targets, refresher = result["cells"], result["targets"], result["refresher"]
    fresh_ms = refresher["fresh_wall"]["median"] * 1000
    calls = f"{count(cells['client_credentials']['reads'])} r + {count(cells['client_credentials']['writes'])} w"
    return [
        ("10", f"delivery client_credentials re-run ÷ delivery token re-run, N = {result['hosts']} (API calls: {calls})",
         ratio(result["ratio"]), f"≤ {targets['ratio']}×", verdict(result["ratio"]["median"] <= targets["ratio"])),
        ("10", "refresher run with a fresh token: wall · API calls", f"{fresh_ms:.0f} ms · {count(refresher['fresh_calls'])}",
         f"< {targets['fresh_ms']} ms · {targets['fresh_calls']}",
         verdict(fresh_ms < targets["fresh_ms"] and refresher["fresh_calls"]["max"] == targets["fresh_calls"])),
        ("10", "refresher run that renews: API calls", endpoints_text(refresher["renewal_calls"]),
         endpoints_text(targets["renewal_calls"]), verdict(refresher["renewal_calls"] == targets["renewal_calls"])),
    ]


def endpoints_text(calls):
    """API calls by endpoint: `` `METHOD path` n`` joined."""
    return ", ".join(f"`{endpoint}` {number}" for endpoint, number in sorted(calls.items())) or "none"


SUMMARIES = (("plays", plays_targets), ("adhoc", adhoc_targets), ("lookup", lookup_targets), ("storm", storm_targets),
             ("session", session_targets), ("inventory", inventory_targets), ("perhost", perhost_targets),
             ("renewal", renewal_targets), ("deliveries", deliveries_targets))


def plays_section(plays):
    """Tables of benchmarks 1 and 2."""
    rows, floor_rows = [], []
    for hosts, result in plays["hosts"].items():
        cells, ratios = result["cells"], result["ratios"]
        for scenario, label in SCENARIOS:
            role, base = cells[f"role/{scenario}"], cells[f"baseline/{scenario}"]
            rows.append((hosts, label, calls_text(role), calls_text(base), seconds(role["wall"]), seconds(base["wall"]),
                         ratio(ratios[f"role/baseline {scenario}"])))
        floor_rows.append((hosts, seconds(cells["role/rerun"]["wall"]), seconds(cells["floor/rerun"]["wall"]),
                           ratio(ratios["role rerun/floor"]), count(cells["role/rerun"]["executions_per_host"]),
                           count(cells["floor/rerun"]["executions_per_host"]), count(cells["floor/rerun"]["calls"])))
    runs = {hosts: result["runs"] for hosts, result in plays["hosts"].items()}
    runs_text = f"{next(iter(runs.values()))} runs per cell" if len(set(runs.values())) == 1 else \
        "runs per cell: " + ", ".join(f"N = {hosts}: {count}" for hosts, count in runs.items())
    return "\n\n".join([
        f"## 1. Role vs the naive baseline playbook ({runs_text})",
        "API calls: r = reads (GET), w = writes (POST/PUT/DELETE), from the simulator's counters. "
        "Baseline: `benchmarks/baseline/naive.yml` (`uri` list of clients, first page only; `uri` POST; `copy`).",
        table(("N", "scenario", "role calls", "baseline calls", "role wall", "baseline wall", "role ÷ baseline (pairwise)"), rows),
        PLAYS_NOTES,
        "## 2. Role re-run vs Ansible's floor (a play that only `slurp`s the same files)",
        "Python starts per host: starts of the hosts' Python interpreter during the play, divided by N: one per module "
        "execution (the role's read is a shell command and starts none; the role's Zendesk tasks run once on the "
        "controller and are not counted).",
        table(("N", "role re-run", "floor", "role ÷ floor (pairwise)", "role Python starts per host",
               "floor Python starts per host", "floor API calls"), floor_rows),
    ])


def adhoc_section(adhoc):
    """Table of benchmark 3."""
    rows = [(name, seconds(adhoc["wall"][name]), calls_text_flat(adhoc["calls"][name])) for name in ("module", "uri")]
    return "\n\n".join([
        f"## 3. Ad-hoc `zendesk_oauth_client_info id=2` vs `ansible.builtin.uri` ({adhoc['runs']} pairs, order alternating)",
        table(("command", "wall", "API calls"), rows),
        f"Ratio module ÷ uri, pair by pair: {ratio(adhoc['ratio'])} (target ≤ {adhoc['target']}×).",
    ])


def calls_text_flat(calls):
    """API calls of one run: `reads r + writes w, c connection(s)`."""
    return f"{calls['reads']} r + {calls['writes']} w, {calls['connections']} TCP connection(s)"


def lookup_section(lookup):
    """Table of benchmark 4."""
    rows = [(name, calls_text_flat(lookup["calls"][name]), seconds(lookup["wall"][name]), f"{lookup['peak_kib'][name]:,.0f} KiB")
            for name in ("module", "raw")]
    parts = [
        f"## 4. Find `{lookup['name']}` by name among {lookup['clients']:,} clients ({lookup['runs']} runs, order alternating)",
        "In-process: `module_utils` `resolve_client(name=…)` (what both modules run) vs a raw `requests.Session` loop "
        "over the same cursor pages; peak memory from `tracemalloc` (Python allocations, one run each).",
        table(("lookup", "API calls", "wall", "peak Python memory"), rows),
        f"Ratio module_utils ÷ raw loop, pair by pair: {ratio(lookup['ratio'])}.",
    ]
    adhoc = lookup.get("adhoc")
    if adhoc:
        parts.append(f"Ad-hoc `ansible localhost -m obscura.zendesk.zendesk_oauth_client_info -a name=…`: "
                     f"{seconds(adhoc['wall'])} wall, {calls_text_flat(adhoc['calls'])}, "
                     f"peak RSS of the process tree {count(adhoc['maxrss_kib'])} KiB ({adhoc['wall']['n']} runs).")
    return "\n\n".join(parts)


def storm_rows(storm):
    """Rows of benchmark 5: one per way of running the lookup."""
    rows = []
    for key, label in (("in_process", "module_utils lookup"), ("adhoc", "ad-hoc module")):
        cell = storm.get(key)
        if cell:
            rows.append((label, cell["clean"]["n"], seconds(cell["clean"]), seconds(cell["storm"]), count(cell["throttled"]),
                         f"{count(cell['retry_after'])} s", ratio(cell["total_ratio"]), ratio(cell["added_ratio"]), cell["failures"]))
    return rows


def storm_section(storm):
    """Table of benchmark 5."""
    return "\n\n".join([
        f"## 5. 429 storm: one request in {storm['every']} of a listing of {storm['pages']} pages answered 429 with "
        f"`Retry-After: {storm['retry_after']}`",
        "Each run pairs a clean listing with a stormy one (same lookup by name, the modules' default retry policy). "
        "The target is judged on the wait the storm adds, (storm − clean) ÷ Σ; storm wall ÷ Σ also counts the "
        "listing's own time (and, ad hoc, Ansible's start-up).",
        table(("how", "runs", "clean wall", "storm wall", "429 answers", "Σ Retry-After", "storm wall ÷ Σ",
               "(storm − clean) ÷ Σ", "failures"), storm_rows(storm)),
    ])


def session_section(result):
    """Table of benchmark 6."""
    rows = []
    for mode, label in (("client_credentials", "OAuth client credentials (one session per play)"), ("oauth_token", "OAuth token")):
        cell = result["cells"][mode]
        rows.append((label, count(cell["exchanges"]), count(cell["session_calls"]), count(cell["app_calls"]), seconds(cell["wall"])))
    return "\n\n".join([
        f"## 6. Role re-run with OAuth client credentials vs with an OAuth token, N = {result['hosts']} ({result['runs']} runs, "
        "order alternating)",
        "Session calls: `POST /oauth/tokens` (the exchange) and `DELETE /api/v2/oauth/tokens/current` (its revocation); "
        "application-token calls: every other API call of the play.",
        table(("credentials", "exchanges", "session calls", "application-token calls", "wall"), rows),
        f"Ratio client credentials ÷ OAuth token, pair by pair: {ratio(result['ratio'])}.",
    ])


def inventory_section(inventory):
    """Table of benchmark 7."""
    rows = [(name, calls_text_flat(inventory["calls"][name]), seconds(inventory["wall"][name])) for name in ("module", "raw")]
    return "\n\n".join([
        f"## 7. Token inventory: {inventory['tokens']:,} tokens of {inventory['owners']} users, every user's "
        f"({inventory['runs']} runs, order alternating)",
        "In-process: `module_utils` `Inventory` with `all_users` (what `zendesk_oauth_token_info` runs: token pages, "
        "owners with `users/show_many` in batches of 100, the client list until every token's client is seen, then the "
        "problems) vs a raw `requests.Session` loop making the same reads.",
        table(("inventory", "API calls", "wall"), rows),
        f"Ratio module_utils ÷ raw loop, pair by pair: {ratio(inventory['ratio'])}.",
    ])


PERHOST_PLAYS = (("role_first", "role first run"), ("naive", "naive playbook (`uri` list, `uri` POST, `copy`)"),
                 ("role_rerun", "role re-run"), ("raw_floor", "raw floor (one `raw: cat FILE`)"))


UNRELIABLE_NOTE = ("in at least one run a slope or the intercept came out ≤ 0: the machine's load changed more between "
                   "the two host counts than the play's whole per-host cost; measure again with more runs (--runs) or on a "
                   "quieter machine.")


def perhost_gaps(result, targets):
    """What the numbers say about each target of one set-up not met (generated from the measurements only)."""
    plays, verdicts = result["plays"], perhost_verdicts(result, targets)
    labels = dict(PERHOST_PLAYS)
    notes = []
    for key, play, base in PERHOST_RATIOS:
        cost, allowed = plays[play]["per_host"]["median"], targets[key] * plays[base]["per_host"]["median"]
        if verdicts[key] == UNRELIABLE:
            notes.append(f"{labels[play]} ÷ {labels[base]}: unreliable, {UNRELIABLE_NOTE}")
        elif verdicts[key] != verdict(True):
            notes.append(f"{labels[play]}: {cost * 1000:.0f} ms per host; the target (≤ {targets[key]}× the {labels[base]}) "
                         f"allows {allowed * 1000:.0f} ms, {(cost - allowed) * 1000:.0f} ms per host too many.")
    fixed = result["rerun_own_fixed"]["median"]
    if verdicts["rerun_fixed"] == UNRELIABLE:
        notes.append(f"role re-run, fixed cost: unreliable, {UNRELIABLE_NOTE}")
    elif verdicts["rerun_fixed"] != verdict(True):
        notes.append(f"role re-run: fixed cost above the raw floor's {fixed:.2f} s, {fixed - targets['rerun_fixed']:.2f} s "
                     "above the target.")
    return notes


def perhost_setup(name, result, perhost):
    """The tables of benchmark 8 for one set-up, and what its numbers say."""
    targets, (small, large) = perhost["targets"], perhost["sizes"]
    heading = f"### {result['label']}"
    if "skipped" in result:
        return "\n\n".join([heading, f"Not measured: {result['skipped']}."])
    plays, ratios = result["plays"], result["ratios"]
    rows = [(label, seconds(plays[play]["wall"][str(small)]), seconds(plays[play]["wall"][str(large)]),
             milliseconds(plays[play]["per_host"]), seconds(plays[play]["fixed"])) for play, label in PERHOST_PLAYS]
    verdicts = perhost_verdicts(result, targets)
    ratio_rows = [
        ("role first run ÷ naive playbook", ratio(ratios["first_per_host"]), ratio(ratios["first_whole"]),
         f"≤ {targets['first_per_host']}×", verdicts["first_per_host"]),
        ("role re-run ÷ raw floor", ratio(ratios["rerun_per_host"]), ratio(ratios["rerun_whole"]),
         f"≤ {targets['rerun_per_host']}×", verdicts["rerun_per_host"]),
    ]
    own = result["rerun_own_fixed"]
    gaps = perhost_gaps(result, targets)
    return "\n\n".join([
        heading,
        f"{result['runs']} run{'s' if result['runs'] != 1 else ''}, measured {result['measured']}; 1-minute load average {result['load']['start']:.1f} at the "
        f"start, {result['load']['end']:.1f} at the end.",
        table(("play", f"N = {small}", f"N = {large}", "per host (slope)", "fixed cost (intercept)"), rows),
        table(("ratio", "per host", f"whole plays at N = {large}", "target (per host)", "result"), ratio_rows),
        f"The role re-run's fixed cost above the raw floor's (the difference of their intercepts, run by run: the "
        f"check, the decision, the run-once tasks and the role's loading): {seconds(own)}; target ≤ "
        f"{targets['rerun_fixed']} s: {verdicts['rerun_fixed']}.",
        f"Not met in this set-up ({PERHOST_SHORT[name]}), from the numbers above: " + " ".join(gaps) if gaps
        else f"Every target of this set-up ({PERHOST_SHORT[name]}) was met.",
    ])


def perhost_section(perhost):
    """Tables of benchmark 8."""
    small, large = perhost["sizes"]
    return "\n\n".join([
        f"## 8. Cost per host: the role vs the naive playbook and the raw floor, N = {small} and {large}",
        f"Per host: the slope (t{large} − t{small}) ÷ {large - small}; fixed cost: the intercept t{small} − {small} × per host. "
        "The target bounds the role's own fixed cost: the re-run's intercept above the raw floor's, which is Ansible's "
        "start-up. That is how the issue counts its \"2.0 s of fixed cost\": from its own figures, the re-run's "
        "intercept 3.74 − 10 × 0.063 = 3.11 s less the floor's 1.24 − 10 × 0.014 = 1.10 s. "
        "Naive playbook: `benchmarks/baseline/naive.yml` (two `uri` tasks on the controller, one `copy` per host); "
        "raw floor: `benchmarks/playbooks/raw-floor.yml` (one `raw: cat FILE` per host). Each repetition runs the "
        "role's sequence (first run, re-run, raw floor) and the naive playbook from the simulator's seed and no token "
        "files, every play at both host counts back to back, orders alternating; slopes and ratios are taken repetition "
        "by repetition. "
        "Benchmarks 1–2 compare whole plays at one N in another set-up (pipelining on, a wrapper as the hosts' "
        "interpreter, a `slurp` floor that runs a module per host), so their ratios include the fixed cost and differ "
        "from these; the whole-play column below shows the same mix here. Where the time goes, task by task: "
        "[PROFILE.md](PROFILE.md).",
    ] + [perhost_setup(name, result, perhost) for name, result in perhost["setups"].items()])


def renewal_section(result):
    """Table of benchmark 9."""
    labels = {"renewal": "role renewal run (`benchmarks/playbooks/renewal.yml`)",
              "naive": "naive playbook (`benchmarks/baseline/naive.yml`)"}
    rows = [(labels[name], count(cell["reads"]), count(cell["writes"]), count(cell["session_calls"]),
             ", ".join(f"`{endpoint}` {count(calls)}" for endpoint, calls in cell["endpoints"].items()), seconds(cell["wall"]))
            for name, cell in result["cells"].items()]
    return "\n\n".join([
        f"## 9. The role's renewal run vs the naive playbook, N = {result['hosts']} ({result['runs']} "
        f"pair{'s' if result['runs'] != 1 else ''}, order alternating)",
        "Both mint one token and write it to every host. Each pair starts from the simulator's seed: the role "
        "(`oauth_token_source: client_credentials` with the secret of \"OAuth client for my app\", "
        f"`oauth_token_lifetime: {result['lifetime']}`, renewal in the last {result['renew_before']} s) mints and deploys once, "
        "the naive playbook's hosts get a copy of those files, and the simulator's clock moves "
        f"{result['advance']} s on, into the renewal window. Then the role's renewal "
        "run (mint with the grant, deploy to every host, revoke the old token) and the naive playbook run next to each "
        "other. Connection of both: `ZENDESK_URL` and `ZENDESK_OAUTH_TOKEN` (the simulator's bootstrap admin token), as "
        "in benchmark 1, so Ansible opens no session of its own. API calls from the simulator's counters: reads (GET), "
        "writes (POST/PUT/DELETE) and session calls: `POST /oauth/tokens` (here the client credentials grant that mints "
        "the fleet's token) and `DELETE /api/v2/oauth/tokens/current`.",
        table(("play", "reads", "writes", "session calls", "calls per endpoint", "wall"), rows),
        f"Ratio renewal run ÷ naive playbook, pair by pair: {ratio(result['ratio'])}.",
    ])


def deliveries_section(result):
    """Tables of benchmark 10."""
    labels = {"client_credentials": "client_credentials (`benchmarks/playbooks/credentials.yml`)",
              "token": "token (`benchmarks/playbooks/role.yml`)"}
    rows = [(labels[name], count(cell["reads"]), count(cell["writes"]), count(cell["exchanges"]), seconds(cell["wall"]))
            for name, cell in result["cells"].items()]
    refresher = result["refresher"]
    return "\n\n".join([
        f"## 10. The deliveries' re-runs, N = {result['hosts']} ({result['runs']} pair{'s' if result['runs'] != 1 else ''}, "
        "order alternating), and the refresher",
        "Each pair starts from the simulator's seed and two confidential clients (blue, green), provisions the hosts once "
        "with each delivery (the two files side by side), then re-runs both. The credentials delivery's re-run checks the "
        "pair the hosts hold with one exchange (`POST /oauth/tokens`, counted as a write) whose token it revokes at once.",
        table(("delivery", "reads", "writes", "exchanges", "wall"), rows),
        f"Ratio client_credentials ÷ token, pair by pair: {ratio(result['ratio'])}.",
        f"The refresher program ({refresher['fresh_runs']} runs with a fresh token, each a process start to exit with "
        f"`python -I`): wall {milliseconds(refresher['fresh_wall'])}, API calls {count(refresher['fresh_calls'])}. "
        f"A run with a token inside its renewal window: {endpoints_text(refresher['renewal_calls'])}.",
    ])


SECTIONS = (("plays", plays_section), ("adhoc", adhoc_section), ("lookup", lookup_section), ("storm", storm_section),
            ("session", session_section), ("inventory", inventory_section), ("perhost", perhost_section),
            ("renewal", renewal_section), ("deliveries", deliveries_section))


def missed_notes(summary_rows):
    """Why each missed target was missed and what would close it (a benchmark's explanation once, at its first miss)."""
    notes, explained = [], set()
    for number, what, _measured, _target, result in summary_rows:
        if result != "met":
            why = "as above." if number in explained else EXPLANATIONS.get(number, f"see section {number} above.")
            notes.append(f"- **{number}. {what}**: {why}")
            explained.add(number)
    return "\n".join(notes) if notes else "Every target was met."


def measured_when(results):
    """When each benchmark (and each host count of benchmark 1) was measured: for a report that kept earlier results."""
    when = [(f"1–2, N = {hosts}", result["measured"]) for hosts, result in results.get("plays", {}).get("hosts", {}).items()
            if "measured" in result]
    others = (("3", "adhoc"), ("4", "lookup"), ("5", "storm"), ("6", "session"), ("7", "inventory"), ("8", "perhost"), ("9", "renewal"),
              ("10", "deliveries"))
    when += [(number, results[key]["measured"]) for number, key in others if "measured" in results.get(key, {})]
    return "Measured in more than one run (`--keep`): " + "; ".join(f"{what}: {times}" for what, times in when) + "."


def render(results, command):
    """The whole RESULTS.md text."""
    info = results["machine"]
    summary_rows = [row for key, make_rows in SUMMARIES if key in results for row in make_rows(results[key])]
    parts = [
        "# Benchmark results",
        f"Written by `{command}` ({info['started']} – {info['finished']}). Medians with min–max over the runs; every "
        "ratio is computed run by run between two measurements taken next to each other, then summarised.",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['os']}; Python {info['python']}, ansible-core "
        f"{info['ansible_core']}. 1-minute load average {results['load']['start']:.1f} at the start, "
        f"{results['load']['end']:.1f} at the end. Collection staged from the working tree at `{info.get('revision', 'unknown')}`.",
    ]
    if results.get("kept"):
        parts.append(measured_when(results))
    parts += [
        "## Targets",
        table(("#", "measurement", "measured", "target", "result"), summary_rows),
    ]
    parts += [make_section(results[key]) for key, make_section in SECTIONS if key in results]
    if results.get("plot"):
        parts.append(f"![wall time vs host count]({results['plot']})")
    parts += ["## What varies between runs", VARIATION, "## Missed targets", missed_notes(summary_rows)]
    return "\n\n".join(parts) + "\n"


def plot(plays, path):
    """Wall time vs host count, one line per contender and scenario (median, min–max bars); False without matplotlib."""
    if Figure is None:
        return False
    hosts = sorted(plays["hosts"], key=int)
    figure = Figure(figsize=(8, 5))
    axes = figure.add_subplot()
    for key, label in PLOT_SERIES:
        cells = [plays["hosts"][n]["cells"][key]["wall"] for n in hosts]
        medians = [cell["median"] for cell in cells]
        spread = [[m - cell["min"] for m, cell in zip(medians, cells)], [cell["max"] - m for m, cell in zip(medians, cells)]]
        axes.errorbar([int(n) for n in hosts], medians, yerr=spread, label=label, marker="o", capsize=3,
                      linestyle="--" if key.startswith("baseline") else "-")
    axes.set_xlabel("hosts (local connection)")
    axes.set_ylabel("wall time, s (median, min–max)")
    axes.set_title("ansible-playbook wall time vs host count")
    axes.grid(True, alpha=0.3)
    axes.legend(fontsize="small")
    figure.savefig(path, dpi=100, bbox_inches="tight")
    return True


def check_tables(text):
    """Problems with the Markdown tables of a report (empty when well-formed)."""
    problems = []
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if not line.startswith("|"):
            continue
        columns = line.count("|")
        start = number
        while start > 0 and lines[start - 1].startswith("|"):
            start -= 1
        if columns != lines[start].count("|"):
            problems.append(f"line {number + 1}: {columns - 1} cells, header has {lines[start].count('|') - 1}")
        if "n/a" in line or "None" in line:
            problems.append(f"line {number + 1}: a missing value: {line}")
    if "## Targets" not in text or text.count("\n| ") < 5:
        problems.append("no targets table")
    return problems

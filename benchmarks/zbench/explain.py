"""Hand-written analysis the report quotes: why a target is missed and what would close it.

No numbers here: every number in the report is measured by the run that writes it.
"""

VARIATION = (
    "Between runs only timing varies: each repetition of benchmarks 1–2 starts from the simulator's seed "
    "(`/_sim/reset`) with no token files, so API call counts repeat exactly. Wall times vary with the load of "
    "the machine (it may be shared; see the load averages above), Python's and Ansible's start-up, the OS page cache "
    "and scheduling of Ansible's forks. Contenders alternate which goes first from one pair to the next, so "
    "a drift in load hits both sides of a ratio alike. A load average above the number of cores means other work "
    "(on a shared machine, other test suites) competed for the CPU. Absolute wall times then grow several-fold, and "
    "the ratios measured pair by pair are the numbers to compare across machines."
)

PLAYS_NOTES = (
    "The baseline mints a token on every run, and the earlier tokens stay valid. The role's re-run makes no write at any N. "
    "With N = 1, 'one host lost its file' means no host holds a token, so the role mints one (1 write). "
    "With N ≥ 2, the role copies the token the other hosts hold (2 reads, no write)."
)

EXPLANATIONS = {
    "6": (
        "Client credentials add two module runs on the controller, the exchange and the revocation, each importing "
        "`requests` and the collection's HTTP layer. The re-run they are compared with is short (its read runs no "
        "module), so those two runs are a large share of it. What would close it: let the decision task do the exchange "
        "and hand its session on to the revocation tasks (one module run fewer), which needs a new option of "
        "`zendesk_oauth_token`."
    ),
    "7": (
        "The one request above the target is the client list page that tells `client_missing` apart: the token list "
        "does not say whether a token's client still exists, and reading the clients (one page for accounts with up to "
        "100 clients, stopping as soon as every token's client is seen) is the cheapest way to know. It costs nothing "
        "when the inventory is narrowed by `client_identifier` or `client_name` (that lookup proves the client exists) "
        "and one direct read with `client_id`. Dropping the check would meet the target and lose the problem."
    ),
    "1": (
        "On a first run each of the role's hosts runs two shell commands, the read and the write, and no Python; the "
        "baseline's `copy` runs two modules per host (a remote stat and the copy), each one a module payload to send and "
        "unpack. What the role adds runs on the controller: the argument check, the fleet "
        "check, the decision task and the handler flush, a fixed cost per play that weighs most at small N and under "
        "load (see the load averages above)."
    ),
    "2": (
        "A re-run runs one shell command per host for the read, starts no Python there and runs no module; the floor's "
        "`slurp` is one module execution per host. The role also runs its controller tasks (the argument check, the "
        "decision task, the write's skip), a fixed cost per play that weighs most at small N and under load "
        "(see the load averages above)."
    ),
    "8": (
        "A re-run's only task with a worker per host is the read (one shell command on the host, no Python); the "
        "argument check runs once for the play (the entry point main has no spec for ansible-core's per-host check), "
        "the delivery is imported rather than included, and the hosts with nothing to write leave the role by "
        "`meta: end_role`, which runs in Ansible's main process. What remains per host besides the read is the read's "
        "templating and result, the hosts' variables that the check and the decision gather once each, and the "
        "`end_role`. A first run adds the write's worker and one more shell command on the host (the new text on its "
        "standard input, a new file renamed over the old one if it still holds what was read), no Python there: no "
        "interpreter discovery and no module, which runs only where the shell cannot write as it would (backup, "
        "a symbolic mode, a connection without standard input). The naive playbook's `copy` discovers the "
        "interpreter and runs two modules per host (stat and copy). The role's fixed cost above Ansible's start-up (the raw "
        "floor's intercept) is the check (about 0.1 s), above all the decision's module run on the controller (its "
        "payload built, a Python start that imports `ansible.module_utils.basic` and `requests`, its API reads: about "
        "0.5 s), the run-once tasks and the role's loading. The earlier ratios (0.76× first run, "
        "0.59× re-run, RESULTS.md §1–2) came from benchmark 1's set-up: pipelining on, a shell wrapper as every host's "
        "interpreter, a `slurp` floor that runs a module per host, and whole plays at one N, fixed cost included; that "
        "is another question than the cost per host at Ansible's defaults."
    ),
    "10": (
        "A refresher that renews makes one read besides the exchange and the revocation: `GET tokens/current` with the "
        "new token, whose answer gives the token's id and expiry. The id is what the refresher records and reports "
        "(`--json`, the role's `oauth_token_result`), and what the role revokes by when the application's file no longer "
        "holds the token at removal; the grant's answer carries no id. The credentials delivery's re-run makes the same "
        "number of per-host tasks as the token delivery's (the read; hosts with nothing to write leave the role before the "
        "write); its decision adds the exchange and its revocation to the client listing. A fresh refresher run is one "
        "Python start (`python -I`) and the format module's import, no HTTP or TLS import (they load only for a call); "
        "on this machine a bare `python3 -I -c pass` takes about 70 ms, so the margin under 100 ms is small under load."
    ),
}

"""Hand-written analysis the report quotes: why a target is missed and what would close it."""

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
    "7": (
        "The one request above the target is the client list page that tells `client_missing` apart: the token list "
        "does not say whether a token's client still exists, and reading the clients (one page for accounts with up to "
        "100 clients, stopping as soon as every token's client is seen) is the cheapest way to know. It costs nothing "
        "when the inventory is narrowed by `client_identifier` or `client_name` (that lookup proves the client exists) "
        "and one direct read with `client_id`. Dropping the check would meet the target and lose the problem."
    ),
    "1": (
        "On a first run the role's hosts do the work the baseline's hosts do: two module executions each (the role's read "
        "and write; the baseline's `copy`, a remote stat and the copy). What the role adds runs on the controller. Taken "
        "apart by hand at N = 50 on the same machine when it was quiet (2026-12-03, role tasks removed one at a time, "
        "two runs each): role first run 47 s, naive baseline 40 s; the decision task 1.7 s (a module run on the "
        "controller plus templating `held_tokens` from every host's registered read), the write's controller side "
        "1.8 s at a re-run (templating each host's arguments, parsing its file), the session tasks 0.7 s even without "
        "client credentials (two skipped tasks and a `set_fact`), the fleet check 0.4 s, the argument check 0.3 s, "
        "handlers and revocation 0.3 s. What would close it: fold the session tasks into the decision module (it can "
        "open and revoke its own session), compute the held values without `hostvars` (each host's read registered "
        "with its value only), and let the decision return the chosen value so that the write needs no `hostvars` "
        "lookup; together about 3 s at N = 50, which brings the ratio to about 1.05×; below 1.0× needs a write that runs "
        "no Python on the host."
    ),
    "2": (
        "The host work of a re-run equals the floor's: one module execution per host (the read; the write compares on "
        "the controller and runs nothing on the host), see the table. The rest is controller work, the same as on the "
        "first run (see target 1): the decision task, the write's controller side, the session tasks, the fleet check "
        "and the argument check, about 5.5 s at N = 50 over a floor of 20 s on a quiet machine (1.27×), more under load. "
        "The same changes as for target 1 would take about 3 s off."
    ),
}

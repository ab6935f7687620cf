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
        "and write; the baseline's `copy`, a remote stat and the copy), so the ratio sits near 1.0 and the load of the "
        "machine decides a single pair's verdict (see the spread above). The role adds per host its argument check and "
        "the controller-side part of its write (templating the chosen value from the decision), and once per play the "
        "decision; the baseline adds its two `uri` calls. What would bring it clearly below 1.0: a write that needs no "
        "Python on the host (a transferred file renamed into place), which would lose the checksum check that refuses "
        "to overwrite a file changed since the read."
    ),
    "2": (
        "Ansible's cost grows with tasks × hosts. On a re-run the role runs three tasks per host where the floor runs one: "
        "the argument check (on the controller), the read (the one module execution, as the floor's `slurp`) and the "
        "write, which compares on the controller and runs nothing on the host. The once-per-play tasks (decision, "
        "revocation, session) cost the same at every N. A ratio above the target at large N means the per-host "
        "controller work (templating each host's write arguments) dominates: the write's arguments would have to shrink."
    ),
}

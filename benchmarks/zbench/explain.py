"""Hand-written analysis the report quotes: why a target is missed and what would close it."""

VARIATION = (
    "Between runs only timing varies: each repetition of benchmarks 1–2 starts from the simulator's seed "
    "(`/_sim/reset`) with no token files, so API call counts repeat exactly. Wall times vary with the load of "
    "the machine (it may be shared; see the load averages above), Python's and Ansible's start-up, the OS page cache "
    "and scheduling of Ansible's forks. Contenders alternate which goes first from one pair to the next, so "
    "a drift in load hits both sides of a ratio alike."
)

EXPLANATIONS = {}

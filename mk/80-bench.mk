# Benchmarks: API calls and speed of the collection against the simulator, side by side with
# what users do today. They measure and report, never fail on timing; `make bench` is not part of `make test`.
#   make bench         all benchmarks (CPU-bound; see RESULTS.md for the last run's duration): writes benchmarks/RESULTS.md and benchmarks/results.png
#   make bench BENCH_ARGS="--runs 5 --hosts 1,10,50,100 --only 1,4"   (python -m zbench --help)
#   make bench-smoke   one run of each at the smallest sizes (< 60 s): the code still yields a well-formed table
BENCH_WORK := $(CURDIR)/benchmarks/work
BENCH_STAGE := $(BENCH_WORK)/collections
BENCH_ARGS ?=
BENCH_PYTHON = PYTHONPATH=$(BENCH_STAGE):$(CURDIR)/benchmarks $(BIN)/python -m zbench --collections $(BENCH_STAGE)

.PHONY: bench-smoke
bench: venv ## all benchmarks; writes benchmarks/RESULTS.md (BENCH_ARGS=...)
	@tools/stage-collection $(BENCH_STAGE) >/dev/null
	$(BENCH_PYTHON) $(BENCH_ARGS)

bench-smoke: venv ## one run of each benchmark at the smallest sizes (< 60 s)
	@tools/stage-collection $(BENCH_STAGE) >/dev/null
	$(BENCH_PYTHON) --smoke --workdir $(BENCH_WORK)/smoke --results $(BENCH_WORK)/smoke/RESULTS.md

PROFILE_ARGS ?=
.PHONY: bench-profile
bench-profile: venv ## the role's runs task by task at Ansible's defaults: commands per host (-vvv), profile_tasks, cProfile (PROFILE_ARGS="--hosts N")
	@tools/stage-collection $(BENCH_STAGE) >/dev/null
	PYTHONPATH=$(BENCH_STAGE):$(CURDIR)/benchmarks $(BIN)/python -m zbench.profile --collections $(BENCH_STAGE) $(PROFILE_ARGS)

# obscura.zendesk — every developer and CI command starts here.
#   make demo   run the main job end to end against the bundled simulator
#   make test   every check (sanity, units, lint, integration, molecule, release)
# Each target sets up what it needs (.venv with pinned dependencies, the simulator).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= $(shell tools/find-python 3.12)
VENV := $(CURDIR)/.venv
VENV_OLDEST := $(CURDIR)/.venv-oldest
BIN := $(VENV)/bin
# Where the collection is staged as ansible_collections/obscura/zendesk for ansible-test,
# ansible-playbook and molecule (tools/stage-collection).
STAGE := $(CURDIR)/build/collections
COLLECTION_DIR := $(STAGE)/ansible_collections/obscura/zendesk
export ANSIBLE_COLLECTIONS_PATH := $(STAGE)
export PATH := $(BIN):$(PATH)

# mk/*.mk files add their checks to the phases of `make test`, in file-name order: the two lanes
# STATIC_1 and STATIC_2 run side by side, then INTEGRATION, then the lanes LIVE_1 and LIVE_2 side by
# side. Each lane is mostly one busy process, so two lanes keep both cores of a CI machine at work.
STATIC_1 :=
STATIC_2 :=
INTEGRATION :=
LIVE_1 :=
LIVE_2 :=

# `make help` lists every target from its rule line's `## text` (tools/make-help); `make help-check`
# (in `make test`) fails when a .PHONY target has none, so the list cannot drift from the rules.
.PHONY: help help-check venv venv-oldest stage lock test demo bench clean
help: ## list every target with one line (this list)
	@echo "Usage: make TARGET [VARIABLE=value ...]; start with make demo, then make test."
	@tools/make-help $(MAKEFILE_LIST)

help-check: ## every .PHONY target has one help line in `make help`
	@tools/make-help --check $(MAKEFILE_LIST)

STATIC_1 += help-check

# The Zendesk simulator (simulator/) is a project of its own, installed into .venv in editable mode.
$(VENV)/.synced: requirements/dev.txt tools/make-venv simulator/pyproject.toml
	tools/make-venv $(VENV) requirements/dev.txt $(PYTHON) simulator
venv: $(VENV)/.synced ## create or sync .venv from requirements/dev.txt (and the simulator)

$(VENV_OLDEST)/.synced: requirements/oldest.txt tools/make-venv
	tools/make-venv $(VENV_OLDEST) requirements/oldest.txt $(PYTHON)
venv-oldest: $(VENV_OLDEST)/.synced ## create or sync .venv-oldest (the oldest supported ansible-core)

stage: venv ## copy the collection to build/collections/ansible_collections/obscura/zendesk
	@tools/stage-collection $(STAGE) >/dev/null

lock: venv ## re-pin requirements/*.txt from requirements/*.in (PyPI)
	$(BIN)/uv pip compile -q --python-version 3.12 requirements/dev.in -o requirements/dev.txt
	$(BIN)/uv pip compile -q --python-version 3.12 requirements/oldest.in -o requirements/oldest.txt

include $(sort $(wildcard mk/*.mk))

TEST_TARGETS = $(STATIC_1) $(STATIC_2) $(INTEGRATION) $(LIVE_1) $(LIVE_2)
LANES = $(MAKE) --no-print-directory -j2 --output-sync=recurse
test: venv venv-oldest ## every check, what CI runs: static lanes, integration, live lanes
	@$(LANES) lane/STATIC_1 lane/STATIC_2
	@$(MAKE) --no-print-directory $(INTEGRATION)
	@$(LANES) lane/LIVE_1 lane/LIVE_2
	@echo "make test: all checks passed ($(strip $(TEST_TARGETS)))"

# One lane: its checks one after the other (lane/STATIC_1 runs $(STATIC_1)).
lane/%: ## run one lane's checks one after the other (lane/STATIC_1, lane/LIVE_2, ...)
	@$(MAKE) --no-print-directory $($*)

clean: ## remove build/, tests/output and pytest's cache
	rm -rf build tests/output .pytest_cache

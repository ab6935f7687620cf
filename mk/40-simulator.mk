# Zendesk API simulator (simulator/, installed into .venv) and the Prism contract check (tests/contract).
#   make simulator          run it by hand (SIMULATOR_ARGS="--https --state build/sim.json")
#   make simulator-test     its own test suite
#   make contract-check     drive our API calls through Prism against Zendesk's OpenAPI file
SIMULATOR_ARGS ?=

.PHONY: simulator simulator-test contract-check contract-run

simulator: venv ## run the Zendesk simulator in the foreground (SIMULATOR_ARGS=...)
	$(BIN)/python -m zendesk_simulator $(SIMULATOR_ARGS)

simulator-test: venv ## the simulator's own test suite (simulator/tests)
	$(BIN)/pytest -q -p no:cacheprovider -p zendesk_simulator.pytest_plugin simulator/tests

STATIC_2 += simulator-test

# Contract check: Prism (pinned in tests/contract/package-lock.json, installed into the git-ignored
# tests/contract/node_modules) proxies our calls to the simulator and validates both directions
# against Zendesk's OpenAPI file plus tests/contract/overlay.yaml (see the comments there).
CONTRACT_DIR := $(CURDIR)/tests/contract
CONTRACT_SPEC := $(CURDIR)/../shared/zendesk-oas/oas.yaml
CONTRACT_SPEC_URL := https://developer.zendesk.com/zendesk/oas.yaml
CONTRACT_JSON := $(CURDIR)/build/contract/oas.json
# The collection as ansible_collections/obscura/zendesk, for the modules the check runs through Prism.
CONTRACT_COLLECTIONS := $(CURDIR)/build/contract/collections
PRISM := $(CONTRACT_DIR)/node_modules/.bin/prism

contract-check: venv ## our API calls through Prism against Zendesk's OpenAPI file (skipped without it)
	@if [ ! -f "$(CONTRACT_SPEC)" ]; then \
	  echo "contract-check: $(CONTRACT_SPEC) is missing; Zendesk publishes it at $(CONTRACT_SPEC_URL)"; \
	  if [ "$${CI:-}" = true ]; then echo "contract-check: FAILED (CI=true needs the file)"; exit 1; fi; \
	  echo "contract-check: SKIPPED"; exit 0; \
	fi; \
	$(MAKE) --no-print-directory contract-run

contract-run: $(PRISM) $(CONTRACT_JSON) ## contract-check without the check for the OpenAPI file
	@tools/stage-collection $(CONTRACT_COLLECTIONS) >/dev/null
	PRISM=$(PRISM) CONTRACT_SPEC_JSON=$(CONTRACT_JSON) CONTRACT_COLLECTIONS=$(CONTRACT_COLLECTIONS) \
	  $(BIN)/pytest -q -p no:cacheprovider tests/contract

$(PRISM): $(CONTRACT_DIR)/package.json $(CONTRACT_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "contract-check needs Node.js 20 and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix $(CONTRACT_DIR) --no-audit --no-fund --loglevel=error
	touch $@

$(CONTRACT_JSON): $(CONTRACT_SPEC) $(CONTRACT_DIR)/overlay.yaml $(CONTRACT_DIR)/build_spec.py $(VENV)/.synced
	mkdir -p $(@D)
	$(BIN)/python $(CONTRACT_DIR)/build_spec.py $(CONTRACT_SPEC) $(CONTRACT_DIR)/overlay.yaml $@

STATIC_2 += contract-check

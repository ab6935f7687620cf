# Zendesk API simulator (tests/simulator) and the Prism contract check (tests/contract).
#   make simulator          run it by hand (SIMULATOR_ARGS="--https --state build/sim.json")
#   make simulator-test     its own test suite
#   make contract-check     drive our API calls through Prism against Zendesk's OpenAPI file
SIMULATOR_PATH := $(CURDIR)/tests/simulator
SIMULATOR_ARGS ?=

.PHONY: simulator simulator-test contract-check

simulator: venv
	PYTHONPATH=$(SIMULATOR_PATH) $(BIN)/python -m zendesk_simulator $(SIMULATOR_ARGS)

simulator-test: venv
	PYTHONPATH=$(SIMULATOR_PATH) $(BIN)/pytest -q -p no:cacheprovider -p zendesk_simulator.pytest_plugin tests/simulator/tests

TEST_TARGETS += simulator-test

# The oauth_token role's molecule scenarios (tests/molecule), against two SSH "hosts" on loopback
# and the simulator, all started and stopped by tests/molecule/run (needs root: it may apt-get
# install openssh-server and sudo, and creates test users).
#   make molecule                          every scenario
#   make molecule MOLECULE_SCENARIOS=rotation
#   make molecule-paths                    the runner's SSH state and targets are outside the checkout (cheap)
MOLECULE_STATE := $(CURDIR)/build/molecule
MOLECULE_SCENARIOS ?=

.PHONY: molecule molecule-paths

molecule: venv ## the role's molecule scenarios over SSH (root; MOLECULE_SCENARIOS=...)
	tests/molecule/run $(MOLECULE_STATE) $(MOLECULE_SCENARIOS)

LIVE_1 += molecule

molecule-paths: ## the molecule runner keeps its SSH state and targets outside the checkout
	tests/molecule/check-paths

STATIC_1 += molecule-paths

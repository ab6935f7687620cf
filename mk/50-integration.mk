# Integration tests: the modules run through ansible-playbook / ansible ad hoc against the Zendesk
# simulator (tests/integration: pytest with the simulator's pytest plugin, 2 workers).
#   make integration                       everything; the whole pytest output is in build/integration/pytest.log
#   make integration IT_ARGS='-k absent'   a selection (any pytest arguments)
IT_STAGE := $(CURDIR)/build/integration
IT_LOG := $(IT_STAGE)/pytest.log
IT_ARGS ?=

.PHONY: integration
integration: venv ## modules through ansible-playbook/ad hoc against the simulator (IT_ARGS='-k ...')
	@tools/stage-collection $(IT_STAGE) >/dev/null
	@rc=0; ZENDESK_IT_STAGE=$(IT_STAGE) ZENDESK_IT_STAGED=1 \
	  $(BIN)/pytest -q -p no:cacheprovider -p zendesk_simulator.pytest_plugin -n 2 -rfExX $(IT_ARGS) tests/integration \
	  >$(IT_LOG) 2>&1 || rc=$$?; \
	  grep -a -E '^(FAILED|ERROR|XPASS|XFAIL) ' $(IT_LOG) || true; tail -n 1 $(IT_LOG); exit $$rc

INTEGRATION += integration

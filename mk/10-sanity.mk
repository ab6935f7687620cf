# ansible-test sanity: every test that runs without Docker, on the newest and the oldest
# supported ansible-core (tools/ansible-test stages the collection and works offline).
ANSIBLE_TEST := tools/ansible-test
ANSIBLE_TEST_PYTHON := --venv --python 3.12

.PHONY: sanity sanity-oldest
sanity: venv
	$(ANSIBLE_TEST) $(VENV) sanity $(ANSIBLE_TEST_PYTHON)

sanity-oldest: venv-oldest
	$(ANSIBLE_TEST) $(VENV_OLDEST) sanity $(ANSIBLE_TEST_PYTHON)

TEST_TARGETS += sanity

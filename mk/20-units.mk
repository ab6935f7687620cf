# ansible-test units (pytest over tests/unit/) on the newest and the oldest supported ansible-core.
# Its virtual environment installs tests/unit/requirements.txt pinned by tests/unit/constraints.txt.
.PHONY: units units-oldest
units: venv ## ansible-test units (tests/unit), newest ansible-core
	$(ANSIBLE_TEST) $(VENV) units $(ANSIBLE_TEST_PYTHON)

units-oldest: venv-oldest ## ansible-test units on the oldest ansible-core
	$(ANSIBLE_TEST) $(VENV_OLDEST) units $(ANSIBLE_TEST_PYTHON)

STATIC_1 += units

# Pin every package of the units virtual environment (ours and ansible-test's, for both
# ansible-cores at once) into tests/unit/constraints.txt.
ANSIBLE_TEST_REQUIREMENTS = $$($(1)/bin/python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_data/requirements
.PHONY: units-lock
units-lock: venv venv-oldest ## re-pin tests/unit/constraints.txt for both ansible-cores
	$(BIN)/uv pip compile -q --python-version 3.12 --no-annotate --custom-compile-command 'make units-lock' \
	  tests/unit/requirements.txt \
	  $(foreach venv,$(VENV) $(VENV_OLDEST),$(call ANSIBLE_TEST_REQUIREMENTS,$(venv))/{units,ansible}.txt) \
	  -o tests/unit/constraints.txt

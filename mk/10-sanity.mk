# ansible-test sanity: every test that runs without Docker, on the newest and the oldest
# supported ansible-core (tools/ansible-test stages the collection and works offline).
# tests/sanity/ignore-*.txt stay empty (comments aside): code is fixed, never ignored.
# Every Python file must also compile on Python 3.11, a controller Python of the oldest ansible-core.
ANSIBLE_TEST := tools/ansible-test
ANSIBLE_TEST_PYTHON := --venv --python 3.12
define NO_SANITY_IGNORES
if grep -Hnv '^[[:space:]]*\(#.*\)\?$$' tests/sanity/ignore-*.txt 2>/dev/null; then \
  echo 'tests/sanity: ignore entries are not allowed; fix the code instead' >&2; exit 1; fi
endef

.PHONY: sanity sanity-oldest
sanity: venv ## ansible-test sanity (every test without Docker), newest ansible-core
	@$(NO_SANITY_IGNORES)
	$(ANSIBLE_TEST) $(VENV) sanity $(ANSIBLE_TEST_PYTHON)

sanity-oldest: venv-oldest ## ansible-test sanity on the oldest ansible-core, and compile on Python 3.11
	@$(NO_SANITY_IGNORES)
	$(ANSIBLE_TEST) $(VENV_OLDEST) sanity $(ANSIBLE_TEST_PYTHON)
	$(ANSIBLE_TEST) $(VENV_OLDEST) sanity --test compile --venv --python 3.11

STATIC_1 += sanity

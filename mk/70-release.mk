# Release checks, AWX/ansible-runner, the demo and the docsite in a browser. Tests live in tests/runner/.
#   make demo            expiring tokens on three local "hosts" against the simulator: mint, re-run, renew (demo/run-demo)
#   make demo-test       run the demo and check what it did and printed
#   make release-check   changelog, tarball build + install + ad-hoc module calls, ansible-doc, galaxy-importer
#   make runner-test     the provisioning playbook under ansible-runner as AWX runs it; ansible-builder create
#   make release         only build the release tarball into build/release/dist/
#   make docs-check      build the docsite and check module, role and index pages in headless Chromium
# One test:  make release-check RUNNER_PYTEST_ARGS='-k ansible_doc'
GALAXY_IMPORTER_VENV := $(CURDIR)/.venv-galaxy-importer
RUNNER_PYTEST_ARGS ?=
RUNNER_PYTEST = $(BIN)/pytest -q -p no:cacheprovider -p zendesk_simulator.pytest_plugin \
	--rootdir=$(CURDIR)/tests/runner $(RUNNER_PYTEST_ARGS)

.PHONY: demo demo-test docs-check release-check release runner-test venv-galaxy-importer lock-galaxy-importer

demo: venv ## tokens that expire on three local hosts against the simulator: mint, re-run, renew in the window
	demo/run-demo

$(GALAXY_IMPORTER_VENV)/.synced: requirements/galaxy-importer.txt tools/make-venv
	tools/make-venv $(GALAXY_IMPORTER_VENV) requirements/galaxy-importer.txt $(PYTHON)
venv-galaxy-importer: $(GALAXY_IMPORTER_VENV)/.synced ## create or sync galaxy-importer's own virtualenv

lock: lock-galaxy-importer
lock-galaxy-importer: venv ## re-pin requirements/galaxy-importer.txt (part of make lock)
	$(BIN)/uv pip compile -q --python-version 3.12 --custom-compile-command 'make lock' \
	  requirements/galaxy-importer.in -o requirements/galaxy-importer.txt

release-check: venv venv-galaxy-importer ## changelog, tarball build + install + ad hoc calls, ansible-doc, galaxy-importer
	GALAXY_IMPORTER_VENV=$(GALAXY_IMPORTER_VENV) $(RUNNER_PYTEST) tests/runner/test_release.py

release: venv ## build the release tarball into build/release/dist/
	$(RUNNER_PYTEST) tests/runner/test_release.py -k tarball_contents

runner-test: venv ## the provisioning playbook under ansible-runner as AWX runs it
	$(RUNNER_PYTEST) tests/runner/test_runner.py

demo-test: venv ## run the demo and check what it did and printed
	$(RUNNER_PYTEST) tests/runner/test_demo.py

# The built docsite in headless Chromium (Debian's chromium, installed here when missing: needs root).
docs-check: venv ## build the docsite, screenshot module and role pages in headless Chromium, check their sections
	@command -v chromium >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null; }
	$(RUNNER_PYTEST) tests/runner/test_docsite.py

LIVE_2 += release-check runner-test demo-test docs-check

# The collection's documentation as Ansible users read it (docs/developing.md, "Documentation").
#   make docs        the HTML docsite as docs.ansible.com renders collections (tools/build-docsite):
#                    every module, the role and the docs/*.md pages; open build/docs/site/build/html/
#                    collections/obscura/zendesk/index.html
#   make docs-lint   antsibull-docs' collection linter over a staged copy with the same pages: plugin and role
#                    docs (schema, markup, references) and the extra docs pages
DOCS_DIR := $(CURDIR)/build/docs
DOCS_LINT_DIR := $(CURDIR)/build/docs-lint
DOCS_LINT_COLLECTION := $(DOCS_LINT_DIR)/ansible_collections/obscura/zendesk

.PHONY: docs docs-lint
docs: venv ## build the HTML docsite (modules, role, docs/ pages) into build/docs/site/build/html
	tools/build-docsite $(DOCS_DIR)

docs-lint: venv ## antsibull-docs lint-collection-docs --plugin-docs, with the docs/ pages as extra docs
	@tools/stage-collection $(DOCS_LINT_DIR) >/dev/null
	@$(BIN)/python tools/docsite_pages.py $(DOCS_LINT_COLLECTION)
	$(BIN)/antsibull-docs lint-collection-docs --plugin-docs $(DOCS_LINT_COLLECTION)

STATIC_2 += docs-lint

# ansible-lint over the whole collection (settings: .ansible-lint), offline and reproducible: the
# pinned ansible-lint on a fresh copy of exactly the collection's files (tools/run-staged).
.PHONY: lint test-oldest
lint: venv ## ansible-lint over the staged collection, offline
	tools/run-staged lint $(BIN)/ansible-lint --offline

STATIC_1 += lint

# Sanity and unit tests on the oldest supported ansible-core, after every check on the newest.
test-oldest: sanity-oldest units-oldest ## sanity and units on the oldest ansible-core
STATIC_2 += sanity-oldest units-oldest

# ansible-lint over the whole collection (settings: .ansible-lint), offline and reproducible:
# the pinned ansible-lint, with this collection found through the staged copy (`make stage`).
.PHONY: lint test-oldest
lint: stage
	$(BIN)/ansible-lint --offline

TEST_TARGETS += lint

# Sanity and unit tests on the oldest supported ansible-core, after every check on the newest.
test-oldest: sanity-oldest units-oldest
TEST_TARGETS += sanity-oldest units-oldest

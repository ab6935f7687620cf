"""A stateful Zendesk Support API simulator for tests, demos and benchmarks (not part of the collection)."""

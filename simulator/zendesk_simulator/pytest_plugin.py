"""pytest fixtures: `-p zendesk_simulator.pytest_plugin` (the package is installed into .venv from simulator/).

* `zendesk_simulator` (session): a running SimulatorProcess (`.url`, `.ca_path`, `.control`).
* `sim` (function): its SimulatorControl, reset to the seed before each test. Its clock moves with
  `sim.advance_clock(seconds)` and `sim.set_clock(moment)` (reads: `sim.now()`); `sim.add_client(...,
  created_at=...)` backdates a client, whose grant tokens then get the default lifetime of that date.
"""

import pytest

from .testing import SimulatorProcess


@pytest.fixture(scope="session")
def zendesk_simulator():
    """One simulator subprocess for the whole test session."""
    with SimulatorProcess() as process:
        yield process


@pytest.fixture
def sim(zendesk_simulator):  # pylint: disable=redefined-outer-name  # fixture injection
    """The simulator's control client, reset to the seed (log, counters, faults, clock cleared)."""
    zendesk_simulator.control.reset()
    return zendesk_simulator.control

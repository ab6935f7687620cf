# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the integration tests (the simulator's `zendesk_simulator`/`sim` come from its pytest plugin).

Run with `make integration`, or:
  .venv/bin/pytest -p zendesk_simulator.pytest_plugin -n 2 tests/integration
The collection is staged into build/integration first (by make, or here when ZENDESK_IT_STAGED is not 1).
"""

from __future__ import annotations

import os
import subprocess

import pytest

from harness import REPO, STAGE, Harness


def pytest_configure(config):
    """Stage the collection once, in the controlling process (not in xdist workers)."""
    if hasattr(config, "workerinput") or os.environ.get("ZENDESK_IT_STAGED") == "1":
        return
    subprocess.run([str(REPO / "tools" / "stage-collection"), str(STAGE)], check=True, stdout=subprocess.DEVNULL)


@pytest.fixture(name="harness")
def harness_fixture(zendesk_simulator, sim, tmp_path):  # pylint: disable=unused-argument  # sim: reset per test
    """A Harness on the freshly reset simulator."""
    return Harness(zendesk_simulator, tmp_path)

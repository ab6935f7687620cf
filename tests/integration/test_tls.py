# -*- coding: utf-8 -*-
# Copyright (c) obscura.zendesk contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""TLS options against the simulator over HTTPS with its private CA: ca_path, validate_certs."""

from __future__ import annotations

import pytest
import requests

from harness import Case, Harness, assert_failed, assert_minted, assert_ok

from zendesk_simulator import seed
from zendesk_simulator.testing import SimulatorProcess

INFO = {"id": seed.MY_APP_CLIENT_ID}


@pytest.fixture(name="https_harness", scope="module")
def https_harness_fixture(tmp_path_factory):
    """A Harness on a simulator of its own that serves HTTPS (one for this file's tests)."""
    with SimulatorProcess(https=True) as simulator:
        yield Harness(simulator, tmp_path_factory.mktemp("https"))


def tls_cases(ca_path):
    """ca_path as an option and through module_defaults, no ca_path, validate_certs=false."""
    return [
        Case("ca_path through module_defaults", INFO, module="info", defaults={"ca_path": ca_path}),
        Case("mint with ca_path", {"client_id": seed.MY_APP_CLIENT_ID, "recreate": "always", "ca_path": ca_path}),
        Case("no ca_path", INFO, module="info"),
        Case("validate_certs false", dict(INFO, validate_certs=False), module="info"),
    ]


def assert_tls_options_work(run):
    """A private CA needs ca_path; without it verification fails with advice; validate_certs=false skips it."""
    for name in ("ca_path through module_defaults", "validate_certs false"):
        assert_ok(run[name], False)
        assert run[name].result["clients"][0]["identifier"] == seed.MY_APP_CLIENT_IDENTIFIER
        assert len(run[name].requests) == 1, run[name].describe()
    assert_minted(run["mint with ca_path"])
    assert_failed(run["no ca_path"], "TLS", "ca_path")
    assert run["no ca_path"].requests == []


def test_ca_path_and_validate_certs(https_harness):
    """ca_path and validate_certs decide how the server's certificate is checked."""
    assert https_harness.url.startswith("https://")
    assert_tls_options_work(https_harness.play(tls_cases(https_harness.simulator.ca_path)))


def test_ca_path_and_validate_certs_win_over_requests_ca_bundle(https_harness):
    """REQUESTS_CA_BUNDLE (common on managed hosts and CI images) must not override ca_path or validate_certs=false."""
    env = {"REQUESTS_CA_BUNDLE": requests.certs.where()}
    assert_tls_options_work(https_harness.play(tls_cases(https_harness.simulator.ca_path), env=env))

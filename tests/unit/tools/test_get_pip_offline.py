"""Tests for tools/get_pip_offline.py, the offline stand-in for ansible-test's get-pip.py."""

from __future__ import annotations

import importlib.util
import pathlib
import subprocess
import sys

import pytest

SCRIPT = pathlib.Path(__file__).resolve().parents[3] / 'tools' / 'get_pip_offline.py'


def load_script():
    """Import the stand-in script as a module."""
    spec = importlib.util.spec_from_file_location('get_pip_offline', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(name='get_pip')
def get_pip_fixture():
    """The stand-in script, loaded afresh."""
    return load_script()


def run_main(get_pip, monkeypatch, statuses, arguments):
    """Run main() with subprocess.call answering `statuses`; return (exit status, calls made)."""
    calls = []

    def fake_call(command, **_options):
        calls.append(command)
        return statuses[len(calls) - 1]

    monkeypatch.setattr(subprocess, 'call', fake_call)
    monkeypatch.setattr(sys, 'argv', ['get_pip_25_2.py'] + arguments)
    with pytest.raises(SystemExit) as stopped:
        get_pip.main()
    return stopped.value.code, calls


def test_get_pip_only_options_are_dropped(get_pip):
    """Options only get-pip.py knows are removed; everything else reaches pip install in order."""
    arguments = ['--disable-pip-version-check', 'pip==25.2', '--no-setuptools', '--no-wheel']
    assert get_pip.pip_install_arguments(arguments) == ['--disable-pip-version-check', 'pip==25.2']


def test_bootstraps_pip_in_a_subprocess_then_installs(get_pip, monkeypatch):
    """ensurepip runs in its own process, then pip installs the requested packages."""
    status, calls = run_main(get_pip, monkeypatch, [0, 0], ['pip==25.2', '--no-wheel'])
    assert status == 0
    assert calls == [
        [sys.executable, '-m', 'ensurepip', '--upgrade'],
        [sys.executable, '-m', 'pip', 'install', '--quiet', 'pip==25.2'],
    ]


def test_failed_ensurepip_stops_with_its_status(get_pip, monkeypatch):
    """When ensurepip fails, nothing is installed and its exit status is returned."""
    status, calls = run_main(get_pip, monkeypatch, [3], ['pip==25.2'])
    assert status == 3
    assert len(calls) == 1


def test_failed_install_returns_its_status(get_pip, monkeypatch):
    """When pip install fails, its exit status is returned."""
    status, calls = run_main(get_pip, monkeypatch, [0, 1], ['pip==25.2'])
    assert status == 1
    assert len(calls) == 2

"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

ansible-test bootstraps pip into each empty virtual environment it creates by running a
get-pip.py script fetched from the internet and cached as
~/.ansible/test/cache/get_pip_<version>.py; tools/ansible-test installs this file there instead.
It bootstraps the pip bundled with Python (ensurepip) and then lets that pip install the
requested packages (the pinned pip release) from the configured package index.
"""

import subprocess
import sys

# get-pip.py's own options, which `pip install` rejects (it installs neither setuptools nor wheel).
GET_PIP_ONLY_OPTIONS = frozenset(('--no-setuptools', '--no-wheel'))


def run(arguments, **options):
    """Run this interpreter with the given arguments; return its exit status."""
    return subprocess.call([sys.executable] + arguments, **options)


def pip_install_arguments(get_pip_arguments):
    """Return the `pip install` arguments equivalent to get-pip.py's arguments."""
    return [argument for argument in get_pip_arguments if argument not in GET_PIP_ONLY_OPTIONS]


def main():
    """Bootstrap pip, then install what get-pip.py was asked to install."""
    # ensurepip runs in its own process: in this one it would blank pip's configuration.
    status = run(['-m', 'ensurepip', '--upgrade'], stdout=subprocess.DEVNULL)
    if status == 0:
        status = run(['-m', 'pip', 'install', '--quiet'] + pip_install_arguments(sys.argv[1:]))
    sys.exit(status)


if __name__ == '__main__':
    main()

"""The `relay` console script: `relay --version` answers before click and the commands load.

Starting Python, click and the command definitions costs more than the 150 ms
issue 12 allows `relay --version`. The version is a constant in
`registry/__init__.py` (pyproject.toml reads it from there, so the installed
metadata says the same), so printing it imports nothing; every other command
line goes to the click group in `registry.cli`, which prints the same line for
`--version` among other arguments.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from . import __version__

        sys.stdout.write(f"relay, version {__version__}\n")
        return
    from .cli import main as relay

    relay()

"""The `relay` console script: the command lines that must start fast answer before click loads.

Starting Python, click and the command definitions costs more than the 150 ms
issue 12 allows `relay --version`. So:

- `relay --version` prints the constant in `registry/__init__.py` (pyproject.toml
  reads it from there, so the installed metadata says the same) and imports
  nothing else;
- `relay validate [PATH...]` (the pre-commit hook) and `relay validate
  --changed-since REV [PATH...]` (a pull request's check), with no other
  option, run without click (`registry.validate_command`: the click command
  runs the same code);
- any other `relay validate ... --changed-since REV` starts `git status` first,
  so git walks the work tree while click and the validator load.

Every other command line goes to the click group in `registry.cli`, where every
command and option is defined.
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if args == ["--version"]:
        from . import __version__

        sys.stdout.write(f"relay, version {__version__}\n")
        return
    if args[:1] == ["validate"]:
        from . import validate_command

        plain = validate_command.read_plain(args[1:])
        if plain is not None:
            sys.exit(validate_command.main_without_click(plain))
        validate_command.start_status(args[1:])
    from .cli import main as relay

    relay()

"""What every `relay` command prints for an error, and how it prints, without loading click.

The click commands (`registry.cli`) and the console script's click-free door
for `relay validate PATH...` (`registry.validate_command`) both print through
here, so a user sees one shape whichever ran: a library error is one line on
standard error starting with `Error: ` (the prefix click gives its own usage
errors) and exit status 2, never a traceback.
"""

from __future__ import annotations

from typing import TextIO

from .errors import RelayError, VersionNotFound
from .safepath import printable

ERROR_PREFIX = "Error: "  # click's own usage errors end with this line; ours match it


def error_line(message: str) -> str:
    """One error line as every command prints it on stderr."""
    return f"{ERROR_PREFIX}{message}"


def user_message(exc: BaseException) -> str | None:
    """The message for an error the user can fix; None for one that is a bug.

    A RelayError says what is wrong (a version that is not found adds the command that
    lists the versions); an OSError is an output file or folder that cannot be written.
    """
    if isinstance(exc, VersionNotFound):
        hint = f"; `relay versions {exc.skill}` lists them" if exc.skill else ""
        return f"{exc}{hint}"
    if isinstance(exc, RelayError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    return None


def write(stream: TextIO | None, text: str) -> None:
    """Print `text` as `registry.cli.echo` does: control characters escaped (names, messages and
    file names come from contributors, and an ESC must not reach the terminal), flushed at once."""
    if text and stream is not None:
        stream.write(printable(text))
        stream.flush()

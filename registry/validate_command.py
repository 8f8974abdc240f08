"""What `relay validate` does once its options are read, for the click command and the fast door.

`relay validate PATH...` is what the pre-commit hook runs on every commit, and
it passes no option. Importing click and defining every command cost that run
about a fifth of its start (issue 12), so the console script (`registry.entry`)
sends a command line of `validate` and paths alone here without click; any
option, `--help` included, goes through the click command in `registry.cli`,
which is where every option is defined. Both call `run`, so the report, the
files it writes and the exit status are the same either way, and both print a
library error as the same one line (`registry.cli_text`).

`--changed-since` walks the work tree with `git status`, the longest part of a
pull request's check: `start_status` runs it before click loads, and the click
command picks it up (`take_status`).
"""

from __future__ import annotations

import atexit
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .choices import DEFAULT_FORMAT
from .cli_text import error_line, user_message, write
from .errors import RelayError

if TYPE_CHECKING:
    from .validate import ValidationReport
    from .worktree import Status

CHANGED_SINCE = "--changed-since"
_early: list[Status] = []  # a `git status` the console script started before click loaded


class Outcome(NamedTuple):  # not a dataclass: `dataclasses` loads `inspect`, before git starts
    """What to print (standard output, then standard error) and the exit status."""

    out: str
    err: str
    exit_code: int


def run(paths: list[Path], *, changed_since: str | None, fmt: str, profile: str | None,
        jobs: int | None, output: Path | None, sarif_path: Path | None,
        summary_path: Path | None) -> Outcome:
    """Validate, write the files asked for, and say what to print. Library errors propagate."""
    from .worktree import early_status

    status = None
    if changed_since is not None:  # git walks the work tree while the validator loads
        status = take_status() or early_status(Path.cwd())
    try:
        from .validate import validate_paths

        result = validate_paths(paths, changed_since=changed_since, profile=profile, jobs=jobs,
                                status=status)
    finally:
        if status is not None:
            status.close()
    from . import report as reports

    text = reports.render(result, fmt)
    if sarif_path:
        sarif_path.write_text(reports.render_sarif(result), encoding="utf-8")
    if summary_path:
        with summary_path.open("a", encoding="utf-8") as handle:
            handle.write(_summary(result))
    code = 0 if result.ok else 1
    if output:
        output.write_text(text, encoding="utf-8")
        return Outcome("", reports.summary(result) + "\n", code)
    return Outcome(text, "", code)


def only_paths(args: list[str]) -> bool:
    """Whether `relay validate ARGS` names paths only: no option, and so nothing click must read."""
    return not any(arg.startswith("-") for arg in args)


def main_without_click(args: list[str]) -> int:
    """`relay validate PATH...` with every option at its default; the exit status."""
    try:
        outcome = run([Path(arg) for arg in args], changed_since=None, fmt=DEFAULT_FORMAT,
                      profile=None, jobs=None, output=None, sarif_path=None, summary_path=None)
        write(sys.stdout, outcome.out)
        write(sys.stderr, outcome.err)
    except BrokenPipeError:
        return 1
    except KeyboardInterrupt:  # as click says it
        write(sys.stderr, "\nAborted!\n")
        return 1
    except (RelayError, OSError) as exc:
        write(sys.stderr, error_line(user_message(exc) or str(exc)) + "\n")
        return 2
    return outcome.exit_code


def start_status(args: list[str]) -> None:
    """Start `git status` now when `relay validate ARGS` has --changed-since (before click loads)."""
    if any(arg == CHANGED_SINCE or arg.startswith(CHANGED_SINCE + "=") for arg in args):
        from .worktree import early_status

        status = early_status(Path.cwd())
        if status is not None:
            _early.append(status)
            atexit.register(_close_unused)  # `--help`, or a usage error: git is not left running


def _close_unused() -> None:
    status = take_status()
    if status is not None:
        status.close()


def take_status() -> Status | None:
    """The `git status` `start_status` started, if any, for the caller to read and close."""
    return _early.pop() if _early else None


def _summary(result: ValidationReport) -> str:
    from .ci import summary_markdown
    from .config import load_config
    from .repo import open_repository

    try:
        repo = open_repository(Path.cwd())
    except RelayError:
        return summary_markdown(result, result.changes, None, "skills")
    root = Path(repo.workdir) if repo.workdir else Path.cwd()
    return summary_markdown(result, result.changes, repo, load_config(root).skills_dir)

"""What `relay validate` does once its options are read, for the click command and the fast door.

The pre-commit hook runs `relay validate PATH...` on every commit, and a pull
request's check `relay validate --changed-since REV`; neither passes another
option. Importing click and defining every command cost those runs about a
fifth of their start (issue 12), so the console script (`registry.entry`)
sends such a command line here (`read_plain`) and it runs without click; any
other option, `--help` included, goes through the click command in
`registry.cli`, which is where every option is defined and documented. Both call
`run`, so the report, the files it writes and the exit status are the same
either way, and both print a library error as the same one line
(`registry.cli_text`).

`--changed-since` walks the work tree with `git status`, the longest part of a
pull request's check: it starts before anything else loads (`start_status` when
click reads the command line, which then picks it up with `take_status`).
"""

from __future__ import annotations

import atexit
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .choices import CHANGED_SINCE, DEFAULT_FORMAT
from .cli_text import error_line, user_message, write
from .errors import RelayError

if TYPE_CHECKING:
    from .validate import ValidationReport
    from .worktree import Status

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


class Plain(NamedTuple):
    """A command line the door runs without click: paths, and at most `--changed-since REV`."""

    paths: list[str]
    changed_since: str | None


def read_plain(args: list[str]) -> Plain | None:
    """`relay validate ARGS` as a `Plain` command line, or None when click must read it.

    Paths never start with `-`, and `--changed-since` is taken only in the two spellings
    click reads the same way (`--changed-since REV` with REV not an option, and
    `--changed-since=REV`), once; anything else (`--`, another option, `--help`) is None.
    """
    paths: list[str] = []
    since: str | None = None
    rest = iter(args)
    for arg in rest:
        if arg == CHANGED_SINCE and since is None:
            since = next(rest, None)
            if since is None or since.startswith("-"):
                return None
        elif arg.startswith(CHANGED_SINCE + "=") and since is None:
            since = arg[len(CHANGED_SINCE) + 1:]
        elif arg.startswith("-"):
            return None
        else:
            paths.append(arg)
    return Plain(paths, since)


def main_without_click(line: Plain) -> int:
    """Run a `Plain` command line with every other option at its default; the exit status."""
    try:
        outcome = run([Path(arg) for arg in line.paths], changed_since=line.changed_since,
                      fmt=DEFAULT_FORMAT, profile=None, jobs=None, output=None, sarif_path=None,
                      summary_path=None)
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

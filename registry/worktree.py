"""The work tree as git sees it, without loading libgit2: its root, and what `git status` reports.

Both serve commands that must start fast: `relay validate PATH` (the
pre-commit hook) only needs the root, and `--changed-since` starts `git status`
before it loads anything else, so git walks the work tree while Python imports
(issue 12).
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import subprocess


def worktree_root(start: Path) -> Path | None:
    """The working tree holding `start`: the nearest folder with a `.git` entry.

    `.git` is a folder, or a file in a linked worktree or submodule; either marks
    the root, as for git itself.
    """
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


class Status:
    """`git status` of a work tree, run in the background from construction until `paths()`.

    `git status` answers from the index's stat cache (and the untracked cache or
    fsmonitor where the repository has them), so only files whose stat changed
    are read. It runs as the plain command does, over the whole work tree with
    untracked folders shown as folders: git uses a repository's untracked cache
    for nothing else (a pathspec or `--untracked-files=all` turned it off, which
    cost a 10,000-skill repository that has one 0.5 s of CPU, issue 12). Without a
    `git` executable `paths()` returns None and the caller asks libgit2 instead
    (`changes._by_libgit2`). Use it as a context manager, so an error never
    leaves the process behind.
    """

    def __init__(self, root: Path) -> None:
        import subprocess  # here, not at the top: `relay validate PATH` needs only the root

        self.root = root
        command = ["git", "-C", str(root), "status", "--porcelain=v1", "-z", "--no-renames",
                   "--untracked-files=normal"]
        try:
            self._process: subprocess.Popen[bytes] | None = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            self._process = None

    def paths(self) -> set[str] | None:
        """Paths from the root that are staged, modified, deleted or untracked (an untracked folder
        as itself, ending in `/`); None if git failed."""
        if self._process is None:
            return None
        out, _ = self._process.communicate()
        if self._process.returncode != 0:
            return None
        # Each entry is `XY path` and a NUL; with --no-renames there is no second path.
        return {os.fsdecode(entry[3:]) for entry in out.split(b"\0") if len(entry) > 3}

    def __enter__(self) -> Status:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop git if its answer was never read."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            self._process.communicate()


def early_status(start: Path) -> Status | None:
    """`git status` of the work tree holding `start`, started right away.

    `relay validate --changed-since` calls this before it loads the settings and the
    validator (YAML, fastjsonschema, markdown-it: most of its start), so git walks the
    work tree meanwhile; None outside git.
    """
    root = worktree_root(start.resolve())
    return Status(root) if root is not None else None

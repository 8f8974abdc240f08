"""Refuse any file path a client sends that could step outside a skill, before it reaches git.

Reads come from git trees, so a traversal could never reach the disk; refusing
early still gives the caller a clear error instead of a confusing "not found",
and keeps symlinks (whose targets may point anywhere) from being served. The
rules themselves are registry.safepath's, the one guard for every path; this
module adds what only a URL can carry (percent-encoding) and `./` tidying.
"""

from __future__ import annotations

from registry.model import FileKind, SkillFile
from registry.safepath import UnsafePath, printable
from registry.safepath import check_path as check_git_path
from registry.tree import GitTree

_ENCODED = ("%2e", "%2f", "%5c", "%00")

__all__ = ["UnsafePath", "check_path", "find_file"]


def check_path(path: str, raw: str | None = None) -> str:
    """`path` normalised (no leading './'), or UnsafePath with the reason."""
    text = raw if raw is not None else path
    if any(code in text.lower() for code in _ENCODED):
        raise UnsafePath(f"'{printable(path)}': percent-encoded dots, separators or NULs are not allowed")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts:
        raise UnsafePath("an empty path names no file")
    if path.startswith("/"):
        raise UnsafePath(f"'{printable(path)}': absolute paths are not allowed; "
                         "use a path relative to the skill")
    return check_git_path("/".join(parts))


def find_file(tree: GitTree, path: str) -> SkillFile:
    """The file at a checked path, refusing symlinks and submodules."""
    for entry in tree.files():
        if entry.path == path:
            if entry.kind is FileKind.SYMLINK:
                raise UnsafePath(f"{path!r} is a symbolic link; links are never served")
            if entry.kind is FileKind.SUBMODULE:
                raise UnsafePath(f"{path!r} is a submodule, not a file")
            return entry
    raise FileNotFoundError(path)

"""Refuse any file path that could step outside a skill, before it reaches git.

Reads come from git trees, so a traversal could never reach the disk; refusing
early still gives the caller a clear error instead of a confusing "not found",
and keeps symlinks (whose targets may point anywhere) from being served.
"""

from __future__ import annotations

from registry.model import FileKind, SkillFile
from registry.tree import GitTree

_ENCODED = ("%2e", "%2f", "%5c", "%00")


class UnsafePath(ValueError):
    """The path is not a plain relative path inside the skill."""


def check_path(path: str, raw: str | None = None) -> str:
    """`path` normalised (no leading './'), or UnsafePath with the reason."""
    text = raw if raw is not None else path
    if any(code in text.lower() for code in _ENCODED):
        raise UnsafePath(f"{path!r}: percent-encoded dots, separators or NULs are not allowed")
    if "\\" in path or "\0" in path:
        raise UnsafePath(f"{path!r}: backslashes and NUL bytes are not allowed")
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        raise UnsafePath(f"{path!r}: absolute paths are not allowed; use a path relative to the skill")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts:
        raise UnsafePath("an empty path names no file")
    if ".." in parts:
        raise UnsafePath(f"{path!r}: '..' would leave the skill folder")
    return "/".join(parts)


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

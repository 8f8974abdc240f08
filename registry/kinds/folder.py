"""A read-only view of the repository root, on disk or as a git tree.

Item discovery and every kind's checks read through this one small interface,
so the same rules run on a contributor's working tree and on any commit, with
no checkout (the skill checks do the same through `registry.tree`).
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ..tree import DirTree, SkillTree

if TYPE_CHECKING:
    import pygit2

_LINK_MODE = 0o120000  # git's file mode for a symbolic link


class Folder(Protocol):
    """Paths are posix and relative to the folder; "" is the folder itself."""

    def entries(self, rel: str = "") -> list[tuple[str, bool]]:
        """(name, is_folder) of the entries of folder `rel`, sorted; [] when absent."""
        ...

    def is_file(self, rel: str) -> bool: ...

    def is_dir(self, rel: str) -> bool: ...

    def read(self, rel: str) -> bytes: ...

    def object_id(self, rel: str) -> str | None:
        """The git object id at `rel` (tree or blob); None in a working tree."""
        ...

    def skill_tree(self, rel: str) -> SkillTree: ...

    def sub(self, rel: str) -> Folder:
        """The folder at `rel` as a Folder of its own (empty when absent)."""
        ...


def clean(rel: str) -> str | None:
    """A path relative to a folder, normalised; None when it leaves the folder or is absolute."""
    if rel.startswith("/") or "\\" in rel:
        return None
    norm = posixpath.normpath(rel) if rel else "."
    if norm == ".":
        return ""
    if norm == ".." or norm.startswith("../"):
        return None
    return norm


class DiskFolder:
    """A folder in the working tree; symlinks count as files and are never followed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, rel: str) -> Path:
        return self.root / rel if rel else self.root

    def entries(self, rel: str = "") -> list[tuple[str, bool]]:
        try:
            found = [(e.name, e.is_dir(follow_symlinks=False)) for e in os.scandir(self._path(rel))]
        except OSError:
            return []
        return sorted((n, d) for n, d in found if n != ".git")

    def is_file(self, rel: str) -> bool:
        path = self._path(rel)
        return path.is_symlink() or path.is_file()

    def is_dir(self, rel: str) -> bool:
        path = self._path(rel)
        return not path.is_symlink() and path.is_dir()

    def read(self, rel: str) -> bytes:
        if self._path(rel).is_symlink():
            raise OSError(f"{rel} is a symbolic link, not a regular file")
        try:
            return self._path(rel).read_bytes()
        except IsADirectoryError:
            raise FileNotFoundError(rel) from None

    def object_id(self, rel: str) -> str | None:
        return None

    def skill_tree(self, rel: str) -> SkillTree:
        return DirTree(self._path(rel))

    def sub(self, rel: str) -> DiskFolder:
        return DiskFolder(self._path(rel))


class GitFolder:
    """A git tree: any commit's root, read from the object database (pygit2 objects)."""

    def __init__(self, repo: pygit2.Repository, tree: pygit2.Tree | None) -> None:
        self.repo = repo
        self.tree = tree
        self._trees: dict[str, Any] = {}  # folder path -> its Tree (None: no such folder)

    def _entry(self, rel: str) -> Any:  # the root Tree, a tree entry, or None
        if not rel or self.tree is None:
            return self.tree
        parent, _, name = rel.rpartition("/")
        folder = self._folder(parent)
        if folder is None:
            return None
        try:
            return folder[name]
        except KeyError:
            return None

    def _folder(self, rel: str) -> Any:
        """The Tree at folder `rel`, parsed once: a lookup by full path re-reads every folder on
        the way (the 10,000-entry skills folder each time: 4 minutes per snapshot, issue 12)."""
        if rel not in self._trees:
            entry = self._entry(rel) if rel else None
            self._trees[rel] = (self.tree if not rel else
                                self.repo[entry.id] if entry is not None and entry.type_str == "tree"
                                else None)
        return self._trees[rel]

    def entries(self, rel: str = "") -> list[tuple[str, bool]]:
        entry = self._entry(rel)
        if entry is None or entry.type_str != "tree":
            return []
        tree: Any = self.repo[entry.id]
        return sorted((e.name or "", e.type_str == "tree") for e in tree)

    def is_file(self, rel: str) -> bool:
        entry = self._entry(rel)
        return entry is not None and entry.type_str == "blob"

    def is_dir(self, rel: str) -> bool:
        entry = self._entry(rel)
        return entry is not None and entry.type_str == "tree"

    def read(self, rel: str) -> bytes:
        entry = self._entry(rel)
        if entry is None or entry.type_str != "blob":
            raise FileNotFoundError(rel)
        if getattr(entry, "filemode", 0) == _LINK_MODE:
            raise OSError(f"{rel} is a symbolic link, not a regular file")
        blob: Any = self.repo[entry.id]
        return bytes(blob.data)

    def object_id(self, rel: str) -> str | None:
        entry = self._entry(rel)
        return str(entry.id) if entry is not None else None

    def skill_tree(self, rel: str) -> SkillTree:
        entry = self._entry(rel)
        if entry is None or entry.type_str != "tree":
            raise FileNotFoundError(rel)
        from ..tree import GitTree

        tree: Any = self.repo[entry.id]
        return GitTree(self.repo, tree)

    def sub(self, rel: str) -> GitFolder:
        entry = self._entry(rel)
        if entry is None or entry.type_str != "tree":
            return GitFolder(self.repo, None)
        tree: Any = self.repo[entry.id]
        return GitFolder(self.repo, tree)

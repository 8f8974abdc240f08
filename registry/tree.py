"""Read a skill folder's files from disk or straight from the git object database.

Validation and the catalog see both through one small interface, so the same
rules run on a contributor's uncommitted work and on any committed version,
with no checkout.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .model import FileKind, SkillFile
from .safepath import check_path, unsafe_reason

if TYPE_CHECKING:
    import pygit2

# pygit2 is imported by GitTree only: `relay validate PATH` (the pre-commit hook) reads
# folders on disk and should not pay for loading libgit2 (issue 12).


class SkillTree(Protocol):
    """The files of one skill folder; paths are posix and relative to the folder.

    `files()` holds only paths that pass the path guard (registry.safepath); the entries it
    refused are in `unsafe`, as (path, reason), for validation to report.
    """

    unsafe: list[tuple[str, str]]

    def files(self) -> list[SkillFile]: ...

    def read(self, path: str) -> bytes: ...


def has_files(folder: Path | str) -> bool:
    """Whether a folder holds at least one file: git keeps no empty folders, so neither do we."""
    return any(files for _, _, files in os.walk(folder))


class DirTree:
    """A skill folder in the working tree. Symlinks are reported, never followed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: list[SkillFile] | None = None
        self.unsafe: list[tuple[str, str]] = []

    def files(self) -> list[SkillFile]:
        if self._files is None:
            found: list[SkillFile] = []
            self._scan(self.root, "", found)
            found.sort(key=lambda f: f.path)
            self._files = found
        return self._files

    def _scan(self, directory: Path, prefix: str, found: list[SkillFile]) -> None:
        try:
            entries = list(os.scandir(directory))
        except OSError:
            return
        for entry in entries:
            rel = prefix + entry.name
            if entry.name == ".git":
                continue
            reason = unsafe_reason(rel)
            if reason is not None:
                self.unsafe.append((rel, reason))
                continue
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISLNK(st.st_mode):
                found.append(SkillFile(rel, st.st_size, FileKind.SYMLINK, os.readlink(entry.path)))
            elif stat.S_ISDIR(st.st_mode):
                self._scan(Path(entry.path), rel + "/", found)
            elif stat.S_ISREG(st.st_mode):
                kind = FileKind.EXECUTABLE if st.st_mode & 0o111 else FileKind.FILE
                found.append(SkillFile(rel, st.st_size, kind))

    def read(self, path: str) -> bytes:
        return (self.root / check_path(path)).read_bytes()


class GitTree:
    """A skill folder as a git tree object: any version, read from the object database."""

    def __init__(self, repo: pygit2.Repository, tree: pygit2.Tree) -> None:
        self.repo = repo
        self.tree = tree
        self._files: list[SkillFile] | None = None
        self._blobs: dict[str, pygit2.Oid] = {}
        self.unsafe: list[tuple[str, str]] = []

    @property
    def tree_id(self) -> str:
        return str(self.tree.id)

    def files(self) -> list[SkillFile]:
        if self._files is None:
            found: list[SkillFile] = []
            self._scan(self.tree, "", found)
            found.sort(key=lambda f: f.path)
            self._files = found
        return self._files

    def _scan(self, tree: pygit2.Tree, prefix: str, found: list[SkillFile]) -> None:
        import pygit2

        from .repo import blob_at, tree_at

        for entry in tree:
            rel = prefix + (entry.name or "")
            reason = unsafe_reason(rel)
            if reason is not None:  # `..`, `a\\b`, escapes: crafted with `git mktree`
                self.unsafe.append((rel, reason))
                continue
            mode = entry.filemode
            if mode == pygit2.GIT_FILEMODE_TREE:
                self._scan(tree_at(self.repo, entry.id), rel + "/", found)
            elif mode == pygit2.GIT_FILEMODE_COMMIT:
                found.append(SkillFile(rel, 0, FileKind.SUBMODULE))
            else:
                blob = blob_at(self.repo, entry.id)
                self._blobs[rel] = entry.id
                if mode == pygit2.GIT_FILEMODE_LINK:
                    target = blob.data.decode("utf-8", "replace")
                    found.append(SkillFile(rel, blob.size, FileKind.SYMLINK, target))
                else:
                    kind = (FileKind.EXECUTABLE if mode == pygit2.GIT_FILEMODE_BLOB_EXECUTABLE
                            else FileKind.FILE)
                    found.append(SkillFile(rel, blob.size, kind))

    def read(self, path: str) -> bytes:
        """A file's bytes; only paths that `files()` lists can be read."""
        if self._files is None:
            self.files()
        from .repo import blob_at

        try:
            return bytes(blob_at(self.repo, self._blobs[path]).data)
        except KeyError:
            raise FileNotFoundError(path) from None


"""Each skill version's file list with sha256 digests, cached by tree id.

A tree id names immutable content, so a digest computed once is right forever;
the cache only bounds memory.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from registry.model import FileKind
from registry.tree import GitTree

MAX_FILES = 512  # the Skills extension's per-skill limits
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class FileDigest:
    path: str
    size: int
    digest: str  # "sha256:<hex>"


@dataclass(frozen=True)
class Manifest:
    tree_id: str
    files: tuple[FileDigest, ...]

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def within_limits(self) -> bool:
        return len(self.files) <= MAX_FILES and self.total_bytes <= MAX_BYTES


class ManifestCache:
    """Least-recently-used map from tree id to its manifest."""

    def __init__(self, capacity: int = 8192) -> None:
        self.capacity = capacity
        self._items: OrderedDict[str, Manifest] = OrderedDict()

    def get(self, tree: GitTree) -> Manifest:
        key = tree.tree_id
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            return found
        manifest = Manifest(key, tuple(
            FileDigest(f.path, f.size, "sha256:" + hashlib.sha256(tree.read(f.path)).hexdigest())
            for f in tree.files() if f.kind in (FileKind.FILE, FileKind.EXECUTABLE)))
        self._items[key] = manifest
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return manifest

"""Each skill version's served files with sha256 digests, cached by tree id.

What the list holds (regular files, `sha256:<hex>`, the 512-file/16 MiB limits)
is defined once in `registry.content`, shared with the site's JSON API. A tree
id names immutable content, so a digest computed once is right forever; the
cache only bounds memory.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from registry.content import FileDigest, file_digests, within_limits
from registry.tree import GitTree


@dataclass(frozen=True)
class Manifest:
    tree_id: str
    files: tuple[FileDigest, ...]

    @property
    def total_bytes(self) -> int:
        return sum(f.size for f in self.files)

    @property
    def within_limits(self) -> bool:
        return within_limits(self.files)


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
        manifest = Manifest(key, tuple(file_digests(tree)))
        self._items[key] = manifest
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return manifest

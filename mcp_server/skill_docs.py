"""What `get_skill` returns for a version (its SKILL.md and bundled file list), cached by tree id.

A tree id names immutable content, so what was read once is right forever. The
cache is what makes `get_skill` cheap under load (issue 12): a hit is a
dictionary lookup on the event loop, with no git read and no hop to the git
thread, which cost a quarter of a call's CPU in the profile. Only a miss reads
git, off the event loop. The cache is bounded by the bytes of text it holds;
a SKILL.md over a sixteenth of that bound is served but not kept. The event loop
and the git thread both use it, so its few operations take a lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from registry.content import served_files
from registry.tree import GitTree

DEFAULT_MAX_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class SkillDoc:
    text: str  # SKILL.md, decoded as UTF-8 (undecodable bytes replaced)
    size: int  # bytes of SKILL.md as stored
    files: tuple[tuple[str, int], ...]  # (path, size) of every other served file, in path order

    def file_list(self) -> list[dict[str, object]]:
        return [{"path": path, "size": size} for path, size in self.files]


def read_doc(tree: GitTree) -> SkillDoc:
    """Read one version's SKILL.md and file list from git (blocking)."""
    data = tree.read("SKILL.md")
    files = tuple((f.path, f.size) for f in served_files(tree) if f.path != "SKILL.md")
    return SkillDoc(data.decode("utf-8", "replace"), len(data), files)


class SkillDocCache:
    """Least-recently-used map from tree id to its SkillDoc, bounded by bytes of SKILL.md."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.held = 0
        self._docs: OrderedDict[str, SkillDoc] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, tree_id: str) -> SkillDoc | None:
        with self._lock:
            doc = self._docs.get(tree_id)
            if doc is not None:
                self._docs.move_to_end(tree_id)
            return doc

    def put(self, tree_id: str, doc: SkillDoc) -> None:
        with self._lock:
            if doc.size > self.max_bytes // 16 or tree_id in self._docs:
                return
            self._docs[tree_id] = doc
            self.held += doc.size
            while self.held > self.max_bytes:
                _, old = self._docs.popitem(last=False)
                self.held -= old.size

    def __len__(self) -> int:
        return len(self._docs)

"""Which entries of a folder's git tree changed between two versions of it, fast.

The version walk asks this once per commit about the `skills/` tree: hundreds
of entries, of which one or two changed. Splitting every raw tree into entries
costs more than reading it, so the common case skips that: when the new tree has
the same byte length as the previous one (a skill's content changed, no skill
was added, removed or renamed), the two raw trees are compared by bisection,
which finds each differing region with a few C-level comparisons, and only the
entries around those regions are taken. Anything else falls back to comparing
the full entry sets.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import pygit2

ENTRY = re.compile(rb"[0-7]+ [^\0]+\0.{20}", re.S)  # one entry of a raw git tree object
ID_BYTES = 20
_SCAN = 64  # below this many bytes, look for the first difference byte by byte


class TreeDiffer:
    """Remembers the last tree it was asked about, so a linear history splits few trees."""

    def __init__(self, odb: pygit2.Odb) -> None:
        self.odb = odb
        self.last_id: pygit2.Oid | None = None
        self.last_raw = b""
        self.last_starts: list[int] = []  # where each entry of last_raw starts, then its length

    def added(self, parent: pygit2.Oid | None, current: pygit2.Oid) -> list[bytes]:
        """Raw entries (`mode name\\0<id>`) of `current` that `parent` does not have."""
        raw = bytes(self.odb.read(current)[1])
        if parent is not None and parent == self.last_id and len(raw) == len(self.last_raw):
            changed = self._changed_in_place(raw)
            if changed is not None:
                self.last_id, self.last_raw = current, raw
                return changed
        before = set() if parent is None else self._entry_set(parent)
        matches = list(ENTRY.finditer(raw))
        self.last_id, self.last_raw = current, raw
        self.last_starts = [m.start() for m in matches] + [len(raw)]
        return [m.group(0) for m in matches if m.group(0) not in before]

    def _entry_set(self, tree_id: pygit2.Oid) -> set[bytes]:
        if tree_id == self.last_id:
            return set(ENTRY.findall(self.last_raw))
        return set(ENTRY.findall(bytes(self.odb.read(tree_id)[1])))

    def _changed_in_place(self, raw: bytes) -> list[bytes] | None:
        """Entries whose id changed while every name stayed where it was; None if not so."""
        old, starts = self.last_raw, self.last_starts
        changed = []
        position = 0
        while old[position:] != raw[position:]:
            first = _first_difference(old, raw, position, len(raw))
            k = bisect_right(starts, first) - 1
            start, end = starts[k], starts[k + 1]
            if first < end - ID_BYTES:
                return None  # the mode or name differs: entries moved, compare sets instead
            changed.append(raw[start:end])
            position = end
        return changed


def _first_difference(a: bytes, b: bytes, lo: int, hi: int) -> int:
    """The first index in [lo, hi) where a and b differ (they are known to differ there)."""
    while hi - lo > _SCAN:
        middle = (lo + hi) // 2
        if a[lo:middle] == b[lo:middle]:
            lo = middle
        else:
            hi = middle
    for index in range(lo, hi):
        if a[index] != b[index]:
            return index
    return hi


"""Rules across skills: unique names, and folders that would collide on case-insensitive disks."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from dataclasses import dataclass

from ..model import Diagnostic
from ..rules import diagnostic


@dataclass(frozen=True)
class SkillEntry:
    folder: str
    path: str  # repository-relative path of the folder
    declared_name: str | None
    name_line: int = 1
    name_column: int = 1


def check_repository(entries: list[SkillEntry], siblings: dict[str, list[str]]) -> list[Diagnostic]:
    """Rules over the checked `entries`, given every folder name beside them.

    `siblings` maps a parent path to the names of all folders in it, checked or
    not; an unchecked folder is taken to declare its own name (a rule enforced
    when that folder is checked).
    """
    out = []
    claims: dict[tuple[str, str], list[str]] = defaultdict(list)
    checked = {e.path for e in entries}
    for entry in entries:
        if entry.declared_name:
            claims[(posixpath.dirname(entry.path), entry.declared_name)].append(entry.path)
    for parent, folders in siblings.items():
        for folder in folders:
            if (parent, folder) in claims:
                path = posixpath.join(parent, folder) if parent else folder
                if path not in checked:
                    claims[(parent, folder)].append(path)
    for entry in entries:
        if not entry.declared_name:
            continue
        group = claims[(posixpath.dirname(entry.path), entry.declared_name)]
        if len(group) > 1:
            others = ", ".join(p for p in group if p != entry.path)
            out.append(diagnostic("SK501", f"{entry.path}/SKILL.md", entry.name_line,
                                  entry.name_column,
                                  f"the name {entry.declared_name!r} is also used by {others}",
                                  skill=entry.folder))
    # Only the folders that fold to a checked one's name: a 1-skill pull request among 10,000
    # skills indexes a handful, not all 10,000 (issue 12).
    by_case: dict[tuple[str, str], list[str]] = {
        (posixpath.dirname(e.path), e.folder.casefold()): [] for e in entries}
    for parent, folders in siblings.items():
        for folder in folders:
            same = by_case.get((parent, folder.casefold()))
            if same is not None:
                same.append(folder)
    for entry in entries:
        same = by_case[(posixpath.dirname(entry.path), entry.folder.casefold())]
        twins = [f for f in same if f != entry.folder]
        if twins:
            out.append(diagnostic("SK502", f"{entry.path}/SKILL.md", 1, 1,
                                  f"folder {entry.folder!r} differs from "
                                  f"{', '.join(repr(t) for t in twins)} only by letter case",
                                  skill=entry.folder))
    return out

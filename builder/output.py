"""Writing the site: files are only touched when their bytes change, and a manifest remembers
which outputs each skill produced, keyed by a fingerprint of everything they depend on.

That is what makes rebuilds incremental: a skill whose fingerprint is unchanged
keeps its pages, zips and JSON as they are; outputs nobody produces any more
are deleted at the end.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from registry.safepath import check_path

from . import paths

MANIFEST_FORMAT = 4  # 4: each skill keeps its content key and its parts of the catalog-wide files


@dataclass
class SkillEntry:
    fingerprint: str  # everything the skill's own outputs depend on
    outputs: list[str]  # its own outputs, the skill page first
    parts: dict = field(default_factory=dict)  # build.skill_parts: card, API entry, search part...
    content: str = ""  # build.content_key: its tree id, versions and the audience


@dataclass
class Manifest:
    """What the previous build produced: per skill, its fingerprint, output paths and parts of
    the catalog-wide files; the site-wide outputs; a digest per catalog page."""

    skills: dict[str, SkillEntry] = field(default_factory=dict)
    site: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # catalog page path -> digest of its inputs

    @classmethod
    def load(cls, out: Path) -> Manifest:
        try:
            data = json.loads((out / paths.MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            return cls()
        skills = {name: SkillEntry(e["fingerprint"], list(e["outputs"]), e.get("parts") or {},
                                   e.get("content", ""))
                  for name, e in data.get("skills", {}).items()}
        return cls(skills=skills, site=list(data.get("site", [])), pages=dict(data.get("pages", {})))

    def dumps(self) -> bytes:
        """Compact JSON, one skill a line: json's C encoder writes 10,000 skills' parts in a
        fraction of the time it takes with `indent` (the pure-Python encoder, issue 12)."""
        head = {"format": MANIFEST_FORMAT, "site": sorted(self.site), "pages": self.pages}
        lines = [json.dumps(head, sort_keys=True, separators=(",", ":"))[:-1] + ',"skills":{']
        entries = sorted(self.skills.items())
        for number, (name, e) in enumerate(entries):
            entry = {"fingerprint": e.fingerprint, "outputs": e.outputs, "parts": e.parts,
                     "content": e.content}
            comma = "," if number < len(entries) - 1 else ""
            lines.append(json.dumps(name) + ":" + json.dumps(entry, sort_keys=True, separators=(",", ":"))
                         + comma)
        lines.append("}}")
        return ("\n".join(lines) + "\n").encode()

    def outputs(self) -> set[str]:
        found = set(self.site)
        for entry in self.skills.values():
            found.update(entry.outputs)
        return found


class Output:
    """The output folder; records every path written so stale files can be pruned."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[str] = []  # paths whose bytes changed
        self.recorded: list[str] = []  # every path produced (changed or not)
        self._folders: set[str] = set()  # folders known to exist

    def write(self, path: str, data: bytes) -> None:
        """Write `path` under the output folder; a path that could leave it raises UnsafePath.

        Plain `os` calls, and each folder created once: a full build writes 120,000 files at
        10,000 skills, and pathlib objects and a `mkdir` per file were a tenth of it (issue 12).
        """
        target = os.path.join(self.root, check_path(path))
        self.recorded.append(path)
        try:
            if os.stat(target).st_size == len(data):
                with open(target, "rb") as existing:
                    if existing.read() == data:
                        return
            tmp = target + ".tmp"  # replace an existing file atomically: it may be being served
            with open(tmp, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except FileNotFoundError:
            folder = os.path.dirname(target)
            if folder not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            with open(target, "wb") as handle:  # a new file: nobody reads it yet
                handle.write(data)
        self.written.append(path)

    def mark(self) -> int:
        """A position in `recorded`, to collect the outputs of one stage or one skill."""
        return len(self.recorded)

    def since(self, mark: int) -> list[str]:
        return self.recorded[mark:]

    def prune(self, stale: set[str]) -> int:
        """Delete files no longer produced, and the folders they leave empty."""
        removed = 0
        for path in sorted(stale, reverse=True):
            target = self.root / path
            if target.is_file():
                target.unlink()
                removed += 1
                parent = target.parent
                while parent != self.root and parent.is_dir() and not any(parent.iterdir()):
                    parent.rmdir()
                    parent = parent.parent
        return removed

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
from typing import Any

from registry.safepath import check_path, json_safe

from . import paths

MANIFEST_FORMAT = 6  # 5: a header line, then one line per skill of tab-separated fields; 6: no analyses
FIELDS = ("outputs", "card", "api", "market", "date", "tip_broken")  # JSON each


def compact(value: Any) -> str:
    """JSON without spaces, keys sorted: json's C encoder (`indent` is the pure-Python one)."""
    return json_safe(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


class SkillEntry:
    """One skill's line of the manifest: its keys, and each field (its outputs and its parts of
    the catalog-wide files, see `build.skill_parts`) as JSON text, decoded and parsed only when
    used.

    A rebuild at 10,000 skills reads every line but decodes only the fields it needs (cards,
    catalog entries, dates); `catalog.json` splices the kept `api` texts as they are, and an
    unchanged skill's line is written back as the bytes it was read from (issue 12). The
    skills' search analyses are not here: the search index's term counts keep them
    (build.write_counted_index); they were two thirds of a 44 MB manifest at 10,000 skills,
    read and written whole by every rebuild.
    """

    def __init__(self, fingerprint: str, content: str, texts: dict[str, str] | None = None,
                 source: bytes = b"", start: int = 0) -> None:
        self.fingerprint = fingerprint  # everything the skill's own outputs depend on
        self.content = content  # build.content_key: its tree id, versions and the audience
        self._texts = texts if texts is not None else {}  # field -> JSON text, decoded so far
        self._source = source  # the manifest line it was read from; b"" for a made entry
        self._start = start  # where FIELDS begin in it
        self._line: bytes | None = source or None  # set to None to write the line anew
        self._parsed: dict[str, Any] = {}

    @classmethod
    def made(cls, fingerprint: str, content: str, outputs: list[str], texts: dict[str, str]) -> SkillEntry:
        return cls(fingerprint, content, {**texts, "outputs": compact(outputs)})

    def text(self, name: str) -> str:
        """A field's JSON text: only its bytes are copied out of the line and decoded."""
        found = self._texts.get(name)
        if found is None:
            source, start = self._source, self._start
            for _ in range(FIELDS.index(name)):
                start = source.index(b"\t", start) + 1
            end = source.find(b"\t", start)
            # A manifest is UTF-8 as written; bytes changed by hand are replaced, never raised.
            found = self._texts[name] = source[start:end if end >= 0 else len(source)].decode(
                "utf-8", "replace")
        return found

    def get(self, name: str) -> Any:
        if name not in self._parsed:
            self._parsed[name] = json.loads(self.text(name))
        return self._parsed[name]

    def flag(self, name: str) -> bool:
        """A true/false field, read without the JSON decoder (10,000 of them per rebuild)."""
        text = self.text(name)
        return text == "true" or (text not in ("false", "null", "") and bool(self.get(name)))

    def string(self, name: str) -> str:
        """A field holding a string without escapes (a date), read without the JSON decoder."""
        text = self.text(name)
        if len(text) >= 2 and text[0] == text[-1] == '"' and "\\" not in text:
            return text[1:-1]
        return str(self.get(name))

    @property
    def outputs(self) -> list[str]:
        """Its own outputs, the skill page first."""
        return list(self.get("outputs"))

    def line(self, name: str) -> bytes:
        if self._line is None:
            fields = (self._source[self._start:] if self._source
                      else "\t".join(self._texts[f] for f in FIELDS).encode())
            self._line = "\t".join([name, self.fingerprint, self.content]).encode() + b"\t" + fields
        return self._line


@dataclass
class Manifest:
    """What the previous build produced: per skill, its fingerprint, output paths and parts of
    the catalog-wide files; the site-wide outputs; a digest per catalog page."""

    skills: dict[str, SkillEntry] = field(default_factory=dict)
    site: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # catalog page path -> digest of its inputs
    analysis: int | None = None  # registry.search's ANALYSIS_VERSION of the kept term counts
    search: dict[str, Any] = field(default_factory=dict)  # the search index: key, base, items, outputs

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The last build's manifest; an unreadable, cut short or older one is no manifest (a
        full build). Read as bytes: each line is split at its first three tabs only."""
        try:
            data = (out / paths.MANIFEST).read_bytes()
            lines = data.split(b"\n")
            head = json.loads(lines[0])
            if not data.endswith(b"\n"):  # written with a final newline: cut short since
                return cls()
            skills = {}
            tabs = 2 + len(FIELDS)
            for line in lines[1:]:
                if line.count(b"\t") == tabs:
                    one = line.index(b"\t")  # found, not split: the fields stay in the line
                    two = line.index(b"\t", one + 1)
                    three = line.index(b"\t", two + 1)
                    skills[line[:one].decode()] = SkillEntry(line[one + 1:two].decode(),
                                                             line[two + 1:three].decode(),
                                                             source=line, start=three + 1)
        except (OSError, ValueError):  # UnicodeDecodeError is a ValueError
            return cls()
        if not isinstance(head, dict) or head.get("format") != MANIFEST_FORMAT:
            return cls()
        return cls(skills=skills, site=list(head.get("site", [])), pages=dict(head.get("pages", {})),
                   analysis=head.get("analysis"), search=dict(head.get("search", {})))

    def dumps(self) -> bytes:
        head = compact({"format": MANIFEST_FORMAT, "site": sorted(self.site), "pages": self.pages,
                        "analysis": self.analysis, "search": self.search})
        lines = [head.encode()] + [entry.line(name) for name, entry in sorted(self.skills.items())]
        return b"\n".join(lines) + b"\n"


class Output:
    """The output folder; records every path written so stale files can be pruned."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[str] = []  # paths whose bytes changed
        self.recorded: list[str] = []  # every path produced (changed or not)
        self._folders: set[str] = set()  # folders known to exist
        self._created: set[str] = set()  # folders this Output made: every file in them is new

    def write(self, path: str, data: bytes) -> None:
        """Write `path` under the output folder; a path that could leave it raises UnsafePath.

        Plain `os` calls, and each folder created once: a full build writes 120,000 files at
        10,000 skills, and pathlib objects and a `mkdir` per file were a tenth of it (issue 12).
        """
        target = os.path.join(self.root, check_path(path))
        self.recorded.append(path)
        folder = os.path.dirname(target)
        if folder in self._created:  # a folder this build made holds no older file to compare
            self._new_file(target, data)
            self.written.append(path)
            return
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
            if folder not in self._folders:
                try:
                    os.makedirs(folder)
                    self._created.add(folder)
                except FileExistsError:
                    pass
                self._folders.add(folder)
            self._new_file(target, data)
        self.written.append(path)

    @staticmethod
    def _new_file(target: str, data: bytes) -> None:
        with open(target, "wb") as handle:  # a new file: nobody reads it yet
            handle.write(data)

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

"""What one item offers search, and its analyzed form (computed once per item, cacheable).

A `Document` is the plain text of one item (a skill today; a subagent, command
or plugin tomorrow: `kind` says which). `analyze_document` turns it into term
counts per field. It depends on nothing but the document, so a build can keep
each item's `AnalyzedDoc` (as JSON, `to_json`/`from_json`) keyed by the item's
content and only redo the items that changed; the catalog-wide steps (which
body words to keep, idf, priors) happen once in `SearchIndex.build`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from registry.markdown import block_tokens
from registry.model import FileKind, Item, Skill, SkillFile

from .analyzer import analyze

if TYPE_CHECKING:
    from markdown_it.token import Token

FIELDS = ("name", "tags", "description", "headings", "body", "files")
ANALYSIS_VERSION = 2  # bump when analyze_document's output changes: cached analyses are redone
# The bundled markdown read per item, at most (characters): a safety bound, far above real skills
# (the 235 development skills bundle 13 KB median, 300 KB at most).
MAX_FILES_CHARS = 1_000_000
MARKDOWN_SUFFIXES = (".md", ".markdown")

_URL = re.compile(r"\(?\b(?:https?|ftp)://\S+|\bwww\.\S+")


@dataclass(frozen=True)
class Document:
    """The searchable text of one item."""

    key: str  # unique within an index: the skill name, or `kind:name` for other kinds
    name: str
    description: str = ""
    tags: tuple[str, ...] = ()
    body: str = ""  # markdown
    kind: str = "skill"
    files: str = ""  # the text of the item's other markdown files (`bundled_text`)
    deprecated: bool = False


@dataclass(frozen=True)
class AnalyzedDoc:
    """Term counts per field, and each field's length in terms (body: the whole body)."""

    key: str
    name: str
    kind: str
    deprecated: bool
    terms: dict[str, dict[str, int]] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"analysis": ANALYSIS_VERSION, "key": self.key, "name": self.name, "kind": self.kind,
                "deprecated": self.deprecated, "terms": self.terms, "lengths": self.lengths}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AnalyzedDoc | None:
        """The analysis kept by an earlier run, or None if it came from another analyzer version."""
        if not isinstance(data, dict) or data.get("analysis") != ANALYSIS_VERSION:
            return None
        return cls(key=data["key"], name=data["name"], kind=data["kind"],
                   deprecated=bool(data["deprecated"]), terms=data["terms"], lengths=data["lengths"])


def markdown_parts(body: str, tokens: Sequence[Token] | None = None) -> tuple[str, str]:
    """(headings, prose) of a markdown body: heading text, and the rest without code blocks, raw
    HTML or URLs (code is not what people type into a search box). Block parse only: cheap.

    `tokens`: the body's tokens when the caller has parsed it already. The site renders every
    SKILL.md, and parsing it a second time here was a tenth of a build's CPU per skill (issue
    12); a full parse holds the same block tokens, with the same `content` on inline ones."""
    headings: list[str] = []
    prose: list[str] = []
    in_heading = False
    for token in block_tokens(body) if tokens is None else tokens:
        if token.type in ("heading_open", "heading_close"):
            in_heading = token.type == "heading_open"
        elif token.type == "inline":
            (headings if in_heading else prose).append(token.content)
    return "\n".join(headings), _URL.sub(" ", "\n".join(prose))


def analyze_document(doc: Document, tokens: Sequence[Token] | None = None) -> AnalyzedDoc:
    """Count the terms of each field (lunr's analyzer; see analyzer.py); `tokens`, if given,
    are `doc.body` already parsed (see `markdown_parts`)."""
    headings, prose = markdown_parts(doc.body, tokens)
    texts = {"name": doc.name, "tags": " ".join(doc.tags), "description": doc.description,
             "headings": headings, "body": prose, "files": _URL.sub(" ", doc.files)}
    terms: dict[str, dict[str, int]] = {}
    lengths: dict[str, int] = {}
    for name in FIELDS:
        words = analyze(texts[name])
        terms[name] = dict(Counter(words))
        lengths[name] = len(words)
    return AnalyzedDoc(key=doc.key, name=doc.name, kind=doc.kind, deprecated=doc.deprecated,
                       terms=terms, lengths=lengths)


def bundled_text(files: Iterable[SkillFile], read: Callable[[str], bytes]) -> str:
    """The text of a skill's markdown files other than its SKILL.md (references, guides,
    templates), in path order, as one string of at most MAX_FILES_CHARS.

    Requests name a task in words that often sit only in these files: they are what Claude
    reads once the skill runs, written in the skill's own vocabulary. They are read as plain
    text (no markdown parse: cheap; code in them is kept, URLs are dropped when analyzed) and
    weigh least of all fields (ranking.WEIGHTS). `read` gives a file's bytes by its path."""
    parts: list[str] = []
    size = 0
    for item in sorted(files, key=lambda f: f.path):
        if (item.path == "SKILL.md" or item.kind not in (FileKind.FILE, FileKind.EXECUTABLE)
                or not item.path.lower().endswith(MARKDOWN_SUFFIXES)):
            continue
        try:
            text = read(item.path)[: 4 * (MAX_FILES_CHARS - size)].decode("utf-8", errors="replace")
        except (OSError, KeyError):  # gone or unreadable: the item is still indexed without it
            continue
        text = text[: MAX_FILES_CHARS - size]
        parts.append(text)
        size += len(text)
        if size >= MAX_FILES_CHARS:
            break
    return "\n".join(parts)


def skill_document(skill: Skill, read: Callable[[str], bytes] | None = None) -> Document:
    """A skill's searchable text; `read` gives its files' bytes by path (the folder's tree: the
    bundled markdown is searched too, see `bundled_text`). `metadata.status: deprecated` marks
    it deprecated."""
    status = str(skill.metadata.get("status", "")).strip().lower()
    return Document(key=skill.name, name=skill.name, description=skill.description,
                    tags=tuple(skill.tags), body=skill.body, deprecated=status == "deprecated",
                    files=bundled_text(skill.files, read) if read is not None else "")


KIND_WORDS = {"agent": ("subagent",), "command": ("slash command",), "hooks": ("hooks",),
              "mcp": ("mcp servers",), "plugin": ("plugin",), "marketplace": ("marketplace",)}


def item_document(item: Item) -> Document:
    """An item of another kind (subagent, command, plugin...): `key` is `<kind>/<name>`, and a
    plugin's namespace (`plugin:name`) is searchable as two words."""
    metadata = item.data.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    tags = metadata.get("tags", "")
    tag_list = tuple(t.strip() for t in tags.split(",") if t.strip()) if isinstance(tags, str) else ()
    tag_list += KIND_WORDS.get(item.kind, ())  # "subagent", "slash command": what people call them
    status = str(metadata.get("status", "")).strip().lower()
    return Document(key=item.key, name=item.name.replace(":", " "), description=item.description,
                    tags=tag_list, body=item.body, kind=item.kind, deprecated=status == "deprecated")

"""The domain objects every part of Relay shares: skills, versions, files, diagnostics."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .choices import KIND_NAMES  # noqa: F401 - kept importable from here (mcp_server)

if TYPE_CHECKING:
    from datetime import datetime

    from .usage import UsageEvent  # noqa: F401


def __getattr__(name: str) -> Any:
    """`UsageEvent` is defined with its figures in `registry.usage` and kept importable from here
    for older imports, loaded on use: validating a skill needs neither it nor datetime (issue 12)."""
    if name == "UsageEvent":
        from .usage import UsageEvent

        return UsageEvent
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Severity(enum.IntEnum):
    """How bad a diagnostic is; only errors fail a validation run."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Rule:
    """A check with a stable code and name, so CI output can be filtered and documented."""

    code: str
    name: str
    severity: Severity
    summary: str
    hint: str


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in one place: what is wrong, where, and how to fix it."""

    path: str
    line: int
    column: int
    code: str
    name: str
    severity: Severity
    message: str
    hint: str = ""
    skill: str = ""

    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


class FileKind(enum.Enum):
    FILE = "file"
    EXECUTABLE = "executable"
    SYMLINK = "symlink"
    SUBMODULE = "submodule"


@dataclass(frozen=True)
class SkillFile:
    """A file inside a skill folder, path relative to the skill root (posix)."""

    path: str
    size: int
    kind: FileKind = FileKind.FILE
    link_target: str | None = None


@dataclass(frozen=True)
class Version:
    """An immutable version of a skill: the git tree id of its folder plus provenance."""

    skill: str
    tree_id: str
    commit_id: str
    author_name: str
    author_email: str
    date: datetime
    message: str
    tags: tuple[str, ...] = ()

    @property
    def short_id(self) -> str:
        return self.tree_id[:12]

    @property
    def summary(self) -> str:
        return self.message.strip().splitlines()[0] if self.message.strip() else ""

    def as_json(self) -> dict[str, Any]:
        """The one JSON shape of a version: the site's API, `relay ... --format json`, MCP tools."""
        return {"tree_id": self.tree_id, "commit_id": self.commit_id,
                "date": self.date.isoformat(), "author": self.author_name,
                "message": self.message, "tags": list(self.tags)}


@dataclass
class Skill:
    """A skill at one revision (or in the working tree): its parsed SKILL.md and files."""

    name: str
    folder: str
    frontmatter: dict[str, Any]
    body: str
    files: list[SkillFile]
    tree_id: str | None = None
    versions: list[Version] = field(default_factory=list)
    raw_frontmatter: str = ""
    broken_tip: Version | None = None  # the newest version, when its SKILL.md does not read

    @property
    def description(self) -> str:
        value = self.frontmatter.get("description", "")
        return value if isinstance(value, str) else ""

    @property
    def metadata(self) -> dict[str, Any]:
        value = self.frontmatter.get("metadata") or {}
        return value if isinstance(value, dict) else {}

    @property
    def tags(self) -> list[str]:
        raw = self.metadata.get("tags", "")
        if not isinstance(raw, str):
            return []
        return [t.strip() for t in raw.split(",") if t.strip()]

    @property
    def latest(self) -> Version | None:
        return self.versions[-1] if self.versions else None


@dataclass
class Item:
    """One item of any kind (docs/kinds.md): a skill, subagent, slash command, hooks file,
    MCP server config, plugin or marketplace manifest, at one revision.

    `path` is where it lives in the repository: a folder for skills and plugins, a
    file for the rest. Its version identity is that path's git object id (a tree
    for folders, a blob for files), found by the same history walk as skills.
    Inside a plugin the name is qualified `<plugin>:<name>`, as Claude Code
    namespaces plugin components.
    """

    kind: str
    name: str
    path: str
    plugin: str = ""
    description: str = ""
    data: dict[str, Any] = field(default_factory=dict)  # frontmatter or the JSON document
    body: str = ""
    object_id: str | None = None
    versions: list[Version] = field(default_factory=list)
    components: list[str] = field(default_factory=list)  # a plugin's component keys

    @property
    def key(self) -> str:
        """Unique across kinds: `<kind>/<name>`."""
        return f"{self.kind}/{self.name}"

    @property
    def short_name(self) -> str:
        return self.name.rpartition(":")[2]

    @property
    def latest(self) -> Version | None:
        return self.versions[-1] if self.versions else None

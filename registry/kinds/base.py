"""What every kind module shares: the item source, the check context, rule building.

A kind module (subagent, command, hooks, ...) declares its rules as `Rule`
objects with stable codes, and a `check(source, ctx)` that returns the item it
read (or None when unreadable) and its diagnostics, each with a position.
`registry.kinds` collects the modules into one table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Config
from ..model import Diagnostic, Item, Rule, Severity
from .folder import Folder

E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Source:
    """Where an item was found: its kind, its repository path, the plugin holding it."""

    kind: str
    path: str  # a folder for skills and plugins, a file for the rest
    plugin: str = ""  # the plugin's folder name, "" at the top level
    plugin_root: str = ""  # the plugin's folder path ("plugins/<name>"), "" at the top level
    top_level_skill: bool = False  # validated by the skill pipeline, listed as an item


@dataclass
class Context:
    """What a check may read: the repository root and its settings, plus what is known so far."""

    root: Folder
    config: Config
    plugin_names: dict[str, str] = field(default_factory=dict)  # plugin path -> declared name
    validate_skills: bool = True  # False: read plugin skills for the catalog, skip their rules


@dataclass
class Checked:
    item: Item | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def make_diagnostic(rule: Rule, path: str, line: int, column: int, message: str, *,
                    item: str = "", hint: str | None = None) -> Diagnostic:
    """A Diagnostic for `rule` at a place (line and column are 1-based)."""
    return Diagnostic(path=path, line=max(line, 1), column=max(column, 1), code=rule.code,
                      name=rule.name, severity=rule.severity, message=message,
                      hint=rule.hint if hint is None else hint, skill=item)


def qualified(plugin: str, name: str) -> str:
    """Claude Code's name for a component: `<plugin>:<name>` inside a plugin."""
    return f"{plugin}:{name}" if plugin else name


def stem(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".md") else name

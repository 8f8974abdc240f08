"""Kinds of items beyond Agent Skills, one module per kind, registered in one table.

Each kind module declares `KIND`, its `RULES` (stable codes, documented in
docs/rules.md) and `check(source, ctx)`. This package finds the items a
repository holds (`layout.discover`), checks them kind by kind, and adds the
rules that span items: unique names within a scope, marketplace entries that
resolve to plugins. The kinds' rules join the skill rules in `registry.rules`,
so every output format (text, json, github, sarif) knows them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType

from .. import rules as _rules
from ..choices import KIND_NAMES
from ..config import Config
from ..model import Diagnostic, Item, Rule
from . import command, files, hooks, marketplace, mcpconfig, plugin, skill, subagent
from .base import Checked, Context, Source, make_diagnostic
from .folder import DiskFolder, Folder, GitFolder
from .layout import discover


@dataclass(frozen=True)
class KindInfo:
    """One row of the kinds table: its name, what people call it, its module."""

    name: str
    title: str
    plural: str
    check: Callable[[Source, Context], Checked]
    rules: tuple[Rule, ...]


def _kind(module: ModuleType, title: str, plural: str) -> KindInfo:
    return KindInfo(module.KIND, title, plural, module.check, tuple(module.RULES))


KINDS: dict[str, KindInfo] = {k.name: k for k in (
    _kind(skill, "Agent Skill", "skills"),
    _kind(subagent, "Subagent", "subagents"),
    _kind(command, "Slash command", "slash commands"),
    _kind(hooks, "Hooks", "hooks"),
    _kind(mcpconfig, "MCP servers", "MCP configs"),
    _kind(plugin, "Plugin", "plugins"),
    _kind(marketplace, "Marketplace", "marketplaces"),
)}
assert tuple(KINDS) == KIND_NAMES, "registry.choices.KIND_NAMES lists the kinds in table order"
KIND_RULES: list[Rule] = [*files.RULES, *(r for k in KINDS.values() for r in k.rules)]
_rules.register(KIND_RULES)

# Kinds whose duplicates within a scope get their own rule; other kinds fall to PL501.
_DUPLICATE_RULES = {"agent": subagent.BY_CODE["AG501"], "command": command.BY_CODE["CM501"]}


@dataclass
class ItemReport:
    """Items found and checked, and every diagnostic about them, sorted by place."""

    items: list[Item] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # paths of the items checked


def check_items(root: Folder, config: Config, sources: Iterable[Source] | None = None,
                *, wanted: Callable[[Source], bool] | None = None,
                validate_skills: bool = True) -> ItemReport:
    """Check every item of the repository (or `sources`); `wanted` limits whose findings count.

    Plugins are read first so marketplace entries can be resolved against them;
    the cross-item rules run over everything found, and findings are kept for
    the wanted items only.
    """
    all_sources = list(sources) if sources is not None else discover(root, config)
    ctx = Context(root=root, config=config, validate_skills=validate_skills)
    report = ItemReport()
    ordered = sorted(all_sources, key=lambda s: s.kind == "marketplace")
    for source in ordered:
        if source.kind == "marketplace":
            ctx.plugin_names = {i.path: str(i.data.get("name") or i.name)
                                for i in report.items if i.kind == "plugin"}
        result = KINDS[source.kind].check(source, ctx)
        keep = wanted is None or wanted(source)
        if keep:
            if not source.top_level_skill:
                report.checked.append(source.path)
            report.diagnostics.extend(result.diagnostics)
        if result.item is not None:
            result.item.object_id = root.object_id(source.path)
            report.items.append(result.item)
    _link_components(report.items)
    kept = {s.path for s in all_sources if wanted is None or wanted(s)}
    report.diagnostics.extend(d for d in [*_duplicates(report.items), *_empty(report.items)]
                              if d.path in kept)
    report.diagnostics.sort()
    return report


def _duplicates(items: list[Item]) -> list[Diagnostic]:
    """Names unique per kind within a plugin (or the top level), and plugin names overall."""
    groups: dict[tuple[str, str, str], list[Item]] = defaultdict(list)
    for item in items:
        if item.kind in ("plugin", "marketplace", "hooks", "mcp"):
            continue
        groups[(item.kind, item.plugin, item.name)].append(item)
    out = []
    for (kind, _, name), same in groups.items():
        if len(same) < 2:
            continue
        rule = _DUPLICATE_RULES.get(kind, plugin.BY_CODE["PL501"])
        for item in same[1:]:
            out.append(make_diagnostic(rule, item.path, 1, 1,
                                       f"{KINDS[kind].title.lower()} {name!r} is also defined "
                                       f"by {same[0].path}", item=name))
    plugins: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.kind == "plugin":
            plugins[str(item.data.get("name") or item.name)].append(item)
    for name, same in plugins.items():
        for item in same[1:]:
            out.append(make_diagnostic(plugin.BY_CODE["PL502"], item.path, 1, 1,
                                       f"plugin name {name!r} is also declared by {same[0].path}",
                                       item=item.name))
    return out


def _link_components(items: list[Item]) -> None:
    """Give each plugin the keys of its components, in kind order."""
    by_plugin: dict[str, list[str]] = defaultdict(list)
    order = list(KINDS)
    for item in sorted(items, key=lambda i: (order.index(i.kind), i.name)):
        if item.plugin and item.kind != "plugin":
            by_plugin[item.plugin].append(item.key)
    for item in items:
        if item.kind == "plugin":
            item.components = by_plugin.get(item.name, [])


def _empty(items: list[Item]) -> list[Diagnostic]:
    """PL106 for plugins without components (after linking)."""
    return [make_diagnostic(plugin.BY_CODE["PL106"], i.path, 1, 1,
                            f"plugin {i.name!r} has no components", item=i.name)
            for i in items if i.kind == "plugin" and not i.components]


__all__ = ["KINDS", "KIND_RULES", "DiskFolder", "Folder", "GitFolder", "ItemReport", "KindInfo",
           "Source", "check_items", "discover"]

"""Every kind of item at one revision, with versions: what `relay list --kind`, `show`,
`versions` and `diff` read for items other than top-level skills, and what the
site and the MCP service list.

Items come from the layout in relay.toml (`registry.kinds`), read straight
from the git object database. A top-level skill's versions are the skill
index's; every other item's come from the same history walk, keyed by its path
(`VersionIndex.item_versions`), and are named here after the item.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .errors import RelayError, VersionNotFound
from .model import Item, Version

if TYPE_CHECKING:
    from .catalog import Registry


class ItemNotFound(RelayError):
    """No item by that name (and kind) at that revision."""


@dataclass
class ItemCatalog:
    """All items at one revision, by key (`<kind>/<name>`)."""

    revision: str
    items: dict[str, Item] = field(default_factory=dict)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items[key] for key in sorted(self.items))

    def __len__(self) -> int:
        return len(self.items)

    def of_kind(self, kind: str | None) -> list[Item]:
        return [i for i in self if kind in (None, "all", i.kind)]

    def get(self, name: str, kind: str | None = None) -> Item:
        """The item called `name` (or `<kind>/<name>`), of `kind` when given."""
        if "/" in name and name.split("/", 1)[0] in _kinds() and name in self.items:
            return self.items[name]
        found = [i for i in self.items.values()
                 if i.name == name and kind in (None, "all", i.kind)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            keys = ", ".join(sorted(i.key for i in found))
            raise ItemNotFound(f"{name!r} names several items ({keys}); pass --kind")
        known = [i.name for i in self.of_kind(kind)]
        close = difflib.get_close_matches(name, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        what = f"{kind} " if kind and kind != "all" else "item "
        raise ItemNotFound(f"no {what}named {name!r}{hint}")


def item_metadata(item: Item) -> dict[str, Any]:
    """An item's `metadata` mapping (frontmatter or JSON), where `audience` lives."""
    value = item.data.get("metadata")
    return value if isinstance(value, dict) else {}


def visible_items(items: Iterable[Item], groups: frozenset[str]) -> list[Item]:
    """The items a caller in `groups` may see (registry/audience.py): an item restricted to other
    groups is left out, and so is every component of a plugin restricted to other groups."""
    from .audience import may_see

    listed = list(items)
    hidden_plugins = {i.name for i in listed if i.kind == "plugin"
                      and not may_see(item_metadata(i), groups)}
    return [i for i in listed if may_see(item_metadata(i), groups) and i.plugin not in hidden_plugins]


def _kinds() -> dict[str, object]:
    from .kinds import KINDS

    return dict(KINDS)


def item_catalog(registry: Registry, rev: str | None = None, *,
                 top_level_skills: bool = True) -> ItemCatalog:
    """Every item at `rev` (default: the main branch), each with its versions.

    `top_level_skills=False` leaves out `skills/<name>/` for callers that read those through
    `Registry.catalog` (the site build: parsing 10,000 of them twice, issue 12).
    """
    from .kinds import GitFolder, check_items
    from .kinds.layout import discover
    from .repo import resolve_commit

    rev = rev or registry.default_revision()
    commit = resolve_commit(registry.repo, rev)
    root = GitFolder(registry.repo, commit.tree)
    sources = discover(root, registry.config, top_level_skills=top_level_skills)
    report = check_items(root, registry.config, sources, validate_skills=False)
    skill_versions = registry.all_versions(rev) if top_level_skills else {}  # 50,000 rows at 10,000
    item_versions = registry.index.item_versions(rev)
    catalog = ItemCatalog(revision=str(commit.id))
    for item in report.items:
        if item.kind == "skill" and not item.plugin:
            found = skill_versions.get(item.name, [])
        else:
            found = [replace(v, skill=item.name) for v in item_versions.get(item.path, [])]
        item.versions = found
        catalog.items[item.key] = item
    return catalog


def resolve_item_version(registry: Registry, item: Item, spec: str | None) -> Version:
    """The version `spec` names: an object id or commit prefix, or a plugin's release tag."""
    if not item.versions:
        raise VersionNotFound(f"{item.name} has no committed version")
    if not spec:
        return item.versions[-1]
    spec = spec.strip().lower()
    for version in reversed(item.versions):
        if any(tag.endswith(f"@{spec}") or tag.endswith(f"@v{spec}") for tag in version.tags):
            return version
    matches = [v for v in item.versions if v.tree_id.startswith(spec) or v.commit_id.startswith(spec)]
    if len(matches) >= 1 and len(spec) >= 4:
        return matches[-1]
    raise VersionNotFound(f"{item.name} has no version {spec!r}; try `relay versions "
                          f"--kind {item.kind} {item.name}`")


def item_text(registry: Registry, item: Item, version: Version) -> str:
    """What `relay show` prints: the file, or a folder item's main file and file list."""
    obj: Any = registry.repo[version.tree_id]
    if obj.type_str == "blob":
        return bytes(obj.data).decode("utf-8", "replace")
    from .tree import GitTree

    tree = GitTree(registry.repo, obj)
    main = "SKILL.md" if item.kind == "skill" else ".claude-plugin/plugin.json"
    try:
        text = tree.read(main).decode("utf-8", "replace")
    except FileNotFoundError:
        text = ""
    if item.kind == "plugin":
        listing = "\n".join(f"  {key}" for key in item.components)
        text = f"{text.rstrip()}\n\ncomponents:\n{listing}\n" if text else f"components:\n{listing}\n"
    return text


def item_diff(registry: Registry, item: Item, a: str, b: str, context: int = 3) -> str:
    """A unified diff (libgit2's) between two versions of an item, paths under its name."""
    import pygit2

    va, vb = resolve_item_version(registry, item, a), resolve_item_version(registry, item, b)
    repo = registry.repo
    old: Any = repo[va.tree_id]
    new: Any = repo[vb.tree_id]
    if old.type_str == "blob" and new.type_str == "blob":
        patch = pygit2.Patch.create_from(old, new, old_as_path=item.path, new_as_path=item.path,
                                         context_lines=context)
        return patch.text or ""
    return old.diff_to_tree(new, context_lines=context).patch or ""

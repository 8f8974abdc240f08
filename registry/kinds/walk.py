"""The items in a commit's tree, by path and object id, for the one history walk.

`registry.history` visits every commit once; for each it asks `ItemWalk`
which items (subagents, commands, hooks, MCP configs, plugins, plugin skills,
marketplaces) a commit holds, as `path -> (kind, object id)`: a blob id for a
file, a tree id for a folder. A commit whose item roots (`plugins/`,
`agents/`, ... ) have the same ids as its parent's changes no item and costs
one lookup per root; otherwise only plugins whose tree id is new are read,
since a plugin's items are remembered by its tree id.
"""

from __future__ import annotations

from typing import Any

from ..config import Layout
from . import plugin
from .folder import GitFolder

Entries = dict[str, tuple[str, str]]  # path -> (kind, object id)


class ItemWalk:
    def __init__(self, repo: Any, layout: Layout) -> None:
        self.repo = repo
        self.layout = layout
        self.roots = layout.roots
        self._plugins: dict[str, list[tuple[str, str, str]]] = {}  # tree id -> (kind, rel, id)
        self._folders: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def signature(self, tree: Any) -> tuple[str | None, ...]:
        """The object ids of the item roots: equal signatures hold equal items."""
        out: list[str | None] = []
        for root in self.roots:
            try:
                out.append(str(tree[root].id))
            except KeyError:
                out.append(None)
        return tuple(out)

    def items(self, tree: Any) -> Entries:
        """Every item at this root tree (top-level skills excepted: the skill walk has them)."""
        folder = GitFolder(self.repo, tree)
        layout = self.layout
        found: Entries = {}
        if layout.plugins_dir:
            for name, is_dir in folder.entries(layout.plugins_dir):
                if not is_dir or name.startswith("."):
                    continue
                root = f"{layout.plugins_dir}/{name}"
                tree_id = folder.object_id(root) or ""
                found[root] = ("plugin", tree_id)
                for kind, rel, oid in self._plugin(tree_id):
                    found[f"{root}/{rel}"] = (kind, oid)
        for kind, path in (("agent", layout.agents_dir), ("command", layout.commands_dir)):
            if path and folder.is_dir(path):
                key = (kind, folder.object_id(path) or "")
                if key not in self._folders:
                    files = plugin.markdown_files(folder, path, recursive=kind == "command")
                    self._folders[key] = [(p, folder.object_id(p) or "") for p in files]
                for p, oid in self._folders[key]:
                    found[p] = (kind, oid)
        if layout.mcp_config and folder.is_file(layout.mcp_config):
            found[layout.mcp_config] = ("mcp", folder.object_id(layout.mcp_config) or "")
        for path in layout.marketplaces:
            if folder.is_file(path):
                found[path] = ("marketplace", folder.object_id(path) or "")
        return found

    def _plugin(self, tree_id: str) -> list[tuple[str, str, str]]:
        if tree_id not in self._plugins:
            sub = GitFolder(self.repo, self.repo[tree_id])
            self._plugins[tree_id] = [
                (kind, rel, sub.object_id(rel) or "")
                for kind, rel in plugin.components(sub, plugin.read_manifest(sub))
            ]
        return self._plugins[tree_id]

"""Plugin: a folder under `plugins/` holding components, described by `.claude-plugin/plugin.json`.

Format (https://code.claude.com/docs/en/plugins-reference): the manifest is
optional; without it Claude Code loads the default folders (`agents/`,
`commands/`, `skills/`, `hooks/hooks.json`, `.mcp.json`) and names the plugin
after its folder. Manifest paths (`"agents": "./custom"`, a list, or single
files) add to the defaults; they are relative to the plugin root, start with
`./` and must not leave it. Relay names a plugin's components
`<plugin-folder>:<name>`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..model import Diagnostic, Item, Rule
from ..schemas import builtin_validator
from .base import Checked, Context, E, Source, W, make_diagnostic
from .files import load_json, read_item, schema_errors
from .folder import Folder, clean
from .hooks import check_events
from .jsondoc import JsonDoc

KIND = "plugin"
MANIFEST = ".claude-plugin/plugin.json"
DEFAULTS = {"agent": "agents", "command": "commands", "skill": "skills",
            "hooks": "hooks/hooks.json", "mcp": ".mcp.json"}
MANIFEST_KEYS = {"agents": "agent", "commands": "command", "skills": "skill",
                 "hooks": "hooks", "mcpServers": "mcp"}
RULES = [
    Rule("PL101", "plugin-manifest-invalid", E, "plugin.json breaks the plugin manifest schema.",
         "See registry/schemas/plugin.json: `name` in kebab-case, `version` semver, paths `./...`."),
    Rule("PL102", "plugin-without-manifest", W, "A plugin folder has no .claude-plugin/plugin.json.",
         "Add a manifest with name, version and description so the catalog can show them."),
    Rule("PL103", "plugin-missing-component", E, "plugin.json names a component path that does not exist.",
         "Fix the path (relative to the plugin root) or add the file or folder."),
    Rule("PL104", "plugin-name-mismatch", W, "The manifest's `name` differs from the plugin's folder.",
         "Name the folder after the plugin; marketplaces and Relay refer to it by folder."),
    Rule("PL105", "plugin-path-outside", E, "A component path is absolute or leaves the plugin.",
         "Use a path inside the plugin starting with `./`; installed plugins are copied alone."),
    Rule("PL106", "plugin-empty", W, "A plugin has no components.",
         "Add agents/, commands/, skills/, hooks or an MCP config, or remove the folder."),
    Rule("PL501", "plugin-duplicate-component", E, "Two components of one kind in a plugin share a name.",
         "Rename one; Claude Code keeps only one `<plugin>:<name>` of each kind."),
    Rule("PL502", "plugin-duplicate-name", E, "Two plugins declare the same name.",
         "Give each plugin a unique `name` in its plugin.json."),
]
BY_CODE = {rule.code: rule for rule in RULES}


def read_manifest(root: Folder, plugin_root: str = "") -> dict[str, Any] | None:
    """The manifest as data, or None when absent or unreadable (`check` reports why)."""
    path = f"{plugin_root}/{MANIFEST}" if plugin_root else MANIFEST
    try:
        data = json.loads(root.read(path))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def declared_paths(manifest: dict[str, Any] | None) -> list[tuple[str, str, tuple[str | int, ...]]]:
    """(kind, path as written, JSON pointer) for every component path in the manifest."""
    out: list[tuple[str, str, tuple[str | int, ...]]] = []
    for key, kind in MANIFEST_KEYS.items():
        value = (manifest or {}).get(key)
        if isinstance(value, str):
            out.append((kind, value, (key,)))
        elif isinstance(value, list):
            out.extend((kind, v, (key, i)) for i, v in enumerate(value) if isinstance(v, str))
    return out


def component_sources(root: Folder, plugin_root: str, plugin: str,
                      manifest: dict[str, Any] | None) -> list[Source]:
    """Every component the plugin holds: default folders plus the manifest's paths."""
    return [Source(kind, f"{plugin_root}/{rel}", plugin, plugin_root)
            for kind, rel in components(root.sub(plugin_root), manifest)]


def components(folder: Folder, manifest: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(kind, path relative to the plugin) of every component in a plugin folder."""
    places = list(DEFAULTS.items())
    for kind, written, _ in declared_paths(manifest):
        rel = clean(written)
        if rel:
            places.append((kind, rel))
    found: dict[str, str] = {}
    for kind, rel in places:
        for item_path in _expand(folder, kind, rel):
            found.setdefault(item_path, kind)
    return sorted(((kind, path) for path, kind in found.items()), key=lambda c: (c[0], c[1]))


def _expand(root: Folder, kind: str, path: str) -> list[str]:
    """The item paths a component path stands for (a file, or the items in a folder)."""
    if kind in ("hooks", "mcp"):
        return [path] if root.is_file(path) else []
    if kind == "skill":
        if root.is_file(f"{path}/SKILL.md"):
            return [path]
        return [f"{path}/{name}" for name, is_dir in root.entries(path)
                if is_dir and root.is_file(f"{path}/{name}/SKILL.md")]
    if root.is_file(path):
        return [path] if path.endswith(".md") else []
    return markdown_files(root, path, recursive=kind == "command")


def markdown_files(root: Folder, path: str, recursive: bool) -> list[str]:
    out = []
    for name, is_dir in root.entries(path):
        if is_dir and recursive:
            out.extend(markdown_files(root, f"{path}/{name}", recursive))
        elif not is_dir and name.endswith(".md") and name.lower() != "readme.md":
            out.append(f"{path}/{name}")
    return out


def check(source: Source, ctx: Context) -> Checked:
    folder = source.plugin
    root = ctx.root
    manifest_path = f"{source.path}/{MANIFEST}"
    out: list[Diagnostic] = []
    manifest: dict[str, Any] = {}
    doc = JsonDoc(data={})
    if not root.is_file(manifest_path):
        out.append(make_diagnostic(BY_CODE["PL102"], source.path, 1, 1,
                                   f"no {MANIFEST}: Claude Code names the plugin {folder!r} "
                                   "and shows no version or description", item=folder))
    else:
        data, found = read_item(root, manifest_path, folder)
        out.extend(found)
        if data is not None:
            doc, found = load_json(data, manifest_path, folder)
            out.extend(found)
            if not found:
                manifest = doc.data
                out.extend(schema_errors(builtin_validator("plugin"),
                                         manifest, doc.position, BY_CODE["PL101"],
                                         manifest_path, folder))
    name = manifest.get("name") if isinstance(manifest.get("name"), str) else folder
    if name != folder:
        out.append(make_diagnostic(BY_CODE["PL104"], manifest_path, *doc.position(("name",)),
                                   f"the manifest names the plugin {name!r}, its folder is "
                                   f"{folder!r}", item=folder))
    for kind, written, pointer in declared_paths(manifest):
        rel = clean(written)
        where = doc.position(pointer)
        if rel is None or rel == "":
            out.append(make_diagnostic(BY_CODE["PL105"], manifest_path, *where,
                                       f"{written!r} is not a path inside the plugin", item=folder))
        elif not (root.is_file(f"{source.path}/{rel}") or root.is_dir(f"{source.path}/{rel}")):
            out.append(make_diagnostic(BY_CODE["PL103"], manifest_path, *where,
                                       f"{written!r} ({kind}) does not exist in the plugin",
                                       item=folder))
    inline = manifest.get("hooks")
    if isinstance(inline, dict):
        events = inline.get("hooks", inline)
        out.extend(check_events(events, doc, replace(source, path=manifest_path), ctx, folder,
                                ("hooks", "hooks") if "hooks" in inline else ("hooks",)))
    description = manifest.get("description")
    item = Item(kind=KIND, name=folder, path=source.path, plugin=folder,
                description=description if isinstance(description, str) else "", data=manifest)
    return Checked(item, out)

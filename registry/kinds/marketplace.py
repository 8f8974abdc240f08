"""Marketplace manifest: a list of plugins a tool can install from this repository.

Format: Claude Code's `.claude-plugin/marketplace.json`
(https://code.claude.com/docs/en/plugin-marketplaces#marketplace-schema):
`name`, `owner`, and `plugins`, each entry with `name` and `source`. A source
is a relative path (`./plugins/x`, resolved from the repository root, after
`metadata.pluginRoot` when set) or an object;
any folder of the repository is a plugin (its manifest is optional; with
`strict: false` the entry stands in for it), so a local source must name an
existing folder; `{"source": "local", "path":
...}` is local too (the `.agents/plugins/` format), other objects (github,
url, git) point outside the repository and are not resolved. Relay reads other
tools' marketplace files of the same shape (`[items] marketplaces`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from ..model import Diagnostic, Item, Rule
from ..schemas import builtin_validator
from .base import Checked, Context, E, Source, W, make_diagnostic
from .files import read_json_item, schema_errors
from .folder import clean
from .jsondoc import JsonDoc

KIND = "marketplace"
CLAUDE_CODE_FILE = ".claude-plugin/marketplace.json"
RULES = [
    Rule("MK101", "marketplace-invalid", E, "A marketplace manifest breaks its schema.",
         "See registry/schemas/marketplace-manifest.json: `name`, `plugins` with `name` and "
         "`source`; Claude Code's file also needs `owner.name`."),
    Rule("MK102", "marketplace-unresolved", E, "A marketplace entry does not resolve to a plugin here.",
         "Point `source` at a plugin folder of this repository (`./plugins/<name>`), or add it."),
    Rule("MK103", "marketplace-duplicate-entry", E, "Two marketplace entries share a name.",
         "Keep one entry per plugin name; installs are addressed as `<plugin>@<marketplace>`."),
    Rule("MK104", "marketplace-name-mismatch", W, "An entry's name differs from its plugin's name.",
         "Use the name from the plugin's plugin.json, so installs and the catalog agree."),
]
BY_CODE = {rule.code: rule for rule in RULES}


def local_path(entry: dict[str, Any], plugin_root: str = "") -> str | None:
    """The repository path an entry's source names, or None when it is remote or unusable."""
    source = entry.get("source")
    if isinstance(source, dict):
        if source.get("source") not in ("local", None) or not isinstance(source.get("path"), str):
            return None
        source = source["path"]
    if not isinstance(source, str):
        return None
    if not source.startswith("./") and plugin_root:
        source = f"{plugin_root.rstrip('/')}/{source}"
    rel = clean(source)
    return rel or None


def is_remote(entry: dict[str, Any]) -> bool:
    source = entry.get("source")
    return isinstance(source, dict) and source.get("source") not in ("local", None)


def check(source: Source, ctx: Context) -> Checked:
    path = source.path
    doc, out = read_json_item(ctx.root, path, path)
    if doc is None:
        return Checked(None, out)
    manifest = doc.data
    out.extend(schema_errors(builtin_validator("marketplace-manifest"),
                             manifest, doc.position, BY_CODE["MK101"], path, path))
    if path.endswith(CLAUDE_CODE_FILE) and "owner" not in manifest:
        out.append(make_diagnostic(BY_CODE["MK101"], path, *doc.position(()),
                                   "Claude Code's marketplace needs `owner` with a `name`",
                                   item=path))
    metadata = manifest.get("metadata") if isinstance(manifest.get("metadata"), dict) else {}
    root_value = metadata.get("pluginRoot")
    plugin_root = root_value if isinstance(root_value, str) else ""
    entries = manifest.get("plugins") if isinstance(manifest.get("plugins"), list) else []
    out.extend(_check_entries(entries, plugin_root, doc, ctx, path))
    described = metadata.get("description") or manifest.get("description") or ""
    item = Item(kind=KIND, name=path, path=path, description=str(described), data=manifest)
    return Checked(item, [replace(d, skill=item.name) for d in out])


def _check_entries(entries: list[Any], plugin_root: str, doc: JsonDoc, ctx: Context,
                   path: str) -> list[Diagnostic]:
    out = []
    seen: dict[str, list[int]] = defaultdict(list)
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        seen[entry["name"]].append(i)
        if is_remote(entry):
            continue
        target = local_path(entry, plugin_root)
        where = doc.position(("plugins", i, "source"))
        if target is None or not ctx.root.is_dir(target):
            written = entry.get("source")
            out.append(make_diagnostic(BY_CODE["MK102"], path, *where,
                                       f"plugin {entry['name']!r}: source {written!r} is not a "
                                       "folder in this repository", item=path))
            continue
        declared = ctx.plugin_names.get(target)
        if declared is not None and declared != entry["name"]:
            out.append(make_diagnostic(BY_CODE["MK104"], path, *doc.position(("plugins", i, "name")),
                                       f"entry {entry['name']!r} points at plugin {declared!r}",
                                       item=path))
    for name, indexes in seen.items():
        for i in indexes[1:]:
            out.append(make_diagnostic(BY_CODE["MK103"], path, *doc.position(("plugins", i, "name")),
                                       f"{name!r} is listed again (first as entry {indexes[0] + 1})",
                                       item=path))
    return out

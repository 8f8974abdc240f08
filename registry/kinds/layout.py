"""Find every item in a repository from the layout `relay.toml` describes ([items]).

Top level: `skills/<name>/`, `agents/*.md`, `commands/**/*.md`, `.mcp.json`;
plugins: `plugins/<name>/` with their components (see `plugin.py`); and the
marketplace manifests listed in `[items] marketplaces` that exist.
"""

from __future__ import annotations

from ..config import Config
from . import plugin
from .base import Source
from .folder import Folder


def discover(root: Folder, config: Config, *, top_level_skills: bool = True) -> list[Source]:
    """Every item's source, in a stable order: plugins, components, top level, marketplaces.

    `top_level_skills=False` leaves out `skills/<name>/`, for callers that validate those
    through the skill pipeline (listing 10,000 of them costs a stat each, issue 12).
    """
    layout = config.layout
    found: list[Source] = []
    if layout.plugins_dir:
        for name, is_dir in root.entries(layout.plugins_dir):
            if not is_dir or name.startswith("."):
                continue
            plugin_root = f"{layout.plugins_dir}/{name}"
            found.append(Source("plugin", plugin_root, name, plugin_root))
            manifest = plugin.read_manifest(root, plugin_root)
            found.extend(plugin.component_sources(root, plugin_root, name, manifest))
    if config.skills_dir and top_level_skills:
        for name, is_dir in root.entries(config.skills_dir):
            path = f"{config.skills_dir}/{name}"
            if is_dir and not name.startswith(".") and root.is_file(f"{path}/SKILL.md"):
                found.append(Source("skill", path, top_level_skill=True))
    if layout.agents_dir:
        found.extend(Source("agent", p) for p in plugin.markdown_files(root, layout.agents_dir, False))
    if layout.commands_dir:
        found.extend(Source("command", p) for p in plugin.markdown_files(root, layout.commands_dir, True))
    if layout.mcp_config and root.is_file(layout.mcp_config):
        found.append(Source("mcp", layout.mcp_config))
    found.extend(Source("marketplace", p) for p in layout.marketplaces if root.is_file(p))
    return found


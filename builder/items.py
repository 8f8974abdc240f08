"""The site's pages for items other than top-level skills: one per item and one per plugin.

    load items -> a card each (catalog, kind facet, search) -> render item pages
    -> write downloads (the file, or a zip of a plugin or plugin skill)

A plugin's page lists its components, each linked to its own page, which links
back. Install instructions fit the kind: a plugin installs from a marketplace
or a folder, a subagent is copied into `.claude/agents/`, a slash command into
`.claude/commands/` (or used as an MCP prompt), a plugin skill unpacked into
`.claude/skills/`, hooks and MCP configs come with their plugin.
"""

from __future__ import annotations

import json
import posixpath
from datetime import UTC
from typing import Any

from registry.catalog import Registry
from registry.items import ItemCatalog, item_catalog
from registry.model import Item

from . import pages
from .bundles import build_zip
from .context import Card, ComponentLink, Fact, InstallStep, ItemPage, SiteInfo
from .markdown import highlight, render_markdown
from .output import Output
from .render import Renderer

TITLES = {"skill": "Agent Skill", "agent": "Subagent", "command": "Slash command", "hooks": "Hooks",
          "mcp": "MCP servers", "plugin": "Plugin", "marketplace": "Marketplace"}


def load_items(registry: Registry, rev: str | None) -> list[Item]:
    """Every item but top-level skills (they have their own pages), by kind then name."""
    catalog: ItemCatalog = item_catalog(registry, rev, top_level_skills=False)
    order = list(TITLES)
    found = [i for i in catalog if not (i.kind == "skill" and not i.plugin)]
    return sorted(found, key=lambda i: (order.index(i.kind), i.name))


def page_path(item: Item) -> str:
    """`plugins/<name>/` for a plugin, `items/<kind>/<plugin>/<name>/` for the rest."""
    if item.kind == "plugin":
        return f"plugins/{item.name}/index.html"
    slug = item.name.replace(":", "/")
    if item.kind == "marketplace":
        slug = item.path.lstrip(".").replace("/", "--")
    return f"items/{item.kind}/{slug}/index.html"


def download_path(item: Item) -> str:
    """The file itself, or a zip for folders (plugins, plugin skills), beside the page."""
    folder = posixpath.dirname(page_path(item))
    if item.kind in ("plugin", "skill"):
        return f"{folder}/{item.short_name}.zip"
    return f"{folder}/{posixpath.basename(item.path)}"


def _plugin_data(items: list[Item]) -> dict[str, Item]:
    return {i.name: i for i in items if i.kind == "plugin"}


def _author(data: dict[str, Any]) -> str:
    author = data.get("author")
    return str(author.get("name", "")) if isinstance(author, dict) else str(author or "")


def card(index: int, item: Item, plugins: dict[str, Item]) -> Card:
    """A catalog card; components take owner, category and license from their plugin."""
    plugin = plugins.get(item.plugin)
    data = plugin.data if plugin is not None else item.data
    keywords = data.get("keywords") if item.kind == "plugin" else None
    tags = tuple(str(k) for k in keywords) if isinstance(keywords, list) else ()
    latest = item.latest
    return Card(index=index, name=item.name, description=item.description, tags=tags,
                owner=_author(data), category=str(data.get("category", "") or ""),
                license=str(data.get("license", "") or ""),
                updated=f"{latest.date.astimezone(UTC):%Y-%m-%d}" if latest else "",
                versions=len(item.versions), href=page_path(item), usage=None, kind=item.kind)


def link(item: Item) -> ComponentLink:
    text = " ".join(item.description.split())
    short = text if len(text) <= 160 else text[:159].rstrip() + "…"
    return ComponentLink(TITLES[item.kind], item.name, short, page_path(item))


def item_page(site: SiteInfo, item: Item, text: str, by_key: dict[str, Item],
              marketplaces: list[Item]) -> ItemPage:
    plugin = next((i for i in by_key.values() if i.kind == "plugin" and i.name == item.plugin
                   and item.kind != "plugin"), None)
    components = [link(by_key[key]) for key in item.components if key in by_key]
    versions = [pages.version_row(item.name, v) for v in reversed(item.versions)]
    versions = [type(v)(**{**v.__dict__, "href": "", "zip_href": ""}) for v in versions]
    return ItemPage(site=site, kind=item.kind, kind_title=TITLES[item.kind], name=item.name,
                    description=item.description, body_html=_body_html(item, text),
                    facts=facts(item), plugin=link(plugin) if plugin else None,
                    components=components, install=install(site, item, marketplaces),
                    versions=versions)


def _body_html(item: Item, text: str) -> str:
    if item.kind in ("agent", "command", "skill"):
        return render_markdown(item.body).html
    if item.kind == "plugin" and text.strip().startswith("#"):
        return render_markdown(text).html  # its README
    if item.kind == "plugin":
        return highlight(json.dumps(item.data, indent=2, ensure_ascii=False), "json")
    return highlight(text, "json")


def facts(item: Item) -> list[Fact]:
    data = item.data
    found = [Fact("Kind", TITLES[item.kind]), Fact("Path", item.path)]
    if item.latest is not None:
        found.append(Fact("Version", item.latest.short_id))
    wanted = {"agent": ("model", "tools", "color"), "command": ("argument-hint", "allowed-tools", "model"),
              "plugin": ("version", "license", "homepage"), "skill": ("license",)}
    for key in wanted.get(item.kind, ()):
        value = data.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if value not in (None, ""):
            found.append(Fact(key, str(value)))
    if item.kind == "plugin" and _author(data):
        found.append(Fact("author", _author(data)))
    if item.kind == "hooks" and isinstance(data.get("hooks"), dict):
        found.append(Fact("events", ", ".join(sorted(data["hooks"]))))
    if item.kind == "mcp" and isinstance(data.get("mcpServers"), dict):
        found.append(Fact("servers", ", ".join(sorted(data["mcpServers"]))))
    return found


def install(site: SiteInfo, item: Item, marketplaces: list[Item]) -> list[InstallStep]:
    """How to install an item of this kind (docs/kinds.md)."""
    download = download_path(item)
    file_name = posixpath.basename(item.path)
    steps: list[InstallStep] = []
    if item.kind == "agent":
        steps.append(InstallStep("Claude Code", "Save it in your project's .claude/agents/ (or "
                                 "~/.claude/agents/ for every project):",
                                 "mkdir -p .claude/agents && curl -sSL {url} -o "
                                 f".claude/agents/{file_name}",
                                 download, file_name))
    elif item.kind == "command":
        steps.append(InstallStep("Claude Code", f"Save it in .claude/commands/, then type "
                                 f"/{item.short_name}:",
                                 "mkdir -p .claude/commands && curl -sSL {url} -o "
                                 f".claude/commands/{file_name}",
                                 download, file_name))
        steps.append(InstallStep("MCP", f"Relay serves it as the prompt {item.name} "
                                 "(prompts/get), with its arguments:",
                                 f"claude mcp add --transport http relay {site.mcp_url}"))
    elif item.kind == "skill":
        zip_name = posixpath.basename(download)
        steps.append(InstallStep("Claude Code", "Unpack the folder into your project's .claude/skills/:",
                                 f"mkdir -p .claude/skills && curl -sSL {{url}} -o /tmp/{zip_name} && "
                                 f"unzip -o /tmp/{zip_name} -d .claude/skills/", download, zip_name))
    elif item.kind == "mcp":
        steps.append(InstallStep("Claude Code", "Merge its mcpServers into your project's .mcp.json "
                                 "(or install the plugin that holds it).", "", download, file_name))
    elif item.kind == "hooks":
        steps.append(InstallStep("Claude Code", "Hooks run from their plugin: install the plugin. "
                                 "The file is here to read.", "", download, file_name))
    elif item.kind == "plugin":
        for market in marketplaces:
            listed = market.data.get("plugins")
            entries: list[Any] = listed if isinstance(listed, list) else []
            if market.path.startswith(".claude-plugin/") and any(
                    isinstance(e, dict) and e.get("name") == item.name for e in entries):
                name = str(market.data.get("name", "marketplace"))
                steps.append(InstallStep("From the marketplace", "Add this repository as a marketplace "
                                         "once, then install the plugin:",
                                         f"/plugin marketplace add <this repository>\n"
                                         f"/plugin install {item.name}@{name}"))
        zip_name = posixpath.basename(download)
        steps.append(InstallStep("From a folder", "Unpack it and start Claude Code with it:",
                                 f"curl -sSL {{url}} -o /tmp/{zip_name} && unzip -o /tmp/{zip_name} "
                                 f"-d plugins/ && claude --plugin-dir plugins/{item.name}",
                                 download, zip_name))
    elif item.kind == "marketplace":
        steps.append(InstallStep("Claude Code", "Add the repository holding it as a marketplace:",
                                 "/plugin marketplace add <this repository>", download, file_name))
    return steps


def write_item_pages(registry: Registry, renderer: Renderer, out: Output, site: SiteInfo,
                     items: list[Item]) -> None:
    """Every item's page and download, at its latest version."""
    from registry.items import item_text

    by_key = {i.key: i for i in items}
    marketplaces = [i for i in items if i.kind == "marketplace"]
    for item in items:
        if item.latest is None:
            continue
        text = item_text(registry, item, item.latest) if item.kind != "plugin" else _readme(registry, item)
        page = page_path(item)
        out.write(page, renderer.render("item.html", item_page(site, item, text, by_key, marketplaces),
                                        page))
        if item.kind in ("plugin", "skill"):
            out.write(download_path(item), build_zip(item.short_name, item.latest,
                                                     registry.tree(item.latest)))
        else:
            out.write(download_path(item), text.encode("utf-8"))


def _readme(registry: Registry, item: Item) -> str:
    assert item.latest is not None
    try:
        return registry.tree(item.latest).read("README.md").decode("utf-8", "replace")
    except FileNotFoundError:
        return ""

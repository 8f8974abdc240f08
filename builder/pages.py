"""Build the typed context of each page from domain objects (Skill, Version, usage figures)."""

from __future__ import annotations

import posixpath
from datetime import UTC
from html import escape

from registry.content import INLINE_MAX_BYTES, is_binary
from registry.model import FileKind, Skill, SkillFile, Version
from registry.tokens import skill_md_tokens

from . import paths
from .charts import column_chart, hbar_chart
from .context import (
    Card,
    CatalogPage,
    Chart,
    Fact,
    FileNode,
    FileView,
    Install,
    PageLink,
    Pager,
    SiteInfo,
    SkillPage,
    UsageFigures,
    UsagePage,
    UsageRow,
    VersionEntry,
    VersionRow,
)
from .facets import compute_facets
from .markdown import Rendered, render_markdown, source_view
from .usage import Usage

TOP_SKILLS = 15


def card(index: int, skill: Skill, usage: UsageFigures | None) -> Card:
    meta = skill.metadata
    latest = skill.latest
    return Card(index=index, name=skill.name, description=skill.description, tags=tuple(skill.tags),
                owner=str(meta.get("owner", "")), category=str(meta.get("category", "")),
                license=str(skill.frontmatter.get("license", "")),
                updated=f"{latest.date.astimezone(UTC):%Y-%m-%d}" if latest else "",
                versions=len(skill.versions), href=paths.skill_page(skill.name), usage=usage,
                zip_href=paths.zip_file(skill.name, latest.tree_id) if latest else "")


CATALOG_PAGE = 60  # cards per catalog page: the first screen and then some, at any catalog size


def catalog_page(site: SiteInfo, cards: list[Card], broken: list[str]) -> CatalogPage:
    """The home page alone (the first page of the list)."""
    return catalog_pages(site, cards, broken)[0][1]


def catalog_pages(site: SiteInfo, cards: list[Card], broken: list[str],
                  size: int = CATALOG_PAGE, tip_broken: list[str] | None = None,
                  ) -> list[tuple[str, CatalogPage]]:
    """The catalog list in pages of `size` cards, each with its site path.

    The home page stays small at any catalog size (issue 12: 9 MB at 10,000 skills when it held
    every card); without JavaScript the other pages are plain links away.
    """
    facets = compute_facets(cards)
    others = sum(1 for c in cards if c.kind != "skill")
    count = max(1, -(-len(cards) // size))
    links = tuple(PageLink(n, paths.catalog_page(n)) for n in range(1, count + 1))
    return [(link.href, CatalogPage(site=site, cards=cards[(link.number - 1) * size:link.number * size],
                                    facets=facets, broken=broken, total=len(cards),
                                    pager=Pager(link.number, links) if count > 1 else None,
                                    others=others, tip_broken=tip_broken or []))
            for link in links]


def version_row(name: str, v: Version, zipped: bool = False) -> VersionRow:
    """A version's row; `zipped` for the one version the site keeps a zip of (the latest)."""
    return VersionRow(label=paths.version_key(name, v.tree_id, v.tags), tree_id=v.tree_id,
                      short_id=v.short_id, commit_id=v.commit_id,
                      date=f"{v.date.astimezone(UTC):%Y-%m-%d %H:%M}", author=v.author_name,
                      summary=v.summary, tags=v.tags, href=paths.version_page(name, v.tree_id, v.tags),
                      zip_href=paths.zip_file(name, v.tree_id) if zipped else "")


def file_tree(name: str, files: list[SkillFile]) -> tuple[FileNode, ...]:
    """Nested folders first, then files, each sorted by name."""
    root: dict[str, object] = {}
    for item in files:
        if item.kind in (FileKind.SUBMODULE, FileKind.SYMLINK):
            continue
        node = root
        parts = item.path.split("/")
        for part in parts[:-1]:
            node = node.setdefault(part + "/", {})  # type: ignore[assignment]
        node[parts[-1]] = item

    def build(level: dict[str, object], prefix: str) -> tuple[FileNode, ...]:
        dirs = [FileNode(k[:-1], prefix + k[:-1], children=build(v, prefix + k))  # type: ignore[arg-type]
                for k, v in sorted(level.items()) if k.endswith("/")]
        leaves = [FileNode(k, v.path, v.size, paths.file_page(name, v.path))
                  for k, v in sorted(level.items()) if isinstance(v, SkillFile)]
        return tuple(dirs + leaves)

    return build(root, "")


def facts(skill: Skill) -> list[Fact]:
    fm = skill.frontmatter
    found = [Fact("Owner", str(skill.metadata.get("owner", ""))),
             Fact("Category", str(skill.metadata.get("category", ""))),
             Fact("Version", str(skill.metadata.get("version", ""))),
             Fact("License", str(fm.get("license", ""))),
             Fact("Compatibility", str(fm.get("compatibility", ""))),
             Fact("Allowed tools", str(fm.get("allowed-tools", "")))]
    return [f for f in found if f.value]


def render_body(site: SiteInfo, skill: Skill) -> Rendered:
    """The skill's SKILL.md body as page HTML, relative links pointing at its files' sections, and
    images at their copies under `raw/` (`Rendered.images`: the build writes those copies)."""
    files = {f.path for f in skill.files}
    page = paths.skill_page(skill.name)
    images: list[str] = []

    def resolve(target: str, image: bool) -> str | None:
        path = posixpath.normpath(target)
        if path not in files:
            return None
        if image:
            images.append(path)
        dest = paths.raw_file(skill.name, path) if image else paths.file_page(skill.name, path)
        return paths.link(site.base_url, page, dest)

    rendered = render_markdown(skill.body, resolve)
    rendered.images = images
    return rendered


def skill_page(site: SiteInfo, skill: Skill, usage: UsageFigures | None,
               rendered: Rendered | None = None, sources: list[FileView] | None = None,
               history: list[VersionEntry] | None = None) -> SkillPage:
    """The skill's one page: its rendered SKILL.md, install, the source of every other file of
    the latest version (`sources`, a section each) and every version (`history`, newest first,
    each with its changes); without `history`, the versions without their changes."""
    rendered = rendered or render_body(site, skill)
    latest = skill.latest
    zip_href = paths.zip_file(skill.name, latest.tree_id) if latest else ""
    install = Install(name=skill.name, zip_href=zip_href, zip_name=posixpath.basename(zip_href),
                      mcp_url=site.mcp_url, skill_uri=f"skill://{skill.name}/SKILL.md",
                      marketplace_href=paths.MARKETPLACE_JSON,
                      plugin_commands=plugin_commands(site, skill.name))
    if history is None:
        history = [VersionEntry(version_row(skill.name, v, v is latest), "",
                                paths.version_anchor(paths.version_key(skill.name, v.tree_id, v.tags)))
                   for v in reversed(skill.versions)]
    return SkillPage(site=site, name=skill.name, description=skill.description, body_html=rendered.html,
                     toc=[h for h in rendered.headings if h[0] <= 3], facts=facts(skill),
                     tags=tuple(skill.tags), files=file_tree(skill.name, skill.files),
                     versions=history, sources=sources or [],
                     install=install, usage=usage, tokens=skill_md_tokens(skill),
                     api_href=paths.skill_json(skill.name), folder=skill.folder,
                     broken_tip=skill.broken_tip.short_id if skill.broken_tip else "")


def plugin_commands(site: SiteInfo, name: str) -> tuple[str, ...]:
    """The two Claude Code commands that install `name` from the repository marketplace."""
    if not site.repository:
        return ()
    return (f"/plugin marketplace add {site.repository}", f"/plugin install {name}@{site.marketplace}")


_DIFF_MARKS = {"+": "ins", "-": "del", "@": "b"}


def diff_html(diff: str) -> str:
    """A unified diff as light markup: added lines in `<ins>`, removed in `<del>`, hunk heads in
    `<b>`; git's `diff --git` and `index` lines are left out (the file names follow in `---`
    and `+++`). A Pygments span per line and per context line's marker made the history most
    of a skill's bytes (issue 12)."""
    if not diff:
        return ""
    lines = []
    in_hunk = False
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            in_hunk = False
            continue
        if line.startswith("@@"):
            in_hunk = True
        if not in_hunk and line.startswith("index "):
            continue
        tag = _DIFF_MARKS.get(line[:1]) if in_hunk else None
        text = escape(line, quote=False)
        lines.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return '<pre class="diff"><code>' + "\n".join(lines) + "\n</code></pre>"


def version_entry(name: str, version: Version, diff: str, zipped: bool = False) -> VersionEntry:
    """A version with its changes since the one before (`diff`; "" for none or the first)."""
    row = version_row(name, version, zipped)
    return VersionEntry(version=row, diff_html=diff_html(diff), anchor=paths.version_anchor(row.label))


def file_view(name: str, item: SkillFile, data: bytes) -> FileView:
    """A file's section on the skill page: its source, or why it is not shown and a link to the
    copy the build keeps of it (`raw_href`, only for files the page cannot show)."""
    code, reason, raw = "", "", ""
    if is_binary(data):
        reason = "This is a binary file."
    elif len(data) > INLINE_MAX_BYTES:
        reason = "This file is too large to show."
    else:
        code = source_view(data.decode("utf-8"), posixpath.basename(item.path))
    if not code:
        raw = paths.raw_file(name, item.path)
    return FileView(path=item.path, size=len(data), code_html=code, reason=reason,
                    raw_href=raw, anchor=paths.file_anchor(item.path))


def usage_page(site: SiteInfo, usage: Usage | None, names: set[str]) -> UsagePage:
    if usage is None or not usage.skills:
        return UsagePage(site=site, totals=None, period="", charts=[], rows=[])
    ranked = sorted(usage.skills.items(), key=lambda item: (-item[1].uses, item[0]))
    rows = [UsageRow(n, paths.skill_page(n) if n in names else "", f) for n, f in ranked]
    top = ranked[:TOP_SKILLS]
    by_hours = sorted(usage.skills.items(), key=lambda i: (-i[1].hours_saved, i[0]))[:TOP_SKILLS]
    weeks = usage.weeks
    charts = [
        Chart("Uses per skill (top 15)", hbar_chart("Uses per skill", [(n, f.uses) for n, f in top]),
              ("Skill", "Uses"), [(n, f"{f.uses:,}") for n, f in top]),
        Chart("Hours saved per skill (top 15)",
              hbar_chart("Hours saved per skill", [(n, f.hours_saved) for n, f in by_hours]),
              ("Skill", "Hours saved"), [(n, f"{f.hours_saved:,.1f}") for n, f in by_hours]),
        Chart("Uses per week", column_chart("Uses per week", [(w.start, w.uses) for w in weeks]),
              ("Week of", "Uses"), [(w.start, f"{w.uses:,}") for w in weeks]),
        Chart("Users per week", column_chart("Users per week", [(w.start, w.users) for w in weeks]),
              ("Week of", "Users"), [(w.start, f"{w.users:,}") for w in weeks]),
        Chart("Hours saved per week",
              column_chart("Hours saved per week", [(w.start, w.hours_saved) for w in weeks]),
              ("Week of", "Hours saved"), [(w.start, f"{w.hours_saved:,.1f}") for w in weeks]),
    ]
    return UsagePage(site=site, totals=usage.totals, period=f"{usage.first_day} to {usage.last_day}",
                     charts=charts, rows=rows)

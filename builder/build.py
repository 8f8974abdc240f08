"""`relay build`: the registry at one revision -> a static site, in one readable pipeline.

    load catalog -> plan (what changed) -> render skill pages -> write bundles -> write skill API
    -> render site pages -> item pages (items.py) -> write search index -> write catalog API
    -> copy assets -> prune

Per-skill work (pages, file views, version pages with diffs, zips, the skill's
JSON) is skipped when the skill's fingerprint matches the last build's
manifest, and what remains is spread over every core (`parallel.py`); the
catalog, dashboard, search index and catalog-wide JSON are always
rebuilt, and files are only rewritten when their bytes change. Nothing depends
on the clock: the same commit gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import TypeVar

from registry.audience import may_see
from registry.catalog import Catalog, Registry
from registry.content import file_digests
from registry.errors import RelayError
from registry.items import visible_items
from registry.marketplace import DEFAULT_NAME as DEFAULT_MARKETPLACE
from registry.marketplace import read_current
from registry.model import FileKind, Item, Skill
from registry.search import (
    AnalyzedDoc,
    Popularity,
    SearchIndex,
    analyze_document,
    item_document,
    skill_document,
)
from registry.webpolicy import static_host_headers

from . import api, items, pages, paths
from .bundles import Bundle, build_zip
from .context import Card, SiteInfo, UsageFigures
from .markdown import pygments_css
from .output import Manifest, Output, SkillEntry
from .parallel import Setup, render_skills
from .paths import DEFAULT_MCP_URL
from .render import TEMPLATES_DIR, Renderer, templates_hash
from .search import index_script
from .usage import Usage, read_usage

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
LUNR_JS = "lunr/lunr.min.js"

T = TypeVar("T")
Progress = Callable[[Iterable[T], int, str], Iterator[T]]


class AssetsMissing(RelayError):
    """lunr.js is not installed (node_modules comes from `npm ci`)."""


@dataclass(frozen=True)
class BuildConfig:
    """Everything a build depends on besides the repository's content."""

    repo: Path = Path(".")
    out: Path = Path("site")
    base_url: str | None = None
    usage_dir: Path | None = None
    rev: str | None = None
    mcp_url: str = DEFAULT_MCP_URL
    title: str = "Relay skills"
    templates: Path = TEMPLATES_DIR
    node_modules: Path = NODE_MODULES
    jobs: int | None = None  # worker processes for stale skills; None: one per core
    audience: frozenset[str] = frozenset()  # build for these groups: their restricted items too


@dataclass
class BuildReport:
    """What a build did, for the CLI's summary line and for tests."""

    skills: int = 0
    items: int = 0  # other kinds of items (builder/items.py), rendered on every build
    rendered: list[str] = field(default_factory=list)  # skills whose pages were (re)built
    written: list[str] = field(default_factory=list)  # output paths whose bytes changed
    removed: int = 0
    seconds: float = 0.0


def _plain(items: Iterable[T], _length: int, _label: str) -> Iterator[T]:
    yield from items


def build(config: BuildConfig, progress: Progress | None = None) -> BuildReport:
    """Build the site into `config.out`; incremental when a previous build is there."""
    started = time.perf_counter()
    progress = progress or _plain
    lunr_js = find_lunr(config.node_modules)
    registry = Registry(config.repo)
    try:
        catalog = for_audience(load_catalog(registry, config.rev), config.audience)
        usage = load_usage(config.usage_dir, catalog)
        site = site_info(config, catalog, usage, registry)
        out = Output(config.out)
        previous = Manifest.load(config.out)
        manifest = Manifest()
        renderer = Renderer(config.templates, config.base_url)
        skills = list(catalog)
        cards = [pages.card(i, s, skill_usage(usage, s.name)) for i, s in enumerate(skills)]
        others = visible_items(items.load_items(registry, config.rev), config.audience)
        plugins = {i.name: i for i in others if i.kind == "plugin"}
        other_cards = [items.card(len(cards) + n, item, plugins) for n, item in enumerate(others)]
        report_items = len(others)
        template_digest = templates_hash(config.templates)
        report = BuildReport(skills=len(skills), items=report_items)
        stale: list[tuple[Skill, UsageFigures | None]] = []
        keys: dict[str, str] = {}
        for skill in skills:
            figures = skill_usage(usage, skill.name)
            key = keys[skill.name] = fingerprint(skill, config, site, template_digest, figures)
            old = previous.skills.get(skill.name)
            if old is not None and old.fingerprint == key and _all_exist(config.out, old.outputs):
                manifest.skills[skill.name] = old
                out.recorded.extend(old.outputs)
            else:
                stale.append((skill, figures))
        setup = Setup(config.repo, config.out, config.templates, config.base_url, site, build_skill)
        rendered = render_skills(setup, stale, config.jobs, registry, renderer)
        for done in progress(rendered, len(stale), "Rendering skills"):
            out.recorded.extend(done.recorded)
            out.written.extend(done.written)
            manifest.skills[done.name] = SkillEntry(keys[done.name], done.recorded, done.search)
            report.rendered.append(done.name)
        mark = out.mark()
        render_site_pages(renderer, out, site, cards + other_cards, catalog, usage)
        items.write_item_pages(registry, renderer, out, site, others)
        write_search_index(out, skills, usage,
                           {name: entry.search for name, entry in manifest.skills.items()}, others)
        write_catalog_api(out, site, skills, config.base_url)
        copy_assets(out, config.templates, lunr_js)
        manifest.site = out.since(mark)
        report.removed = out.prune(previous.outputs() - set(out.recorded) - {paths.MANIFEST})
        out.write(paths.MANIFEST, manifest.dumps())
        report.written = out.written
    finally:
        registry.close()
    report.seconds = time.perf_counter() - started
    return report


# -- stages ---------------------------------------------------------------------------


PACKAGED_LUNR = Path(__file__).resolve().parent / "vendor" / LUNR_JS  # in a wheel (setup.py)


def find_lunr(node_modules: Path) -> Path:
    """lunr.js from the checkout's node_modules, else the copy an installed wheel carries."""
    path = node_modules / LUNR_JS
    if path.is_file():
        return path
    if PACKAGED_LUNR.is_file():
        return PACKAGED_LUNR
    raise AssetsMissing(f"{path} not found: run `npm ci` in the Relay checkout to install lunr.js")


def load_catalog(registry: Registry, rev: str | None) -> Catalog:
    """Every skill at `rev` (default: the main branch) with its versions, from git."""
    return registry.catalog(rev)


def for_audience(catalog: Catalog, groups: frozenset[str]) -> Catalog:
    """Leave out the items restricted to groups the site is not built for (registry/audience.py)."""
    hidden = [name for name, skill in catalog.skills.items() if not may_see(skill.metadata, groups)]
    for name in hidden:
        del catalog.skills[name]
    return catalog


def load_usage(folder: Path | None, catalog: Catalog) -> Usage | None:
    """The usage figures of the items in this build only (no hidden item's name leaks through them)."""
    if folder is None:
        return None
    usage = read_usage(folder)
    usage.skills = {name: figures for name, figures in usage.skills.items() if name in catalog.skills}
    return usage


def skill_usage(usage: Usage | None, name: str) -> UsageFigures | None:
    if usage is None:
        return None
    return usage.skills.get(name, UsageFigures())


def site_info(config: BuildConfig, catalog: Catalog, usage: Usage | None,
              registry: Registry | None = None) -> SiteInfo:
    commit = catalog.revision or ""
    dates = [s.latest.date for s in catalog if s.latest]
    date = f"{max(dates).astimezone(UTC):%Y-%m-%d %H:%M} UTC" if dates else ""
    name, repository = DEFAULT_MARKETPLACE, ""
    if registry is not None:
        current, _ = read_current(registry.root)
        name = (current or {}).get("name") or registry.config.marketplace_name or DEFAULT_MARKETPLACE
        # In GitHub Actions (the Pages workflow) the repository is known without configuration.
        repository = registry.config.repository or os.environ.get("GITHUB_REPOSITORY", "")
    return SiteInfo(title=config.title, revision=commit, revision_date=date, mcp_url=config.mcp_url,
                    has_usage=usage is not None and bool(usage.skills), base_url=config.base_url,
                    repository=repository, marketplace=str(name))


def fingerprint(skill: Skill, config: BuildConfig, site: SiteInfo, templates: str,
                usage: UsageFigures | None) -> str:
    """Everything a skill's own outputs depend on; equal fingerprints, equal bytes."""
    data = [templates, config.base_url, config.mcp_url, config.title, site.has_usage, site.repository,
            site.marketplace, skill.tree_id,
            [[v.tree_id, v.commit_id, list(v.tags)] for v in skill.versions],
            skill.broken_tip.tree_id if skill.broken_tip else None, usage.__dict__ if usage else None]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _all_exist(out: Path, outputs: list[str]) -> bool:
    return all((out / p).is_file() for p in outputs)


def build_skill(registry: Registry, renderer: Renderer, out: Output, site: SiteInfo, skill: Skill,
                usage: UsageFigures | None) -> dict:
    """Every output of one skill: its pages, a zip per version, its JSON; returns its part of
    the search index (`AnalyzedDoc` JSON, kept in the manifest), computed in the same worker."""
    render_skill_pages(registry, renderer, out, site, skill, usage)
    bundles = write_bundles(registry, out, skill)
    write_skill_api(registry, out, skill, bundles, site.base_url)
    return analyze_document(skill_document(skill)).to_json()


def render_skill_pages(registry: Registry, renderer: Renderer, out: Output, site: SiteInfo,
                       skill: Skill, usage: UsageFigures | None) -> None:
    """The skill page, its files page (every file of the latest version, each also as a raw
    copy) and its history page (every version with its diff).

    Three pages per skill whatever its size (issue 12): a page and a folder per file and
    per version, and raw copies of every old version, were most of a large site's files.
    """
    page = paths.skill_page(skill.name)
    rendered = pages.render_body(site, skill)
    out.write(page, renderer.render("skill.html", pages.skill_page(site, skill, usage, rendered),
                                    page))
    views = []
    if skill.latest is not None:
        tree = registry.tree(skill.latest)
        for item in skill.files:
            if item.kind not in (FileKind.FILE, FileKind.EXECUTABLE):
                continue
            data = tree.read(item.path)
            out.write(paths.raw_file(skill.name, item.path), data)
            views.append(pages.file_view(skill.name, item, data))
    target = paths.files_page(skill.name)
    out.write(target, renderer.render("files.html", pages.files_page(site, skill.name, views), target))
    entries = []
    previous = None
    for version in skill.versions:
        diff = registry.diff(skill.name, previous.tree_id, version.tree_id) if previous else ""
        entries.append(pages.version_entry(skill.name, version, previous, diff))
        previous = version
    target = paths.history_page(skill.name)
    out.write(target, renderer.render("versions.html",
                                      pages.history_page(site, skill.name, entries[::-1]), target))


def write_bundles(registry: Registry, out: Output, skill: Skill) -> list[Bundle]:
    """A deterministic zip per version (`<name>/SKILL.md`, ...), for claude.ai uploads.

    A tree id published again (a revert) keeps the zip of its first publication:
    one URL, one set of bytes, whatever happened later.
    """
    bundles = []
    by_tree: dict[str, Bundle] = {}
    for version in skill.versions:
        bundle = by_tree.get(version.tree_id)
        if bundle is None:
            bundle = Bundle(paths.zip_file(skill.name, version.tree_id),
                            build_zip(skill.name, version, registry.tree(version)))
            out.write(bundle.path, bundle.data)
            by_tree[version.tree_id] = bundle
        bundles.append(bundle)
    return bundles


def write_skill_api(registry: Registry, out: Output, skill: Skill, bundles: list[Bundle],
                    base_url: str | None) -> None:
    records = [api.VersionRecord(v, file_digests(registry.tree(v)), b)
               for v, b in zip(skill.versions, bundles, strict=True)]
    out.write(paths.skill_json(skill.name), api.skill_json(skill, records, base_url))


def render_site_pages(renderer: Renderer, out: Output, site: SiteInfo, cards: list[Card],
                      catalog: Catalog, usage: Usage | None) -> None:
    """The catalog (its pages and every card's data), the usage dashboard and the 404 page."""
    for path, page in pages.catalog_pages(site, cards, catalog.broken, tip_broken=catalog.tip_broken):
        out.write(path, renderer.render("catalog.html", page, path))
    out.write(paths.CARDS_DATA, pages.cards_data(cards, site.base_url))
    names = set(catalog.skills)
    out.write("usage/index.html", renderer.render("usage.html", pages.usage_page(site, usage, names),
                                                  "usage/index.html"))
    out.write("404.html", _not_found(renderer, site))


def _not_found(renderer: Renderer, site: SiteInfo) -> bytes:
    """404.html is served at any depth, so its links are absolute: the base URL, else the root."""
    from .context import NotFoundPage

    absolute = Renderer(renderer.templates, renderer.base_url or "/")
    return absolute.render("404.html", NotFoundPage(site=site), "404.html")


def write_search_index(out: Output, skills: list[Skill], usage: Usage | None,
                       cached: Mapping[str, dict | None] | None = None,
                       others: Iterable[Item] = ()) -> None:
    """The search index of every skill, then of `others` (the other kinds of items), in card
    order (refs are card positions); loaded by the catalog page on first focus.

    Each skill's analysis depends on that skill alone: `cached` (skill name -> the
    `AnalyzedDoc` JSON kept in the build manifest) saves redoing it for skills that did not
    change. The assembly (`SearchIndex.build`: idf, body words kept, usage priors) is
    catalog-wide and always redone.
    """
    cached = cached or {}
    docs = [_analysis(s, cached.get(s.name)) for s in skills]
    docs += [analyze_document(item_document(item)) for item in others]
    figures = usage.skills if usage else {}
    popularity = {name: Popularity(f.uses, f.rating, f.ratings) for name, f in figures.items()}
    out.write(paths.SEARCH_INDEX, index_script(SearchIndex.build(docs, popularity)).encode("utf-8"))


def _analysis(skill: Skill, cached: dict | None) -> AnalyzedDoc:
    doc = AnalyzedDoc.from_json(cached) if cached else None
    return doc if doc is not None and doc.key == skill.name else analyze_document(skill_document(skill))


def write_catalog_api(out: Output, site: SiteInfo, skills: list[Skill], base_url: str | None) -> None:
    out.write(paths.CATALOG_JSON, api.catalog_json(site, skills, base_url))
    if site.repository:  # a URL-hosted marketplace works only with sources that name the repository
        out.write(paths.MARKETPLACE_JSON, api.marketplace_json(site, skills))


def copy_assets(out: Output, templates: Path, lunr_js: Path) -> None:
    """CSS and JS from site_templates/assets, lunr.js from node_modules, Pygments CSS, .nojekyll
    and `_headers`.

    `.nojekyll` stops GitHub Pages from hiding `.claude-plugin/`; `_headers` carries the security
    headers (registry/webpolicy.py) to the static hosts that read it.
    """
    for path in sorted((templates / "assets").rglob("*")):
        if path.is_file():
            out.write(f"{paths.ASSETS}/{path.relative_to(templates / 'assets').as_posix()}",
                      path.read_bytes())
    out.write(f"{paths.ASSETS}/lunr.min.js", lunr_js.read_bytes())
    out.write(f"{paths.ASSETS}/pygments.css", pygments_css().encode())
    out.write(".nojekyll", b"")
    out.write(paths.STATIC_HEADERS, static_host_headers().encode())


def clean(out: Path) -> None:
    """Remove a previous build entirely (for `--clean`)."""
    if out.exists():
        shutil.rmtree(out)

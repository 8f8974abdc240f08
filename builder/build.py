"""`relay build`: the registry at one revision -> a static site, in one readable pipeline.

    load catalog -> plan (what changed) -> write bundle -> render skill page -> write skill API
    -> render site pages -> item pages (items.py) -> write search index -> write catalog API
    -> copy assets -> prune

Per-skill work (its one page with its files and versions' diffs, its zip, its
JSON) is skipped when the skill's fingerprint matches the last build's
manifest, and what remains is spread over every core (`parallel.py`); the
catalog, dashboard, search index and catalog-wide JSON are always
rebuilt, and files are only rewritten when their bytes change. Nothing depends
on the clock: the same commit gives the same bytes.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from registry.audience import may_see
from registry.catalog import Catalog, ListedSkill, Listing, Registry
from registry.content import file_digests
from registry.errors import RelayError
from registry.items import visible_items
from registry.marketplace import DEFAULT_NAME as DEFAULT_MARKETPLACE
from registry.marketplace import SkillFacts, read_current, site_entries
from registry.model import FileKind, Item, Skill
from registry.search import (
    AnalyzedDoc,
    Popularity,
    analyze_document,
    item_document,
    skill_document,
)
from registry.search.counts import TermCounts, priors
from registry.search.document import ANALYSIS_VERSION
from registry.webpolicy import static_host_headers

from . import api, items, pages, paths
from .bundles import Bundle, build_zip
from .cards import card_files
from .context import Card, SiteInfo, UsageFigures
from .markdown import Rendered, pygments_css
from .output import Manifest, Output, SkillEntry, compact
from .parallel import Setup, render_skills
from .paths import DEFAULT_MCP_URL
from .render import TEMPLATES_DIR, Renderer, templates_hash
from .search import (
    by_shard,
    entries,
    index_head,
    postings,
    read_shard,
    shard_path,
    shard_script,
    splice,
    table_files,
)
from .usage import Usage, read_usage

if TYPE_CHECKING:
    from markdown_it.token import Token

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
    read: list[str] = field(default_factory=list)  # skills read from git (the others: manifest)
    written: list[str] = field(default_factory=list)  # output paths whose bytes changed
    removed: int = 0
    seconds: float = 0.0
    search: str = ""  # the search index: "kept", "updated" (the changed skills' terms) or "assembled"


def _plain(items: Iterable[T], _length: int, _label: str) -> Iterator[T]:
    yield from items


def build(config: BuildConfig, progress: Progress | None = None) -> BuildReport:
    """Build the site into `config.out`; incremental when a previous build is there."""
    started = time.perf_counter()
    progress = progress or _plain
    lunr_js = find_lunr(config.node_modules)
    registry = Registry(config.repo)
    collecting = gc.isenabled()
    # The cyclic collector would walk the 10,000 skills' manifest entries, cards and parts again
    # and again as they are made (a second of a one-skill rebuild, issue 12); what the build
    # makes has few cycles, and many stale skills are rendered in worker processes.
    gc.disable()
    try:
        listing = registry.listing(config.rev)
        previous = Manifest.load(config.out)
        plan = plan_skills(registry, listing, previous, config)
        usage = load_usage(config.usage_dir, plan.names)
        site = site_info(config, listing.revision, plan.dates(), usage, registry)
        out = Output(config.out)
        manifest = Manifest()
        renderer = Renderer(config.templates, config.base_url)
        template_digest = templates_hash(config.templates)
        stale: list[tuple[Skill, UsageFigures | None]] = []
        keys: dict[str, str] = {}
        options = build_options(config, site, template_digest)
        for name in plan.names:
            figures = skill_usage(usage, name)
            key = keys[name] = fingerprint(plan.content[name], options, figures)
            old = previous.skills.get(name)
            if name not in plan.loaded and old is not None and old.fingerprint == key:
                manifest.skills[name] = old  # its outputs stay as they are: not even listed
            else:
                stale.append((plan.loaded.get(name) or plan.load(name), figures))
        setup = Setup(config.repo, config.out, config.templates, config.base_url, site, build_skill)
        rendered = render_skills(setup, stale, config.jobs, registry, renderer)
        analyses: dict[str, str] = {}  # skill -> its search analysis (JSON), for the search stage
        for done in progress(rendered, len(stale), "Rendering skills"):
            out.recorded.extend(done.recorded)
            out.written.extend(done.written)
            parts = dict(done.parts)
            analyses[done.name] = parts.pop("search")
            manifest.skills[done.name] = SkillEntry.made(keys[done.name], plan.content[done.name],
                                                         done.recorded, parts)
            plan.rendered.append(done.name)
        entries = [manifest.skills[name] for name in plan.names]
        others = visible_items(items.load_items(registry, config.rev), config.audience)
        mark = out.mark()
        search = start_search_stage(out, plan, analyses, usage, others, previous, manifest,
                                    template_digest, config.jobs)  # first: it may run beside the rest
        cards = [skill_card(i, name, entry.get("card"), skill_usage(usage, name))
                 for i, (name, entry) in enumerate(zip(plan.names, entries, strict=True))]
        plugins = {i.name: i for i in others if i.kind == "plugin"}
        other_cards = [items.card(len(cards) + n, item, plugins) for n, item in enumerate(others)]
        tip_broken = sorted(n for n, e in zip(plan.names, entries, strict=True) if e.flag("tip_broken"))
        render_site_pages(renderer, out, site, cards + other_cards, plan.broken, tip_broken,
                          set(plan.names), usage, previous.pages, manifest.pages, template_digest)
        items.write_item_pages(registry, renderer, out, site, others)
        write_catalog_api(out, site, entries)
        copy_assets(out, config.templates, lunr_js)
        search.finish()
        manifest.site = out.since(mark)
        report = BuildReport(skills=len(plan.names), items=len(others), rendered=plan.rendered,
                             read=sorted(plan.read), search=search.how)
        report.removed = out.prune(no_longer_produced(previous, manifest, out.recorded))
        out.write(paths.MANIFEST, manifest.dumps())
        report.written = out.written
    finally:
        registry.close()
        if collecting:
            gc.enable()
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class Plan:
    """Which skills a build holds, which were read from git, and what the rest reuse.

    A skill whose tree id and versions (its `content` key) match the last build's
    manifest is not read at all: its card and API entry come from the manifest and its
    search analysis from the kept term counts (`kept_analyses`), so a rebuild after one
    change reads one skill, not 10,000 (issue 12). Kept parts are parsed only by the stage
    that uses them.
    """

    registry: Registry
    listed: dict[str, ListedSkill]
    audience: frozenset[str]
    previous: Manifest
    names: list[str] = field(default_factory=list)  # the skills of the site, sorted
    content: dict[str, str] = field(default_factory=dict)  # name -> content key
    loaded: dict[str, Skill] = field(default_factory=dict)  # read from git in this build
    broken: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)  # read after planning (see `load`)
    analysed: bool = False  # the last build's term counts hold its skills' analyses (`kept_analyses`)

    @property
    def read(self) -> list[str]:
        return list(self.loaded) + self.late

    def load(self, name: str) -> Skill:
        """A skill the plan meant to reuse but must render after all (its options changed)."""
        skill = self.registry.load(self.listed[name])
        assert skill is not None  # it loaded with the same tree id in the last build
        self.late.append(name)
        return skill

    def dates(self) -> list[datetime]:
        """The latest version's date of every skill, for the site's 'updated' line."""
        found = [s.latest.date for s in self.loaded.values() if s.latest]
        kept = (self.previous.skills[n].string("date") for n in self.names if n not in self.loaded)
        found += [datetime.fromisoformat(date) for date in kept if date]
        return found


def plan_skills(registry: Registry, listing: Listing, previous: Manifest, config: BuildConfig) -> Plan:
    """Read from git only the skills whose content changed since the last build (or that the last
    build did not publish: new, broken, hidden from this audience)."""
    plan = Plan(registry, {e.name: e for e in listing.entries}, config.audience, previous,
                broken=list(listing.unsafe))
    published = _published(config.out) if previous.skills else set()
    analysed = plan.analysed = kept_analyses(config.out, previous)  # else every skill is read again
    for entry in sorted(listing.entries, key=lambda e: e.name):
        key = content_key(entry, config.audience)
        old = previous.skills.get(entry.name)
        if old is not None and old.content == key and analysed and entry.name in published:
            plan.names.append(entry.name)
            plan.content[entry.name] = key
            continue
        skill = registry.load(entry)
        if skill is None:
            plan.broken.append(entry.name)
        elif may_see(skill.metadata, config.audience):
            plan.names.append(entry.name)
            plan.content[entry.name] = key
            plan.loaded[entry.name] = skill
    return plan


def kept_analyses(out: Path, previous: Manifest) -> bool:
    """Whether the last build's search term counts hold the analysis of each of its skills by
    this analyzer: they are the only copy kept (`write_search_index`). Counts missing, cut
    short or of another analyzer mean every skill is read and analysed again."""
    if previous.analysis != ANALYSIS_VERSION or not previous.skills:
        return False
    items = previous.search.get("items")
    return (isinstance(items, int) and items >= len(previous.skills)
            and TermCounts.peek(out / paths.SEARCH_COUNTS) == items)


def content_key(entry: ListedSkill, audience: frozenset[str]) -> str:
    """A skill's tree id and versions, and the audience: what reading it from git depends on.
    (Plain text hashed: these are hex ids and tag names, and json.dumps per skill was a second
    of a 10,000-skill rebuild.)"""
    text = f"{entry.tree_id}\n{entry.history}\n{','.join(sorted(audience))}"
    return hashlib.sha256(text.encode()).hexdigest()


def _published(out: Path) -> set[str]:
    """The skill folders of the last build's output: one listing, for `plan_skills`' cheap check.

    The manifest is trusted; checking every output cost a stat per file (180,000 of them at
    10,000 skills, issue 12), and even a stat per skill a second on a loaded machine. Delete
    the output folder (or use `--clean`) after editing it by hand.
    """
    try:
        return set(os.listdir(os.path.join(out, "skills")))
    except OSError:
        return set()


def no_longer_produced(previous: Manifest, manifest: Manifest, recorded: list[str]) -> set[str]:
    """The last build's outputs that this one did not produce, found without listing the
    outputs of skills that kept theirs: only skills rendered again or gone, and the site's."""
    stale = set(previous.site)
    for name, entry in previous.skills.items():
        if manifest.skills.get(name) is not entry:
            stale.update(entry.outputs)
    return stale - set(recorded) - {paths.MANIFEST}


def skill_card(index: int, name: str, data: dict, usage: UsageFigures | None) -> Card:
    """A card from the kept `card` part."""
    return Card(index=index, name=name, description=data["description"], tags=tuple(data["tags"]),
                owner=data["owner"], category=data["category"], license=data["license"],
                updated=data["updated"], versions=data["versions"], href=data["href"], usage=usage,
                zip_href=data["zip_href"])


def skill_parts(skill: Skill, site: SiteInfo, tokens: Sequence[Token] | None = None,
                read: Callable[[str], bytes] | None = None) -> dict[str, str]:
    """What the catalog-wide files need of a skill, as JSON text written in the worker, kept so
    that unchanged skills are never read again: in the manifest its card, its `catalog.json`
    entry, its marketplace entry, its latest date and whether its tip is broken; in the search
    index's term counts its analysis, `search` (from `tokens`, the body as the skill page parsed
    it, when given, and the bundled markdown files that `read` gives, see
    registry.search.bundled_text)."""
    card = pages.card(0, skill, None)
    market = None
    if site.repository:
        market = site_entries([SkillFacts(skill.name, skill.folder, skill.frontmatter)],
                              site.repository)[0]
    parts = {"card": {"description": card.description, "tags": list(card.tags), "owner": card.owner,
                      "category": card.category, "license": card.license, "updated": card.updated,
                      "versions": card.versions, "href": card.href, "zip_href": card.zip_href},
             "api": api.catalog_entry(skill, site.base_url), "market": market,
             "date": skill.latest.date.isoformat() if skill.latest else "",
             "tip_broken": skill.broken_tip is not None,
             "search": analyze_document(skill_document(skill, read), tokens).to_json()}
    return {name: compact(value) for name, value in parts.items()}


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


def load_usage(folder: Path | None, names: Iterable[str]) -> Usage | None:
    """The usage figures of the items in this build only (no hidden item's name leaks through them)."""
    if folder is None:
        return None
    usage = read_usage(folder)
    shown = set(names)
    usage.skills = {name: figures for name, figures in usage.skills.items() if name in shown}
    return usage


def skill_usage(usage: Usage | None, name: str) -> UsageFigures | None:
    if usage is None:
        return None
    return usage.skills.get(name, UsageFigures())


def site_info(config: BuildConfig, revision: str | None, dates: Iterable[datetime],
              usage: Usage | None, registry: Registry | None = None) -> SiteInfo:
    found = list(dates)
    date = f"{max(found).astimezone(UTC):%Y-%m-%d %H:%M} UTC" if found else ""
    name, repository = DEFAULT_MARKETPLACE, ""
    if registry is not None:
        current, _ = read_current(registry.root)
        name = (current or {}).get("name") or registry.config.marketplace_name or DEFAULT_MARKETPLACE
        # In GitHub Actions (the Pages workflow) the repository is known without configuration.
        repository = registry.config.repository or os.environ.get("GITHUB_REPOSITORY", "")
    return SiteInfo(title=config.title, revision=revision or "", revision_date=date,
                    mcp_url=config.mcp_url, has_usage=usage is not None and bool(usage.skills),
                    base_url=config.base_url, repository=repository, marketplace=str(name))


def build_options(config: BuildConfig, site: SiteInfo, templates: str) -> str:
    """A digest of what every skill's outputs depend on besides the skill itself: the options and
    the templates and builder (`templates`). Taken once per build, not once per skill."""
    data = [templates, config.base_url, config.mcp_url, config.title, site.has_usage, site.repository,
            site.marketplace]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def fingerprint(content: str, options: str, usage: UsageFigures | None) -> str:
    """Everything a skill's own outputs depend on (`content`: its tree id, versions and the
    audience, see `content_key`; `options`: `build_options`); equal fingerprints, equal bytes."""
    figures = json.dumps(usage.__dict__, sort_keys=True, default=str) if usage else ""
    return hashlib.sha256(f"{options}\n{content}\n{figures}".encode()).hexdigest()


def build_skill(registry: Registry, renderer: Renderer, out: Output, site: SiteInfo, skill: Skill,
                usage: UsageFigures | None) -> dict[str, str]:
    """Every output of one skill: its page (`_published` checks the skill's folder), the latest
    version's zip, its JSON; returns its parts of the catalog-wide files (`skill_parts`, kept in
    the manifest), computed in the same worker."""
    bundle = write_bundle(registry, out, skill)
    body = render_skill_page(registry, renderer, out, site, skill, usage)
    write_skill_api(registry, out, skill, bundle, site.base_url)
    read = registry.tree(skill.latest).read if skill.latest is not None else None
    return skill_parts(skill, site, body.tokens, read)


def render_skill_page(registry: Registry, renderer: Renderer, out: Output, site: SiteInfo,
                      skill: Skill, usage: UsageFigures | None) -> Rendered:
    """The skill's one page: SKILL.md rendered, every other file of the latest version (its
    source, or a copy under `raw/` of a file the page cannot show) and every version with its
    changes; returns the rendered SKILL.md body, whose tokens the search analysis reuses.

    One page per skill whatever its size (issue 12): a page per file and per version, then a
    files page and a history page, and raw copies of files the page already shows, were most
    of a large site's files, and on 4 KiB blocks most of its size (docs/site.md).
    """
    page = paths.skill_page(skill.name)
    rendered = pages.render_body(site, skill)
    sources = []
    if skill.latest is not None:
        tree = registry.tree(skill.latest)
        copies = set(rendered.images)  # SKILL.md's own images: the page shows their copies
        for item in skill.files:
            if item.kind not in (FileKind.FILE, FileKind.EXECUTABLE) or item.path == "SKILL.md":
                continue
            data = tree.read(item.path)
            view = pages.file_view(skill.name, item, data)
            if view.raw_href or item.path in copies:
                out.write(paths.raw_file(skill.name, item.path), data)
            sources.append(view)
    history = []
    previous = None
    for version in skill.versions:
        diff = registry.diff_trees(skill.name, previous.tree_id, version.tree_id) if previous else ""
        history.append(pages.version_entry(skill.name, version, diff, version is skill.latest))
        previous = version
    out.write(page, renderer.render("skill.html", pages.skill_page(site, skill, usage, rendered,
                                                                   sources, history[::-1]), page))
    return rendered


def write_bundle(registry: Registry, out: Output, skill: Skill) -> Bundle | None:
    """A deterministic zip of the latest version (`<name>/SKILL.md`, ...), for claude.ai uploads
    and the install commands; older versions come from git or MCP (docs/site.md)."""
    if skill.latest is None:
        return None
    bundle = Bundle(paths.zip_file(skill.name, skill.latest.tree_id),
                    build_zip(skill.name, skill.latest, registry.tree(skill.latest)))
    out.write(bundle.path, bundle.data)
    return bundle


def write_skill_api(registry: Registry, out: Output, skill: Skill, bundle: Bundle | None,
                    base_url: str | None) -> None:
    records = [api.VersionRecord(v, file_digests(registry.tree(v)), bundle) if v is skill.latest
               else api.VersionRecord(v, None, None) for v in skill.versions]
    out.write(paths.skill_json(skill.name), api.skill_json(skill, records, base_url))


_SHARED_BY_PAGES = ("facets", "broken", "total", "others", "tip_broken")  # equal on every page


def render_site_pages(renderer: Renderer, out: Output, site: SiteInfo, cards: list[Card],
                      broken: list[str], tip_broken: list[str], names: set[str], usage: Usage | None,
                      before: Mapping[str, str] | None = None,
                      after: dict[str, str] | None = None, code: str = "") -> None:
    """The catalog (its pages and every card's data), the usage dashboard and the 404 page.

    A catalog page is rendered again only when its inputs changed: `before` holds each
    page's digest from the last build (the manifest), `after` collects this build's; `code`
    (the templates' and builder's digest) is part of each. One changed skill then re-renders
    its own page of the list, not all of them (issue 12): the commit and date of the build
    show on the home page only, so the other pages do not change with every commit.
    """
    before = before or {}
    later = replace(site, revision="", revision_date="")
    listed = pages.catalog_pages(site, cards, broken, tip_broken=tip_broken)
    shared = hashlib.sha256(code.encode())  # what every page shows: taken once, not per page
    if listed:
        shared.update(repr([getattr(listed[0][1], name) for name in _SHARED_BY_PAGES]).encode())
    for number, (path, page) in enumerate(listed):
        if number:
            page = replace(page, site=later)
        digest = shared.copy()
        digest.update(repr([getattr(page, f.name) for f in fields(page)
                            if f.name not in _SHARED_BY_PAGES]).encode())
        if after is not None:
            after[path] = digest.hexdigest()
        if before.get(path) == digest.hexdigest() and (out.root / path).is_file():
            out.recorded.append(path)
        else:
            out.write(path, renderer.render("catalog.html", page, path))
    for path, data in card_files(cards, site.base_url).items():
        out.write(path, data)
    out.write("usage/index.html", renderer.render("usage.html", pages.usage_page(site, usage, names),
                                                  "usage/index.html"))
    out.write("404.html", _not_found(renderer, site))


def _not_found(renderer: Renderer, site: SiteInfo) -> bytes:
    """404.html is served at any depth, so its links are absolute: the base URL, else the root."""
    from .context import NotFoundPage

    absolute = Renderer(renderer.templates, renderer.base_url or "/")
    return absolute.render("404.html", NotFoundPage(site=site), "404.html")


SEARCH_FORK_THRESHOLD = 1000  # items; below it the search stage runs in the build process


def start_search_stage(out: Output, plan: Plan, analyses: Mapping[str, str], usage: Usage | None,
                       others: list[Item], previous: Manifest, manifest: Manifest, code: str,
                       jobs: int | None) -> SearchStage:
    """The search index: kept, updated for the changed skills, or assembled anew.

    Its inputs are every skill's content key (which fixes its analysis), the other items'
    analyses, the usage figures, and the code that ranks and writes it (`code`: the builder's
    digest, plus registry.search's sources). When their digest equals the last build's, the
    last build's index files are kept as they are (issue 12). When only some skills' contents
    changed, `update_search_index` weighs again just their terms from the kept term counts and
    rewrites the shards holding them; otherwise (or when it cannot) the whole index is
    assembled, from the kept counts of the skills not rendered in this build and the new
    analyses (`analyses`) of those that were. Either runs, for a large catalog, in a forked
    process while the build renders the catalog pages and writes the catalog JSON on the other
    core (an update was 1 s of a one-skill rebuild at 10,000 skills, issue 12);
    `SearchStage.finish` collects it.
    """
    manifest.analysis = ANALYSIS_VERSION
    extra = [analyze_document(item_document(item)) for item in others]
    figures = usage.skills if usage else {}
    popularity = {name: Popularity(f.uses, f.rating, f.ratings) for name, f in figures.items()}
    key = search_key(code, [plan.content[name] for name in plan.names], extra, popularity)
    base = search_key(code, plan.names, extra, popularity)  # all but the skills' contents
    kept = previous.search.get("outputs")
    stage = SearchStage(out, manifest)
    if (previous.search.get("key") == key and kept and plan.analysed  # (counts read back: `kept_analyses`)
            and all((out.root / p).is_file() for p in kept)):
        out.recorded.extend(kept)
        manifest.search = previous.search
        stage.how = "kept"
        return stage
    changed: dict[int, str] | None = None
    if previous.search.get("base") == base and kept and plan.analysed:
        changed = {i: analyses[name] for i, name in enumerate(plan.names)
                   if previous.skills[name].content != plan.content[name]}
    # Each skill: its new analysis, else its position in the kept counts (the last build's order).
    last = {name: i for i, name in enumerate(sorted(previous.skills))} if plan.analysed else {}
    sources: list[int | str] = [analyses[name] if name in analyses else last[name] for name in plan.names]
    job = SearchJob(out.root, extra, popularity, key, base, kept or [], changed)
    _INHERITED[:] = [(plan.names, sources)]  # a forked child reads them without a pickle
    cores = jobs or os.cpu_count() or 1
    forks = "fork" in mp.get_all_start_methods()
    if forks and len(sources) + len(extra) >= SEARCH_FORK_THRESHOLD and spare_core(cores):
        stage.pool = ProcessPoolExecutor(1, mp_context=mp.get_context("fork"))
        stage.future = stage.pool.submit(job.run)
    else:
        stage.result = job.run()
    return stage


def spare_core(cores: int) -> bool:
    """Whether a core is free for the search stage beside the build. A fork costs the parent's
    page tables and copy-on-write faults (0.3-0.4 s of system time at 10,000 skills): on a
    busy machine (load average 3.5 on 2 cores) a one-skill rebuild with a forked search stage
    took 0.3 s longer than without (issue 12, docs/benchmarks.md)."""
    try:
        return cores >= 2 and os.getloadavg()[0] <= cores - 1
    except OSError:  # no load average on this system
        return cores >= 2


_INHERITED: list[tuple[list[str], list[int | str]]] = []  # the skills' names and analyses


@dataclass
class SearchStage:
    """The search index being written (`start_search_stage`): in this process, or in a forked one."""

    out: Output
    manifest: Manifest
    how: str = "assembled"
    result: tuple[list[str], list[str], dict, str] | None = None
    pool: ProcessPoolExecutor | None = None
    future: Future | None = None

    def finish(self) -> None:
        if self.pool is not None and self.future is not None:
            with self.pool:
                self.result = self.future.result()
        if self.result is not None:
            recorded, written, self.manifest.search, self.how = self.result
            _INHERITED.clear()
            self.out.recorded.extend(recorded)
            self.out.written.extend(written)


class KeptCountsUnreadable(RelayError):
    """The last build's term counts passed the build's first check but do not read."""


@dataclass
class SearchJob:
    """What the search stage needs besides the skills' analyses (`_INHERITED`): picklable, so it
    runs the same in this process or in a forked child."""

    root: Path
    extra: list[AnalyzedDoc]  # the other items' analyses
    popularity: Mapping[str, Popularity]
    key: str
    base: str
    kept: list[str]  # the last build's index files
    changed: dict[int, str] | None  # skill position -> new analysis (JSON); None: assemble

    def run(self) -> tuple[list[str], list[str], dict, str]:
        """Update the last build's index if it can, else assemble it; what it recorded and
        wrote, the manifest's search entry, and how ("updated" or "assembled")."""
        out = Output(self.root)
        names, sources = _INHERITED[0]
        keys = names + [d.key for d in self.extra]
        if self.changed is not None:
            outputs = update_search_index(out, self.kept, self.changed, keys, self.popularity)
            if outputs is not None:
                return out.recorded, out.written, {"key": self.key, "base": self.base, "items": len(keys),
                                                   "outputs": outputs}, "updated"
        kept = None
        if any(isinstance(source, int) for source in sources):
            path = out.root / paths.SEARCH_COUNTS
            kept = TermCounts.loads(path.read_bytes()) if path.is_file() else None
            if kept is None:
                raise KeptCountsUnreadable(f"{path} does not read as the last build's search term counts; "
                                           "build again with --clean")
        items: list[int | AnalyzedDoc] = [s if isinstance(s, int) else _analysis(s) for s in sources]
        counts = TermCounts.assemble(kept, [*items, *self.extra])
        write_counted_index(out, counts, keys, self.popularity)
        return out.recorded, out.written, {"key": self.key, "base": self.base, "items": len(keys),
                                           "outputs": sorted(out.recorded)}, "assembled"


def _analysis(text: str) -> AnalyzedDoc:
    doc = AnalyzedDoc.from_json(json.loads(text))
    assert doc is not None, "an analysis made by this build"
    return doc


SEARCH_SOURCES = ("analyzer.py", "counts.py", "document.py", "index.py", "ranking.py")


def search_key(code: str, contents: list[str], extra: list[AnalyzedDoc],
               popularity: Mapping[str, Popularity]) -> str:
    """A digest of everything the search index's bytes depend on (`write_search_stage`)."""
    digest = hashlib.sha256(code.encode())
    for name in SEARCH_SOURCES:
        digest.update((Path(analyze_document.__code__.co_filename).parent / name).read_bytes())
    digest.update("\n".join(contents).encode())
    digest.update(json.dumps([d.to_json() for d in extra], sort_keys=True).encode())
    digest.update(json.dumps(sorted((k, p.uses, p.rating, p.ratings) for k, p in popularity.items()))
                  .encode())
    return digest.hexdigest()


def write_search_index(out: Output, docs: list[AnalyzedDoc],
                       popularity: Mapping[str, Popularity]) -> None:
    """The search index of `docs` (every skill's analysis, then the other kinds of items), in
    card order (refs are card positions): see `write_counted_index`."""
    write_counted_index(out, TermCounts.from_docs(docs), [d.key for d in docs], popularity)


def write_counted_index(out: Output, counts: TermCounts, keys: list[str],
                        popularity: Mapping[str, Popularity]) -> None:
    """The search index of the items counted in `counts` (their keys in card order: refs are
    card positions): a head loaded by the catalog page on first focus, and term shards loaded
    for each query's words (builder/search.py); and the term counts themselves, kept for
    `update_search_index` and for the next assembly: they are the only copy of the skills'
    analyses a site keeps (a rebuild reads no unchanged skill)."""
    weights = counts.weigh(priors(keys, counts.deprecated.tolist(), popularity))
    for path, script in table_files(weights, counts.items):
        out.write(path, script.encode("utf-8"))
    out.write(paths.SEARCH_COUNTS, counts.dumps())


def update_search_index(out: Output, kept: list[str], changed: Mapping[int, str], keys: list[str],
                        popularity: Mapping[str, Popularity]) -> list[str] | None:
    """The last build's index brought up to date for the skills at positions `changed` (with
    their new analyses as JSON text; same skills, same order, same other items and usage), from
    the kept term counts (registry/search/counts.py says why nothing else moves), rewriting only
    the shards holding their terms, before and after:

    - a term they gained or lost (its document frequency, hence its idf, moved) is weighed
      again for every item holding it, and its postings written anew;
    - any other term of theirs keeps every other item's weight: only their own postings are
      weighed and spliced into its kept text (`search.splice`).

    Returns the index's outputs; None when it cannot (kept counts or shards missing, unreadable
    or of another catalog, an analysis of another version, or the rounded average field lengths
    moved), and then the caller assembles the whole index. Writes nothing before it knows it can.
    """
    if paths.SEARCH_COUNTS not in kept or not all((out.root / p).is_file() for p in kept):
        return None
    counts = TermCounts.loads((out.root / paths.SEARCH_COUNTS).read_bytes())
    if counts is None or counts.items != len(keys):
        return None
    fresh = {}
    for i, text in changed.items():
        doc = AnalyzedDoc.from_json(json.loads(text))
        if doc is None:
            return None
        fresh[i] = doc
    terms = counts.terms_of(changed)
    updated = counts.replace(fresh) if fresh else counts
    if updated.averages() != counts.averages():
        return None  # every item's length normalisation moved: assemble the whole index
    terms |= updated.terms_of(changed)
    before, after = counts.frequencies(terms), updated.frequencies(terms)
    moved = {t for t in terms if before[t] != after[t]}
    item_priors = priors(keys, updated.deprecated.tolist(), popularity)
    whole = postings(updated.weigh(item_priors, moved))
    own = entries(updated.weigh(item_priors, terms - moved, items=changed))
    items = sorted(changed)
    shard_files = {p for p in kept if p.startswith(paths.SEARCH_SHARDS + "/")}
    names = {p.removeprefix(paths.SEARCH_SHARDS + "/").removesuffix(".js") for p in shard_files}
    rewritten: dict[str, dict[str, str]] = {}
    try:
        for name, mine in sorted(by_shard(dict.fromkeys(terms, "")).items()):
            path = shard_path(name)
            held = read_shard((out.root / path).read_text("utf-8")) if path in shard_files else {}
            for term in mine:
                spliced = whole.get(term) if term in moved else splice(
                    held.get(term, "[]"), items, own.get(term, []))
                if spliced is None:
                    held.pop(term, None)
                else:
                    held[term] = spliced
            rewritten[name] = held
    except (ValueError, IndexError):  # a shard not as `shard_script` wrote it (Unspliceable...)
        return None
    for name, held in rewritten.items():
        if held:
            out.write(shard_path(name), shard_script(name, held).encode("utf-8"))
            names.add(name)
        else:
            names.discard(name)
    out.recorded.extend(shard_path(name) for name in sorted(names - rewritten.keys()))  # kept as they are
    out.write(paths.SEARCH_INDEX, index_head(len(keys), names).encode("utf-8"))
    out.write(paths.SEARCH_COUNTS, updated.dumps())
    return sorted([paths.SEARCH_INDEX, paths.SEARCH_COUNTS] + [shard_path(n) for n in names])


def write_catalog_api(out: Output, site: SiteInfo, entries: list[SkillEntry]) -> None:
    """`catalog.json` and the site's marketplace, spliced from each skill's kept entry."""
    out.write(paths.CATALOG_JSON, api.catalog_json(site, [e.text("api") for e in entries]))
    if site.repository:  # a URL-hosted marketplace works only with sources that name the repository
        out.write(paths.MARKETPLACE_JSON, api.marketplace_json(site, [e.text("market") for e in entries]))


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

"""Typed template contexts: what each template may use, documented in one place.

Templates get a context's fields as variables plus `url(path)` (a link from the
page being rendered to a site path, honouring `--base-url`). A test renders
every template in `TEMPLATES` with a populated context, so a template that
reaches for a field that does not exist fails the suite, not a user's build.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class SiteInfo:
    """Facts every page shows: the revision it was built from (never the build time)."""

    title: str
    revision: str  # commit id the site was built from
    revision_date: str  # that commit's date, ISO 8601
    mcp_url: str
    has_usage: bool
    base_url: str | None = None  # links are relative when None
    repository: str = ""  # where hosts clone the skills repository (OWNER/REPO or a git URL)
    marketplace: str = "relay-skills"  # the repository marketplace's name: NAME@<marketplace>


@dataclass(frozen=True)
class UsageFigures:
    """A skill's usage totals from the usage export.

    Zero is a figure only where it was measured: `users` counts callers with a known identity
    (0 when every use came anonymously, e.g. over stdio), and `hours_saved` means something only
    when someone reported minutes saved (`hours_known`). Templates show neither when unknown.
    """

    uses: int = 0
    users: int = 0
    hours_saved: float = 0.0
    hours_known: bool = False
    rating: float | None = None  # mean of 1-5 ratings
    ratings: int = 0


@dataclass(frozen=True)
class Card:
    """One skill in the catalog list (also the facet and sort data the catalog script reads)."""

    index: int  # the skill's ref in the search index
    name: str
    description: str
    tags: tuple[str, ...]
    owner: str
    category: str
    license: str
    updated: str  # date of the latest version, YYYY-MM-DD ("" when uncommitted)
    versions: int
    href: str  # site path of the skill page
    usage: UsageFigures | None
    kind: str = "skill"  # the item's kind (docs/kinds.md), a facet of the catalog
    zip_href: str = ""  # the latest version's zip


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int


@dataclass(frozen=True)
class Facet:
    """One facet group (tag, category, owner, license) with every value and its count."""

    key: str  # the URL query parameter
    label: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class PageLink:
    """One numbered page of the catalog list."""

    number: int
    href: str  # site path


@dataclass(frozen=True)
class Pager:
    """Where a catalog list page sits among all of them (plain links: the no-JavaScript list)."""

    current: int
    pages: tuple[PageLink, ...]

    @property
    def previous(self) -> PageLink | None:
        return self.pages[self.current - 2] if self.current > 1 else None

    @property
    def next(self) -> PageLink | None:
        return self.pages[self.current] if self.current < len(self.pages) else None


@dataclass(frozen=True)
class CatalogPage:
    """`catalog.html`: one page of cards, the facets of the whole catalog, sorting, the search box.

    The first page is the site's home; the script loads every card's data on first use and
    from then on filters, sorts and pages the whole catalog itself.
    """

    site: SiteInfo
    cards: list[Card]  # this page's cards
    facets: list[Facet]  # counted over the whole catalog
    broken: list[str]  # left out: no version's SKILL.md reads
    total: int = 0  # skills in the catalog (0: as many as `cards`)
    pager: Pager | None = None  # None: everything fits on one page
    others: int = 0  # items of other kinds among `total` (docs/kinds.md)
    tip_broken: list[str] = field(default_factory=list)  # shown at their last good version


@dataclass(frozen=True)
class FileNode:
    """A file or folder in a skill's file tree; folders have children, files have an href."""

    name: str
    path: str
    size: int = 0
    href: str = ""  # the file's section on the skill page
    children: tuple[FileNode, ...] = ()

    @property
    def is_dir(self) -> bool:
        return bool(self.children)


@dataclass(frozen=True)
class VersionRow:
    """One version in a skill's history list."""

    tree_id: str
    short_id: str
    commit_id: str
    date: str  # YYYY-MM-DD HH:MM (UTC)
    author: str
    summary: str
    tags: tuple[str, ...]
    href: str  # the version's page
    zip_href: str
    label: str = ""  # the release tag's version where one exists, else the short tree id


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Install:
    """Everything the install panel needs; URLs are site paths made absolute in the browser."""

    name: str
    zip_href: str
    zip_name: str
    mcp_url: str
    skill_uri: str  # skill://<name>/SKILL.md
    marketplace_href: str
    plugin_commands: tuple[str, ...] = ()  # `/plugin marketplace add ...`, `/plugin install ...`


@dataclass(frozen=True)
class SkillPage:
    """`skill.html`: a skill's one page (issue 12): the rendered SKILL.md, facts, install and
    usage, the source of its files (`#f-<path>`) and its versions with their changes
    (`#v<version>`)."""

    site: SiteInfo
    name: str
    description: str
    body_html: str
    toc: list[tuple[int, str, str]]
    facts: list[Fact]
    tags: tuple[str, ...]
    files: tuple[FileNode, ...]
    versions: list[VersionEntry]  # newest first
    sources: list[FileView]  # the latest version's files but SKILL.md (rendered above), a section each
    install: Install
    usage: UsageFigures | None
    tokens: int
    api_href: str
    folder: str  # the skill's folder in the repository (for the `git archive` of an older version)
    broken_tip: str = ""  # the newest version's short id when its SKILL.md does not read


@dataclass(frozen=True)
class VersionEntry:
    """One version in a skill's history: its provenance and its changes since the one before."""

    version: VersionRow
    diff_html: str  # light markup, escaped (pages.diff_html); "" for the first version or no change
    anchor: str  # the row's id: the version's URL is the skill page + `#anchor`


@dataclass(frozen=True)
class FileView:
    """One bundled file of the latest version, highlighted and escaped, or offered as a download."""

    path: str
    size: int
    code_html: str  # "" when binary or too large to show
    reason: str  # why the content is not shown, if it is not
    raw_href: str  # the copy the build keeps of a file the page cannot show; "" for the others
    anchor: str  # the section's id on the skill page


@dataclass(frozen=True)
class Chart:
    """A chart rendered at build time as inline SVG, with its data as a table for screen readers."""

    title: str
    svg: str
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass(frozen=True)
class UsageRow:
    name: str
    href: str
    figures: UsageFigures


@dataclass(frozen=True)
class UsagePage:
    """`usage.html`: totals, charts and a per-skill table, or a plain note with no export."""

    site: SiteInfo
    totals: UsageFigures | None
    period: str  # first and last day of the export
    charts: list[Chart]
    rows: list[UsageRow]


@dataclass(frozen=True)
class InstallStep:
    """One way to install an item: a heading, a sentence, a command to copy, a download."""

    title: str
    text: str
    command: str = ""
    href: str = ""  # a site path to download, "" for none
    link_text: str = ""


@dataclass(frozen=True)
class ComponentLink:
    """A link to an item's page: a plugin's component, or the plugin holding an item."""

    kind: str  # what people call the kind ("Subagent")
    name: str
    description: str
    href: str


@dataclass(frozen=True)
class ItemPage:
    """`item.html`: a subagent, slash command, plugin skill, hooks file, MCP config, marketplace
    or plugin (whose page lists its components, each linked)."""

    site: SiteInfo
    kind: str
    kind_title: str
    name: str
    description: str
    body_html: str  # the rendered prompt or SKILL.md, or the highlighted JSON; safe
    facts: list[Fact]
    plugin: ComponentLink | None  # the plugin holding the item
    components: list[ComponentLink]  # a plugin's components
    install: list[InstallStep]
    versions: list[VersionRow]  # newest first; items have no version pages or zips per version


@dataclass(frozen=True)
class NotFoundPage:
    """`404.html`."""

    site: SiteInfo


TEMPLATES: dict[str, type] = {
    "catalog.html": CatalogPage,
    "skill.html": SkillPage,
    "usage.html": UsagePage,
    "404.html": NotFoundPage,
    "item.html": ItemPage,
}


def as_variables(context: Any) -> dict[str, Any]:
    """A context's fields as template variables (shallow: nested dataclasses stay objects)."""
    return {f.name: getattr(context, f.name) for f in fields(context)}



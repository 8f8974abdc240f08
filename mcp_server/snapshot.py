"""An immutable view of the catalog at one commit, and the holder that swaps in newer ones.

Every request takes `holder.current` once and works on that snapshot to the
end, so a refresh in the middle of a read never mixes two versions of a skill.
Refreshes build a whole new snapshot (with its own `Registry` and repository
handle) off the event loop, then replace the reference in one assignment.
"""

from __future__ import annotations

import dataclasses
import difflib
import gc
import logging
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pygit2

from registry.audience import may_see
from registry.catalog import Registry
from registry.errors import RelayError, SkillNotFound
from registry.items import item_catalog, visible_items
from registry.model import Item, Version
from registry.search import Popularity, SearchIndex, analyze_document, item_document, skill_document
from registry.tokens import skill_md_tokens
from registry.tree import GitTree

log = logging.getLogger("relay.mcp")


@dataclass(frozen=True)
class SkillEntry:
    """One skill at the snapshot's commit: what discovery shows without reading files."""

    name: str
    description: str
    frontmatter: Mapping[str, object]
    category: str
    tags: tuple[str, ...]
    latest: Version
    tokens: int  # estimate for SKILL.md, what get_skill costs a host

    @property
    def metadata(self) -> Mapping[str, object]:
        value = self.frontmatter.get("metadata")
        return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class Snapshot:
    """The catalog at one commit of the served ref, plus the registry that reads it."""

    ref: str
    revision: str
    skills: Mapping[str, SkillEntry]
    names: tuple[str, ...]  # sorted
    registry: Registry = field(repr=False)
    search: SearchIndex = field(repr=False)  # built once: names (skills), then items by key
    loaded_at: float = field(default_factory=time.time)
    items: Mapping[str, Item] = field(default_factory=dict)  # other kinds, by key (docs/kinds.md)

    def visible_to(self, groups: frozenset[str]) -> Snapshot:
        """The catalog as a caller in `groups` sees it: items restricted to other groups are absent,
        so every lookup of one fails exactly as for a name that never existed."""
        skills = {n: e for n, e in self.skills.items() if may_see(e.metadata, groups)}
        items = {i.key: i for i in visible_items(self.items.values(), groups)}
        if len(skills) == len(self.skills) and len(items) == len(self.items):
            return self
        return dataclasses.replace(self, skills=skills, names=tuple(n for n in self.names if n in skills),
                                   items=items)

    def entry(self, name: str) -> SkillEntry:
        try:
            return self.skills[name]
        except KeyError:
            close = difflib.get_close_matches(name, self.names, n=3)
            hint = f"did you mean {', '.join(close)}?" if close else "use search_skills or list_skills"
            raise SkillNotFound(f"no skill named {name!r}; {hint}") from None

    def version(self, name: str, spec: str | None = None) -> Version:
        """The latest version of `name`, or the one `spec` pins (tree/commit id, tag, semver)."""
        entry = self.entry(name)
        if not spec:
            return entry.latest
        return self.registry.resolve_version(name, spec, rev=self.ref)

    def versions(self, name: str) -> list[Version]:
        self.entry(name)
        return self.registry.versions(name, self.ref)

    def tree(self, version: Version) -> GitTree:
        return self.registry.tree(version)

    def tree_by_id(self, tree_id: str) -> GitTree | None:
        """A tree straight from the object database by id, or None if it is not a tree."""
        try:
            obj = self.registry.repo[tree_id]
        except (KeyError, ValueError):
            return None
        return GitTree(self.registry.repo, obj) if isinstance(obj, pygit2.Tree) else None


def build_snapshot(repo_path: Path, ref: str | None = None,
                   popularity: Mapping[str, Popularity] | None = None) -> Snapshot:
    """Read the whole catalog at the tip of `ref` (default: the configured branch) and index it
    for search (`popularity`: usage figures per skill, the search priors)."""
    registry = Registry(repo_path)
    try:
        ref = ref or registry.default_revision()
        catalog, _ = registry.tip_catalog(ref)
        skills: dict[str, SkillEntry] = {}
        for skill in catalog:
            if skill.latest is None:
                continue
            meta = skill.metadata
            skills[skill.name] = SkillEntry(
                name=skill.name, description=skill.description, frontmatter=skill.frontmatter,
                category=str(meta.get("category", "")), tags=tuple(skill.tags), latest=skill.latest,
                tokens=skill_md_tokens(skill))
        names = tuple(sorted(skills))
        items = {item.key: item for item in item_catalog(registry, catalog.revision or ref)
                 if item.kind != "skill" or item.plugin}
        by_name = {skill.name: skill for skill in catalog}
        docs = [analyze_document(skill_document(by_name[n], registry.tree(skills[n].latest).read))
                for n in names]
        docs += [analyze_document(item_document(items[k])) for k in sorted(items)]
        return Snapshot(ref=ref, revision=catalog.revision or "", skills=skills, names=names,
                        registry=registry, search=SearchIndex.build(docs, popularity).prepare(), items=items)
    finally:
        registry.index.close()  # readers only use the versions already loaded


PopularitySource = Callable[[], Mapping[str, Popularity]]
RERANK_AFTER = 600.0  # seconds: how often usage figures are re-read into the search priors


def keep_out_of_collector(replaced: bool) -> None:
    """Take the objects alive now (the new snapshot) out of the cyclic garbage collector's walks.

    A 10,000-skill snapshot is about 150,000 tracked objects that live until the next
    commit. Request garbage makes Python run a full collection every few seconds, and each
    one walked the whole catalog: 0.3 s with the event loop stopped, the p99 of every call
    (issue 12). `gc.freeze()` moves what is alive into a generation the collector skips.
    When a snapshot `replaced` another, everything is unfrozen and collected first, so the
    cycles the old one held are freed: one pause per new commit instead of one every few
    seconds.
    """
    if replaced:
        gc.unfreeze()
        gc.collect()
    gc.freeze()


class CatalogHolder:
    """Holds the current snapshot; refreshes it when the served ref moves (poll, hook, fetch).

    `popularity` reads the usage figures that search ranks with (uses and ratings per
    skill, the same figures as the site's dashboard). They are read with every new
    snapshot and, while the catalog stays the same, again every `rerank_after` seconds:
    re-ranking reuses the snapshot's analysed items, so it costs the index assembly only.
    """

    def __init__(self, repo_path: Path, fetch_remote: str | None = None,
                 popularity: PopularitySource | None = None, rerank_after: float = RERANK_AFTER) -> None:
        self.repo_path = repo_path
        self.fetch_remote = fetch_remote
        self.popularity = popularity
        self.rerank_after = rerank_after
        self._ranked_at = 0.0  # monotonic time the served index last read usage figures
        self.current: Snapshot | None = None
        self.refreshes = 0
        self.errors = 0
        self.last_checked: float | None = None  # monotonic time of the last check that succeeded
        self.last_error = ""  # why the last check failed; "" once one succeeds again
        self._lock = threading.Lock()  # one refresh at a time; readers never take it
        self._probe = Registry(repo_path)
        branch = self._probe.config.branch
        self._probe.index.close()
        self.ref = (f"refs/remotes/{fetch_remote}/{branch}" if fetch_remote
                    else self._probe.default_revision())

    def require(self) -> Snapshot:
        snapshot = self.current
        if snapshot is None:
            raise RelayError("the catalog is still loading; retry in a moment")
        return snapshot

    def tip(self) -> str:
        """The commit the served ref points at now (read fresh from disk)."""
        repo = pygit2.Repository(self._probe.repo.path)
        return str(repo.revparse_single(self.ref).peel(pygit2.Commit).id)

    def refresh(self, force: bool = False) -> bool:
        """Fetch if configured, and swap in a new snapshot if the ref moved. Blocking.

        Never raises: a failed check is logged, counted and remembered, and the
        snapshot already served stays in place (readiness reports it going stale).
        """
        with self._lock:
            try:
                if self.fetch_remote:
                    self._fetch()
                current = self.current
                if not force and current is not None and current.revision == self.tip():
                    self._checked()
                    self._rerank_if_due(current)
                    return False
                snapshot = build_snapshot(self.repo_path, self.ref, self._read_popularity())
            except (RelayError, pygit2.GitError, KeyError, OSError) as exc:
                self._failed(f"{type(exc).__name__}: {exc}")
                log.warning("catalog refresh failed: %s", exc)
                return False
            except Exception as exc:  # noqa: BLE001 - an unexpected error must not end the service
                self._failed(f"{type(exc).__name__}: {exc}")
                log.exception("catalog refresh failed unexpectedly")
                return False
            replaced, self.current = self.current is not None, snapshot  # the atomic swap
            keep_out_of_collector(replaced)
            self.refreshes += 1
            self._checked()
            log.info("catalog at %s: %d skills", snapshot.revision[:12], len(snapshot.names))
            return True

    def _checked(self) -> None:
        self.last_checked = time.monotonic()
        self.last_error = ""

    def _read_popularity(self) -> Mapping[str, Popularity] | None:
        """The usage figures for the search priors; None (plain relevance) when there are none
        or they cannot be read: usage must never keep the catalog from loading."""
        if self.popularity is None:
            return None
        self._ranked_at = time.monotonic()
        try:
            return self.popularity()
        except Exception as exc:  # noqa: BLE001 - any store failure: rank without usage, say so
            log.warning("usage figures unavailable for search ranking: %s", exc)
            return None

    def _rerank_if_due(self, current: Snapshot) -> None:
        """Swap in the same snapshot with its search priors re-read from usage, when due."""
        if self.popularity is None or time.monotonic() - self._ranked_at < self.rerank_after:
            return
        popularity = self._read_popularity()
        if popularity is not None:
            search = SearchIndex.build(current.search.docs, popularity).prepare()
            self.current = dataclasses.replace(current, search=search)
            keep_out_of_collector(replaced=True)  # the new index too; the old one is freed

    def _failed(self, reason: str) -> None:
        self.errors += 1
        self.last_error = reason

    def staleness(self) -> float | None:
        """Seconds since the served ref was last checked successfully (None: never)."""
        return None if self.last_checked is None else time.monotonic() - self.last_checked

    def _fetch(self) -> None:
        result = subprocess.run(["git", "fetch", "--quiet", self.fetch_remote or "origin"],
                                cwd=self.repo_path, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RelayError(f"git fetch {self.fetch_remote} failed: {result.stderr.strip()}")

"""Every skill's versions, from ONE walk over the git history that compares tree ids.

A version is a commit in which a skill's folder tree changed; its identity is
that folder's tree id. A tree id may come back (a revert A -> B -> A): that is a
re-publication, listed again with its new commit, so the latest version of a
skill is always the tree at the tip of the branch. The walk visits each commit
once (oldest first), skips
commits whose skills folder tree equals their first parent's, and asks libgit2
for the tree diff of the rest, which only descends into subtrees whose ids
differ. Results are cached in SQLite inside the git directory and brought up to
date incrementally: only commits after the last indexed tip are walked; if that
tip is no longer an ancestor (history was rewritten), the index is rebuilt.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import cast

import pygit2
from pygit2.enums import SortMode

from .config import Layout
from .model import Version
from .repo import resolve_commit, tree_at
from .treediff import TreeDiffer

FORMAT = "3"  # 2: re-publications are rows too (key: ref, seq); 3: other kinds' items
_TREE_MODE = b"40000 "  # the mode git writes for a subtree (a skill folder)
TAG_PATTERN = re.compile(
    r"^(?P<skill>[a-z0-9]+(?:-[a-z0-9]+)*)@v?(?P<semver>\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$"
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tips (
    ref TEXT PRIMARY KEY, tip TEXT NOT NULL, skills_dir TEXT NOT NULL, layout TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS item_versions (
    ref TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, path TEXT NOT NULL,
    object_id TEXT NOT NULL, commit_id TEXT NOT NULL, author_name TEXT NOT NULL,
    author_email TEXT NOT NULL, time INTEGER NOT NULL, offset INTEGER NOT NULL,
    message TEXT NOT NULL, PRIMARY KEY (ref, seq)
);
CREATE INDEX IF NOT EXISTS item_versions_by_path ON item_versions (ref, path, seq);
CREATE TABLE IF NOT EXISTS versions (
    ref TEXT NOT NULL, seq INTEGER NOT NULL, skill TEXT NOT NULL, tree_id TEXT NOT NULL,
    commit_id TEXT NOT NULL, author_name TEXT NOT NULL, author_email TEXT NOT NULL,
    time INTEGER NOT NULL, offset INTEGER NOT NULL, message TEXT NOT NULL,
    PRIMARY KEY (ref, seq)
);
CREATE INDEX IF NOT EXISTS versions_by_skill ON versions (ref, skill, seq);
"""


@dataclass(frozen=True)
class UpdateStats:
    """What an index update did: how many commits were walked, versions found, and why."""

    commits_walked: int
    versions_added: int
    rebuilt: bool
    tip: str


def cache_path(repo: pygit2.Repository) -> Path:
    return Path(repo.path) / "relay" / "versions.sqlite3"


class VersionIndex:
    """The version history of every skill on one ref, cached and updated incrementally."""

    def __init__(self, repo: pygit2.Repository, skills_dir: str = "skills",
                 path: Path | None = None, layout: Layout | None = None) -> None:
        self.repo = repo
        self.skills_dir = skills_dir
        self.db = _connect(path if path is not None else cache_path(repo))
        self.layout = layout
        self._layout_key = repr(layout) if layout is not None else ""
        self._items: _ItemRows | None = None

    def close(self) -> None:
        self.db.close()

    def update(self, rev: str = "HEAD") -> UpdateStats:
        """Index commits reachable from `rev` that are not indexed yet."""
        commit = resolve_commit(self.repo, rev)
        key = _ref_key(self.repo, rev)
        tip = str(commit.id)
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            row = self.db.execute(
                "SELECT tip, skills_dir, layout FROM tips WHERE ref = ?", (key,)
            ).fetchone()
            old_tip = row[0] if row else None
            rebuilt = False
            if old_tip and (row[1] != self.skills_dir or row[2] != self._layout_key
                            or not self._is_ancestor(old_tip, tip)):
                self.db.execute("DELETE FROM versions WHERE ref = ?", (key,))
                self.db.execute("DELETE FROM item_versions WHERE ref = ?", (key,))
                old_tip, rebuilt = None, True
            if old_tip == tip:
                return UpdateStats(0, 0, False, tip)
            seq = self.db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM versions WHERE ref = ?", (key,)
            ).fetchone()[0]
            last = self._last_trees(key)
            self._items = _ItemRows(self, key)
            rows, walked = self._walk(commit.id, old_tip, seq, key, last)
            rows += self._publish_tip(commit, seq + len(rows), key, last)
            item_rows = self._items.finish(commit)
            self.db.executemany("INSERT INTO versions VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
            self.db.executemany("INSERT INTO item_versions VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                                item_rows)
            added = len(rows) + len(item_rows)
            self.db.execute(
                "INSERT OR REPLACE INTO tips VALUES (?, ?, ?, ?)",
                (key, tip, self.skills_dir, self._layout_key),
            )
        return UpdateStats(walked, added, rebuilt, tip)

    def _is_ancestor(self, old: str, new: str) -> bool:
        try:
            old_oid = pygit2.Oid(hex=old)
            if old_oid not in self.repo:
                return False
            return old == new or bool(self.repo.descendant_of(pygit2.Oid(hex=new), old_oid))
        except (ValueError, pygit2.GitError):
            return False

    def _last_trees(self, key: str) -> dict[str, str]:
        """Each skill's latest indexed tree id on `key`: where an incremental walk resumes."""
        # SQLite takes the bare column `tree_id` from the row holding MAX(seq).
        return {skill: tree_id for skill, tree_id, _ in self.db.execute(
            "SELECT skill, tree_id, MAX(seq) FROM versions WHERE ref = ? GROUP BY skill", (key,))}

    def _walk(self, tip: pygit2.Oid, hide: str | None, seq: int, key: str,
              last: dict[str, str]) -> tuple[list[tuple], int]:
        """Visit commits oldest first; record each skill folder whose tree id changed.

        A commit is compared with its first parent: equal skills-folder ids mean no
        skill changed. Otherwise `TreeDiffer` names the entries (skill folders with
        their tree ids) that the commit's skills folder has and its parent's lacks.
        An entry equal to the skill's last recorded tree is not a new version (a
        merge bringing in a branch's commit that was already recorded); any other
        entry is, even a tree id seen long ago (a revert re-publishes it).
        `last` is updated in place.
        """
        repo = self.repo
        walker = repo.walk(tip, SortMode.TOPOLOGICAL | SortMode.REVERSE)
        if hide:
            walker.hide(pygit2.Oid(hex=hide))
        subtree_ids: dict[pygit2.Oid, pygit2.Oid | None] = {}
        differ = TreeDiffer(repo.odb)
        rows: list[tuple] = []
        walked = 0
        for commit in walker:
            walked += 1
            if self._items is not None:
                self._items.visit(commit)
            current = self._skills_tree_id(commit.id, subtree_ids, commit)
            if current is None:
                continue
            parent_tree: pygit2.Oid | None = None
            if commit.parent_ids:
                parent_tree = self._skills_tree_id(commit.parent_ids[0], subtree_ids)
            if current == parent_tree:
                continue
            for entry in sorted(differ.added(parent_tree, current)):
                if not entry.startswith(_TREE_MODE):
                    continue  # a file beside the skills
                name = entry[len(_TREE_MODE):-21].decode("utf-8", "surrogateescape")
                tree_id = entry[-20:].hex()
                if last.get(name) == tree_id:
                    continue
                last[name] = tree_id
                seq += 1
                rows.append(_row(key, seq, name, tree_id, commit))
        return rows, walked

    def _publish_tip(self, tip: pygit2.Commit, seq: int, key: str,
                     last: dict[str, str]) -> list[tuple]:
        """Rows that make every skill's latest version the tree at the tip.

        The walk's topological order can put a side branch's commit after the
        main line's; when a merge then keeps the main line's content, the last
        row would not be what the tip holds. Such a skill gets one more row: the
        tip's tree, at the first-parent commit since which the branch has had it.
        """
        folder = self._lookup(tip.tree)
        if folder is None:
            return []
        rows = []
        for entry in tree_at(self.repo, folder):
            name = entry.name or ""
            if entry.type_str != "tree" or last.get(name) == str(entry.id):
                continue
            since = tip
            while since.parents and self._entry_id(since.parents[0], name) == entry.id:
                since = since.parents[0]
            last[name] = str(entry.id)
            seq += 1
            rows.append(_row(key, seq, name, str(entry.id), since))
        return rows

    def _entry_id(self, commit: pygit2.Commit, name: str) -> pygit2.Oid | None:
        folder = self._lookup(commit.tree)
        if folder is None:
            return None
        try:
            return tree_at(self.repo, folder)[name].id
        except KeyError:
            return None

    def _skills_tree_id(self, commit_id: pygit2.Oid, cache: dict[pygit2.Oid, pygit2.Oid | None],
                        commit: pygit2.Commit | None = None) -> pygit2.Oid | None:
        """The skills folder's tree id at a commit, remembered: each is the next one's parent."""
        if commit_id not in cache:
            commit = commit or cast(pygit2.Commit, self.repo[commit_id])
            cache[commit_id] = self._lookup(commit.tree)
        return cache[commit_id]

    def _lookup(self, root: pygit2.Tree) -> pygit2.Oid | None:
        if not self.skills_dir:
            return root.id
        try:
            entry = root[self.skills_dir]
        except KeyError:
            return None
        return entry.id if entry.type_str == "tree" else None

    def versions(self, rev: str = "HEAD") -> dict[str, list[Version]]:
        """All versions on `rev`, oldest first, per skill (call `update` first)."""
        key = _ref_key(self.repo, rev)
        tags = self.tags()
        by_skill: dict[str, list[Version]] = defaultdict(list)
        for row in self.db.execute(
            "SELECT skill, tree_id, commit_id, author_name, author_email, time, offset, message "
            "FROM versions WHERE ref = ? ORDER BY seq", (key,)
        ):
            skill, tree_id = row[0], row[1]
            by_skill[skill].append(_version(row, tuple(tags.get((skill, tree_id), ()))))
        return dict(by_skill)

    def skill_versions(self, name: str, rev: str = "HEAD",
                       tags: Mapping[tuple[str, str], list[str]] | None = None) -> list[Version]:
        """One skill's versions on `rev`, oldest first (`update` first): read alone, through the
        (ref, skill, seq) index, for a caller that needs a few skills of a large catalog
        (`tags`: `self.tags()`, taken once by a caller that reads many)."""
        key = _ref_key(self.repo, rev)
        tags = self.tags() if tags is None else tags
        return [_version(row, tuple(tags.get((row[0], row[1]), ()))) for row in self.db.execute(
            "SELECT skill, tree_id, commit_id, author_name, author_email, time, offset, message "
            "FROM versions WHERE ref = ? AND skill = ? ORDER BY seq", (key, name))]

    def histories(self, rev: str = "HEAD") -> dict[str, str]:
        """Each skill's versions on `rev` as one line of text: `tree:commit:tags` per version,
        oldest first (`update` first). Equal text, equal versions: what a caller needs to tell
        which skills changed, without building a `Version` per row (50,000 of them at 10,000
        skills were a second of a one-skill site rebuild, issue 12)."""
        key = _ref_key(self.repo, rev)
        tags = self.tags()
        parts: dict[str, list[str]] = defaultdict(list)
        for skill, tree_id, commit_id in self.db.execute(
            "SELECT skill, tree_id, commit_id FROM versions WHERE ref = ? ORDER BY seq", (key,)
        ):
            found = tags.get((skill, tree_id))
            parts[skill].append(f"{tree_id}:{commit_id}:{','.join(found) if found else ''}")
        return {skill: " ".join(texts) for skill, texts in parts.items()}

    def item_versions(self, rev: str = "HEAD") -> dict[str, list[Version]]:
        """Every other kind's item versions on `rev`, oldest first, by path (`update` first).

        `Version.skill` holds the item's path and `Version.tree_id` its object id
        (a blob id for a file); the catalog names them. Release tags
        `<name>@<semver>` apply to plugins, whose names are folder names.
        """
        key = _ref_key(self.repo, rev)
        tags = self.tags(self.layout.plugins_dir) if self.layout and self.layout.plugins_dir else {}
        by_path: dict[str, list[Version]] = defaultdict(list)
        for row in self.db.execute(
            "SELECT path, object_id, commit_id, author_name, author_email, time, offset, message, "
            "kind FROM item_versions WHERE ref = ? ORDER BY seq", (key,)
        ):
            path, object_id, kind = row[0], row[1], row[8]
            name = path.rsplit("/", 1)[-1]
            found = tags.get((name, object_id), ()) if kind == "plugin" else ()
            by_path[path].append(_version(row[:8], tuple(found)))
        return dict(by_path)

    def tags(self, folder: str | None = None) -> dict[tuple[str, str], list[str]]:
        """(skill, tree id) -> release tags `<skill>@<semver>` pointing at that content."""
        found: dict[tuple[str, str], list[str]] = defaultdict(list)
        for ref in self.repo.references:
            if not ref.startswith("refs/tags/"):
                continue
            tag = ref[len("refs/tags/"):]
            match = TAG_PATTERN.match(tag)
            if not match:
                continue
            try:
                commit = self.repo.revparse_single(ref).peel(pygit2.Commit)
                base = self.skills_dir if folder is None else folder
                path = f"{base}/{match['skill']}" if base else match["skill"]
                entry = commit.tree[path]
            except (KeyError, ValueError, pygit2.GitError):
                continue
            found[(match["skill"], str(entry.id))].append(tag)
        return found


class _ItemRows:
    """One update's item versions: fed each walked commit, then the tip.

    A commit records the items whose object id differs from the last one
    recorded for their path; a commit whose item roots equal its first parent's
    is skipped after one lookup per root. As for skills, the tip's content is
    always the latest version: an item whose last row differs from the tip
    (a merge that kept the main line's content) gets a row at the tip.
    """

    def __init__(self, index: VersionIndex, key: str) -> None:
        self.key = key
        self.rows: list[tuple] = []
        self.walk = None
        self.signatures: dict[pygit2.Oid, tuple[str | None, ...]] = {}
        if index.layout is None:
            return
        from .kinds.walk import ItemWalk

        self.repo = index.repo
        self.walk = ItemWalk(index.repo, index.layout)
        self.seq = index.db.execute(
            "SELECT COALESCE(MAX(seq), 0) FROM item_versions WHERE ref = ?", (key,)).fetchone()[0]
        self.last = {path: oid for path, oid, _ in index.db.execute(
            "SELECT path, object_id, MAX(seq) FROM item_versions WHERE ref = ? GROUP BY path",
            (key,))}

    def _signature(self, commit_id: pygit2.Oid) -> tuple[str | None, ...]:
        assert self.walk is not None
        if commit_id not in self.signatures:
            commit = cast(pygit2.Commit, self.repo[commit_id])
            self.signatures[commit_id] = self.walk.signature(commit.tree)
        return self.signatures[commit_id]

    def visit(self, commit: pygit2.Commit) -> None:
        if self.walk is None:
            return
        current = self._signature(commit.id)
        if not any(current):
            return
        if commit.parent_ids and self._signature(commit.parent_ids[0]) == current:
            return
        self._record(commit, commit)

    def _record(self, commit: pygit2.Commit, source: pygit2.Commit) -> None:
        assert self.walk is not None
        for path, (kind, oid) in sorted(self.walk.items(source.tree).items()):
            if self.last.get(path) == oid:
                continue
            self.last[path] = oid
            self.seq += 1
            author = commit.author
            self.rows.append((self.key, self.seq, kind, path, oid, str(commit.id), author.name,
                              author.email, author.time, author.offset, commit.message))

    def finish(self, tip: pygit2.Commit) -> list[tuple]:
        if self.walk is not None:
            self._record(tip, tip)
        return self.rows


def _row(key: str, seq: int, name: str, tree_id: str, commit: pygit2.Commit) -> tuple:
    author = commit.author
    return (key, seq, name, tree_id, str(commit.id), author.name, author.email, author.time,
            author.offset, commit.message)


def _version(row: tuple, tags: tuple[str, ...]) -> Version:
    skill, tree_id, commit_id, name, email, time, offset, message = row
    tz = timezone(timedelta(minutes=offset))
    return Version(skill=skill, tree_id=tree_id, commit_id=commit_id, author_name=name,
                   author_email=email, date=datetime.fromtimestamp(time, tz), message=message,
                   tags=tags)


def _ref_key(repo: pygit2.Repository, rev: str) -> str:
    """Cache key: the full ref name for branches and HEAD, else the commit id."""
    if rev == "HEAD" and not repo.head_is_detached and not repo.head_is_unborn:
        return repo.head.name
    for candidate in (rev, f"refs/heads/{rev}", f"refs/remotes/{rev}"):
        if candidate.startswith("refs/") and candidate in repo.references:
            return candidate
    return str(resolve_commit(repo, rev).id)


def _connect(path: Path) -> sqlite3.Connection:
    """Open (or create) the cache; an unwritable location falls back to memory."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, timeout=30)
        _migrate(db)
    except (OSError, sqlite3.Error):
        db = sqlite3.connect(":memory:", isolation_level=None)
        _migrate(db)
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def _migrate(db: sqlite3.Connection) -> None:
    """Create the tables; a cache written by another format is dropped and rebuilt."""
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    if row is None or row[0] != FORMAT:
        db.executescript("DROP TABLE IF EXISTS versions; DROP TABLE IF EXISTS tips;")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
    db.executescript(_SCHEMA)

"""Every skill's versions, from ONE walk over the git history that compares tree ids.

A version is a commit in which a skill's folder tree changed; its identity is
that folder's tree id. The walk visits each commit once (oldest first), skips
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
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import cast

import pygit2
from pygit2.enums import SortMode

from .model import Version
from .repo import resolve_commit
from .treediff import TreeDiffer

FORMAT = "1"
_TREE_MODE = b"40000 "  # the mode git writes for a subtree (a skill folder)
TAG_PATTERN = re.compile(
    r"^(?P<skill>[a-z0-9]+(?:-[a-z0-9]+)*)@v?(?P<semver>\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$"
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tips (
    ref TEXT PRIMARY KEY, tip TEXT NOT NULL, skills_dir TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    ref TEXT NOT NULL, seq INTEGER NOT NULL, skill TEXT NOT NULL, tree_id TEXT NOT NULL,
    commit_id TEXT NOT NULL, author_name TEXT NOT NULL, author_email TEXT NOT NULL,
    time INTEGER NOT NULL, offset INTEGER NOT NULL, message TEXT NOT NULL,
    PRIMARY KEY (ref, skill, tree_id)
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
                 path: Path | None = None) -> None:
        self.repo = repo
        self.skills_dir = skills_dir
        self.db = _connect(path if path is not None else cache_path(repo))

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
                "SELECT tip, skills_dir FROM tips WHERE ref = ?", (key,)
            ).fetchone()
            old_tip = row[0] if row else None
            rebuilt = False
            if old_tip and (row[1] != self.skills_dir or not self._is_ancestor(old_tip, tip)):
                self.db.execute("DELETE FROM versions WHERE ref = ?", (key,))
                old_tip, rebuilt = None, True
            if old_tip == tip:
                return UpdateStats(0, 0, False, tip)
            seq = self.db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM versions WHERE ref = ?", (key,)
            ).fetchone()[0]
            rows, walked = self._walk(commit.id, old_tip, seq, key)
            before = self.db.total_changes
            # A tree id seen before (a revert to earlier content) is the same version.
            self.db.executemany(
                "INSERT OR IGNORE INTO versions VALUES (?,?,?,?,?,?,?,?,?,?)", rows
            )
            added = self.db.total_changes - before
            self.db.execute(
                "INSERT OR REPLACE INTO tips VALUES (?, ?, ?)", (key, tip, self.skills_dir)
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

    def _walk(self, tip: pygit2.Oid, hide: str | None, seq: int,
              key: str) -> tuple[list[tuple], int]:
        """Visit commits oldest first; record each skill folder tree id not seen before.

        A commit is compared with its first parent: equal skills-folder ids mean no
        skill changed. Otherwise `TreeDiffer` names the entries (skill folders with
        their tree ids) that the commit's skills folder has and its parent's lacks.
        """
        repo = self.repo
        walker = repo.walk(tip, SortMode.TOPOLOGICAL | SortMode.REVERSE)
        if hide:
            walker.hide(pygit2.Oid(hex=hide))
        subtree_ids: dict[pygit2.Oid, pygit2.Oid | None] = {}
        differ = TreeDiffer(repo.odb)
        rows: list[tuple] = []
        known: set[bytes] = set()
        walked = 0
        for commit in walker:
            walked += 1
            current = self._skills_tree_id(commit.id, subtree_ids, commit)
            if current is None:
                continue
            parent_tree: pygit2.Oid | None = None
            if commit.parent_ids:
                parent_tree = self._skills_tree_id(commit.parent_ids[0], subtree_ids)
            if current == parent_tree:
                continue
            author = None
            for entry in sorted(differ.added(parent_tree, current)):
                if not entry.startswith(_TREE_MODE) or entry in known:
                    continue  # a file beside the skills, or content already seen (a revert)
                known.add(entry)
                author = author or commit.author
                name = entry[len(_TREE_MODE):-21].decode("utf-8", "surrogateescape")
                seq += 1
                rows.append((key, seq, name, entry[-20:].hex(), str(commit.id), author.name,
                             author.email, author.time, author.offset, commit.message))
        return rows, walked

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

    def tags(self) -> dict[tuple[str, str], list[str]]:
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
                path = f"{self.skills_dir}/{match['skill']}" if self.skills_dir else match["skill"]
                entry = commit.tree[path]
            except (KeyError, ValueError, pygit2.GitError):
                continue
            found[(match["skill"], str(entry.id))].append(tag)
        return found


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
        db.executescript(_SCHEMA)
    except (OSError, sqlite3.Error):
        db = sqlite3.connect(":memory:", isolation_level=None)
        db.executescript(_SCHEMA)
    row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    if row is None or row[0] != FORMAT:
        db.executescript("DELETE FROM versions; DELETE FROM tips;")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))
    db.execute("PRAGMA synchronous = NORMAL")
    return db

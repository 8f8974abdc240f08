"""The catalog: every skill at one revision (or in the working tree) with its versions.

`Registry` is the entry point the CLI, the site builder and the MCP service
share: it opens the repository once, keeps the version index up to date and
reads any skill at any version straight from the object database.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pygit2

from .config import Config, load_config
from .errors import SkillNotFound, VersionNotFound
from .history import TAG_PATTERN, UpdateStats, VersionIndex
from .model import Skill, Version
from .repo import blob_at, default_revision, open_repository, resolve_commit, subtree, tree_at, workdir
from .safepath import printable, unsafe_reason
from .skillmd import parse_skill_md
from .tree import DirTree, GitTree, SkillTree

SKILL_MD = "SKILL.md"
TREES_KEPT = 64  # GitTree objects `Registry.tree` keeps: a skill's versions, with room to spare


@dataclass
class Catalog:
    """All skills at one revision; `broken` lists folders whose SKILL.md could not be read."""

    revision: str | None  # a commit id, or None for the working tree
    skills: dict[str, Skill] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)  # no version of SKILL.md reads: left out

    @property
    def tip_broken(self) -> list[str]:
        """Skills shown at their last good version because SKILL.md no longer reads at the tip."""
        return sorted(name for name, skill in self.skills.items() if skill.broken_tip is not None)

    def get(self, name: str) -> Skill:
        try:
            return self.skills[name]
        except KeyError:
            raise SkillNotFound(_not_found(name, self.skills)) from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.skills[name] for name in sorted(self.skills))

    def __len__(self) -> int:
        return len(self.skills)


@dataclass(frozen=True)
class ListedSkill:
    """A skill folder at a revision, not yet read: its name, tree id and versions.

    `history` is the version list as text (`VersionIndex.histories`): equal text, equal
    versions. The `Version` objects are read only when asked for (`versions`), so telling
    which of 10,000 skills changed builds none of them (issue 12).
    """

    name: str
    tree_id: str
    history: str
    read_versions: Callable[[str], list[Version]] = field(repr=False, compare=False)

    @property
    def versions(self) -> list[Version]:
        return self.read_versions(self.name)


@dataclass
class Listing:
    """The skill folders at one revision (`Registry.listing`)."""

    revision: str
    entries: list[ListedSkill] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)  # folder names that are not safe paths


class Registry:
    """A skills repository: configuration, version index and object database in one place."""

    def __init__(self, path: Path | str = ".", config: Config | None = None,
                 index_path: Path | None = None) -> None:
        self.repo = open_repository(path)
        self.root = Path(self.repo.workdir) if self.repo.workdir else Path(self.repo.path)
        self.config = config or load_config(self.root)
        self.index = VersionIndex(self.repo, self.config.skills_dir, index_path,
                                  layout=self.config.layout)
        self._versions: dict[str, dict[str, list[Version]]] = {}
        self._histories: dict[str, dict[str, str]] = {}  # rev -> skill -> `VersionIndex.histories`
        self._trees: dict[str, GitTree] = {}  # most recently used last (see `tree`)

    def close(self) -> None:
        self.index.close()

    def default_revision(self) -> str:
        return default_revision(self.repo, self.config.branch)

    def refresh(self, rev: str | None = None) -> UpdateStats:
        """Bring the version index up to date with `rev` (default: the main branch)."""
        rev = rev or self.default_revision()
        stats = self.index.update(rev)
        self._versions[rev] = self.index.versions(rev)
        self._histories.pop(rev, None)
        return stats

    def versions(self, name: str, rev: str | None = None) -> list[Version]:
        """A skill's versions, oldest first, as of `rev`."""
        rev = rev or self.default_revision()
        if rev not in self._versions:
            self.refresh(rev)
        found = self._versions[rev].get(name)
        if not found:
            raise SkillNotFound(_not_found(name, self._versions[rev]))
        return found

    def all_versions(self, rev: str | None = None) -> dict[str, list[Version]]:
        rev = rev or self.default_revision()
        if rev not in self._versions:
            self.refresh(rev)
        return self._versions[rev]

    # -- catalogs ---------------------------------------------------------------------

    def catalog(self, rev: str | None = None) -> Catalog:
        """Every skill at `rev` (default: the main branch tip), read from git."""
        listing = self.listing(rev)
        self.all_versions(rev)  # every skill is read: their versions in one query, not one each
        catalog = Catalog(revision=listing.revision, broken=list(listing.unsafe))
        for entry in listing.entries:
            skill = self.load(entry)
            if skill is None:
                catalog.broken.append(entry.name)
            else:
                catalog.skills[entry.name] = skill
        return catalog

    def listing(self, rev: str | None = None) -> Listing:
        """The skill folders at `rev` with their tree ids and versions, without reading any of
        them: what a caller needs to tell which skills changed (the site build, issue 12)."""
        rev = rev or self.default_revision()
        commit = resolve_commit(self.repo, rev)
        if rev not in self._versions and rev not in self._histories:
            self.index.update(rev)
        if rev not in self._histories:
            self._histories[rev] = self.index.histories(rev)
        history = self._histories[rev]
        read_versions = self._version_reader(rev)
        listing = Listing(revision=str(commit.id))
        skills_tree = subtree(self.repo, commit.tree, self.config.skills_dir)
        if skills_tree is None:
            return listing
        for entry in skills_tree:
            if entry.type_str != "tree" or not entry.name:
                continue
            if unsafe_reason(entry.name) is not None:  # `..` and friends, crafted with `git mktree`
                listing.unsafe.append(printable(entry.name))
                continue
            listing.entries.append(ListedSkill(entry.name, str(entry.id), history.get(entry.name, ""),
                                               read_versions))
        return listing

    def _version_reader(self, rev: str) -> Callable[[str], list[Version]]:
        """Versions by skill name on `rev`: from the lists already read, else one skill's rows."""
        tags: dict[tuple[str, str], list[str]] | None = None

        def read(name: str) -> list[Version]:
            nonlocal tags
            if rev in self._versions:
                return self._versions[rev].get(name, [])
            if tags is None:
                tags = self.index.tags()
            return self.index.skill_versions(name, rev, tags)

        return read

    def load(self, entry: ListedSkill) -> Skill | None:
        """One listed skill read from git: at its tip, else at its last good version; None when
        no version's SKILL.md reads."""
        name, versions = entry.name, entry.versions
        skill = _load_skill(name, self._folder(name), GitTree(self.repo, tree_at(self.repo, entry.tree_id)))
        if skill is not None:
            skill.tree_id = entry.tree_id
            skill.versions = versions
            return skill
        return self._last_good(name, versions)

    def _last_good(self, name: str, versions: list[Version]) -> Skill | None:
        """The newest version whose SKILL.md reads, when the tip's does not.

        One bad commit must not hide a skill: hosts and the site keep the last good version
        (its versions end there; `broken_tip` names the tip) and pinned versions stay readable.
        """
        for index in range(len(versions) - 2, -1, -1):
            good = versions[index]
            skill = _load_skill(name, self._folder(name), self.tree(good))
            if skill is not None:
                skill.tree_id = good.tree_id
                skill.versions = versions[: index + 1]
                skill.broken_tip = versions[-1]
                return skill
        return None

    def tip_catalog(self, rev: str | None = None, attempts: int = 3) -> tuple[Catalog, UpdateStats]:
        """The catalog at the tip of `rev`, its versions indexed up to that same commit.

        A branch can move between indexing its history and reading its tree (a
        push landing while the MCP service refreshes): read again until the two agree.
        """
        rev = rev or self.default_revision()
        for _ in range(attempts):
            stats = self.refresh(rev)  # re-reads the version lists of `rev`
            catalog = self.catalog(rev)
            if catalog.revision == stats.tip:
                break
        return catalog, stats

    def working_catalog(self) -> Catalog:
        """Every skill in the working tree, uncommitted changes included."""
        catalog = Catalog(revision=None)
        skills_root = workdir(self.repo) / self.config.skills_dir
        if not skills_root.is_dir():
            return catalog
        history = self.all_versions() if not self.repo.head_is_unborn else {}
        for child in sorted(skills_root.iterdir()):
            if not child.is_dir() or child.name.startswith("."):
                continue
            skill = _load_skill(child.name, self._folder(child.name), DirTree(child))
            if skill is None:
                catalog.broken.append(child.name)
                continue
            skill.versions = history.get(child.name, [])
            catalog.skills[child.name] = skill
        return catalog

    def _folder(self, name: str) -> str:
        return f"{self.config.skills_dir}/{name}" if self.config.skills_dir else name

    # -- versions -----------------------------------------------------------------------

    def resolve_version(self, name: str, spec: str | None = None,
                        rev: str | None = None) -> Version:
        """The version `spec` names: a tree or commit id (or prefix), a tag, a semver.

        None means the latest version. A semver matches a `<name>@<semver>` tag
        first, then `metadata.version` in the version's SKILL.md.
        """
        if spec and _is_hex(spec.strip()):
            off_branch = self._version_off_branch(name, spec.strip().lower(), rev)
            if off_branch is not None:
                return off_branch
        versions = self.versions(name, rev)
        if not spec:
            return versions[-1]
        spec = spec.strip()
        tag = spec if "@" in spec else f"{name}@{spec}"
        for version in reversed(versions):
            if tag in version.tags or tag.replace("@v", "@") in version.tags:
                return version
        lowered = spec.lower()
        if _is_hex(lowered):
            # A tree id may be listed more than once (a revert re-publishes it): the latest counts.
            matches = list({v.tree_id: v for v in versions if v.tree_id.startswith(lowered)}.values())
            if len(matches) == 1:
                return matches[0]
            by_commit = self._version_at_commit(name, lowered, versions)
            if by_commit is not None:
                return by_commit
            if len(matches) > 1:
                raise VersionNotFound(f"{name}: version prefix {spec!r} is ambiguous", skill=name)
        semver = spec.split("@", 1)[-1].lstrip("v")
        if TAG_PATTERN.match(f"{name}@{semver}"):
            for version in reversed(versions):
                if self._metadata_version(version) == semver:
                    return version
        raise VersionNotFound(f"{name} has no version {spec!r}", skill=name)

    def _commit(self, spec: str) -> pygit2.Commit | None:
        try:
            return self.repo.revparse_single(spec).peel(pygit2.Commit)
        except (KeyError, ValueError, pygit2.GitError):
            return None

    def _version_at_commit(self, name: str, prefix: str,
                           versions: list[Version]) -> Version | None:
        commit = self._commit(prefix)
        tree = subtree(self.repo, commit.tree, self._folder(name)) if commit else None
        if tree is None:
            return None
        for version in reversed(versions):
            if version.tree_id == str(tree.id):
                return version
        return None

    def _version_off_branch(self, name: str, spec: str, rev: str | None) -> Version | None:
        """`NAME@<commit>` for a commit the branch does not contain (a contributor's branch).

        The version is the skill's folder at that commit, attributed to the
        commit among those not on the branch that last changed the folder to it
        (the commit itself if none did). None when the commit is on the branch or
        has no such skill: the branch's own version list answers then.
        """
        commit = self._commit(spec)
        if commit is None or not str(commit.id).startswith(spec):
            return None  # a tree id (prefix), or not a commit
        tree = subtree(self.repo, commit.tree, self._folder(name))
        if tree is None:
            return None
        tip = resolve_commit(self.repo, rev or self.default_revision())
        if commit.id == tip.id or self.repo.descendant_of(tip.id, commit.id):
            return None
        since = commit  # walk back along first parents while the folder stays the same
        while since.parents:
            parent = since.parents[0]
            if parent.id == tip.id or self.repo.descendant_of(tip.id, parent.id):
                break
            if self._folder_id(parent, name) != tree.id:
                break
            since = parent
        author = since.author
        tz = timezone(timedelta(minutes=author.offset))
        return Version(skill=name, tree_id=str(tree.id), commit_id=str(since.id),
                       author_name=author.name, author_email=author.email,
                       date=datetime.fromtimestamp(author.time, tz), message=since.message)

    def _folder_id(self, commit: pygit2.Commit, name: str) -> pygit2.Oid | None:
        tree = subtree(self.repo, commit.tree, self._folder(name))
        return tree.id if tree is not None else None

    def _metadata_version(self, version: Version) -> str | None:
        try:
            data = self.tree(version).read(SKILL_MD)
        except FileNotFoundError:
            return None
        fm = parse_skill_md(data, SKILL_MD).frontmatter or {}
        metadata = fm.get("metadata")
        value = metadata.get("version") if isinstance(metadata, dict) else None
        return str(value).lstrip("v") if value is not None else None

    def tree(self, version: Version) -> GitTree:
        """The skill folder at `version`, read from the object database.

        The last few trees are kept (a tree id names immutable content): building one skill
        asks for each version's tree for its pages, its zip and its digests, and listing a
        tree's files is a walk of its objects each time (issue 12's profile).
        """
        tree = self._trees.pop(version.tree_id, None) or GitTree(self.repo,
                                                                  tree_at(self.repo, version.tree_id))
        self._trees[version.tree_id] = tree
        if len(self._trees) > TREES_KEPT:
            del self._trees[next(iter(self._trees))]
        return tree

    def skill_at(self, version: Version, rev: str | None = None) -> Skill:
        """The skill as it was at `version`, with the version list of `rev`."""
        skill = _load_skill(version.skill, self._folder(version.skill), self.tree(version))
        if skill is None:
            raise VersionNotFound(f"{version.skill}@{version.short_id}: SKILL.md is unreadable")
        skill.tree_id = version.tree_id
        try:
            skill.versions = self.versions(version.skill, rev)
        except SkillNotFound:
            skill.versions = [version]  # a version from a commit off the branch
        return skill

    def diff(self, name: str, a: str, b: str, context: int = 3, rev: str | None = None) -> str:
        """A unified diff (git's format, from libgit2) of every file between two versions."""
        va, vb = self.resolve_version(name, a, rev), self.resolve_version(name, b, rev)
        return self.diff_trees(name, va.tree_id, vb.tree_id, context)

    def diff_trees(self, name: str, a: str, b: str, context: int = 3) -> str:
        """`diff` of two tree ids the caller already holds (the site build: resolving a
        version again cost a search of the skill's versions per diff)."""
        delta = tree_at(self.repo, a).diff_to_tree(tree_at(self.repo, b), context_lines=context)
        chunks = []
        for change in delta.deltas:
            old, new = change.old_file, change.new_file
            # Re-create each patch with paths under the skill's name (`a/<name>/<path>`).
            # The blobs are held in locals: the patch reads them until `.text` is taken.
            if pygit2.GIT_FILEMODE_COMMIT in (old.mode, new.mode):
                chunks.append(f"Submodule {name}/{new.path or old.path} changed\n")
                continue
            blob_a = blob_at(self.repo, old.id) if change.status != pygit2.GIT_DELTA_ADDED else None
            blob_b = blob_at(self.repo, new.id) if change.status != pygit2.GIT_DELTA_DELETED else None
            patch = pygit2.Patch.create_from(blob_a, blob_b, old_as_path=f"{name}/{old.path}",
                                             new_as_path=f"{name}/{new.path}",
                                             context_lines=context)
            chunks.append(patch.text or "")
            del blob_a, blob_b
        return "".join(chunks)


def _is_hex(text: str) -> bool:
    return len(text) >= 4 and all(c in "0123456789abcdef" for c in text.lower())


def _load_skill(folder: str, path: str, tree: SkillTree) -> Skill | None:
    try:
        data = tree.read(SKILL_MD)
    except (FileNotFoundError, OSError):
        return None
    parsed = parse_skill_md(data, f"{path}/{SKILL_MD}")
    if parsed.frontmatter is None:
        return None
    return Skill(name=folder, folder=path, frontmatter=parsed.frontmatter, body=parsed.body,
                 files=tree.files(), raw_frontmatter=parsed.raw_frontmatter)


def _not_found(name: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(name, list(known), n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"no skill named {name!r}{hint}"

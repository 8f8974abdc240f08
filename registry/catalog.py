"""The catalog: every skill at one revision (or in the working tree) with its versions.

`Registry` is the entry point the CLI, the site builder and the MCP service
share: it opens the repository once, keeps the version index up to date and
reads any skill at any version straight from the object database.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pygit2

from .config import Config, load_config
from .errors import SkillNotFound, VersionNotFound
from .history import TAG_PATTERN, UpdateStats, VersionIndex
from .model import Skill, Version
from .repo import default_revision, open_repository, resolve_commit, subtree, tree_at, workdir
from .skillmd import parse_skill_md
from .tree import DirTree, GitTree, SkillTree

SKILL_MD = "SKILL.md"


@dataclass
class Catalog:
    """All skills at one revision; `broken` lists folders whose SKILL.md could not be read."""

    revision: str | None  # a commit id, or None for the working tree
    skills: dict[str, Skill] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)

    def get(self, name: str) -> Skill:
        try:
            return self.skills[name]
        except KeyError:
            raise SkillNotFound(_not_found(name, self.skills)) from None

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.skills[name] for name in sorted(self.skills))

    def __len__(self) -> int:
        return len(self.skills)


class Registry:
    """A skills repository: configuration, version index and object database in one place."""

    def __init__(self, path: Path | str = ".", config: Config | None = None,
                 index_path: Path | None = None) -> None:
        self.repo = open_repository(path)
        self.root = Path(self.repo.workdir) if self.repo.workdir else Path(self.repo.path)
        self.config = config or load_config(self.root)
        self.index = VersionIndex(self.repo, self.config.skills_dir, index_path)
        self._versions: dict[str, dict[str, list[Version]]] = {}

    def close(self) -> None:
        self.index.close()

    def default_revision(self) -> str:
        return default_revision(self.repo, self.config.branch)

    def refresh(self, rev: str | None = None) -> UpdateStats:
        """Bring the version index up to date with `rev` (default: the main branch)."""
        rev = rev or self.default_revision()
        stats = self.index.update(rev)
        self._versions[rev] = self.index.versions(rev)
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
        rev = rev or self.default_revision()
        commit = resolve_commit(self.repo, rev)
        history = self.all_versions(rev)
        catalog = Catalog(revision=str(commit.id))
        skills_tree = subtree(self.repo, commit.tree, self.config.skills_dir)
        if skills_tree is None:
            return catalog
        for entry in skills_tree:
            if entry.type_str != "tree" or not entry.name:
                continue
            name = entry.name
            skill = _load_skill(name, self._folder(name), GitTree(self.repo, tree_at(self.repo, entry.id)))
            if skill is None:
                catalog.broken.append(name)
                continue
            skill.tree_id = str(entry.id)
            skill.versions = history.get(name, [])
            catalog.skills[name] = skill
        return catalog

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
        versions = self.versions(name, rev)
        if not spec:
            return versions[-1]
        spec = spec.strip()
        tag = spec if "@" in spec else f"{name}@{spec}"
        for version in reversed(versions):
            if tag in version.tags or tag.replace("@v", "@") in version.tags:
                return version
        lowered = spec.lower()
        if len(lowered) >= 4 and all(c in "0123456789abcdef" for c in lowered):
            matches = [v for v in versions if v.tree_id.startswith(lowered)]
            if len(matches) == 1:
                return matches[0]
            by_commit = self._version_at_commit(name, lowered, versions)
            if by_commit is not None:
                return by_commit
            if len(matches) > 1:
                raise VersionNotFound(f"{name}: version prefix {spec!r} is ambiguous")
        semver = spec.split("@", 1)[-1].lstrip("v")
        if TAG_PATTERN.match(f"{name}@{semver}"):
            for version in reversed(versions):
                if self._metadata_version(version) == semver:
                    return version
        raise VersionNotFound(
            f"{name} has no version {spec!r}; try `relay versions {name}` to list them"
        )

    def _version_at_commit(self, name: str, prefix: str,
                           versions: list[Version]) -> Version | None:
        try:
            commit = self.repo.revparse_single(prefix).peel(pygit2.Commit)
        except (KeyError, ValueError, pygit2.GitError):
            return None
        tree = subtree(self.repo, commit.tree, self._folder(name))
        if tree is None:
            return None
        for version in versions:
            if version.tree_id == str(tree.id):
                return version
        return None

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
        """The skill folder at `version`, read from the object database."""
        return GitTree(self.repo, tree_at(self.repo, version.tree_id))

    def skill_at(self, version: Version) -> Skill:
        skill = _load_skill(version.skill, self._folder(version.skill), self.tree(version))
        if skill is None:
            raise VersionNotFound(f"{version.skill}@{version.short_id}: SKILL.md is unreadable")
        skill.tree_id = version.tree_id
        skill.versions = self.versions(version.skill)
        return skill

    def diff(self, name: str, a: str, b: str, context: int = 3) -> str:
        """A unified diff of every file between two versions of a skill."""
        va, vb = self.resolve_version(name, a), self.resolve_version(name, b)
        ta, tb = self.tree(va), self.tree(vb)
        files_a = {f.path for f in ta.files()}
        files_b = {f.path for f in tb.files()}
        chunks: list[str] = []
        for path in sorted(files_a | files_b):
            old = _text(ta, path) if path in files_a else None
            new = _text(tb, path) if path in files_b else None
            if old == new:
                continue
            label_a = f"a/{name}/{path}" if old is not None else "/dev/null"
            label_b = f"b/{name}/{path}" if new is not None else "/dev/null"
            if (old is not None and old.startswith("\0")) or (new is not None and
                                                               new.startswith("\0")):
                chunks.append(f"Binary files {label_a} and {label_b} differ\n")
                continue
            chunks.extend(difflib.unified_diff(
                (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True),
                fromfile=label_a, tofile=label_b, n=context))
            if chunks and not chunks[-1].endswith("\n"):
                chunks.append("\n\\ No newline at end of file\n")
        return "".join(chunks)


def _text(tree: SkillTree, path: str) -> str:
    data = tree.read(path)
    if b"\0" in data[:8192]:
        return "\0binary"
    return data.decode("utf-8", "replace")


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

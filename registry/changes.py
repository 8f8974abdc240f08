"""Which skills changed since a revision: the pull request's view of the repository.

What `git diff REV...` plus uncommitted work would show, by skill folder, so a
base branch that moved on does not make its own changes look like the pull
request's. Two parts, each as cheap as git makes it (issue 12):

- committed: the skills folder's entries at the merge base against HEAD's. A
  skill folder is one tree entry whose id changes with any file in it, so this
  reads two tree objects and no file (libgit2's tree diff took 0.3 s for a
  one-skill change among 10,000 skills: it opens every subtree);
- uncommitted (staged, unstaged, untracked): `git status`, which answers from
  the index's stat cache (and the untracked cache or fsmonitor where the
  repository has them). It runs in the background while the trees are
  compared. libgit2's own status is the fallback where no `git` is installed;
  it walks the same stat cache, more slowly.

Only the folders these name are then looked at in the work tree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pygit2

from .repo import resolve_commit, tree_at
from .tree import has_files
from .worktree import Status


@dataclass
class SkillChanges:
    """Skill folder names touched since the base, split by what happened to them."""

    base: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def present(self) -> list[str]:
        """Skills that exist now and need validating."""
        return sorted(self.added + self.changed)


def changed_skills(repo: pygit2.Repository, rev: str, skills_dir: str,
                   status: Status | None = None) -> SkillChanges:
    """Skills changed since `rev`'s merge base with HEAD.

    `status` is a `git status` the caller started early; without one it is started here.
    """
    if status is None:
        with Status(Path(repo.workdir or "."), skills_dir) as own:
            return _changes(repo, rev, skills_dir, own)
    return _changes(repo, rev, skills_dir, status)


def _changes(repo: pygit2.Repository, rev: str, skills_dir: str, status: Status) -> SkillChanges:
    workdir = repo.workdir or ""
    base_commit = resolve_commit(repo, rev)
    base = base_commit.id
    head_tree = None
    if not repo.head_is_unborn:
        head = repo.head.peel(pygit2.Commit)
        head_tree = head.tree
        merge_base = repo.merge_base(base, head.id)
        if merge_base is not None:
            base = merge_base
    base_tree = repo[base].peel(pygit2.Tree)
    before = _folders(repo, base_tree, skills_dir)
    after = _folders(repo, head_tree, skills_dir) if head_tree is not None else {}
    touched = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    prefix = f"{skills_dir}/" if skills_dir else ""
    touched |= {path[len(prefix):].split("/", 1)[0] for path in _uncommitted_paths(repo, status)
                if path.startswith(prefix) and "/" in path[len(prefix):]}
    result = SkillChanges(base=str(base))
    for name in sorted(touched):
        exists_now = _exists(workdir, skills_dir, name)
        if name not in before and exists_now:
            result.added.append(name)
        elif exists_now:
            result.changed.append(name)
        else:
            result.removed.append(name)
    return result


def _uncommitted_paths(repo: pygit2.Repository, status: Status) -> set[str]:
    """Paths (from the repository root) that are staged, modified or untracked."""
    found = status.paths()
    if found is not None:
        return found
    if repo.workdir is None:
        return set()
    return {path for path, flags in repo.status().items()
            if flags not in (pygit2.GIT_STATUS_CURRENT, pygit2.GIT_STATUS_IGNORED)}


def _folders(repo: pygit2.Repository, tree: pygit2.Tree, skills_dir: str) -> dict[str, pygit2.Oid]:
    """Each skill folder's name and tree id: equal ids, equal content."""
    if skills_dir:
        try:
            entry = tree[skills_dir]
        except KeyError:
            return {}
        tree = tree_at(repo, entry.id)
    return {e.name: e.id for e in tree if e.type_str == "tree" and e.name}


def _exists(workdir: str, skills_dir: str, name: str) -> bool:
    return has_files(os.path.join(workdir, skills_dir, name))

"""Which skills changed since a revision: the pull request's view of the repository.

Compares the merge base of the revision and HEAD with the working tree
(committed, staged, unstaged and untracked changes alike, by way of the
index), as
`git diff REV...` plus uncommitted work would, so a base branch that moved on
does not make its own changes look like the pull request's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import pygit2
from pygit2.enums import DiffOption

from .repo import resolve_commit, tree_at
from .tree import has_files


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


def changed_skills(repo: pygit2.Repository, rev: str, skills_dir: str) -> SkillChanges:
    base_commit = resolve_commit(repo, rev)
    base = base_commit.id
    if not repo.head_is_unborn:
        merge_base = repo.merge_base(base, repo.head.target)
        if merge_base is not None:
            base = merge_base
    base_tree = repo[base].peel(pygit2.Tree)
    prefix = f"{skills_dir}/" if skills_dir else ""
    # Base -> index, then index -> working tree: the index's stat cache lets libgit2 skip
    # unchanged files, where a direct tree -> working tree diff would hash every file.
    index = repo.index
    index.read()
    staged = base_tree.diff_to_index(index, DiffOption.NORMAL, 0, 0)
    unstaged = index.diff_to_workdir(
        DiffOption.INCLUDE_UNTRACKED | DiffOption.RECURSE_UNTRACKED_DIRS, 0, 0)
    touched: set[str] = set()
    for delta in [*staged.deltas, *unstaged.deltas]:
        for path in (delta.old_file.path, delta.new_file.path):
            if path.startswith(prefix) and "/" in path[len(prefix):]:
                touched.add(path[len(prefix):].split("/", 1)[0])
    before = _folders(repo, base_tree, skills_dir)
    workdir = repo.workdir or ""
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


def _folders(repo: pygit2.Repository, tree: pygit2.Tree, skills_dir: str) -> set[str]:
    if skills_dir:
        try:
            entry = tree[skills_dir]
        except KeyError:
            return set()
        tree = tree_at(repo, entry.id)
    return {e.name for e in tree if e.type_str == "tree" and e.name}


def _exists(workdir: str, skills_dir: str, name: str) -> bool:
    return has_files(os.path.join(workdir, skills_dir, name))

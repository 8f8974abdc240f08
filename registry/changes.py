"""Which skills changed since a revision: the pull request's view of the repository.

What `git diff REV...` plus uncommitted work would show, by skill folder, so a
base branch that moved on does not make its own changes look like the pull
request's. Two parts, each as cheap as git makes it (issue 12):

- committed: `git diff --raw -t` from the merge base to HEAD, limited to the
  skills folder. A skill folder is one tree entry whose id changes with any
  file in it, so git opens only the folders that changed (libgit2's tree diff
  took 0.3 s for a one-skill change among 10,000 skills: it opens every one),
  and `-t` names each folder with its modes, so an added folder shows as one;
- uncommitted (staged, unstaged, untracked): `git status`, which answers from
  the index's stat cache (and the untracked cache or fsmonitor where the
  repository has them). It runs in the background while the trees are
  compared.

Both are the `git` command, not libgit2: loading pygit2 alone took longer than
the comparison (a sixth of the command). Where no `git` is installed, libgit2
answers both parts (`_by_libgit2`), more slowly. Only the folders these name
are then looked at in the work tree.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import RepositoryError, RevisionError
from .tree import has_files
from .worktree import Status

TREE_MODE = "040000"


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


def changed_skills(root: Path, rev: str, skills_dir: str, status: Status | None = None, *,
                   meanwhile: Callable[[SkillChanges], object] | None = None) -> SkillChanges:
    """Skills changed since `rev`'s merge base with HEAD, in the work tree at `root`.

    `status` is a `git status` of `root` the caller started early; without one it is started here.
    `meanwhile` is called with the skills the commits touched (classified as in the answer)
    before waiting for `git status`, which walks the whole work tree: the caller can validate
    them while git works (issue 12).
    """
    if status is None:
        with Status(root) as own:
            return changed_skills(root, rev, skills_dir, own, meanwhile=meanwhile)
    try:
        base, committed = _committed(root, rev, skills_dir)
        if meanwhile is not None:
            meanwhile(_classify(root, skills_dir, base, set(committed),
                                {name for name, was_folder in committed.items() if was_folder}))
        uncommitted = status.paths()
    except FileNotFoundError:  # no `git` executable
        return _by_libgit2(root, rev, skills_dir)
    if uncommitted is None:
        return _by_libgit2(root, rev, skills_dir)
    prefix = f"{skills_dir}/" if skills_dir else ""
    touched = {name for name, _ in committed.items()}
    before = {name for name, was_folder in committed.items() if was_folder}
    if any(path.endswith("/") and prefix.startswith(path) for path in uncommitted):
        uncommitted |= _untracked_skills_folder(root, prefix)
    others = {path[len(prefix):].split("/", 1)[0] for path in uncommitted
              if path.startswith(prefix) and "/" in path[len(prefix):]} - touched
    # A folder the commits left alone is at the base what it is at HEAD: ask the base.
    before |= _folders_at(root, base, skills_dir, others)
    return _classify(root, skills_dir, base, touched | others, before)


def _untracked_skills_folder(root: Path, prefix: str) -> set[str]:
    """Every folder in a skills folder that git reports as untracked as a whole (it shows an
    untracked folder, not its files), as `git status` would name them: `<prefix><name>/`."""
    try:
        with os.scandir(os.path.join(root, prefix)) as entries:
            return {f"{prefix}{e.name}/" for e in entries
                    if e.is_dir(follow_symlinks=False) and has_files(e.path)}
    except OSError:
        return set()


def _classify(root: Path, skills_dir: str, base: str, touched: set[str],
              before: set[str]) -> SkillChanges:
    result = SkillChanges(base=base)
    for name in sorted(touched):
        exists_now = has_files(os.path.join(root, skills_dir, name))
        if name not in before and exists_now:
            result.added.append(name)
        elif exists_now:
            result.changed.append(name)
        else:
            result.removed.append(name)
    return result


# -- with the git command -------------------------------------------------------------


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run git in `root`; FileNotFoundError when there is no git to run."""
    return subprocess.run(["git", "-C", str(root), "--literal-pathspecs", *args],
                          capture_output=True, timeout=600)


def _committed(root: Path, rev: str, skills_dir: str) -> tuple[str, dict[str, bool]]:
    """The merge base, and each skill folder the commits since touched: was it a folder then?"""
    base, has_head = _merge_base(root, rev)
    prefix = f"{skills_dir}/" if skills_dir else ""
    if has_head:  # `git diff` of two trees, as `diff-tree -r` but in half the time here
        command = ["diff", "--raw", "-t", "-z", "--no-renames", "--no-relative", "--no-ext-diff",
                   base, "HEAD", "--", *([skills_dir] if skills_dir else [])]
    else:  # no commit yet on this branch: everything at the base is gone from it
        command = ["ls-tree", "-z", base, "--", *([prefix] if prefix else [])]
    proc = _git(root, *command)
    if proc.returncode != 0:
        raise RepositoryError(f"git {command[0]} failed: {_first_line(proc.stderr)}")
    touched: dict[str, bool] = {}
    fields = proc.stdout.split(b"\0")
    if has_head:  # `:old_mode new_mode old_id new_id status`, then the path
        entries = [(meta.split()[0].lstrip(b":"), meta.split()[1], path)
                   for meta, path in zip(fields[0::2], fields[1::2], strict=False) if meta]
    else:  # `mode type id<TAB>path`
        entries = [(line.split()[0], b"", line.split(b"\t", 1)[1]) for line in fields if line]
    for old_mode, new_mode, raw in entries:
        path = os.fsdecode(raw)
        name = path[len(prefix):]
        if not path.startswith(prefix) or not name or "/" in name:
            continue  # a file inside a folder (its folder is listed too), or the skills folder
        if TREE_MODE in (old_mode.decode(), new_mode.decode()):
            touched[name] = old_mode.decode() == TREE_MODE
    return base, touched


def _merge_base(root: Path, rev: str) -> tuple[str, bool]:
    """The merge base of `rev` and HEAD (`rev` itself when none), and whether HEAD has a commit."""
    found = _git(root, "merge-base", "--end-of-options", rev, "HEAD")
    if found.returncode == 0:
        return found.stdout.decode().strip(), True
    commit = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if commit.returncode == 1:
        raise RevisionError(f"unknown revision {rev!r}")
    if commit.returncode != 0:
        raise RepositoryError(f"--changed-since needs a git repository: {_first_line(commit.stderr)}")
    # merge-base exits 1 for histories with nothing in common, and fails when HEAD is unborn
    head = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    return commit.stdout.decode().strip(), head.returncode == 0


def _folders_at(root: Path, base: str, skills_dir: str, names: set[str]) -> set[str]:
    """Which of `names` are folders in the skills folder at commit `base`."""
    if not names:
        return set()
    paths = [f"{skills_dir}/{n}" if skills_dir else n for n in sorted(names)]
    proc = _git(root, "ls-tree", "-z", base, "--", *paths)
    if proc.returncode != 0:
        raise RepositoryError(f"git ls-tree failed: {_first_line(proc.stderr)}")
    return {os.fsdecode(line.split(b"\t", 1)[1]).rsplit("/", 1)[-1]
            for line in proc.stdout.split(b"\0") if line.startswith(TREE_MODE.encode())}


def _first_line(stderr: bytes) -> str:
    return (stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[0]


# -- with libgit2, where git is not installed ------------------------------------------


def _by_libgit2(root: Path, rev: str, skills_dir: str) -> SkillChanges:
    """The same answer from libgit2: its tree lookups and its status (which walks the stat cache)."""
    import pygit2

    from .repo import open_repository, resolve_commit, tree_at

    repo = open_repository(root)
    base = resolve_commit(repo, rev).id
    head_tree = None
    if not repo.head_is_unborn:
        head = repo.head.peel(pygit2.Commit)
        head_tree = head.tree
        merge_base = repo.merge_base(base, head.id)
        if merge_base is not None:
            base = merge_base

    def folders(tree: pygit2.Tree | None) -> dict[str, pygit2.Oid]:
        if tree is not None and skills_dir:
            try:
                tree = tree_at(repo, tree[skills_dir].id)
            except KeyError:
                return {}
        return {e.name: e.id for e in tree or () if e.type_str == "tree" and e.name}

    before = folders(repo[base].peel(pygit2.Tree))
    after = folders(head_tree)
    touched = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    prefix = f"{skills_dir}/" if skills_dir else ""
    touched |= {path[len(prefix):].split("/", 1)[0] for path, flags in repo.status().items()
                if flags not in (pygit2.GIT_STATUS_CURRENT, pygit2.GIT_STATUS_IGNORED)
                and path.startswith(prefix) and "/" in path[len(prefix):]}
    return _classify(root, skills_dir, str(base), touched, set(before))

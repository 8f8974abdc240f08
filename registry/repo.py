"""Open the registry's git repository and resolve revisions, with errors a user can act on."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pygit2

from .errors import RepositoryError, RevisionError


def open_repository(path: Path | str = ".") -> pygit2.Repository:
    """The git repository containing `path` (searching upwards)."""
    path = Path(path)
    if not path.exists():
        raise RepositoryError(f"{path}: no such directory")
    found = pygit2.discover_repository(str(path))
    if found is None:
        raise RepositoryError(f"{path.resolve()} is not inside a git repository "
                              "(run `git init`, or pass --repo PATH)")
    try:
        return pygit2.Repository(found)
    except pygit2.GitError as exc:
        raise RepositoryError(f"cannot open the git repository at {found}: {exc}") from None


def workdir(repo: pygit2.Repository) -> Path:
    if repo.workdir is None:
        raise RepositoryError(f"{repo.path} is a bare repository; it has no working tree")
    return Path(repo.workdir)


def default_revision(repo: pygit2.Repository, branch: str) -> str:
    """The configured branch if it exists, else HEAD."""
    if f"refs/heads/{branch}" in repo.references:
        return f"refs/heads/{branch}"
    if repo.head_is_unborn:
        raise RevisionError("the repository has no commits yet")
    return "HEAD"


def resolve_commit(repo: pygit2.Repository, rev: str) -> pygit2.Commit:
    """The commit a revision names (branch, tag, sha, `HEAD~2`, ...)."""
    try:
        obj = repo.revparse_single(rev)
        commit = obj.peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
        raise RevisionError(f"unknown revision {rev!r}") from None
    return commit


def subtree(repo: pygit2.Repository, tree: pygit2.Tree, path: str) -> pygit2.Tree | None:
    """The tree at `path` under `tree`, or None when absent or not a folder."""
    if not path:
        return tree
    try:
        entry = tree[path]
    except KeyError:
        return None
    if entry.type_str != "tree":
        return None
    obj = repo[entry.id]
    return obj if isinstance(obj, pygit2.Tree) else None


def tree_at(repo: pygit2.Repository, oid: pygit2.Oid | str) -> pygit2.Tree:
    """The tree object `oid` (pygit2 types lookups as Object; this narrows it)."""
    return cast(pygit2.Tree, repo[oid])


def blob_at(repo: pygit2.Repository, oid: pygit2.Oid | str) -> pygit2.Blob:
    return cast(pygit2.Blob, repo[oid])

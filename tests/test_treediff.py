"""TreeDiffer: the entries a tree gained, by bisection when it can and by sets when it must."""

from __future__ import annotations

import random

import pygit2
import pytest

from registry.treediff import ENTRY, TreeDiffer


@pytest.fixture
def repo(tmp_path):
    return pygit2.init_repository(str(tmp_path / "r"), bare=True)


def folder(repo, text: str) -> pygit2.Oid:
    """A one-file folder tree whose id depends on `text`."""
    builder = repo.TreeBuilder()
    builder.insert("SKILL.md", repo.create_blob(text.encode()), pygit2.GIT_FILEMODE_BLOB)
    return builder.write()


def tree(repo, entries: dict[str, pygit2.Oid]) -> pygit2.Oid:
    builder = repo.TreeBuilder()
    for name, oid in entries.items():
        builder.insert(name, oid, pygit2.GIT_FILEMODE_TREE)
    return builder.write()


def names(raw_entries: list[bytes]) -> list[str]:
    return sorted(e.split(b" ", 1)[1].split(b"\0", 1)[0].decode() for e in raw_entries)


def expected(repo, parent, current) -> list[str]:
    before = set(ENTRY.findall(repo.odb.read(parent)[1])) if parent else set()
    return names([e for e in ENTRY.findall(repo.odb.read(current)[1]) if e not in before])


def test_agrees_with_set_difference_on_a_random_history(repo) -> None:
    rng = random.Random(3)
    state = {f"s{i:03d}": folder(repo, f"v0-{i}") for i in range(60)}
    differ = TreeDiffer(repo.odb)
    parent = None
    for step in range(400):
        action = rng.random()
        if action < 0.7:  # change one or two skills' content (same length)
            for name in rng.sample(sorted(state), rng.choice([1, 1, 2])):
                state[name] = folder(repo, f"{name}-{step}")
        elif action < 0.8 and len(state) > 2:  # remove a skill
            del state[rng.choice(sorted(state))]
        elif action < 0.9:  # add a skill
            state[f"n{step:03d}"] = folder(repo, f"new-{step}")
        else:  # rename to a name of the same length
            old = rng.choice(sorted(state))
            state[f"r{step:03d}"[: len(old)].ljust(len(old), "x")] = state.pop(old)
        current = tree(repo, state)
        if current == parent:
            continue
        assert names(differ.added(parent, current)) == expected(repo, parent, current), step
        parent = current


def test_a_parent_other_than_the_last_tree(repo) -> None:
    a = tree(repo, {"alpha": folder(repo, "1"), "beta": folder(repo, "1")})
    b = tree(repo, {"alpha": folder(repo, "2"), "beta": folder(repo, "1")})
    c = tree(repo, {"alpha": folder(repo, "1"), "beta": folder(repo, "3")})
    differ = TreeDiffer(repo.odb)
    assert names(differ.added(None, a)) == ["alpha", "beta"]
    assert names(differ.added(a, b)) == ["alpha"]
    assert names(differ.added(a, c)) == ["beta"]  # a side branch: compared with `a`, not `b`

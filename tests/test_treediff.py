"""TreeDiffer: the entries a tree gained, by bisection when it can and by sets when it must."""

from __future__ import annotations

import random
import subprocess

import pygit2
import pytest

from registry.treediff import TreeDiffer


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


def entries(raw_entries: list[bytes]) -> list[tuple[str, str, str]]:
    """(mode, name, hex id) of raw tree entries, parsed here by git's documented tree format:
    `<octal mode> <name>\\0<20-byte id>`."""
    out = []
    for raw in raw_entries:
        head, oid = raw[:-20], raw[-20:]
        assert head.endswith(b"\0")
        mode, name = head[:-1].split(b" ", 1)
        out.append((mode.decode(), name.decode(), oid.hex()))
    return sorted(out)


def names(raw_entries: list[bytes]) -> list[str]:
    return [name for _, name, _ in entries(raw_entries)]


def modelled(before: dict[str, pygit2.Oid], after: dict[str, pygit2.Oid]) -> list[tuple[str, str, str]]:
    """What a tree gained, from the test's own model of its entries (not from the code)."""
    return sorted(("40000", name, str(oid)) for name, oid in after.items() if before.get(name) != oid)


def git_added(repo, parent: pygit2.Oid | None, current: pygit2.Oid) -> list[tuple[str, str, str]]:
    """What a tree gained, according to `git diff-tree` (the new side of added and modified entries)."""
    if parent is None:
        listed = subprocess.run(["git", "ls-tree", str(current)], cwd=repo.path, capture_output=True,
                                text=True, check=True).stdout
        return sorted((mode.lstrip("0"), name, oid) for mode, _, oid, name in
                      (line.replace("\t", " ", 1).split(" ", 3) for line in listed.splitlines()))
    listed = subprocess.run(["git", "diff-tree", "--no-renames", str(parent), str(current)],
                            cwd=repo.path, capture_output=True, text=True, check=True).stdout
    out = []
    for line in listed.splitlines():
        meta, name = line.split("\t", 1)
        _, new_mode, _, new_id, status = meta.split(" ")
        if status in ("A", "M"):
            out.append((new_mode.lstrip("0"), name, new_id))
    return sorted(out)


def test_agrees_with_the_model_and_with_git_on_a_random_history(repo) -> None:
    rng = random.Random(3)
    state = {f"s{i:03d}": folder(repo, f"v0-{i}") for i in range(60)}
    differ = TreeDiffer(repo.odb)
    parent, previous = None, {}
    checked_with_git = 0
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
        got = entries(differ.added(parent, current))
        assert got == modelled(previous, state), step
        if step % 25 == 0 or parent is None:
            assert got == git_added(repo, parent, current), step
            checked_with_git += 1
        parent, previous = current, dict(state)
    assert checked_with_git >= 10


def test_a_parent_other_than_the_last_tree(repo) -> None:
    a = tree(repo, {"alpha": folder(repo, "1"), "beta": folder(repo, "1")})
    b = tree(repo, {"alpha": folder(repo, "2"), "beta": folder(repo, "1")})
    c = tree(repo, {"alpha": folder(repo, "1"), "beta": folder(repo, "3")})
    differ = TreeDiffer(repo.odb)
    assert names(differ.added(None, a)) == ["alpha", "beta"]
    assert entries(differ.added(None, a))[0] == ("40000", "alpha", str(folder(repo, "1")))
    assert names(differ.added(a, b)) == ["alpha"]
    assert names(differ.added(a, c)) == ["beta"]  # a side branch: compared with `a`, not `b`

"""The version index: one walk, tree ids as identity, incremental updates, rewritten history."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pygit2
import pytest

from registry.history import VersionIndex, cache_path

from .conftest import skill_md


def index_of(builder, **kwargs) -> VersionIndex:
    return VersionIndex(builder.repo, "skills", **kwargs)


def tree_ids(index: VersionIndex, rev: str = "HEAD") -> dict[str, list[str]]:
    return {name: [v.tree_id for v in vs] for name, vs in index.versions(rev).items()}


def skill_tree_id(builder, commit: str, name: str) -> str:
    return str(builder.repo[commit].peel(pygit2.Commit).tree[f"skills/{name}"].id)


def test_versions_are_commits_that_changed_the_folder(make_repo) -> None:
    b = make_repo()
    c1 = b.commit({"skills/a/SKILL.md": skill_md("a"), "skills/b/SKILL.md": skill_md("b"),
                   "README.md": "hi"}, "add a and b")
    b.commit({"README.md": "hello"}, "docs only")
    c3 = b.commit({"skills/a/references/x.md": "# X\n"}, "a: add reference",
                  author="Grace Hopper", email="grace@example.com")
    b.commit({"skills/b/SKILL.md": None}, "remove b")
    index = index_of(b)
    stats = index.update("HEAD")
    assert stats.commits_walked == 4 and stats.versions_added == 3 and not stats.rebuilt
    versions = index.versions("HEAD")
    assert [v.commit_id for v in versions["a"]] == [c1, c3]
    assert [v.tree_id for v in versions["a"]] == [skill_tree_id(b, c1, "a"),
                                                   skill_tree_id(b, c3, "a")]
    latest = versions["a"][-1]
    assert (latest.author_name, latest.author_email, latest.summary) == (
        "Grace Hopper", "grace@example.com", "a: add reference")
    assert latest.date.year == 2023
    assert [v.commit_id for v in versions["b"]] == [c1]  # history survives deletion


def test_a_revert_republishes_the_old_tree_as_the_latest_version(make_repo) -> None:
    b = make_repo()
    c1 = b.commit({"skills/a/SKILL.md": skill_md("a", body="A\n"), "skills/a/extra.md": "x\n"})
    c2 = b.commit({"skills/a/SKILL.md": skill_md("a", body="B\n"), "skills/a/extra.md": None})
    c3 = b.commit({"skills/a/SKILL.md": skill_md("a", body="A\n"), "skills/a/extra.md": "x\n"},
                  "revert B")
    index = index_of(b)
    assert index.update().versions_added == 3
    versions = index.versions()["a"]
    assert [v.commit_id for v in versions] == [c1, c2, c3]
    tree_a = skill_tree_id(b, c1, "a")
    assert [v.tree_id for v in versions] == [tree_a, skill_tree_id(b, c2, "a"), tree_a]
    assert versions[-1].summary == "revert B"
    # The same holds when the revert arrives through an incremental update.
    c4 = b.commit({"skills/a/SKILL.md": skill_md("a", body="B\n"), "skills/a/extra.md": None})
    c5 = b.commit({"skills/a/SKILL.md": skill_md("a", body="A\n"), "skills/a/extra.md": "x\n"})
    assert index.update().versions_added == 2
    assert [v.commit_id for v in index.versions()["a"]][-2:] == [c4, c5]
    assert index.versions()["a"][-1].tree_id == tree_a


def test_latest_is_the_tip_tree_when_a_merge_keeps_the_main_line(make_repo) -> None:
    """Topological order may visit the side branch last; the tip still decides."""
    b = make_repo([{"skills/a/SKILL.md": skill_md("a", body="base\n")}])
    base = str(b.repo.head.target)
    main = b.commit({"skills/a/SKILL.md": skill_md("a", body="main\n")}, "main edit",
                    parents=[base], ref="refs/heads/main")
    side = b.commit({"skills/a/SKILL.md": skill_md("a", body="side\n")}, "side edit",
                    parents=[base], ref="refs/heads/feature")
    main_tree = b.repo[main].peel(pygit2.Commit).tree
    sig = pygit2.Signature("M", "m@example.com", 1_800_000_000, 0)
    merge = str(b.repo.create_commit("refs/heads/main", sig, sig, "merge, keep main", main_tree.id,
                                     [pygit2.Oid(hex=main), pygit2.Oid(hex=side)]))
    index = index_of(b)
    index.update("main")
    versions = index.versions("main")["a"]
    assert versions[-1].tree_id == skill_tree_id(b, merge, "a") == skill_tree_id(b, main, "a")
    assert {v.commit_id for v in versions} >= {base, main, side}


def test_a_cache_written_by_the_old_format_is_rebuilt(make_repo) -> None:
    import sqlite3

    b = make_repo([{"skills/a/SKILL.md": skill_md("a", body="A\n")},
                   {"skills/a/SKILL.md": skill_md("a", body="B\n")},
                   {"skills/a/SKILL.md": skill_md("a", body="A\n")}])
    path = cache_path(b.repo)
    path.parent.mkdir(parents=True)
    # The format-1 cache: one row per (skill, tree id), so the revert is missing.
    old = sqlite3.connect(path)
    old.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('format', '1');
        CREATE TABLE tips (ref TEXT PRIMARY KEY, tip TEXT NOT NULL, skills_dir TEXT NOT NULL);
        CREATE TABLE versions (
            ref TEXT NOT NULL, seq INTEGER NOT NULL, skill TEXT NOT NULL, tree_id TEXT NOT NULL,
            commit_id TEXT NOT NULL, author_name TEXT NOT NULL, author_email TEXT NOT NULL,
            time INTEGER NOT NULL, offset INTEGER NOT NULL, message TEXT NOT NULL,
            PRIMARY KEY (ref, skill, tree_id));
    """)
    head = str(b.repo.head.target)
    old.execute("INSERT INTO tips VALUES ('refs/heads/main', ?, 'skills')", (head,))
    old.commit()
    old.close()
    index = index_of(b)
    stats = index.update()
    assert stats.commits_walked == 3 and stats.versions_added == 3
    assert len(index.versions()["a"]) == 3


def test_incremental_update_walks_only_new_commits(make_repo) -> None:
    b = make_repo([{f"skills/s{i}/SKILL.md": skill_md(f"s{i}")} for i in range(5)])
    index = index_of(b)
    assert index.update().commits_walked == 5
    assert index.update().commits_walked == 0
    b.commit({"skills/s2/SKILL.md": skill_md("s2", body="v2\n")})
    stats = index.update()
    assert (stats.commits_walked, stats.versions_added, stats.rebuilt) == (1, 1, False)
    assert len(index.versions()["s2"]) == 2
    index.close()
    # The cache persists in the git directory; a new index picks up where it stopped.
    assert cache_path(b.repo).is_file()
    again = index_of(b)
    assert again.update().commits_walked == 0
    assert tree_ids(again) == tree_ids(index_of(b))


def test_rewritten_history_is_detected_and_reindexed(make_repo) -> None:
    b = make_repo([{"skills/a/SKILL.md": skill_md("a")},
                   {"skills/a/SKILL.md": skill_md("a", body="two\n")}])
    index = index_of(b)
    index.update()
    first = b.repo.revparse_single("HEAD~1")
    # Reset main to the first commit and commit something else: the old tip is gone.
    b.repo.references["refs/heads/main"].set_target(first.id)
    b.commit({"skills/a/SKILL.md": skill_md("a", body="rewritten\n")}, "rewrite")
    stats = index.update()
    assert stats.rebuilt
    bodies = [b.repo[v.tree_id]["SKILL.md"].id for v in index.versions()["a"]]
    assert len(bodies) == 2
    assert b"rewritten" in b.repo[bodies[-1]].data


def test_merges_and_branches(make_repo) -> None:
    b = make_repo([{"skills/a/SKILL.md": skill_md("a")}])
    base = str(b.repo.head.target)
    side = b.commit({"skills/b/SKILL.md": skill_md("b")}, "add b on a branch",
                    parents=[base], ref="refs/heads/feature")
    main = b.commit({"skills/a/SKILL.md": skill_md("a", body="main change\n"), "skills/b": None},
                    "main change",
                    parents=[base], ref="refs/heads/main")
    b.repo.set_head("refs/heads/main")
    merged_tree = b.repo.merge_trees(base, main, side)
    assert not merged_tree.conflicts
    tree = merged_tree.write_tree(b.repo)
    sig = pygit2.Signature("M", "m@example.com", 1_800_000_000, 0)
    merge = str(b.repo.create_commit("refs/heads/main", sig, sig, "merge feature", tree,
                                     [pygit2.Oid(hex=main), pygit2.Oid(hex=side)]))
    index = index_of(b)
    index.update("main")
    versions = index.versions("main")
    assert [v.commit_id for v in versions["b"]] == [side]  # authored on the branch, once
    assert len(versions["a"]) == 2
    assert merge not in {v.commit_id for vs in versions.values() for v in vs}
    # Each ref is indexed on its own.
    index.update("feature")
    assert set(index.versions("feature")) == {"a", "b"}
    assert len(index.versions("feature")["a"]) == 1


def test_release_tags_attach_to_versions(make_repo) -> None:
    b = make_repo([{"skills/a/SKILL.md": skill_md("a")}])
    b.tag("a@1.0.0")
    b.commit({"skills/a/SKILL.md": skill_md("a", body="two\n")})
    b.tag("a@v1.1.0")
    b.tag("not-a-release")
    b.tag("b@1.0.0")  # no such skill: ignored
    index = index_of(b)
    index.update()
    assert [v.tags for v in index.versions()["a"]] == [("a@1.0.0",), ("a@v1.1.0",)]


def test_files_are_read_at_any_version_without_checkout(make_repo) -> None:
    from registry.tree import GitTree

    b = make_repo([{"skills/a/SKILL.md": skill_md("a"), "skills/a/scripts/run.py": "print(1)\n"},
                   {"skills/a/scripts/run.py": "print(2)\n"}])
    index = index_of(b)
    index.update()
    first, second = index.versions()["a"]
    read = [GitTree(b.repo, b.repo[v.tree_id]).read("scripts/run.py") for v in (first, second)]
    assert read == [b"print(1)\n", b"print(2)\n"]
    files = GitTree(b.repo, b.repo[second.tree_id]).files()
    assert [(f.path, f.size) for f in files][1] == ("scripts/run.py", 9)


def test_matches_a_per_skill_git_log_on_a_random_history(make_repo) -> None:
    """The one-walk index agrees with asking git about each skill separately."""
    rng = random.Random(7)
    b = make_repo()
    names = [f"s{i}" for i in range(6)]
    for step in range(60):
        name = rng.choice(names)
        if rng.random() < 0.1 and (b.path / "skills" / name).exists():
            b.commit({f"skills/{name}": None}, f"remove {name}")
        else:
            b.commit({f"skills/{name}/SKILL.md": skill_md(name, body=f"step {step % 9}\n")},
                     f"edit {name}")
    index = index_of(b)
    index.update()
    found = index.versions()
    for name in names:
        log = subprocess.run(
            ["git", "log", "--reverse", "--format=%H", "--", f"skills/{name}"],
            cwd=b.path, capture_output=True, text=True, check=True).stdout.split()
        expected: list[str] = []
        for commit in log:
            try:
                tree = skill_tree_id(b, commit, name)
            except KeyError:
                continue  # the commit removed the skill
            if not expected or tree != expected[-1]:
                expected.append(tree)  # a change; a tree seen before is a re-publication
        assert [v.tree_id for v in found.get(name, [])] == expected, name


def test_unwritable_cache_falls_back_to_memory(make_repo, tmp_path: Path) -> None:
    b = make_repo([{"skills/a/SKILL.md": skill_md("a")}])
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    index = VersionIndex(b.repo, "skills", blocker / "sub" / "cache.sqlite3")
    assert index.update().versions_added == 1


def test_unknown_revision(make_repo) -> None:
    from registry.errors import RevisionError

    b = make_repo([{"skills/a/SKILL.md": skill_md("a")}])
    with pytest.raises(RevisionError, match="unknown revision 'nope'"):
        index_of(b).update("nope")

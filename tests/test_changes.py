"""`--changed-since`: which skills a pull request touched, committed or not."""

from __future__ import annotations

import shutil
import subprocess

import pygit2
import pytest

from registry.changes import changed_skills
from registry.errors import RevisionError
from registry.worktree import Status

from .conftest import skill_md, write_files

SKILLS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot"]


@pytest.fixture
def pull_request(make_repo):
    """Base moved on (foxtrot) after the fork; the branch commits, stages, edits, adds, deletes."""
    b = make_repo([{f"skills/{n}/SKILL.md": skill_md(n) for n in SKILLS}])
    fork = str(b.repo.head.target)
    b.commit({"skills/foxtrot/SKILL.md": skill_md("foxtrot", body="upstream\n")},
             parents=[fork], ref="refs/heads/upstream")
    b.repo.checkout("refs/heads/main", strategy=pygit2.GIT_CHECKOUT_FORCE)
    b.commit({"skills/alpha/SKILL.md": skill_md("alpha", body="committed\n")})
    write_files(b.path, {"skills/bravo/SKILL.md": skill_md("bravo", body="staged\n")})
    index = b.repo.index
    index.read()
    index.add("skills/bravo/SKILL.md")
    index.write()
    write_files(b.path, {"skills/charlie/SKILL.md": skill_md("charlie", body="edited\n"),
                         "skills/golf/SKILL.md": skill_md("golf")})  # charlie edited, golf new
    shutil.rmtree(b.path / "skills" / "delta")
    return b


def _answer(changes) -> tuple[list[str], list[str], list[str]]:
    return changes.added, changes.changed, changes.removed


@pytest.fixture(params=["git", "libgit2"])
def engine(request, monkeypatch) -> str:
    """The `git` command answers where it is installed; libgit2 where it is not (no PATH)."""
    if request.param == "libgit2":
        monkeypatch.setenv("PATH", "")
    return request.param


def test_committed_staged_unstaged_untracked_and_removed(pull_request, engine) -> None:
    changes = changed_skills(pull_request.path, "upstream", "skills")
    assert _answer(changes) == (["golf"], ["alpha", "bravo", "charlie"], ["delta"])
    assert changes.base == str(pull_request.repo.merge_base(
        pull_request.repo.revparse_single("upstream").id, pull_request.repo.head.target))


def test_the_commits_part_is_handed_over_before_git_status_is_read(pull_request) -> None:
    """`meanwhile` gets the skills the commits changed while `git status` still runs, so
    `--changed-since` validates them meanwhile (issue 12); the answer is unchanged."""
    order: list[object] = []

    class Recorded(Status):
        def paths(self) -> set[str] | None:
            order.append("status read")
            return super().paths()

    with Recorded(pull_request.path) as status:
        changes = changed_skills(pull_request.path, "upstream", "skills", status,
                                 meanwhile=lambda part: order.append(_answer(part)))
    assert order == [([], ["alpha"], []), "status read"]
    assert _answer(changes) == (["golf"], ["alpha", "bravo", "charlie"], ["delta"])


def test_a_skills_folder_untracked_as_a_whole(make_repo, engine) -> None:
    """git shows an untracked folder as itself, not its files: every skill in it is new."""
    b = make_repo([{"README.md": "no skills yet\n"}])
    write_files(b.path, {"catalog/skills/alpha/SKILL.md": skill_md("alpha"),
                         "catalog/skills/bravo/refs/notes.md": "notes\n"})
    (b.path / "catalog/skills/empty").mkdir()  # nothing in it: no skill
    assert _answer(changed_skills(b.path, "HEAD", "catalog/skills")) == (["alpha", "bravo"], [], [])


def test_git_status_uses_the_repository_untracked_cache(make_repo, tmp_path, monkeypatch) -> None:
    """Status runs as plain `git status` does: a pathspec or --untracked-files=all makes git skip
    the untracked cache (issue 12). git's trace2 counts the cache's nodes only when it uses it."""
    b = make_repo([{"skills/alpha/SKILL.md": skill_md("alpha")}])
    subprocess.run(["git", "-C", str(b.path), "config", "core.untrackedCache", "true"], check=True)
    write_files(b.path, {"skills/bravo/SKILL.md": skill_md("bravo")})
    trace = tmp_path / "trace2.txt"
    monkeypatch.setenv("GIT_TRACE2_PERF", str(trace))
    assert _answer(changed_skills(b.path, "HEAD", "skills")) == (["bravo"], [], [])
    assert "node-creation" in trace.read_text()


def test_skills_at_the_top_level(make_repo, engine) -> None:
    """skills_dir = "": every top-level folder is a skill; a changed top-level file is none."""
    b = make_repo([{"alpha/SKILL.md": skill_md("alpha"), "bravo/SKILL.md": skill_md("bravo"),
                    "README.md": "one\n"}])
    base = str(b.repo.head.target)
    b.commit({"alpha/SKILL.md": skill_md("alpha", body="new\n"), "README.md": "two\n",
              "charlie/SKILL.md": skill_md("charlie")})
    assert _answer(changed_skills(b.path, base, "")) == (["charlie"], ["alpha"], [])


def test_a_file_that_became_a_folder_and_back(make_repo, engine) -> None:
    b = make_repo([{"skills/alpha/SKILL.md": skill_md("alpha"), "skills/notes": "a file\n"}])
    base = str(b.repo.head.target)
    b.commit({"skills/notes": None, "skills/notes/SKILL.md": skill_md("notes"), "skills/alpha": None})
    b.commit({"skills/alpha": "now a file\n"})
    assert _answer(changed_skills(b.path, base, "skills")) == (["notes"], [], ["alpha"])


def test_histories_with_nothing_in_common(make_repo, engine) -> None:
    """No merge base: the changes are from the revision itself, as `git diff REV HEAD`."""
    b = make_repo([{"skills/alpha/SKILL.md": skill_md("alpha"), "skills/bravo/SKILL.md": skill_md("bravo")}])
    other = b.commit({"skills/alpha/SKILL.md": skill_md("alpha", body="elsewhere\n"),
                      "skills/bravo": None}, parents=[], ref="refs/heads/other")
    b.repo.checkout("refs/heads/main", strategy=pygit2.GIT_CHECKOUT_FORCE)
    changes = changed_skills(b.path, "other", "skills")
    assert _answer(changes) == (["bravo"], ["alpha"], [])
    assert changes.base == other


def test_a_branch_with_no_commit_yet(make_repo, engine) -> None:
    """HEAD unborn (a new orphan branch): every skill at the base is touched."""
    b = make_repo([{f"skills/{n}/SKILL.md": skill_md(n) for n in SKILLS[:3]}])
    b.repo.references.create("HEAD", "refs/heads/fresh", force=True)
    b.repo.index.clear()  # nothing staged: only the base knows charlie was there
    b.repo.index.write()
    shutil.rmtree(b.path / "skills" / "charlie")
    assert _answer(changed_skills(b.path, "main", "skills")) == ([], ["alpha", "bravo"], ["charlie"])


@pytest.mark.parametrize("rev", ["no-such-branch", "--all", "HEAD^{tree}"])
def test_a_revision_that_names_no_commit(make_repo, engine, rev: str) -> None:
    b = make_repo([{"skills/alpha/SKILL.md": skill_md("alpha")}])
    with pytest.raises(RevisionError, match="unknown revision"):
        changed_skills(b.path, rev, "skills")


def test_nothing_changed(make_repo, engine) -> None:
    b = make_repo([{f"skills/{n}/SKILL.md": skill_md(n) for n in SKILLS}])
    assert _answer(changed_skills(b.path, "HEAD", "skills")) == ([], [], [])

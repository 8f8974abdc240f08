"""`--changed-since`: which skills a pull request touched, committed or not."""

from __future__ import annotations

import shutil

import pygit2
import pytest

from registry.changes import changed_skills

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


def test_committed_staged_unstaged_untracked_and_removed(pull_request) -> None:
    changes = changed_skills(pull_request.repo, "upstream", "skills")
    assert _answer(changes) == (["golf"], ["alpha", "bravo", "charlie"], ["delta"])
    assert changes.base == str(pull_request.repo.merge_base(
        pull_request.repo.revparse_single("upstream").id, pull_request.repo.head.target))


def test_same_answer_without_a_git_executable(pull_request, monkeypatch) -> None:
    """Where only libgit2 is available, its status gives the uncommitted part."""
    monkeypatch.setenv("PATH", "")
    changes = changed_skills(pull_request.repo, "upstream", "skills")
    assert _answer(changes) == (["golf"], ["alpha", "bravo", "charlie"], ["delta"])


def test_nothing_changed(make_repo) -> None:
    b = make_repo([{f"skills/{n}/SKILL.md": skill_md(n) for n in SKILLS}])
    assert _answer(changed_skills(b.repo, "HEAD", "skills")) == ([], [], [])

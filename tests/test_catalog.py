"""The catalog at a revision and in the working tree; resolving and diffing versions."""

from __future__ import annotations

import pytest

from registry.catalog import Registry
from registry.errors import SkillNotFound, VersionNotFound

from .conftest import skill_md


@pytest.fixture
def history(make_repo):
    b = make_repo()
    b.commit({"skills/alpha/SKILL.md": skill_md("alpha", version="1.0.0"),
              "skills/beta/SKILL.md": skill_md("beta")}, "add alpha and beta")
    b.tag("alpha@1.0.0")
    b.commit({"skills/alpha/SKILL.md": skill_md("alpha", body="# Steps\n\n1. Better.\n",
                                                  version="1.1.0"),
              "skills/alpha/scripts/go.py": "print('go')\n"}, "alpha: better steps")
    b.commit({"skills/broken/SKILL.md": "no frontmatter\n"}, "add a broken skill")
    return b


def test_catalog_at_the_main_branch(history) -> None:
    registry = Registry(history.path)
    catalog = registry.catalog()
    assert [s.name for s in catalog] == ["alpha", "beta"]
    assert catalog.broken == ["broken"]
    alpha = catalog.get("alpha")
    assert len(alpha.versions) == 2 and alpha.tree_id == alpha.latest.tree_id
    assert [f.path for f in alpha.files] == ["SKILL.md", "scripts/go.py"]
    assert alpha.metadata["owner"] == "qa-guild" and alpha.tags == ["test"]
    assert alpha.raw_frontmatter.startswith("name: alpha\n")


def test_catalog_at_an_older_revision(history) -> None:
    registry = Registry(history.path)
    old = registry.catalog("HEAD~2")
    assert [f.path for f in old.get("alpha").files] == ["SKILL.md"]
    assert len(old.get("alpha").versions) == 1


def test_working_tree_catalog_sees_uncommitted_changes(history) -> None:
    (history.path / "skills/gamma").mkdir()
    (history.path / "skills/gamma/SKILL.md").write_text(skill_md("gamma"))
    catalog = Registry(history.path).working_catalog()
    assert "gamma" in catalog.skills and catalog.get("gamma").versions == []


def test_resolve_versions_by_every_kind_of_spec(history) -> None:
    registry = Registry(history.path)
    first, second = registry.versions("alpha")
    assert registry.resolve_version("alpha") == second
    assert registry.resolve_version("alpha", "1.0.0") == first  # release tag
    assert registry.resolve_version("alpha", "alpha@1.0.0") == first
    assert registry.resolve_version("alpha", "1.1.0") == second  # metadata.version
    assert registry.resolve_version("alpha", first.tree_id[:8]) == first  # tree prefix
    assert registry.resolve_version("alpha", second.commit_id) == second  # commit
    head_commit = str(history.repo.head.target)  # a later commit: alpha unchanged there
    assert registry.resolve_version("alpha", head_commit[:10]) == second
    with pytest.raises(VersionNotFound, match="alpha has no version '9.9.9'") as missing:
        registry.resolve_version("alpha", "9.9.9")
    assert missing.value.skill == "alpha" and "relay" not in str(missing.value)
    with pytest.raises(SkillNotFound, match="did you mean alpha"):
        registry.versions("alpah")


def test_read_any_file_at_any_version(history) -> None:
    registry = Registry(history.path)
    first, second = registry.versions("alpha")
    assert b"Better" not in registry.tree(first).read("SKILL.md")
    assert registry.tree(second).read("scripts/go.py") == b"print('go')\n"
    with pytest.raises(FileNotFoundError):
        registry.tree(first).read("scripts/go.py")


def test_diff_between_versions(history) -> None:
    text = Registry(history.path).diff("alpha", "1.0.0", "1.1.0")
    assert "--- a/alpha/SKILL.md" in text and "+1. Better." in text
    assert "--- /dev/null\n+++ b/alpha/scripts/go.py" in text


def test_diff_of_a_file_without_a_final_newline(make_repo) -> None:
    """git's own patch format: the marker follows each side, never `-old+new` on one line."""
    b = make_repo([{"skills/a/SKILL.md": skill_md("a"), "skills/a/notes.txt": "one\nold"},
                   {"skills/a/notes.txt": "one\nnew"}])
    first, second = Registry(b.path).versions("a")
    text = Registry(b.path).diff("a", first.tree_id, second.tree_id)
    assert text.endswith("-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n")
    assert "--- a/a/notes.txt\n+++ b/a/notes.txt\n" in text

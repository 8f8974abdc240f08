"""The real catalog in skills/: valid, owned, tagged, with bundled files that work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from registry.catalog import Registry
from registry.validate import validate_paths

ROOT = Path(__file__).parent.parent
SKILLS = sorted(p for p in (ROOT / "skills").iterdir() if p.is_dir())
SCRIPTS = sorted((ROOT / "skills").glob("*/scripts/*.py"))


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    """The checkout's own registry, its version cache in a tmp dir (not the checkout's .git)."""
    return Registry(ROOT, index_path=tmp_path_factory.mktemp("index") / "versions.sqlite3")


def test_the_catalog_validates_without_errors_or_warnings(in_dir) -> None:
    in_dir(ROOT)
    report = validate_paths([ROOT / "skills"])
    assert report.diagnostics == []
    assert len(report.skills) >= 10


@pytest.mark.parametrize("folder", SKILLS, ids=lambda p: p.name)
def test_each_skill_is_owned_categorised_and_tagged(folder: Path, registry: Registry) -> None:
    skill = registry.working_catalog().get(folder.name)
    assert skill.metadata.get("owner")
    assert skill.metadata.get("category")
    assert len(skill.tags) >= 2
    assert skill.body.count("\n") > 60, "a skill must be substantive"


def test_at_least_four_skills_bundle_files() -> None:
    bundled = [p for p in SKILLS if any(f.is_file() and f.name != "SKILL.md" for f in p.rglob("*"))]
    assert len(bundled) >= 4
    assert len(SCRIPTS) >= 2


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_bundled_scripts_run(script: Path) -> None:
    proc = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "usage:" in proc.stdout.lower()


def test_sql_lint_finds_problems(tmp_path: Path) -> None:
    script = ROOT / "skills/sql-query-review/scripts/sql_lint.py"
    sql = tmp_path / "q.sql"
    sql.write_text("SELECT * FROM orders;\nDELETE FROM users;\n")
    proc = subprocess.run([sys.executable, str(script), str(sql)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1
    assert "1:" in proc.stdout and "2:" in proc.stdout


def test_commit_message_checker(tmp_path: Path) -> None:
    script = ROOT / "skills/commit-message/scripts/check_commit_msg.py"
    good = tmp_path / "good.txt"
    good.write_text("fix(billing): round totals half-even\n\nInvoices were off by a cent.\n")
    bad = tmp_path / "bad.txt"
    bad.write_text("Fixed the bug in billing code.\nmore text\n")
    run = [sys.executable, str(script)]
    assert subprocess.run([*run, str(good)], capture_output=True, timeout=60).returncode == 0
    assert subprocess.run([*run, str(bad)], capture_output=True, timeout=60).returncode == 1


def test_several_skills_have_more_than_one_version(registry: Registry) -> None:
    shallow = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT,
                             capture_output=True, text=True).stdout.strip()
    if shallow == "true":
        pytest.skip("a shallow clone has no history; run `git fetch --unshallow`")
    versions = registry.all_versions()
    assert sum(1 for vs in versions.values() if len(vs) > 1) >= 3

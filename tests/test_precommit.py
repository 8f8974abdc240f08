"""pre-commit, for real: staged skills are validated before a commit is made."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pre_commit.clientlib import load_config, load_manifest

from .conftest import skill_md

ROOT = Path(__file__).parent.parent
BIN = Path(sys.executable).parent


def test_hook_manifest_and_config_are_valid() -> None:
    hooks = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert [h["id"] for h in hooks] == ["relay-validate"]
    assert hooks[0]["entry"] == "relay validate" and hooks[0]["files"] == "^skills/"
    config = load_config(str(ROOT / ".pre-commit-config.yaml"))
    assert config["repos"][0]["hooks"][0]["entry"] == ".venv/bin/relay validate"


@pytest.fixture
def contributor(make_repo, tmp_path: Path):
    """A clone with pre-commit installed, as CONTRIBUTING.md describes."""
    b = make_repo([{"skills/alpha/SKILL.md": skill_md("alpha"),
                    ".pre-commit-config.yaml": (ROOT / ".pre-commit-config.yaml").read_text()}])
    venv = b.path / ".venv/bin"
    venv.mkdir(parents=True)
    for tool in ("relay", "ruff"):
        os.symlink(shutil.which(tool) or BIN / tool, venv / tool)
    (b.path / ".git/info/exclude").write_text(".venv/\n")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
           "GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "ada@example.com",
           "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "ada@example.com",
           "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run([str(BIN / "pre-commit"), "install"], cwd=b.path, env=env, check=True,
                   capture_output=True, timeout=120)
    return b, env


def git(path: Path, env: dict, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=path, env=env, capture_output=True, text=True,
                          timeout=120)


def test_commit_with_a_broken_frontmatter_is_stopped_with_a_line_number(contributor) -> None:
    b, env = contributor
    folder = b.path / "skills/beta"
    folder.mkdir()
    (folder / "SKILL.md").write_text(skill_md("beta").replace("license: Apache-2.0\n",
                                                             "license: Apache-2.0\nowner: me\n"))
    git(b.path, env, "add", "skills/beta")
    proc = git(b.path, env, "commit", "-m", "Add beta")
    assert proc.returncode != 0
    output = proc.stdout + proc.stderr
    assert "skills/beta/SKILL.md:5:1: SK106 `owner` is not allowed" in output
    assert "hint:" in output
    assert git(b.path, env, "log", "--format=%s").stdout.split("\n")[0] != "Add beta"


def test_only_staged_skills_are_checked(contributor) -> None:
    b, env = contributor
    broken = b.path / "skills/wip"
    broken.mkdir()
    (broken / "SKILL.md").write_text("not a skill yet\n")  # untracked, not staged
    (b.path / "skills/alpha/SKILL.md").write_text(skill_md("alpha", body="Better steps.\n"))
    git(b.path, env, "add", "skills/alpha")
    proc = git(b.path, env, "commit", "-m", "Improve alpha")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "relay validate (staged skills)" in proc.stdout + proc.stderr

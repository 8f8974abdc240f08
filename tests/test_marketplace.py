"""The skills repository as a Claude Code marketplace: written by Relay, checked by validate,
and installed by the real `claude` CLI (npm, pinned) with HOME in a tmp dir and no network.

`/plugin marketplace add OWNER/REPO` clones https://github.com/OWNER/REPO.git; the tmp HOME's
git config rewrites that URL to a bare clone of the test repository (`url.<x>.insteadOf`), so
the CLI runs its real git path offline.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.cli import main
from tests.conftest import RepoBuilder, skill_md

ROOT = Path(__file__).resolve().parents[1]
CLAUDE = ROOT / "node_modules" / ".bin" / "claude"
SKILLS = {
    "skills/alpha/SKILL.md": skill_md("alpha", "Reviews alpha code. Use for alpha.", version="1.2.0",
                                      owner="platform-team", category="engineering", tags="review, code"),
    "skills/alpha/references/guide.md": "# Guide\n",
    "skills/alpha/scripts/run.py": "print('hi')\n",
    "skills/beta/SKILL.md": skill_md("beta", "Writes beta notes. Use at release."),
}


def _in(repo: RepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo.path)


def test_marketplace_entries_come_from_the_frontmatter(make_repo: Callable[..., RepoBuilder],
                                                       runner: CliRunner,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo([SKILLS])
    _in(repo, monkeypatch)
    written = runner.invoke(main, ["marketplace", "--write"])
    assert written.exit_code == 0, written.output
    data = json.loads((repo.path / ".claude-plugin/marketplace.json").read_text())
    assert data["name"] == "relay-skills" and data["owner"] == {"name": "Relay"}
    assert data["plugins"][0] == {
        "name": "alpha", "source": "./skills/alpha", "description": "Reviews alpha code. Use for alpha.",
        "version": "1.2.0", "author": {"name": "platform-team"}, "category": "engineering",
        "tags": ["review", "code"], "strict": False, "skills": ["./"]}
    assert [p["name"] for p in data["plugins"]] == ["alpha", "beta"] and "version" not in data["plugins"][1]
    assert runner.invoke(main, ["marketplace", "--check"]).exit_code == 0
    assert runner.invoke(main, ["validate"]).exit_code == 0


def test_validate_fails_when_the_committed_file_is_stale(make_repo: Callable[..., RepoBuilder],
                                                         runner: CliRunner,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    repo = make_repo([SKILLS])
    _in(repo, monkeypatch)
    runner.invoke(main, ["marketplace", "--write"])
    repo.commit({"skills/gamma/SKILL.md": skill_md("gamma", "Plans gamma tests.")}, "add gamma")
    stale = runner.invoke(main, ["validate"])
    assert stale.exit_code == 1 and "SK504" in stale.output and "relay marketplace --write" in stale.output
    assert runner.invoke(main, ["marketplace", "--check"]).exit_code == 1
    assert runner.invoke(main, ["marketplace", "--write"]).output.startswith("wrote")
    assert runner.invoke(main, ["validate"]).exit_code == 0
    (repo.path / "skills/beta/SKILL.md").write_text(skill_md("beta", "Now says something else."))
    assert "SK504" in runner.invoke(main, ["validate"]).output


def test_entries_relay_does_not_own_are_kept(make_repo: Callable[..., RepoBuilder], runner: CliRunner,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    own = {"name": "acme", "owner": {"name": "Acme"}, "plugins": [
        {"name": "tools", "source": {"source": "github", "repo": "acme/tools"}},
        {"name": "old", "source": "./skills/old", "description": "gone"}]}
    repo = make_repo([{**SKILLS, ".claude-plugin/marketplace.json": json.dumps(own)}])
    _in(repo, monkeypatch)
    runner.invoke(main, ["marketplace", "--write"])
    data = json.loads((repo.path / ".claude-plugin/marketplace.json").read_text())
    assert data["name"] == "acme" and data["owner"] == {"name": "Acme"}
    assert [p["name"] for p in data["plugins"]] == ["alpha", "beta", "tools"]


def test_this_repository_commits_a_fresh_marketplace(runner: CliRunner,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(main, ["marketplace", "--check"])
    assert result.exit_code == 0, result.output


# -- the real claude CLI ----------------------------------------------------------------------


def claude(home: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    if not CLAUDE.exists():
        message = "node_modules/.bin/claude is missing: run `make install` (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "CLAUDE_"))}
    env.update(HOME=str(home), DISABLE_TELEMETRY="1", DISABLE_AUTOUPDATER="1", NO_COLOR="1",
               CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1", GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run([str(CLAUDE), *args], capture_output=True, text=True, timeout=180, env=env,
                          cwd=cwd)


def files_under(root: Path) -> set[str]:
    # `.in_use` is Claude Code's own marker that a session uses the cached plugin.
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != ".in_use"}


def test_claude_installs_one_skill_per_plugin_from_the_git_repository(
        make_repo: Callable[..., RepoBuilder], runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    repo = make_repo([SKILLS])
    _in(repo, monkeypatch)
    runner.invoke(main, ["marketplace", "--write"])
    repo.commit({}, "marketplace")
    bare = tmp_path / "skills.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(bare)], check=True)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(f'[url "file://{bare}"]\n\tinsteadOf = https://github.com/acme/skills.git\n')

    checked = claude(home, "plugin", "validate", "--strict", str(repo.path), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    added = claude(home, "plugin", "marketplace", "add", "acme/skills", cwd=tmp_path)
    assert added.returncode == 0, added.stdout + added.stderr
    installed = claude(home, "plugin", "install", "alpha@relay-skills", cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    cache = home / ".claude" / "plugins" / "cache" / "relay-skills"
    assert sorted(p.name for p in cache.iterdir()) == ["alpha"]
    (folder,) = list((cache / "alpha").iterdir())  # one version folder
    assert folder.name == "1.2.0"
    assert files_under(folder) == {"SKILL.md", "references/guide.md", "scripts/run.py"}
    assert (folder / "SKILL.md").read_text() == SKILLS["skills/alpha/SKILL.md"]
    details = claude(home, "plugin", "details", "alpha@relay-skills", cwd=tmp_path)
    assert "Skills (1)" in details.stdout and "alpha" in details.stdout, details.stdout + details.stderr


def test_claude_validates_this_repository_strictly(tmp_path: Path) -> None:
    checked = claude(tmp_path, "plugin", "validate", "--strict", str(ROOT), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr

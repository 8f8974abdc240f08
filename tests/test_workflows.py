"""The CI workflows, driven for real: the same `run:` steps, in order, on a scratch repository.

Each test reads `.github/workflows/validate.yml`, keeps the steps that run for
the event (pull request or push), and runs them with bash in a tmp git
repository whose `.venv/bin/relay` is this installation's `relay`. What is
tested is what runs in CI.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pygit2
import pytest
import yaml

from registry.catalog import Registry
from registry.ci import codeowners

from .conftest import skill_md

ROOT = Path(__file__).parent.parent
WORKFLOW = yaml.safe_load((ROOT / ".github/workflows/validate.yml").read_text())
CONDITIONS = {
    "github.event_name == 'pull_request'": "pull_request",
    "github.event_name == 'push'": "push",
}
SKIPPED = {"make install"}  # this test's repository links the installed relay instead


def relay_bin() -> str:
    return shutil.which("relay") or str(Path(sys.executable).parent / "relay")


def steps_for(event: str) -> list[str]:
    """The `run:` commands of the validate job that GitHub would run for `event`."""
    commands = []
    for step in WORKFLOW["jobs"]["validate"]["steps"]:
        if "run" not in step or step["run"].strip() in SKIPPED:
            continue
        condition = step.get("if")
        if condition is not None:
            assert condition in CONDITIONS, f"teach this test the condition {condition!r}"
            if CONDITIONS[condition] != event:
                continue
        commands.append(step["run"])
    return commands


class Workflow:
    """Runs the workflow's steps in a repository and keeps what they printed."""

    def __init__(self, repo_path: Path, tmp_path: Path) -> None:
        self.path = repo_path
        self.summary = tmp_path / "summary.md"
        venv = repo_path / ".venv" / "bin"
        venv.mkdir(parents=True, exist_ok=True)
        os.symlink(relay_bin(), venv / "relay")
        (repo_path / ".git/info/exclude").write_text(".venv/\nrelay.sarif\n")

    def run(self, event: str, base: str) -> list[subprocess.CompletedProcess[str]]:
        env = {**os.environ, "BASE_SHA": base, "GITHUB_STEP_SUMMARY": str(self.summary),
               "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event}
        self.summary.write_text("")
        results = []
        for command in steps_for(event):
            proc = subprocess.run(["bash", "-e", "-c", command], cwd=self.path, env=env,
                                  capture_output=True, text=True, timeout=120)
            results.append(proc)
            if proc.returncode != 0:
                break  # GitHub stops the job at the first failing step
        return results


@pytest.fixture
def origin(make_repo):
    """A catalog on main with two skills, one with two versions."""
    b = make_repo([{"skills/alpha/SKILL.md": skill_md("alpha"),
                    "skills/beta/SKILL.md": skill_md("beta")},
                   {"skills/alpha/SKILL.md": skill_md("alpha", body="Improved steps.\n")}])
    return b


def branch(b, name: str, start: str) -> None:
    b.repo.branches.local.create(name, b.repo[start].peel(pygit2.Commit))
    b.repo.checkout(f"refs/heads/{name}")


def test_steps_are_relay_commands_only() -> None:
    for event in ("pull_request", "push"):
        for command in steps_for(event):
            assert command.startswith(".venv/bin/relay "), command


def test_pull_request_adding_a_skill(origin, tmp_path: Path) -> None:
    base = str(origin.repo.head.target)
    branch(origin, "add-gamma", base)
    origin.commit({"skills/gamma/SKILL.md": skill_md("gamma")}, "Add gamma")
    results = Workflow(origin.path, tmp_path).run("pull_request", base)
    assert [r.returncode for r in results] == [0, 0]
    assert "keeps every version" in results[0].stdout
    assert results[1].stdout.strip().endswith("OK: 1 skill checked, 0 errors, 0 warnings")
    summary = (tmp_path / "summary.md").read_text()
    tree_id = str(origin.repo.head.peel(pygit2.Commit).tree["skills/gamma"].id)
    assert "1 added, 0 changed, 0 removed" in summary
    assert f"| `gamma` | added | `{tree_id[:12]}` | 0 | 0 |" in summary
    assert (origin.path / "relay.sarif").is_file()


def test_pull_request_breaking_a_skill(origin, tmp_path: Path) -> None:
    base = str(origin.repo.head.target)
    branch(origin, "break-beta", base)
    broken = skill_md("beta").replace("description: Does a thing. Use when testing.\n", "")
    origin.commit({"skills/beta/SKILL.md": broken, "skills/alpha/SKILL.md": None},
                  "Break beta, remove alpha")
    results = Workflow(origin.path, tmp_path).run("pull_request", base)
    assert [r.returncode for r in results] == [0, 1]
    annotations = [line for line in results[1].stdout.splitlines() if line.startswith("::")]
    assert annotations == [
        "::error file=skills/beta/SKILL.md,line=2,col=1,title=SK104 missing-description::"
        "required field `description` is missing%0Ahint: Add a `description` saying what the "
        "skill does and when to use it."
    ]
    summary = (tmp_path / "summary.md").read_text()
    assert "## Relay: skill validation failed" in summary
    assert "0 added, 1 changed, 1 removed" in summary
    assert "| `beta` | changed |" in summary and "| 1 | 0 |" in summary
    assert "| `alpha` | removed | — | 0 | 0 |" in summary


def test_pull_request_rewriting_history(origin, tmp_path: Path) -> None:
    base = str(origin.repo.head.target)
    # Rewrite: start from main's parent and re-commit alpha's change differently.
    branch(origin, "rewrite", str(origin.repo.revparse_single("HEAD~1").id))
    origin.commit({"skills/alpha/SKILL.md": skill_md("alpha", body="Rewritten.\n")}, "Amended")
    results = Workflow(origin.path, tmp_path).run("pull_request", base)
    assert [r.returncode for r in results] == [1]
    errors = [line for line in results[0].stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 2
    assert "the history was rewritten" in errors[0]
    assert re.search(r"version [0-9a-f]{12} of alpha .* is published but missing", errors[1])


def test_push_to_main_validates_the_whole_catalog(origin, tmp_path: Path) -> None:
    before = str(origin.repo.head.target)
    origin.commit({"skills/beta/SKILL.md": skill_md("beta", body="Better.\n")}, "Improve beta")
    results = Workflow(origin.path, tmp_path).run("push", before)
    assert [r.returncode for r in results] == [0, 0]
    assert "OK: 2 skills checked" in results[1].stdout
    assert "Whole catalog: 2 skills." in (tmp_path / "summary.md").read_text()


def test_force_push_to_main_is_refused(origin, tmp_path: Path) -> None:
    before = str(origin.repo.head.target)
    origin.repo.references["refs/heads/main"].set_target(origin.repo.revparse_single("HEAD~1").id)
    origin.commit({"skills/beta/SKILL.md": skill_md("beta", body="Force.\n")}, "Force-pushed")
    # After a force push the old tip is unreachable; CI's fresh clone does not have it at all.
    gone = "f" * 40
    results = Workflow(origin.path, tmp_path).run("push", gone)
    assert [r.returncode for r in results] == [1]
    assert "is not in the repository" in results[0].stdout
    # The same check when the old tip is still present (a local clone that saw it).
    proc = subprocess.run([relay_bin(), "check-history", "--base", before], cwd=origin.path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stderr.startswith("Error: ") and "does not contain" in proc.stderr


def test_new_branch_push_has_nothing_to_compare(origin, tmp_path: Path) -> None:
    results = Workflow(origin.path, tmp_path).run("push", "0" * 40)
    assert [r.returncode for r in results] == [0, 0]
    assert "nothing to compare" in results[0].stdout


def test_codeowners_example_is_in_sync_with_the_catalog(tmp_path: Path) -> None:
    # The version cache goes to tmp_path: tests never write into the checkout's .git.
    text = codeowners(Registry(ROOT, index_path=tmp_path / "versions.sqlite3"), "your-org")
    assert (ROOT / ".github/CODEOWNERS.example").read_text() == text
    assert "/skills/code-review/ @your-org/dev-experience" in text


def test_relay_codeowners_prints_one_line_per_skill(make_repo) -> None:
    repo = make_repo([{"skills/alpha/SKILL.md": skill_md("alpha", owner="platform-team"),
                       "skills/beta/SKILL.md": skill_md("beta", owner="data-eng")}])
    proc = subprocess.run([relay_bin(), "codeowners", "--org", "acme"], cwd=repo.path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line and not line.startswith("#")]
    assert lines == ["/skills/alpha/ @acme/platform-team", "/skills/beta/ @acme/data-eng"]

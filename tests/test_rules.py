"""Every rule, on the corpus of broken skills (tests/corpus) and on built repositories."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pygit2
import pytest

from registry.config import Config, Limits
from registry.model import Severity
from registry.rules import RULES
from registry.tree import GitTree
from registry.validate import validate_paths, validate_skill

from .conftest import Symlink, skill_md, write_files

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
# Rules that need a repository or custom limits; each is tested below (SK313 in test_hostile.py).
TESTED_HERE = {"SK306", "SK307", "SK308", "SK312", "SK313", "SK501", "SK502", "SK503",
               "SK504"}  # SK504: tests/test_marketplace.py


def codes_and_lines(report) -> list[str]:
    return sorted(f"{d.code}:{d.line}" for d in report.diagnostics)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_corpus_case_reports_exactly_the_expected_codes_and_lines(case: str, in_dir) -> None:
    in_dir(CORPUS.parent.parent)
    report = validate_paths([CORPUS / case], jobs=1)
    assert codes_and_lines(report) == sorted(EXPECTED[case]["expect"])
    for d in report.diagnostics:
        assert d.path.startswith(f"tests/corpus/{case}/")
        assert d.message and d.hint, d
        assert d.line >= 1 and d.column >= 1


def test_every_rule_is_exercised() -> None:
    in_corpus = {e.split(":")[0] for case in EXPECTED.values() for e in case["expect"]}
    skill_rules = {code for code in RULES if code.startswith("SK")}  # kinds: tests/test_kinds.py
    assert in_corpus | TESTED_HERE == skill_rules


def test_corpus_folders_all_have_expectations() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders == set(EXPECTED)


def _skill(tmp_path: Path, name: str, files: dict | None = None) -> Path:
    write_files(tmp_path / "skills" / name, {"SKILL.md": skill_md(name), **(files or {})})
    return tmp_path / "skills" / name


def test_valid_skill_has_no_diagnostics(tmp_path: Path, in_dir) -> None:
    _skill(tmp_path, "fine", {"references/a.md": "See [back](../SKILL.md)\n",
                              "assets/x.json": "{}", "assets/y.yaml": "a: 1\n",
                              "scripts/s.py": "print('ok')\n"})
    in_dir(tmp_path)
    report = validate_paths([tmp_path / "skills"], jobs=1)
    assert report.diagnostics == []
    assert report.skills == ["skills/fine"]


def test_limits_come_from_relay_toml(tmp_path: Path, in_dir) -> None:
    (tmp_path / "relay.toml").write_text(
        "[limits]\nmax_files = 3\nmax_skill_bytes = 1600\nmax_file_bytes = 1000\n")
    _skill(tmp_path, "big", {"a.txt": "x" * 1500, "b.txt": "y", "c.txt": "z"})
    in_dir(tmp_path)
    report = validate_paths([tmp_path / "skills/big"], jobs=1)
    found = {(d.code, d.path) for d in report.diagnostics}
    assert ("SK306", "skills/big/SKILL.md") in found
    assert ("SK307", "skills/big/SKILL.md") in found
    assert ("SK308", "skills/big/a.txt") in found


def test_default_limits_are_the_spec_limits() -> None:
    limits = Limits()
    assert (limits.max_files, limits.max_skill_bytes) == (512, 16 * 1024 * 1024)


def test_duplicate_names_and_case_collisions(tmp_path: Path, in_dir) -> None:
    _skill(tmp_path, "alpha")
    write_files(tmp_path / "skills/alpha-copy", {"SKILL.md": skill_md("alpha")})
    _skill(tmp_path, "Beta")
    _skill(tmp_path, "beta")
    write_files(tmp_path / "skills", {"notes.txt": "stray\n", "README.md": "# Skills\n"})
    in_dir(tmp_path)
    report = validate_paths([], jobs=1)
    by_code = Counter(d.code for d in report.diagnostics)
    assert by_code["SK501"] == 2  # both alpha and alpha-copy are told
    assert by_code["SK502"] == 2
    assert by_code["SK503"] == 1  # README.md is allowed
    stray = next(d for d in report.diagnostics if d.code == "SK503")
    assert stray.path == "skills/notes.txt" and stray.severity == Severity.WARNING
    dup = next(d for d in report.diagnostics if d.code == "SK501" and "copy" in d.path)
    assert dup.line == 2 and "skills/alpha" in dup.message


def test_duplicate_name_against_an_unchecked_sibling(tmp_path: Path, in_dir) -> None:
    _skill(tmp_path, "alpha")
    write_files(tmp_path / "skills/other", {"SKILL.md": skill_md("alpha")})
    in_dir(tmp_path)
    report = validate_paths([tmp_path / "skills/other/SKILL.md"], jobs=1)
    assert {d.code for d in report.diagnostics} == {"SK103", "SK501"}


def test_submodule_in_a_committed_skill_is_refused(make_repo) -> None:
    builder = make_repo([{"skills/mod/SKILL.md": skill_md("mod")}])
    repo = builder.repo
    skill_tree = repo[repo.head.peel(pygit2.Commit).tree["skills/mod"].id]
    tb = repo.TreeBuilder(skill_tree)
    tb.insert("vendor", pygit2.Oid(hex="a" * 40), pygit2.GIT_FILEMODE_COMMIT)
    tree = repo[tb.write()]
    result = validate_skill(GitTree(repo, tree), "mod", "skills/mod", Config())
    assert [(d.code, d.path) for d in result.diagnostics] == [("SK312", "skills/mod/vendor")]


def test_secret_allow_marker_and_config(tmp_path: Path, in_dir) -> None:
    (tmp_path / "relay.toml").write_text('[secrets]\nallow = ["skills/*/references/fake.md"]\n')
    _skill(tmp_path, "keys", {
        "references/fake.md": "AKIAIOSFODNN7EXAMPLE\n",
        "scripts/x.py": 'KEY = "AKIAIOSFODNN7EXAMPLE"  # relay:allow-secret\n'
                        'token = "${TOKEN}"\npassword = "correct-horse-battery"\n',
    })
    in_dir(tmp_path)
    report = validate_paths([tmp_path / "skills/keys"], jobs=1)
    assert report.diagnostics == []


@pytest.mark.parametrize("text", [
    "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "-----BEGIN RSA PRIVATE KEY-----",
    "xoxb-123456789012-abcdefghij",
    "sk-ant-api03-" + "x7Y" * 10,
    'client_secret: "Zk3v9QpL2mXw8RtY6uNb4HsD"',
])
def test_secret_formats_are_found(tmp_path: Path, in_dir, text: str) -> None:
    _skill(tmp_path, "leaky", {"references/notes.md": f"# Notes\n\n{text}\n"})
    in_dir(tmp_path)
    report = validate_paths([tmp_path / "skills/leaky"], jobs=1)
    assert [(d.code, d.path, d.line) for d in report.diagnostics] == [
        ("SK310", "skills/leaky/references/notes.md", 3)]


@pytest.mark.parametrize("text", [
    "tls.key: |\n    -----BEGIN PRIVATE KEY-----\n    ...\n    -----END PRIVATE KEY-----",
    "-----BEGIN RSA PRIVATE KEY-----\n<your key here>\n-----END RSA PRIVATE KEY-----",
    'secret_id = "production/database/password"',
])
def test_documented_placeholders_are_not_secrets(tmp_path: Path, in_dir, text: str) -> None:
    # Shapes seen in a real marketplace's skills: a PEM armour around "...", a secret's name
    # (a path of words) assigned to a key-like name. Neither is a secret.
    _skill(tmp_path, "docs", {"references/notes.md": f"# Notes\n\n{text}\n"})
    in_dir(tmp_path)
    assert validate_paths([tmp_path / "skills/docs"], jobs=1).diagnostics == []


def test_symlink_inside_the_skill_is_fine(tmp_path: Path, in_dir) -> None:
    _skill(tmp_path, "linky", {"references/a.md": "# A\n", "references/b.md": Symlink("a.md")})
    in_dir(tmp_path)
    assert validate_paths([tmp_path / "skills/linky"], jobs=1).diagnostics == []


def test_claude_code_profile_accepts_its_keys(tmp_path: Path, in_dir) -> None:
    text = skill_md("cc").replace("license:", "argument-hint: \"[file]\"\nmodel: sonnet\nlicense:")
    write_files(tmp_path / "skills/cc", {"SKILL.md": text})
    in_dir(tmp_path)
    assert {d.code for d in validate_paths([], jobs=1).diagnostics} == {"SK106"}
    assert validate_paths([], profile="claude-code", jobs=1).diagnostics == []
    (tmp_path / "relay.toml").write_text('[relay]\nprofile = "claude-code"\n')
    assert validate_paths([], jobs=1).diagnostics == []


def test_custom_policy_schema(tmp_path: Path, in_dir) -> None:
    (tmp_path / "policy.json").write_text(
        '{"type": "object", "required": ["owner", "cost-center"]}')
    (tmp_path / "relay.toml").write_text('[policy]\nschema = "policy.json"\n')
    _skill(tmp_path, "costly")
    in_dir(tmp_path)
    report = validate_paths([], jobs=1)
    assert [d.code for d in report.diagnostics] == ["SK201"]
    assert "cost-center" in report.diagnostics[0].message


def test_parallel_and_serial_runs_agree(tmp_path: Path, in_dir) -> None:
    for i in range(70):
        name = f"s{i:03d}"
        text = skill_md(name) if i % 7 else skill_md(name).replace("license:", "bogus: 1\nlicense:")
        write_files(tmp_path / "skills" / name, {"SKILL.md": text})
    in_dir(tmp_path)
    serial = validate_paths([], jobs=1)
    parallel = validate_paths([], jobs=2)
    assert serial.diagnostics == parallel.diagnostics
    assert serial.errors == 10

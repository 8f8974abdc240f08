"""SKILL.md parsing: positions of keys, and odd input that must never raise."""

from __future__ import annotations

import pytest

from registry.skillmd import parse_skill_md

GOOD = (b"---\nname: demo\ndescription: >\n  Folded text\n  over lines. Use when testing.\n"
        b"metadata:\n  owner: team\n---\n\n# Demo\n\nBody line.\n")


def test_keys_values_and_body_positions() -> None:
    parsed = parse_skill_md(GOOD, "SKILL.md")
    assert parsed.diagnostics == []
    assert parsed.frontmatter == {"name": "demo",
                                  "description": "Folded text over lines. Use when testing.\n",
                                  "metadata": {"owner": "team"}}
    assert parsed.key_positions[("name",)] == (2, 1)
    assert parsed.value_positions[("name",)] == (2, 7)
    assert parsed.key_positions[("metadata", "owner")] == (7, 3)
    assert parsed.body_line == 10
    assert parsed.body.startswith("# Demo")
    assert parsed.raw_frontmatter.startswith("name: demo\n")


def test_crlf_is_parsed_with_a_warning() -> None:
    parsed = parse_skill_md(GOOD.replace(b"\n", b"\r\n"), "SKILL.md")
    assert [d.code for d in parsed.diagnostics] == ["SK013"]
    assert parsed.frontmatter and parsed.frontmatter["name"] == "demo"
    assert parsed.key_positions[("metadata", "owner")] == (7, 3)


def test_bom_is_reported_but_the_rest_still_parses() -> None:
    parsed = parse_skill_md(b"\xef\xbb\xbf" + GOOD, "SKILL.md")
    assert [d.code for d in parsed.diagnostics] == ["SK005"]
    assert parsed.frontmatter and parsed.frontmatter["name"] == "demo"


def test_dashes_inside_values_and_body() -> None:
    data = (b"---\nname: demo\ndescription: |\n  Use when a\n  ---\n  appears.\n---\n"
            b"Body\n\n---\n\nMore body after a rule.\n")
    parsed = parse_skill_md(data, "SKILL.md")
    assert parsed.diagnostics == []
    assert parsed.frontmatter["description"] == "Use when a\n---\nappears.\n"
    assert "More body after a rule." in parsed.body


def test_unicode_values() -> None:
    data = "---\nname: demo\ndescription: Résumé helper 履歴書. Use when writing.\n---\nB\n"
    parsed = parse_skill_md(data.encode(), "SKILL.md")
    assert parsed.frontmatter["description"].startswith("Résumé")


@pytest.mark.parametrize("data, code, line", [
    (b"", "SK004", 1),
    (b"  \n\n", "SK004", 1),
    (b"---\n---\nbody\n", "SK009", 2),
    (b"---\njust a string\n---\n", "SK009", 2),
    (b"---\nname: [unclosed\n---\n", "SK008", 2),
    (b"---\na: 1\na: 2\n---\n", "SK010", 3),
    (b"---\nmetadata:\n  k: 1\n  k: 2\n---\n", "SK010", 4),
    (b"---\nname: x\n\tdescription: y\n---\n", "SK011", 3),
    (b"---\nname: !!str x\n---\n", "SK012", 2),
    (b"name: x\n", "SK006", 1),
    (b"---\nname: x\n", "SK007", 1),
    (b"\xff\xfe---\n", "SK003", 1),
    (b"---\nname: \xc3\x28\n---\n", "SK003", 2),
])
def test_malformed_input_becomes_one_diagnostic(data: bytes, code: str, line: int) -> None:
    parsed = parse_skill_md(data, "SKILL.md")
    assert [(d.code, d.line) for d in parsed.diagnostics] == [(code, line)]


def test_deeply_nested_yaml_does_not_crash() -> None:
    data = b"---\nname: " + b"[" * 5000 + b"\n---\n"
    parsed = parse_skill_md(data, "SKILL.md")
    assert parsed.frontmatter is None and parsed.diagnostics


def test_billion_laughs_is_refused_as_non_portable() -> None:
    data = (b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a]\n"
            b"c: [*b, *b, *b, *b, *b, *b, *b]\n---\n")
    parsed = parse_skill_md(data, "SKILL.md")
    assert {d.code for d in parsed.diagnostics} == {"SK012"}

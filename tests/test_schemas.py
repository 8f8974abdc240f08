"""Relay's JSON Schemas and their validators: fastjsonschema's yes, jsonschema's account of a no."""

from __future__ import annotations

import datetime
import itertools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from registry.schemas import Validator, builtin_validator, generated_module, load_schema, same_in_draft_7
from registry.schemas.generate import OUT, expected

from .conftest import write_files

SCHEMAS = sorted(p.stem for p in (Path(__file__).parents[1] / "registry" / "schemas").glob("*.json"))
ROOT = Path(__file__).parents[1]


def _errors(validator: Any, instance: Any) -> list[tuple[str, str, str]]:
    return sorted((e.validator, "/".join(map(str, e.absolute_path)), e.message)
                  for e in validator.iter_errors(instance))


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_schema_is_valid_draft_2020_12(name: str) -> None:
    """Relay's own schemas are not checked at run time (issue 12), so here."""
    jsonschema.Draft202012Validator.check_schema(load_schema(name))


def test_the_schemas_every_skill_meets_take_the_compiled_path() -> None:
    """What the pre-commit hook checks for every skill must not need jsonschema when valid,
    nor fastjsonschema: its code was generated ahead of time (issue 12)."""
    for name in ("frontmatter.portable", "frontmatter.claude-code", "policy"):
        assert same_in_draft_7(load_schema(name)), name
        assert Validator(load_schema(name), compiled=True)._valid is not None, name
        module = (OUT / f"{generated_module(name)}.py").read_text(encoding="utf-8")
        valid = builtin_validator(name)._valid
        assert getattr(valid, "__module__", "") == f"registry.schemas.generated.{generated_module(name)}"
        assert "fastjsonschema import" not in module and f"registry/schemas/{name}.json" in module


def test_the_generated_validators_are_those_of_the_schemas_now() -> None:
    """A schema edited without `python -m registry.schemas.generate` fails here, not in use."""
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in OUT.glob("*.py") if p.name != "__init__.py"}
    wanted = expected()
    assert sorted(on_disk) == sorted(wanted), "run: .venv/bin/python -m registry.schemas.generate"
    for name, text in wanted.items():
        assert on_disk[name] == text, f"{name} is stale: run .venv/bin/python -m registry.schemas.generate"


@pytest.mark.parametrize("schema", [
    {"$ref": "#/$defs/a", "$defs": {"a": {"type": "string"}}},  # Draft 7 ignores $ref's siblings
    {"enum": [1, 2]},  # True == 1 in Python
    {"const": True},
    {"items": [{"type": "string"}]},  # a tuple in Draft 7, an error in 2020-12
    {"prefixItems": [{"type": "string"}]},
    {"properties": {"a": {"dependentRequired": {"b": ["c"]}}}},
    {"anyOf": [{"type": "string"}, {"unevaluatedProperties": False}]},
    {"format": "email"},
])
def test_schemas_that_read_differently_in_draft_7_go_to_jsonschema(schema: dict[str, Any]) -> None:
    assert not same_in_draft_7(schema)
    assert Validator(schema, compiled=True)._valid is None


def test_a_schema_from_the_repository_is_never_compiled() -> None:
    """fastjsonschema runs code made from the schema: relay.toml's policy is only read as data."""
    schema = load_schema("policy")
    assert same_in_draft_7(schema)
    assert Validator(schema)._valid is None
    assert _errors(Validator(schema), {"owner": 5}) == _errors(jsonschema.Draft202012Validator(schema),
                                                               {"owner": 5})


def _frontmatters() -> list[Any]:
    """Real frontmatters (this repository's skills and test corpus) and awkward values."""
    found: list[Any] = []
    for path in sorted([*ROOT.glob("skills/*/SKILL.md"), *ROOT.glob("tests/corpus/**/*.md")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.startswith("---\n") or "\n---" not in text[4:]:
            continue
        try:
            data = yaml.safe_load(text[4:text.index("\n---", 4)])
        except yaml.YAMLError:
            continue
        found.append(data)
    base = {"name": "a-skill", "description": "Does a thing. Use when testing.",
            "metadata": {"owner": "qa-guild", "category": "testing", "tags": "test"}}
    awkward: list[Any] = [True, False, 1, 0, 1.0, None, "", "a-skill\n", "A", "-a", "a--b", "x" * 65,
                          "d" * 1025, [], ["a"], {}, {"a": "b"}, {1: "x"}, datetime.date(2026, 1, 1),
                          "sonnet", "inherit", "Bash Read", ["Bash", "Read"]]
    keys = ["name", "description", "license", "compatibility", "metadata", "allowed-tools", "model",
            "argument-hint", "disable-model-invocation", "paths", "when_to_use", "unknown-key"]
    for key, value in itertools.product(keys, awkward):
        found.append({**base, key: value})
        found.append({**base, "metadata": {**base["metadata"], key: value}})
    for key in ("name", "description", "metadata"):
        found.append({k: v for k, v in base.items() if k != key})
    return found


@pytest.mark.parametrize("generated", [False, True], ids=["compiled-now", "generated"])
@pytest.mark.parametrize("name", ["frontmatter.portable", "frontmatter.claude-code", "policy"])
def test_the_same_errors_as_jsonschema(name: str, generated: bool) -> None:
    """Where fastjsonschema says yes, jsonschema finds nothing; where no, jsonschema's errors."""
    schema = load_schema(name)
    reference = jsonschema.Draft202012Validator(schema)
    ours = builtin_validator(name) if generated else Validator(schema, compiled=True)
    instances = _frontmatters()
    if name == "policy":
        instances = [i.get("metadata") if isinstance(i, dict) else i for i in instances]
    assert len(instances) > 500
    rejected = 0
    for instance in instances:
        expected = _errors(reference, instance)
        rejected += bool(expected)
        assert _errors(ours, instance) == expected, instance
    assert 0 < rejected < len(instances)  # both answers were exercised


def test_a_policy_schema_that_is_not_a_schema_is_one_clear_line(runner, make_repo, in_dir) -> None:
    from registry.cli import main

    from .conftest import skill_md

    b = make_repo([{"skills/good/SKILL.md": skill_md("good")}])
    write_files(b.path, {"relay.toml": '[policy]\nschema = "policy.json"\n',
                         "policy.json": json.dumps({"type": "object", "required": "owner"})})
    in_dir(b.path)
    result = runner.invoke(main, ["validate", "skills/good"])
    assert result.exit_code == 2, result.output
    assert result.output == (f"Error: {b.path / 'policy.json'}: not a valid JSON Schema (Draft 2020-12) "
                             "at required: 'owner' is not of type 'array'\n")

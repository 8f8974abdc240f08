"""The registry policy, told in words: company fields under `metadata`, checked by a JSON Schema.

The schema is Relay's default (`registry/schemas/policy.json`) or the one named
by `[policy] schema` in relay.toml. `relay validate` (SK201, SK202) and `relay
new` both ask `problems()`, so the scaffolder refuses exactly what validation
would reject. A contributor is told the allowed values of an enum, or a valid
example of a pattern (the schema's own `examples`, after its `description`),
never the regular expression: a schema with a pattern and no example is refused
when relay.toml is loaded (`require_examples`), since nobody could be told what
passes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .schemas import Validator, builtin_validator, missing_property

if TYPE_CHECKING:
    import jsonschema


@dataclass(frozen=True)
class PolicyProblem:
    """One way `metadata` breaks the policy: where (keys inside metadata), and what, in words."""

    keys: tuple[str, ...]
    message: str
    missing: bool = False  # a required field is absent (keys name it)

    @property
    def field(self) -> str:
        return ".".join(("metadata", *self.keys))


_validators: dict[int, tuple[dict[str, Any], Validator]] = {}


def _validator(schema: dict[str, Any] | None) -> Validator:
    """Relay's policy, or relay.toml's (checked against the metaschema when the settings load,
    and read by jsonschema alone: it comes from the repository, so no code is made from it)."""
    if schema is None:
        return builtin_validator("policy")
    cached = _validators.get(id(schema))
    if cached is None or cached[0] is not schema:  # the schema is kept alive with its validator
        cached = _validators[id(schema)] = (schema, Validator(schema))
    return cached[1]


def problems(metadata: dict[str, Any], schema: dict[str, Any] | None = None) -> list[PolicyProblem]:
    """Every way `metadata` breaks the policy (`schema`, default Relay's), each said in words."""
    found = []
    for error in _validator(schema).iter_errors(metadata):
        keys = tuple(str(p) for p in error.absolute_path)
        if error.validator == "required":
            name = missing_property(error)
            properties = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            about = _about(properties.get(name, {}))
            found.append(PolicyProblem((*keys, name), f"is required{about}", missing=True))
        else:
            found.append(PolicyProblem(keys, describe(error)))
    return found


def describe(error: jsonschema.ValidationError) -> str:
    """What is wrong with a value, and what would be right, without a regex."""
    value, expected, schema = error.instance, error.validator_value, error.schema
    subschema = schema if isinstance(schema, dict) else {}
    shown = _show(value)
    if error.validator == "enum":
        return f"is {shown}; allowed: {', '.join(str(v) for v in expected)}"
    if error.validator == "const":
        return f"is {shown}; it must be {_show(expected)}"
    if error.validator == "pattern":
        examples = " or ".join(f"`{e}`" for e in subschema.get("examples", [])[:3])
        example = f", e.g. {examples}" if examples else ""
        return f"is {shown}, which is not{_about(subschema, lead=' ')}{example}"
    if error.validator == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return f"is {shown}; it must be {' or '.join(_TYPES.get(str(k), str(k)) for k in kinds)}"
    if error.validator in ("minLength", "maxLength"):
        bound = "at least" if error.validator == "minLength" else "at most"
        return f"is {shown}; it must be {bound} {expected} characters long"
    if error.validator == "additionalProperties":
        allowed = sorted(subschema.get("properties", {}))
        extra = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        return (f"has {', '.join(f'`{k}`' for k in extra)}, which the policy does not allow"
                + (f"; allowed: {', '.join(allowed)}" if allowed else ""))
    if error.validator == "format":
        return f"is {shown}; it must be a valid {expected}"
    return error.message


def require_examples(schema: dict[str, Any]) -> list[str]:
    """Where a pattern lacks a matching example: `["/properties/owner: ..."]`, empty when fine."""
    out = []
    for where, subschema in _subschemas(schema, ""):
        pattern = subschema.get("pattern")
        if not isinstance(pattern, str):
            continue
        examples = subschema.get("examples")
        if not isinstance(examples, list) or not examples:
            out.append(f"{where or '/'}: a `pattern` needs `examples` (values that match it), which "
                       "contributors are shown instead of the regular expression")
            continue
        try:
            wrong = [e for e in examples if not isinstance(e, str) or not re.search(pattern, e)]
        except re.error as exc:
            out.append(f"{where or '/'}: the pattern does not compile: {exc}")
            continue
        if wrong:
            out.append(f"{where or '/'}: the examples {', '.join(map(_show, wrong))} do not match "
                       "its own pattern")
    return out


def _subschemas(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, child in node.items():
            if key not in ("examples", "enum", "const", "default"):
                yield from _subschemas(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _subschemas(child, f"{where}/{index}")


_TYPES = {"string": "text (a string)", "integer": "a whole number", "number": "a number",
          "boolean": "true or false", "array": "a list", "object": "a mapping", "null": "empty"}


def _about(subschema: Any, lead: str = ": ") -> str:
    """The field's own description, as a phrase: ': the team slug answerable for the skill'."""
    text = subschema.get("description", "") if isinstance(subschema, dict) else ""
    if not isinstance(text, str) or not text.strip():
        return " a valid value" if lead == " " else ""
    text = re.split(r"\.\s|;", text.strip(), maxsplit=1)[0].rstrip(".")  # its first clause
    return lead + text[0].lower() + text[1:]


def _show(value: Any) -> str:
    return f"'{value}'" if isinstance(value, str) else repr(value)

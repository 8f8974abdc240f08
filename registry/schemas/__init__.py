"""JSON Schemas (Draft 2020-12) shipped with Relay, loaded as package data, and their validators.

jsonschema says what is wrong with an instance (every error, its path, its
message) but takes ~50 ms to import, a third of the pre-commit hook's start,
while most instances are valid. So a `Validator` first asks fastjsonschema's
compiled code whether the instance is valid, and loads jsonschema only to
explain a rejection (issue 12). For Relay's own schemas that code is made once,
ahead of time, into the modules of `generated/` (`generate.py`), so neither
fastjsonschema nor its compiling runs at start.

fastjsonschema implements Drafts 4 to 7 (and formats of 2019-09), not 2020-12,
so it answers only for schemas written with keywords that mean the same in
both (`SAME_IN_DRAFT_7`); a schema using any other goes to jsonschema alone.
Where the two differ it must be on the strict side: fastjsonschema reads `$`
in a pattern as the end of the text, and a rejection only costs the
jsonschema run that then finds nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache, cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError

if TYPE_CHECKING:
    import jsonschema

# Keywords whose meaning is the same in Draft 7 (fastjsonschema) and Draft 2020-12
# (jsonschema), and annotations that assert nothing. Not here, among others: `$ref` (Draft 7
# ignores its siblings), `items` as a list, `dependencies`, `unevaluated*`, `prefixItems`,
# `patternProperties` and `format` (which jsonschema does not assert by default).
SAME_IN_DRAFT_7 = frozenset({
    "type", "properties", "required", "additionalProperties", "propertyNames",
    "minProperties", "maxProperties", "items", "minItems", "maxItems",
    "minLength", "maxLength", "pattern", "enum", "const",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    "$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated",
    "readOnly", "writeOnly",
})
_SUBSCHEMA = {"additionalProperties", "propertyNames", "items", "not", "if", "then", "else"}
_SUBSCHEMAS = {"allOf", "anyOf", "oneOf"}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load `registry/schemas/<name>.json` (package data: files beside this module, read
    without importlib.resources, whose import costs the hook ~5 ms)."""
    text = (Path(__file__).parent / f"{name}.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


class Validator:
    """A Draft 2020-12 validator: `iter_errors` as jsonschema's, jsonschema loaded only on failure.

    `compiled=True` is for Relay's own schemas only: fastjsonschema turns a schema into Python
    source and runs it, so a schema from the repository (relay.toml's policy, which a pull
    request can change) is never compiled; jsonschema reads it as data.
    """

    def __init__(self, schema: dict[str, Any], *, compiled: bool = False) -> None:
        self.schema = schema
        self._valid = _compiled(schema) if compiled and same_in_draft_7(schema) else None

    def iter_errors(self, instance: Any) -> Iterator[jsonschema.ValidationError]:
        if self._valid is not None:
            try:
                self._valid(instance)
                return iter(())
            except Exception:  # noqa: BLE001 - a rejection, or a value JSON has no type for
                pass  # (a YAML date, a number as a key): jsonschema says what it is
        return self._full.iter_errors(instance)

    @cached_property
    def _full(self) -> jsonschema.Draft202012Validator:
        import jsonschema

        return jsonschema.Draft202012Validator(self.schema)


@cache
def builtin_validator(name: str) -> Validator:
    """The validator of one of Relay's own schemas (tests check each against the metaschema).

    Its fastjsonschema code is the module `generate.py` wrote (tests hold each module to its
    schema); a schema that has none is compiled here, as any `compiled=True` one.
    """
    schema = load_schema(name)
    try:
        module = import_module(f"{__name__}.generated.{generated_module(name)}")
    except ModuleNotFoundError:
        return Validator(schema, compiled=True)
    validator = Validator(schema)
    validator._valid = module.validate
    return validator


def generated_module(name: str) -> str:
    """The module name under `generated/` of the schema `<name>.json`."""
    return re.sub(r"\W", "_", name)


def check_schema(schema: dict[str, Any], source: str) -> None:
    """Refuse a schema from the user (`source` says where) that is not valid Draft 2020-12."""
    import jsonschema

    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "the top level"
        raise ConfigError(f"{source}: not a valid JSON Schema (Draft 2020-12) at {where}: "
                          f"{exc.message}") from None


def same_in_draft_7(schema: Any) -> bool:
    """Whether every keyword in `schema` reads the same in Draft 7 as in Draft 2020-12."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, dict) or not set(schema) <= SAME_IN_DRAFT_7:
        return False
    if not all(isinstance(v, str) for v in [*schema.get("enum", []), schema.get("const", "")]):
        return False  # Python's == makes True equal 1 where JSON Schema does not: strings only
    return all(same_in_draft_7(sub) for key, value in schema.items() for sub in _subschemas(key, value))


def _subschemas(key: str, value: Any) -> list[Any]:
    """The schemas nested in one keyword's value (a non-schema where the value is malformed)."""
    if key == "properties":
        return list(value.values()) if isinstance(value, dict) else [None]
    if key in _SUBSCHEMAS:
        return value if isinstance(value, list) else [None]
    return [value] if key in _SUBSCHEMA else []


def _compiled(schema: dict[str, Any]) -> Callable[[Any], Any] | None:
    """fastjsonschema's validating function (raises on an invalid instance), None if it cannot."""
    import fastjsonschema

    try:
        return fastjsonschema.compile(schema, use_default=False, use_formats=False,
                                      detailed_exceptions=False)
    except Exception:  # noqa: BLE001 - e.g. a pattern Python's re reads only before `$` -> `\Z`
        return None


def missing_property(error: jsonschema.ValidationError) -> str:
    """The property a `required` error is about (jsonschema reports one error per missing name)."""
    match = re.match(r"'([^']+)' is a required property", error.message)
    return match.group(1) if match else "?"

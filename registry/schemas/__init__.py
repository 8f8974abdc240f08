"""JSON Schemas (Draft 2020-12) shipped with Relay, loaded as package data."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import jsonschema


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Load `registry/schemas/<name>.json`."""
    text = resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validator_for(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A Draft 2020-12 validator; the schema itself is checked first."""
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def missing_property(error: jsonschema.ValidationError) -> str:
    """The property a `required` error is about (jsonschema reports one error per missing name)."""
    match = re.match(r"'([^']+)' is a required property", error.message)
    return match.group(1) if match else "?"

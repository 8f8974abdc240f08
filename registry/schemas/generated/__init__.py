"""Validating code for Relay's own schemas, made by `python -m registry.schemas.generate`.

Each module here defines `validate(data)`, which returns when `data` is valid
and raises `JsonSchemaValueException` when it is not. The generated modules
import their exceptions from here rather than from fastjsonschema, so using them
loads nothing else (issue 12); what is wrong is then told by jsonschema.
"""

from __future__ import annotations

from typing import Any


class JsonSchemaValueException(ValueError):
    """The instance is not valid (fastjsonschema's own class takes the same arguments)."""

    def __init__(self, message: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(message)


JsonSchemaValuesException = JsonSchemaValueException

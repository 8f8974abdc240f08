"""Parse a JSON file and say where each value is, so JSON diagnostics carry a position.

`json` decides validity and gives the position of a syntax error. The position
of a valid document's keys and values comes from PyYAML's composer: JSON is
(nearly) a subset of YAML's flow style, and the composer marks every node. When
a document is valid JSON but not composable as YAML, positions fall back to the
first line, never to an exception.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import yaml

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Position = tuple[int, int]
Pointer = tuple[str | int, ...]


@dataclass
class JsonDoc:
    """A parsed JSON document; `error` (message, line, column) is set when it does not parse."""

    data: Any = None
    error: tuple[str, int, int] | None = None
    positions: dict[Pointer, Position] = field(default_factory=dict)

    def position(self, pointer: Pointer) -> Position:
        """Where the value at `pointer` starts, else its nearest parent's, else 1:1."""
        while pointer:
            if pointer in self.positions:
                return self.positions[pointer]
            pointer = pointer[:-1]
        return self.positions.get((), (1, 1))


def parse_json(data: bytes) -> JsonDoc:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return JsonDoc(error=(f"invalid UTF-8 at byte offset {exc.start}", line, 1))
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return JsonDoc(error=(exc.msg, exc.lineno, exc.colno))
    except RecursionError:
        return JsonDoc(error=("the document is nested too deeply", 1, 1))
    doc = JsonDoc(data=value)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return doc
    if node is not None:
        _collect(node, (), doc.positions)
    return doc


def _collect(node: yaml.Node, pointer: Pointer, out: dict[Pointer, Position]) -> None:
    out[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = str(key.value) if isinstance(key, yaml.ScalarNode) else "?"
            _collect(value, (*pointer, name), out)
            out[(*pointer, name, "")] = (key.start_mark.line + 1, key.start_mark.column + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _collect(child, (*pointer, index), out)

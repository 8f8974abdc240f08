"""Parse SKILL.md bytes into frontmatter, body and the position of every key.

python-frontmatter's YAML handler defines where the frontmatter starts and
ends (a line of three or more dashes), so a `---` inside a value never cuts
it short. PyYAML's composer (libyaml when available) gives each key's line
and column, so every diagnostic can point at a place. Nothing here raises on
bad input: problems come back as diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import frontmatter
import yaml

from .model import Diagnostic
from .rules import diagnostic

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOUNDARY = frontmatter.YAMLHandler.FM_BOUNDARY
assert _BOUNDARY is not None
BOM = "\ufeff"

Position = tuple[int, int]


@dataclass
class ParsedSkillMd:
    """The result of parsing SKILL.md; `frontmatter` is None when it could not be read."""

    path: str
    frontmatter: dict[str, Any] | None = None
    raw_frontmatter: str = ""
    body: str = ""
    body_line: int = 1
    key_positions: dict[tuple[str, ...], Position] = field(default_factory=dict)
    value_positions: dict[tuple[str, ...], Position] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def key_position(self, *keys: str) -> Position:
        """Where key path `keys` is written, falling back to its parent, then line 1."""
        while keys:
            if keys in self.key_positions:
                return self.key_positions[keys]
            keys = keys[:-1]
        return (self.frontmatter_line, 1)

    def value_position(self, *keys: str) -> Position:
        return self.value_positions.get(keys) or self.key_position(*keys)

    @property
    def frontmatter_line(self) -> int:
        return 2


def parse_skill_md(data: bytes, path: str) -> ParsedSkillMd:
    """Parse SKILL.md content; every problem is a diagnostic, never an exception."""
    result = ParsedSkillMd(path=path)
    text = _decode(data, result)
    if text is None:
        return result
    if text.startswith(BOM):
        result.diagnostics.append(diagnostic("SK005", path, 1, 1, "file starts with a UTF-8 BOM"))
        text = text[1:]
    if "\r\n" in text:
        line = text[: text.index("\r\n")].count("\n") + 1
        result.diagnostics.append(
            diagnostic("SK013", path, line, 1, "CRLF line endings (Windows style)")
        )
        text = text.replace("\r\n", "\n")
    if not text.strip():
        result.diagnostics.append(diagnostic("SK004", path, 1, 1, "SKILL.md is empty"))
        return result

    opening = _BOUNDARY.match(text)
    if not opening or not text.startswith("---"):
        result.diagnostics.append(
            diagnostic("SK006", path, 1, 1, "SKILL.md must start with a `---` frontmatter line")
        )
        return result
    closing = _BOUNDARY.search(text, opening.end())
    if closing is None:
        result.diagnostics.append(
            diagnostic("SK007", path, 1, 1, "frontmatter opened on line 1 is never closed by `---`")
        )
        return result

    fm_start = opening.end()
    if text.startswith("\n", fm_start):
        fm_start += 1  # the boundary pattern stops before the newline ending its line
    fm_text = text[fm_start : closing.start()]
    fm_first_line = text[:fm_start].count("\n") + 1
    result.raw_frontmatter = fm_text
    body_start = closing.end()
    if text.startswith("\n", body_start):
        body_start += 1
    result.body = text[body_start:]
    result.body_line = text[:body_start].count("\n") + 1
    result.frontmatter = _load_yaml(fm_text, fm_first_line, result)
    return result


def _decode(data: bytes, result: ParsedSkillMd) -> str | None:
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data[:offset].count(b"\n") + 1
        result.diagnostics.append(
            diagnostic("SK004", result.path, line, 1, "SKILL.md is binary (contains NUL bytes)")
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        result.diagnostics.append(
            diagnostic(
                "SK003", result.path, line, column,
                f"invalid UTF-8 byte 0x{data[exc.start]:02x} at byte offset {exc.start}",
            )
        )
        return None


def _load_yaml(fm_text: str, first_line: int, result: ParsedSkillMd) -> dict[str, Any] | None:
    path = result.path
    if any(ch in fm_text for ch in "&*!") and _check_portable_tokens(fm_text, first_line, result):
        # An alias re-uses a node: ten aliases of ten aliases, eight levels deep, is 10^8 values
        # for whatever walks the result (positions, JSON Schema, JSON). Aliases are already an
        # error (SK012), so the frontmatter is refused here, before anything composes or expands it.
        return None
    loader = _Loader(fm_text)
    try:
        node = loader.get_single_node()
        if node is None:
            result.diagnostics.append(
                diagnostic("SK009", path, first_line, 1, "the frontmatter is empty")
            )
            return None
        if not isinstance(node, yaml.MappingNode):
            line, col = _mark(node.start_mark, first_line)
            result.diagnostics.append(
                diagnostic("SK009", path, line, col,
                           f"the frontmatter is a YAML {_node_kind(node)}, not a mapping of keys")
            )
            return None
        _collect_positions(node, (), first_line, result)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        result.diagnostics.append(_yaml_error(exc, fm_text, first_line, path))
        return None
    except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
        result.diagnostics.append(
            diagnostic("SK008", path, first_line, 1, f"invalid YAML: {exc}")
        )
        return None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        result.diagnostics.append(diagnostic("SK009", path, first_line, 1, "not a mapping"))
        return None
    return {str(k): v for k, v in data.items()}


def _collect_positions(
    node: yaml.MappingNode, prefix: tuple[str, ...], first_line: int, result: ParsedSkillMd
) -> None:
    """Record where each key and value is, and report duplicate keys and flow style."""
    if node.flow_style:
        line, col = _mark(node.start_mark, first_line)
        result.diagnostics.append(
            diagnostic("SK012", result.path, line, col,
                       "flow-style mapping `{...}`; skills-ref and strict loaders reject it")
        )
    seen: dict[str, Position] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
        key_pos = _mark(key_node.start_mark, first_line)
        if key in seen:
            dotted = ".".join((*prefix, key))
            result.diagnostics.append(
                diagnostic("SK010", result.path, *key_pos,
                           f"key `{dotted}` is repeated (first on line {seen[key][0]})")
            )
            continue
        seen[key] = key_pos
        path = (*prefix, key)
        result.key_positions[path] = key_pos
        result.value_positions[path] = _mark(value_node.start_mark, first_line)
        if isinstance(value_node, yaml.MappingNode):
            _collect_positions(value_node, path, first_line, result)
        elif isinstance(value_node, yaml.SequenceNode) and value_node.flow_style:
            line, col = _mark(value_node.start_mark, first_line)
            result.diagnostics.append(
                diagnostic("SK012", result.path, line, col,
                           "flow-style sequence `[...]`; skills-ref and strict loaders reject it")
            )


def _check_portable_tokens(fm_text: str, first_line: int, result: ParsedSkillMd) -> bool:
    """Report anchors, aliases and explicit tags (PyYAML reads them, strict loaders do not).

    Scanning is linear in the text and expands nothing. True when an alias was found: the
    caller then refuses the frontmatter rather than compose it.
    """
    kinds = {yaml.AnchorToken: "anchor", yaml.AliasToken: "alias", yaml.TagToken: "tag"}
    aliases = 0
    try:
        for token in yaml.scan(fm_text, Loader=_Loader):
            kind = kinds.get(type(token))
            if kind:
                aliases += kind == "alias"
                line, col = _mark(token.start_mark, first_line)
                message = f"YAML {kind} `{getattr(token, 'value', '')}` is not portable"
                if kind == "alias" and aliases == 1:
                    message += "; the frontmatter is not read while it uses aliases"
                result.diagnostics.append(diagnostic("SK012", result.path, line, col, message))
    except yaml.YAMLError:
        return False  # the composer reports the syntax error with its position
    return aliases > 0


def _yaml_error(exc: yaml.MarkedYAMLError, fm_text: str, first_line: int, path: str) -> Diagnostic:
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark or exc.context_mark
    at_end = mark is not None and mark.line >= fm_text.count("\n")
    if exc.context_mark is not None and ("end of stream" in problem or at_end):
        mark = exc.context_mark  # where the unterminated construct began is what to fix
    line, col = _mark(mark, first_line) if mark else (first_line, 1)
    if mark is not None:
        lines = fm_text.split("\n")
        text_line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in text_line[: len(text_line) - len(text_line.lstrip())] or "'\\t'" in problem:
            tab_col = text_line.find("\t") + 1 if "\t" in text_line else col
            return diagnostic("SK011", path, line, tab_col, "tab character used for indentation")
    context = f" ({exc.context})" if exc.context else ""
    return diagnostic("SK008", path, line, col, f"invalid YAML: {problem}{context}")


def _mark(mark: Any, first_line: int) -> Position:
    return (first_line + mark.line, mark.column + 1)


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "list"
    return "scalar"

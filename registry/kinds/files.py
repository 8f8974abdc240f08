"""Rules every item file shares: reading it, its markdown frontmatter, its JSON syntax.

Subagents and slash commands are markdown with YAML frontmatter, parsed by the
same parser as SKILL.md (`registry.skillmd`); its findings are re-issued here
under item codes, so a SKILL.md rule code never names another kind's file.
JSON items (hooks, MCP configs, plugin and marketplace manifests) share the
JSON syntax rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..model import Diagnostic, Rule
from ..skillmd import ParsedSkillMd, parse_skill_md
from .base import E, W, make_diagnostic
from .jsondoc import JsonDoc, parse_json

if TYPE_CHECKING:
    import jsonschema

    from ..schemas import Validator

RULES = [
    Rule("IT001", "item-unreadable", E, "An item file could not be read as a regular file.",
         "Make it a regular file (not a symlink or submodule) that the checkout can read."),
    Rule("IT003", "item-invalid-utf8", E, "An item file is not valid UTF-8.",
         "Re-save the file as UTF-8."),
    Rule("IT004", "item-empty-or-binary", E, "An item file is empty or binary.",
         "Write the item as a text file; see docs/kinds.md for each kind's format."),
    Rule("IT005", "item-byte-order-mark", E, "A markdown item starts with a UTF-8 byte order mark.",
         "Remove the BOM: the file must start with `---` or text; loaders do not strip it."),
    Rule("IT007", "item-unclosed-frontmatter", E, "The frontmatter has no closing `---` line.",
         "Add a line containing only `---` after the last frontmatter key."),
    Rule("IT008", "item-yaml-syntax", E, "The frontmatter is not valid YAML.",
         "Fix the YAML syntax; quote values that contain `: `, `#` or start with a symbol."),
    Rule("IT009", "item-frontmatter-not-mapping", E, "The frontmatter is not a mapping of keys.",
         "Write the frontmatter as `key: value` lines."),
    Rule("IT010", "item-duplicate-key", E, "A frontmatter key appears more than once.",
         "Keep one occurrence of the key; YAML parsers disagree on which one wins."),
    Rule("IT011", "item-tab-indentation", E, "The frontmatter is indented with tabs.",
         "YAML forbids tabs for indentation: indent with spaces."),
    Rule("IT013", "item-crlf-line-endings", W, "A markdown item uses CRLF line endings.",
         "Convert the file to LF line endings."),
    Rule("IT020", "invalid-json", E, "A JSON item (hooks, MCP config, manifest) does not parse.",
         "Fix the JSON syntax at the position given."),
    Rule("IT021", "json-not-object", E, "A JSON item is not a JSON object.",
         "The file must hold one JSON object `{...}`; see docs/kinds.md."),
]
BY_CODE = {rule.code: rule for rule in RULES}

# SKILL.md parser findings -> item codes. SK006 (no frontmatter) and SK012 (flow
# style, which Claude Code's loader accepts) are the kinds' own business.
_FROM_SKILL = {"SK003": "IT003", "SK004": "IT004", "SK005": "IT005", "SK007": "IT007",
               "SK008": "IT008", "SK009": "IT009", "SK010": "IT010", "SK011": "IT011",
               "SK013": "IT013"}


def read_item(root: Any, path: str, item: str) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or None and an IT001 diagnostic."""
    try:
        return root.read(path), []
    except (OSError, FileNotFoundError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return None, [make_diagnostic(BY_CODE["IT001"], path, 1, 1, f"cannot read: {reason}",
                                      item=item)]


def parse_markdown(data: bytes, path: str, item: str) -> tuple[ParsedSkillMd, list[Diagnostic]]:
    """Parse markdown with optional frontmatter; returns the parse and item-coded findings."""
    parsed = parse_skill_md(data, path)
    name = path.rsplit("/", 1)[-1]
    out = []
    for d in parsed.diagnostics:
        code = _FROM_SKILL.get(d.code)
        if code is None:
            continue
        message = d.message.replace("SKILL.md", name)
        out.append(make_diagnostic(BY_CODE[code], path, d.line, d.column, message, item=item))
    return parsed, out


def has_frontmatter(parsed: ParsedSkillMd, data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf").startswith(b"---")


def load_json(data: bytes, path: str, item: str) -> tuple[JsonDoc, list[Diagnostic]]:
    """Parse a JSON item; an error or a non-object document is a diagnostic."""
    doc = parse_json(data)
    if doc.error is not None:
        message, line, column = doc.error
        return doc, [make_diagnostic(BY_CODE["IT020"], path, line, column,
                                     f"invalid JSON: {message}", item=item)]
    if not isinstance(doc.data, dict):
        return doc, [make_diagnostic(BY_CODE["IT021"], path, 1, 1,
                                     f"the document is a JSON {type(doc.data).__name__}, "
                                     "not an object", item=item)]
    return doc, []


def read_json_item(root: Any, path: str, item: str) -> tuple[JsonDoc | None, list[Diagnostic]]:
    """A JSON item read and parsed as an object, or None and the diagnostics that stop it."""
    data, out = read_item(root, path, item)
    if data is None:
        return None, out
    doc, found = load_json(data, path, item)
    return (None, found) if found else (doc, [])


def schema_errors(validator: Validator, instance: Any,
                  position: Callable[[tuple[str | int, ...]], tuple[int, int]],
                  rule: Rule, path: str, item: str,
                  prefix: tuple[str | int, ...] = ()) -> list[Diagnostic]:
    """One diagnostic per JSON Schema violation, at the offending value."""
    out = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path))):
        leaf = _leaf(error)
        pointer = (*prefix, *leaf.absolute_path)
        where = "/".join(str(p) for p in leaf.absolute_path) or "(top level)"
        out.append(make_diagnostic(rule, path, *position(pointer), f"{where}: {_message(leaf)}",
                                   item=item))
    return out


def _leaf(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For `anyOf`/`oneOf`, the alternative's error that went deepest (the one to fix)."""
    if error.validator not in ("oneOf", "anyOf") or not error.context:
        return error
    deepest = max(len(e.absolute_path) for e in error.context)
    candidates = [e for e in error.context if len(e.absolute_path) == deepest]
    return _leaf(min(candidates, key=lambda e: len(e.message)))


def _message(error: jsonschema.ValidationError) -> str:
    if error.validator == "pattern" and isinstance(error.schema, dict) and "description" in error.schema:
        return f"{error.instance!r} is not {error.schema['description']}"
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown key(s)")
    message = error.message
    return message if len(message) <= 200 else message[:197] + "..."

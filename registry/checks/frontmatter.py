"""Frontmatter rules: the spec's fields through the profile's JSON Schema, plus platform rules."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from ..model import Diagnostic
from ..placeholder import is_placeholder
from ..rules import diagnostic
from ..safepath import is_control, printable
from ..schemas import builtin_validator, missing_property
from .context import SkillContext

if TYPE_CHECKING:
    import jsonschema

RESERVED_WORDS = ("anthropic", "claude")
_XML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")
_TRIGGER = re.compile(r"\b(use|used|using|when|whenever|if|for)\b", re.IGNORECASE)
_MISSING = {"name": "SK101", "description": "SK104"}


def check_frontmatter(ctx: SkillContext) -> list[Diagnostic]:
    parsed = ctx.skill_md
    if parsed is None or parsed.frontmatter is None:
        return []
    fm = parsed.frontmatter
    out: list[Diagnostic] = []
    validator = builtin_validator(f"frontmatter.{ctx.config.profile}")
    for error in validator.iter_errors(fm):
        out.extend(_schema_diagnostics(error, fm, ctx))
    out.extend(_check_control_characters(fm, ctx))
    name, description = fm.get("name"), fm.get("description")
    if isinstance(name, str) and name.strip():
        out.extend(_check_name(name, ctx))
    if isinstance(description, str) and description.strip():
        out.extend(_check_description(description, ctx))
    return out


def _schema_diagnostics(
    error: jsonschema.ValidationError, fm: dict[str, Any], ctx: SkillContext
) -> list[Diagnostic]:
    parsed = ctx.skill_md
    assert parsed is not None
    where = ctx.skill_md_path
    keys = tuple(str(p) for p in error.absolute_path)
    field = keys[0] if keys else ""
    kind = error.validator
    if kind == "required":
        key = missing_property(error)
        code = _MISSING.get(key, "SK110")
        return [diagnostic(code, where, *parsed.key_position(), f"required field `{key}` is missing",
                           skill=ctx.folder)]
    if kind == "additionalProperties" and not keys:
        allowed = set(error.schema.get("properties", {}))
        extras = [k for k in fm if k not in allowed]
        return [
            diagnostic("SK106", where, *parsed.key_position(k),
                       f"`{k}` is not allowed in the {ctx.config.profile} profile "
                       f"(allowed: {', '.join(sorted(allowed))})", skill=ctx.folder)
            for k in extras
        ]
    line, col = parsed.value_position(*keys)
    dotted = ".".join(keys)
    value = error.instance
    if field in _MISSING and (value is None or value == "") and len(keys) == 1:
        return [diagnostic(_MISSING[field], where, line, col, f"`{field}` is empty",
                           skill=ctx.folder)]
    if kind == "type":
        return [diagnostic("SK107", where, line, col,
                           f"`{dotted}` must be {_type_phrase(error.validator_value)}, "
                           f"not {_type_name(value)}", skill=ctx.folder)]
    if kind == "maxLength":
        return [diagnostic("SK105", where, line, col,
                           f"`{dotted}` is {len(value)} characters; the limit is "
                           f"{error.validator_value}", skill=ctx.folder)]
    if kind == "pattern" and field == "name":
        return [diagnostic("SK102", where, line, col,
                           f"name {value!r} must be lowercase letters, digits and single "
                           "hyphens, not starting or ending with a hyphen", skill=ctx.folder)]
    return [diagnostic("SK110", where, line, col, f"`{dotted}`: {error.message}",
                       skill=ctx.folder)]


def _check_control_characters(fm: dict[str, Any], ctx: SkillContext) -> list[Diagnostic]:
    """Refuse ESC, BEL, NUL, direction overrides... in every string value (newlines and tabs
    are text); they would reach terminals, pages and hosts' prompts verbatim."""
    parsed = ctx.skill_md
    assert parsed is not None
    out = []
    values: list[tuple[tuple[str, ...], Any]] = [((k,), v) for k, v in fm.items()]
    metadata = fm.get("metadata")
    if isinstance(metadata, dict):
        values += [(("metadata", str(k)), v) for k, v in metadata.items()]
    for keys, value in values:
        if not isinstance(value, str):
            continue
        bad = next((ch for ch in value if ch not in "\n\t" and is_control(ch)), None)
        if bad is not None:
            line, col = parsed.value_position(*keys)
            out.append(diagnostic("SK112", ctx.skill_md_path, line, col,
                                  f"`{'.'.join(keys)}` contains the control character "
                                  f"{printable(bad)}", skill=ctx.folder))
    return out


def _check_name(name: str, ctx: SkillContext) -> list[Diagnostic]:
    parsed = ctx.skill_md
    assert parsed is not None
    line, col = parsed.value_position("name")
    where = ctx.skill_md_path
    out = []
    normalized = unicodedata.normalize("NFKC", name.strip())
    if normalized != unicodedata.normalize("NFKC", ctx.folder):
        out.append(diagnostic("SK103", where, line, col,
                              f"name {name!r} does not match its folder {ctx.folder!r}",
                              skill=ctx.folder))
    if _XML_TAG.search(name):
        out.append(diagnostic("SK108", where, line, col, "name contains an XML tag",
                              skill=ctx.folder))
    lowered = name.lower()
    for word in RESERVED_WORDS:
        if word in lowered:
            out.append(diagnostic("SK109", where, line, col,
                                  f"name contains the reserved word {word!r}", skill=ctx.folder))
    return out


def _check_description(description: str, ctx: SkillContext) -> list[Diagnostic]:
    parsed = ctx.skill_md
    assert parsed is not None
    line, col = parsed.value_position("description")
    where = ctx.skill_md_path
    out = []
    if is_placeholder(description):
        out.append(diagnostic("SK113", where, line, col,
                              "description is the placeholder `relay new` wrote; write what the "
                              "skill does and when to use it", skill=ctx.folder))
    tag = _XML_TAG.search(description)
    if tag:
        out.append(diagnostic("SK108", where, line, col,
                              f"description contains the XML tag {tag.group(0)!r}",
                              skill=ctx.folder))
    if not _TRIGGER.search(description):
        out.append(diagnostic("SK111", where, line, col,
                              "description says what the skill does but not when to use it",
                              skill=ctx.folder))
    return out


def _type_phrase(expected: Any) -> str:
    names = {"string": "a string", "object": "a mapping", "array": "a list",
             "boolean": "true or false", "integer": "an integer", "number": "a number"}
    if isinstance(expected, list):
        return " or ".join(names.get(e, str(e)) for e in expected)
    return names.get(expected, str(expected))


def _type_name(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, datetime.date):
        return "a date (quote it to keep it a string)"
    return type(value).__name__

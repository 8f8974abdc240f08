"""The registry's own policy: company fields under `metadata`, checked by a JSON Schema."""

from __future__ import annotations

from functools import cache

import jsonschema

from ..model import Diagnostic
from ..rules import diagnostic
from ..schemas import load_schema, missing_property, validator_for
from .context import SkillContext


@cache
def _default_validator() -> jsonschema.Draft202012Validator:
    return validator_for(load_schema("policy"))


_custom: dict[int, jsonschema.Draft202012Validator] = {}


def _validator(ctx: SkillContext) -> jsonschema.Draft202012Validator:
    schema = ctx.config.policy_schema
    if schema is None:
        return _default_validator()
    key = id(schema)
    if key not in _custom:
        _custom[key] = validator_for(schema)
    return _custom[key]


def check_policy(ctx: SkillContext) -> list[Diagnostic]:
    parsed = ctx.skill_md
    if parsed is None or parsed.frontmatter is None:
        return []
    metadata = parsed.frontmatter.get("metadata")
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        return []  # a type error already reported by the frontmatter schema
    where = ctx.skill_md_path
    source = ctx.config.policy_source
    out = []
    for error in _validator(ctx).iter_errors(metadata):
        keys = tuple(str(p) for p in error.absolute_path)
        if error.validator == "required":
            field = missing_property(error)
            line, col = parsed.key_position("metadata", *keys)
            out.append(diagnostic("SK201", where, line, col,
                                  f"metadata.{'.'.join((*keys, field))} is required by the "
                                  f"registry policy ({source})", skill=ctx.folder))
        else:
            line, col = parsed.value_position("metadata", *keys)
            dotted = ".".join(("metadata", *keys))
            out.append(diagnostic("SK202", where, line, col,
                                  f"`{dotted}`: {error.message} (policy: {source})",
                                  skill=ctx.folder))
    return out

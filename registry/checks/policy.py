"""The registry's own policy: company fields under `metadata` (SK201, SK202), in words."""

from __future__ import annotations

from ..model import Diagnostic
from ..policy import problems
from ..rules import diagnostic
from .context import SkillContext


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
    for problem in problems(metadata, ctx.config.policy_schema):
        if problem.missing:
            line, col = parsed.key_position("metadata", *problem.keys[:-1])
            out.append(diagnostic("SK201", where, line, col,
                                  f"{problem.field} {problem.message} (registry policy: {source})",
                                  skill=ctx.folder))
        else:
            line, col = parsed.value_position("metadata", *problem.keys)
            out.append(diagnostic("SK202", where, line, col,
                                  f"`{problem.field}` {problem.message} (registry policy: {source})",
                                  skill=ctx.folder))
    return out

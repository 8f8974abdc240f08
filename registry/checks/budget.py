"""Budget warnings: a SKILL.md body is loaded whole into context, so keep it lean."""

from __future__ import annotations

from ..model import Diagnostic
from ..rules import diagnostic
from ..tokens import estimate_tokens
from .context import SkillContext


def check_budget(ctx: SkillContext) -> list[Diagnostic]:
    parsed = ctx.skill_md
    if parsed is None or parsed.frontmatter is None:
        return []
    limits = ctx.config.limits
    where = ctx.skill_md_path
    body = parsed.body
    if not body.strip():
        return [diagnostic("SK403", where, parsed.body_line, 1, "the body is empty",
                           skill=ctx.folder)]
    out = []
    lines = body.count("\n") + (0 if body.endswith("\n") else 1)
    if lines > limits.body_lines:
        out.append(diagnostic("SK401", where, parsed.body_line + limits.body_lines, 1,
                              f"the body has {lines} lines; keep it under {limits.body_lines}",
                              skill=ctx.folder))
    tokens = estimate_tokens(body)
    if tokens > limits.body_tokens:
        out.append(diagnostic("SK402", where, parsed.body_line, 1,
                              f"the body is about {tokens:,} tokens; keep it under "
                              f"{limits.body_tokens:,}", skill=ctx.folder))
    return out

"""Agent Skill as an item: the existing skill pipeline, seen through the item interface.

Top-level skills (`skills/<name>/`) keep their own validation path
(`registry.validate`); they are listed here so every kind can be browsed alike.
Skills inside a plugin are validated with the same rules under the
`claude-code` profile, since a plugin only loads in Claude Code, except the
registry policy on `metadata`.
"""

from __future__ import annotations

from ..model import Item
from ..skillmd import parse_skill_md
from .base import Checked, Context, Source, qualified

KIND = "skill"
RULES: list = []  # the SK rules in registry/rules.py
SKILL_MD = "SKILL.md"
# The registry policy (company fields in `metadata`) governs the registry's own
# skills folder; a plugin's authorship lives in its plugin.json instead.
POLICY_CODES = frozenset({"SK201", "SK202"})


def check(source: Source, ctx: Context) -> Checked:
    folder = source.path.rsplit("/", 1)[-1]
    name = qualified(source.plugin, folder)
    diagnostics = []
    if not source.top_level_skill and ctx.validate_skills:
        from ..validate import validate_skill  # the skill pipeline imports this package

        tree = ctx.root.skill_tree(source.path)
        result = validate_skill(tree, folder, source.path, ctx.config.with_profile("claude-code"))
        diagnostics = [d for d in result.diagnostics if d.code not in POLICY_CODES]
    try:
        data = ctx.root.read(f"{source.path}/{SKILL_MD}")
    except OSError:
        return Checked(None, diagnostics)
    parsed = parse_skill_md(data, f"{source.path}/{SKILL_MD}")
    fm = parsed.frontmatter or {}
    description = fm.get("description") if isinstance(fm.get("description"), str) else ""
    item = Item(kind=KIND, name=name, path=source.path, plugin=source.plugin,
                description=description or "", data=fm, body=parsed.body)
    return Checked(item, diagnostics)

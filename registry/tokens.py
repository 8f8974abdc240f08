"""A cheap token estimate, used for budget warnings and for what loading a skill costs.

Two measures, each with one definition: the body's tokens (the specification's
budget for the instructions, checked by validation) and `skill_md_tokens`, what
a host pays to load the whole SKILL.md (shown on the site and in MCP discovery).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Skill

CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """About one token per four characters of English prose and code (rounded up)."""
    return -(-len(text) // CHARS_PER_TOKEN)


def skill_md_tokens(skill: Skill) -> int:
    """What loading the skill's SKILL.md costs a host: frontmatter and body."""
    return estimate_tokens(f"---\n{skill.raw_frontmatter}\n---\n{skill.body}")

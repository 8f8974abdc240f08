"""A cheap token estimate, used for budget warnings and MCP discovery costs."""

from __future__ import annotations

CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """About one token per four characters of English prose and code (rounded up)."""
    return -(-len(text) // CHARS_PER_TOKEN)

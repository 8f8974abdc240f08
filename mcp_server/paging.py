"""Cursor pagination over the sorted skill names, shared by every paginated MCP method.

A cursor encodes the last name served, so a page stays stable while skills
come and go. A cursor this server did not hand out is the caller's mistake:
`BadCursor`, which each method turns into its own error (a tool error, or
-32602 on protocol methods).
"""

from __future__ import annotations

import base64

MAX_PAGE = 100


class BadCursor(ValueError):
    """The cursor was not made by `page`."""

    def __init__(self) -> None:
        super().__init__("invalid cursor; start again without one")


def _cursor(name: str) -> str:
    return base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")


def _after(cursor: str | None) -> str:
    if not cursor:
        return ""
    try:
        name = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        name = ""
    if not name or _cursor(name) != cursor:
        raise BadCursor()
    return name


def page(names: tuple[str, ...], cursor: str | None, limit: int) -> tuple[list[str], str | None]:
    """Names after the cursor's name, at most `limit` (1..MAX_PAGE), and the next cursor."""
    after = _after(cursor)
    limit = max(1, min(limit, MAX_PAGE))
    start = next((i for i, n in enumerate(names) if n > after), len(names)) if after else 0
    chosen = list(names[start: start + limit])
    more = start + limit < len(names)
    return chosen, (_cursor(chosen[-1]) if more and chosen else None)

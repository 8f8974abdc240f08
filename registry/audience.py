"""Who may see an item: the groups named in its `metadata.audience`, one rule for every item kind.

An item with no `audience` is for everyone. One with `audience: "eng, sre"` is
for members of either group only: the MCP service hides it from everyone else
(a hidden item answers exactly like an unknown one) and `relay build` leaves
it out of the site unless asked to build for one of its groups. Metadata
values are strings in the Agent Skills format, so the groups are one
comma-separated string.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

FIELD = "audience"


def groups_of(metadata: Mapping[str, object] | None) -> frozenset[str]:
    """The groups an item is restricted to; empty means unrestricted."""
    raw = (metadata or {}).get(FIELD)
    if isinstance(raw, str):
        return frozenset(g.strip().lower() for g in raw.split(",") if g.strip())
    if isinstance(raw, list | tuple):  # tolerated for kinds whose metadata is JSON
        return frozenset(str(g).strip().lower() for g in raw if str(g).strip())
    return frozenset()


def normalise(groups: Iterable[str] | None) -> frozenset[str]:
    """A caller's groups, compared case-insensitively like the item's."""
    return frozenset(g.strip().lower() for g in groups or () if g and g.strip())


def may_see(metadata: Mapping[str, object] | None, caller_groups: frozenset[str]) -> bool:
    """True when the item is unrestricted or the caller is in one of its groups."""
    wanted = groups_of(metadata)
    return not wanted or bool(wanted & caller_groups)

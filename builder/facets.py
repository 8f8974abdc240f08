"""Facet groups and their counts, computed at build time for the page as served without JavaScript
(the catalog script recounts them for the current search in the browser)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from .context import Card, Facet, FacetValue

FACETS: list[tuple[str, str, Callable[[Card], Iterable[str]]]] = [
    ("kind", "Kind", lambda c: [c.kind]),  # shown only when the catalog holds more than skills
    ("tag", "Tags", lambda c: c.tags),
    ("category", "Category", lambda c: [c.category] if c.category else []),
    ("owner", "Owner", lambda c: [c.owner] if c.owner else []),
    ("license", "License", lambda c: [c.license] if c.license else []),
]


def compute_facets(cards: list[Card]) -> list[Facet]:
    """Every facet value with its count, most common first, then alphabetical."""
    facets = []
    for key, label, values_of in FACETS:
        if key == "kind" and all(c.kind == "skill" for c in cards):
            continue
        counts: Counter[str] = Counter()
        for card in cards:
            counts.update(set(values_of(card)))
        values = tuple(FacetValue(v, n) for v, n in sorted(counts.items(), key=lambda i: (-i[1], i[0])))
        facets.append(Facet(key, label, values))
    return facets


def narrow(cards: list[Card], selected: dict[str, set[str]]) -> list[Card]:
    """Cards matching every selected facet group (any value within a group)."""
    getters = {key: values_of for key, _, values_of in FACETS}
    return [c for c in cards
            if all(not chosen or chosen & set(getters[key](c)) for key, chosen in selected.items())]

"""The description `relay new` writes when none is given, defined once.

The scaffolder writes it and the SK113 rule recognises it, so a skill whose
description was never written cannot be merged. Recognising it survives the
edits people make without really writing one: other spacing, case, quoting,
an ellipsis character, the name changed, or only one sentence rewritten.
"""

from __future__ import annotations

import re

PLACEHOLDER_DESCRIPTION = "Describe what {name} does in one sentence. Use when the user asks for ..."

_MIN_MARKER = 15  # shorter pieces ("describe what") also start real descriptions


def placeholder_description(name: str) -> str:
    return PLACEHOLDER_DESCRIPTION.format(name=name)


def _normal(text: str) -> str:
    text = text.replace("\u2026", "...").casefold()
    return " ".join(re.sub(r"[\"'`]", "", text).split())


def _markers() -> list[str]:
    """The template's own phrases, split around the name and between sentences."""
    markers = []
    for piece in re.split(r"\{name\}|(?<=\.) ", PLACEHOLDER_DESCRIPTION):
        text = _normal(piece)
        text = text.strip() if text.endswith("...") else text.strip(" .")  # "..." is the tell
        if len(text) >= _MIN_MARKER:
            markers.append(text)
    return markers


MARKERS = tuple(_markers())


def is_placeholder(description: str) -> bool:
    """Whether `description` is (what is left of) the placeholder `relay new` wrote."""
    text = _normal(description)
    return any(marker in text for marker in MARKERS)

"""A description short enough for a result list that still says when to use the skill.

Descriptions follow the Agent Skills advice: what the skill does, then when to
use it ("Use when ..."). A model chooses a skill by that second part, so a
summary that cuts the first sentence at a character count throws away what
matters most. This keeps the first sentence and the "use when" sentence,
shortening the longer of the two at a word boundary when both do not fit.
"""

from __future__ import annotations

import re

SUMMARY_CHARS = 240
ELLIPSIS = "…"
# "Use when", "Use this skill when/for/to", "Use it if", "Trigger when", "When to use", "Invoke for"...
_USE_WHEN = re.compile(r"\b(?:(?:use|invoke|trigger|apply|activate)(?:\s+(?:it|this|this\s+skill|me))?"
                       r"\s+(?:when|whenever|for|to|if|on|after|before|during)|when\s+to\s+use)\b",
                       re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(\[`])")


def summary(description: str, width: int = SUMMARY_CHARS) -> str:
    """The description, or its first sentence and its "use when" sentence, within `width`."""
    text = " ".join(description.split())
    if len(text) <= width:
        return text
    sentences = _SENTENCE_END.split(text)
    first = sentences[0]
    use = next((s for s in sentences[1:] if _USE_WHEN.search(s)), "")
    if not use:
        match = _USE_WHEN.search(first)
        if match and match.start() > 0:  # the clause sits inside the first sentence: keep it whole
            head, tail = first[: match.start()].rstrip(" ,;:-—"), first[match.start():]
            return _join(head, tail, width, " — ")
        return shorten(first, width)
    return _join(first, use, width, " ")


def _join(head: str, tail: str, width: int, glue: str) -> str:
    """`head` + `glue` + `tail` in `width` characters: the "use when" part keeps at least half."""
    if len(head) + len(glue) + len(tail) <= width:
        return head + glue + tail
    room = width - len(glue)
    tail_room = max(room // 2, room - len(head))
    tail = shorten(tail, tail_room)
    return shorten(head, room - len(tail)) + glue + tail


def shorten(text: str, width: int) -> str:
    """`text` cut at the last word boundary that fits `width` with the ellipsis."""
    if len(text) <= width:
        return text
    cut = text[: max(0, width - len(ELLIPSIS)) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > 0 else cut[:-1]
    return cut.rstrip(" ,;:-—(") + ELLIPSIS

"""What Relay reads out of a skill's markdown, through markdown-it-py's tokens.

The link check (validation) and the site (heading anchors, the search index)
both need to know what in a document is a link or a heading. A regex over the
text gets CommonMark wrong in ways that fail CI for nothing: a link inside an
indented code block or an HTML comment is not a link, and a setext heading
(`Title` underlined with `===`) is a heading. So both ask the parser, configured
once here (`parser`), the same way the site renders the document.

markdown-it-py is imported on first parse, not with this module: the
pre-commit hook validates skills whose markdown often has no link at all, and
the import is a fifth of its start (issue 12).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import unquote

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# What CommonMark needs to write any link: an inline link or image is link text followed at
# once by `(`, a reference link needs a definition (a label followed at once by `:`), and an
# autolink is in angle brackets. Text with none of these has no link to find.
_LINK_SYNTAX = ("](", "]:", "<")


@dataclass(frozen=True)
class Link:
    """A link or image target in a document; line and column are 1-based, in the source."""

    line: int
    column: int
    target: str  # as written, percent-decoded (`my file.md#part`)


def parser() -> MarkdownIt:
    """CommonMark with raw HTML, tables and strikethrough: the dialect the site renders."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False}) \
        .enable("table").enable("strikethrough")


@cache
def _full() -> MarkdownIt:
    return parser()


@cache
def _blocks() -> MarkdownIt:
    """Block structure only: headings need no inline parse, which is most of the cost."""
    return parser().disable(["inline", "text_join"])


def block_tokens(text: str) -> list[Token]:
    """The block-level tokens of `text` (inline tokens keep their raw `content`)."""
    return _blocks().parse(text)


def headings(text: str) -> list[tuple[int, str]]:
    """Every heading (level, raw text), ATX and setext, outside code blocks and HTML."""
    tokens = _blocks().parse(text)
    return [(int(token.tag[1]), tokens[i + 1].content.strip())
            for i, token in enumerate(tokens) if token.type == "heading_open"]


def links(text: str) -> list[Link]:
    """Every link and image target, and every link reference definition, with its position.

    A link written through a reference (`[text][id]`) is reported once, at its
    definition (`[id]: target`), where the target is written.
    """
    if not any(mark in text for mark in _LINK_SYNTAX):
        return []  # no link can be written without these: the parser need not load
    env: dict = {}
    tokens = _full().parse(text, env)
    lines = text.split("\n")
    definitions = env.get("references", {})
    by_reference = {ref["href"] for ref in definitions.values()}
    found: list[Link] = []
    for token in tokens:
        if token.type != "inline" or not token.map or not token.children:
            continue
        cursor = (token.map[0], 0)
        for target in _targets(token.children):
            position = _find(lines, target, cursor, token.map[1])
            if position is None:
                if target in by_reference:
                    continue  # `[text][id]`: reported at the definition
                position = (token.map[0], 0)
            cursor = (position[0], position[1] + 1)
            found.append(Link(position[0] + 1, position[1] + 1, unquote(target)))
    for ref in definitions.values():
        start, end = ref.get("map") or (0, 1)
        position = _find(lines, ref["href"], (start, 0), end) or (start, 0)
        found.append(Link(position[0] + 1, position[1] + 1, unquote(ref["href"])))
    return sorted(found, key=lambda link: (link.line, link.column))


def _targets(children: list[Token]) -> list[str]:
    out = []
    for child in children:
        attr = "href" if child.type == "link_open" else "src" if child.type == "image" else None
        if attr is not None:
            out.append(str(child.attrGet(attr) or ""))
    return out


def _find(lines: list[str], target: str, start: tuple[int, int],
          end: int) -> tuple[int, int] | None:
    """Where `target` is written in lines [start, end): as normalised, or percent-decoded."""
    candidates = [target] if unquote(target) == target else [target, unquote(target)]
    line, column = start
    for number in range(line, min(end, len(lines))):
        offset = column if number == line else 0
        hits = [at for c in candidates if c and (at := lines[number].find(c, offset)) >= 0]
        if hits:
            return number, min(hits)
    return None

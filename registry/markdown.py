"""What Relay reads out of a skill's markdown, through markdown-it-py's tokens.

The link check (validation) and the site (heading anchors, the search index)
both need to know what in a document is a link or a heading. A regex over the
text gets CommonMark wrong in ways that fail CI for nothing: a link inside an
indented code block or an HTML comment is not a link, and a setext heading
(`Title` underlined with `===`) is a heading. So both ask the parser, configured
once here (`parser`), the same way the site renders the document.

markdown-it-py is imported on first parse, not with this module: its import is
a fifth of the pre-commit hook's start (issue 12), and most skills' links are
all fine. `plain_targets` lets the link check see that without the parser:
it never finds a link, it only says every place one could be written is plain
enough to read as the parser would, so when each such target resolves the
parser has nothing to report. Any doubt sends the text to the parser.
"""

from __future__ import annotations

import re
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

# Where a link's or an image's target can be written relative to the skill: after the `](` of
# an inline link (no space may come between `]` and `(`) or the `]:` of a reference definition,
# past spaces or tabs and at most one line ending (CommonMark's and markdown-it's rules). The
# target runs to the first space, control character or `)`; the character after it is kept to
# check the run ended where markdown-it's would. (Autolinks, `<scheme:...>`, always have a
# scheme, which the link check leaves alone.)
_OPENED_TARGET = re.compile(r"\](?:\(|:)[ \t]*(?:\n[ \t]*)?([^\x00-\x20\x7f)]*)(.?)", re.DOTALL)
# A target markdown-it takes exactly as written: none of `<` (a bracketed target), `(` (nested
# parentheses), a backslash (escapes), `&` (entities), `%` (percent-encoding), `>` or `|` (a container's
# or a table's mark), nor anything outside ASCII, which its normalising would change.
_PLAIN = re.compile(r"[A-Za-z0-9_.~/#?=+,:-]*")
_ENDS = ("", ")", " ", "\t", "\n", "\r")


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


def plain_targets(text: str) -> list[str] | None:
    """Every target a link in `text` could have, when all are written plainly; None otherwise.

    A superset read without the parser (issue 12): each link, image and reference definition
    markdown-it finds in `text` has one of these as its target, exactly as `links` reports it;
    the rest are strings that only look like targets (in code, say). None when some place that
    could hold a target is written in a form only the parser reads (see `_PLAIN`), or does not
    end where markdown-it's target would: then ask `links`. `tests/test_markdown.py` holds this
    against the parser on generated and real documents.
    """
    if not any(mark in text for mark in _LINK_SYNTAX):
        return []
    found: list[str] = []
    for match in _OPENED_TARGET.finditer(text):
        target, after = match.groups()
        if after not in _ENDS or not _PLAIN.fullmatch(target) or (not target and after != ")"):
            return None
        if target:
            found.append(target)
    return found


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

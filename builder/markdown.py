"""Render a skill's markdown to safe HTML: markdown-it-py, Pygments, anchored headings, nh3.

A skill is untrusted input written by anyone who can open a pull request, so
the HTML markdown-it produces (raw HTML included) always goes through nh3 with
an allow-list: no script, no event handler, no `javascript:` or `data:` URL.
Code is highlighted here, at build time, so the site ships no highlighter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from pygments import format as pygments_format
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.styles import get_style_by_name
from pygments.token import Text, Whitespace, _TokenType
from pygments.util import ClassNotFound

from registry.markdown import parser

from . import languages

LinkResolver = Callable[[str, bool], str | None]
"""Maps a relative link (path, is_image) in a skill to a site URL, or None to keep it."""

_FORMATTER = HtmlFormatter(nowrap=True)
LIGHT_STYLE, DARK_STYLE = "friendly", "monokai"  # the site's two code themes (`pygments_css`)
_STYLES = (get_style_by_name(LIGHT_STYLE), get_style_by_name(DARK_STYLE))


@cache
def _unstyled(kind: _TokenType) -> bool:
    """A token both themes draw like plain text (names and punctuation in Python, whitespace):
    its span changes nothing on screen, and such spans were half of a highlighted file's bytes
    (issue 12)."""
    return kind in Whitespace or all(_style_for(style, kind) == style.style_for_token(Text)
                                     for style in _STYLES)


def _style_for(style: Any, kind: _TokenType) -> Any:
    """A style's entry for `kind`, or for its nearest ancestor the style knows: lexers emit
    token types of their own (YAML's `Literal.Scalar.Plain`, `Punctuation.Indicator`) that a
    style has no entry for (`style_for_token` raises KeyError), as the HTML formatter does."""
    while True:
        try:
            return style.style_for_token(kind)
        except KeyError:
            kind = kind.parent


def _tokens(code: str, lexer: Lexer) -> Iterator[tuple[_TokenType, str]]:
    """The lexer's tokens, with the unstyled ones as plain text (the formatter merges runs)."""
    for kind, value in lexer.get_tokens(code):
        yield (Text if _unstyled(kind) else kind), value
_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "var",
}
_HEADINGS = {f"h{i}" for i in range(1, 7)}
_ATTRIBUTES = {
    "a": {"href", "title", "aria-label", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "code": {"class"},
    "pre": {"class"},
    "span": {"class"},
    "div": {"class"},
    **{h: {"id"} for h in _HEADINGS},
}
_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Rendered:
    """A rendered document: safe HTML, its headings (for anchors and the search index), and the
    parser's tokens (the search analysis reads them instead of parsing the text again)."""

    html: str
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, id, text)
    tokens: list[Token] = field(default_factory=list, repr=False)
    images: list[str] = field(default_factory=list)  # the skill's files shown as images


def sanitize(html: str, own_images: frozenset[str] = frozenset()) -> str:
    """Keep only harmless markup: the one place untrusted HTML is made safe.

    Images load only from relative paths or from `own_images` (the skill's files as the site
    links them, absolute under `--base-url`): a reader's browser would otherwise fetch any
    address a contributor wrote (`http://127.0.0.1:...`, an intranet host, a tracking pixel).
    The site's CSP (`img-src 'self'`) tells the browser the same.
    """
    def relative_images(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src" and value not in own_images \
                and _ABSOLUTE.match(value.strip()):
            return None
        return value

    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=_SCHEMES,
                     link_rel="noopener noreferrer nofollow", strip_comments=True,
                     attribute_filter=relative_images)


_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|\\)")


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def lexer_for(language: str = "", filename: str = "", code: str = "") -> Lexer:
    """A Pygments lexer by fence language or file name (builder/languages.py); plain text when
    unknown."""
    try:
        if language:
            return get_lexer_by_name(language.strip().split()[0])
    except ClassNotFound:
        return TextLexer()
    found = languages.lexer_class(filename) if filename else None
    return found() if found is not None else TextLexer()


def highlight(code: str, language: str = "", filename: str = "") -> str:
    """Highlighted `<pre><code>` HTML (Pygments classes), escaped and safe to embed."""
    lexer = lexer_for(language, filename, code)
    body = pygments_format(_tokens(code, lexer), _FORMATTER) if not isinstance(lexer, TextLexer) \
        else escape(code)
    name = escape(lexer.aliases[0] if lexer.aliases else "text")
    return f'<pre class="highlight"><code class="language-{name}">{body}</code></pre>'


def source_view(code: str, filename: str) -> str:
    """A bundled file's source for the skill page: escaped plain text, its language named in the
    class (`language-python`), not highlighted.

    Highlighting a file made its markup three to five times its bytes (a span per token: 1.1 KB
    of Python became 3.9 KB even without the spans that colour nothing), which took a typical
    skill's one page past 16 KiB, and Pygments' lexing was the largest CPU cost of a build
    (issue 12, docs/site.md). The code fences of SKILL.md, which the page renders as a
    document, are still highlighted.
    """
    return _plain(code, languages.language(filename))


def _plain(code: str, language: str) -> str:
    body = escape(code, quote=False)  # element content: quotes need no escaping
    return f'<pre class="highlight"><code class="language-{language}">{body}</code></pre>'


def _fence(code: str, lang: str, _attrs: str) -> str:
    return highlight(code, lang)


def _parser() -> MarkdownIt:
    """The registry's markdown dialect (the one the link check reads), with highlighting."""
    md = parser()
    md.options["highlight"] = _fence
    return md


_MD = _parser()


def render_markdown(text: str, resolve: LinkResolver | None = None, *,
                    demote: int = 1) -> Rendered:
    """Markdown -> sanitised HTML with ids on headings (demoted so the page keeps one h1)."""
    tokens = _MD.parse(text)
    headings = _anchor_headings(tokens, demote)
    own_images = _rewrite_links(tokens, resolve) if resolve is not None else frozenset()
    html = _MD.renderer.render(tokens, _MD.options, {})
    return Rendered(html=sanitize(html, own_images), headings=headings, tokens=tokens)


def _anchor_headings(tokens: list[Token], demote: int) -> list[tuple[int, str, str]]:
    seen: dict[str, int] = {}
    found: list[tuple[int, str, str]] = []
    for i, token in enumerate(tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        level = min(6, int(token.tag[1]) + demote)
        token.tag = f"h{level}"
        if token.type == "heading_close":
            continue
        inline = tokens[i + 1]
        text = "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
        slug = slugify(text)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        if count:
            slug = f"{slug}-{count}"
        token.attrSet("id", slug)
        found.append((level, slug, text))  # its "#" link is added by site.js (docs/site.md)
    return found


def _rewrite_links(tokens: list[Token], resolve: LinkResolver) -> frozenset[str]:
    """Point relative links at the site's pages and files; returns the image URLs it made."""
    images: set[str] = set()
    for token in tokens:
        for child in token.children or []:
            attr = "href" if child.type == "link_open" else "src" if child.type == "image" else None
            if attr is None:
                continue
            target = str(child.attrGet(attr) or "")
            if not target or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^[/#]", target):
                continue
            path, _, fragment = target.partition("#")
            new = resolve(path.split("?")[0], attr == "src")
            if new is not None:
                child.attrSet(attr, new + (f"#{fragment}" if fragment else ""))
                if attr == "src":
                    images.add(str(child.attrGet(attr)))
    return frozenset(images)


def pygments_css() -> str:
    """Token colours for both themes, generated at build time (light default, dark override)."""
    light = HtmlFormatter(style=LIGHT_STYLE).get_style_defs(".highlight")
    dark = HtmlFormatter(style=DARK_STYLE).get_style_defs(".highlight")
    dark_scoped = "\n".join(f':root[data-theme="dark"] {line}' for line in dark.splitlines()
                            if line.startswith(".highlight"))
    dark_auto = "\n".join(f':root:not([data-theme="light"]) {line}' for line in dark.splitlines()
                          if line.startswith(".highlight"))
    return (f"{light}\n{dark_scoped}\n@media (prefers-color-scheme: dark) {{\n{dark_auto}\n}}\n")

"""Rendering and sanitising SKILL.md bodies: a corpus of hostile markdown never yields live script."""

from __future__ import annotations

import re

import pytest

from builder.markdown import highlight, render_markdown, sanitize, slugify

from .conftest import HOSTILE_BODY, Page

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnError=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "<a href='javascript:alert(1)'>x</a>",
    "<a href='&#106;avascript:alert(1)'>x</a>",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)><circle/></svg>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<iframe src='https://evil.example'></iframe>",
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<style>body{display:none}</style>",
    "<div style='background:url(javascript:alert(1))'>x</div>",
    "<form action='https://evil.example'><input name=p></form>",
    "<details ontoggle=alert(1) open>x</details>",
    "<meta http-equiv='refresh' content='0;url=javascript:alert(1)'>",
    "<base href='javascript:alert(1)//'>",
    "<!-- <script>alert(1)</script> -->",
    "<a href=x onmouseover=alert(1)>x</a>",
    "<p>ok</p><scr<script>ipt>alert(1)</script>",
    HOSTILE_BODY,
]
BAD_TAGS = {"script", "iframe", "object", "embed", "style", "form", "input", "meta", "base", "svg", "math",
            "link"}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_is_neutralised(text: str) -> None:
    """Structurally: no dangerous element, no event handler or style, no script-bearing URL."""
    html = render_markdown(text).html
    for element in Page(html).elements:
        assert element.tag not in BAD_TAGS, html
        for name, value in element.attrs.items():
            assert not name.startswith("on") and name != "style", html
            if name in ("href", "src"):
                assert not re.match(r"^\s*(javascript|data|vbscript):", value, re.I), html


def test_safe_markup_survives() -> None:
    html = render_markdown("**bold** <kbd>Ctrl</kbd> [site](https://example.com) <b>b</b>\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |\n").html
    page = Page(html)
    assert page.find("a").attrs["href"] == "https://example.com"
    assert "noopener" in page.find("a").attrs["rel"]
    assert page.find("kbd").text == "Ctrl"
    assert page.find("td").text == "1"


def test_headings_are_anchored_unique_and_demoted() -> None:
    rendered = render_markdown("# Title\n\n## Steps\n\n## Steps\n")
    page = Page(rendered.html)
    assert [h.attrs["id"] for h in page.find_all("h2") + page.find_all("h3")] == \
        ["title", "steps", "steps-1"]
    assert page.find_all("a") == []  # the "#" links come from site.js
    assert rendered.headings == [(2, "title", "Title"), (3, "steps", "Steps"), (3, "steps-1", "Steps")]


def test_code_is_highlighted_at_build_time_and_escaped() -> None:
    html = render_markdown("```python\nif a < b: print('<script>')\n```\n").html
    assert '<code class="language-python">' in html
    assert '<span class="k">if</span>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert highlight("x <y>", filename="notes.unknownext") == \
        '<pre class="highlight"><code class="language-text">x &lt;y&gt;</code></pre>'


def test_relative_links_point_at_site_pages() -> None:
    html = render_markdown("[g](references/guide.md#top) [out](https://x.org) ![i](img.png) [m](missing.md)",
                           lambda path, image: None if path == "missing.md" else f"/site/{path}").html
    hrefs = [a.attrs.get("href") for a in Page(html).find_all("a")]
    assert hrefs == ["/site/references/guide.md#top", "https://x.org", "missing.md"]
    assert Page(html).find("img").attrs["src"] == "/site/img.png"


def test_sanitize_and_slugify_edge_cases() -> None:
    assert sanitize("<p onclick=x>hi</p>") == "<p>hi</p>"
    assert slugify("Ünïcode & Co!") == "unicode-co"
    assert slugify("!!!") == "section"


def test_search_headings_include_setext_headings_and_match_the_render() -> None:
    from registry.search import markdown_parts

    body = "Zeppelin checklist\n==================\n\n    # not a heading\n\nMooring\n-------\n"
    rendered = [text for _, _, text in render_markdown(body).headings]
    assert rendered == ["Zeppelin checklist", "Mooring"]
    headings, prose = markdown_parts(body)
    assert headings.split("\n") == rendered
    assert "not a heading" not in prose  # an indented code block


def test_search_analysis_of_the_rendered_tokens_equals_a_fresh_parse() -> None:
    """The build analyses each SKILL.md from the tokens its page was rendered from: the result
    must be what parsing the body again gives, links rewritten and headings anchored or not."""
    from registry.search import Document, analyze_document

    body = ("Zeppelin checklist\n==================\n\nMoor the [hull](references/hull.md) first.\n\n"
            "## Ballast *trim*\n\n| gauge | limit |\n|---|---|\n| helium | 90% |\n\n"
            "```bash\nvent --all\n```\n\n    indented code\n\n<div>raw html</div>\n\n"
            "- see https://example.org/winch\n- ~~old~~ new rope\n\n> quoted gondola\n")
    doc = Document(key="z", name="zeppelin", description="Airship care", tags=("air",), body=body)
    rendered = render_markdown(body, lambda path, image: f"/site/{path}")
    assert rendered.tokens
    reused = analyze_document(doc, rendered.tokens)
    assert reused == analyze_document(doc)
    assert {"ballast", "trim", "checklist"} <= set(reused.terms["headings"])
    assert {"helium", "gondola", "rope"} <= set(reused.terms["body"])
    assert "vent" not in reused.terms["body"] and "winch" not in reused.terms["body"]


def test_bundled_sources_are_escaped_plain_text_named_by_language() -> None:
    from builder.markdown import source_view

    expected = "<pre class=\"highlight\"><code class=\"language-python\">if a &lt; b: print('&lt;x&gt;')\n"
    assert source_view("if a < b: print('<x>')\n", "tool.py") == expected + "</code></pre>"
    assert source_view("# Title <b>\n", "README.md") == \
        '<pre class="highlight"><code class="language-markdown"># Title &lt;b&gt;\n</code></pre>'
    assert "language-text" in source_view("x", "NOTICE.unknown-extension")


def test_fences_leave_out_spans_that_colour_nothing() -> None:
    """Names, punctuation and whitespace look like plain text in both themes: no span for them."""
    from builder.markdown import highlight

    html = highlight("import os\nx = f(a, b)  # note\n", "python")
    assert html == ('<pre class="highlight"><code class="language-python"><span class="kn">import</span> '
                    '<span class="nn">os</span>\nx <span class="o">=</span> f(a, b)  '
                    '<span class="c1"># note</span>\n</code></pre>')


def test_code_in_a_language_with_its_own_token_types_is_highlighted() -> None:
    """YAML's lexer emits token types no theme names (`Literal.Scalar.Plain`): they take their
    parent's style instead of failing the build."""
    html = render_markdown("```yaml\nname: demo\nsteps:\n  - run: make test\n```\n").html
    assert "name" in html and "make test" in html and "<span" in html


def test_file_languages_are_the_ones_pygments_picks() -> None:
    """builder/languages.py answers without Pygments' scan of every glob: for a name matching
    each glob of Pygments' table (and a few names with no lexer), the same lexer and language."""
    from pygments.lexers import find_lexer_class_for_filename
    from pygments.lexers._mapping import LEXERS

    from builder import languages

    names = {"NOTICE", "x.unknown-extension", "CMakeLists.txt", "skills/a/scripts/run.py"}
    for _module, _name, _aliases, globs, _types in LEXERS.values():
        names.update(g.replace("*", "x").replace("?", "q").replace("[", "").replace("]", "") for g in globs)
    for name in sorted(names):
        expected = find_lexer_class_for_filename(name)
        assert languages.lexer_class(name) is expected, name
        assert languages.language(name) == (expected.aliases[0] if expected else "text"), name

"""Links and headings as CommonMark defines them (registry.markdown, markdown-it-py tokens)."""

from __future__ import annotations

import random
import re
from pathlib import Path

from registry.markdown import Link, headings, links, plain_targets
from registry.validate import validate_paths

from .conftest import skill_md, write_files

DOC = """# Title

Setext heading
==============

Second level
------------

    [indented](in-code-block.md)

<!-- [commented](in-comment.md) -->

```md
[fenced](in-fence.md)
```

Text with `[a span](in-span.md)`, [real](references/real.md) and ![img](assets/pic%201.png).
Twice: [one](references/real.md) [two](references/real.md).

See [the guide][guide].

[guide]: <references/the guide.md#part>

| a | b |
|---|---|
| [cell](references/cell.md) | x |
"""


def test_links_are_what_commonmark_says_they_are() -> None:
    assert links(DOC) == [
        Link(17, 42, "references/real.md"),  # columns counted by hand: where the target starts
        Link(17, 73, "assets/pic 1.png"),
        Link(18, 14, "references/real.md"),
        Link(18, 40, "references/real.md"),
        Link(22, 11, "references/the guide.md#part"),
        Link(26, 10, "references/cell.md"),
    ]


def test_each_way_of_writing_a_link_is_found_on_its_own() -> None:
    """links() skips the parser for text without `](`, `]:` or `<` (issue 12): each form of
    link has one of them, and text with brackets but no link has none to find."""
    assert links("See [a](a.md).") == [Link(1, 9, "a.md")]
    assert links("An ![image](i.png).") == [Link(1, 13, "i.png")]
    assert links("By [label].\n\n[label]: b.md\n") == [Link(3, 10, "b.md")]
    assert links("At <https://example.com/x>.") == [Link(1, 5, "https://example.com/x")]
    assert links("- [ ] a task, [not] a link, a[0] index, [x] (spaced)\n") == []


def test_headings_include_setext_and_skip_code() -> None:
    assert headings(DOC) == [(1, "Title"), (1, "Setext heading"), (2, "Second level")]
    text = "# One\n\n```bash\n# not a heading\n```\n\n## Two ##\n~~~\n# no\n~~~\n### Three\n"
    assert headings(text) == [(1, "One"), (2, "Two"), (3, "Three")]


def test_link_check_ignores_code_blocks_and_comments(tmp_path: Path, in_dir) -> None:
    """Links in an indented code block or an HTML comment are not links: no SK301."""
    body = ("# Steps\n\nExample:\n\n    [example](not-here.md)\n\n<!-- [todo](later.md) -->\n\n"
            "Real: [missing](references/missing.md)\n")
    write_files(tmp_path / "skills/docs", {"SKILL.md": skill_md("docs", body=body)})
    in_dir(tmp_path)
    found = [(d.code, d.line, d.column) for d in validate_paths([tmp_path / "skills/docs"],
                                                                 jobs=1).diagnostics]
    # skill_md puts 9 frontmatter lines and a blank line before the body.
    assert found == [("SK301", 19, 17)]


# A target with a scheme (an autolink's, an external URL) is one the link check never resolves.
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
ROOT = Path(__file__).parents[1]


def _held_by_plain_targets(text: str) -> bool:
    """Whether `plain_targets` holds its promise on `text`: every target the parser finds (but
    an autolink's) is among them. Returns whether it answered (False: it sent the text on)."""
    plain = plain_targets(text)
    if plain is None:
        return False
    missed = [link.target for link in links(text)
              if link.target not in plain and not SCHEME.match(link.target)]
    assert not missed, (text, missed, plain)
    return True


def test_plain_targets_hold_every_target_the_parser_finds_in_generated_markdown() -> None:
    """Random documents made of the pieces links are written with, and the ones that change
    what a target is (escapes, entities, percent-encoding, angle brackets, containers, code,
    control characters, CRLF, NUL, non-ASCII): whenever `plain_targets` answers, the parser's
    targets are a subset of its answer, so a link check that skips the parser misses nothing."""
    pieces = ["[a]", "[ref]", "![i]", "(", ")", "](", "]:", "[ref]: ", " ", "\t", "\n", "\n\n", "> ",
              "- ", "1. ", "    ", "`", "```\n", "x.md", "dir/y.md", "missing.md", "<", ">", "\\",
              "&amp;", "&#x61;", "%20", "#top", "?q=1", '"t"', "'t'", "\r\n", "\r", "\x00", "\x0c",
              "http://H.example/A", "//h/x", "a:b", "|", "é", "\u00a0", "<!-- ", " -->", "*", "_",
              "~", "[", "]", ":", "(x.md)", "x.md)"]
    rng = random.Random(12)
    answered = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(2, 24)))
        answered += _held_by_plain_targets(text)
    assert answered > 1000  # the fast answer was exercised, not only the parser


def test_plain_targets_on_real_documents() -> None:
    """This repository's skills, docs and test corpus; most plain links are answered."""
    answered = 0
    files = sorted([*ROOT.glob("skills/**/*.md"), *ROOT.glob("docs/*.md"), *ROOT.glob("tests/corpus/**/*.md"),
                    ROOT / "README.md", ROOT / "CONTRIBUTING.md"])
    for path in files:
        answered += _held_by_plain_targets(path.read_text(encoding="utf-8", errors="replace"))
    assert answered > len(files) // 2


def test_plain_targets_answer_plain_links_and_send_the_rest_to_the_parser() -> None:
    doc = ("See [a](a.md), ![i](img/i.png \"t\"), [b][r] and [c](https://x.example/a?b=1#c).\n\n"
           "[r]:\n  dir/b.md#part\n")
    assert plain_targets(doc) == ["a.md", "img/i.png", "https://x.example/a?b=1#c", "dir/b.md#part"]
    assert plain_targets("No link, [a task] or a[0].\n") == []
    assert plain_targets("An empty [one]().\n") == []
    for unsure in ("[a](<b c.md>)", "[a](b%20c.md)", "[a](b\\_c.md)", "[a](&#x62;.md)", "[a](b(c).md)",
                   "> [a]:\n> b.md", "[a](\n\nb.md)", "[a](b.md\x00c)", "[a](é.md)", "[a](\x0cb.md)"):
        assert plain_targets(unsure) is None, unsure


def test_link_check_without_the_parser_still_finds_a_broken_link(tmp_path: Path, in_dir) -> None:
    """Plain targets that resolve skip the parser; one that does not is found by it, at its place."""
    write_files(tmp_path / "skills/docs", {
        "SKILL.md": skill_md("docs", body="Read [the guide](references/guide.md).\n"),
        "references/guide.md": "Back to [the skill](../SKILL.md), on to [more](more.md).\n",
    })
    in_dir(tmp_path)
    found = [(d.code, d.path, d.line, d.column) for d in validate_paths([tmp_path / "skills/docs"],
                                                                         jobs=1).diagnostics]
    assert found == [("SK301", "skills/docs/references/guide.md", 1, 48)]

"""Links and headings as CommonMark defines them (registry.markdown, markdown-it-py tokens)."""

from __future__ import annotations

from pathlib import Path

from registry.markdown import Link, headings, links
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

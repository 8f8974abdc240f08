"""Ranking properties of registry.search over small literal catalogs (not fixed result lists)."""

from __future__ import annotations

import pytest

from registry.model import FileKind, SkillFile
from registry.search import (
    MAX_QUERY_CHARS,
    AnalyzedDoc,
    Document,
    Popularity,
    QueryTooLong,
    SearchIndex,
    analyze_document,
    bundled_text,
)
from registry.search.document import MAX_FILES_CHARS

FILLER = "Follow the steps below and write down what you find for the team."


def doc(name: str, description: str, body: str = "", tags: tuple[str, ...] = (),
        deprecated: bool = False) -> Document:
    return Document(key=name, name=name, description=description, tags=tags,
                    body=body or f"# Steps\n\n{FILLER}\n", deprecated=deprecated)


CATALOG = [
    doc("code-review", "Reviews a change for bugs and style. Use when a pull request needs review.",
        tags=("review", "quality")),
    doc("sql-lint", "Finds slow joins in SQL queries. Use when writing SQL.", tags=("sql", "data"),
        body="# How\n\nLook for the cartesian explosion and missing indexes.\n"),
    doc("release-notes", "Writes release notes from commits. Use when cutting a release.",
        body="# Steps\n\nGroup the commits, credit contributors, mention the zeppelin migration.\n"),
    doc("review-checklist", "A checklist that mentions sql lint, sql lint rules and lint of sql often.",
        tags=("sql", "lint")),
    doc("incident-notes", "Keeps notes during an incident. Use when paged.", tags=("oncall",)),
]


def build(docs: list[Document], **kwargs: object) -> SearchIndex:
    return SearchIndex.build([analyze_document(d) for d in docs], **kwargs)  # type: ignore[arg-type]


def names(index: SearchIndex, query: str, limit: int = 10) -> list[str]:
    return [hit.name for hit in index.search(query, limit)]


@pytest.mark.parametrize("query", ["sql-lint", "SQL lint", "Sql_Lint", "sqllint"])
def test_an_exact_or_near_exact_name_wins(query: str) -> None:
    hits = build(CATALOG).search(query)
    assert hits[0].name == "sql-lint" and hits[0].exact and hits[0].strong
    assert not any(hit.exact for hit in hits[1:])


def test_a_word_found_only_in_a_body_finds_its_skill() -> None:
    assert names(build(CATALOG), "zeppelin") == ["release-notes"]
    assert names(build(CATALOG), "cartesian explosion")[0] == "sql-lint"


def test_reviewing_finds_review() -> None:
    index = build(CATALOG)
    assert names(index, "reviewing")[0] == "code-review"
    assert set(names(index, "reviewing")) == set(names(index, "reviews")) == set(names(index, "review"))


def test_name_outweighs_description_outweighs_body() -> None:
    docs = [doc("alpha", "Plain words here.", body="# Notes\n\nzebra zebra zebra stripes.\n"),
            doc("beta", "Handles the zebra case.", body="# Notes\n\nNothing else.\n"),
            doc("zebra", "Plain words too.", body="# Notes\n\nNothing at all.\n")]
    assert names(build(docs), "zebra") == ["zebra", "beta", "alpha"]


def test_deprecated_ranks_below_an_equally_relevant_current_skill() -> None:
    twins = [doc("old-lint", "Lints SQL queries. Use when writing SQL.", deprecated=True),
             doc("new-lint", "Lints SQL queries. Use when writing SQL.")]
    assert names(build(twins), "lint sql queries") == ["new-lint", "old-lint"]
    assert names(build(twins[::-1]), "lint sql queries") == ["new-lint", "old-lint"]


def test_usage_and_ratings_break_ties_but_do_not_beat_a_better_match() -> None:
    twins = [doc("lint-a", "Lints SQL queries."), doc("lint-b", "Lints SQL queries."),
             doc("sql-joins", "Finds slow joins in SQL queries.")]
    popular = {"lint-b": Popularity(uses=500, rating=4.8, ratings=40), "sql-joins": Popularity(uses=1)}
    index = build(twins, popularity=popular)
    assert names(index, "lint sql")[:2] == ["lint-b", "lint-a"]
    assert names(index, "slow joins")[0] == "sql-joins"
    other = build(twins, popularity={"lint-a": Popularity(uses=5)})
    assert names(other, "lint sql")[:2] == ["lint-a", "lint-b"]


def test_strong_and_weak_matches_and_words_matched() -> None:
    hits = build(CATALOG).search("cut a release with the notes")
    assert hits[0].name == "release-notes" and hits[0].strong
    assert (hits[0].terms, hits[0].matched) == (3, 3)  # cut, releas, note ("a with the": stop words)
    weak = [h for h in hits if not h.strong]
    assert [h.name for h in weak] == ["incident-notes"] and weak[0].matched == 1
    assert weak[0].score < hits[0].score / 2


def test_a_prefix_finds_words_when_nothing_matches_whole() -> None:
    assert names(build(CATALOG), "zepp") == ["release-notes"]


def test_empty_query_lists_by_prior_then_position() -> None:
    index = build(CATALOG, popularity={"sql-lint": Popularity(uses=10)})
    assert names(index, "", 3) == ["sql-lint", "code-review", "release-notes"]


def test_huge_queries_are_refused_at_once_with_the_limit() -> None:
    index = build(CATALOG)
    with pytest.raises(QueryTooLong, match=f"limit is {MAX_QUERY_CHARS:,}"):
        index.search("review " * 200_000)
    with pytest.raises(QueryTooLong, match="words; the limit"):
        index.search("a b " * 100)


def test_analyzed_docs_round_trip_through_json() -> None:
    analyzed = [analyze_document(d) for d in CATALOG]
    again = [AnalyzedDoc.from_json(a.to_json()) for a in analyzed]
    assert SearchIndex.build(again).postings == SearchIndex.build(analyzed).postings


def test_code_blocks_and_urls_are_not_indexed() -> None:
    body = "# Steps\n\n```python\nsecret_code_word = 1\n```\n\nSee https://example.org/quux-page.\n"
    index = build([doc("one", "First.", body=body), doc("two", "Second.")])
    assert names(index, "secret_code_word") == [] and names(index, "quux") == []


def test_a_word_only_in_a_bundled_file_finds_its_skill_below_one_holding_it_in_its_body() -> None:
    docs = [doc("alpha", "Plain words here.", body="# Notes\n\nThe quokka census, counted by hand.\n"),
            Document(key="beta", name="beta", description="Plain words too.", body=f"# Steps\n\n{FILLER}\n",
                     files="# Guide\n\nA long reference about the quokka census and other matters.\n"),
            doc("gamma", "Nothing of the kind.")]
    assert names(build(docs), "quokka census") == ["alpha", "beta"]
    assert names(build(docs[1:]), "quokka") == ["beta"]


def test_bundled_text_reads_the_other_markdown_files_only() -> None:
    files = {"SKILL.md": b"# Skill\n\nskill-word\n", "references/guide.md": b"guide-word",
             "NOTES.MARKDOWN": b"notes-word", "scripts/tool.py": b"# script-word",
             "templates/broken.md": b"caf\xe9 latin-1 word", "link.md": b"link-word"}
    listed = [SkillFile(path, len(data)) for path, data in files.items() if path != "link.md"]
    listed.append(SkillFile("link.md", 0, FileKind.SYMLINK, "elsewhere.md"))
    listed.append(SkillFile("references/gone.md", 3))  # listed but unreadable: skipped

    def read(path: str) -> bytes:
        if path not in files:
            raise KeyError(path)
        return files[path]

    text = bundled_text(listed, read)
    assert "guide-word" in text and "notes-word" in text and "latin-1 word" in text
    assert "skill-word" not in text and "script-word" not in text and "link-word" not in text


def test_bundled_text_is_bounded() -> None:
    big = [SkillFile(f"references/{n}.md", MAX_FILES_CHARS) for n in "abc"]
    text = bundled_text(big, lambda path: b"word " * (MAX_FILES_CHARS // 5))
    assert len(text) <= MAX_FILES_CHARS + 2  # the bound, and the newlines joining the files

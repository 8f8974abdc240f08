"""Summaries keep the "use when" sentence and end at a word boundary."""

from __future__ import annotations

from registry.search import summary
from registry.search.summary import ELLIPSIS, SUMMARY_CHARS

LONG_FIRST = ("Reviews database migrations for locking, backfills, reversibility, index builds, "
              "foreign keys and every other hazard a schema change can bring to a busy production "
              "service, across PostgreSQL, MySQL and SQLite, with examples for each engine. ")


def test_a_short_description_is_kept_whole() -> None:
    assert summary("Does X.  Use when Y.\n") == "Does X. Use when Y."


def test_the_use_when_sentence_survives_a_long_first_sentence() -> None:
    text = LONG_FIRST + "It also explains rollbacks. Use when a pull request adds a migration file."
    result = summary(text)
    assert len(result) <= SUMMARY_CHARS
    assert result.startswith("Reviews database migrations")
    assert result.endswith("Use when a pull request adds a migration file.")
    assert "rollbacks" not in result


def test_cuts_end_at_a_word_boundary() -> None:
    text = LONG_FIRST * 3 + "Use when " + "reviewing migrations carefully, " * 20
    result = summary(text)
    assert len(result) <= SUMMARY_CHARS
    head, tail = result.split(" Use when ")
    for part in (head, "Use when " + tail):
        assert part.endswith(ELLIPSIS)
        word = part[:-1].split()[-1].strip(",")
        assert word in text.split() or word + "," in text.split()


def test_a_clause_inside_the_first_sentence_is_kept() -> None:
    text = LONG_FIRST.rstrip(". ") + ", use this skill when a migration is in the diff"
    assert summary(text).endswith("use this skill when a migration is in the diff")


def test_without_a_use_when_clause_the_first_sentence_is_shortened() -> None:
    result = summary("word " * 100)
    assert len(result) <= SUMMARY_CHARS and result.endswith("word" + ELLIPSIS)

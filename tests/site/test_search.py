"""The search index: small, boosted, with the trimmer in the query pipeline, loadable by lunr.js."""

from __future__ import annotations

import json

from builder.search import BODY_WORDS, SearchDoc, body_terms, build_index, index_script


def docs() -> list[SearchDoc]:
    return [SearchDoc("0", "code-review", "review quality", "Reviews a change.", "Steps",
                      "zeppelin manifest"),
            SearchDoc("1", "sql-lint", "sql", "Lints queries; use for review of SQL.", "How", "cartesian"),
            SearchDoc("2", "notes", "docs", "Writes notes.", "Review", "review review review")]


def test_name_beats_tags_beats_description_beats_body() -> None:
    results = [r["ref"] for r in build_index(docs()).search("review")]
    assert results[0] == "0"
    assert set(results) == {"0", "1", "2"}


def test_query_pipeline_has_the_trimmer() -> None:
    index = build_index(docs())
    assert index.serialize()["pipeline"] == ["trimmer", "stemmer"]
    assert [r["ref"] for r in index.search('zeppelin,')] == ["0"]


def test_body_terms_are_distinct_capped_and_skip_code_and_known_words() -> None:
    body = "The zeppelin flies. Zeppelin! ```\nsecret_code_word\n``` https://x.org/path " + " ".join(
        f"word{i}x" for i in range(200))
    terms = body_terms(body, exclude="flies")
    words = terms.split()
    assert words[0] == "zeppelin" and words.count("zeppelin") == 1
    assert "flies" not in words and "the" not in words and "secret_code_word" not in terms
    assert "https" not in words
    assert len(words) == BODY_WORDS


def test_index_script_is_valid_json_for_lunr_js() -> None:
    script = index_script(build_index(docs()))
    prefix = "window.RELAY_SEARCH_INDEX=JSON.parse('"
    assert script.startswith(prefix) and script.endswith("');\n")
    literal = script[len(prefix):-4]
    data = json.loads(literal.replace("\\'", "'").replace("\\\\", "\\"))
    assert data["version"] == "2.3.9"
    assert data["fields"] == ["name", "tags", "description", "headings", "body"]

"""The search index: small, boosted, with the trimmer in the query pipeline, loadable by lunr.js."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from builder.search import BODY_WORDS, SearchDoc, body_terms, build_index, compact, index_script

ROOT = Path(__file__).resolve().parent.parent.parent


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


NODE_LUNR = """
const window = {};
eval(require("fs").readFileSync(process.argv[1], "utf8"));
const lunr = require(process.argv[2]);
const index = lunr.Index.load(window.RELAY_SEARCH_INDEX);
const out = {};
for (const q of process.argv.slice(3)) { out[q] = index.search(q).map((r) => r.ref); }
console.log(JSON.stringify({fields: window.RELAY_SEARCH_INDEX.fields, results: out}));
"""


def test_lunr_js_loads_the_compact_index_and_agrees_with_lunr_py(tmp_path) -> None:
    """The script's expander rebuilds what lunr.js 2.3.9 loads, and it ranks as lunr.py does."""
    lunr_js = ROOT / "node_modules/lunr/lunr.js"
    node = shutil.which("node")
    if node is None or not lunr_js.is_file():
        pytest.skip("needs Node.js and `npm ci` (lunr.js from node_modules)")
    index = build_index(docs())
    script = tmp_path / "index.js"
    script.write_text(index_script(index), encoding="utf-8")
    queries = ["review", "zeppelin", "sql", "cartesian", "notes", "nothing-here"]
    proc = subprocess.run([node, "-e", NODE_LUNR, str(script), str(lunr_js), *queries],
                          capture_output=True, text=True, timeout=60, check=True)
    data = json.loads(proc.stdout)
    assert data["fields"] == ["name", "tags", "description", "headings", "body"]
    for q in queries:
        assert data["results"][q] == [r["ref"] for r in index.search(q)], q


def test_compact_form_is_smaller_than_lunrs_own() -> None:
    serialized = build_index(docs()).serialize()
    assert len(json.dumps(compact(serialized))) < len(json.dumps(serialized))


def test_an_empty_index_loads_in_lunr_js_and_finds_nothing(tmp_path) -> None:
    """An empty catalog still ships an index the catalog page can load and search."""
    lunr_js = ROOT / "node_modules/lunr/lunr.js"
    node = shutil.which("node")
    if node is None or not lunr_js.is_file():
        pytest.skip("needs Node.js and `npm ci` (lunr.js from node_modules)")
    script = tmp_path / "index.js"
    script.write_text(index_script(build_index([])), encoding="utf-8")
    proc = subprocess.run([node, "-e", NODE_LUNR, str(script), str(lunr_js), "review"],
                          capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(proc.stdout)["results"] == {"review": []}

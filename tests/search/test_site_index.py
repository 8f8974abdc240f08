"""The site's index (builder/search.py) in lunr.js, queried as the catalog page queries it (the
head, then the term shards each query needs), ranks and scores as registry.search does in
Python; and over a real catalog, the built site and the MCP service put the same skill first."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from builder.build import BuildConfig, build
from builder.search import Unspliceable, index_files, read_shard, shard_id, shard_script, splice
from mcp_server.snapshot import build_snapshot
from mcp_server.tools import search as mcp_search
from registry.search import Document, SearchIndex, analyze_document
from tests.conftest import RepoBuilder

ROOT = Path(__file__).resolve().parent.parent.parent
LUNR_JS = ROOT / "node_modules/lunr/lunr.js"
SEARCH_JS = ROOT / "site_templates/assets/search.js"
RUNNER = Path(__file__).with_name("site_search.js")


def site_queries(index_js: Path, names: list[str], queries: list[str],
                 lunr_query: bool = False) -> dict[str, list]:
    """{"results": ranked results per query, "shards": the shard ids each query loaded}; with
    `lunr_query`, ranked by lunr's own Index.query rather than search.js's scoring."""
    node = shutil.which("node")
    if node is None or not LUNR_JS.is_file():
        pytest.skip("needs Node.js and `npm ci` (lunr.js from node_modules)")
    proc = subprocess.run([node, str(RUNNER), str(LUNR_JS), str(SEARCH_JS), str(index_js)],
                          input=json.dumps({"names": names, "queries": queries, "lunrQuery": lunr_query}),
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(proc.stdout)


def site_search(index_js: Path, names: list[str], queries: list[str]) -> list[list[dict]]:
    return site_queries(index_js, names, queries)["results"]


def write_index(index: SearchIndex, out: Path) -> Path:
    """The head and shards as a build writes them; returns the head's path."""
    for path, script in index_files(index):
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_text(script, encoding="utf-8")
    return out / "assets/search-index.js"


DOCS = [
    Document("code-review", "code-review", "Reviews a change. Use when a pull request needs review.",
             ("review", "quality"), "# Steps\n\nRead the diff; check the zeppelin manifest.\n"),
    Document("sql-lint", "sql-lint", "Lints SQL; use for review of queries.", ("sql",),
             "# How\n\nFind the cartesian explosion.\n"),
    Document("naive-notes", "naive-notes", "Writes naïve notes about café menus 😀ok.", ("docs",),
             "# Review\n\nreview review review; ünïcode wörds and a😀b tokens.\n", deprecated=True),
    Document("c-plus", "c-plus", "C++ and C# style checks, don't forget a.b, x...y.", ("code",)),
]
QUERIES = ["review", "reviewing", "Reviewing, code!", "zeppelin", "sql", "cartesian", "notes", "zepp",
           "nothing-here", "code-review", "SQL lint", "name:review", "review^3 sql", "caf", "a😀b",
           "naïve café", "c++", "don't", "a.b", "review +sql", "—", "", "the of and", "-review*",
           "constructor"]


def test_lunr_js_ranks_and_scores_as_python(tmp_path: Path) -> None:
    index = SearchIndex.build([analyze_document(d) for d in DOCS])
    script = write_index(index, tmp_path)
    site = site_search(script, [d.name for d in DOCS], QUERIES)
    for query, results in zip(QUERIES, site, strict=True):
        if any(c in query for c in ":^+*"):  # lunr syntax: the site alone honours it
            continue
        python = index.search(query, limit=len(DOCS)) if query.strip() else []
        assert [r["ref"] for r in results] == [h.doc for h in python], query
        assert [r["score"] for r in results] == pytest.approx([h.score for h in python], abs=1e-3), query
        assert [r["strong"] for r in results] == [h.strong for h in python], query
        assert [r["exact"] for r in results] == [h.exact for h in python], query
    by_query = dict(zip(QUERIES, site, strict=True))
    assert [DOCS[r["ref"]].name for r in by_query["name:review"]] == ["code-review"]
    # nothing but a prohibited term: lunr lists every skill, then drops those with a review* term
    assert [DOCS[r["ref"]].name for r in by_query["-review*"]] == ["c-plus"]


def test_search_js_scores_exactly_as_lunrs_own_query(tmp_path: Path) -> None:
    """search.js ranks plain queries (words, prefixes, boosts, fuzzy) without lunr's Index.query:
    over items of several fields and shared words, every list, score, strong mark and count of
    matched words equals what lunr's own query gives; `+`, `-` and fields go to lunr itself."""
    rng = random.Random(5)
    words = ["alpha", "alpine", "beta", "betting", "gamma", "gamut", "delta", "deltas", "review",
             "reviews", "sql", "squad", "zeta", "zest", "omega", "omen"]

    def text(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n))

    docs = DOCS + [Document(f"item-{i}", f"item-{i}", text(6), (rng.choice(words),),
                            f"# {text(2)}\n\n{text(30)}\n") for i in range(120)]
    script = write_index(SearchIndex.build([analyze_document(d) for d in docs]), tmp_path)
    queries = QUERIES + ["al", "alp", "alpha beta", "beta alpha gamma", "alpha alpha", "revi",
                         "review^2 sql", "gamut~1", "al* zest", "omega^0", "item-7", "delta +zeta",
                         "-omen alpha", "name:item", "zz", "be ta"]
    names = [d.name for d in docs]
    ours = site_search(script, names, queries)
    lunrs = site_queries(script, names, queries, lunr_query=True)["results"]
    for query, mine, theirs in zip(queries, ours, lunrs, strict=True):
        assert mine == theirs, query
    assert sum(len(r) for r in ours) > 1000  # the lists are not all empty


def test_an_empty_index_loads_in_lunr_js_and_finds_nothing(tmp_path: Path) -> None:
    """An empty catalog still ships an index the catalog page can load and search."""
    script = write_index(SearchIndex.build([]), tmp_path)
    assert site_search(script, [], ["review", "revi", "name:x", "r*"]) == [[], [], [], []]


def script_json(script: str) -> dict:
    """The JSON inside `...=JSON.parse('<literal>');`, the literal's escapes undone."""
    literal = script.split("JSON.parse('", 1)[1].removesuffix("');\n")
    return json.loads(re.sub(r"\\(.)", r"\1", literal))


def test_shards_hold_each_pair_once_with_its_exact_weight() -> None:
    """Decoded as search.js decodes them (refs as differences, weights as integers over the
    scale), the shards give back every (term, item, field, weight) of the index, each term in
    the shard of its first two characters."""
    index = SearchIndex.build([analyze_document(d) for d in DOCS])
    files = dict(index_files(index))
    head = script_json(files.pop("assets/search-index.js"))
    assert head["pipeline"] == ["trimmer", "stopWordFilter", "stemmer"] and head["refs"] == len(DOCS)
    assert sorted(f"assets/search/{s}.js" for s in head["shards"]) == sorted(files)
    decoded = []
    for path, script in files.items():
        shard = script_json(script)
        for term, flat in zip(shard["terms"], shard["postings"], strict=True):
            assert path == f"assets/search/{shard_id(term)}.js"
            ref = 0
            for delta, weight, field in zip(flat[::3], flat[1::3], flat[2::3], strict=True):
                ref += delta
                decoded.append((term, ref, field, weight / head["scale"]))
    expected = {(term, item, field, weight) for term, (items, weights, fields) in index.postings.items()
                for item, weight, field in zip(items, weights, fields, strict=True)}
    assert set(decoded) == expected and len(decoded) == len(expected)


def test_shard_ids_are_file_names_for_any_term() -> None:
    assert [shard_id(t) for t in ["review", "r", "9x", "élan", "a😀b", "Zz"]] == \
        ["re", "r", "9x", "x00e9006c", "x0061d83d", "x005a007a"]


LONG_BODY = "\n\n".join(f"## Part {i}\n\nThe steps of stage {i} follow the usual checklist carefully."
                          for i in range(300)) + "\n\nFinally calibrate the gyroscope.\n"
SHARDED = [*DOCS, Document("long-guide", "long-guide", "A long guide to many stages.", ("guide",), LONG_BODY),
           Document("rust-tips", "rust-tips", "Rust idioms.", ("rust",),
                    "Prefer borrowing; run rustfmt, then a rabbit hole.\n")]


def test_queries_load_only_their_shards_and_rank_as_python(tmp_path: Path) -> None:
    """A word deep in a long body finds its skill on both sides; a query loads the shards of its
    terms only; a typed one-character prefix reads every shard starting with it; a query whose
    terms are in no shard loads nothing and finds nothing."""
    index = SearchIndex.build([analyze_document(d) for d in SHARDED])
    names = [d.name for d in SHARDED]
    queries = ["calibrate the gyroscope", "gyroscope", "r*", "ru*", "qqqzz xylophone", "rust zeppelin", "rus",
               "r"]
    site = site_queries(write_index(index, tmp_path), names, queries)
    by_query = dict(zip(queries, zip(site["results"], site["shards"], strict=True), strict=True))
    results, shards = by_query["calibrate the gyroscope"]
    assert shards == ["ca", "gy"]  # "the" is a stop word
    assert names[results[0]["ref"]] == "long-guide" == index.search("calibrate the gyroscope")[0].name
    results, shards = by_query["r*"]
    assert shards == sorted({s for s in (shard_id(t) for t in index.postings) if s.startswith("r")})
    assert {"ra", "re", "ru"} <= set(shards)
    assert {names[r["ref"]] for r in results} >= {"rust-tips", "code-review", "naive-notes"}
    results, shards = by_query["ru*"]
    assert shards == ["ru"] and [names[r["ref"]] for r in results] == ["rust-tips"]
    assert by_query["qqqzz xylophone"] == ([], [])
    results, shards = by_query["rust zeppelin"]
    assert shards == ["ru", "ze"]
    assert [names[r["ref"]] for r in results] == [h.name for h in index.search("rust zeppelin")]
    # a word that matches nothing falls back to a prefix, in the same shard; one letter does not
    results, shards = by_query["rus"]
    assert shards == ["ru"] and [names[r["ref"]] for r in results] == ["rust-tips"]
    assert [h.name for h in index.search("rus")] == ["rust-tips"]
    assert by_query["r"] == ([], []) and index.search("r") == []


QUESTIONS = [
    "review a pull request before merging", "write release notes from the commits since the last tag",
    "this SQL query is slow", "we had an outage, write up what happened", "plan the tests for a feature",
    "new engineer joining the team needs to find their way around the code", "alert storm at night",
    "design document for a new service", "good commit message", "reviewing", "REST API naming",
    "describe my PR", "rollback safety", "code review", "postmortem", "runbook", "sql",
]


def test_site_and_mcp_put_the_same_skill_first(tmp_path: Path) -> None:
    """This repository's own skills in a fresh git repo: built site (node) vs the MCP snapshot."""
    repo = RepoBuilder(tmp_path / "repo")
    files: dict[str, str | bytes | None] = {"relay.toml": (ROOT / "relay.toml").read_text(encoding="utf-8")}
    for path in sorted((ROOT / "skills").rglob("*")):
        if path.is_file():
            files[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    repo.commit(files, "the catalog")
    out = tmp_path / "site"
    build(BuildConfig(repo=repo.path, out=out, node_modules=ROOT / "node_modules"))
    snapshot = build_snapshot(repo.path)
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    names = [s["name"] for s in catalog["skills"]]
    site = site_search(out / "assets/search-index.js", names, QUESTIONS)
    for question, results in zip(QUESTIONS, site, strict=True):
        mcp = mcp_search(snapshot, question, limit=5)
        assert results and mcp, question
        assert names[results[0]["ref"]] == mcp[0][1].name, question
        assert [names[r["ref"]] for r in results[:5]] == [e.name for _, e in mcp], question


def test_the_service_index_has_every_terms_arrays_before_the_first_request(tmp_path: Path) -> None:
    """A snapshot is searched with no term made on first use (that was the slow round of the p99)."""
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit({"skills/alpha/SKILL.md": "---\nname: alpha\ndescription: Review pull requests.\n---\n"
                                          "Look at every changed line of the diff.\n",
                 "skills/beta/SKILL.md": "---\nname: beta\ndescription: Deploy the service.\n---\n"
                                         "Roll out to staging, then production.\n"}, "two skills")
    search = build_snapshot(repo.path).search
    assert "diff" in search.postings and "stage" in search.postings
    assert set(search._arrays) == set(search.postings)
    fresh = SearchIndex.build(search.docs)
    assert not fresh._arrays  # only the service prepares: a site build never searches


def test_a_shard_read_back_gives_each_terms_postings_and_writes_the_same_bytes() -> None:
    """A rebuild splices shards from their kept text: what `read_shard` gives back is each
    term's postings as the JSON a whole-shard encoding writes, and writing it again gives the
    same bytes, whatever the terms hold (quotes, backslashes, the postings' own separators)."""
    terms = {"it's": "[0,5,1]", 'a"],["b': "[1,2,4,3,7,4]", "back\\slash": "[2,100,0]", "😀x": "[9,1,2]"}
    script = shard_script("xx", terms)
    decoded = script_json(script)
    assert dict(zip(decoded["terms"], decoded["postings"], strict=True)) == \
        {t: json.loads(p) for t, p in terms.items()}
    assert read_shard(script) == terms
    assert shard_script("xx", read_shard(script)) == script
    assert read_shard(shard_script("xx", {"one": "[3,4,0]"})) == {"one": "[3,4,0]"}


# refs 3, 5 and 15: `[ref delta, weight, field, ...]`
KEPT = "[3,40,0,2,50,1,10,60,2]"


@pytest.mark.parametrize(("items", "fresh", "expected"), [
    ([5], [(5, 55, 0)], "[3,40,0,2,55,0,10,60,2]"),  # a weight and a field change in place
    ([5], [], "[3,40,0,12,60,2]"),  # gone: the next entry's delta spans the gap
    ([4], [(4, 70, 1)], "[3,40,0,1,70,1,1,50,1,10,60,2]"),  # new: it and the next are written
    ([0], [(0, 9, 3)], "[0,9,3,3,40,0,2,50,1,10,60,2]"),  # before the first
    ([3], [], "[5,50,1,10,60,2]"),  # the first gone: the next delta is its ref
    ([20], [(20, 1, 0)], "[3,40,0,2,50,1,10,60,2,5,1,0]"),  # after the last
    ([3, 15], [(15, 61, 2)], "[5,50,1,10,61,2]"),  # two items at once
    ([3, 5, 15], [], None),  # no posting left
    ([7, 9], [], KEPT),  # items that held no posting and still hold none
], ids=["in-place", "gone", "new", "first", "first-gone", "last", "two", "emptied", "untouched"])
def test_splice_replaces_only_the_changed_items_postings(items: list[int], fresh: list[tuple[int, int, int]],
                                                         expected: str | None) -> None:
    """A rebuild splices one changed skill's postings into a common term's kept text; the
    result is the text a whole encoding of the new postings gives (written out by hand here)."""
    assert splice(KEPT, items, fresh) == expected
    assert splice("[]", [7], [(7, 12, 4)]) == "[7,12,4]"


@pytest.mark.parametrize("text", ["[3,40]", "[3,,40,0]", "[3,4.5,0]", "3,40,0", "[3,40,0,]", '["a",1,2]'])
def test_splice_refuses_text_that_is_not_a_postings_list(text: str) -> None:
    """Kept text edited by hand or cut short: the rebuild assembles the index anew instead."""
    with pytest.raises(Unspliceable):
        splice(text, [3], [])


def test_site_and_mcp_find_a_skill_by_a_word_only_in_its_bundled_markdown(tmp_path: Path) -> None:
    """A word in references/*.md finds the skill on both sides; one only in a script does not."""
    repo = RepoBuilder(tmp_path / "repo")
    repo.commit({"skills/alpha/SKILL.md": "---\nname: alpha\ndescription: Review pull requests.\n---\n"
                                          "Look at every changed line of the diff.\n",
                 "skills/alpha/references/checklist.md": "# Checklist\n\nWatch for the wombat pattern.\n",
                 "skills/alpha/scripts/tool.py": "# numbat\nprint('numbat')\n",
                 "skills/beta/SKILL.md": "---\nname: beta\ndescription: Deploy the service.\n---\n"
                                         "Roll out to staging, then production.\n"}, "two skills")
    out = tmp_path / "site"
    build(BuildConfig(repo=repo.path, out=out, node_modules=ROOT / "node_modules"))
    names = [s["name"] for s in json.loads((out / "catalog.json").read_text(encoding="utf-8"))["skills"]]
    site = site_search(out / "assets/search-index.js", names, ["wombat patterns", "numbat"])
    snapshot = build_snapshot(repo.path)
    assert [names[r["ref"]] for r in site[0]] == ["alpha"]
    assert [e.name for _, e in mcp_search(snapshot, "wombat patterns", limit=5)] == ["alpha"]
    assert site[1] == [] and mcp_search(snapshot, "numbat", limit=5) == []


def test_kept_term_counts_read_back_equal_and_damaged_ones_are_refused() -> None:
    """The counts a site keeps for rebuilds come back as written; a truncated, foreign or
    inconsistent file is no counts at all (the build then assembles the whole index)."""
    from registry.search.counts import TermCounts

    counts = TermCounts.from_docs([analyze_document(d) for d in DOCS])
    data = counts.dumps()
    back = TermCounts.loads(data)
    assert back is not None and back.vocab == counts.vocab == sorted(counts.vocab)
    assert back.dumps() == data
    assert TermCounts.loads(data[:-7]) is None
    assert TermCounts.loads(b"not counts") is None
    header, rest = data.split(b"\n", 1)
    fields = json.loads(header)
    fields["arrays"][-1][2] = [len(DOCS) + 1]  # more deprecation flags than items
    assert TermCounts.loads(json.dumps(fields).encode() + b"\n" + rest) is None


def test_counts_assembled_from_kept_items_and_new_analyses_equal_counting_all_anew(tmp_path: Path) -> None:
    """A rebuild that adds, removes or reorders items takes the kept ones' rows from the last
    build's counts: the columns (and their bytes) are those of counting every analysis anew.
    `peek` reads how many items kept counts hold from their header, and refuses a cut file."""
    from registry.search.counts import TermCounts

    analysed = [analyze_document(d) for d in DOCS]
    extra = analyze_document(Document("quokka-notes", "quokka-notes", "Notes about quokkas.", (),
                                      "# Quokka\n\nA new word, and review again.\n"))
    kept = TermCounts.from_docs(analysed)
    last = len(analysed) - 1
    # the first item dropped, a new one in second place, the last item moved to the front
    assembled = TermCounts.assemble(kept, [last, extra, *range(1, last)])
    clean = TermCounts.from_docs([analysed[last], extra, *analysed[1:last]])
    assert assembled.vocab == clean.vocab and "quokka" in clean.vocab
    assert assembled.dumps() == clean.dumps()
    assert TermCounts.assemble(None, analysed).dumps() == kept.dumps()
    path = tmp_path / "counts.bin"
    path.write_bytes(kept.dumps())
    assert TermCounts.peek(path) == len(DOCS)
    path.write_bytes(kept.dumps()[:-1])
    assert TermCounts.peek(path) is None
    assert TermCounts.peek(tmp_path / "missing.bin") is None

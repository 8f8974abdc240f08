"""The site's search index: registry.search's weights, written for lunr.js 2.3.9 in the browser.

Ranking lives once in `registry.search` (analyzer, fields, BM25F weights,
priors); this module only serialises a built `SearchIndex` in a compact form
that the catalog's search.js (`relayIndex`) turns into a `lunr.Index`, so the
catalog page ranks with the very numbers the MCP service uses. Each (term,
skill) pair is written once, as a field-vector entry under the first field
holding the term (name, tags, description, headings, body), so `name:review`
still scopes a query; lunr's score is then the sum of those weights divided by
the query vector's length, the same for every skill.

Per-skill work (`analyze_document`) is separate from this final assembly, so
a build can cache each skill's `AnalyzedDoc` and redo only the changed ones.

The query pipeline is trimmer, stop-word filter, stemmer: the analyzer's
steps, so a query such as `Reviewing,` becomes the term `review` on both
sides.
"""

from __future__ import annotations

import json

from registry.search import FIELDS, SearchIndex, js_order
from registry.search.ranking import DIGITS, STRONG_SHARE

LUNR_VERSION = "2.3.9"
PIPELINE = ["trimmer", "stopWordFilter", "stemmer"]
SCALE = 10**DIGITS  # weights are rounded to DIGITS decimals: written as integers, divided in the browser


def compact(index: SearchIndex) -> dict:
    """The index as field vectors only, the form search.js's `relayIndex` reads.

    lunr's own serialisation writes every pair twice (a posting `"ref":{}` under
    its term, and an entry of the `"field/ref"` vector), and `lunr.Index.load`
    builds an object for each: at 10,000 skills that was most of the time to
    first results. Here each pair is written once, in the vectors: one list
    per field, aligned with the refs (card positions), holding `[term, weight,
    ...]` with each term number written as the difference from the previous
    one and each weight as an integer (weight x SCALE, exact: weights are
    rounded to DIGITS decimals, and k / SCALE in JavaScript is the double that
    parsing the decimal gives). The browser derives postings from the vectors.
    """
    terms = sorted(index.postings, key=js_order)  # lunr's TokenSet wants UTF-16 order
    vectors: list[list[list[int]]] = [[[] for _ in index.docs] for _ in FIELDS]
    previous: list[list[int]] = [[0] * len(index.docs) for _ in FIELDS]
    for number, term in enumerate(terms):
        items, weights, fields = index.postings[term]
        for item, weight, field in zip(items, weights, fields, strict=True):
            vectors[field][item] += [number - previous[field][item], round(weight * SCALE)]
            previous[field][item] = number
    return {"version": LUNR_VERSION, "fields": list(FIELDS), "pipeline": PIPELINE, "scale": SCALE,
            "terms": terms, "vectors": vectors, "relay": {"strong": STRONG_SHARE}}


def index_script(index: SearchIndex) -> str:
    """The index as a script that sets a global, so it loads from file:// too.

    The compact JSON is wrapped in `JSON.parse('...')`: browsers parse a JSON
    string several times faster than the same data as a JavaScript literal.
    """
    payload = json.dumps(compact(index), separators=(",", ":"), ensure_ascii=True)
    literal = payload.replace("\\", "\\\\").replace("'", "\\'")
    return f"window.RELAY_SEARCH_INDEX=JSON.parse('{literal}');\n"

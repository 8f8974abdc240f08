"""The site's search index: registry.search's weights, written for lunr.js 2.3.9 in the browser.

Ranking lives once in `registry.search` (analyzer, fields, BM25F weights,
priors); this module only serialises a built `SearchIndex` in the form
`lunr.Index.load` takes, so the catalog page ranks with the very numbers the
MCP service uses. Each (term, skill) pair is written once, as a field-vector
entry under the first field holding the term (name, tags, description,
headings, body), so `name:review` still scopes a query; lunr's score is then
the sum of those weights divided by the query vector's length, the same for
every skill.

Per-skill work (`analyze_document`) is separate from this final assembly, so
a build can cache each skill's `AnalyzedDoc` and redo only the changed ones.

The query pipeline is trimmer, stop-word filter, stemmer: the analyzer's
steps, so a query such as `Reviewing,` becomes the term `review` on both
sides.
"""

from __future__ import annotations

import json

from registry.search import FIELDS, SearchIndex, js_order
from registry.search.ranking import STRONG_SHARE

LUNR_VERSION = "2.3.9"
PIPELINE = ["trimmer", "stopWordFilter", "stemmer"]

# Rebuilds lunr's serialized form from the compact one (see `compact`); runs in the browser.
# Every posting shares one empty metadata object: lunr copies metadata, never changes it.
_EXPAND_JS = (
    "function(c){var f=c.fields,v=[],ii=[],e={},i,j,k,p,o,t,r;"
    "for(j=0;j<f.length;j++){for(i=0;i<c.refs.length;i++){o=c.vectors[j][i];"
    "for(k=2,t=o.length;k<t;k+=2){o[k]+=o[k-2];}v.push([f[j]+'/'+c.refs[i],o]);}}"
    "for(i=0;i<c.terms.length;i++){t=c.terms[i];p={_index:t[1]};"
    "for(j=0;j<f.length;j++){o={};for(k=0,r=0;k<t[2+j].length;k++){r+=t[2+j][k];o[r]=e;}p[f[j]]=o;}"
    "ii.push([t[0],p]);}"
    "return{version:c.version,fields:f,fieldVectors:v,invertedIndex:ii,pipeline:c.pipeline,relay:c.relay};}"
)


def compact(index: SearchIndex) -> dict:
    """The index in a compact form of lunr's serialisation, for `_EXPAND_JS` to rebuild.

    lunr writes every posting as `"ref":{}` and every field vector under a
    `"field/ref"` key; at 10,000 skills that repetition is most of the file, and
    parsing it most of the time to first results. Here postings are sorted ref
    lists per field written as differences, and vectors one list per field
    aligned with the refs, holding `[term, weight, ...]` with each term number
    written as the difference from the previous one. Refs are card positions.
    """
    refs = list(range(len(index.docs)))
    vectors: list[list[list[float]]] = [[[] for _ in refs] for _ in FIELDS]
    previous: list[list[int]] = [[0] * len(refs) for _ in FIELDS]
    terms = []
    for number, term in enumerate(sorted(index.postings, key=js_order)):
        items, weights, fields = index.postings[term]
        postings: list[list[int]] = [[] for _ in FIELDS]
        for item, weight, field in zip(items, weights, fields, strict=True):
            vectors[field][item] += [number - previous[field][item], weight]
            previous[field][item] = number
            postings[field].append(item)
        terms.append([term, number, *[_deltas(p) for p in postings]])
    return {"version": LUNR_VERSION, "fields": list(FIELDS), "pipeline": PIPELINE, "refs": refs,
            "vectors": vectors, "terms": terms, "relay": {"strong": STRONG_SHARE}}


def _deltas(numbers: list[int]) -> list[int]:
    """Sorted numbers as differences from the previous one: fewer digits to write and parse."""
    return [n - p for n, p in zip(numbers, [0, *numbers], strict=False)]


def index_script(index: SearchIndex) -> str:
    """The index as a script that sets a global, so it loads from file:// too.

    The compact JSON is wrapped in `JSON.parse('...')` (browsers parse a JSON
    string several times faster than the same data as a JavaScript literal) and
    expanded back to what `lunr.Index.load` takes.
    """
    payload = json.dumps(compact(index), separators=(",", ":"), ensure_ascii=True)
    literal = payload.replace("\\", "\\\\").replace("'", "\\'")
    return f"window.RELAY_SEARCH_INDEX=({_EXPAND_JS})(JSON.parse('{literal}'));\n"

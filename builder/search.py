"""The site's search index: registry.search's weights, written for lunr.js 2.3.9 in the browser.

Ranking lives once in `registry.search` (analyzer, fields, BM25F weights,
priors, every term of every field); this module only writes a built
`SearchIndex` for the catalog page, split so that a query downloads only what
its terms need:

- `assets/search-index.js`, the head: fields, pipeline, scale, the number of
  items and the list of shards (a few KB);
- `assets/search/<shard>.js`, one per group of terms sharing their first two
  characters (UTF-16 code units, as JavaScript's `slice(0, 2)` counts them):
  each term's postings, `[ref, weight, field, ...]`, refs ascending and written
  as differences, weights as integers (weight x SCALE).

A word or a prefix of two characters or more lives in one shard (`rev*` reads
`re` only), one character in the shards starting with it. Each file is a
script that sets a global, so the site works from file:// as well as over
HTTP (no fetch of JSON). search.js (`relayShardsFor`, `relayIndex`) lists the
shards a query needs and turns them into a `lunr.Index` holding just their
terms: lunr's score for a query is the sum of the query terms' weights divided
by the query vector's length, so other terms change nothing and the page ranks
with the very numbers the MCP service uses.

The query pipeline is trimmer, stop-word filter, stemmer: the analyzer's
steps, so a query such as `Reviewing,` becomes the term `review` on both
sides.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from registry.search import FIELDS, SearchIndex, js_order
from registry.search.ranking import DIGITS, STRONG_SHARE

from . import paths

LUNR_VERSION = "2.3.9"
PIPELINE = ["trimmer", "stopWordFilter", "stemmer"]
SCALE = 10**DIGITS  # weights are rounded to DIGITS decimals: written as integers, divided in the browser
_PLAIN = re.compile(r"[a-z0-9]{1,2}")


def shard_id(term: str) -> str:
    """The shard holding `term`: its first two UTF-16 code units, as they are when they are
    lowercase ASCII letters or digits (`review` -> `re`), else `x` and their hex codes
    (`élan` -> `x00e9006c`). Ids are file names on any file system (no case, no punctuation).
    search.js computes the same (`shardId`)."""
    units = term.encode("utf-16-be", "surrogatepass")[:4]
    key = units.decode("utf-16-be", "surrogatepass")
    if _PLAIN.fullmatch(key):
        return key
    return "x" + units.hex()


def shard_path(shard: str) -> str:
    return f"{paths.SEARCH_SHARDS}/{shard}.js"


def shard_terms(index: SearchIndex) -> dict[str, list[str]]:
    """Shard id -> its terms, in lunr's order (UTF-16 code units)."""
    shards: dict[str, list[str]] = {}
    for term in sorted(index.postings, key=js_order):
        shards.setdefault(shard_id(term), []).append(term)
    return shards


def head(index: SearchIndex, shards: list[str]) -> dict:
    return {"version": LUNR_VERSION, "fields": list(FIELDS), "pipeline": PIPELINE, "scale": SCALE,
            "refs": len(index.docs), "shards": sorted(shards), "relay": {"strong": STRONG_SHARE}}


def shard(index: SearchIndex, terms: list[str]) -> dict:
    """One shard: its terms and, per term, `[ref delta, weight x SCALE, field number, ...]`."""
    postings = []
    for term in terms:
        items, weights, fields = index.postings[term]
        flat: list[int] = []
        previous = 0
        for item, weight, field in zip(items, weights, fields, strict=True):
            flat += [item - previous, round(weight * SCALE), field]
            previous = item
        postings.append(flat)
    return {"terms": terms, "postings": postings}


def _script(assignment: str, data: dict) -> str:
    """`data` as a script that sets a global, so it loads from file:// too. The JSON is wrapped
    in `JSON.parse('...')`: browsers parse a JSON string several times faster than the same
    data as a JavaScript literal."""
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=True)
    literal = payload.replace("\\", "\\\\").replace("'", "\\'")
    return f"{assignment}=JSON.parse('{literal}');\n"


def index_files(index: SearchIndex) -> Iterator[tuple[str, str]]:
    """(site path, script) of the head and of every shard."""
    shards = shard_terms(index)
    yield paths.SEARCH_INDEX, _script("window.RELAY_SEARCH_INDEX", head(index, list(shards)))
    for name, terms in shards.items():
        target = f'(window.RELAY_SEARCH_SHARDS=window.RELAY_SEARCH_SHARDS||{{}})["{name}"]'
        yield shard_path(name), _script(target, shard(index, terms))

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
from collections.abc import Iterable, Iterator

from registry.search import FIELDS, SearchIndex, js_order
from registry.search.counts import Table
from registry.search.ranking import DIGITS, STRONG_SHARE

from . import paths

LUNR_VERSION = "2.3.9"
PIPELINE = ["trimmer", "stopWordFilter", "stemmer"]
SCALE = 10**DIGITS  # weights are rounded to DIGITS decimals: written as integers, divided in the browser
_PLAIN = re.compile(r"[a-z0-9]{1,2}")
_UNESCAPE = re.compile(r"\\(.)")


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


def head(refs: int, shards: Iterable[str]) -> dict:
    return {"version": LUNR_VERSION, "fields": list(FIELDS), "pipeline": PIPELINE, "scale": SCALE,
            "refs": refs, "shards": sorted(shards), "relay": {"strong": STRONG_SHARE}}


def index_head(refs: int, shards: Iterable[str]) -> str:
    """The head's script: what search.js needs before any shard (the shards' ids among it)."""
    return _script("window.RELAY_SEARCH_INDEX", head(refs, shards))


def postings(table: Table) -> dict[str, str]:
    """Term -> its postings as JSON text, `[ref delta,weight x SCALE,field number,...]`, refs
    ascending. Kept as text: a rebuild splices a shard from these without decoding it."""
    import numpy as np

    previous = np.r_[0, table.doc[:-1]] if len(table.doc) else table.doc
    first = np.r_[True, table.term[1:] != table.term[:-1]] if len(table.term) else table.term
    delta = np.where(first, table.doc, table.doc - previous)
    scaled = np.rint(table.weight * SCALE).astype(np.int64)
    flat = np.stack([delta.astype(np.int64), scaled, table.field.astype(np.int64)], axis=1).ravel().tolist()
    return {term: json.dumps(flat[3 * rows.start:3 * rows.stop], separators=(",", ":"))
            for term, rows in table.groups()}


_SHARD_TARGET = '(window.RELAY_SEARCH_SHARDS=window.RELAY_SEARCH_SHARDS||{{}})["{}"]'
_TERMS, _POSTINGS = '{"terms":', ',"postings":['


def shard_script(name: str, terms: dict[str, str]) -> str:
    """One shard: its terms in lunr's order (UTF-16 code units) and, per term, its postings;
    the bytes of `_script` of `{"terms": [...], "postings": [[...], ...]}`, put together from
    each term's kept text."""
    ordered = sorted(terms, key=js_order)
    payload = (_TERMS + json.dumps(ordered, separators=(",", ":"), ensure_ascii=True) + _POSTINGS
               + ",".join(terms[t] for t in ordered) + "]}")
    return _wrap(_SHARD_TARGET.format(name), payload)


def read_shard(script: str) -> dict[str, str]:
    """A shard script's terms, each with its postings' JSON text, as `shard_script` wrote them.
    Only the terms are parsed: inside the JSON a `,"postings":[` can only be the key (a quote
    in a term is escaped), and postings hold nothing but integers."""
    literal = script.split("JSON.parse('", 1)[1].removesuffix("');\n")
    payload = _UNESCAPE.sub(r"\1", literal)
    split = payload.index(_POSTINGS)
    terms = json.loads(payload[len(_TERMS):split])
    inner = payload[split + len(_POSTINGS) + 1:-3]  # without the outer `[`, `]` and `]}`
    lists = ["[" + part + "]" for part in inner.split("],[")] if terms else []
    return dict(zip(terms, lists, strict=True))


def by_shard(terms: dict[str, str]) -> dict[str, dict[str, str]]:
    shards: dict[str, dict[str, str]] = {}
    for term, flat in terms.items():
        shards.setdefault(shard_id(term), {})[term] = flat
    return shards


def _script(assignment: str, data: dict) -> str:
    """`data` as a script that sets a global, so it loads from file:// too. The JSON is wrapped
    in `JSON.parse('...')`: browsers parse a JSON string several times faster than the same
    data as a JavaScript literal."""
    return _wrap(assignment, json.dumps(data, separators=(",", ":"), ensure_ascii=True))


def _wrap(assignment: str, payload: str) -> str:
    literal = payload.replace("\\", "\\\\").replace("'", "\\'")
    return f"{assignment}=JSON.parse('{literal}');\n"


def table_files(table: Table, refs: int) -> Iterator[tuple[str, str]]:
    """(site path, script) of the head and of every shard."""
    shards = by_shard(postings(table))
    yield paths.SEARCH_INDEX, index_head(refs, shards)
    for name in sorted(shards):
        yield shard_path(name), shard_script(name, shards[name])


def index_files(index: SearchIndex) -> Iterator[tuple[str, str]]:
    """(site path, script) of the head and of every shard of a built index."""
    assert index.table is not None, "an index made by SearchIndex.build"
    return table_files(index.table, len(index.docs))

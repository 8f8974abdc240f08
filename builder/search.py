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

import bisect
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

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
    flat = np.stack([delta.astype(np.int64), _scaled(table), table.field.astype(np.int64)],
                    axis=1).ravel().tolist()
    return {term: json.dumps(flat[3 * rows.start:3 * rows.stop], separators=(",", ":"))
            for term, rows in table.groups()}


def entries(table: Table) -> dict[str, list[tuple[int, int, int]]]:
    """Term -> its postings as `(ref, weight x SCALE, field number)`, refs ascending: the few
    postings `splice` puts into a term's kept text."""
    docs, weights, fields = table.doc.tolist(), _scaled(table).tolist(), table.field.tolist()
    return {term: list(zip(docs[rows], weights[rows], fields[rows], strict=True))
            for term, rows in table.groups()}


def _scaled(table: Table) -> Any:
    import numpy as np

    return np.rint(table.weight * SCALE).astype(np.int64)


class Unspliceable(ValueError):
    """Kept postings text that `postings` did not write: the index is assembled anew."""


def splice(text: str, items: Sequence[int], fresh: Sequence[tuple[int, int, int]]) -> str | None:
    """A term's kept postings (`postings`' text) with the postings of the items at `items`
    (positions, ascending) replaced by `fresh` (`entries`' tuples, each of an item in `items`):
    the text `postings` writes for the new weights, or None when no posting is left.

    Only the entries of those items, and the entry after each (its ref delta moves when the
    one before it comes or goes), are written; the runs between them are copied as they are.
    A common word of a 10,000-item catalog has thousands of postings, and one changed item
    holds a hundred such words (issue 12): re-serialising them all was most of a rebuild. Of
    the text only the ref deltas are read (numpy, from the bytes), not the weights.
    """
    import numpy as np

    raw = np.frombuffer(text.encode("ascii", "replace"), dtype=np.uint8)
    bounds = np.flatnonzero((raw - ord("0")) > 9)  # the brackets and the commas (uint8 wraps)
    # `[`, then numbers of digits between single commas, then `]`: three numbers per entry.
    if (text[:1] != "[" or text[-1:] != "]" or len(bounds) < 2 or bounds[-1] != len(raw) - 1
            or (len(bounds) > 2 and ((len(bounds) - 2) % 3 != 2 or (raw[bounds[1:-1]] != ord(",")).any()
                                     or (np.diff(bounds) < 2).any()))):
        raise Unspliceable(f"not a postings list: {text[:40]!r}")
    count = (len(bounds) - 1) // 3  # number k lies between bounds[k] and bounds[k + 1]
    refs = np.cumsum(_numbers(raw, bounds[0:-1:3] + 1, bounds[1::3])).tolist() if count else []

    def entry(j: int) -> int:  # where entry j starts in `text`
        return int(bounds[3 * j]) + 1

    pieces: list[str] = []
    previous = 0  # the ref before the next entry written (a list's first delta is its ref)

    def run(a: int, b: int) -> None:
        """Old entries a..b-1, after `previous`: copied; the first written anew if its delta moved."""
        if a >= b:
            return
        if previous != (refs[a - 1] if a else 0):
            weight_field = text[int(bounds[3 * a + 1]) + 1:int(bounds[3 * a + 3])]
            pieces.append(f"{refs[a] - previous},{weight_field}")
            a += 1
        if a < b:
            pieces.append(text[entry(a):int(bounds[3 * b])])

    new = {ref: (weight, field) for ref, weight, field in fresh}
    j = 0  # the next old entry
    for item in items:
        i = bisect.bisect_left(refs, item, j)
        run(j, i)
        if i > j:
            previous = refs[i - 1]
        if i < count and refs[i] == item:
            i += 1  # the item's old entry: replaced below, or gone
        if item in new:
            weight, field = new[item]
            pieces.append(f"{item - previous},{weight},{field}")
            previous = item
        j = i
    run(j, count)
    return "[" + ",".join(pieces) + "]" if pieces else None


def _numbers(raw: Any, starts: Any, ends: Any) -> Any:
    """The decimal numbers at `raw[starts[k]:ends[k]]` (ASCII digits, 1 to 18 of them)."""
    import numpy as np

    lengths = ends - starts
    width = int(lengths.max())
    if width > 18:
        raise Unspliceable("a number of more than 18 digits")
    place = np.arange(width)
    present = place < lengths[:, None]
    digits = np.where(present, raw[np.maximum(ends[:, None] - 1 - place, 0)].astype(np.int64) - ord("0"), 0)
    return (digits * 10 ** place).sum(axis=1)


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

"""The search index: built with lunr.py at build time, loaded by lunr.js 2.3.9 in the browser.

Users search names, tags, descriptions and headings, and sometimes a word from
a body; they never search a whole body verbatim. So each skill contributes its
name, tags, description and headings in full, and its body reduced to a capped
set of distinct words (most frequent first). Refs are small integers (the
card's position in the catalog page), not names, because every posting
repeats its ref. Together this keeps the index small enough to load on first
focus at 10,000 skills.

lunr.py's default query pipeline only stems; the trimmer is added so that a
query such as `review,` or `"sql"` is trimmed exactly as the indexed words were.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

from lunr.builder import Builder
from lunr.index import Index
from lunr.stemmer import stemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS
from lunr.stop_word_filter import stop_word_filter
from lunr.token_set import TokenSet
from lunr.trimmer import trimmer

BOOSTS = {"name": 10, "tags": 6, "description": 3, "headings": 2, "body": 1}
BODY_WORDS = 12  # distinct body words per skill: enough to find a skill by a word it is about
HEADING_WORDS = 8  # distinct heading words per skill
COMMON_SHARE = 0.25  # a body word in more than this share of all skills matches too much to help
COMMON_MIN_SKILLS = 200  # below this many skills every word is kept
_WORD = re.compile(r"[a-z][a-z0-9]{2,24}")
_CODE = re.compile(r"```.*?```", re.S)
_URL = re.compile(r"\(?https?://\S+")


@dataclass(frozen=True)
class SearchDoc:
    """What one skill offers the index."""

    ref: str
    name: str
    tags: str
    description: str
    headings: str
    body: str


def body_words(body: str) -> Counter[str]:
    """How often each indexable word occurs in a body (code blocks and URLs left out)."""
    text = _URL.sub(" ", _CODE.sub(" ", body.lower()))
    return Counter(w for w in _WORD.findall(text) if w not in STOP_WORDS)


def common_words(bodies: list[Counter[str]]) -> set[str]:
    """Words found in so many bodies that indexing them would only bloat the index.

    Like a stop-word list computed from the catalog itself: a body word shared by
    more than a quarter of all skills cannot tell them apart, yet costs a posting
    per skill. Small catalogs keep every word.
    """
    if len(bodies) < COMMON_MIN_SKILLS:
        return set()
    spread = Counter(word for counts in bodies for word in counts)
    return {word for word, n in spread.items() if n > COMMON_SHARE * len(bodies)}


def without_common(text: str, common: set[str]) -> str:
    """`text` minus the catalog's common words.

    A description written to the same template as thousands of others then indexes
    only the words that set it apart; the page still shows it whole.
    """
    if not common:
        return text
    kept = [token for token in text.split()
            if token.lower().strip(".,;:!?()[]\"'`") not in common]
    return " ".join(kept)


def heading_terms(headings: str, limit: int = HEADING_WORDS) -> str:
    """The first `limit` distinct words of the headings, in order."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(headings.lower()):
        if word not in STOP_WORDS:
            seen.setdefault(word, None)
    return " ".join(list(seen)[:limit])


def body_terms(body: str, exclude: str = "", limit: int = BODY_WORDS,
               common: set[str] | None = None, counts: Counter[str] | None = None) -> str:
    """A body reduced to its `limit` most frequent distinct words, minus stop words, `exclude`
    and the catalog's `common` words."""
    skip = set(_WORD.findall(exclude.lower())) | (common or set())
    counts = Counter({w: n for w, n in (counts or body_words(body)).items() if w not in skip})
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return " ".join(word for word, _ in ranked[:limit])


def make_builder() -> Builder:
    """A lunr builder with field boosts, and the trimmer in the query pipeline too."""
    builder = Builder()
    builder.pipeline.add(trimmer, stop_word_filter, stemmer)
    builder.search_pipeline.add(trimmer, stemmer)
    builder.ref("ref")
    for name, boost in BOOSTS.items():
        builder.field(name, boost=boost)
    return builder


def build_index(docs: list[SearchDoc]) -> Index:
    """The lunr index of `docs`; with none, an empty index that lunr.js loads and searches."""
    builder = make_builder()
    if not docs:
        # lunr.py's build divides by the number of documents per field.
        return Index(inverted_index={}, field_vectors={}, token_set=TokenSet.from_list([]),
                     fields=list(builder._fields), pipeline=builder.search_pipeline)
    for doc in docs:
        builder.add({"ref": doc.ref, "name": doc.name, "tags": doc.tags,
                     "description": doc.description, "headings": doc.headings, "body": doc.body})
    return builder.build()


# Rebuilds lunr's serialized form from the compact one (see `compact`); runs in the browser.
# Every posting shares one empty metadata object: lunr copies metadata, never changes it.
_EXPAND_JS = (
    "function(c){var f=c.fields,v=[],ii=[],e={},i,j,k,p,o,t,r;"
    "for(j=0;j<f.length;j++){for(i=0;i<c.refs.length;i++){o=c.vectors[j][i];"
    "for(k=2,t=o.length;k<t;k+=2){o[k]+=o[k-2];}v.push([f[j]+'/'+c.refs[i],o]);}}"
    "for(i=0;i<c.terms.length;i++){t=c.terms[i];p={_index:t[1]};"
    "for(j=0;j<f.length;j++){o={};for(k=0,r=0;k<t[2+j].length;k++){r+=t[2+j][k];o[r]=e;}p[f[j]]=o;}"
    "ii.push([t[0],p]);}"
    "return{version:c.version,fields:f,fieldVectors:v,invertedIndex:ii,pipeline:c.pipeline};}"
)
SCORE_DIGITS = 2  # two decimals rank as well as lunr's three and cost a digit less per term


def compact(serialized: dict) -> dict:
    """lunr's serialized index in about half the bytes, for `_EXPAND_JS` to rebuild.

    lunr writes every posting as `"ref":{}` and every field vector under a
    `"field/ref"` key; at 10,000 skills that repetition is most of the file, and
    parsing it is most of the time to first results. Postings become sorted integer
    lists per field, written as differences; vectors become one list per field, aligned with one list of refs,
    holding `[term, score, ...]` without zero scores, each term index written as the
    difference from the previous one (lunr keeps them sorted).
    """
    fields = serialized["fields"]
    by_key = {key: values for key, values in serialized["fieldVectors"]}
    refs = sorted({int(key.split("/", 1)[1]) for key in by_key})
    vectors = []
    for field in fields:
        column = []
        for ref in refs:
            values = by_key.get(f"{field}/{ref}", [])
            pairs: list[float] = []
            previous = 0
            for term, score in zip(values[::2], values[1::2], strict=True):
                if round(score, SCORE_DIGITS):  # a zero weight adds nothing to any dot product
                    pairs += [term - previous, round(score, SCORE_DIGITS)]
                    previous = term
            column.append(pairs)
        vectors.append(column)
    terms = [[term, postings["_index"], *[_deltas(sorted(int(r) for r in postings[f])) for f in fields]]
             for term, postings in serialized["invertedIndex"]]
    return {"version": serialized["version"], "fields": fields, "pipeline": serialized["pipeline"],
            "refs": refs, "vectors": vectors, "terms": terms}


def _deltas(numbers: list[int]) -> list[int]:
    """Sorted numbers as differences from the previous one: fewer digits to write and parse."""
    return [n - p for n, p in zip(numbers, [0, *numbers], strict=False)]


def index_script(index: Index) -> str:
    """The index as a script that sets a global, so it loads from file:// too.

    The compact JSON is wrapped in `JSON.parse('...')` (browsers parse a JSON
    string several times faster than the same data as a JavaScript literal) and
    expanded back to what `lunr.Index.load` takes.
    """
    payload = json.dumps(compact(index.serialize()), separators=(",", ":"), ensure_ascii=True)
    literal = payload.replace("\\", "\\\\").replace("'", "\\'")
    return f"window.RELAY_SEARCH_INDEX=({_EXPAND_JS})(JSON.parse('{literal}'));\n"

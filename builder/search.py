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
from lunr.trimmer import trimmer

BOOSTS = {"name": 10, "tags": 6, "description": 3, "headings": 2, "body": 1}
BODY_WORDS = 20  # distinct body words per skill: enough to find a skill by a word it is about
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


def body_terms(body: str, exclude: str = "", limit: int = BODY_WORDS) -> str:
    """A body reduced to its `limit` most frequent distinct words, minus stop words and `exclude`."""
    text = _URL.sub(" ", _CODE.sub(" ", body.lower()))
    skip = set(_WORD.findall(exclude.lower())) | STOP_WORDS
    counts = Counter(w for w in _WORD.findall(text) if w not in skip)
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
    builder = make_builder()
    for doc in docs:
        builder.add({"ref": doc.ref, "name": doc.name, "tags": doc.tags,
                     "description": doc.description, "headings": doc.headings, "body": doc.body})
    return builder.build()


def index_script(index: Index) -> str:
    """The serialized index as a script that sets a global, so it loads from file:// too.

    The JSON is wrapped in `JSON.parse('...')`: browsers parse a JSON string several
    times faster than the same data as a JavaScript object literal.
    """
    payload = json.dumps(index.serialize(), separators=(",", ":"), ensure_ascii=True)
    literal = payload.replace("\\", "\\\\").replace("'", "\\'")
    return f"window.RELAY_SEARCH_INDEX=JSON.parse('{literal}');\n"

"""The inverted index: built once per catalog snapshot, queried in-process, exported to lunr.

Every (term, item) pair gets one weight at build time: BM25F over the item's
fields (ranking.py) times the item's prior, rounded to `DIGITS`. The MCP
service sums those weights; the site's lunr index carries the very same
numbers (builder/search.py writes them as lunr field vectors, each pair under
the first field the term occurs in), and lunr.js's score for a query is the
same sum divided by the query vector's length. So both rank alike by
construction, and tests check that they do.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from registry.errors import RelayError

from . import ranking
from .analyzer import analyze, tokenize, trim
from .counts import Table, weighed
from .document import AnalyzedDoc

MAX_QUERY_CHARS = 1000  # a request in plain words is a sentence or two
MAX_QUERY_TERMS = 64
MIN_PREFIX = 2  # UTF-16 code units, as search.js counts: a one-letter prefix matches half the vocabulary


class QueryTooLong(RelayError):
    """A query over the length or term bound: refused before any work is done."""


@dataclass(frozen=True)
class Hit:
    """One result: the item, its score, how many of the query's terms it matched."""

    doc: int  # position in the index (the site's ref)
    key: str
    name: str
    kind: str
    score: float
    matched: int  # distinct query terms found in the item
    terms: int  # distinct query terms the index knows
    exact: bool  # the query is the item's name (case, spaces and punctuation aside)
    strong: bool  # scores at least STRONG_SHARE of the best result (or exact)


def check_query(query: str) -> None:
    """The one bound on query size, for every caller: a 1 MB query costs nothing but this check."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong(f"query is {len(query):,} characters; the limit is {MAX_QUERY_CHARS:,}: "
                           "describe the task in a sentence or two")
    count = len(tokenize(query))
    if count > MAX_QUERY_TERMS:
        raise QueryTooLong(f"query has {count} words; the limit is {MAX_QUERY_TERMS}: "
                           "keep the words that say what the task is")


def js_order(term: str) -> bytes:
    """lunr.js sorts terms by UTF-16 code units (its TokenSet needs that order)."""
    return term.encode("utf-16-be", "surrogatepass")


class SearchIndex:
    """Weights per (term, item), and the query side: analyze, sum, order, bound."""

    def __init__(self, docs: list[AnalyzedDoc], postings: dict[str, tuple[list[int], list[float], list[int]]],
                 priors: list[float]) -> None:
        self.docs = docs
        self.postings = postings  # term -> (items, weights, field numbers), items ascending
        self.priors = priors
        self.table: Table | None = None  # the postings as columns, when built (builder/search.py)
        self.terms = sorted(postings)  # for trailing-wildcard expansion
        self.max_weight = {t: max(p[1]) for t, p in postings.items()}
        self._arrays: dict[str, tuple[Any, Any]] = {}  # numpy forms of postings: prepare(), or first use
        self._by_name: dict[str, list[int]] = {}
        for i, doc in enumerate(docs):
            self._by_name.setdefault(ranking.name_key(doc.name), []).append(i)

    # --- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, docs: Iterable[AnalyzedDoc], popularity: Mapping[str, ranking.Popularity] | None = None,
              body_terms: int | None = ranking.BODY_TERMS) -> SearchIndex:
        """Assemble the index from analyzed items (their order is kept: it is the site's ref).

        Every term of every field is indexed (`body_terms` caps the terms per item found only in
        the body and the bundled files, by tf-idf: bench/search.py's trade-off table uses it;
        None, the default, keeps all). The weights come from `TermCounts.weigh`, as the site's
        do (builder/search.py).
        """
        docs = list(docs)
        _, item_priors, table = weighed(docs, popularity or {}, body_terms)
        return cls.from_table(docs, table, item_priors)

    @classmethod
    def from_table(cls, docs: list[AnalyzedDoc], table: Table, item_priors: list[float]) -> SearchIndex:
        items, weights, fields = table.doc.tolist(), table.weight.tolist(), table.field.tolist()
        postings = {term: (items[rows], weights[rows], fields[rows]) for term, rows in table.groups()}
        index = cls(docs, postings, item_priors)
        index.table = table
        return index

    # --- querying --------------------------------------------------------------------------

    def query_terms(self, query: str) -> Counter[str]:
        """The query's terms (the same analyzer as the items), with how often each occurs."""
        return Counter(analyze(query))

    def prefix_terms(self, query: str) -> Counter[str]:
        """Fallback when no term matches: each trimmed word of MIN_PREFIX characters or more as
        a prefix of index terms, as the catalog page does with lunr's trailing wildcard."""
        expanded: Counter[str] = Counter()
        for token in tokenize(query):
            word = trim(token)
            if len(word.encode("utf-16-le", "surrogatepass")) < 2 * MIN_PREFIX:
                continue
            start = bisect.bisect_left(self.terms, word)
            for term in self.terms[start:]:
                if not term.startswith(word):
                    break
                expanded[term] += 1
        return expanded

    def search(self, query: str, limit: int = 10, accept: Callable[[int], bool] | None = None) -> list[Hit]:
        """The best `limit` items for `query`, exact name first; `accept` filters items by position.

        An empty query lists items by prior (usage, ratings, deprecation), then position.
        """
        check_query(query)
        limit = max(1, limit)
        terms = self.query_terms(query)
        known = {t: c for t, c in terms.items() if t in self.postings}
        if not known and query.strip():
            known = dict(self.prefix_terms(query))
        exact = [i for i in self._by_name.get(ranking.name_key(query), []) if accept is None or accept(i)]
        if not query.strip():
            order = sorted((i for i in range(len(self.docs)) if accept is None or accept(i)),
                           key=lambda i: (-self.priors[i], i))
            return [self._hit(i, 0.0, 0, 0, False, True) for i in order[:limit]]
        norm = math.sqrt(sum(c * c for c in known.values())) or 1.0
        scores, matched = self._accumulate(known)
        found = scores.nonzero()[0]  # every weight is > 0: the items holding a query term
        if accept is not None:
            found = found[[accept(int(i)) for i in found]] if len(found) else found
        best = _top(found, scores, limit + len(exact), norm)
        ranked = exact + [i for i in best if i not in exact]
        top = max((float(scores[i]) for i in best), default=0.0)
        return [self._hit(i, float(scores[i]) / norm, int(matched[i]), len(known), i in exact,
                          i in exact or float(scores[i]) >= ranking.STRONG_SHARE * top)
                for i in ranked[:limit]]

    def _accumulate(self, terms: Mapping[str, int]) -> tuple[Any, Any]:
        """Each item's score (the sum of its weights over the query's terms, in the order lunr.js
        adds them up to rounding) and how many of the terms it holds, as arrays by position.

        numpy adds a term's whole posting list at once: a common word in every one of 10,000
        items costs tens of microseconds, where a Python loop (even with MaxScore's skipping)
        took milliseconds once whole bodies were indexed.
        """
        import numpy as np  # here, not at the top: `relay` commands that never search skip its import

        scores = np.zeros(len(self.docs))
        matched = np.zeros(len(self.docs), dtype=np.int32)
        for term in sorted(terms, key=lambda t: -terms[t] * self.max_weight[t]):
            items, weights = self.arrays(term)
            scores[items] += terms[term] * weights  # an item occurs once per posting list
            matched[items] += 1
        return scores, matched

    def prepare(self) -> SearchIndex:
        """Make every term's arrays now, and return the index.

        The MCP service calls this while it builds a snapshot, off the request path: otherwise
        the first request with a common term pays for its arrays (milliseconds at 10,000
        items, the slow round of the p99). The site build never searches and skips it.
        """
        for term in self.postings:
            self.arrays(term)
        return self

    def arrays(self, term: str) -> tuple[Any, Any]:
        """`term`'s items and weights as numpy arrays, made by prepare() or on first use."""
        found = self._arrays.get(term)
        if found is None:
            import numpy as np

            items, weights, _ = self.postings[term]
            found = self._arrays[term] = (np.array(items, dtype=np.int64), np.array(weights))
        return found

    def _hit(self, i: int, score: float, matched: int, terms: int, exact: bool, strong: bool) -> Hit:
        doc = self.docs[i]
        return Hit(doc=i, key=doc.key, name=doc.name, kind=doc.kind, score=round(score, 4),
                   matched=matched, terms=terms, exact=exact, strong=strong)


def _top(found: Any, scores: Any, k: int, norm: float) -> list[int]:
    """The k best of the items `found`, by score as both sides round it (6 decimals of the
    normalised score), then by position: the catalog page orders lunr's results the same way."""
    import numpy as np

    if len(found) > k:
        values = scores[found]
        cut = -_kth(-values, k) - 1e-6 * norm  # ties at the cut stay in
        found = found[values >= cut]
    # Generated and templated catalogs tie by the hundred at the cut: round each distinct score
    # once (Python's round, as before), then order by it and by position in numpy.
    distinct, which = np.unique(scores[found], return_inverse=True)
    rounded = np.array([round(value / norm, 6) for value in distinct.tolist()])[which]
    return [int(i) for i in found[np.lexsort((found, -rounded))[:k]]]


def _kth(values: Any, k: int) -> float:
    """The k-th smallest of `values` (k from 1), in linear time."""
    import numpy as np

    return float(np.partition(values, k - 1)[k - 1])


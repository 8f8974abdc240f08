"""Term counts as columns, and the one function that turns them into weights.

`SearchIndex.build` (the MCP service) and the site build (builder/search.py) both weigh
through `TermCounts.weigh`, so both rank with the same numbers by construction. Keeping
the counts as numpy columns (one row per (item, term), a column per field) is what lets
a site rebuild after one changed skill weigh again only that skill's terms (issue 12):

- every weight of a term depends on catalog-wide figures (the number of items, the
  term's document frequency, each field's average length) and on the item's own counts,
  lengths and prior;
- the average lengths are rounded to `ranking.AVERAGE_DIGITS` significant digits, so one
  changed item almost never moves them; the document frequency moves only for the terms
  the changed item gained or lost;
- so, with the same items in the same order and the same averages and priors, only the
  changed items' terms (before and after) have different postings, and `weigh(terms=...)`
  recomputes just those, from the kept counts of every item that holds them.

`dumps`/`loads` keep the columns across builds in a plain binary form (numpy arrays
without pickles); the bytes depend only on the items, not on the builds that led there.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import ranking
from .document import FIELDS, AnalyzedDoc

if TYPE_CHECKING:
    import numpy as np

FORMAT = 1  # bump when the kept columns change


@dataclass
class Table:
    """Weighted postings as columns, sorted by term id then item: rows whose weight is > 0."""

    vocab: list[str]
    term: Any  # int32 term ids
    doc: Any  # int32 item positions
    weight: Any  # float64, rounded to ranking.DIGITS
    field: Any  # int8: the first field holding the term (FIELDS order; the body last)

    def groups(self) -> Iterable[tuple[str, slice]]:
        """(term, the slice of its rows), term by term."""
        import numpy as np

        if not len(self.term):
            return
        starts = np.flatnonzero(np.r_[True, self.term[1:] != self.term[:-1]])
        ends = np.r_[starts[1:], len(self.term)]
        for t, s, e in zip(self.term[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
            yield self.vocab[t], slice(s, e)


class TermCounts:
    """One row per (item, term): the term's count in each field; per item, each field's length.

    Rows are grouped by item in item order, and within an item in the order of its analysis;
    term ids are numbered in order of first appearance (`canonical`), so equal items give
    equal columns and equal bytes.
    """

    def __init__(self, vocab: list[str], term: Any, doc: Any, counts: Any, lengths: Any,
                 deprecated: Any) -> None:
        self.vocab = vocab
        self.term = term  # int32 (rows,)
        self.doc = doc  # int32 (rows,)
        self.counts = counts  # int32 (rows, len(FIELDS))
        self.lengths = lengths  # int64 (items, len(FIELDS))
        self.deprecated = deprecated  # uint8 (items,)
        self._ids: dict[str, int] | None = None

    @property
    def items(self) -> int:
        return len(self.lengths)

    @property
    def ids(self) -> dict[str, int]:
        if self._ids is None:
            self._ids = {t: i for i, t in enumerate(self.vocab)}
        return self._ids

    @classmethod
    def from_docs(cls, docs: Sequence[AnalyzedDoc]) -> TermCounts:
        import numpy as np

        vocab: list[str] = []
        ids: dict[str, int] = {}
        terms: list[int] = []
        items: list[int] = []
        counts: list[int] = []
        width = len(FIELDS)
        for i, doc in enumerate(docs):
            rows: dict[str, list[int]] = {}
            for f, name in enumerate(FIELDS):
                for term, count in doc.terms.get(name, {}).items():
                    row = rows.get(term)
                    if row is None:
                        row = rows[term] = [0] * width
                    row[f] = count
            for term, row in rows.items():
                t = ids.get(term)
                if t is None:
                    t = ids[term] = len(vocab)
                    vocab.append(term)
                terms.append(t)
                items.append(i)
                counts.extend(row)
        lengths = np.array([[doc.lengths.get(name, 0) for name in FIELDS] for doc in docs],
                           dtype=np.int64).reshape(len(docs), width)
        made = cls(vocab, np.array(terms, dtype=np.int32), np.array(items, dtype=np.int32),
                   np.array(counts, dtype=np.int32).reshape(-1, width), lengths,
                   np.array([doc.deprecated for doc in docs], dtype=np.uint8))
        made._ids = ids
        return made

    def terms_of(self, positions: Iterable[int]) -> set[str]:
        """Every term the items at `positions` hold, in any field."""
        import numpy as np

        wanted = np.isin(self.doc, np.fromiter(positions, dtype=np.int32))
        return {self.vocab[t] for t in np.unique(self.term[wanted]).tolist()}

    def replace(self, changed: dict[int, AnalyzedDoc]) -> TermCounts:
        """The counts with the items at the given positions analysed anew (same item count)."""
        import numpy as np

        fresh = TermCounts.from_docs(list(changed.values()))
        ids = dict(self.ids)
        vocab = list(self.vocab)
        remap = np.empty(len(fresh.vocab), dtype=np.int32)
        for t, word in enumerate(fresh.vocab):
            if word not in ids:
                ids[word] = len(vocab)
                vocab.append(word)
            remap[t] = ids[word]
        positions = np.array(list(changed), dtype=np.int32)
        fresh_doc = positions[fresh.doc]
        keep = ~np.isin(self.doc, positions)
        term = np.concatenate([self.term[keep], remap[fresh.term]])
        doc = np.concatenate([self.doc[keep], fresh_doc])
        counts = np.concatenate([self.counts[keep], fresh.counts])
        order = np.argsort(doc, kind="stable")  # back to item order; each item's rows keep theirs
        lengths = self.lengths.copy()
        lengths[positions] = fresh.lengths
        deprecated = self.deprecated.copy()
        deprecated[positions] = fresh.deprecated
        made = TermCounts(vocab, term[order], doc[order], counts[order], lengths, deprecated)
        made._ids = ids
        return made.canonical()

    def canonical(self) -> TermCounts:
        """Term ids renumbered in order of first appearance, unused terms dropped: the form
        `from_docs` gives, whatever replacements led here."""
        import numpy as np

        used, first = np.unique(self.term, return_index=True)
        if len(used) == len(self.vocab) and np.array_equal(used[np.argsort(first)], used):
            return self  # already numbered in order of appearance
        order = used[np.argsort(first)]
        renumber = np.empty(len(self.vocab), dtype=np.int32)
        renumber[order] = np.arange(len(order), dtype=np.int32)
        return TermCounts([self.vocab[t] for t in order.tolist()], renumber[self.term], self.doc,
                          self.counts, self.lengths, self.deprecated)

    # --- weighing --------------------------------------------------------------------------

    def averages(self) -> list[float]:
        """Each field's average length over the items, rounded (ranking.average_length)."""
        totals = self.lengths.sum(axis=0).tolist() if self.items else [0] * len(FIELDS)
        return [ranking.average_length(total, self.items) for total in totals]

    def weigh(self, priors: Sequence[float], terms: Iterable[str] | None = None,
              body_terms: int | None = None) -> Table:
        """The postings of `terms` (default: every term), weighted: BM25F over the item's fields
        (ranking.py) times the item's prior, rounded to `ranking.DIGITS`; weights of 0 dropped.

        `body_terms` caps the body-only terms per item, the most particular first (tf x idf):
        bench/search.py's trade-off table uses it; None keeps all.
        """
        import numpy as np

        n = self.items
        df = np.bincount(self.term, minlength=len(self.vocab))
        idf = np.array([ranking.idf(c, n) for c in df.tolist()], dtype=np.float64)
        if terms is None:
            rows = np.arange(len(self.term))
        else:
            ids = self.ids
            wanted = np.array(sorted(ids[t] for t in terms if t in ids), dtype=np.int32)
            rows = np.flatnonzero(np.isin(self.term, wanted))
        if body_terms is not None:
            rows = rows[self._body_kept(rows, idf, body_terms)]
        term, doc, counts = self.term[rows], self.doc[rows], self.counts[rows]
        averages = self.averages()
        pseudo: Any = np.zeros(len(rows))  # each field's share added in FIELDS order
        for f, name in enumerate(FIELDS):
            b = ranking.LENGTH_NORM[name]
            norms = 1 - b + b * self.lengths[:, f] / averages[f]
            pseudo = pseudo + ranking.WEIGHTS[name] * counts[:, f] / norms[doc]
        weight: Any = np.round(idf[term] * ranking.saturate(pseudo) * np.asarray(priors, dtype=np.float64)[doc],
                          ranking.DIGITS)
        field = np.argmax(counts > 0, axis=1).astype(np.int8) if len(rows) else np.zeros(0, np.int8)
        kept = weight > 0
        order = np.lexsort((doc[kept], term[kept]))
        return Table(self.vocab, term[kept][order], doc[kept][order], weight[kept][order],
                     field[kept][order])

    def _body_kept(self, rows: np.ndarray, idf: np.ndarray, body_terms: int) -> np.ndarray:
        """A mask over `rows`: every term held by a field other than the body, and each item's
        `body_terms` body-only terms with the highest tf x idf (ties by term)."""
        import numpy as np

        counts = self.counts[rows]
        body_only = (counts[:, :-1] == 0).all(axis=1)
        keep = ~body_only
        by_doc: dict[int, list[tuple[float, str, int]]] = {}
        for k in np.flatnonzero(body_only).tolist():
            t = int(self.term[rows[k]])
            by_doc.setdefault(int(self.doc[rows[k]]), []).append(
                (-float(counts[k, -1]) * float(idf[t]), self.vocab[t], k))
        for ranked in by_doc.values():
            for _, _, k in sorted(ranked)[:body_terms]:
                keep[k] = True
        return keep

    # --- keeping ---------------------------------------------------------------------------

    def dumps(self) -> bytes:
        """The columns as bytes: a JSON header line, then each array in numpy's .npy form."""
        import numpy as np

        vocab = np.frombuffer("\n".join(self.vocab).encode("utf-8"), dtype=np.uint8)
        arrays = {"vocab": vocab, "term": self.term, "doc": self.doc, "counts": self.counts,
                  "lengths": self.lengths, "deprecated": self.deprecated}
        parts = []
        for array in arrays.values():
            buffer = io.BytesIO()
            np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
            parts.append(buffer.getvalue())
        header = json.dumps({"format": FORMAT, "fields": list(FIELDS), "sizes": [len(p) for p in parts],
                             "names": list(arrays)})
        return header.encode() + b"\n" + b"".join(parts)

    @classmethod
    def loads(cls, data: bytes) -> TermCounts | None:
        """Columns kept by `dumps`; None if they are of another format or unreadable."""
        import numpy as np

        try:
            line, rest = data.split(b"\n", 1)
            header = json.loads(line)
            if header.get("format") != FORMAT or header.get("fields") != list(FIELDS):
                return None
            arrays = {}
            offset = 0
            for name, size in zip(header["names"], header["sizes"], strict=True):
                arrays[name] = np.load(io.BytesIO(rest[offset:offset + size]), allow_pickle=False)
                offset += size
            text = arrays["vocab"].tobytes().decode("utf-8")
            vocab = text.split("\n") if text else []
            made = cls(vocab, arrays["term"], arrays["doc"], arrays["counts"], arrays["lengths"],
                       arrays["deprecated"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None
        if len(made.term) != len(made.doc) or (len(made.term) and int(made.term.max()) >= len(vocab)):
            return None
        return made


def priors(keys: Sequence[str], deprecated: Sequence[bool],
           popularity: Mapping[str, ranking.Popularity]) -> list[float]:
    """Each item's prior (ranking.prior): usage and ratings relative to the most used item."""
    max_uses = max((p.uses for p in popularity.values()), default=0)
    return [ranking.prior(popularity.get(key), max_uses, bool(old))
            for key, old in zip(keys, deprecated, strict=True)]

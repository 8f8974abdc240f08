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
  changed items' terms (before and after) have different postings; of those, a term whose
  document frequency moved (one the changed items gained or lost) has every weight
  changed, and `weigh(terms=...)` recomputes them from the kept counts of every item that
  holds it; a term whose frequency stayed has only the changed items' weights changed,
  and `weigh(terms=..., items=...)` recomputes just those (builder/search.py splices them
  into the term's kept postings).

`dumps`/`loads` keep the columns across builds in a plain binary form (numpy arrays
without pickles); the bytes depend only on the items, not on the builds that led there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import ranking
from .document import FIELDS, AnalyzedDoc

if TYPE_CHECKING:
    import numpy as np

FORMAT = 2  # bump when the kept columns change (a change of FIELDS is caught by the header)
LONG_FIELDS = ("body", "files")  # what `body_terms` caps: the short fields are always whole


@dataclass
class Table:
    """Weighted postings as columns, sorted by term id then item: rows whose weight is > 0."""

    vocab: list[str]
    term: Any  # int32 term ids
    doc: Any  # int32 item positions
    weight: Any  # float64, rounded to ranking.DIGITS
    field: Any  # int8: the first field holding the term (FIELDS order; the body, then the files, last)

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
    the vocabulary is sorted and holds only terms some row uses (`_settled`), so equal items
    give equal columns and equal bytes, whatever replacements led there.
    """

    def __init__(self, vocab: list[str], term: Any, doc: Any, counts: Any, lengths: Any,
                 deprecated: Any) -> None:
        self.vocab = vocab  # sorted
        self.term = term  # (rows,) term ids
        self.doc = doc  # (rows,) item positions, ascending
        self.counts = counts  # (rows, len(FIELDS))
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
        return cls._settled(vocab, np.array(terms, dtype=np.int64), np.array(items, dtype=np.int32),
                            np.array(counts, dtype=np.int64).reshape(-1, width), lengths,
                            np.array([doc.deprecated for doc in docs], dtype=np.uint8))

    @classmethod
    def _settled(cls, vocab: list[str], term: Any, doc: Any, counts: Any, lengths: Any,
                 deprecated: Any, ordered: bool = False) -> TermCounts:
        """The canonical form: the vocabulary sorted (`ordered`: it is already), unused terms
        dropped, the term ids and counts in the smallest integer type that holds them."""
        import numpy as np

        used = np.bincount(term, minlength=len(vocab)) > 0 if len(term) else np.zeros(len(vocab), bool)
        if ordered and used.all():
            kept = vocab
        else:
            kept = [vocab[t] for t in np.flatnonzero(used).tolist()]
            if not ordered:
                kept.sort()
            position = {word: i for i, word in enumerate(kept)}
            renumber = np.array([position.get(word, -1) for word in vocab], dtype=np.int64)
            term = renumber[term] if len(term) else term
        return cls(kept, _smallest(term), doc, _smallest(counts), lengths, deprecated)

    @classmethod
    def assemble(cls, kept: TermCounts | None, sources: Sequence[int | AnalyzedDoc]) -> TermCounts:
        """The counts of items given in order, each as its position in `kept` (an item analysed
        by an earlier build: its rows are taken as they are) or as an analysis: the very columns
        `from_docs` makes of all their analyses, without the analyses of the kept items (a
        site build keeps no other copy of them, issue 12)."""
        import numpy as np

        fresh_docs = [s for s in sources if isinstance(s, AnalyzedDoc)]
        if kept is None or len(fresh_docs) == len(sources):
            assert kept is not None or len(fresh_docs) == len(sources), "kept positions without counts"
            return cls.from_docs(fresh_docs)
        fresh = cls.from_docs(fresh_docs)
        vocab = sorted(set(kept.vocab) | set(fresh.vocab))
        position = {word: i for i, word in enumerate(vocab)}
        kept_ids = np.array([position[w] for w in kept.vocab], dtype=np.int64)
        fresh_ids = np.array([position[w] for w in fresh.vocab], dtype=np.int64)
        kept_starts = np.searchsorted(kept.doc, np.arange(kept.items + 1)).tolist()
        fresh_starts = np.searchsorted(fresh.doc, np.arange(fresh.items + 1)).tolist()
        terms, docs, counts, lengths, deprecated = [], [], [], [], []
        k = 0  # the next fresh analysis
        for at, source in enumerate(sources):
            if isinstance(source, AnalyzedDoc):
                table, ids, row, starts = fresh, fresh_ids, k, fresh_starts
                k += 1
            else:
                table, ids, row, starts = kept, kept_ids, source, kept_starts
            start, stop = starts[row], starts[row + 1]
            terms.append(ids[table.term[start:stop]])
            docs.append(np.full(stop - start, at, dtype=np.int32))
            counts.append(table.counts[start:stop])
            lengths.append(table.lengths[row])
            deprecated.append(table.deprecated[row])
        width = len(FIELDS)
        return cls._settled(vocab, np.concatenate(terms) if terms else np.zeros(0, np.int64),
                            np.concatenate(docs) if docs else np.zeros(0, np.int32),
                            (np.concatenate(counts, dtype=np.int64) if counts
                             else np.zeros((0, width), np.int64)),
                            np.array(lengths, dtype=np.int64).reshape(len(sources), width),
                            np.array(deprecated, dtype=np.uint8), ordered=True)

    def terms_of(self, positions: Iterable[int]) -> set[str]:
        """Every term the items at `positions` hold, in any field."""
        import numpy as np

        rows = [self.term[self._rows(p)] for p in positions]
        found: list[int] = np.unique(np.concatenate(rows)).tolist() if rows else []
        return {self.vocab[t] for t in found}

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Each term's document frequency: how many items hold it (0 for a term none holds)."""
        import numpy as np

        df = np.bincount(self.term, minlength=len(self.vocab)).tolist() if len(self.term) else []
        ids = self.ids
        return {t: df[ids[t]] if t in ids else 0 for t in terms}

    def _item_rows(self, positions: Iterable[int]) -> Any:
        """The row numbers of the items at `positions`, ascending."""
        import numpy as np

        spans = [self._rows(p) for p in sorted(set(positions))]
        if not spans:
            return np.zeros(0, dtype=np.int64)
        return np.concatenate([np.arange(s.start, s.stop) for s in spans])

    def _rows(self, position: int) -> slice:
        import numpy as np

        start, stop = np.searchsorted(self.doc, [position, position + 1]).tolist()
        return slice(start, stop)

    def replace(self, changed: Mapping[int, AnalyzedDoc]) -> TermCounts:
        """The counts with the items at the given positions analysed anew (same item count)."""
        import numpy as np

        order = sorted(changed)
        fresh = TermCounts.from_docs([changed[at] for at in order])
        new_words = set(fresh.vocab) - self.ids.keys()
        vocab, position, term = self.vocab, self.ids, self.term
        if new_words:
            vocab = sorted(self.vocab + list(new_words))
            position = {word: i for i, word in enumerate(vocab)}
            term = np.array([position[w] for w in self.vocab], dtype=np.int64)[self.term]
        fresh_ids = np.array([position[w] for w in fresh.vocab], dtype=np.int64)
        terms, docs, counts = [], [], []
        start = 0
        for k, at in enumerate(order):
            rows, mine = self._rows(at), fresh._rows(k)
            terms += [term[start:rows.start], fresh_ids[fresh.term[mine]]]
            docs += [self.doc[start:rows.start], np.full(mine.stop - mine.start, at, dtype=self.doc.dtype)]
            counts += [self.counts[start:rows.start], fresh.counts[mine]]
            start = rows.stop
        terms.append(term[start:])
        docs.append(self.doc[start:])
        counts.append(self.counts[start:])
        lengths = self.lengths.copy()
        deprecated = self.deprecated.copy()
        lengths[order] = fresh.lengths
        deprecated[order] = fresh.deprecated
        term_type = np.promote_types(self.term.dtype, np.min_scalar_type(len(vocab)))
        count_type = np.promote_types(self.counts.dtype, _smallest(fresh.counts).dtype)
        # (the types hold every value: ids below len(vocab), counts below both maxima)
        return TermCounts._settled(vocab, np.concatenate(terms, dtype=term_type, casting="unsafe"),
                                   np.concatenate(docs),
                                   np.concatenate(counts, dtype=count_type, casting="unsafe"),
                                   lengths, deprecated, ordered=True)

    # --- weighing --------------------------------------------------------------------------

    def averages(self) -> list[float]:
        """Each field's average length over the items, rounded (ranking.average_length)."""
        totals = self.lengths.sum(axis=0).tolist() if self.items else [0] * len(FIELDS)
        return [ranking.average_length(total, self.items) for total in totals]

    def weigh(self, priors: Sequence[float], terms: Iterable[str] | None = None,
              body_terms: int | None = None, items: Iterable[int] | None = None) -> Table:
        """The postings of `terms` (default: every term), weighted: BM25F over the item's fields
        (ranking.py) times the item's prior, rounded to `ranking.DIGITS`; weights of 0 dropped.
        With `items` (positions), only those items' postings of `terms`: each weight is the
        very number a weighing of every item gives (the idf counts every item).

        `body_terms` caps the terms per item found only in the body and the bundled files, the
        most particular first (tf x idf): bench/search.py's trade-off table uses it; None keeps
        all.
        """
        import numpy as np

        n = self.items
        df = np.bincount(self.term, minlength=len(self.vocab))
        if terms is None:
            rows = np.arange(len(self.term)) if items is None else self._item_rows(items)
            idf = np.array([ranking.idf(c, n) for c in df.tolist()], dtype=np.float64)
        else:
            ids = self.ids
            wanted = sorted(ids[t] for t in terms if t in ids)
            chosen = np.zeros(len(self.vocab), dtype=bool)
            chosen[wanted] = True
            if items is None:
                rows = np.flatnonzero(chosen[self.term])  # a lookup per row: np.isin sorts
            else:
                mine = self._item_rows(items)
                rows = mine[chosen[self.term[mine]]]
            idf = np.zeros(len(self.vocab))  # only the wanted terms' are read
            for t in wanted:
                idf[t] = ranking.idf(int(df[t]), n)
        if body_terms is not None:
            rows = rows[self._body_kept(rows, idf, body_terms)]
        term, doc, counts = self.term[rows], self.doc[rows], self.counts[rows]
        averages = self.averages()
        pseudo: Any = np.zeros(len(rows))  # each field's share added in FIELDS order
        for f, name in enumerate(FIELDS):
            b = ranking.LENGTH_NORM[name]
            norms = 1 - b + b * self.lengths[:, f] / averages[f]
            pseudo = pseudo + ranking.WEIGHTS[name] * counts[:, f] / norms[doc]
        prior = np.asarray(priors, dtype=np.float64)[doc]
        weight: Any = np.round(idf[term] * ranking.saturate(pseudo) * prior, ranking.DIGITS)
        field = np.argmax(counts > 0, axis=1).astype(np.int8) if len(rows) else np.zeros(0, np.int8)
        kept = np.flatnonzero(weight > 0)
        # Rows are in item order: a stable sort by term alone gives term then item order (a
        # radix sort for these small integer ids, several times faster than np.lexsort).
        order = kept[np.argsort(term[kept], kind="stable")]
        return Table(self.vocab, term[order], doc[order], weight[order], field[order])

    def _body_kept(self, rows: np.ndarray, idf: np.ndarray, body_terms: int) -> np.ndarray:
        """A mask over `rows`: every term held by a short field (name to headings), and each
        item's `body_terms` terms found only in the long fields (`LONG_FIELDS`: the body and
        the bundled files) with the highest tf x idf (ties by term)."""
        import numpy as np

        counts = self.counts[rows]
        short = [f for f, name in enumerate(FIELDS) if name not in LONG_FIELDS]
        long = [f for f, name in enumerate(FIELDS) if name in LONG_FIELDS]
        body_only = (counts[:, short] == 0).all(axis=1)
        tf = counts[:, long].sum(axis=1)
        keep = ~body_only
        by_doc: dict[int, list[tuple[float, str, int]]] = {}
        for k in np.flatnonzero(body_only).tolist():
            t = int(self.term[rows[k]])
            by_doc.setdefault(int(self.doc[rows[k]]), []).append(
                (-float(tf[k]) * float(idf[t]), self.vocab[t], k))
        for ranked in by_doc.values():
            for _, _, k in sorted(ranked)[:body_terms]:
                keep[k] = True
        return keep

    # --- keeping ---------------------------------------------------------------------------

    def dumps(self) -> bytes:
        """The columns as bytes: a JSON header line (each array's type, shape and size), then
        each array's bytes; read back without copying (`loads`)."""
        import numpy as np

        arrays = {"vocab": np.frombuffer("\n".join(self.vocab).encode("utf-8"), dtype=np.uint8),
                  "term": self.term, "doc": self.doc, "counts": self.counts, "lengths": self.lengths,
                  "deprecated": self.deprecated}
        parts = [np.ascontiguousarray(a).tobytes() for a in arrays.values()]
        header = {"format": FORMAT, "fields": list(FIELDS),
                  "arrays": [[name, a.dtype.str, list(a.shape), len(p)]
                             for (name, a), p in zip(arrays.items(), parts, strict=True)]}
        return json.dumps(header).encode() + b"\n" + b"".join(parts)

    @staticmethod
    def peek(path: Path) -> int | None:
        """The number of items of counts kept at `path` by `dumps`, from its header and its size
        alone (a file cut short is no counts); None when there are none of this format."""
        try:
            with open(path, "rb") as handle:
                line = handle.readline(1 << 16)
                size = os.fstat(handle.fileno()).st_size
            header = json.loads(line)
            if header.get("format") != FORMAT or header.get("fields") != list(FIELDS):
                return None
            arrays = {name: (shape, nbytes) for name, _, shape, nbytes in header["arrays"]}
            if size != len(line) + sum(nbytes for _, nbytes in arrays.values()):
                return None
            return int(arrays["lengths"][0][0])
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return None

    @classmethod
    def loads(cls, data: bytes) -> TermCounts | None:
        """Columns kept by `dumps`; None if they are of another format or unreadable."""
        import numpy as np

        try:
            end = data.index(b"\n")
            header = json.loads(data[:end])
            if header.get("format") != FORMAT or header.get("fields") != list(FIELDS):
                return None
            arrays = {}
            offset = end + 1
            for name, dtype, shape, size in header["arrays"]:
                kind = np.dtype(dtype)
                arrays[name] = np.frombuffer(data, dtype=kind, count=size // kind.itemsize,
                                             offset=offset).reshape(shape)
                offset += size
            text = arrays["vocab"].tobytes().decode("utf-8")
            vocab = text.split("\n") if text else []
            made = cls(vocab, arrays["term"], arrays["doc"], arrays["counts"], arrays["lengths"],
                       arrays["deprecated"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None
        items, width = len(made.lengths), len(FIELDS)
        if (made.lengths.shape != (items, width) or made.counts.shape != (len(made.term), width)
                or len(made.doc) != len(made.term) or len(made.deprecated) != items):
            return None
        if len(made.term) and (int(made.term.max()) >= len(vocab) or int(made.doc.max()) >= items
                               or bool((made.doc[1:] < made.doc[:-1]).any())):
            return None
        return made


def _smallest(values: Any) -> Any:
    """`values` in the smallest unsigned integer type that holds them (they are never negative)."""
    import numpy as np

    top = int(values.max()) if values.size else 0
    return values.astype(np.min_scalar_type(top), copy=False)


def weighed(docs: Sequence[AnalyzedDoc], popularity: Mapping[str, ranking.Popularity],
            body_terms: int | None = None) -> tuple[TermCounts, list[float], Table]:
    """The term counts of `docs`, each item's prior and the weighted postings: what both the
    MCP service's index (`SearchIndex.build`) and the site's index (builder/build.py) are made of."""
    counts = TermCounts.from_docs(docs)
    item_priors = priors([d.key for d in docs], [d.deprecated for d in docs], popularity)
    return counts, item_priors, counts.weigh(item_priors, body_terms=body_terms)


def priors(keys: Sequence[str], deprecated: Sequence[bool],
           popularity: Mapping[str, ranking.Popularity]) -> list[float]:
    """Each item's prior (ranking.prior): usage and ratings relative to the most used item."""
    max_uses = max((p.uses for p in popularity.values()), default=0)
    return [ranking.prior(popularity.get(key), max_uses, bool(old))
            for key, old in zip(keys, deprecated, strict=True)]

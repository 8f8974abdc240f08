"""Fields, weights and priors: the numbers both the site and the MCP service rank with.

BM25F (Robertson and Zaragoza, "The Probabilistic Relevance Framework", 2009):
a term's counts in each field are weighted, length-normalised per field and
summed into one pseudo-frequency before saturation, so a word in the name
counts for more than the same word in the body without the fields being
scored as separate documents.

Nothing here names a skill or a request: the weights are per field, the priors
per kind of signal.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# The body counts half: it is indexed whole, and a word somewhere in a long body is weaker
# evidence than the same word in the description. Chosen on one half of the development
# requests, checked on the other (docs/site.md#search): 0.5 beat 0.3, 0.4, 0.7 and 1.0 there.
# The bundled markdown files (references, guides) count least: they hold the task's own words
# more often than any other field, but amid three times as much text as the bodies. Chosen on the
# even-numbered development requests among 0.05-0.15 (with b 0.5-0.9), checked on the odd ones
# (MRR@5 0.652 to 0.726 there; docs/benchmarks.md §9).
WEIGHTS = {"name": 5.0, "tags": 3.0, "description": 2.0, "headings": 1.5, "body": 0.5, "files": 0.075}
# Length normalisation per field: names and tag lists are short by nature, their length says little;
# a description is a summary of bounded length (the spec caps it at 1,024 characters), so a
# longer one is barely more verbose: 0.3. Chosen on the even-numbered development requests
# (0-0.9 in steps of 0.15: 0.15 and 0.3 tied, the smaller change kept), checked on the odd ones
# (MRR@5 0.726 to 0.759 there, 0.731 to 0.752 overall; docs/benchmarks.md §9).
LENGTH_NORM = {"name": 0.0, "tags": 0.0, "description": 0.3, "headings": 0.6, "body": 0.75,
               "files": 0.75}
K1 = 1.2
BODY_TERMS: int | None = None  # body-only terms kept per item (None: the whole body; docs/site.md#search)
AVERAGE_DIGITS = 3  # average field lengths are rounded to 3 significant digits (average_length)
DIGITS = 2  # weights are rounded once; the site and the service both rank with the rounded values
STRONG_SHARE = 0.5  # a result scoring at least this share of the best one is a strong match
DEPRECATED = 0.5  # a deprecated item's weights are halved: below a current item of similar relevance
USAGE = 0.1  # up to +10% for the most used item of the catalog (log scale)
RATING = 0.1  # up to +/-10% for ratings far from the neutral 3 (shrunk towards 3 when few)
RATING_PRIOR_VOTES = 5  # ratings count as this many neutral votes: two 5s are not a verdict


@dataclass(frozen=True)
class Popularity:
    """What the registry's usage records say about one item."""

    uses: int = 0
    rating: float | None = None  # mean of 1-5
    ratings: int = 0


def idf(df: int, n: int) -> float:
    """BM25's idf, floored at zero by the `1 +` (a term in every item adds nothing)."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def average_length(total: int, n: int) -> float:
    """A field's average length in terms over `n` items, rounded to AVERAGE_DIGITS significant
    digits (1.0 for an empty field). The rounding is what keeps a site rebuild after one changed
    skill incremental (registry/search/counts.py): one more line in one skill of 10,000 moves the
    exact average, hence every item's length normalisation and, through rounding, a weight here
    and there in every posting list; the rounded average almost never moves. Length
    normalisation is far coarser than a part in a thousand anyway."""
    if not n or not total:
        return 1.0
    return float(f"{total / n:.{AVERAGE_DIGITS}g}")


def saturate(tf: float) -> float:
    return tf * (K1 + 1) / (K1 + tf)


def prior(popularity: Popularity | None, max_uses: int, deprecated: bool) -> float:
    """A multiplier near 1: usage and ratings nudge, deprecation halves.

    Priors stay small on purpose: they order skills that match a request about
    equally well, they must not lift a popular skill over one that fits.
    """
    value = DEPRECATED if deprecated else 1.0
    if popularity is None:
        return value
    if popularity.uses and max_uses:
        value *= 1 + USAGE * math.log1p(popularity.uses) / math.log1p(max_uses)
    if popularity.rating is not None and popularity.ratings:
        shrunk = ((popularity.rating * popularity.ratings + 3 * RATING_PRIOR_VOTES)
                  / (popularity.ratings + RATING_PRIOR_VOTES))
        value *= 1 + RATING * (shrunk - 3) / 2
    return value


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def name_key(text: str) -> str:
    """A name or query with case, spaces, hyphens and punctuation removed: `Code Review` ->
    `codereview`. The catalog page computes the same (catalog.js, `nameKey`)."""
    return _NOT_ALNUM.sub("", text.lower())

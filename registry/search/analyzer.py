"""The analyzer: text -> index terms, exactly as lunr.js 2.3.9 turns text into terms.

The site searches in the browser with lunr.js and the MCP service searches in
Python; when the two disagree on a single token (a trailing `é`, a `c++`, a
word the stemmer treats differently) the same query finds different skills.
lunr.py's own pipeline is not a faithful copy (its trimmer keeps `a.b,` whole
and uses Unicode `\\W`, its Porter stemmer turns `lay` into `lai`), so this is
a line-by-line port of lunr.js's tokenizer, trimmer, stop-word filter and
stemmer, checked against lunr.js itself in tests/search/test_analyzer.py.

JavaScript semantics kept on purpose: `\\s` and `\\w` are JavaScript's
(ASCII word characters, Unicode spaces), and the stemmer sees UTF-16 code
units, so a word with an emoji inside stems as it does in the browser.
"""

from __future__ import annotations

import re
from functools import lru_cache

# lunr.tokenizer.separator = /[\s\-]+/ with JavaScript's \s.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_SEPARATOR = re.compile(f"[{_JS_SPACE}\\-]+")
# lunr.trimmer: s.replace(/^\W+/, '').replace(/\W+$/, '') with JavaScript's ASCII \W.
_LEADING = re.compile(r"^[^A-Za-z0-9_]+")
_TRAILING = re.compile(r"[^A-Za-z0-9_]+$")

# lunr.stopWordFilter's list, in lunr.js's order.
_STOP_WORDS = """
a able about across after all almost also am among an and any are as at be because been but by
can cannot could dear did do does either else ever every for from get got had has have he her
hers him his how however i if in into is it its just least let like likely may me might most
must my neither no nor not of off often on only or other our own rather said say says she should
since so some than that the their them then there these they this tis to too twas us wants was we
were what when where which while who whom why will with would yet you your
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def tokenize(text: str) -> list[str]:
    """lunr.tokenizer: lowercase, then split on JavaScript whitespace and hyphens."""
    return [t for t in _SEPARATOR.split(text.lower()) if t]


def trim(token: str) -> str:
    """lunr.trimmer: strip non-word characters (JavaScript's ASCII `\\W`) from both ends."""
    return _TRAILING.sub("", _LEADING.sub("", token))


def analyze(text: str) -> list[str]:
    """Index terms of `text`, in order: tokenize, trim, drop stop words, stem (lunr's pipeline)."""
    terms = []
    for token in tokenize(text):
        token = trim(token)
        if token and token not in STOP_WORDS:
            terms.append(stem(token))
    return terms


# --- lunr.stemmer, ported statement by statement -------------------------------------------

_STEP2 = {"ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize",
          "bli": "ble", "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous",
          "ization": "ize", "ation": "ate", "ator": "ate", "alism": "al", "iveness": "ive",
          "fulness": "ful", "ousness": "ous", "aliti": "al", "iviti": "ive", "biliti": "ble",
          "logi": "log"}
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "",
          "ness": ""}
_c = "[^aeiou]"
_v = "[aeiouy]"
_C = _c + "[^aeiouy]*"
_V = _v + "[aeiou]*"
# JavaScript's `.` and `$` never match a line terminator; tokens hold none, so `(?s)` is not needed,
# but `$` must not match before a final newline as Python's does: `\Z` is used instead.
_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)
_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + r")?\Z")
_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)
_S_V = re.compile("^(" + _C + ")?" + _v)
_1A = re.compile(r"^(.+?)(ss|i)es\Z")
_1A2 = re.compile(r"^(.+?)([^s])s\Z")
_1B = re.compile(r"^(.+?)eed\Z")
_1B2 = re.compile(r"^(.+?)(ed|ing)\Z")
_LAST = re.compile(r".\Z")
_1B2_2 = re.compile(r"(at|bl|iz)\Z")
_1B2_3 = re.compile(r"([^aeiouylsz])\1\Z")
_1B2_4 = re.compile("^" + _C + _v + r"[^aeiouwxy]\Z")
_1C = re.compile(r"^(.+?[^aeiou])y\Z")
_2 = re.compile(r"^(.+?)(" + "|".join(_STEP2) + r")\Z")
_3 = re.compile(r"^(.+?)(" + "|".join(_STEP3) + r")\Z")
_4 = re.compile(r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)\Z")
_4_2 = re.compile(r"^(.+?)(s|t)(ion)\Z")
_5 = re.compile(r"^(.+?)e\Z")
_5_1 = re.compile(r"ll\Z")
_5_3 = re.compile("^" + _C + _v + r"[^aeiouwxy]\Z")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """lunr.stemmer (Porter, as lunr.js 2.3.9 writes it) of one trimmed, lowercased token."""
    if any(ord(ch) > 0xFFFF for ch in word):  # JavaScript sees surrogate pairs: so do we
        units = word.encode("utf-16-le", "surrogatepass")
        js = "".join(chr(int.from_bytes(units[i:i + 2], "little")) for i in range(0, len(units), 2))
        return _porter(js).encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    return _porter(word)


def _porter(w: str) -> str:  # noqa: C901 - one statement per line of the JavaScript original
    if len(w) < 3:
        return w
    firstch = w[0]
    if firstch == "y":
        w = "Y" + w[1:]
    if _1A.search(w):
        w = _1A.sub(r"\1\2", w, count=1)
    elif _1A2.search(w):
        w = _1A2.sub(r"\1\2", w, count=1)
    if m := _1B.search(w):
        if _MGR0.search(m.group(1)):
            w = _LAST.sub("", w, count=1)
    elif m := _1B2.search(w):
        stem_ = m.group(1)
        if _S_V.search(stem_):
            w = stem_
            if _1B2_2.search(w):
                w = w + "e"
            elif _1B2_3.search(w):
                w = _LAST.sub("", w, count=1)
            elif _1B2_4.search(w):
                w = w + "e"
    if m := _1C.search(w):
        w = m.group(1) + "i"
    if (m := _2.search(w)) and _MGR0.search(m.group(1)):
        w = m.group(1) + _STEP2[m.group(2)]
    if (m := _3.search(w)) and _MGR0.search(m.group(1)):
        w = m.group(1) + _STEP3[m.group(2)]
    if m := _4.search(w):
        if _MGR1.search(m.group(1)):
            w = m.group(1)
    elif m := _4_2.search(w):
        stem_ = m.group(1) + m.group(2)
        if _MGR1.search(stem_):
            w = stem_
    if m := _5.search(w):
        stem_ = m.group(1)
        if _MGR1.search(stem_) or (_MEQ1.search(stem_) and not _5_3.search(stem_)):
            w = stem_
    if _5_1.search(w) and _MGR1.search(w):
        w = _LAST.sub("", w, count=1)
    if firstch == "y":
        w = "y" + w[1:]
    return w

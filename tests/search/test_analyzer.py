"""The Python analyzer and lunr.js 2.3.9 produce the same terms: run both and compare."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from registry.search import analyze, stem
from registry.search.analyzer import STOP_WORDS

ROOT = Path(__file__).resolve().parent.parent.parent
LUNR_JS = ROOT / "node_modules/lunr/lunr.js"

# lunr keeps a token the trimmer empties (an em dash, `--`) as "", which can match nothing
# in an index that holds no empty term; the Python analyzer drops it. The rest must be equal.
NODE = """
const lunr = require(process.argv[1]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const p = new lunr.Pipeline(); p.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
console.log(JSON.stringify({
  terms: input.map((s) => p.run(lunr.tokenizer(s)).map(String).filter((t) => t !== "")),
  stop: %s.filter((w) => lunr.stopWordFilter(new lunr.Token(w)) === undefined),
}));
"""

TRICKY = [
    "Reviewing code-reviews, reviewed; REVIEWER's reviews!",
    "lay try yes cry by say sky yelling Yttrium ytterby y ye",
    "C++ & C# — résumé café naïve façade über",
    "don't a.b, x...y (foo) [bar] {baz} <tag> 'quoted' \"double\" `code`",
    "ΣΊΣΥΦΟΣ İstanbul straße ﬁle ǅemal ΑΣ",
    "emoji 😀a😀b tokens a😀😀 🎉party",
    "snake_case camelCase __init__ 3.14 v1.2.3 0x1F x86_64",
    "tab\tnbsp\u00a0em\u2003line\u2028para\u2029bom\ufeffz ideographic\u3000space",
    "hyphen-ated—dash–en  multiple---hyphens -leading trailing-",
    "https://example.com/a-b?c=d#e user@example.com C:\\path\\file.txt",
    "generalization relational conditional hopefulness feudalism sensitivity happiness",
    "def f(x): return x**2  # SELECT * FROM t WHERE a = 'b'; $var @decorator",
    "   ",
    "",
]


def lunr_js(strings: list[str]) -> dict:
    node = shutil.which("node")
    if node is None or not LUNR_JS.is_file():
        pytest.skip("needs Node.js and `npm ci` (lunr.js from node_modules)")
    script = NODE % json.dumps(sorted(STOP_WORDS | {"review", "constructor"}))
    proc = subprocess.run([node, "-e", script, str(LUNR_JS)], input=json.dumps(strings),
                          capture_output=True, text=True, timeout=60, check=True)
    return json.loads(proc.stdout)


def test_tricky_strings_give_the_same_terms() -> None:
    expected = lunr_js(TRICKY)["terms"]
    for text, terms in zip(TRICKY, expected, strict=True):
        assert analyze(text) == terms, text


def test_every_word_of_the_catalog_stems_the_same() -> None:
    """Every distinct word of this repository's skills and docs, one long string each side."""
    words: set[str] = set()
    for path in [*ROOT.glob("skills/**/*.md"), *ROOT.glob("docs/*.md")]:
        words.update(path.read_text(encoding="utf-8").split())
    text = " ".join(sorted(words))
    assert len(words) > 3000
    assert analyze(text) == lunr_js([text])["terms"][0]


def test_stop_words_are_lunrs() -> None:
    assert set(lunr_js([])["stop"]) == STOP_WORDS


def test_stemmer_examples() -> None:
    """Known Porter outputs as lunr.js writes them (lunr.py's stemmer differs on `lay`, `try`)."""
    assert [stem(w) for w in ["reviewing", "reviews", "lay", "try", "generalization", "happy"]] == [
        "review", "review", "lay", "tri", "gener", "happi"]

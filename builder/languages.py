"""A file name's Pygments lexer, chosen as Pygments chooses it, without its scan of every pattern.

`pygments.lexers.find_lexer_class_for_filename` runs each of its ~930 file name
globs through fnmatch, compiling a regular expression for each the first time,
and imports the module of every lexer that matches: 0.2-0.4 s in each build
process, most of the cost of re-rendering one skill's page (issue 12). All but a
dozen of those globs are `*.ext` or a plain name, which a string comparison
decides; only the rest go through fnmatch. When several lexers claim a name the
choice is Pygments' own without content: the explicit name's bonus, then the
class priority, then the class name (their modules are imported only then).
Lexers that third-party packages register as Pygments plugins are not looked at.

`language(name)` names a file's language for the skill page's plain-text sources
(`markdown.source_view`) from Pygments' table alone, without importing a lexer.
"""

from __future__ import annotations

import fnmatch
import re
from functools import cache

from pygments.lexer import Lexer
from pygments.lexers import find_lexer_class
from pygments.lexers._mapping import LEXERS

_GLOB = re.compile(r"[*?\[]")


@cache
def _table() -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]],
                      list[tuple[str, str]]]:
    """Pygments' globs split by how a name can match them: by extension (`*.py`), by whole
    name (`Makefile`), and the few others; each with the lexer's name and the glob."""
    endings: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, list[tuple[str, str]]] = {}
    others: list[tuple[str, str]] = []
    for _module, name, _aliases, globs, _mimetypes in LEXERS.values():
        for glob in globs:
            if glob.startswith("*") and not _GLOB.search(glob[1:]):
                endings.setdefault(glob[1:], []).append((name, glob))
            elif not _GLOB.search(glob):
                names.setdefault(glob, []).append((name, glob))
            else:
                others.append((name, glob))
    return endings, names, others


def _matches(filename: str) -> list[tuple[str, str]]:
    """(lexer name, glob) of every glob the file's base name matches, as fnmatch would."""
    base = filename.rsplit("/", 1)[-1]
    endings, names, others = _table()
    found = list(names.get(base, ()))
    for start in range(len(base)):  # every suffix of the name: the `*` matches the rest
        found += endings.get(base[start:], ())
    found += endings.get("", ())
    found += [(name, glob) for name, glob in others if fnmatch.fnmatchcase(base, glob)]
    return found


@cache
def lexer_class(filename: str) -> type[Lexer] | None:
    """The lexer class Pygments picks for a file name without its content, or None."""
    found = _matches(filename)
    if not found:
        return None
    classes = [(find_lexer_class(name), glob) for name, glob in found]
    return max(classes, key=lambda c: (c[0].priority + (0.5 if "*" not in c[1] else 0), c[0].__name__))[0]


@cache
def language(filename: str) -> str:
    """The language's first alias (`python`), or `text` for a name no lexer claims. Reads
    Pygments' table only, unless several lexers claim the name (then `lexer_class` decides)."""
    found = _matches(filename)
    lexers = {name for name, _ in found}
    if len(lexers) == 1:
        aliases = _aliases_of(lexers.pop())
    else:
        chosen = lexer_class(filename)
        aliases = list(chosen.aliases) if chosen is not None else ["text"]
    return aliases[0] if aliases else "text"


def _aliases_of(name: str) -> list[str]:
    return next(list(aliases) for _, lexer, aliases, *_ in LEXERS.values() if lexer == name)

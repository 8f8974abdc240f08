"""The one guard for every path that comes from git before it becomes a file name, a zip entry
or a URL.

Git itself refuses `..` in a tree built by `git add`, but not in one built by
`git mktree` or a hand-written pack: a pull request can carry tree entries
named `..`, `.`, `a\\..\\..\\x` or with terminal escapes in them. Whatever
reads a tree (the catalog, the site builder, the zips, the MCP service) asks
`check_path` first; validation reports the same reasons as rule SK313.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates reorder what a reader sees (the "Trojan Source" trick).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
MAX_PATH = 4096
MAX_SEGMENT = 255


class UnsafePath(ValueError):
    """The path is not a plain relative path that stays inside its folder."""


def is_control(ch: str) -> bool:
    """A C0/C1 control character or a bidirectional override: never shown as-is to a person."""
    return unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS


def unsafe_reason(path: str) -> str | None:
    """Why `path` (posix, relative) is unsafe, or None when it is a plain path inside the folder."""
    if not path:
        return "an empty path names no file"
    if len(path) > MAX_PATH:
        return f"paths longer than {MAX_PATH} characters are not allowed"
    if "\\" in path:
        return "backslashes are path separators on Windows and are not allowed"
    # isprintable() is False for every Cc and Cf character (the bidi controls are Cf): one C
    # call settles the common case instead of a category lookup per character (issue 12).
    if not path.isprintable() and any(is_control(ch) for ch in path):
        return "control characters (terminal escapes, NUL, direction overrides) are not allowed"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "absolute paths are not allowed; use a path relative to the skill"
    for part in path.split("/"):
        if part == "..":
            return "'..' segments are not allowed: they would leave the skill folder"
        if part in ("", "."):
            return "empty and '.' segments (`//`, `/./`, a trailing `/`) are not allowed"
        if part.lower() == ".git":
            return "`.git` is not allowed: it is git's own folder, never part of a skill"
        if len(part) > MAX_SEGMENT:
            return f"names longer than {MAX_SEGMENT} characters are not allowed"
    return None


def check_path(path: str) -> str:
    """`path` itself when it is safe, else UnsafePath saying why (control characters escaped)."""
    reason = unsafe_reason(path)
    if reason is not None:
        raise UnsafePath(f"'{printable(path)}': {reason}")
    return path


# What `is_control` accepts (Cc is exactly U+0000-U+001F and U+007F-U+009F), minus newline and
# tab, as one regular expression: every string a page prints passes through `printable`, and a
# per-character Python loop there was a fifth of a full site build (issue 12).
_SHOWN_ESCAPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


def printable(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`, `\\u202e`), for any output
    a person reads: a terminal, a page, a log line."""
    if _SHOWN_ESCAPED.search(text) is None:
        return text
    return _SHOWN_ESCAPED.sub(lambda m: _escape(m.group()), text)


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_safe(serialized: str) -> str:
    """Serialized JSON with every control character written as `\\uXXXX` (json.dumps with
    ensure_ascii=False leaves C1 controls and direction overrides raw). Control characters only
    occur inside JSON strings, where `\\uXXXX` means the same character: the data is unchanged."""
    if _SHOWN_ESCAPED.search(serialized) is None:
        return serialized
    return _SHOWN_ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", serialized)

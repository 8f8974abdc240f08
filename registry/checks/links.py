"""Relative links in the skill's markdown must resolve to files inside the skill."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote

from ..model import Diagnostic, FileKind
from ..rules import diagnostic
from .context import SkillContext

# [text](target "title") and ![alt](<target>); reference definitions `[id]: target`.
_INLINE = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+[\"'(][^)]*)?\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.MULTILINE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def check_links(ctx: SkillContext) -> list[Diagnostic]:
    files = {f.path for f in ctx.tree.files() if f.kind != FileKind.SUBMODULE}
    dirs = {posixpath.dirname(p) for p in files}
    for d in list(dirs):
        while d:
            d = posixpath.dirname(d)
            dirs.add(d)
    out: list[Diagnostic] = []
    for f in ctx.tree.files():
        if not f.path.lower().endswith(".md") or f.kind == FileKind.SYMLINK:
            continue
        if f.size > ctx.config.limits.max_file_bytes:
            continue
        try:
            text = ctx.tree.read(f.path).decode("utf-8", "replace")
        except OSError:
            continue
        for line_no, col, target in _links(text):
            problem = _resolve(f.path, target, files, dirs)
            if problem:
                code, message = problem
                out.append(diagnostic(code, ctx.file_path(f.path), line_no, col, message,
                                      skill=ctx.folder))
    return out


def _links(text: str) -> list[tuple[int, int, str]]:
    """(line, column, target) of every link outside code blocks and code spans."""
    found = []
    fence: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        opener = _FENCE.match(line)
        if fence:
            if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
                fence = None
            continue
        if opener:
            fence = opener.group(1)
            continue
        if "](" not in line and "]:" not in line:
            continue
        masked = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for match in _INLINE.finditer(masked):
            found.append((number, match.start(1) + 1, match.group(1)))
        for match in _REFERENCE.finditer(masked):
            found.append((number, match.start(1) + 1, match.group(1)))
    return found


def _resolve(source: str, target: str, files: set[str], dirs: set[str]) -> tuple[str, str] | None:
    target = target.strip("<>").strip()
    if not target or target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
        return None
    path = unquote(target.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return None
    if path.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", path):
        return ("SK302", f"link {target!r} is an absolute path")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
    if resolved == ".." or resolved.startswith("../"):
        return ("SK302", f"link {target!r} points outside the skill folder")
    if resolved in files or resolved in dirs or resolved == ".":
        return None
    return ("SK301", f"link {target!r} points at {resolved!r}, which is not in the skill")

"""Relative links in the skill's markdown must resolve to files inside the skill.

Links are what markdown-it-py says they are (`registry.markdown`): text in a
code block, a code span or an HTML comment is not a link. The parser is asked
only when it could find something wrong: when every place a link could be
written holds a plain target that resolves (`plain_targets`), no link can be
broken, and markdown-it does not load (issue 12).
"""

from __future__ import annotations

import posixpath
import re

from ..markdown import links, plain_targets
from ..model import Diagnostic, FileKind
from ..rules import diagnostic
from .context import SkillContext

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


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
        plain = plain_targets(text)
        if plain is not None and not any(_resolve(f.path, target, files, dirs) for target in plain):
            continue  # every target that could be a link's resolves: the parser would find nothing
        for link in links(text):
            problem = _resolve(f.path, link.target, files, dirs)
            if problem:
                code, message = problem
                out.append(diagnostic(code, ctx.file_path(f.path), link.line, link.column, message,
                                      skill=ctx.folder))
    return out


def _resolve(source: str, target: str, files: set[str], dirs: set[str]) -> tuple[str, str] | None:
    target = target.strip()
    if not target or target.startswith("#") or _SCHEME.match(target) or target.startswith("//"):
        return None
    path = target.split("#", 1)[0].split("?", 1)[0]
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

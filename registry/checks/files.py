"""Bundled files: limits, symlinks, and that JSON, YAML and Python files parse."""

from __future__ import annotations

import json
import posixpath

import yaml

from ..model import Diagnostic, FileKind
from ..rules import diagnostic
from ..safepath import printable
from .context import SkillContext

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_limits(ctx: SkillContext) -> list[Diagnostic]:
    limits = ctx.config.limits
    files = ctx.tree.files()
    where = ctx.skill_md_path
    out = []
    if len(files) > limits.max_files:
        out.append(diagnostic("SK306", where, 1, 1,
                              f"the skill has {len(files)} files; the limit is {limits.max_files}",
                              skill=ctx.folder))
    total = sum(f.size for f in files)
    if total > limits.max_skill_bytes:
        out.append(diagnostic("SK307", where, 1, 1,
                              f"the skill's files total {total:,} bytes; the limit is "
                              f"{limits.max_skill_bytes:,}", skill=ctx.folder))
    for f in files:
        if f.size > limits.max_file_bytes and f.kind != FileKind.SYMLINK:
            out.append(diagnostic("SK308", ctx.file_path(f.path), 1, 1,
                                  f"{f.size:,} bytes; the per-file cap is "
                                  f"{limits.max_file_bytes:,}", skill=ctx.folder))
    return out


def check_paths(ctx: SkillContext) -> list[Diagnostic]:
    """Names the path guard refused (registry.safepath): they are left out of everything else."""
    return [diagnostic("SK313", ctx.file_path(printable(path)), 1, 1, reason, skill=ctx.folder)
            for path, reason in ctx.tree.unsafe]


def check_links_and_modules(ctx: SkillContext) -> list[Diagnostic]:
    """Symlinks must stay inside the skill; submodules cannot be versioned with it."""
    out = []
    for f in ctx.tree.files():
        if f.kind == FileKind.SUBMODULE:
            out.append(diagnostic("SK312", ctx.file_path(f.path), 1, 1,
                                  "git submodule inside a skill", skill=ctx.folder))
        elif f.kind == FileKind.SYMLINK:
            target = f.link_target or ""
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(f.path), target))
            if target.startswith("/") or resolved == ".." or resolved.startswith("../"):
                out.append(diagnostic("SK309", ctx.file_path(f.path), 1, 1,
                                      f"symlink to {target!r} leaves the skill folder",
                                      skill=ctx.folder))
    return out


def check_parseable(ctx: SkillContext) -> list[Diagnostic]:
    """JSON and YAML must parse and Python must compile; nothing is ever executed."""
    out = []
    limit = ctx.config.limits.max_file_bytes
    for f in ctx.tree.files():
        if f.kind not in (FileKind.FILE, FileKind.EXECUTABLE) or f.size > limit:
            continue
        ext = posixpath.splitext(f.path)[1].lower()
        if ext not in (".json", ".yaml", ".yml", ".py"):
            continue
        where = ctx.file_path(f.path)
        try:
            data = ctx.tree.read(f.path)
        except OSError as exc:
            out.append(diagnostic("SK311", where, 1, 1, f"cannot read: {exc.strerror or exc}",
                                  skill=ctx.folder))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            code = {".json": "SK303", ".py": "SK305"}.get(ext, "SK304")
            out.append(diagnostic(code, where, line, 1, "not valid UTF-8", skill=ctx.folder))
            continue
        problem = _parse_problem(ext, text, where)
        if problem:
            code, line, col, message = problem
            out.append(diagnostic(code, where, line, col, message, skill=ctx.folder))
    return out


def _parse_problem(ext: str, text: str, where: str) -> tuple[str, int, int, str] | None:
    if ext == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return ("SK303", exc.lineno, exc.colno, f"invalid JSON: {exc.msg}")
        except RecursionError:
            return ("SK303", 1, 1, "invalid JSON: nested too deeply")
    elif ext == ".py":
        try:
            compile(text, where, "exec", dont_inherit=True)
        except SyntaxError as exc:
            return ("SK305", exc.lineno or 1, exc.offset or 1, f"syntax error: {exc.msg}")
        except (ValueError, RecursionError, MemoryError) as exc:
            return ("SK305", 1, 1, f"cannot compile: {exc}")
    else:
        try:
            for _ in yaml.compose_all(text, Loader=_Loader):
                pass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            return ("SK304", line, col, f"invalid YAML: {exc.problem or exc}")
        except (yaml.YAMLError, RecursionError) as exc:
            return ("SK304", 1, 1, f"invalid YAML: {exc}")
    return None

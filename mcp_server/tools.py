"""The MCP tools: progressive disclosure for hosts that know nothing of the Skills extension.

Discovery is cheap on purpose: search and list return names, one-line
descriptions and token estimates only, so a catalog of any size costs a host a
handful of short tool definitions plus one page. Content comes one skill, then
one file, at a time.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations

from registry.errors import RelayError
from registry.safepath import json_safe

from .paths import UnsafePath, check_path, find_file
from .service import Service
from .snapshot import SkillEntry, Snapshot

LIST_PAGE = 20
MAX_PAGE = 100
SUMMARY_CHARS = 90
READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)


def summary(text: str, width: int = SUMMARY_CHARS) -> str:
    """The description's first sentence, cut to `width` characters."""
    text = " ".join(text.split())
    first = text.split(". ", 1)[0].rstrip(".")
    return first if len(first) <= width else first[: width - 1].rstrip() + "…"


def compact(data: object) -> str:
    return json_safe(json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str))


def _brief(entry: SkillEntry) -> dict[str, Any]:
    return {"name": entry.name, "description": summary(entry.description), "tokens": entry.tokens}


def search(snapshot: Snapshot, query: str, tags: list[str] | None = None, category: str | None = None,
           limit: int = 10) -> list[tuple[float, SkillEntry]]:
    """Skills ranked by how many query words hit the name (x3), tags (x2) and description."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in query.lower()).split() if w]
    wanted_tags = {t.lower() for t in tags or []}
    hits: list[tuple[float, SkillEntry]] = []
    for name in snapshot.names:
        entry = snapshot.skills[name]
        if category and entry.category.lower() != category.lower():
            continue
        if wanted_tags and not wanted_tags <= {t.lower() for t in entry.tags}:
            continue
        score = 0.0
        for word in words:
            if word in name:
                score += 3.0
            if any(word == t.lower() for t in entry.tags):
                score += 2.0
            if word in entry.words or any(w.startswith(word) for w in entry.words if len(word) > 2):
                score += 1.0
        if score > 0 or not words:
            hits.append((score, entry))
    hits.sort(key=lambda hit: (-hit[0], hit[1].name))
    return hits[: max(1, min(limit, MAX_PAGE))]


def _cursor(name: str) -> str:
    return base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")


def _after(cursor: str | None) -> str:
    if not cursor:
        return ""
    try:
        name = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        name = ""
    if not name or _cursor(name) != cursor:
        raise ToolError("invalid cursor; start again without one")
    return name


def page(names: tuple[str, ...], cursor: str | None, limit: int) -> tuple[list[str], str | None]:
    """Names after the cursor's name (stable while skills come and go), and the next cursor."""
    after = _after(cursor)
    limit = max(1, min(limit, MAX_PAGE))
    start = next((i for i, n in enumerate(names) if n > after), len(names)) if after else 0
    chosen = list(names[start: start + limit])
    more = start + limit < len(names)
    return chosen, (_cursor(chosen[-1]) if more and chosen else None)


def register_tools(mcp: MCPServer, service: Service) -> None:
    """Add the six tools to `mcp`; each works on one snapshot from start to end."""

    def snap() -> Snapshot:
        try:
            return service.holder.require()
        except RelayError as exc:
            raise ToolError(str(exc)) from None

    async def search_skills(query: str, tags: list[str] | None = None, category: str | None = None,
                            limit: int = 10) -> str:
        """Find skills by words in their name, tags and description. Returns names, one-line
        descriptions, token costs and scores; use get_skill to load one."""
        hits = search(snap(), query, tags, category, limit)
        return compact({"skills": [{**_brief(e), "score": s} for s, e in hits]})

    async def list_skills(cursor: str | None = None, limit: int = LIST_PAGE) -> str:
        """List the catalog a page at a time: names, one-line descriptions, token costs."""
        snapshot = snap()
        names, next_cursor = page(snapshot.names, cursor, limit)
        result: dict[str, Any] = {"total": len(snapshot.names),
                                  "skills": [_brief(snapshot.skills[n]) for n in names]}
        if next_cursor:
            result["next_cursor"] = next_cursor
        return compact(result)

    async def get_skill(name: str, ctx: Context, version: str | None = None) -> CallToolResult:
        """Load a skill's SKILL.md (latest, or a version: tree id, commit, tag or semver) and
        the list of its bundled files."""
        started, snapshot, resolved = time.perf_counter(), snap(), None
        try:
            resolved = snapshot.version(name, version)
            tree = snapshot.tree(resolved)
            text = tree.read("SKILL.md").decode("utf-8", "replace")
        except (RelayError, FileNotFoundError) as exc:
            _fail(service, ctx, "get_skill", name, resolved, started)
            raise ToolError(str(exc)) from None
        files = [{"path": f.path, "size": f.size} for f in tree.files() if f.path != "SKILL.md"]
        header = {"name": name, "version": _version(resolved), "files": files,
                  "read_files_with": "read_skill_file"}
        service.recorder.record(ctx.request_context, "get_skill", name, resolved, started,
                                size=len(text.encode()))
        return CallToolResult(content=[TextContent(type="text", text=compact(header)),
                                       TextContent(type="text", text=text)])

    async def read_skill_file(name: str, path: str, ctx: Context, version: str | None = None) -> str:
        """Read one bundled file of a skill by its path from get_skill (text, or base64 for
        binary files)."""
        started, snapshot, resolved = time.perf_counter(), snap(), None
        try:
            clean = check_path(path)
            resolved = snapshot.version(name, version)
            tree = snapshot.tree(resolved)
            entry = find_file(tree, clean)
            if entry.size > service.max_read_bytes:
                raise ToolError(f"{path} is {entry.size} bytes, over the {service.max_read_bytes}-byte "
                                f"cap of this tool; read skill://{name}/{clean} with resources/read")
            data = tree.read(clean)
        except FileNotFoundError:
            _fail(service, ctx, "read_skill_file", name, resolved, started)
            raise ToolError(f"{name} has no file {path!r} at this version; "
                            "get_skill lists its files") from None
        except (RelayError, UnsafePath, ToolError) as exc:
            _fail(service, ctx, "read_skill_file", name, resolved, started)
            raise ToolError(str(exc)) from None
        service.recorder.record(ctx.request_context, "read_skill_file", name, resolved, started,
                                size=len(data))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return compact({"path": clean, "size": len(data), "encoding": "base64",
                            "data": base64.b64encode(data).decode()})

    async def list_skill_versions(name: str, limit: int = 20) -> str:
        """List a skill's versions, newest first: tree id, commit, date, author, tags, message."""
        try:
            versions = snap().versions(name)
        except RelayError as exc:
            raise ToolError(str(exc)) from None
        newest = list(reversed(versions))[: max(1, min(limit, MAX_PAGE))]
        return compact({"total": len(versions), "versions": [
            {**_version(v), "author": v.author_name, "message": v.summary} for v in newest]})

    async def rate_skill(name: str, rating: int, ctx: Context, minutes_saved: float = 0,
                         comment: str = "", version: str | None = None) -> str:
        """Rate a skill you used: 1 (useless) to 5 (excellent), and minutes it saved."""
        started, snapshot = time.perf_counter(), snap()
        if not 1 <= rating <= 5:
            raise ToolError("rating must be an integer from 1 to 5")
        if not 0 <= minutes_saved <= 24 * 60:
            raise ToolError("minutes_saved must be between 0 and 1440")
        try:
            resolved = snapshot.version(name, version)
        except RelayError as exc:
            raise ToolError(str(exc)) from None
        service.recorder.record(ctx.request_context, "rate_skill", name, resolved, started,
                                rating=rating, minutes_saved=float(minutes_saved),
                                comment=comment[:2000])
        return compact({"ok": True, "skill": name, "version": resolved.tree_id[:12]})

    for fn in (search_skills, list_skills, get_skill, read_skill_file, list_skill_versions):
        mcp.add_tool(fn, annotations=READ_ONLY, structured_output=False)
    mcp.add_tool(rate_skill, annotations=ToolAnnotations(read_only_hint=False, idempotent_hint=False,
                                                         open_world_hint=False), structured_output=False)


def _version(v: Any) -> dict[str, Any]:
    return {"tree_id": v.tree_id, "commit": v.commit_id, "date": v.date.isoformat(),
            "tags": list(v.tags)}


def _fail(service: Service, ctx: Context, tool: str, name: str, version: Any, started: float) -> None:
    if service.holder.current is not None and name in service.holder.current.skills:
        service.recorder.record(ctx.request_context, tool, name, version, started, success=False)

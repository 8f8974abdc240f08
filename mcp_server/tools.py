"""The MCP tools: progressive disclosure for hosts that know nothing of the Skills extension.

Discovery is cheap on purpose: search and list return names, one-line
descriptions and token estimates only, so a catalog of any size costs a host a
handful of short tool definitions plus one page. Content comes one skill, then
one file, at a time.
"""

from __future__ import annotations

import base64
import inspect
import json
import time
from typing import Annotated, Any

import anyio.to_thread
from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field

from registry.content import is_binary
from registry.errors import RelayError, VersionNotFound
from registry.model import KIND_NAMES, Item
from registry.safepath import json_safe
from registry.search import MAX_QUERY_CHARS, Hit, QueryTooLong, summary

from .paging import MAX_PAGE, BadCursor, page
from .paths import UnsafePath, check_path, find_file
from .service import Service
from .skill_docs import SkillDoc, read_doc
from .snapshot import SkillEntry, Snapshot

INLINE_POSTINGS = 30_000  # a search summing more postings than this runs in a thread
LIST_PAGE = 15  # a page of summaries (with their "use when" sentences) stays near 600 tokens
READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

# Every parameter carries its description and bounds in the JSON Schema a host sees; the SDK
# validates arguments against it, so a value out of range is refused, never silently clamped.
Name = Annotated[str, Field(description="The skill's name, as search_skills or list_skills show it.",
                            min_length=1, max_length=64)]
VersionSpec = Annotated[str | None, Field(
    description="A version: tree or commit id (12 characters are enough), release tag such as "
                "name@1.2.0, or semver; omit for the latest.", max_length=200)]
Cursor = Annotated[str | None, Field(description="next_cursor from the previous page; omit for the first.",
                                     max_length=200)]

Limit = Annotated[int, Field(description=f"Most entries to return (1-{MAX_PAGE}).", ge=1, le=MAX_PAGE)]


def describe(fn: Any) -> str:
    """A tool's description: its docstring as one clean paragraph, without source indentation."""
    return " ".join((inspect.getdoc(fn) or "").split())


def tool_error(exc: Exception) -> ToolError:
    """The ToolError a model can act on: it names MCP tools and arguments, never shell commands."""
    if isinstance(exc, VersionNotFound) and exc.skill:
        return ToolError(f"{exc}; list_skill_versions with name={exc.skill!r} lists them")
    return ToolError(str(exc))


def compact(data: object) -> str:
    return json_safe(json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str))


def _brief(entry: SkillEntry) -> dict[str, Any]:
    """Name, a summary that keeps the description's "use when" sentence, and the token cost."""
    return {"name": entry.name, "description": summary(entry.description), "tokens": entry.tokens}


def search(snapshot: Snapshot, query: str, tags: list[str] | None = None, category: str | None = None,
           limit: int = 10, kind: str = "skill") -> list[tuple[Hit, SkillEntry | Item]]:
    """The snapshot's search index (registry.search: the site ranks the same way), best first.

    The index holds the top-level skills and the other items (docs/kinds.md), which `kind`
    selects ("all" for every kind); what the caller may not see is absent from `snapshot`
    (the caller's view) and skipped. `tags` and `category` filter top-level skills.
    Raises QueryTooLong for a query over the bounds.
    """
    wanted_tags = {t.lower() for t in tags or []}
    docs = snapshot.search.docs

    def accept(i: int) -> bool:
        entry = snapshot.skills.get(docs[i].key)  # absent: another kind, or hidden from this caller
        if entry is not None:
            if kind not in ("skill", "all") or (category and entry.category.lower() != category.lower()):
                return False
            return not wanted_tags or wanted_tags <= {t.lower() for t in entry.tags}
        item = snapshot.items.get(docs[i].key)
        return item is not None and not (tags or category) and kind in ("all", item.kind)

    everything = len(docs) == len(snapshot.names) and kind == "skill" and not (category or wanted_tags)
    hits = snapshot.search.search(query, max(1, min(limit, MAX_PAGE)), None if everything else accept)
    return [(hit, snapshot.skills[hit.key] if hit.key in snapshot.skills else snapshot.items[hit.key])
            for hit in hits]


def inline_search(snapshot: Snapshot, query: str, tags: list[str] | None, category: str | None,
                  kind: str) -> bool:
    """Whether a search is cheap enough to run on the event loop (issue 12).

    A search costs a fixed part (about 0.15 ms) plus the postings it sums: a term in 9,000
    items takes 0.25 ms, four of them 0.7 ms, on the 2-core benchmark machine under load.
    Up to INLINE_POSTINGS (under a millisecond) it runs inline: handing it to a thread
    cost as much CPU as the search itself. Longer ones, and those whose cost is not known up front (the
    empty query sorts every item, a query of unknown words expands prefixes, filters test
    items one by one, an over-long query is refused in the thread with its message), leave
    the loop so that no request waits behind them.
    """
    if tags or category or kind != "skill" or not query.strip() or len(query) > MAX_QUERY_CHARS:
        return False
    index = snapshot.search
    known = [index.postings[term] for term in index.query_terms(query) if term in index.postings]
    return bool(known) and sum(len(items) for items, _, _ in known) <= INLINE_POSTINGS


def _result(hit: Hit, found: SkillEntry | Item, with_kind: bool) -> dict[str, Any]:
    """One search result: what a model needs to choose, and how strongly it matched."""
    if isinstance(found, Item):
        row: dict[str, Any] = {"name": found.name, "kind": found.kind,
                               "description": summary(found.description),
                               "uri": f"item://{found.kind}/{found.name}"}
    else:
        row = {**_brief(found), "kind": "skill"} if with_kind else _brief(found)
    match = "exact name" if hit.exact else "strong" if hit.strong else "weak"
    return {**row, "score": hit.score, "match": match, "words_matched": f"{hit.matched}/{hit.terms}"}


def register_tools(mcp: MCPServer, service: Service) -> None:
    """Add the six tools to `mcp`; each works on one snapshot from start to end."""

    def snap(ctx: Context) -> Snapshot:
        """What this caller may see: a hidden item answers exactly like an unknown one."""
        try:
            return service.snapshot(ctx.request_context)
        except RelayError as exc:
            raise ToolError(str(exc)) from None

    async def search_skills(
        query: Annotated[str, Field(description="The task in plain words, e.g. 'review a pull request', "
                                                "or a skill's name; empty lists skills by use.",
                                    max_length=MAX_QUERY_CHARS)],
        ctx: Context,
        tags: Annotated[list[str] | None, Field(description="Only skills carrying all of these tags.",
                                                max_length=20)] = None,
        category: Annotated[str | None, Field(description="Only skills in this category.",
                                              max_length=100)] = None,
        limit: Limit = 10,
        kind: Annotated[str, Field(description="skill (default), agent, command, hooks, mcp, plugin, "
                                               "marketplace, or all kinds.", max_length=20)] = "skill",
    ) -> str:
        """Find skills (or, with kind, agents, commands, plugins... or all) for a task in plain
        words or by name, best first: names, when to use each, token costs, match strength."""
        if kind not in (*KIND_NAMES, "all"):
            raise ToolError(f"unknown kind {kind!r}; use one of {', '.join(KIND_NAMES)} or all")
        snapshot = snap(ctx)
        try:
            if inline_search(snapshot, query, tags, category, kind):
                hits = search(snapshot, query, tags, category, limit, kind)
            else:
                hits = await anyio.to_thread.run_sync(search, snapshot, query, tags, category, limit, kind)
        except QueryTooLong as exc:
            raise ToolError(str(exc)) from None
        # A repository without plugins and the default kind: skills only, as before.
        with_kind = kind != "skill" or any(isinstance(found, Item) for _, found in hits)
        return compact({"skills": [_result(hit, found, with_kind) for hit, found in hits]})

    async def list_skills(ctx: Context, cursor: Cursor = None, limit: Limit = LIST_PAGE) -> str:
        """List the catalog a page at a time: names, when to use each, token costs."""
        snapshot = snap(ctx)
        try:
            names, next_cursor = page(snapshot.names, cursor, limit)
        except BadCursor as exc:
            raise ToolError(str(exc)) from None
        result: dict[str, Any] = {"total": len(snapshot.names),
                                  "skills": [_brief(snapshot.skills[n]) for n in names]}
        if next_cursor:
            result["next_cursor"] = next_cursor
        return compact(result)

    async def get_skill(name: Name, ctx: Context, version: VersionSpec = None) -> CallToolResult:
        """Load a skill's SKILL.md (latest, or a version: tree id, commit, tag or semver) and
        the list of its bundled files."""
        started, snapshot, resolved = time.perf_counter(), snap(ctx), None
        entry = None if version else snapshot.skills.get(name)
        # The usual call (a known skill, latest version, read before) is answered on the event
        # loop from the cache; resolving a pin, suggesting names and reading git leave it.
        doc = service.docs.get(entry.latest.tree_id) if entry is not None else None

        def load() -> SkillDoc:
            nonlocal resolved
            resolved = snapshot.version(name, version)
            return service.docs.get(resolved.tree_id) or read_doc(snapshot.tree(resolved))

        if doc is not None and entry is not None:
            resolved = entry.latest
        else:
            try:
                doc = await service.in_thread(load)
            except (RelayError, FileNotFoundError) as exc:
                _fail(service, ctx, "get_skill", name, resolved, started, snapshot)
                raise tool_error(exc) from None
            assert resolved is not None
            service.docs.put(resolved.tree_id, doc)
        header = {"name": name, "version": resolved.as_json(), "files": doc.file_list(),
                  "read_files_with": "read_skill_file"}
        service.recorder.record(ctx.request_context, "get_skill", name, resolved, started, size=doc.size)
        return CallToolResult(content=[TextContent(type="text", text=compact(header)),
                                       TextContent(type="text", text=doc.text)])

    async def read_skill_file(
        name: Name,
        path: Annotated[str, Field(description="The file's path inside the skill, as get_skill lists it, "
                                               "e.g. references/guide.md.", min_length=1, max_length=1000)],
        ctx: Context, version: VersionSpec = None,
    ) -> str:
        """Read one bundled file of a skill by its path from get_skill (text, or base64 for
        binary files)."""
        started, snapshot, resolved = time.perf_counter(), snap(ctx), None
        clean = ""

        def load() -> bytes:  # git reads run off the event loop
            nonlocal resolved, clean
            clean = check_path(path)
            resolved = snapshot.version(name, version)
            tree = snapshot.tree(resolved)
            entry = find_file(tree, clean)
            if entry.size > service.max_read_bytes:
                raise ToolError(f"{path} is {entry.size} bytes, over the {service.max_read_bytes}-byte "
                                f"cap of this tool; read skill://{name}/{clean} with resources/read")
            return tree.read(clean)

        try:
            data = await service.in_thread(load)
        except FileNotFoundError:
            _fail(service, ctx, "read_skill_file", name, resolved, started, snapshot)
            raise ToolError(f"{name} has no file {path!r} at this version; "
                            "get_skill lists its files") from None
        except (RelayError, UnsafePath, ToolError) as exc:
            _fail(service, ctx, "read_skill_file", name, resolved, started, snapshot)
            raise tool_error(exc) from None
        service.recorder.record(ctx.request_context, "read_skill_file", name, resolved, started,
                                size=len(data))
        if not is_binary(data):
            return data.decode("utf-8")
        return compact({"path": clean, "size": len(data), "encoding": "base64",
                        "data": base64.b64encode(data).decode()})

    async def list_skill_versions(name: Name, ctx: Context, limit: Limit = 20) -> str:
        """List a skill's versions, newest first: tree id, commit, date, author, tags, message."""
        snapshot = snap(ctx)
        try:
            versions = await service.in_thread(lambda: snapshot.versions(name))
        except RelayError as exc:
            raise tool_error(exc) from None
        newest = list(reversed(versions))[:limit]
        return compact({"total": len(versions), "versions": [
            v.as_json() for v in newest]})

    async def rate_skill(
        name: Name,
        rating: Annotated[int, Field(description="1 (useless) to 5 (excellent).", ge=1, le=5)],
        ctx: Context,
        minutes_saved: Annotated[float, Field(description="Minutes of work the skill saved (0-1440).",
                                              ge=0, le=24 * 60)] = 0,
        comment: Annotated[str, Field(description="What worked or did not, in a sentence or two.",
                                      max_length=2000)] = "",
        version: VersionSpec = None,
    ) -> str:
        """Rate a skill you used: 1 (useless) to 5 (excellent), and minutes it saved."""
        started, snapshot = time.perf_counter(), snap(ctx)
        try:
            resolved = snapshot.version(name, version)
        except RelayError as exc:
            raise tool_error(exc) from None
        service.recorder.record(ctx.request_context, "rate_skill", name, resolved, started,
                                rating=rating, minutes_saved=float(minutes_saved), comment=comment)
        return compact({"ok": True, "skill": name, "version": resolved.tree_id[:12]})

    for fn in (search_skills, list_skills, get_skill, read_skill_file, list_skill_versions):
        mcp.add_tool(fn, description=describe(fn), annotations=READ_ONLY, structured_output=False)
    mcp.add_tool(rate_skill, description=describe(rate_skill),
                 annotations=ToolAnnotations(read_only_hint=False, idempotent_hint=False,
                                             open_world_hint=False), structured_output=False)


def _fail(service: Service, ctx: Context, tool: str, name: str, version: Any, started: float,
          snapshot: Snapshot) -> None:
    if name in snapshot.skills:
        service.recorder.record(ctx.request_context, tool, name, version, started, success=False)

"""Slash commands as MCP prompts: `prompts/list` and `prompts/get` over the catalog snapshot.

Every slash command item (docs/kinds.md) is one prompt named like the item
(`review`, or `toolkit:review` inside a plugin). Its arguments come from the
prompt text as Claude Code reads it: `$ARGUMENTS` (everything typed after the
command) becomes the `arguments` argument, described by the command's
`argument-hint`; `$1`, `$2`, ... become `arg1`, `arg2`, .... Rendering
substitutes them; positional values missing are taken from `arguments` split
like a shell line, and `arguments` given to a command that does not use it is
appended as Claude Code does. The list is read from the current snapshot on
each request, so it follows the served branch without a restart; items
restricted to an audience (registry/audience.py), or inside a plugin that is, are
hidden from others (the caller's snapshot leaves them out).
"""

from __future__ import annotations

import re
import shlex
import time
from typing import Any

from mcp.server import MCPServer
from mcp.shared.exceptions import MCPError
from mcp_types import (
    INVALID_PARAMS,
    GetPromptRequestParams,
    GetPromptResult,
    ListPromptsResult,
    PaginatedRequestParams,
    Prompt,
    PromptArgument,
    PromptMessage,
    TextContent,
)

from registry.errors import RelayError
from registry.kinds.command import arguments as used_arguments
from registry.model import Item

from .paging import BadCursor, page
from .service import Service
from .snapshot import Snapshot

PAGE = 100  # paging.MAX_PAGE
ALL = "arguments"
_POSITIONAL = re.compile(r"\$(\d+)")


def commands(snapshot: Snapshot) -> dict[str, Item]:
    """The slash commands of a snapshot (as the caller sees it), by name."""
    found = sorted((i for i in snapshot.items.values() if i.kind == "command"), key=lambda i: i.name)
    return {item.name: item for item in found}


def prompt_of(item: Item) -> Prompt:
    """The MCP prompt for a slash command: name, description and arguments."""
    hint = item.data.get("argument-hint")
    hint = hint if isinstance(hint, str) and hint.strip() else ""
    used = used_arguments(item.body)
    args = [PromptArgument(name=ALL, required=False,
                           description=f"What follows the command: {hint}" if hint else
                           "What follows the command, as typed after it")]
    args += [PromptArgument(name=f"arg{n}", required=False,
                            description=f"Positional argument ${n}" + (f" of {hint}" if hint else ""))
             for n in used if n != "ARGUMENTS"]
    return Prompt(name=item.name, title=item.name, description=item.description or None,
                  arguments=args)


def render(item: Item, values: dict[str, str] | None) -> str:
    """The command's prompt with its arguments substituted."""
    values = values or {}
    everything = values.get(ALL, "")
    try:
        words = shlex.split(everything)
    except ValueError:
        words = everything.split()
    body = item.body

    def positional(match: re.Match[str]) -> str:
        n = int(match.group(1))
        given = values.get(f"arg{n}")
        if given is not None:
            return given
        return words[n - 1] if 0 < n <= len(words) else ""

    text = _POSITIONAL.sub(positional, body.replace("$ARGUMENTS", everything))
    if everything and "$ARGUMENTS" not in body and not _POSITIONAL.search(body):
        text = f"{text.rstrip()}\n\nARGUMENTS: {everything}\n"
    return text


async def has_prompts(service: Service) -> bool:
    """Whether the served catalog has slash commands (the `prompts` capability is declared then)."""
    snapshot = service.holder.current
    return snapshot is not None and any(i.kind == "command" for i in snapshot.items.values())


def caller_snapshot(service: Service, ctx: Any) -> Snapshot:
    """The catalog as the caller sees it (restricted items absent), or -32603 while loading."""
    try:
        return service.snapshot(ctx)
    except RelayError as exc:
        raise MCPError(code=-32603, message=str(exc)) from None


def register_prompts(mcp: MCPServer, service: Service) -> None:
    """Serve slash commands through prompts/list and prompts/get (the prompts capability)."""

    async def list_prompts(ctx: Any, params: PaginatedRequestParams) -> ListPromptsResult:
        found = commands(caller_snapshot(service, ctx))
        try:
            names, next_cursor = page(tuple(found), params.cursor, PAGE)
        except BadCursor as exc:
            raise MCPError(code=INVALID_PARAMS, message=str(exc), data={"cursor": params.cursor}) from None
        return ListPromptsResult(prompts=[prompt_of(found[n]) for n in names],
                                 next_cursor=next_cursor)

    async def get_prompt(ctx: Any, params: GetPromptRequestParams) -> GetPromptResult:
        started = time.perf_counter()
        item = commands(caller_snapshot(service, ctx)).get(params.name)
        if item is None:
            raise MCPError(code=INVALID_PARAMS, message=f"unknown prompt {params.name!r}; "
                           "prompts/list names the slash commands served")
        arguments = {str(k): str(v) for k, v in (params.arguments or {}).items()}
        known = {a.name for a in prompt_of(item).arguments or []}
        unknown = sorted(set(arguments) - known)
        if unknown:
            raise MCPError(code=INVALID_PARAMS, message=f"prompt {item.name!r} has no argument "
                           f"{', '.join(unknown)}; it takes {', '.join(sorted(known))}")
        text = render(item, arguments)
        service.recorder.record(ctx, "prompts/get", item.key, item.latest, started,
                                size=len(text.encode()))
        return GetPromptResult(description=item.description or None, messages=[
            PromptMessage(role="user", content=TextContent(type="text", text=text))])

    server = mcp._lowlevel_server  # the SDK's prompt manager is static; the catalog is not
    server.add_request_handler("prompts/list", PaginatedRequestParams, list_prompts)
    server.add_request_handler("prompts/get", GetPromptRequestParams, get_prompt)

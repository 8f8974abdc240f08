"""`tools/call` of a tool the server does not have is a protocol error (-32602), not a tool result.

The MCP spec lists "unknown tools" among the protocol errors of `tools/call`
(JSON-RPC -32602, invalid params); MCPServer answers them as a tool result with
`isError: true`, which a host shows the model as if the tool had run. This
middleware answers first, from the server's own tool list. Relay's tools are all
registered before the first request, so the list of names is taken once, at the
first `tools/call`, not rebuilt (with every tool's schema) on each call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from mcp.server import MCPServer
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS


def refuse_unknown_tools(mcp: MCPServer) -> None:
    known: set[str] = set()

    async def middleware(ctx: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
        if ctx.method == "tools/call" and isinstance(ctx.params, dict):
            if not known:
                known.update(t.name for t in await mcp.list_tools())
            name = ctx.params.get("name")
            if isinstance(name, str) and name not in known:
                raise MCPError(code=INVALID_PARAMS, message=f"Unknown tool: {name}; tools/list lists them",
                               data={"name": name})
        return await call_next(ctx)

    mcp.middleware.append(middleware)

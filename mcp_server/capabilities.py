"""Capabilities that say what the server has, on every protocol version the SDK speaks.

Two fixes to what the SDK derives, applied to `initialize` (2025-11-25 and
earlier) and `server/discover` (2026-07-28) alike:

- **Extensions on the handshake-era wire.** The SDK writes
  `capabilities.extensions` (SEP-2133) only on the 2026-07-28 wire; its
  2025-11-25 model drops the field. Those revisions say server capabilities
  are "not a closed set", and hosts such as the MCP Inspector read
  `capabilities.extensions["io.modelcontextprotocol/skills"]` whatever the
  version, so the declared extensions are put back.
- **Only capabilities with content.** MCPServer registers prompt handlers
  whether or not there are prompts; `prompts` is declared only while
  `has_prompts()` says there are some (checked per handshake, so prompts
  that appear later are declared to the next client).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from mcp.server import MCPServer
from mcp.server.extension import Extension

HANDSHAKES = frozenset({"initialize", "server/discover"})


class DeclaredCapabilities:
    """Server middleware rewriting the capabilities of the handshake results."""

    def __init__(self, extensions: Mapping[str, dict[str, Any]],
                 has_prompts: Callable[[], Awaitable[bool]]) -> None:
        self.extensions = dict(extensions)
        self.has_prompts = has_prompts

    async def __call__(self, ctx: Any, call_next: Callable[[Any], Awaitable[Any]]) -> Any:
        result = await call_next(ctx)
        if ctx.method not in HANDSHAKES or not isinstance(result, dict) \
                or not isinstance(result.get("capabilities"), dict):
            return result
        capabilities = dict(result["capabilities"])
        if self.extensions:
            capabilities["extensions"] = {**self.extensions, **(capabilities.get("extensions") or {})}
        if "prompts" in capabilities and not await self.has_prompts():
            del capabilities["prompts"]
        return {**result, "capabilities": capabilities}


def declare_capabilities(mcp: MCPServer, extensions: Sequence[Extension],
                         has_prompts: Callable[[], Awaitable[bool]] | None = None) -> None:
    """Install the middleware on `mcp`; prompts count as present when `mcp.list_prompts()` has any."""

    async def any_prompts() -> bool:
        return bool(await mcp.list_prompts())

    declared = {extension.identifier: extension.settings() for extension in extensions}
    mcp.middleware.append(DeclaredCapabilities(declared, has_prompts or any_prompts))

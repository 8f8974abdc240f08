"""`relay serve --stdio`: the same MCP server over stdin/stdout, for hosts that launch a process.

Only JSON-RPC goes to stdout; logs go to stderr. SIGTERM and SIGINT end the
session cleanly, so the usage queue is drained as on the HTTP server. When
stdin closes, the requests already read are answered before the process ends:
a host that writes 200 calls and closes its end gets 200 answers (the SDK's
loop alone stops at end of input and drops what is still running).
"""

from __future__ import annotations

import signal
from typing import Any

import anyio
import mcp_types as types
from mcp.server.stdio import stdio_server
from mcp.shared._context_streams import create_context_streams
from mcp.shared.message import SessionMessage

from .app import Relay
from .options import ServerOptions

DRAIN_SECONDS = 30.0  # the longest the answers still owed may take once stdin has closed


async def serve_stdio(options: ServerOptions) -> None:
    relay = Relay(options)
    relay.start()
    try:
        await anyio.to_thread.run_sync(relay.holder.refresh)
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_stop_on_signal, tasks.cancel_scope)
            if options.poll:
                tasks.start_soon(relay.keep_fresh)
            await _run(relay)
            tasks.cancel_scope.cancel()
    finally:
        await anyio.to_thread.run_sync(relay.stop)


async def _run(relay: Relay) -> None:
    server = relay.mcp._lowlevel_server  # what MCPServer.run_stdio_async runs, with our streams
    async with stdio_server() as (read_stream, write_stream):
        inner_send, inner_read = create_context_streams[SessionMessage | Exception](0)
        out_send, out_read = create_context_streams[SessionMessage](0)
        pending: set[Any] = set()  # ids of requests read and not yet answered

        async def read_in() -> None:
            async with inner_send:
                async for item in read_stream:
                    if isinstance(item, SessionMessage) and isinstance(item.message, types.JSONRPCRequest):
                        pending.add(item.message.id)
                    await inner_send.send(item)
                with anyio.move_on_after(DRAIN_SECONDS):  # end of input: let the answers out
                    while pending:
                        await anyio.sleep(0.01)

        async def write_out() -> None:
            async with out_read, write_stream:  # closing it ends the SDK's stdout writer
                async for item in out_read:
                    if isinstance(item.message, types.JSONRPCResponse | types.JSONRPCError):
                        pending.discard(item.message.id)
                    await write_stream.send(item)

        async with anyio.create_task_group() as tasks:
            tasks.start_soon(read_in)
            tasks.start_soon(write_out)
            async with out_send:
                await server.run(inner_read, out_send, server.create_initialization_options())


async def _stop_on_signal(scope: anyio.CancelScope) -> None:
    with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
        async for _ in signals:
            scope.cancel()
            return


def run(options: ServerOptions) -> None:
    anyio.run(serve_stdio, options)

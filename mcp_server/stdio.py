"""`relay serve --stdio`: the same MCP server over stdin/stdout, for hosts that launch a process.

Only JSON-RPC goes to stdout; logs go to stderr. SIGTERM and SIGINT end the
session cleanly, so the usage queue is drained as on the HTTP server.
"""

from __future__ import annotations

import signal

import anyio

from .app import Relay
from .options import ServerOptions


async def serve_stdio(options: ServerOptions) -> None:
    relay = Relay(options)
    relay.start()
    try:
        await anyio.to_thread.run_sync(relay.holder.refresh)
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(_stop_on_signal, tasks.cancel_scope)
            if options.poll:
                tasks.start_soon(relay.keep_fresh)
            await relay.mcp.run_stdio_async()
            tasks.cancel_scope.cancel()
    finally:
        await anyio.to_thread.run_sync(relay.stop)


async def _stop_on_signal(scope: anyio.CancelScope) -> None:
    with anyio.open_signal_receiver(signal.SIGTERM, signal.SIGINT) as signals:
        async for _ in signals:
            scope.cancel()
            return


def run(options: ServerOptions) -> None:
    anyio.run(serve_stdio, options)

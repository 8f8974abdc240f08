"""Two replicas behind a balancer without sticky sessions.

Clients on the current protocol (2026-07-28) send each request standalone, so
any replica answers; clients on older protocols keep an `Mcp-Session-Id` that
only the replica which created it knows, unless the replicas run --stateless.
The balancer is an httpx transport that sends each request to the next
replica in turn, as a round-robin load balancer would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mcp_server.options import ServerOptions
from tests.mcp.conftest import LiveServer, build_catalog, free_port

pytestmark = pytest.mark.anyio


class RoundRobin(httpx.AsyncBaseTransport):
    """Sends request n to replica n mod len(ports): no affinity at all."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.sent = 0
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        port = self.ports[self.sent % len(self.ports)]
        self.sent += 1
        request.url = request.url.copy_with(port=port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def replicas(root: Path, stateless: bool) -> Iterator[list[LiveServer]]:
    repo = build_catalog(root / "catalog")
    servers = [LiveServer(ServerOptions(repo=repo.path, port=free_port(), db=None, poll=0,
                                        stateless=stateless)) for _ in range(2)]
    for server in servers:
        server.__enter__()
    try:
        yield servers
    finally:
        for server in servers:
            server.__exit__(None, None, None)


@pytest.fixture
def stateless(tmp_path: Path) -> Iterator[list[LiveServer]]:
    yield from replicas(tmp_path, True)


@pytest.fixture
def stateful(tmp_path: Path) -> Iterator[list[LiveServer]]:
    yield from replicas(tmp_path, False)


async def _session(servers: list[LiveServer]) -> tuple[int, int]:
    """A current client through the round-robin balancer; (successful calls, requests sent)."""
    transport = RoundRobin([int(s.url.rsplit(":", 1)[1]) for s in servers])
    ok = 0
    async with httpx.AsyncClient(transport=transport) as http, \
            Client(streamable_http_client(f"{servers[0].url}/mcp", http_client=http)) as client:
        for name in ("alpha", "beta", "gamma", "alpha"):
            ok += not (await client.call_tool("get_skill", {"name": name})).is_error
    return ok, transport.sent


HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
OLD = "2025-06-18"  # a protocol version with sessions (Mcp-Session-Id)


def _old_client_call(servers: list[LiveServer]) -> int:
    """An older client: initialize on one replica, then call a tool on the other; the status."""
    init = httpx.post(f"{servers[0].url}/mcp", headers=HEADERS, timeout=10, json={
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": OLD, "capabilities": {},
                   "clientInfo": {"name": "old", "version": "1"}}})
    assert init.status_code == 200, init.text
    headers = {**HEADERS, "mcp-protocol-version": OLD}
    if "mcp-session-id" in init.headers:
        headers["mcp-session-id"] = init.headers["mcp-session-id"]
    httpx.post(f"{servers[1].url}/mcp", headers=headers, timeout=10,
               json={"jsonrpc": "2.0", "method": "notifications/initialized"})
    call = httpx.post(f"{servers[1].url}/mcp", headers=headers, timeout=10, json={
        "jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "get_skill", "arguments": {"name": "alpha"}}})
    return call.status_code if "Reviews alpha code" in call.text or call.status_code != 200 else 599


async def test_current_clients_need_no_sticky_sessions(stateful: list[LiveServer]) -> None:
    """The 2026-07-28 protocol carries everything in each request: any replica answers."""
    ok, sent = await _session(stateful)
    assert ok == 4 and sent >= 4


def test_older_clients_need_stateless_replicas(stateless: list[LiveServer], tmp_path: Path) -> None:
    assert _old_client_call(stateless) == 200
    stateful = replicas(tmp_path / "stateful", False)
    try:
        assert _old_client_call(next(stateful)) != 200  # the session lives on the first replica only
    finally:
        stateful.close()

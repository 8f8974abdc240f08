"""Fixtures for the MCP service: a real skills repository, the app in process, real servers.

Datasette's pattern: most tests talk to the app in process (here `mcp.Client`
on the MCPServer); a few go through one real uvicorn server per module on a
free loopback port, and `relay serve` runs as a subprocess for stdio and
shutdown tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from mcp import Client
from mcp_types import Request
from pydantic import TypeAdapter

from mcp_server.app import Relay, build_app
from mcp_server.options import ServerOptions
from tests.conftest import RepoBuilder, Symlink, skill_md


class RawRequest(Request[dict[str, Any] | None, str]):
    """Any JSON-RPC request, for the extension methods the client has no helpers for."""


async def send(client: Client, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """Send `method` and return the raw result dict (wire names)."""
    return await client.session.send_request(RawRequest(method=method, params=params),
                                             TypeAdapter(dict[str, Any]))


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))


def build_catalog(path: Path) -> RepoBuilder:
    """Three skills; alpha has two versions (the first tagged), files of every kind."""
    repo = RepoBuilder(path)
    repo.commit({"skills/alpha/SKILL.md": skill_md("alpha", "Reviews alpha code. Use for alpha.",
                                                    tags="review,code", category="engineering"),
                 "skills/beta/SKILL.md": skill_md("beta", "Writes beta release notes. Use at release.",
                                                  tags="release"),
                 "skills/gamma/SKILL.md": skill_md("gamma", "Plans gamma tests.", version="2.0.0")},
                "first skills")
    repo.tag("alpha@1.0.0")
    repo.commit({"skills/alpha/SKILL.md": skill_md("alpha", "Reviews alpha code. Use for alpha.",
                                                    body="# Steps\n\nSee references/guide.md.\n",
                                                    tags="review,code", category="engineering"),
                 "skills/alpha/references/guide.md": "# Guide\n\nRead me.\n",
                 "skills/alpha/scripts/run.py": "print('hi')\n",
                 "skills/alpha/assets/logo.png": PNG,
                 "skills/alpha/link.md": Symlink("../beta/SKILL.md")}, "alpha: add files")
    return repo


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def catalog(tmp_path: Path) -> RepoBuilder:
    return build_catalog(tmp_path / "catalog")


@pytest.fixture
def relay(catalog: RepoBuilder, tmp_path: Path) -> Iterator[Relay]:
    """The service in process, catalog loaded, usage going to tmp_path/usage.duckdb."""
    service = Relay(ServerOptions(repo=catalog.path, db=tmp_path / "usage.duckdb", poll=0))
    service.start()
    service.holder.refresh()
    yield service
    service.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """uvicorn in a thread on a free loopback port, serving the real app."""

    def __init__(self, options: ServerOptions) -> None:
        self.relay = Relay(options)
        options.check()
        self.server = uvicorn.Server(uvicorn.Config(build_app(self.relay), host=options.host,
                                                    port=options.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{options.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        wait_ready(self.url)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)


def wait_ready(url: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not become ready")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One open server per module, polling the ref every 0.2 s, with a hook secret."""
    root = tmp_path_factory.mktemp("live")
    repo = build_catalog(root / "catalog")
    options = ServerOptions(repo=repo.path, port=free_port(), db=root / "usage.duckdb", poll=0.2,
                            hook_secret="s3cret")
    with LiveServer(options) as server:
        server.repo = repo  # type: ignore[attr-defined]
        yield server

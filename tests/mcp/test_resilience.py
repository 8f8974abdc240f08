"""Failures injected into a real running service: it stays up, and /readyz and /metrics say so.

Each test starts uvicorn on a loopback port with the real app, breaks one part
while it serves (the catalog refresh, the usage store, the tokens file), and
checks that MCP keeps answering, that readiness turns 503 with the reason, that
the failure is counted, and that the service recovers once the part is fixed.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from mcp import Client

import mcp_server.snapshot as snapshot_module
from mcp_server.auth import add_token
from mcp_server.options import ServerOptions
from tests.conftest import skill_md
from tests.mcp.conftest import LiveServer, build_catalog, free_port

pytestmark = pytest.mark.anyio


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.05)


def metric(server: LiveServer, name: str) -> float:
    for line in httpx.get(f"{server.url}/metrics").text.splitlines():
        if line.startswith(f"{name} "):
            return float(line.split()[1])
    raise KeyError(name)


def ready(server: LiveServer) -> httpx.Response:
    return httpx.get(f"{server.url}/readyz")


async def get_skill(server: LiveServer, name: str, headers: dict[str, str] | None = None) -> str:
    async with Client(f"{server.url}/mcp") as client:
        result = await client.call_tool("get_skill", {"name": name})
    assert not result.is_error, result
    return "".join(getattr(c, "text", "") for c in result.content)


async def test_refresh_loop_survives_an_unexpected_exception(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    repo = build_catalog(tmp_path / "catalog")
    options = ServerOptions(repo=repo.path, port=free_port(), db=tmp_path / "usage.duckdb", poll=0.1,
                            stale_after=1.0)
    with LiveServer(options) as server:
        real = snapshot_module.build_snapshot

        def locked(*args: object, **kwargs: object) -> object:
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(snapshot_module, "build_snapshot", locked)
        repo.commit({"skills/delta/SKILL.md": skill_md("delta", "Added while refreshes fail.")})
        wait_for(lambda: metric(server, "relay_catalog_refresh_errors_total") >= 3, "refresh errors")
        assert "Writes beta release notes" in await get_skill(server, "beta")  # /mcp still answers
        assert httpx.get(f"{server.url}/healthz").status_code == 200
        wait_for(lambda: ready(server).status_code == 503, "readiness to fail")
        reason = ready(server).json()["reason"]
        assert "not refreshed" in reason and "OperationalError: database is locked" in reason
        assert metric(server, "relay_ready") == 0
        assert any("catalog refresh failed" in r.message and r.exc_info for r in caplog.records)

        monkeypatch.setattr(snapshot_module, "build_snapshot", real)
        wait_for(lambda: ready(server).status_code == 200, "readiness to recover")
        assert "Added while refreshes fail" in await get_skill(server, "delta")
        assert metric(server, "relay_ready") == 1


async def test_a_failing_usage_store_turns_readiness_off(tmp_path: Path) -> None:
    repo = build_catalog(tmp_path / "catalog")
    options = ServerOptions(repo=repo.path, port=free_port(), db=tmp_path / "usage.duckdb", poll=0,
                            flush_interval=0.05)
    with LiveServer(options) as server:
        writer = server.relay.writer
        assert writer is not None and ready(server).status_code == 200
        writer.sink._conn.close()  # type: ignore[attr-defined]  # the store goes away under the writer
        await get_skill(server, "alpha")  # still served; its usage event cannot be written
        wait_for(lambda: ready(server).status_code == 503, "readiness to fail")
        assert "usage writes are failing" in ready(server).json()["reason"]
        assert metric(server, "relay_usage_writer_ok") == 0
        assert metric(server, "relay_usage_events_failed_total") >= 1
        await get_skill(server, "beta")  # the writer thread is still alive and serving goes on
        assert writer._thread.is_alive()  # noqa: SLF001


def test_a_tokens_file_that_stops_parsing_refuses_every_token(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    repo = build_catalog(tmp_path / "catalog")
    tokens = tmp_path / "tokens.toml"
    token, _ = add_token(tokens, "ada")
    good = tokens.read_text()
    options = ServerOptions(repo=repo.path, port=free_port(), db=tmp_path / "usage.duckdb", poll=0,
                            tokens=tokens, rate_limit=1000)
    with LiveServer(options) as server:
        assert server.relay.verifier is not None
        token_file = server.relay.verifier.verifiers[0]
        token_file.recheck_seconds = 0  # re-read on every request instead of every 2 s
        auth = {"Authorization": f"Bearer {token}"}
        usage = f"{server.url}/api/usage"
        assert httpx.get(usage, headers=auth).status_code == 200

        tokens.write_text(good + "\n[[tokens]\nowner = \"revoked by this edit\"\n")  # a typo
        os.utime(tokens, (time.time() + 5, time.time() + 5))
        wait_for(lambda: httpx.get(usage, headers=auth).status_code == 401, "the token refused")
        assert ready(server).status_code == 503
        assert "tokens file unreadable" in ready(server).json()["reason"]
        assert metric(server, "relay_tokens_file_ok") == 0
        assert any(r.levelno == logging.ERROR and "tokens file" in r.message for r in caplog.records)

        tokens.write_text(good)
        os.utime(tokens, (time.time() + 10, time.time() + 10))
        wait_for(lambda: httpx.get(usage, headers=auth).status_code == 200, "the token accepted again")
        assert ready(server).status_code == 200 and metric(server, "relay_tokens_file_ok") == 1

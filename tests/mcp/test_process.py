"""`relay serve` as a real subprocess: stdio for local hosts, and SIGTERM losing no usage."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from mcp import Client, StdioServerParameters

from tests.mcp.conftest import build_catalog, free_port, send, wait_ready

pytestmark = pytest.mark.anyio
RELAY = str(Path(sys.executable).parent / "relay")


async def test_stdio_serves_tools_and_extension(tmp_path: Path) -> None:
    repo = build_catalog(tmp_path / "catalog")
    db = tmp_path / "usage.duckdb"
    params = StdioServerParameters(command=RELAY, args=["serve", "--stdio", "--repo", str(repo.path),
                                                        "--db", str(db), "--poll", "0"])
    async with Client(params) as client:
        tools = await client.list_tools()
        got = await client.call_tool("get_skill", {"name": "alpha", "version": "1.0.0"})
        listing = await send(client, "skills/list", {})
    assert len(tools.tools) == 6 and not got.is_error
    assert len(listing["skills"]) == 3
    with duckdb.connect(str(db), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM usage").fetchone() == (1,)


# A get_skill call as a plain HTTP client (no session) sends it.
CALL = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "get_skill", "arguments": {"name": "beta"}, "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": {"name": "curl", "version": "1"},
            "io.modelcontextprotocol/clientCapabilities": {}}}}
CALL_HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2026-07-28",
                "Mcp-Method": "tools/call", "Mcp-Name": "get_skill"}


def test_sigterm_drains_the_usage_queue(tmp_path: Path) -> None:
    import httpx

    repo = build_catalog(tmp_path / "catalog")
    db, port = tmp_path / "usage.duckdb", free_port()
    proc = subprocess.Popen([RELAY, "serve", "--repo", str(repo.path), "--db", str(db), "--port", str(port),
                             "--poll", "0"], stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url)
        calls = 200
        with httpx.Client() as http:
            for _ in range(calls):
                assert http.post(f"{url}/mcp", json=CALL, headers=CALL_HEADERS).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0, stderr  # a stop that was asked for and completed is a success
    assert "200 written, 0 dropped" in stderr
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute("SELECT count(*), any_value(client_name), any_value(tree_id) "
                            "FROM usage").fetchone()
    assert rows is not None and rows[0] == calls and rows[1] == "curl" and len(rows[2]) == 40


def wait_all_ready(url: str, streak: int = 20) -> None:
    """Each worker loads its own catalog, and a new connection reaches any of them: wait until
    `streak` readiness checks in a row, each on a new connection, answer 200."""
    import httpx

    deadline, ok = time.monotonic() + 60, 0
    while ok < streak:
        assert time.monotonic() < deadline, f"{url}: not every worker became ready"
        try:
            ok = ok + 1 if httpx.get(f"{url}/readyz", timeout=2).status_code == 200 else 0
        except httpx.HTTPError:
            ok = 0
        if not ok:
            time.sleep(0.1)


def test_several_workers_answer_in_json_and_share_the_usage_store(tmp_path: Path) -> None:
    """`--workers 2`: two processes behind one port, plain JSON answers, every use recorded once."""
    import httpx

    from mcp_server.usage.segments import connect
    from registry import usagefiles

    repo = build_catalog(tmp_path / "catalog")
    store, port = tmp_path / "store", free_port()
    proc = subprocess.Popen([RELAY, "serve", "--repo", str(repo.path), "--usage-store", str(store),
                             "--port", str(port), "--poll", "0", "--workers", "2"],
                            stderr=subprocess.PIPE, text=True)
    calls = 60
    try:
        url = f"http://127.0.0.1:{port}"
        wait_all_ready(url)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) >= 2  # the workers (uvicorn may add a resource tracker)
        for _ in range(calls):  # a new connection each time, as separate clients would
            with httpx.Client() as http:
                answer = http.post(f"{url}/mcp", json=CALL, headers=CALL_HEADERS)
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith("application/json")
            assert "beta" in answer.json()["result"]["content"][0]["text"]
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode in (0, -signal.SIGTERM), stderr
    with connect(store) as conn:
        recorded = conn.execute("SELECT count(*), any_value(client_name) FROM usage").fetchone()
    assert recorded == (calls, "curl")
    assert usagefiles.files(store)  # segments, written by whichever workers answered


def test_several_workers_need_a_shared_usage_store(tmp_path: Path) -> None:
    repo = build_catalog(tmp_path / "catalog")
    proc = subprocess.run([RELAY, "serve", "--repo", str(repo.path), "--workers", "2",
                           "--db", str(tmp_path / "u.duckdb")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "--workers 2 needs --usage-store DIR" in proc.stderr and "Traceback" not in proc.stderr


FLUSH = 0.25  # --flush-interval for the kill test
SETTLED = 2.0  # seconds after which an answered call must be on disk: the interval plus a write


def test_sigkill_loses_at_most_the_last_flush_interval(tmp_path: Path) -> None:
    """Calls answered more than one flush interval (plus the write itself) before a SIGKILL are
    in the database; only the unflushed tail may be lost."""
    import time

    import httpx

    repo = build_catalog(tmp_path / "catalog")
    db, port = tmp_path / "usage.duckdb", free_port()
    proc = subprocess.Popen([RELAY, "serve", "--repo", str(repo.path), "--db", str(db), "--port", str(port),
                             "--poll", "0", "--flush-interval", str(FLUSH)], stderr=subprocess.DEVNULL)
    answered: list[float] = []
    try:
        url = f"http://127.0.0.1:{port}"
        wait_ready(url)
        with httpx.Client() as http:
            started = time.monotonic()
            while time.monotonic() - started < 2 * SETTLED:  # load for a while, then kill mid-load
                assert http.post(f"{url}/mcp", json=CALL, headers=CALL_HEADERS).status_code == 200
                answered.append(time.monotonic())
    finally:
        killed = time.monotonic()
        proc.kill()
        proc.wait(timeout=30)
    with duckdb.connect(str(db), read_only=True) as conn:  # DuckDB replays its WAL on open
        stored = conn.execute("SELECT count(*) FROM usage").fetchone()[0]  # type: ignore[index]
    settled = sum(1 for t in answered if killed - t > SETTLED)
    assert settled > 0
    assert settled <= stored <= len(answered)


def test_stdio_answers_every_request_read_before_stdin_closed(tmp_path: Path) -> None:
    """A host that writes 200 calls and closes stdin gets 200 answers (88-92 came back before)."""
    import json

    repo = build_catalog(tmp_path / "catalog")
    calls = 200
    messages = [{"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"}]
    messages += [{"jsonrpc": "2.0", "id": i, "method": "tools/call",
                  "params": {"name": "get_skill", "arguments": {"name": "beta"}}}
                 for i in range(1, calls + 1)]
    command = [RELAY, "serve", "--stdio", "--repo", str(repo.path), "--no-usage", "--poll", "0"]
    lines = "".join(json.dumps(m) + "\n" for m in messages)
    result = subprocess.run(command, input=lines, capture_output=True, text=True, timeout=120)
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert sorted(a["id"] for a in answers) == list(range(calls + 1))
    assert result.returncode == 0

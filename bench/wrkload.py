"""Load an MCP endpoint with wrk, a load generator in C, and measure what the server can do.

A Python client (`mcp.Client`) on the same two cores as the server spends more
CPU per call than the server does, so it measures itself (docs/benchmarks.md
section 5). wrk (`apt-get install wrk`) keeps 10 connections busy for a fraction
of a core; `mcp_call.lua` posts JSON-RPC `tools/call` messages round robin and
counts every answer that is not an HTTP 200 carrying a result without
`isError: true`, so a fast wrong answer is never counted as throughput.

Besides requests per second and latency percentiles, each run reports the
server's CPU time per request (its processes and their children, from /proc),
which a neighbour's load on a shared machine changes far less than throughput.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

SCRIPT = Path(__file__).resolve().parent / "mcp_call.lua"
ACCEPT = "application/json, text/event-stream"
MODERN = "2026-07-28"  # the single-exchange protocol: no session, no handshake
HANDSHAKE = "2025-06-18"  # what hosts with sessions negotiate


@dataclass(frozen=True)
class Load:
    """One wrk run: requests per second, latency percentiles (seconds), server CPU per request."""

    rps: float
    p50: float
    p99: float
    requests: int
    cpu_per_request: float  # seconds of server CPU (all its processes) per answered request


def available() -> bool:
    return shutil.which("wrk") is not None


def tool_call(tool: str, arguments: dict[str, Any], protocol: str = HANDSHAKE) -> dict[str, Any]:
    """A `tools/call` message; on the 2026-07-28 protocol it carries its own envelope in `_meta`."""
    params: dict[str, Any] = {"name": tool, "arguments": arguments}
    if protocol == MODERN:
        params["_meta"] = {"io.modelcontextprotocol/protocolVersion": MODERN,
                           "io.modelcontextprotocol/clientCapabilities": {},
                           "io.modelcontextprotocol/clientInfo": {"name": "wrk", "version": "4.1"}}
    return {"jsonrpc": "2.0", "id": 0, "method": "tools/call", "params": params}  # mcp_call.lua numbers it


def modern_headers(tool: str) -> list[str]:
    """The routing headers a 2026-07-28 request must repeat from its body."""
    return [f"Mcp-Protocol-Version: {MODERN}", "Mcp-Method: tools/call", f"Mcp-Name: {tool}"]


def initialize(url: str) -> list[str]:
    """Open one session the way a host does (initialize, then notifications/initialized).

    Returns the headers every later request carries: the session id when the
    server keeps sessions (skillz, `relay serve` with one worker), and the
    negotiated protocol version.
    """
    body = {"jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"protocolVersion": HANDSHAKE, "capabilities": {},
                       "clientInfo": {"name": "wrk", "version": "4.1"}}}
    headers = {"Accept": ACCEPT, "Content-Type": "application/json"}
    with httpx.Client(timeout=30) as http:
        answer = http.post(url, json=body, headers=headers)
        if answer.status_code != 200 or '"result"' not in answer.text:
            raise SystemExit(f"initialize at {url} failed: {answer.status_code} {answer.text[:200]}")
        session = answer.headers.get("mcp-session-id")
        extra = {"Mcp-Protocol-Version": HANDSHAKE, **({"Mcp-Session-Id": session} if session else {})}
        http.post(url, json={"jsonrpc": "2.0", "method": "notifications/initialized"},
                  headers={**headers, **extra})
    return [f"{k}: {v}" for k, v in extra.items()]


def cpu_seconds(pid: int) -> float:
    """User + system CPU of `pid` and all its living descendants (uvicorn's workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def run(url: str, messages: list[dict[str, Any]], server_pid: int, *, connections: int = 10,
        seconds: float = 4.0, headers: list[str] | None = None) -> Load:
    """Post `messages` round robin over `connections` for `seconds`; every answer must be a result."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("".join(json.dumps(m, separators=(",", ":")) + "\n" for m in messages))
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", "-s", str(SCRIPT)]
    for header in headers or []:
        command += ["-H", header]
    try:
        cpu = cpu_seconds(server_pid)
        done = subprocess.run([*command, url], env={**os.environ, "WRK_BODIES": f.name},
                              capture_output=True, text=True, check=True)
        cpu = cpu_seconds(server_pid) - cpu
    finally:
        os.unlink(f.name)
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{done.stdout}\n{done.stderr}")
    result = json.loads(line[4:])
    bad = result["failed"] + result["socket_errors"] + result["status_errors"]
    if bad or not result["requests"]:
        raise SystemExit(f"{bad} of {result['requests']} answers from {url} were not results; "
                         f"first: {result['first_failure']}")
    return Load(rps=result["requests"] / result["seconds"], p50=result["p50_us"] / 1e6,
                p99=result["p99_us"] / 1e6, requests=result["requests"],
                cpu_per_request=cpu / result["requests"])

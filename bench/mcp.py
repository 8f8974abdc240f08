"""Benchmark the MCP service: throughput and latency, usage overhead, DuckDB, discovery cost.

One run on loopback (about 5-10 minutes):

1. `relay serve` (usage on, then --no-usage) and the peer `skillz` serve the
   same generated skills; 1, 10 and 50 concurrent `mcp.Client`s call get_skill
   (skillz: the skill's own tool) and resources/read for a few seconds each.
2. The usage writer alone: events per second from submit to durable rows.
3. The usage report over 10 million events.
4. Discovery cost: tokens of tools/list (+ Relay's first list page) at 10, 100
   and 1,000 skills, Relay against skillz's one-tool-per-skill.

Results go to stdout as markdown tables and into docs/mcp.md ("Benchmarks").
skillz needs Python 3.12: it is installed in bench/.work/skillz-venv.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the `mcp` package: keep its folder off the import path, add the project's.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

import duckdb  # noqa: E402
from mcp import Client  # noqa: E402

from bench.benchlib import BIN, WORK, git, skill_files, skill_names, table, wait_ready  # noqa: E402
from mcp_server.usage import report  # noqa: E402
from mcp_server.usage.writer import UsageWriter  # noqa: E402
from registry.model import UsageEvent  # noqa: E402
from registry.tokens import estimate_tokens  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "mcp.md"
PY312 = "/root/.pyenv/versions/3.12.1/bin/python"
SKILLZ_VENV = WORK / "skillz-venv"
SERVE_SKILLS = 100
CONCURRENCY = (1, 10, 50)
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
AGG_EVENTS = 10_000_000
WRITER_EVENTS = 1_000_000


# -- fixtures -------------------------------------------------------------------------


def make_catalog(count: int) -> Path:
    """A git repository with `count` generated skills under skills/ (reused when present)."""
    repo = WORK / f"mcp-catalog-{count}"
    if (repo / ".git").is_dir():
        return repo
    rng = random.Random(count)
    for name in skill_names(count, rng):
        for rel, data in skill_files(name, rng).items():
            path = repo / "skills" / name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", f"{count} skills", cwd=repo)
    return repo


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_skillz() -> Path:
    exe = SKILLZ_VENV / "bin" / "skillz"
    if not exe.exists():
        subprocess.run([PY312, "-m", "venv", str(SKILLZ_VENV)], check=True)
        subprocess.run([str(SKILLZ_VENV / "bin" / "pip"), "install", "-q", "skillz"], check=True)
    return exe


class Server:
    """A server subprocess on a free port; stopped with SIGTERM."""

    def __init__(self, args: list[str], port: int, ready_path: str, timeout: float = 60) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if wait_ready(self.url + ready_path, timeout, lambda status: status < 500):
            return
        self.proc.kill()
        raise SystemExit(f"server {args[0]} did not start within {timeout:g} s")

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def relay_server(repo: Path, usage: bool) -> Server:
    port = free_port()
    db = WORK / "bench-usage.duckdb"
    db.unlink(missing_ok=True)
    args = [str(BIN / "relay"), "serve", "--repo", str(repo), "--port", str(port), "--poll", "0",
            "--db", str(db)] + ([] if usage else ["--no-usage"])
    return Server(args, port, "/readyz")


def skillz_server(skills_dir: Path, timeout: float = 60) -> Server:
    port = free_port()
    return Server([str(ensure_skillz()), str(skills_dir), "--transport", "http", "--port", str(port),
                   "--host", "127.0.0.1"], port, "/mcp", timeout)


# -- load -----------------------------------------------------------------------------


async def load(url: str, concurrency: int, call: str, names: list[str]) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms) of `call` by `concurrency` clients for SECONDS."""
    latencies: list[float] = []
    stop_at = 0.0

    async def worker(i: int) -> None:
        async with Client(url + "/mcp", cache=None) as client:
            await one(client, call, names[i % len(names)])  # warm the connection
            await ready.wait()
            n = i
            while time.perf_counter() < stop_at:
                name = names[n % len(names)]
                n += 1
                start = time.perf_counter()
                await one(client, call, name)
                latencies.append(time.perf_counter() - start)

    ready = asyncio.Event()
    tasks = [asyncio.create_task(worker(i)) for i in range(concurrency)]
    await asyncio.sleep(0.5 + concurrency * 0.03)
    stop_at = time.perf_counter() + SECONDS
    ready.set()
    await asyncio.gather(*tasks)
    qs = statistics.quantiles(latencies, n=100)
    return len(latencies) / SECONDS, qs[49] * 1000, qs[98] * 1000


async def one(client: Client, call: str, name: str) -> None:
    if call == "get_skill":
        result = await client.call_tool("get_skill", {"name": name})
    elif call == "resources/read":
        await client.read_resource(f"skill://{name}/SKILL.md")
        return
    elif call == "skillz:read":
        await client.read_resource(f"resource://skillz/{name}/SKILL.md")
        return
    else:  # skillz: the skill's own tool returns its instructions
        result = await client.call_tool(name, {"task": "benchmark"})
    if result.is_error:
        raise SystemExit(f"{call} {name} failed: {result.content}")


def throughput(repo: Path) -> tuple[str, dict[str, float]]:
    names = sorted(p.name for p in (repo / "skills").iterdir())
    rows: list[list[str]] = []
    rps: dict[str, float] = {}
    plans = [("relay", "usage on", "get_skill"), ("relay", "usage on", "resources/read"),
             ("relay", "usage off", "get_skill"), ("relay", "usage off", "resources/read"),
             ("skillz", "-", "skill tool")]
    for server_name, usage, call in plans:
        server = (relay_server(repo, usage == "usage on") if server_name == "relay"
                  else skillz_server(repo / "skills"))
        try:
            for c in CONCURRENCY:
                r, p50, p99 = asyncio.run(load(server.url, c, call, names))
                rps[f"{server_name}/{usage}/{call}/{c}"] = r
                rows.append([server_name, usage, call, str(c), f"{r:,.0f}", f"{p50:.1f}", f"{p99:.1f}"])
                print(f"  {server_name} {usage} {call} c={c}: {r:,.0f} req/s p50 {p50:.1f} ms", flush=True)
        finally:
            server.stop()
    return table(["server", "usage", "call", "clients", "req/s", "p50 ms", "p99 ms"], rows), rps


# -- usage pipeline -------------------------------------------------------------------


def writer_rate() -> float:
    path = WORK / "bench-writer.duckdb"
    path.unlink(missing_ok=True)
    writer = UsageWriter(path, queue_size=WRITER_EVENTS + 10).start()
    now = datetime.now(UTC)
    events = [UsageEvent(ts=now, skill=f"skill-{i % 1000}", tree_id="ab" * 20, commit_id="cd" * 20,
                         tool="get_skill", client_name="claude-code", client_version="2.0",
                         user_id=f"user-{i % 300}", session_id=f"s{i % 5000}", duration_ms=1.5,
                         bytes=4000) for i in range(WRITER_EVENTS)]
    start = time.perf_counter()
    for event in events:
        writer.submit(event)
    writer.close()
    elapsed = time.perf_counter() - start
    assert writer.written == WRITER_EVENTS and writer.dropped == 0
    return WRITER_EVENTS / elapsed


def aggregation_times() -> dict[str, float]:
    path = WORK / "bench-agg.duckdb"
    if not path.exists():
        with duckdb.connect(str(path)) as conn:
            from mcp_server.usage.schema import CREATE

            conn.execute(CREATE)
            conn.execute(f"""
                INSERT INTO usage SELECT
                    TIMESTAMP '2026-01-01' + to_seconds(i % (90 * 86400)), 'skill-' || (i % 1000),
                    md5((i % 3000)::VARCHAR) || 'abcdefgh', md5((i % 3000)::VARCHAR) || '12345678',
                    CASE WHEN i % 50 = 0 THEN 'rate_skill' ELSE 'get_skill' END,
                    CASE WHEN i % 3 = 0 THEN 'claude-code' ELSE 'cursor' END, '2.0',
                    'user-' || (i % 5000), 's' || (i % 200000), (i % 997) / 10.0, i % 40 <> 0, 4000,
                    CASE WHEN i % 50 = 0 THEN 1 + i % 5 END, CASE WHEN i % 50 = 0 THEN i % 60 END, ''
                FROM range({AGG_EVENTS}) t(i)""")
    times: dict[str, float] = {}
    with duckdb.connect(str(path), read_only=True) as conn:
        for by in ("skill", "version", "day", "client"):
            samples = []
            for _ in range(3):
                start = time.perf_counter()
                report.aggregate(conn, by)
                samples.append(time.perf_counter() - start)
            times[by] = statistics.median(samples)
    return times


# -- discovery ------------------------------------------------------------------------


async def relay_discovery(repo: Path) -> int:
    from mcp_server.app import Relay
    from mcp_server.options import ServerOptions

    relay = Relay(ServerOptions(repo=repo, db=None, poll=0))
    relay.holder.refresh()
    async with Client(relay.mcp) as client:
        tools = await client.list_tools()
        page = await client.call_tool("list_skills", {})
    return _tokens(tools) + estimate_tokens(page.content[0].text)


async def url_discovery(url: str) -> int:
    async with Client(url + "/mcp", cache=None) as client:
        return _tokens(await client.list_tools())


def _tokens(tools: object) -> int:
    return estimate_tokens(json.dumps([t.model_dump(by_alias=True, exclude_none=True, mode="json")
                                       for t in tools.tools]))  # type: ignore[attr-defined]


def discovery() -> tuple[str, dict[int, tuple[int, int]]]:
    rows, found = [], {}
    for count in (10, 100, 1000):
        repo = make_catalog(count)
        relay_tokens = asyncio.run(relay_discovery(repo))
        server = skillz_server(repo / "skills")
        try:
            skillz_tokens = asyncio.run(url_discovery(server.url))
        finally:
            server.stop()
        found[count] = (relay_tokens, skillz_tokens)
        rows.append([f"{count:,}", f"{relay_tokens:,}", f"{skillz_tokens:,}"])
    return table(["skills", "Relay: tools/list + first page (tokens)", "skillz: tools/list (tokens)"],
                 rows), found


# -- main -----------------------------------------------------------------------------


def main() -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print("## Discovery cost", flush=True)
    discovery_table, tokens = discovery()
    print(discovery_table, flush=True)
    print("\n## Throughput and latency (loopback)", flush=True)
    throughput_table, rps = throughput(make_catalog(SERVE_SKILLS))
    print(throughput_table, flush=True)
    print("\n## Usage pipeline", flush=True)
    rate = writer_rate()
    agg = aggregation_times()
    overhead = [1 - rps[f"relay/usage on/{call}/{c}"] / rps[f"relay/usage off/{call}/{c}"]
                for call in ("get_skill", "resources/read") for c in CONCURRENCY]
    relay_vs_skillz = [rps[f"relay/usage on/get_skill/{c}"] / rps[f"skillz/-/skill tool/{c}"]
                       for c in CONCURRENCY]
    targets = table(["measure", "result", "target", "verdict"], [
        ["usage logging overhead (mean over calls and concurrencies)",
         f"{statistics.mean(overhead) * 100:+.1f}%", "< 5%",
         "met" if statistics.mean(overhead) < 0.05 else "**missed**"],
        ["DuckDB writer alone", f"{rate:,.0f} events/s", ">= 100,000/s",
         "met" if rate >= 100_000 else "**missed**"],
        *[[f"report --by {by} over 10M events", f"{t * 1000:,.0f} ms", "< 1 s",
           "met" if t < 1 else "**missed**"] for by, t in agg.items()],
        ["get_skill req/s, Relay / skillz (1, 10, 50 clients)",
         ", ".join(f"{x:.1f}x" for x in relay_vs_skillz), "> 1x",
         "met" if min(relay_vs_skillz) > 1 else "**missed**"],
        ["discovery tokens at 1,000 skills, Relay / skillz",
         f"{tokens[1000][0]:,} / {tokens[1000][1]:,}", "<= ~2,000 for Relay, flat",
         "met" if tokens[1000][0] <= 2000 else "**missed**"],
    ])
    print(targets)
    elapsed = time.perf_counter() - started
    section = (f"## Benchmarks\n\nMeasured by `python bench/mcp.py` on {datetime.now(UTC):%Y-%m-%d} "
               f"({os.cpu_count()} CPUs, loopback, {SECONDS:g} s per cell, one client process; "
               f"the run took {elapsed / 60:.1f} min).\n\n### Targets\n\n{targets}\n\n"
               f"### Throughput and latency ({SERVE_SKILLS} skills)\n\n{throughput_table}\n\n"
               f"### Discovery cost\n\n{discovery_table}\n")
    write_section(section)
    return 0


def write_section(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Relay over MCP\n"
    head, sep, _ = text.partition("## Benchmarks\n")
    DOCS.write_text((head if sep else text.rstrip() + "\n\n") + section, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

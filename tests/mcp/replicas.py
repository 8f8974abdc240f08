"""Two real `relay serve` processes on one repository and one shared usage store, under load.

Used by tests/mcp/test_replicas.py (which checks correctness) and by
bench/replicas.py (which reports the loss window of a SIGKILL over several
runs). Every call is a `rate_skill` whose comment names its replica, client
and sequence number, so each event can be found in the store by identity.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import anyio
from mcp import Client

from mcp_server.usage.segments import connect
from tests.mcp.conftest import build_catalog, free_port, wait_ready

RELAY = str(Path(sys.executable).parent / "relay")


@dataclass
class Run:
    """What one scenario saw: acknowledged calls (comment -> client-side time) and the store."""

    flush_interval: float
    acked: dict[str, dict[str, float]] = field(default_factory=lambda: {"a": {}, "b": {}})
    killed_at: float = 0.0
    stored: list[str] = field(default_factory=list)
    term_exit: int | None = None
    store: Path = Path()

    def in_store(self, replica: str) -> set[str]:
        return {c for c in self.stored if c.startswith(f"{replica}:")}

    @property
    def lost(self) -> set[str]:
        return set(self.acked["a"]) - self.in_store("a")

    @property
    def loss_window(self) -> float:
        """Seconds before the SIGKILL in which acknowledged events were lost (0 if none were)."""
        lost = [self.acked["a"][c] for c in self.lost]
        return self.killed_at - min(lost) if lost else 0.0


def start(repo: Path, store: Path, flush_interval: float) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = subprocess.Popen([RELAY, "serve", "--repo", str(repo), "--port", str(port), "--poll", "0",
                             "--usage-store", str(store), "--flush-interval", str(flush_interval)],
                            stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    wait_ready(url)
    return proc, url


async def _client(url: str, replica: str, number: int, run: Run, stop: anyio.Event) -> None:
    """Calls rate_skill until told to stop or until its replica is gone."""
    sequence = 0
    try:
        async with Client(f"{url}/mcp") as client:
            while not stop.is_set():
                comment = f"{replica}:{number}:{sequence}"
                result = await client.call_tool("rate_skill", {"name": "beta", "rating": 4,
                                                               "comment": comment})
                if not result.is_error:
                    run.acked[replica][comment] = time.monotonic()
                sequence += 1
    except Exception:  # noqa: BLE001 - the killed replica's clients end on a broken connection
        return


async def _until(condition: object, cap: float = 60.0) -> None:
    """Wait until `condition()` holds (load, not time, decides when to kill; the cap only stops a hang)."""
    deadline = time.monotonic() + cap
    while not condition() and time.monotonic() < deadline:  # type: ignore[operator]
        await anyio.sleep(0.02)


async def scenario(tmp: Path, flush_interval: float = 0.5, clients: int = 3, calls: int = 150) -> Run:
    """Load both replicas; SIGKILL replica a after `calls` acknowledged calls (mid-load, its
    clients still calling), keep loading b for `calls` more, then SIGTERM b."""
    repo = build_catalog(tmp / "catalog")
    run = Run(flush_interval=flush_interval, store=tmp / "usage-store")
    a, url_a = start(repo.path, run.store, flush_interval)
    b, url_b = start(repo.path, run.store, flush_interval)
    try:
        stop_a, stop_b = anyio.Event(), anyio.Event()
        async with anyio.create_task_group() as tasks:
            for n in range(clients):
                tasks.start_soon(_client, url_a, "a", n, run, stop_a)
                tasks.start_soon(_client, url_b, "b", n, run, stop_b)
            await _until(lambda: len(run.acked["a"]) >= calls and len(run.acked["b"]) >= calls)
            a.send_signal(signal.SIGKILL)
            run.killed_at = time.monotonic()
            after = len(run.acked["b"]) + calls
            await _until(lambda: len(run.acked["b"]) >= after)  # b keeps serving while a is gone
            stop_a.set()
            stop_b.set()
        b.send_signal(signal.SIGTERM)
        await anyio.to_thread.run_sync(lambda: b.wait(30))
        run.term_exit = b.returncode
    finally:
        for proc in (a, b):
            if proc.poll() is None:
                proc.kill()
            proc.communicate(timeout=30)
    with connect(run.store) as conn:
        run.stored = [row[0] for row in conn.execute("SELECT comment FROM usage").fetchall()]
    return run

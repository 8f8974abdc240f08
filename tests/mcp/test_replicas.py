"""Two `relay serve` processes, one repository, one shared usage store; one SIGKILLed, one SIGTERMed.

The store is the Parquet segment folder (docs/deploy.md says why not DuckLake on
PostgreSQL), so no database server is started. What is checked: no event is
stored twice; every call the SIGTERMed replica acknowledged is stored; the
SIGKILLed replica's stored events are all calls it acknowledged, and what it
lost is only the tail it had not flushed; `relay usage report` sums both.
How long that tail is (the loss window) is a benchmark figure, not asserted
here: bench/replicas.py.
"""

from __future__ import annotations

import json
import signal
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.cli import main
from tests.mcp.replicas import scenario

pytestmark = pytest.mark.anyio


async def test_two_replicas_kill_and_term_every_acknowledged_event_once(tmp_path: Path) -> None:
    run = await scenario(tmp_path, flush_interval=0.5, calls=120)
    assert run.term_exit in (0, -signal.SIGTERM)
    duplicates = [c for c, n in Counter(run.stored).items() if n > 1]
    assert duplicates == []
    assert len(run.acked["a"]) >= 120 and len(run.acked["b"]) >= 240  # both replicas really were loaded
    assert run.in_store("b") == set(run.acked["b"])  # SIGTERM: nothing lost
    assert run.in_store("a") <= set(run.acked["a"])  # SIGKILL: nothing invented
    # What the killed replica lost is its unflushed tail: every lost call was acknowledged
    # after every stored call of the same client (the writer's queue is first in, first out).
    for client in {c.split(":")[1] for c in run.acked["a"]}:
        kept = [int(c.split(":")[2]) for c in run.in_store("a") if c.split(":")[1] == client]
        lost = [int(c.split(":")[2]) for c in run.lost if c.split(":")[1] == client]
        assert not kept or not lost or max(kept) < min(lost), client

    result = CliRunner().invoke(main, ["usage", "report", "--store", str(run.store), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    assert sum(r["ratings"] for r in rows) == len(run.in_store("a")) + len(run.in_store("b"))

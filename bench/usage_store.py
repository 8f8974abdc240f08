"""The shared usage store (Parquet segments) against the single-process DuckDB file it stands beside.

Anchor: the default store, one DuckDB file owned by one writer. Relay's shared
store: the same writer appending Parquet segments to a folder. Measured, in
alternating rounds: the writer's rate, and `relay usage report`'s aggregation
over a day's worth of small segments before and after `relay usage compact`.

    .venv/bin/python bench/usage_store.py [--events 200000] [--segments 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from bench.benchlib import CpuWatch, clock, duration, interleave, print_report, table  # noqa: E402
from mcp_server.usage import report  # noqa: E402
from mcp_server.usage.schema import to_arrow  # noqa: E402
from mcp_server.usage.segments import SegmentSink, compact, connect  # noqa: E402
from mcp_server.usage.writer import UsageWriter  # noqa: E402
from registry.model import UsageEvent  # noqa: E402

START = datetime(2026, 3, 1, tzinfo=UTC)


def events(count: int, days: int = 10) -> list[UsageEvent]:
    step = timedelta(days=days) / count
    return [UsageEvent(ts=START + i * step, skill=f"skill-{i % 500}", tree_id=f"t{i % 1500}",
                       commit_id="c", tool="get_skill", client_name="claude-code",
                       user_id=f"user{i % 300}@example.com", duration_ms=float(i % 97), bytes=4000)
            for i in range(count)]


def write_rate(batch: list[UsageEvent], sink_factory) -> float:  # type: ignore[no-untyped-def]
    """Seconds to push `batch` through a UsageWriter into the sink and close it."""
    writer = UsageWriter(sink=sink_factory(), queue_size=len(batch) + 10)
    writer.start()

    def run() -> None:
        for event in batch:
            writer.submit(event)
        writer.close()

    elapsed = clock(run)
    assert writer.written == len(batch) and writer.dropped == 0
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--segments", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    watch = CpuWatch()
    scratch = Path(tempfile.mkdtemp(prefix="relay-usage-bench-"))
    try:
        batch = events(args.events)
        counter = iter(range(10**6))

        def duckdb_file() -> float:
            from mcp_server.usage.writer import DuckDBSink

            path = scratch / f"u{next(counter)}.duckdb"
            return write_rate(batch, lambda: DuckDBSink(path))

        def segments() -> float:
            root = scratch / f"s{next(counter)}"
            return write_rate(batch, lambda: SegmentSink(root))

        writes = interleave(args.rounds, {"DuckDB file write": duckdb_file, "segments write": segments})

        # A store as many small flushes leave it: the same events in `--segments` segments.
        store, db = scratch / "store", scratch / "report.duckdb"
        sink, per = SegmentSink(store), max(1, args.events // args.segments)
        for i in range(0, args.events, per):
            sink.write(to_arrow(batch[i:i + per]))
        with duckdb.connect(str(db)) as conn:
            from mcp_server.usage.schema import CREATE

            conn.execute(CREATE)
            table_ = to_arrow(batch)  # noqa: F841 - read by DuckDB's replacement scan
            conn.execute("INSERT INTO usage SELECT * FROM table_")
        compacted = scratch / "compacted"
        shutil.copytree(store, compacted)
        compact(compacted, before=START.date() + timedelta(days=365))
        def report_on(open_conn) -> float:  # type: ignore[no-untyped-def]
            def run() -> None:
                with open_conn() as conn:
                    rows = report.aggregate(conn, "skill")
                total = sum(r.uses for r in rows)
                assert total == args.events, total
            return clock(run)

        reports = interleave(args.rounds, {
            "report, DuckDB file": lambda: report_on(lambda: duckdb.connect(str(db), read_only=True)),
            f"report, {args.segments} segments": lambda: report_on(lambda: connect(store)),
            "report, compacted": lambda: report_on(lambda: connect(compacted)),
        })
        files = len(list(compacted.rglob("*.parquet")))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rate = {name: args.events / t.median for name, t in writes.items()}
    rows = [[name, f"{rate[name]:,.0f} events/s", ", ".join(f"{args.events / s:,.0f}" for s in t.samples)]
            for name, t in writes.items()]
    rows += [[name, duration(t.median), ", ".join(duration(s) for s in t.samples)]
             for name, t in reports.items()]
    results = table(["measurement", "median", "samples"], rows)
    results += (f"\n\n{args.events:,} events over 10 days; {args.segments:,} segments before "
                f"compaction, {files} after.")
    return print_report("Usage store: Parquet segments against one DuckDB file", results,
                        {**writes, **reports}, [("every report counted every event", True)], watch)


if __name__ == "__main__":
    raise SystemExit(main())

"""The shared usage store: several writer processes append Parquet segments to one folder.

Writers here are real processes (multiprocessing, spawn) so that nothing in one
process's memory can make the count come out right.
"""

from __future__ import annotations

import multiprocessing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from builder.usage import read_usage
from mcp_server.usage import report
from mcp_server.usage.segments import SOURCES_KEY, SegmentSink, compact, connect
from mcp_server.usage.writer import UsageWriter
from registry import usagefiles
from registry.cli import main

from .test_usage import FIXTURE, event

PER_WRITER = 1500
WRITERS = 3


def write_events(root: str, writer_no: int) -> None:
    """One writer process: PER_WRITER events, each naming its writer and number in `comment`."""
    writer = UsageWriter(sink=SegmentSink(Path(root)), batch_size=200, flush_interval=0.01).start()
    for i in range(PER_WRITER):
        writer.submit(event(skill=f"s{i % 7}", comment=f"{writer_no}:{i}", user_id=f"u{writer_no}"))
    writer.close()


def test_concurrent_writer_processes_land_every_event_exactly_once(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=write_events, args=(str(store), n)) for n in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    with connect(store) as conn:
        total, distinct = conn.execute("SELECT count(*), count(DISTINCT comment) FROM usage").fetchone()
        users = conn.execute("SELECT count(DISTINCT user_id) FROM usage").fetchone()[0]
    assert (total, distinct, users) == (WRITERS * PER_WRITER, WRITERS * PER_WRITER, WRITERS)
    assert not list(store.rglob(".*.tmp"))  # no temporary file left behind
    writers = {p.name.rsplit("-", 1)[0] for p in usagefiles.files(store)}
    assert len(writers) == WRITERS  # each process wrote under its own name


def test_report_build_and_cli_read_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    half = len(FIXTURE) // 2
    for part in (FIXTURE[:half], FIXTURE[half:]):  # two writers, as two replicas would
        writer = UsageWriter(sink=SegmentSink(store)).start()
        for item in part:
            writer.submit(item)
        writer.close()
    with connect(store) as conn:
        a = {r.key: r for r in report.aggregate(conn, "skill")}[("a",)]
    assert (a.uses, a.users, a.ratings, a.hours_saved) == (4, 2, 2, 2.0)  # as test_usage's hand count
    usage = read_usage(store)  # what `relay build --usage DIR` reads
    assert usage.skills["a"].uses == 4 and usage.skills["b"].uses == 1
    assert (usage.first_day, usage.last_day) == ("2026-03-01", "2026-03-02")
    result = CliRunner().invoke(main, ["usage", "report", "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("a,4,2,0.75")


def test_a_batch_spanning_midnight_goes_to_both_days(tmp_path: Path) -> None:
    store = tmp_path / "store"
    late = datetime(2026, 3, 1, 23, 59, 59, tzinfo=UTC)
    writer = UsageWriter(sink=SegmentSink(store)).start()
    writer.submit(event(ts=late))
    writer.submit(event(ts=late + timedelta(seconds=2)))
    writer.close()
    assert sorted(p.parent.name for p in usagefiles.files(store)) == ["day=2026-03-01", "day=2026-03-02"]


def test_empty_and_missing_stores(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with connect(tmp_path / "empty") as conn:
        assert report.aggregate(conn, "skill") == []
    result = CliRunner().invoke(main, ["usage", "report", "--store", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no usage store" in result.output


def test_compact_merges_finished_days_and_recovers_from_a_crash(tmp_path: Path) -> None:
    store = tmp_path / "store"
    for n in range(4):
        writer = UsageWriter(sink=SegmentSink(store)).start()
        writer.submit(event(comment=str(n)))
        writer.submit(event(comment=f"{n}b", ts=datetime(2026, 3, 5, tzinfo=UTC)))
        writer.close()
    assert compact(store, before=date(2026, 3, 5)) == (1, 4)  # day 5 is not finished yet
    day1 = sorted((store / "day=2026-03-01").glob("*.parquet"))
    assert len(day1) == 1 and len(list((store / "day=2026-03-05").glob("*.parquet"))) == 4
    # A compaction that stopped after writing its merged file but before deleting the sources:
    merged = pq.read_table(day1[0])
    names = pq.read_schema(day1[0]).metadata[SOURCES_KEY].decode().splitlines()
    for name, n in zip(names, range(4), strict=True):
        pq.write_table(merged.slice(n, 1), store / "day=2026-03-01" / name)
    result = CliRunner().invoke(main, ["usage", "compact", "--store", str(store), "--before", "2026-03-02"])
    assert result.exit_code == 0, result.output
    with connect(store) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT comment) FROM usage").fetchone() == (8, 8)


@pytest.mark.parametrize("bad", ["--flush-interval=0", "--flush-interval=-1"])
def test_serve_refuses_a_bad_flush_interval(bad: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--repo", str(tmp_path), bad])
    assert result.exit_code == 2 and "--flush-interval" in result.output


"""The usage pipeline alone: the writer's queue and drain, the report's figures, the export."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from mcp_server.usage import report
from mcp_server.usage.schema import COLUMNS
from mcp_server.usage.writer import UsageWriter
from registry.cli import main
from registry.usage import UsageEvent

DAY1 = datetime(2026, 3, 1, 10, tzinfo=UTC)
DAY2 = DAY1 + timedelta(days=1)


def event(skill: str = "a", tree: str = "t1", tool: str = "get_skill", **kw: object) -> UsageEvent:
    return UsageEvent(ts=kw.pop("ts", DAY1), skill=skill, tree_id=tree, commit_id="c1", tool=tool,  # type: ignore[arg-type]
                      **kw)  # type: ignore[arg-type]


# Hand-computed: skill a has 4 uses (3 ok) by users u1,u2 with durations 10,20,30,40 ms and two
# ratings saving 30 + 90 minutes (2 hours); skill b has 1 use by u3 on day 2 at 5 ms.
FIXTURE = [
    event(user_id="u1", duration_ms=10.0, client_name="claude-code"),
    event(user_id="u1", duration_ms=20.0, client_name="claude-code"),
    event(user_id="u2", duration_ms=30.0, tree="t2", client_name="cursor"),
    event(user_id="u2", duration_ms=40.0, tree="t2", success=False, client_name="cursor"),
    event(tool="rate_skill", user_id="u1", rating=5, minutes_saved=30.0),
    event(tool="rate_skill", user_id="u2", rating=3, minutes_saved=90.0, tree="t2"),
    event(skill="b", user_id="u3", duration_ms=5.0, ts=DAY2, client_name="cursor"),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "usage.duckdb"
    writer = UsageWriter(path).start()
    for item in FIXTURE:
        assert writer.submit(item)
    writer.close()
    return path


def test_report_figures_match_the_hand_computed_fixture(db: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as conn:
        by_skill = {r.key: r for r in report.aggregate(conn, "skill")}
        by_version = {r.key: r for r in report.aggregate(conn, "version")}
        by_day = {r.key: r.uses for r in report.aggregate(conn, "day")}
        by_client = {r.key: r.uses for r in report.aggregate(conn, "client")}
        since = report.aggregate(conn, "skill", date(2026, 3, 2))
    a = by_skill[("a",)]
    assert (a.uses, a.users, a.success_rate) == (4, 2, 0.75)
    assert a.p50_ms == pytest.approx(25.0) and a.p95_ms == pytest.approx(38.5, abs=0.11)
    assert (a.ratings, a.avg_rating, a.hours_saved) == (2, 4.0, 2.0)
    assert by_skill[("b",)].uses == 1 and by_skill[("b",)].hours_saved == 0
    assert by_version[("a", "t2")].uses == 2 and by_version[("a", "t2")].hours_saved == 1.5
    assert by_day == {("2026-03-01",): 4, ("2026-03-02",): 1}
    assert by_client[("cursor",)] == 3 and by_client[("claude-code",)] == 2
    assert [r.key for r in since] == [("b",)]


def test_full_queue_drops_and_counts_without_blocking(tmp_path: Path) -> None:
    writer = UsageWriter(tmp_path / "u.duckdb", queue_size=10)  # not started: nothing drains
    accepted = sum(writer.submit(event()) for _ in range(1000))  # a blocking submit would hang here
    assert (accepted, writer.dropped) == (10, 990)
    writer.close()
    with duckdb.connect(str(tmp_path / "u.duckdb"), read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM usage").fetchone() == (10,)


def test_writer_counts_every_event_from_many_threads(tmp_path: Path) -> None:
    writer = UsageWriter(tmp_path / "u.duckdb").start()
    def produce() -> None:
        for _ in range(500):
            writer.submit(event())

    threads = [threading.Thread(target=produce) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writer.flush()
    assert writer.query(lambda c: c.execute("SELECT count(*) FROM usage").fetchone()) == (4000,)
    writer.close()


def test_cli_report_formats_and_export(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(main, ["usage", "report", "--db", str(db)])
    assert table.exit_code == 0 and table.output.splitlines()[0].split()[:3] == ["skill", "uses", "users"]
    csv = runner.invoke(main, ["usage", "report", "--db", str(db), "--by", "day", "--format", "csv"])
    assert csv.output.splitlines()[1].startswith("2026-03-01,4,2,0.75")
    out = tmp_path / "parquet"
    exported = runner.invoke(main, ["usage", "export", "--parquet", str(out), "--db", str(db)])
    assert exported.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["day=2026-03-01", "day=2026-03-02"]
    table1 = pq.read_table(next((out / "day=2026-03-01").glob("*.parquet")))
    assert tuple(table1.column_names) == COLUMNS and table1.num_rows == 6


def test_cli_report_on_a_missing_or_busy_db_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["usage", "report", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and "no usage database" in result.output


def test_token_add_prints_once_and_stores_hash(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.toml"
    result = CliRunner().invoke(main, ["serve", "token", "add", "ada", "--tokens", str(tokens)])
    assert result.exit_code == 0
    token = result.output.splitlines()[0]
    assert token.startswith("relay_") and token not in tokens.read_text()
    import hashlib

    assert hashlib.sha256(token.encode()).hexdigest() in tokens.read_text()

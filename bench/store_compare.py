"""The shared usage store as chosen (Parquet segments) against DuckLake on PostgreSQL, same load.

Two writer processes each commit `--events` events in batches of `--batch`
(what a replica does once per flush), at the same time; then one report
(count, distinct check, per-skill aggregate with percentiles) reads what both
wrote. Run it once per engine:

    .venv/bin/python bench/store_compare.py --engine segments

DuckLake needs DuckDB 1.5.5 (the version PyPI's `duckdb-extension-ducklake`
and `duckdb-extension-postgres-scanner` are built for; this project runs
DuckDB 2.0, which refuses them) and a PostgreSQL server for its catalog, so it
runs from its own virtualenv against a throwaway cluster:

    python3 -m venv /tmp/dlvenv
    /tmp/dlvenv/bin/pip install duckdb==1.5.5 duckdb-extension-ducklake==1.5.5 \\
        duckdb-extension-postgres-scanner==1.5.5 pyarrow
    mkdir /tmp/pg && chown nobody /tmp/pg        # initdb refuses to run as root
    runuser -u nobody -- /usr/lib/postgresql/15/bin/initdb -D /tmp/pg/data -A trust -U relay
    runuser -u nobody -- /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/pg/data -l /tmp/pg/log \\
        -o "-p 55432 -k /tmp/pg -c listen_addresses=''" -w start
    /tmp/dlvenv/bin/python bench/store_compare.py --engine ducklake --pg "host=/tmp/pg port=55432 user=relay"

Extensions are loaded from the installed packages' files (LOAD '<path>'),
never downloaded.
"""

from __future__ import annotations

import argparse
import glob
import multiprocessing
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

SKILLS = 50


def batch(tag: str, start: int, end: int) -> pa.Table:
    ids = range(start, end)
    return pa.table({
        "ts": pa.array([1_772_359_200_000_000] * len(ids), pa.timestamp("us")),
        "skill": [f"skill-{i % SKILLS}" for i in ids],
        "comment": [f"{tag}:{i}" for i in ids],
        "duration_ms": [float(i % 97) for i in ids],
    })


def ducklake(pg: str, data: Path):  # type: ignore[no-untyped-def]
    import duckdb

    site = next(p for p in sys.path if p.endswith("site-packages"))
    conn = duckdb.connect(config={"autoinstall_known_extensions": "false",
                                  "autoload_known_extensions": "false", "threads": 1})
    for name in ("ducklake", "postgres_scanner"):
        path = glob.glob(f"{site}/duckdb_extension_{name}/extensions/*/*.duckdb_extension")[0]
        conn.execute(f"LOAD '{path}'")  # the file inside the installed package: nothing is downloaded
    schema = "relay_" + "".join(c for c in data.name if c.isalnum())  # a fresh catalog per run
    conn.execute(f"ATTACH 'ducklake:postgres:dbname=postgres {pg}' AS lake "
                 f"(DATA_PATH '{data}', METADATA_SCHEMA '{schema}')")
    conn.execute("CREATE TABLE IF NOT EXISTS lake.usage (ts TIMESTAMP, skill VARCHAR, comment VARCHAR, "
                 "duration_ms DOUBLE)")
    return conn


def write(engine: str, target: str, pg: str, tag: str, events: int, size: int,
          out: multiprocessing.Queue) -> None:
    if engine == "segments":
        sys.path[0] = str(Path(__file__).resolve().parent.parent)  # bench/mcp.py would shadow mcp
        from mcp_server.usage.segments import SegmentSink

        sink = SegmentSink(Path(target))
        started = time.perf_counter()
        conflicts = 0  # writers never share a name, so there is nothing to collide on
        for i in range(0, events, size):
            table = batch(tag, i, min(events, i + size))
            # the store's schema has more columns; the comparison writes the same four in both engines
            sink.write(table)
    else:
        conflicts = 0
        import duckdb

        conn = ducklake(pg, Path(target))
        started = time.perf_counter()
        for i in range(0, events, size):
            rows = batch(tag, i, min(events, i + size))  # noqa: F841 - read by DuckDB's replacement scan
            while True:  # two writers' commits can collide on the catalog's snapshot id: retry
                try:
                    conn.execute("INSERT INTO lake.usage SELECT * FROM rows")
                    break
                except duckdb.Error:
                    conflicts += 1
    out.put((time.perf_counter() - started, conflicts))


def report(engine: str, target: str, pg: str) -> tuple[float, int, int]:
    import duckdb

    started = time.perf_counter()
    if engine == "segments":
        conn = duckdb.connect()
        conn.execute(f"CREATE VIEW usage AS SELECT * FROM read_parquet('{target}/day=*/*.parquet')")
        table = "usage"
    else:
        conn = ducklake(pg, Path(target))
        table = "lake.usage"
    total, distinct = conn.execute(f"SELECT count(*), count(DISTINCT comment) FROM {table}").fetchone()
    conn.execute(f"SELECT skill, count(*), quantile_cont(duration_ms, [0.5, 0.95]) FROM {table} "
                 "GROUP BY ALL").fetchall()
    return time.perf_counter() - started, total, distinct


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["segments", "ducklake"], required=True)
    parser.add_argument("--pg", default="host=/tmp/pg port=55432 user=relay")
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="relay-store-compare-"))
    ctx = multiprocessing.get_context("spawn")
    rows = []
    try:
        if args.engine == "ducklake":
            ducklake(args.pg, scratch).close()  # create the catalog once, before the writers race
        for round_ in range(args.rounds):
            out: multiprocessing.Queue = ctx.Queue()
            procs = [ctx.Process(target=write, args=(args.engine, str(scratch), args.pg, f"{w}{round_}",
                                                    args.events, args.batch, out)) for w in "ab"]
            for p in procs:
                p.start()
            for p in procs:
                p.join()
            results = [out.get() for _ in procs]
            commits = args.events // args.batch
            rows.append(f"round {round_ + 1}: " + ", ".join(
                f"{t / commits * 1000:.1f} ms per commit ({args.events / t:,.0f} events/s, "
                f"{c} conflicts retried)" for t, c in results))
        seconds, total, distinct = report(args.engine, str(scratch), args.pg)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"## {args.engine}: 2 concurrent writers, {args.events:,} events each per round in batches "
          f"of {args.batch}\n")
    print("\n".join(f"- {r}" for r in rows))
    print(f"- report over {total:,} events ({distinct:,} distinct): {seconds * 1000:.0f} ms")
    return 0 if total == distinct == 2 * args.events * args.rounds else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The shared usage store: every writer process appends immutable Parquet segments under one folder.

Why files and not a database server: each replica (and each worker process of
a replica) owns its own segment names, so writers never coordinate, never lock
and never conflict; a segment becomes visible by one atomic rename, so a
reader sees a batch whole or not at all, and an event is in exactly one
segment. DuckDB reads the folder as one table. See docs/deploy.md for the
choice against DuckLake on PostgreSQL, and docs/benchmarks.md for its figures.

`compact` merges a finished day's small segments into one file; a crash
half-way leaves both the merged file and its sources, and the next run
removes the sources it names, so no event is ever counted twice for long.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from registry import usagefiles
from registry.errors import RelayError

from .schema import ARROW_SCHEMA, TABLE

T = TypeVar("T")
SOURCES_KEY = b"relay.sources"  # merged files list the segments they replace
MERGED_PREFIX = "merged-"


def writer_id() -> str:
    """Unique per process: host, pid and a random part (pids repeat across restarts and pods)."""
    host = "".join(c if c.isalnum() or c == "-" else "-" for c in socket.gethostname())[:40] or "host"
    return f"{host}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _write_atomically(table: pa.Table, path: Path, metadata: dict[bytes, bytes] | None = None) -> None:
    """Write to a hidden temporary name, fsync, then rename: readers see all of it or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp"
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), **metadata})
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a crash
    finally:
        os.close(dir_fd)


class SegmentSink:
    """Appends each batch as one segment per UTC day it spans: DIR/day=D/<writer>-<seq>.parquet."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.writer = writer_id()
        self.sequence = 0
        root.mkdir(parents=True, exist_ok=True)

    def write(self, table: pa.Table) -> None:
        days = pc.strftime(table.column("ts"), format="%Y-%m-%d")
        for day in pc.unique(days).to_pylist():
            part = table.filter(pc.equal(days, day))
            self.sequence += 1
            name = f"{self.writer}-{self.sequence:09d}{usagefiles.SUFFIX}"
            _write_atomically(part, usagefiles.day_folder(self.root, day) / name)

    def query(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        with connect(self.root) as conn:
            return fn(conn)

    def close(self) -> None:
        """Nothing to do: every segment was complete when it was renamed into place."""


def connect(root: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with a `usage` view over every segment (an empty table if none yet)."""
    if not root.is_dir():
        raise RelayError(f"{root}: no usage store here (pass the folder given to --usage-store)")
    conn = duckdb.connect(":memory:", config={"threads": 1})
    if usagefiles.files(root):
        conn.execute(f"CREATE VIEW {TABLE} AS SELECT * EXCLUDE ({usagefiles.PARTITION}) FROM "
                     f"read_parquet({usagefiles.sql_glob(root)}, hive_partitioning=true)")
    else:
        conn.register(TABLE, ARROW_SCHEMA.empty_table())
    return conn


def compact(root: Path, before: date | None = None) -> tuple[int, int]:
    """Merge each day before `before` (default: today, UTC) into one file; (days, segments merged).

    Only one compaction should run at a time (a CronJob, or one replica); the
    writers need not stop, since they only ever add segments to today.
    """
    before = before or datetime.now(UTC).date()
    _finish_interrupted(root)
    days = merged = 0
    for folder in sorted(root.glob(f"{usagefiles.PARTITION}=*")):
        day = folder.name.partition("=")[2]
        try:
            if date.fromisoformat(day) >= before:
                continue
        except ValueError:
            continue
        sources = sorted(folder.glob(f"*{usagefiles.SUFFIX}"))
        if len(sources) < 2:
            continue
        table = pa.concat_tables([pq.read_table(s, schema=ARROW_SCHEMA) for s in sources])
        table = table.sort_by("ts")
        listing = "\n".join(s.name for s in sources).encode()
        _write_atomically(table, folder / f"{MERGED_PREFIX}{uuid.uuid4().hex}{usagefiles.SUFFIX}",
                          {SOURCES_KEY: listing})
        for source in sources:
            source.unlink()
        days += 1
        merged += len(sources)
    return days, merged


def _finish_interrupted(root: Path) -> None:
    """Remove sources that a merged file already holds (a compaction stopped before deleting them)."""
    for merged in root.glob(f"{usagefiles.PARTITION}=*/{MERGED_PREFIX}*{usagefiles.SUFFIX}"):
        metadata = pq.read_schema(merged).metadata or {}
        for name in metadata.get(SOURCES_KEY, b"").decode().splitlines():
            source = merged.parent / name
            if name and source != merged and source.exists():
                source.unlink()

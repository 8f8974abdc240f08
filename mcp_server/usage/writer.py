"""The usage writer: handlers enqueue events, one thread owns the store and writes batches.

Handlers must never wait on the database, so `submit` only does a non-blocking
put on a bounded queue; when the queue is full the event is counted as dropped.
The writer thread takes what has queued up (up to a batch), converts it to one
Arrow table and inserts it in one statement. `close` drains the queue and
checkpoints, so a clean shutdown loses nothing.

The store is a sink: one DuckDB file that this process owns (the default), or
the shared segment folder that many processes append to (`segments.py`).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar

import duckdb
import pyarrow as pa

from registry.errors import RelayError
from registry.usage import UsageEvent

from .schema import CREATE, TABLE, to_arrow

log = logging.getLogger("relay.usage")
T = TypeVar("T")
_STOP = object()


class Sink(Protocol):
    """Where batches go: `write` one Arrow batch, `query` the events written, `close` at the end."""

    def write(self, table: pa.Table) -> None: ...
    def query(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T: ...
    def close(self) -> None: ...


class DuckDBSink:
    """One DuckDB file that this process owns (the single-process default, no set-up)."""

    def __init__(self, path: Path | str) -> None:
        # One DuckDB worker thread: batches are small, and the server's own threads need the cores.
        try:
            self._conn = duckdb.connect(str(path), config={"threads": 1})
            self._conn.execute(CREATE)
        except duckdb.Error as exc:
            detail = str(exc).split("\n")[0]
            raise RelayError(f"{path}: cannot open the usage database ({detail}). One process owns "
                             "the file: stop the other `relay serve`, pass another --db, or "
                             "--no-usage") from None

    def write(self, table: pa.Table) -> None:
        self._conn.register("usage_batch", table)
        try:
            self._conn.execute(f"INSERT INTO {TABLE} SELECT * FROM usage_batch")
        finally:
            self._conn.unregister("usage_batch")

    def query(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run a read on its own cursor (same database instance, safe from another thread)."""
        cursor = self._conn.cursor()
        try:
            return fn(cursor)
        finally:
            cursor.close()

    def close(self) -> None:
        try:
            self._conn.execute("CHECKPOINT")
        finally:
            self._conn.close()


class UsageWriter:
    """A bounded queue in front of one sink written by one thread."""

    def __init__(self, path: Path | str | None = None, *, sink: Sink | None = None,
                 queue_size: int = 100_000, batch_size: int = 10_000,
                 flush_interval: float = 0.25) -> None:
        if sink is None:
            if path is None:
                raise ValueError("a UsageWriter needs a DuckDB path or a sink")
            sink = DuckDBSink(path)
        self.sink = sink
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.queue: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
        self.dropped = 0
        self.written = 0
        self.failed = 0
        self.last_error = ""  # why the last batch failed; "" once a batch is written again
        self._thread = threading.Thread(target=self._run, name="relay-usage-writer", daemon=True)
        self._closed = False
        self._flushed = threading.Condition()
        self._urgent = threading.Event()  # a flush or close is waiting: write without delay

    def start(self) -> UsageWriter:
        self._thread.start()
        return self

    @property
    def depth(self) -> int:
        return self.queue.qsize()

    @property
    def problem(self) -> str:
        """Why usage is not being recorded now ("" when it is): for readiness checks."""
        if self._thread.ident is not None and not self._thread.is_alive() and not self._closed:
            return "the usage writer thread stopped"
        if self.last_error:
            return f"usage writes are failing: {self.last_error}"
        return ""

    def submit(self, event: UsageEvent) -> bool:
        """Enqueue without blocking; False (and one more drop counted) when the queue is full."""
        try:
            self.queue.put_nowait(event)
            return True
        except queue.Full:
            self.dropped += 1
            return False

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until everything submitted so far is in the database."""
        marker = threading.Event()
        self.queue.put(marker, timeout=timeout)
        self._urgent.set()
        marker.wait(timeout)

    def query(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run a read over the events written so far (safe from another thread)."""
        return self.sink.query(fn)

    def close(self, timeout: float = 30.0) -> None:
        """Drain the queue, write what is left, close the sink (a checkpoint for DuckDB). Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._thread.is_alive():
            self.queue.put(_STOP)
            self._urgent.set()
            self._thread.join(timeout)
        else:
            self._drain_inline()
        try:
            self.sink.close()
        except Exception:  # noqa: BLE001 - shutdown goes on; the events written are in the store
            log.exception("could not close the usage store cleanly")
        log.info("usage writer closed: %d written, %d dropped", self.written, self.dropped)

    def _drain_inline(self) -> None:
        batch: list[UsageEvent] = []
        while True:
            try:
                item = self.queue.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, UsageEvent):
                batch.append(item)
            elif isinstance(item, threading.Event):
                item.set()
        self._write(batch)

    def _run(self) -> None:
        """Collect for up to `flush_interval` after the first event, then write one batch.

        Waiting a moment instead of writing whatever is queued keeps inserts few
        (a handful a second under load): each insert costs the same fixed work
        whether it carries one event or ten thousand. The thread sleeps through
        that moment rather than waiting on the queue, which woke it for every
        event: a thread switch per request, as dear as the request's own work in
        Relay's code (issue 12). A flush or shutdown cuts the sleep short.
        """
        while True:
            try:
                first: Any = self.queue.get(timeout=self.flush_interval)
            except queue.Empty:
                continue
            if first is not _STOP and not isinstance(first, threading.Event) \
                    and self.queue.qsize() < self.batch_size:  # a full batch waiting goes at once
                self._urgent.wait(self.flush_interval)
            self._urgent.clear()
            batch: list[UsageEvent] = []
            markers: list[threading.Event] = []
            stop = False
            item = first
            while True:
                if item is _STOP:
                    stop = True
                elif isinstance(item, threading.Event):
                    markers.append(item)
                else:
                    batch.append(item)
                if len(batch) >= self.batch_size:
                    break  # the rest is written at once in the next round
                try:
                    item = self.queue.get_nowait()
                except queue.Empty:
                    break
            self._write(batch)
            for marker in markers:
                marker.set()
            if stop:
                self._drain_inline()
                return

    def _write(self, batch: list[UsageEvent]) -> None:
        if not batch:
            return
        try:
            self.sink.write(to_arrow(batch))
            self.written += len(batch)
            self.last_error = ""
        except Exception as exc:  # noqa: BLE001 - the writer thread must outlive any bad batch
            self.failed += len(batch)
            self.last_error = f"{type(exc).__name__}: {exc}"
            log.error("could not write %d usage events: %s", len(batch), exc)

"""The usage table, column for column the fields of `registry.usage.UsageEvent`."""

from __future__ import annotations

import dataclasses

import pyarrow as pa

from registry.usage import UsageEvent

TABLE = "usage"

ARROW_SCHEMA = pa.schema([
    ("ts", pa.timestamp("us")),  # UTC, stored without a zone so every reader sees the same value
    ("skill", pa.string()),
    ("tree_id", pa.string()),
    ("commit_id", pa.string()),
    ("tool", pa.string()),
    ("client_name", pa.string()),
    ("client_version", pa.string()),
    ("user_id", pa.string()),
    ("session_id", pa.string()),
    ("duration_ms", pa.float64()),
    ("success", pa.bool_()),
    ("bytes", pa.int64()),
    ("rating", pa.int32()),
    ("minutes_saved", pa.float64()),
    ("comment", pa.string()),
])

COLUMNS = tuple(f.name for f in dataclasses.fields(UsageEvent))
assert tuple(ARROW_SCHEMA.names) == COLUMNS, "the usage schema must follow UsageEvent"

CREATE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    ts TIMESTAMP NOT NULL, skill VARCHAR NOT NULL, tree_id VARCHAR NOT NULL,
    commit_id VARCHAR NOT NULL, tool VARCHAR NOT NULL, client_name VARCHAR,
    client_version VARCHAR, user_id VARCHAR, session_id VARCHAR, duration_ms DOUBLE,
    success BOOLEAN, bytes BIGINT, rating INTEGER, minutes_saved DOUBLE, comment VARCHAR
)"""


def to_arrow(events: list[UsageEvent]) -> pa.Table:
    """A batch of events as one Arrow table (column-wise, the fast path into DuckDB)."""
    ts = [e.ts.replace(tzinfo=None) if e.ts.tzinfo else e.ts for e in events]
    columns = [ts, *([getattr(e, name) for e in events] for name in COLUMNS[1:])]
    return pa.Table.from_arrays([pa.array(c, type=t) for c, t in zip(columns, ARROW_SCHEMA.types,
                                                                     strict=True)],
                                schema=ARROW_SCHEMA)

"""Usage aggregates (per skill, version, day or client) and the day-partitioned Parquet export.

The same functions serve `relay usage report` on a database file, `GET
/api/usage` on the running server's own connection, and the benchmark.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from registry import usage as figures
from registry.errors import RelayError

from .schema import COLUMNS, TABLE

GROUPS: dict[str, tuple[str, ...]] = {
    "skill": ("skill",),
    "version": ("skill", "tree_id"),
    "day": ("day",),
    "client": ("client_name",),
}
FORMATS = ("table", "json", "csv")
_KEY_SQL = {"skill": "skill", "tree_id": "tree_id", "client_name": "client_name",
            "day": "CAST(ts AS DATE)"}  # grouping on a DATE is much cheaper than on its text


@dataclass(frozen=True)
class Row:
    """One group's figures; `key` holds the grouping values (e.g. skill and tree id)."""

    key: tuple[str, ...]
    uses: int
    users: int
    success_rate: float | None
    p50_ms: float | None
    p95_ms: float | None
    ratings: int
    avg_rating: float | None
    hours_saved: float


def aggregate(conn: duckdb.DuckDBPyConnection, by: str = "skill",
              since: date | datetime | None = None) -> list[Row]:
    """Uses, distinct users, success rate, duration percentiles and hours saved per group.

    What each figure means is defined once, in `registry.usage`: uses are every
    event except feedback; users are distinct token owners of uses; ratings and
    hours saved come from feedback events only.
    """
    if by not in GROUPS:
        raise RelayError(f"--by must be one of {', '.join(GROUPS)}, not {by!r}")
    keys = ", ".join(_KEY_SQL[k] for k in GROUPS[by])
    # The figures' definitions are shared with the site's dashboard (registry.usage).
    # One list-form quantile computes both percentiles in one pass: the report's costliest part.
    sql = f"""
        SELECT {keys}, {figures.USES}, {figures.USERS}, {figures.SUCCESS_RATE},
            {figures.DURATION_QUANTILES}, {figures.RATINGS}, {figures.AVG_RATING},
            {figures.HOURS_SAVED}
        FROM {TABLE}
        WHERE ts >= coalesce(?::TIMESTAMP, '-infinity'::TIMESTAMP)
        GROUP BY ALL
        ORDER BY {len(GROUPS[by]) + 1} DESC, 1"""
    width = len(GROUPS[by])
    rows = conn.execute(sql, [since]).fetchall()
    out = []
    for r in rows:
        p50, p95 = r[width + 3] if r[width + 3] is not None else (None, None)
        key = tuple(str(k) for k in r[:width])
        out.append(Row(key, r[width], r[width + 1], r[width + 2], p50, p95, *r[width + 4:]))
    return out


def render(rows: list[Row], by: str, fmt: str) -> str:
    """The rows as an aligned table, JSON (what /api/usage serves) or CSV."""
    names = [*GROUPS[by], "uses", "users", "success_rate", "p50_ms", "p95_ms", "ratings",
             "avg_rating", "hours_saved"]
    records = [[*r.key, *list(asdict(r).values())[1:]] for r in rows]
    if fmt == "json":
        return json.dumps(to_json(rows, by), indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(records)
        return out.getvalue()
    cells = [names] + [[_cell(v) for v in rec] for rec in records]
    widths = [max(len(row[i]) for row in cells) for i in range(len(names))]
    lines = ["  ".join(c.ljust(w) if i < len(GROUPS[by]) else c.rjust(w)
                       for i, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in cells]
    return "\n".join(lines) + "\n"


def to_json(rows: list[Row], by: str) -> dict[str, object]:
    return {"by": by, "rows": [{**dict(zip(GROUPS[by], r.key, strict=True)),
                                **{k: v for k, v in asdict(r).items() if k != "key"}} for r in rows]}


def from_json(data: dict[str, object]) -> tuple[list[Row], str]:
    """Rows back from `to_json` (what `relay usage report --url` receives)."""
    by = str(data["by"])
    rows = []
    for item in data["rows"]:  # type: ignore[attr-defined]
        key = tuple(item.pop(k) for k in GROUPS[by])
        rows.append(Row(key=key, **item))
    return rows, by


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def export_parquet(conn: duckdb.DuckDBPyConnection, directory: Path) -> int:
    """Write DIR/day=YYYY-MM-DD/*.parquet with exactly UsageEvent's columns; the row count."""
    directory.mkdir(parents=True, exist_ok=True)
    count = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]  # type: ignore[index]
    if not count:
        return 0
    target = str(directory).replace("'", "''")
    conn.execute(f"""
        COPY (SELECT {', '.join(COLUMNS)}, strftime(ts, '%Y-%m-%d') AS day FROM {TABLE})
        TO '{target}' (FORMAT parquet, PARTITION_BY (day), OVERWRITE_OR_IGNORE true)""")
    return int(count)


def open_database(path: Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """The usage database for a report, with an error a user can act on when it is busy."""
    if not path.exists():
        raise RelayError(f"{path}: no usage database here (pass --db, or --url for a running server)")
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        raise RelayError(f"{path} is held by a running server ({exc}); "
                         "use `relay usage report --url http://HOST:PORT` instead") from None

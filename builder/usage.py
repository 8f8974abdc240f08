"""Read a usage export (day-partitioned Parquet of `UsageEvent`s) into per-skill and weekly figures.

The MCP service owns its DuckDB file; the site reads the Parquet export (or the
shared usage store that replicas append segments to: the same layout, see
`registry.usagefiles`) with its own in-memory DuckDB, so building never
contends with a writer.
What uses, users, ratings and hours saved mean is defined once in
`registry.usage`, shared with `relay usage report`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from registry import usage as figures
from registry import usagefiles
from registry.errors import RelayError

from .context import UsageFigures


class UsageExportError(RelayError):
    """The usage export folder is missing or is not readable Parquet."""


@dataclass(frozen=True)
class Week:
    start: str  # Monday, YYYY-MM-DD
    uses: int
    users: int
    hours_saved: float


@dataclass
class Usage:
    """Aggregated usage: per skill, per week, and the whole export."""

    skills: dict[str, UsageFigures] = field(default_factory=dict)
    weeks: list[Week] = field(default_factory=list)
    totals: UsageFigures = field(default_factory=UsageFigures)
    first_day: str = ""
    last_day: str = ""


_FIGURES = (f"{figures.USES} AS uses, {figures.USERS} AS users, {figures.HOURS_SAVED} AS hours, "
            f"{figures.AVG_RATING} AS rating, {figures.RATINGS} AS ratings, "
            f"{figures.SAVED_REPORTS} AS saved_reports")
_PER_SKILL = f"SELECT skill, {_FIGURES} FROM events GROUP BY skill ORDER BY skill"
_PER_WEEK = f"""
SELECT strftime(date_trunc('week', ts), '%Y-%m-%d') AS week,
       {figures.USES} AS uses, {figures.USERS} AS users, {figures.HOURS_SAVED} AS hours
FROM events GROUP BY week ORDER BY week
"""
_TOTALS = f"SELECT {_FIGURES} FROM events"


def read_usage(folder: Path) -> Usage:
    """Aggregate every `folder/day=YYYY-MM-DD/*.parquet` file; an empty folder gives empty usage."""
    if not folder.is_dir():
        raise UsageExportError(f"usage export {folder} is not a folder")
    if not usagefiles.files(folder):
        return Usage()
    import duckdb  # 0.1 s of imports, for builds given a usage export only (issue 12)

    con = duckdb.connect(":memory:")
    try:
        con.execute("CREATE VIEW events AS SELECT * FROM "
                    f"read_parquet({usagefiles.sql_glob(folder)}, hive_partitioning=true)")
        usage = Usage()
        for name, *figures in con.execute(_PER_SKILL).fetchall():
            usage.skills[name] = _figures(*figures)
        usage.weeks = [Week(w, int(u), int(n), round(float(h), 2))
                       for w, u, n, h in con.execute(_PER_WEEK).fetchall()]
        row = con.execute(_TOTALS).fetchone()
        assert row is not None
        usage.totals = _figures(*row)
        first, last = con.execute("SELECT strftime(min(ts), '%Y-%m-%d'), "
                                  "strftime(max(ts), '%Y-%m-%d') FROM events").fetchone() or ("", "")
        usage.first_day, usage.last_day = first or "", last or ""
        return usage
    except duckdb.Error as exc:
        raise UsageExportError(f"cannot read usage export {folder}: {exc}") from None
    finally:
        con.close()


def _figures(uses: int, users: int, hours: float, rating: float | None, ratings: int,
             saved_reports: int = 0) -> UsageFigures:
    return UsageFigures(uses=int(uses or 0), users=int(users or 0),
                        hours_saved=round(float(hours or 0), 2), hours_known=bool(saved_reports),
                        rating=round(float(rating), 2) if rating is not None else None,
                        ratings=int(ratings or 0))

"""Read a usage export (day-partitioned Parquet of `UsageEvent`s) into per-skill and weekly figures.

The MCP service owns its DuckDB file; the site reads the Parquet export (or the
shared usage store that replicas append segments to: the same layout, see
`registry.usagefiles`) with its own in-memory DuckDB, so building never
contends with a writer.
Uses are events other than `rate_skill`; hours saved come from `rate_skill`
events only (sum of `minutes_saved` / 60).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from registry import usagefiles
from registry.errors import RelayError

from .context import UsageFigures

RATE = "rate_skill"


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


_PER_SKILL = f"""
SELECT skill,
       count(*) FILTER (WHERE tool <> '{RATE}') AS uses,
       count(DISTINCT user_id) FILTER (WHERE tool <> '{RATE}' AND user_id <> '') AS users,
       coalesce(sum(minutes_saved) FILTER (WHERE tool = '{RATE}'), 0) / 60.0 AS hours,
       avg(rating) FILTER (WHERE tool = '{RATE}' AND rating IS NOT NULL) AS rating,
       count(rating) FILTER (WHERE tool = '{RATE}') AS ratings,
       count(minutes_saved) FILTER (WHERE tool = '{RATE}') AS saved_reports
FROM events GROUP BY skill ORDER BY skill
"""
_PER_WEEK = f"""
SELECT strftime(date_trunc('week', ts), '%Y-%m-%d') AS week,
       count(*) FILTER (WHERE tool <> '{RATE}') AS uses,
       count(DISTINCT user_id) FILTER (WHERE tool <> '{RATE}' AND user_id <> '') AS users,
       coalesce(sum(minutes_saved) FILTER (WHERE tool = '{RATE}'), 0) / 60.0 AS hours
FROM events GROUP BY week ORDER BY week
"""
_TOTALS = _PER_SKILL.replace("SELECT skill,", "SELECT").replace("GROUP BY skill ORDER BY skill", "")


def read_usage(folder: Path) -> Usage:
    """Aggregate every `folder/day=YYYY-MM-DD/*.parquet` file; an empty folder gives empty usage."""
    if not folder.is_dir():
        raise UsageExportError(f"usage export {folder} is not a folder")
    if not usagefiles.files(folder):
        return Usage()
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

"""Usage events and the figures made from them, defined once for everyone who counts them.

The MCP service records `UsageEvent`s; the site's dashboard (`relay build
--usage`) and `relay usage report` (and `GET /api/usage`) aggregate them, from
the service's DuckDB file or from the Parquet export. They must give the same
answer for the same events, so the meaning of each figure is written here once,
as SQL over the event columns, and both halves use these expressions:

- a **use** is any event but feedback;
- **users** are the distinct token owners of uses (an open server records none);
- **ratings** and **hours saved** come from feedback events (`rate_skill`) only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FEEDBACK_TOOL = "rate_skill"

_USE = f"tool <> '{FEEDBACK_TOOL}'"
_FEEDBACK = f"tool = '{FEEDBACK_TOOL}'"

USES = f"count(*) FILTER (WHERE {_USE})"
USERS = f"count(DISTINCT user_id) FILTER (WHERE {_USE} AND user_id <> '')"
SUCCESS_RATE = f"avg(success::INTEGER) FILTER (WHERE {_USE})"
DURATION_QUANTILES = f"quantile_cont(duration_ms, [0.5, 0.95]) FILTER (WHERE {_USE})"
RATINGS = f"count(rating) FILTER (WHERE {_FEEDBACK})"
AVG_RATING = f"avg(rating) FILTER (WHERE {_FEEDBACK})"
HOURS_SAVED = f"coalesce(sum(minutes_saved) FILTER (WHERE {_FEEDBACK}), 0) / 60.0"
SAVED_REPORTS = f"count(minutes_saved) FILTER (WHERE {_FEEDBACK})"  # how many said what they saved


@dataclass(frozen=True)
class UsageEvent:
    """One use of a skill at one version, as the MCP service records it and the site reads it.

    Feedback (`rate_skill`) is an event too, with `rating` and `minutes_saved` set.
    The usage export is Parquet with exactly these columns, partitioned by day
    (`day=YYYY-MM-DD/`), so any engine that reads Parquet can aggregate it.
    """

    ts: datetime  # UTC
    skill: str
    tree_id: str
    commit_id: str
    tool: str  # MCP tool or method: get_skill, read_skill_file, resources/read, rate_skill, ...
    client_name: str = ""
    client_version: str = ""
    user_id: str = ""  # the token's owner, or "" when the server runs open on loopback
    session_id: str = ""
    duration_ms: float = 0.0
    success: bool = True
    bytes: int = 0
    rating: int | None = None  # 1-5, rate_skill only
    minutes_saved: float | None = None  # rate_skill only
    comment: str = ""

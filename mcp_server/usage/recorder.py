"""Turns one served read into a UsageEvent and hands it to the writer (or nowhere, --no-usage)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from registry.model import Version
from registry.usage import UsageEvent

from ..identity import caller
from ..metrics import Metrics
from .writer import UsageWriter


class Recorder:
    def __init__(self, writer: UsageWriter | None, metrics: Metrics) -> None:
        self.writer = writer
        self.metrics = metrics

    def record(self, ctx: Any, tool: str, skill: str, version: Version | None, started: float, *,
               success: bool = True, size: int = 0, rating: int | None = None,
               minutes_saved: float | None = None, comment: str = "") -> None:
        """Called at the end of a handler with `started` from time.perf_counter()."""
        if success:
            self.metrics.skill_served(tool, skill)
        if self.writer is None:
            return
        who = caller(ctx)
        self.writer.submit(UsageEvent(
            ts=datetime.now(UTC), skill=skill, tree_id=version.tree_id if version else "",
            commit_id=version.commit_id if version else "", tool=tool,
            client_name=who.client_name, client_version=who.client_version, user_id=who.user_id,
            session_id=who.session_id, duration_ms=(time.perf_counter() - started) * 1000,
            success=success, bytes=size, rating=rating, minutes_saved=minutes_saved,
            comment=comment))

"""search_skills ranks with what the service has recorded: usage and ratings nudge equal matches."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from mcp import Client

from mcp_server.app import Relay
from mcp_server.options import ServerOptions
from mcp_server.usage.writer import UsageWriter
from registry.usage import UsageEvent
from tests.conftest import RepoBuilder, skill_md

pytestmark = pytest.mark.anyio
QUERY = "format changelog entries"
TWINS = ("aaa-changelog", "zzz-changelog")  # the same words: only usage can order them


def twins(path: Path) -> RepoBuilder:
    repo = RepoBuilder(path)
    repo.commit({f"skills/{name}/SKILL.md": skill_md(name, "Formats changelog entries. Use at release.")
                 for name in TWINS}, "two skills that match alike")
    return repo


async def top(relay: Relay) -> list[str]:
    async with Client(relay.mcp) as client:
        result = await client.call_tool("search_skills", {"query": QUERY, "limit": 2})
    return [s["name"] for s in json.loads(result.content[0].text)["skills"]]


def used(skill: str, n: int) -> list[UsageEvent]:
    ts = datetime(2026, 3, 1, tzinfo=UTC)
    return [UsageEvent(ts=ts, skill=skill, tree_id="t", commit_id="c", tool="get_skill")] * n


async def test_without_usage_equal_matches_keep_catalog_order(tmp_path: Path) -> None:
    relay = Relay(ServerOptions(repo=twins(tmp_path / "repo").path, db=None, poll=0))
    relay.holder.refresh()
    assert await top(relay) == list(TWINS)


async def test_recorded_usage_lifts_the_more_used_of_equal_matches(tmp_path: Path) -> None:
    db = tmp_path / "usage.duckdb"
    writer = UsageWriter(db).start()
    for event in used("zzz-changelog", 20) + used("aaa-changelog", 1):
        assert writer.submit(event)
    writer.close()
    relay = Relay(ServerOptions(repo=twins(tmp_path / "repo").path, db=db, poll=0))
    relay.start()
    try:
        relay.holder.refresh()
        assert await top(relay) == ["zzz-changelog", "aaa-changelog"]
    finally:
        relay.stop()


async def test_usage_recorded_while_serving_reranks_without_a_new_commit(tmp_path: Path) -> None:
    relay = Relay(ServerOptions(repo=twins(tmp_path / "repo").path, db=tmp_path / "u.duckdb", poll=0))
    relay.start()
    try:
        relay.holder.refresh()
        assert await top(relay) == list(TWINS)
        async with Client(relay.mcp) as client:
            for _ in range(5):
                await client.call_tool("get_skill", {"name": "zzz-changelog"})
        relay.writer.flush()  # type: ignore[union-attr]
        relay.holder.rerank_after = 0  # due now: the same snapshot re-reads the figures
        assert relay.holder.refresh() is False  # no new commit, no new snapshot...
        assert await top(relay) == ["zzz-changelog", "aaa-changelog"]  # ...but new priors
    finally:
        relay.stop()


async def test_an_unreadable_usage_store_ranks_without_usage(tmp_path: Path) -> None:
    relay = Relay(ServerOptions(repo=twins(tmp_path / "repo").path, db=tmp_path / "u.duckdb", poll=0))

    def broken() -> dict:
        raise OSError("disk gone")

    relay.holder.popularity = broken
    relay.holder.refresh()
    assert relay.holder.current is not None
    assert await top(relay) == list(TWINS)

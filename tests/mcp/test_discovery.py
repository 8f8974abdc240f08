"""Discovering a 1,000-skill catalog costs a host about 2,000 tokens, whatever the catalog's size."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mcp import Client

from mcp_server.app import Relay
from mcp_server.options import ServerOptions
from registry.tokens import estimate_tokens
from tests.conftest import RepoBuilder, skill_md

pytestmark = pytest.mark.anyio
BUDGET = 2000


def big_catalog(path: Path, count: int) -> RepoBuilder:
    repo = RepoBuilder(path)
    repo.commit({f"skills/skill-{i:04d}/SKILL.md": skill_md(
        f"skill-{i:04d}", f"Handles task number {i} for the platform team, with checks and a report. "
                          "Use when someone asks for it.") for i in range(count)}, "many skills")
    return repo


async def discovery_cost(relay: Relay) -> tuple[int, int]:
    """(tokens of tools/list, tokens of the first list_skills page)."""
    async with Client(relay.mcp) as client:
        tools = await client.list_tools()
        first = await client.call_tool("list_skills", {})
    definitions = json.dumps([t.model_dump(by_alias=True, exclude_none=True, mode="json")
                              for t in tools.tools])
    return estimate_tokens(definitions), estimate_tokens(first.content[0].text)


async def test_discovery_of_1000_skills_costs_under_2000_tokens(tmp_path: Path) -> None:
    repo = big_catalog(tmp_path / "big", 1000)
    relay = Relay(ServerOptions(repo=repo.path, db=None, poll=0))
    relay.holder.refresh()
    definitions, page = await discovery_cost(relay)
    assert len(relay.holder.require().names) == 1000
    assert definitions + page <= BUDGET, (definitions, page)

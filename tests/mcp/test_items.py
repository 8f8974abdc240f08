"""Other kinds of items over MCP: slash commands as prompts, completion, item resources,
search with a kind filter, usage per kind and version. `mcp.Client` in process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pygit2
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import PromptReference, ResourceTemplateReference

from mcp_server.app import Relay
from mcp_server.options import ServerOptions
from tests.conftest import RepoBuilder, skill_md
from tests.kinds.fixtures import repository

pytestmark = pytest.mark.anyio
RESTRICTED = "---\ndescription: Rotate the on-call keys\nmetadata:\n  audience: sre\n---\nRotate $1.\n"


@pytest.fixture
def items_repo(tmp_path: Path) -> RepoBuilder:
    repo = RepoBuilder(tmp_path / "items")
    repo.commit({**repository(), "skills/alpha/SKILL.md": skill_md("alpha"),
                 "commands/rotate.md": RESTRICTED}, "items")
    return repo


@pytest.fixture
def relay(items_repo: RepoBuilder, tmp_path: Path) -> Iterator[Relay]:
    service = Relay(ServerOptions(repo=items_repo.path, db=tmp_path / "usage.duckdb", poll=0))
    service.start()
    service.holder.refresh()
    yield service
    service.stop()


async def test_slash_commands_are_prompts_with_their_arguments(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        assert client.server_capabilities.prompts is not None
        assert client.server_capabilities.completions is not None
        prompts = {p.name: p for p in (await client.list_prompts()).prompts}
    assert sorted(prompts) == ["hello", "toolkit:review"]  # rotate is for the sre group only
    review = prompts["toolkit:review"]
    assert review.description == "Review the named files"
    assert [(a.name, a.required) for a in review.arguments] == [("arguments", False), ("arg1", False)]
    assert "[files...]" in (review.arguments[0].description or "")


async def test_get_prompt_substitutes_arguments(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        review = await client.get_prompt("toolkit:review", {"arguments": "a.py 'b c.py'"})
        pinned = await client.get_prompt("toolkit:review", {"arguments": "a.py", "arg1": "z.py"})
        hello = await client.get_prompt("hello", {"arguments": "team"})
        bare = await client.get_prompt("hello")
    assert review.messages[0].role == "user"
    assert review.messages[0].content.text.strip() == (
        "Review these files for defects: a.py 'b c.py'. Focus on a.py first.")
    assert "Focus on z.py first." in pinned.messages[0].content.text
    assert hello.messages[0].content.text == "Say hello to team.\n"
    assert bare.messages[0].content.text == "Say hello to .\n"


async def test_unknown_prompts_and_arguments_are_invalid_params(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        with pytest.raises(MCPError) as unknown:
            await client.get_prompt("toolkit:reveiw")
        with pytest.raises(MCPError) as hidden:
            await client.get_prompt("rotate")
        with pytest.raises(MCPError) as bad_arg:
            await client.get_prompt("hello", {"arg7": "x"})
    assert unknown.value.error.code == hidden.value.error.code == bad_arg.value.error.code == -32602
    assert "unknown prompt 'rotate'" in hidden.value.error.message
    assert "has no argument arg7" in bad_arg.value.error.message


async def test_completion_offers_skill_and_prompt_names(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        prompt = await client.complete(PromptReference(type="ref/prompt", name="toolkit:review"),
                                       {"name": "arguments", "value": "to"})
        skills = await client.complete(ResourceTemplateReference(type="ref/resource",
                                                                 uri="skill://{+path}"),
                                       {"name": "path", "value": "al"})
        kinds = await client.complete(ResourceTemplateReference(type="ref/resource",
                                                                uri="item://{kind}/{+name}"),
                                      {"name": "kind", "value": "ag"})
    assert prompt.completion.values == ["toolkit:lint", "toolkit:review"]
    assert skills.completion.values == ["alpha"]
    assert kinds.completion.values == ["agent"]


async def test_items_are_resources(relay: Relay, items_repo: RepoBuilder) -> None:
    async with Client(relay.mcp) as client:
        agent = await client.read_resource("item://agent/toolkit:reviewer")
        plugin = await client.read_resource("item://plugin/toolkit")
        with pytest.raises(MCPError) as unknown:
            await client.read_resource("item://agent/nobody")
    assert "You are a careful reviewer." in agent.contents[0].text
    assert "agent/toolkit:reviewer" in plugin.contents[0].text
    assert unknown.value.error.code == -32602


async def test_search_filters_by_kind(relay: Relay) -> None:
    import json

    async with Client(relay.mcp) as client:
        agents = await client.call_tool("search_skills", {"query": "review", "kind": "agent"})
        every = await client.call_tool("search_skills", {"query": "toolkit", "kind": "all"})
        skills = await client.call_tool("search_skills", {"query": "lint"})
        bad = await client.call_tool("search_skills", {"query": "x", "kind": "robot"})
    found = json.loads(agents.content[0].text)["skills"]
    # the name counts three times a description word: the reviewer first, the planner (whose
    # description says "Reviews") next
    assert [(r["kind"], r["name"]) for r in found] == [("agent", "toolkit:reviewer"), ("agent", "planner")]
    kinds = {r["kind"] for r in json.loads(every.content[0].text)["skills"]}
    assert kinds == {"agent", "command", "plugin", "skill", "hooks", "mcp"}
    assert [r["name"] for r in json.loads(skills.content[0].text)["skills"]] == ["toolkit:lint"]
    assert bad.is_error and "unknown kind 'robot'" in bad.content[0].text


async def test_usage_is_recorded_per_kind_and_version(relay: Relay, items_repo: RepoBuilder) -> None:
    async with Client(relay.mcp) as client:
        await client.get_prompt("toolkit:review", {"arguments": "x"})
        await client.read_resource("item://agent/toolkit:reviewer")
    assert relay.writer is not None
    relay.writer.flush()
    rows = relay.writer.query(lambda c: c.execute(
        "SELECT skill, tree_id, tool FROM usage ORDER BY tool").fetchall())
    repo = pygit2.Repository(str(items_repo.path))
    blob = {p: str(repo.revparse_single(f"HEAD:{p}").id) for p in (
        "plugins/toolkit/commands/review.md", "plugins/toolkit/agents/reviewer.md")}
    assert rows == [("command/toolkit:review", blob["plugins/toolkit/commands/review.md"], "prompts/get"),
                    ("agent/toolkit:reviewer", blob["plugins/toolkit/agents/reviewer.md"],
                     "resources/read")]

"""What hosts rely on: capabilities per protocol version, ids, media types, caching, bounds, errors."""

from __future__ import annotations

import json

import httpx
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from mcp_server.app import Relay
from tests.mcp.conftest import LiveServer
from tests.mcp.conftest import send as _send

pytestmark = pytest.mark.anyio
YEAR_MS = 365 * 24 * 3600 * 1000


def _post(url: str, body: dict, session: str | None = None, version: str | None = None) -> httpx.Response:
    headers = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
    if session:
        headers["mcp-session-id"] = session
    if version:
        headers["mcp-protocol-version"] = version
    return httpx.post(f"{url}/mcp", json=body, headers=headers, timeout=10)


def _rpc(response: httpx.Response) -> dict:
    """The JSON-RPC message of a JSON or SSE response."""
    if response.headers["content-type"].startswith("text/event-stream"):
        data = [line[5:] for line in response.text.splitlines() if line.startswith("data:")]
        return json.loads(data[-1])
    return response.json()


@pytest.mark.parametrize("version", ["2025-06-18", "2025-11-25"])
def test_handshake_era_hosts_see_the_extension_and_no_empty_prompts(live: LiveServer, version: str) -> None:
    init = _post(live.url, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}})
    result = _rpc(init)["result"]
    assert result["protocolVersion"] == version
    caps = result["capabilities"]
    assert caps["extensions"] == {"io.modelcontextprotocol/skills": {}}
    assert "prompts" not in caps and {"tools", "resources"} <= set(caps)
    session = init.headers["mcp-session-id"]
    _post(live.url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, session, version)
    bad = _rpc(_post(live.url, {"jsonrpc": "2.0", "id": 2, "method": "skills/list",
                                "params": {"cursor": "not-a-cursor"}}, session, version))
    assert bad["error"]["code"] == -32602


async def test_modern_era_declares_the_same(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        caps = client.server_capabilities
    assert "io.modelcontextprotocol/skills" in (caps.extensions or {})
    assert caps.prompts is None and caps.tools is not None and caps.resources is not None


async def test_pinned_uris_accept_short_ids_and_are_immutable(relay: Relay) -> None:
    old = relay.holder.require().versions("alpha")[0]
    short = old.tree_id[:12]
    async with Client(relay.mcp) as client:
        got = await _send(client, "skills/get", {"uri": f"skill://v/{short}/alpha/SKILL.md"})
        read = await _send(client, "resources/read", {"uri": f"skill://v/{short}/alpha/SKILL.md"})
        latest = await _send(client, "resources/read", {"uri": "skill://alpha/SKILL.md"})
        for uri in (f"skill://v/{old.tree_id[:5]}/alpha/SKILL.md", "skill://v/zzzzzzzzzzzz/alpha/SKILL.md"):
            with pytest.raises(MCPError) as err:
                await client.read_resource(uri)
            assert err.value.error.code == -32602
    assert got["skill"]["uri"] == f"skill://v/{old.tree_id}/alpha/SKILL.md"
    assert got["ttlMs"] >= YEAR_MS and got["cacheScope"] == "public"
    assert read["ttlMs"] >= YEAR_MS and read["cacheScope"] == "public"
    assert read["contents"][0]["mimeType"] == "text/markdown"
    assert 0 < latest["ttlMs"] < YEAR_MS


async def test_media_types_by_file(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        types = {uri: (await client.read_resource(uri)).contents[0].mime_type for uri in (
            "skill://alpha/references/guide.md", "skill://alpha/scripts/run.py", "skill://alpha/assets/logo.png")}
    assert types == {"skill://alpha/references/guide.md": "text/markdown",
                     "skill://alpha/scripts/run.py": "text/x-python",
                     "skill://alpha/assets/logo.png": "image/png"}


async def test_resources_list_pages_through_every_skill_md(relay: Relay,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mcp_server.resources.LIST_PAGE", 2)
    async with Client(relay.mcp) as client:
        first = await client.list_resources()
        second = await client.list_resources(cursor=first.next_cursor)
        templates = await client.list_resource_templates()
        with pytest.raises(MCPError) as err:
            await client.list_resources(cursor="bogus")
    listed = [r.uri for r in first.resources + second.resources]
    assert listed == ["skill://alpha/SKILL.md", "skill://beta/SKILL.md", "skill://gamma/SKILL.md"]
    assert second.next_cursor is None and first.resources[0].mime_type == "text/markdown"
    assert first.resources[1].description == "Writes beta release notes. Use at release."
    assert {t.uri_template for t in templates.resource_templates} == {
        "skill://{name}/{+path}", "skill://v/{tree_id}/{name}/{+path}",
        "item://{kind}/{+name}"}  # subagents, commands, plugins... (docs/kinds.md)
    assert err.value.error.code == -32602


async def test_tool_parameters_carry_descriptions_and_bounds(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    for tool in tools.values():
        assert tool.description and "\n" not in tool.description and "  " not in tool.description
        for name, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), (tool.name, name)
    rating = tools["rate_skill"].input_schema["properties"]["rating"]
    assert (rating["minimum"], rating["maximum"]) == (1, 5)
    limit = tools["list_skills"].input_schema["properties"]["limit"]
    assert (limit["minimum"], limit["maximum"]) == (1, 100)


@pytest.mark.parametrize(("tool", "args"), [
    ("list_skills", {"limit": -1}), ("list_skills", {"limit": 101}),
    ("search_skills", {"query": "x", "limit": 0}), ("list_skill_versions", {"name": "alpha", "limit": 1000}),
    ("rate_skill", {"name": "beta", "rating": 0}), ("rate_skill", {"name": "beta", "rating": 6}),
    ("rate_skill", {"name": "beta", "rating": 3, "minutes_saved": -5}),
])
async def test_out_of_range_arguments_are_refused_not_clamped(relay: Relay, tool: str, args: dict) -> None:
    async with Client(relay.mcp) as client:
        result = await client.call_tool(tool, args)
    assert result.is_error


async def test_errors_name_tools_not_shell_commands(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        missing = await client.call_tool("get_skill", {"name": "alpha", "version": "9.9.9"})
        unknown = await client.call_tool("get_skill", {"name": "alhpa"})
    message = missing.content[0].text
    assert missing.is_error and "list_skill_versions with name='alpha'" in message and "relay " not in message
    assert unknown.is_error and "did you mean alpha" in unknown.content[0].text


async def test_unknown_tool_is_a_protocol_error(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        with pytest.raises(MCPError) as err:
            await client.call_tool("no_such_tool", {})
        listed = await client.call_tool("list_skills", {})  # known tools still run
    assert err.value.error.code == -32602 and "no_such_tool" in err.value.error.message
    assert not listed.is_error

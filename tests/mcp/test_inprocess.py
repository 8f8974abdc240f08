"""Every tool and Skills-extension method through `mcp.Client` connected in process."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from mcp_server.app import Relay
from mcp_server.skills_extension import IDENTIFIER
from tests.mcp.conftest import PNG
from tests.mcp.conftest import send as _send

pytestmark = pytest.mark.anyio


def text(result) -> str:  # type: ignore[no-untyped-def]
    return "".join(block.text for block in result.content)


def data(result) -> dict:  # type: ignore[no-untyped-def]
    assert not result.is_error, text(result)
    return json.loads(result.content[0].text)


async def test_tools_are_the_six_with_short_descriptions(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert set(tools) == {"search_skills", "list_skills", "get_skill", "read_skill_file",
                          "list_skill_versions", "rate_skill"}
    assert all(len(t.description or "") < 200 for t in tools.values())


async def test_search_returns_names_descriptions_tokens_scores_only(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        found = data(await client.call_tool("search_skills", {"query": "release notes"}))
        tagged = data(await client.call_tool("search_skills", {"query": "", "tags": ["review"]}))
        category = data(await client.call_tool("search_skills", {"query": "", "category": "engineering"}))
    assert found["skills"][0]["name"] == "beta"
    assert set(found["skills"][0]) == {"name", "description", "tokens", "score", "match", "words_matched"}
    assert [s["name"] for s in tagged["skills"]] == ["alpha"]
    assert [s["name"] for s in category["skills"]] == ["alpha"]


async def test_list_pages_with_a_cursor(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        first = data(await client.call_tool("list_skills", {"limit": 2}))
        second = data(await client.call_tool("list_skills", {"limit": 2, "cursor": first["next_cursor"]}))
        bad = await client.call_tool("list_skills", {"cursor": "!!!"})
    assert [s["name"] for s in first["skills"]] == ["alpha", "beta"]
    assert [s["name"] for s in second["skills"]] == ["gamma"] and "next_cursor" not in second
    assert first["total"] == 3 and first["skills"][0]["description"] == "Reviews alpha code. Use for alpha."
    assert bad.is_error


async def test_get_skill_latest_and_pinned(relay: Relay, catalog) -> None:  # type: ignore[no-untyped-def]
    versions = relay.holder.require().versions("alpha")
    old, new = versions[0], versions[-1]
    async with Client(relay.mcp) as client:
        latest = await client.call_tool("get_skill", {"name": "alpha"})
        by_tag = await client.call_tool("get_skill", {"name": "alpha", "version": "1.0.0"})
        by_tree = await client.call_tool("get_skill", {"name": "alpha", "version": old.tree_id[:10]})
        by_commit = await client.call_tool("get_skill", {"name": "alpha", "version": new.commit_id})
        by_meta = await client.call_tool("get_skill", {"name": "gamma", "version": "2.0.0"})
    head = data(latest)
    assert head["version"]["tree_id"] == new.tree_id
    # The symlink link.md is not listed: links are never served (registry.content).
    assert {f["path"] for f in head["files"]} == {"references/guide.md", "scripts/run.py",
                                                 "assets/logo.png"}
    assert "See references/guide.md" in latest.content[1].text
    assert data(by_tag)["version"]["tree_id"] == old.tree_id
    assert "See references" not in by_tag.content[1].text
    assert data(by_tree)["version"]["tree_id"] == old.tree_id
    assert data(by_commit)["version"]["tree_id"] == new.tree_id
    assert data(by_meta)["name"] == "gamma"


async def test_unknown_skill_and_version_are_clear_errors(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        skill = await client.call_tool("get_skill", {"name": "alpah"})
        version = await client.call_tool("get_skill", {"name": "alpha", "version": "9.9.9"})
        versions = await client.call_tool("list_skill_versions", {"name": "nope"})
    assert skill.is_error and "did you mean alpha" in text(skill)
    assert version.is_error and "no version '9.9.9'" in text(version)
    assert versions.is_error


async def test_read_skill_file_text_binary_and_cap(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        guide = await client.call_tool("read_skill_file", {"name": "alpha", "path": "references/guide.md"})
        logo = await client.call_tool("read_skill_file", {"name": "alpha", "path": "assets/logo.png"})
        missing = await client.call_tool("read_skill_file", {"name": "alpha", "path": "nope.md"})
        relay.service.max_read_bytes = 10
        capped = await client.call_tool("read_skill_file", {"name": "alpha", "path": "references/guide.md"})
    assert text(guide) == "# Guide\n\nRead me.\n"
    assert base64.b64decode(data(logo)["data"]) == PNG
    assert missing.is_error and "get_skill lists its files" in text(missing)
    assert capped.is_error and "resources/read" in text(capped)


@pytest.mark.parametrize("path", ["../beta/SKILL.md", "/etc/passwd", "references/../../beta/SKILL.md",
                                  "%2e%2e/beta/SKILL.md", "..%2fbeta%2fSKILL.md", "references\\guide.md",
                                  "link.md", "C:/windows"])
async def test_traversal_is_refused_in_tools(relay: Relay, path: str) -> None:
    async with Client(relay.mcp) as client:
        result = await client.call_tool("read_skill_file", {"name": "alpha", "path": path})
    assert result.is_error
    assert any(word in text(result) for word in ("not allowed", "leave the skill", "symbolic link"))


@pytest.mark.parametrize("uri", ["skill://alpha/../beta/SKILL.md", "skill://alpha/%2e%2e/beta/SKILL.md",
                                 "skill://alpha/references%2f..%2f..%2fbeta/SKILL.md",
                                 "skill://alpha/link.md", "skill://alpha/references\\guide.md"])
async def test_traversal_is_refused_in_resources(relay: Relay, uri: str) -> None:
    async with Client(relay.mcp) as client:
        with pytest.raises(MCPError) as err:
            await client.read_resource(uri)
    assert err.value.error.code == -32602 and "refused" in err.value.error.message


async def test_versions_newest_first(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        found = data(await client.call_tool("list_skill_versions", {"name": "alpha"}))
    assert found["total"] == 2
    assert found["versions"][0]["message"] == "alpha: add files"
    assert found["versions"][1]["tags"] == ["alpha@1.0.0"]


async def test_rate_skill_validates(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        ok = data(await client.call_tool("rate_skill", {"name": "beta", "rating": 5, "minutes_saved": 30}))
        bad = await client.call_tool("rate_skill", {"name": "beta", "rating": 6})
    assert ok["ok"] is True and bad.is_error




async def test_skills_extension_declared_with_resources(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        caps = client.server_capabilities
    assert IDENTIFIER in (caps.extensions or {})
    assert caps.resources is not None


async def test_skills_list_entries_and_digests_match_reads(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        listing = await _send(client, "skills/list", {})
        assert listing["resultType"] == "complete" and listing["cacheScope"] == "public"
        assert listing["ttlMs"] > 0
        entries = {e["frontmatter"]["name"]: e for e in listing["skills"]}
        alpha = entries["alpha"]
        assert alpha["uri"] == "skill://alpha/SKILL.md"
        assert alpha["frontmatter"]["metadata"]["tags"] == "review,code"
        assert {r["uri"] for r in alpha["resources"]} == {
            "skill://alpha/SKILL.md", "skill://alpha/references/guide.md", "skill://alpha/scripts/run.py",
            "skill://alpha/assets/logo.png"}
        for res in alpha["resources"]:
            read = await client.read_resource(res["uri"])
            item = read.contents[0]
            raw = base64.b64decode(item.blob) if hasattr(item, "blob") else item.text.encode()
            assert res["digest"] == "sha256:" + hashlib.sha256(raw).hexdigest()
            assert res["size"] == len(raw)


async def test_skills_list_paginates(relay: Relay, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mcp_server.skills_extension.LIST_PAGE", 2)
    async with Client(relay.mcp) as client:
        first = await _send(client, "skills/list", {})
        second = await _send(client, "skills/list", {"cursor": first["nextCursor"]})
    assert len(first["skills"]) == 2 and len(second["skills"]) == 1 and "nextCursor" not in second


async def test_skills_get_latest_pinned_and_unknown(relay: Relay) -> None:
    old = relay.holder.require().versions("alpha")[0]
    async with Client(relay.mcp) as client:
        got = await _send(client, "skills/get", {"uri": "skill://alpha/SKILL.md"})
        pinned_uri = f"skill://v/{old.tree_id}/alpha/SKILL.md"
        pinned = await _send(client, "skills/get", {"uri": pinned_uri})
        pinned_read = await client.read_resource(pinned_uri)
        for uri in ("skill://nope/SKILL.md", "skill://alpha/README.md",
                    f"skill://v/{'0' * 40}/alpha/SKILL.md", "file:///etc/passwd"):
            with pytest.raises(MCPError) as err:
                await _send(client, "skills/get", {"uri": uri})
            assert err.value.error.code == -32602
    assert got["skill"]["uri"] == "skill://alpha/SKILL.md" and got["resultType"] == "complete"
    assert pinned["skill"]["uri"] == pinned_uri
    assert [r["uri"] for r in pinned["skill"]["resources"]] == [pinned_uri]
    assert "See references" not in pinned_read.contents[0].text


async def test_unknown_resource_is_invalid_params(relay: Relay) -> None:
    async with Client(relay.mcp) as client:
        with pytest.raises(MCPError) as err:
            await client.read_resource("skill://alpha/nope.md")
    assert err.value.error.code == -32602



def test_token_owner_with_quotes_is_refused_clearly(tmp_path) -> None:
    import pytest

    from mcp_server.auth import add_token, load_tokens
    from registry.errors import ConfigError

    path = tmp_path / "tokens.toml"
    with pytest.raises(ConfigError, match="without quotes"):
        add_token(path, 'Ada "the first"')
    token, record = add_token(path, "grace")
    assert [r.owner for r in load_tokens(path).values()] == ["grace"]
    assert token not in path.read_text()

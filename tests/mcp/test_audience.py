"""Who may see what: an item with `metadata.audience` is served only to callers in its groups.

For everyone else it does not exist: every tool, the Skills extension and
resources/read answer for it exactly as for a name that never existed. The
site build leaves it out unless built for its audience.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from mcp_server.auth import add_token
from mcp_server.options import ServerOptions
from registry.cli import main
from tests.conftest import RepoBuilder, skill_md
from tests.mcp.conftest import LiveServer, free_port, send

HIDDEN, UNKNOWN = "vault-ops", "zzzzqqqq"  # neither has a close match among the catalog's names


def restricted(name: str, description: str, audience: str) -> str:
    return skill_md(name, description, tags="ops").replace('  tags: "ops"\n',
                                                          f'  tags: "ops"\n  audience: "{audience}"\n')


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("audience")
    repo = RepoBuilder(root / "repo")
    repo.commit({"skills/open-notes/SKILL.md": skill_md("open-notes", "Writes ops notes for all.",
                                                        tags="ops"),
                 f"skills/{HIDDEN}/SKILL.md": restricted(HIDDEN, "Rotates ops vault secrets.",
                                                         "SRE, security"),
                 f"skills/{HIDDEN}/references/runbook.md": "# Runbook\n"}, "skills")
    tokens = root / "tokens.toml"
    sre, _ = add_token(tokens, "sam", ("sre",))
    other, _ = add_token(tokens, "ola", ("sales",))
    options = ServerOptions(repo=repo.path, port=free_port(), db=root / "usage.duckdb", poll=0,
                            tokens=tokens, rate_limit=1000, audit_log=None)
    with LiveServer(options) as live:
        live.tokens = {"sre": sre, "other": other}  # type: ignore[attr-defined]
        live.repo = repo  # type: ignore[attr-defined]
        yield live


async def _everything(server: LiveServer, token: str) -> dict[str, object]:
    """What one caller sees through every discovery and read path, errors as their messages."""
    http = httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"})
    seen: dict[str, object] = {}
    async with http, Client(streamable_http_client(f"{server.url}/mcp", http_client=http)) as client:
        listed = json.loads((await client.call_tool("list_skills", {})).content[0].text)
        seen["list"] = [s["name"] for s in listed["skills"]]
        seen["total"] = listed["total"]
        found = json.loads((await client.call_tool("search_skills", {"query": "ops"})).content[0].text)
        seen["search"] = [s["name"] for s in found["skills"]]
        seen["skills/list"] = [s["uri"] for s in (await send(client, "skills/list", {}))["skills"]]
        seen["resources/list"] = [r["uri"] for r in (await send(client, "resources/list", {}))["resources"]]
        for name in (HIDDEN, UNKNOWN):
            for tool, args in (("get_skill", {}), ("list_skill_versions", {}),
                               ("read_skill_file", {"path": "references/runbook.md"}),
                               ("rate_skill", {"rating": 5})):
                result = await client.call_tool(tool, {"name": name, **args})
                seen[f"{tool}:{name}"] = (result.is_error, result.content[0].text.replace(name, "NAME"))
            for method, params in (("skills/get", {"uri": f"skill://{name}/SKILL.md"}),
                                   ("resources/read", {"uri": f"skill://{name}/SKILL.md"})):
                try:
                    await send(client, method, params)
                    seen[f"{method}:{name}"] = "ok"
                except MCPError as exc:
                    seen[f"{method}:{name}"] = (exc.error.code, exc.error.message.replace(name, "NAME"))
    return seen


@pytest.mark.anyio
async def test_a_hidden_item_answers_exactly_like_an_unknown_one(server: LiveServer) -> None:
    seen = await _everything(server, server.tokens["other"])  # type: ignore[attr-defined]
    assert seen["list"] == ["open-notes"] and seen["total"] == 1
    assert seen["search"] == ["open-notes"]
    assert seen["skills/list"] == ["skill://open-notes/SKILL.md"]
    assert seen["resources/list"] == ["skill://open-notes/SKILL.md"]
    for key in ("get_skill", "list_skill_versions", "read_skill_file", "rate_skill", "skills/get",
                "resources/read"):
        hidden, unknown = seen[f"{key}:{HIDDEN}"], seen[f"{key}:{UNKNOWN}"]
        assert hidden == unknown, key
        assert hidden != "ok" and (not isinstance(hidden, tuple) or hidden[0] is not False), key


@pytest.mark.anyio
async def test_a_member_of_the_audience_sees_and_reads_it(server: LiveServer) -> None:
    seen = await _everything(server, server.tokens["sre"])  # type: ignore[attr-defined]
    assert seen["list"] == ["open-notes", HIDDEN] or sorted(seen["list"]) == sorted(["open-notes", HIDDEN])
    assert HIDDEN in seen["search"] and f"skill://{HIDDEN}/SKILL.md" in seen["skills/list"]
    assert f"skill://{HIDDEN}/SKILL.md" in seen["resources/list"]
    assert seen[f"get_skill:{HIDDEN}"][0] is False  # type: ignore[index]
    assert seen[f"read_skill_file:{HIDDEN}"] == (False, "# Runbook\n")
    assert seen[f"resources/read:{HIDDEN}"] == "ok"


def test_the_site_leaves_restricted_items_out_unless_built_for_their_audience(
        server: LiveServer, tmp_path: Path) -> None:
    repo = server.repo  # type: ignore[attr-defined]
    runner = CliRunner()
    public, sre = tmp_path / "public", tmp_path / "sre"
    assert runner.invoke(main, ["build", "--repo", str(repo.path), "--out", str(public)]).exit_code == 0
    result = runner.invoke(main, ["build", "--repo", str(repo.path), "--out", str(sre),
                                  "--audience", "Security"])
    assert result.exit_code == 0, result.output
    names = [s["name"] for s in json.loads((public / "catalog.json").read_text())["skills"]]
    assert names == ["open-notes"]
    assert not (public / "skills" / HIDDEN).exists()
    leaked = [p for p in public.rglob("*") if p.is_file() and HIDDEN.encode() in p.read_bytes()]
    assert leaked == []
    names = [s["name"] for s in json.loads((sre / "catalog.json").read_text())["skills"]]
    assert sorted(names) == sorted(["open-notes", HIDDEN]) and (sre / "skills" / HIDDEN).is_dir()

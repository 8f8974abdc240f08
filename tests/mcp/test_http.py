"""End to end over HTTP: a real uvicorn server, a real `mcp.Client` by URL, real HTTP checks."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from mcp import Client

from mcp_server.auth import add_token
from mcp_server.hooks import signature
from mcp_server.options import ServerOptions
from tests.conftest import skill_md
from tests.mcp.conftest import LiveServer, build_catalog, free_port, send

pytestmark = pytest.mark.anyio


async def test_tools_and_extension_over_http(live: LiveServer) -> None:
    async with Client(f"{live.url}/mcp") as client:
        listing = await send(client, "skills/list", {})
        got = await client.call_tool("get_skill", {"name": "beta"})
        read = await client.read_resource("skill://alpha/references/guide.md")
    assert {e["frontmatter"]["name"] for e in listing["skills"]} == {"alpha", "beta", "gamma"}
    assert not got.is_error and "Writes beta release notes" in got.content[1].text
    assert read.contents[0].text == "# Guide\n\nRead me.\n"


def test_health_ready_metrics(live: LiveServer) -> None:
    assert httpx.get(f"{live.url}/healthz").text == "ok\n"
    assert httpx.get(f"{live.url}/readyz").json()["skills"] >= 3
    metrics = httpx.get(f"{live.url}/metrics").text
    for name in ("relay_http_requests_total", "relay_http_request_duration_seconds_bucket",
                 "relay_skills_served_total", "relay_usage_queue_depth", "relay_usage_events_written_total",
                 "relay_usage_events_dropped_total"):
        assert name in metrics


def test_foreign_host_and_origin_are_refused(live: LiveServer) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    foreign_host = httpx.post(f"{live.url}/mcp", json=body, headers={"Host": "evil.example"})
    assert foreign_host.status_code in (400, 421)
    assert httpx.post(f"{live.url}/mcp", json=body, headers={"Origin": "http://evil.example"}).status_code \
        in (400, 403)


def test_oversized_body_is_refused(live: LiveServer) -> None:
    big = {"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"x": "a" * (2 * 1024 * 1024)}}
    accept = {"Accept": "application/json, text/event-stream"}
    response = httpx.post(f"{live.url}/mcp", json=big, headers=accept)
    assert response.status_code == 413


async def test_usage_rows_equal_calls_with_versions(live: LiveServer) -> None:
    before = _uses(live, "gamma")
    async with Client(f"{live.url}/mcp") as client:
        for _ in range(5):
            await client.call_tool("get_skill", {"name": "gamma"})
    for _ in range(3):  # one client each: a client may answer a repeated read from its cache (ttlMs)
        async with Client(f"{live.url}/mcp") as client:
            await client.read_resource("skill://gamma/SKILL.md")
    rows = httpx.get(f"{live.url}/api/usage", params={"by": "version"}).json()["rows"]
    gamma = [r for r in rows if r["skill"] == "gamma"]
    tree = live.relay.holder.require().skills["gamma"].latest.tree_id
    assert len(gamma) == 1 and gamma[0]["tree_id"] == tree
    assert _uses(live, "gamma") - before == 8


def _uses(live: LiveServer, skill: str) -> int:
    rows = httpx.get(f"{live.url}/api/usage").json()["rows"]
    return next((r["uses"] for r in rows if r["skill"] == skill), 0)


def test_new_commit_visible_by_poll_and_by_hook(live: LiveServer) -> None:
    repo = live.repo  # type: ignore[attr-defined]
    repo.commit({"skills/delta/SKILL.md": skill_md("delta", "Polls.")}, "add delta")
    deadline = time.monotonic() + 60  # generous: a loaded CI machine polls late
    while "delta" not in live.relay.holder.require().skills and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "delta" in live.relay.holder.require().skills

    payload = json.dumps({"ref": "refs/heads/main"}).encode()
    bad = httpx.post(f"{live.url}/hooks/git", content=payload, headers={"X-Hub-Signature-256": "sha256=00"})
    assert bad.status_code == 401
    live.relay.options.poll = 3600  # from now on only the hook can refresh in time
    time.sleep(0.3)
    repo.commit({"skills/epsilon/SKILL.md": skill_md("epsilon", "Hooked.")}, "add epsilon")
    good = httpx.post(f"{live.url}/hooks/git", content=payload, timeout=60,
                      headers={"X-Hub-Signature-256": signature("s3cret", payload)})
    assert good.status_code == 200 and good.json()["changed"] is True
    assert "epsilon" in live.relay.holder.require().skills


def test_fetch_remote_serves_the_remote_branch(tmp_path: Path) -> None:
    import subprocess

    origin = build_catalog(tmp_path / "origin")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(origin.path), str(clone)], check=True)
    from mcp_server.snapshot import CatalogHolder

    holder = CatalogHolder(clone, fetch_remote="origin")
    assert holder.refresh() and "zeta" not in holder.require().skills
    origin.commit({"skills/zeta/SKILL.md": skill_md("zeta", "Fetched.")}, "add zeta")
    assert holder.refresh() and "zeta" in holder.require().skills


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("secured")
    repo = build_catalog(root / "catalog")
    tokens = root / "tokens.toml"
    token, _ = add_token(tokens, "ada")
    options = ServerOptions(repo=repo.path, port=free_port(), db=root / "usage.duckdb", poll=0,
                            tokens=tokens, rate_limit=2)
    with LiveServer(options) as server:
        server.token = token  # type: ignore[attr-defined]
        yield server


async def test_auth_refused_and_accepted(secured: LiveServer) -> None:
    token = secured.token  # type: ignore[attr-defined]
    anonymous = httpx.post(f"{secured.url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert anonymous.status_code == 401
    wrong = httpx.post(f"{secured.url}/mcp", json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                       headers={"Authorization": "Bearer relay_wrong"})
    assert wrong.status_code == 401
    assert httpx.get(f"{secured.url}/api/usage").status_code == 401
    time.sleep(1.5)  # refill the bucket
    http = httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"})
    from mcp.client.streamable_http import streamable_http_client

    async with http, Client(streamable_http_client(f"{secured.url}/mcp", http_client=http)) as client:
        result = await client.call_tool("get_skill", {"name": "alpha"})
    assert not result.is_error
    rows = httpx.get(f"{secured.url}/api/usage", headers={"Authorization": f"Bearer {token}"}).json()
    assert rows["rows"][0]["users"] == 1


def test_rate_limit_answers_429(secured: LiveServer) -> None:
    headers = {"Authorization": f"Bearer {secured.token}"}  # type: ignore[attr-defined]
    time.sleep(1.5)  # refill the bucket the previous test used
    codes = [httpx.get(f"{secured.url}/api/usage", headers=headers).status_code for _ in range(12)]
    assert 429 in codes and codes[0] == 200


def test_non_loopback_refuses_without_auth() -> None:
    from registry.errors import ConfigError

    with pytest.raises(ConfigError, match="without authentication"):
        ServerOptions(host="10.0.0.5").check()
    ServerOptions(host="10.0.0.5", insecure=True).check()


def test_every_address_needs_allowed_hosts() -> None:
    """`--host 0.0.0.0 --insecure` once turned the Host and Origin checks off."""
    from registry.errors import ConfigError

    with pytest.raises(ConfigError, match="--allowed-host"):
        ServerOptions(host="0.0.0.0", insecure=True).check()
    ServerOptions(host="0.0.0.0", insecure=True, allowed_hosts=["relay.example.com:*"]).check()

"""Hostile requests against a real server: every route's Host, Origin and auth checks, bounded
bodies and arguments, malformed JSON-RPC ids, oversized files, and the small crashes of issue 10.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from mcp_server.app import Relay
from mcp_server.auth import add_token
from mcp_server.hooks import signature
from mcp_server.options import ServerOptions
from registry.errors import ConfigError
from tests.conftest import RepoBuilder

from .conftest import LiveServer, build_catalog, free_port

RELAY = str(Path(sys.executable).parent / "relay")
SECRET = "s3cret"
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
# One self-contained tools/call (the 2026 protocol needs no session), as in test_process.py.
CALL = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "get_skill", "arguments": {"name": "beta"}, "_meta": {
            "io.modelcontextprotocol/protocolVersion": "2026-07-28",
            "io.modelcontextprotocol/clientInfo": {"name": "curl", "version": "1"},
            "io.modelcontextprotocol/clientCapabilities": {}}}}
CALL_HEADERS = {"MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Mcp-Name": "get_skill"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A server with tokens, a hook secret and a site, so every route exists."""
    root = tmp_path_factory.mktemp("hostile-service")
    repo = build_catalog(root / "catalog")
    site = root / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>catalog</h1>\n", encoding="utf-8")
    tokens = root / "tokens.toml"
    token, _ = add_token(tokens, "ada")
    options = ServerOptions(repo=repo.path, port=free_port(), db=root / "usage.duckdb", poll=0,
                            tokens=tokens, rate_limit=1000, hook_secret=SECRET, site=site)
    with LiveServer(options) as server:
        server.token = token  # type: ignore[attr-defined]
        yield server


def request(server: LiveServer, route: str, **headers: str) -> httpx.Response:
    """One request to `route` the way a client would make it (POST for /mcp and the hook)."""
    url = server.url + route
    if route == "/mcp":
        return httpx.post(url, json=CALL, headers={**MCP_HEADERS, **CALL_HEADERS, **headers})
    if route == "/hooks/git":
        body = b'{"zen": "hi"}'
        return httpx.post(url, content=body, headers={"X-Hub-Signature-256": signature(SECRET, body),
                                                      "X-GitHub-Event": "ping", **headers})
    return httpx.get(url, headers=headers)


ROUTES = ["/mcp", "/metrics", "/api/usage", "/hooks/git", "/index.html", "/healthz", "/readyz"]


@pytest.mark.parametrize("route", ROUTES)
def test_a_foreign_host_is_refused_on_every_route(served: LiveServer, route: str) -> None:
    response = request(served, route, Host="evil.example:80", Authorization=f"Bearer {served.token}")
    if route in ("/healthz", "/readyz"):  # probes dial the pod's address: status only, no details
        assert response.status_code == 200
        assert "revision" not in response.text and "skills" not in response.text
    else:
        assert response.status_code == 421, response.text


@pytest.mark.parametrize("route", ROUTES)
def test_a_foreign_origin_is_refused_on_every_route(served: LiveServer, route: str) -> None:
    response = request(served, route, Origin="https://evil.example",
                       Authorization=f"Bearer {served.token}")
    if route in ("/healthz", "/readyz"):
        assert response.status_code == 200 and "revision" not in response.text
    else:
        assert response.status_code == 403, response.text


@pytest.mark.parametrize(("route", "anonymous"), [
    ("/mcp", 401), ("/api/usage", 401),
    ("/metrics", 200),  # without the series that name skills (below)
    ("/hooks/git", 200),  # GitHub signs with the HMAC secret; a bearer token is not its way
    ("/index.html", 200),  # the static catalog: browsers send no bearer token (docs/security.md)
    ("/healthz", 200), ("/readyz", 200)])
def test_auth_on_every_route(served: LiveServer, route: str, anonymous: int) -> None:
    assert request(served, route).status_code == anonymous
    signed = request(served, route, Authorization=f"Bearer {served.token}")
    assert signed.status_code == 200, signed.text
    if route == "/readyz":  # details for an allowed Host, as probes on loopback need
        assert signed.json()["skills"] == 3 and request(served, route).json()["skills"] == 3
    if route == "/metrics":
        assert request(served, "/mcp", Authorization=f"Bearer {served.token}").status_code == 200
        anonymous_text = request(served, route).text
        signed_text = request(served, route, Authorization=f"Bearer {served.token}").text
        assert 'skill="beta"' in signed_text and 'skill="' not in anonymous_text
        assert "relay_catalog_skills" in anonymous_text


def test_the_hook_needs_its_signature(served: LiveServer) -> None:
    body = b'{"zen": "hi"}'
    for header in ("sha256=" + "0" * 64, "sha256=ü" + "0" * 63, ""):
        response = httpx.post(served.url + "/hooks/git", content=body,
                              headers={"X-Hub-Signature-256": header.encode("utf-8")} if header else {})
        assert response.status_code == 401, (header, response.text)


def test_a_chunked_hook_body_is_cut_off_at_the_limit(served: LiveServer) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:  # no Content-Length: the size is only known by reading
        nonlocal sent
        for _ in range(8):
            sent += 1
            yield b"x" * (512 * 1024)

    response = httpx.post(served.url + "/hooks/git", content=chunks(),
                          headers={"X-Hub-Signature-256": "sha256=00"})
    assert response.status_code == 413


@pytest.mark.parametrize("raw_id", ["{}", "1e400", "NaN", "1.5", "true", "[1]"])
def test_unusable_jsonrpc_ids_get_an_answer(served: LiveServer, raw_id: str) -> None:
    body = '{"jsonrpc": "2.0", "id": ' + raw_id + ', "method": "tools/list"}'
    response = httpx.post(served.url + "/mcp", content=body,
                          headers={**MCP_HEADERS, "Authorization": f"Bearer {served.token}"})
    assert response.status_code == 400
    answer = response.json()
    assert answer["id"] is None and answer["error"]["code"] == -32600


def _big_catalog(path: Path) -> RepoBuilder:
    repo = build_catalog(path)
    repo.commit({"skills/beta/assets/big.bin": b"\x00\xff" * (3 * 1024 * 1024)})  # 6 MiB > 5 MiB
    return repo


@pytest.mark.anyio
async def test_resources_over_the_file_limit_are_not_served(tmp_path: Path) -> None:
    repo = _big_catalog(tmp_path / "catalog")
    relay = Relay(ServerOptions(repo=repo.path, db=None, poll=0))
    relay.holder.refresh()
    async with Client(relay.mcp) as client:
        with pytest.raises(MCPError) as err:
            await client.read_resource("skill://beta/assets/big.bin")
        small = await client.read_resource("skill://beta/SKILL.md")
    assert "per-file limit" in err.value.error.message
    assert small.contents


@pytest.mark.anyio
@pytest.mark.parametrize(("tool", "arguments"), [
    ("search_skills", {"query": "review " * 100_000}),
    ("search_skills", {"query": "x", "tags": [f"t{i}" for i in range(1000)]}),
    ("get_skill", {"name": "a" * 10_000}),
    ("read_skill_file", {"name": "alpha", "path": "x/" * 10_000})])
async def test_oversized_arguments_are_refused(tmp_path: Path, tool: str, arguments: dict) -> None:
    repo = build_catalog(tmp_path / "catalog")
    relay = Relay(ServerOptions(repo=repo.path, db=None, poll=0))
    relay.holder.refresh()
    async with Client(relay.mcp) as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error  # refused by the tool's schema before any work


@pytest.mark.parametrize("owner", ["ada\x1b[2J", "ada\nadmin = true", "ada\u202e", "ada\x00", "a\"b"])
def test_token_owner_with_control_characters_is_refused(tmp_path: Path, owner: str) -> None:
    tokens = tmp_path / "tokens.toml"
    add_token(tokens, "grace")
    with pytest.raises(ConfigError, match="control characters"):
        add_token(tokens, owner)
    if "\x00" not in owner:  # a command line cannot carry NUL
        result = subprocess.run([RELAY, "serve", "token", "add", owner, "--tokens", str(tokens)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and "Traceback" not in result.stderr
    data = tomllib.loads(tokens.read_text(encoding="utf-8"))  # still parses
    assert [t["owner"] for t in data["tokens"]] == ["grace"]


@pytest.mark.parametrize("kind", ["locked", "not-a-database"])
def test_an_unusable_db_is_one_clear_line(tmp_path: Path, kind: str) -> None:
    repo = build_catalog(tmp_path / "catalog")
    db = tmp_path / "usage.duckdb"
    holder = None
    if kind == "locked":
        holder = duckdb.connect(str(db))  # this process owns it now
    else:
        db.write_bytes(b"this is not a DuckDB file\n")
    try:
        result = subprocess.run([RELAY, "serve", "--repo", str(repo.path), "--db", str(db),
                                 "--port", str(free_port())], capture_output=True, text=True, timeout=60)
    finally:
        if holder is not None:
            holder.close()
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "cannot open the usage database" in result.stderr and "--no-usage" in result.stderr


def test_wildcard_address_without_allowed_host_is_refused(tmp_path: Path) -> None:
    repo = build_catalog(tmp_path / "catalog")
    result = subprocess.run([RELAY, "serve", "--repo", str(repo.path), "--host", "0.0.0.0", "--insecure",
                             "--no-usage", "--port", str(free_port())], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "--allowed-host" in result.stderr and "Traceback" not in result.stderr

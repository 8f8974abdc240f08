"""Sign-in with JWTs, for real: a test RSA key pair, a JWKS served over HTTP, a live server.

Every refused token must get 401 with a WWW-Authenticate header that points at
the protected resource metadata; a good one is accepted and its e-mail becomes
the usage user. Tokens are signed by PyJWT here exactly as a provider would.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from mcp_server.auth import add_token
from mcp_server.options import OIDCSettings, ServerOptions
from tests.mcp.conftest import LiveServer, build_catalog, free_port

ISSUER = "https://login.example.com"
AUDIENCE = "relay-mcp"
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "oidc-test", "version": "1"}}}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


class Keys:
    """RSA key pairs by key id, and the JWKS document of the ones currently published."""

    def __init__(self) -> None:
        self.private: dict[str, rsa.RSAPrivateKey] = {}
        self.published: list[str] = []
        self.fetches = 0

    def new(self, kid: str, publish: bool = True) -> None:
        self.private[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        if publish:
            self.published.append(kid)

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid in self.published:
            jwk = json.loads(RSAAlgorithm.to_jwk(self.private[kid].public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "alg": "RS256"})
        return {"keys": keys}


def serve_jwks(keys: Keys) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/.well-known/openid-configuration":
                body = {"issuer": ISSUER, "jwks_uri": f"{base}/jwks"}
            else:
                keys.fetches += 1
                body = keys.jwks()
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "1001", "email": "ada@example.com",
            "hd": "example.com", "iat": now, "nbf": now, "exp": now + 600, "groups": ["eng"]}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(keys: Keys, kid: str = "k1", **overrides: Any) -> str:
    return jwt.encode(claims(**overrides), keys.private[kid], algorithm="RS256", headers={"kid": kid})


@pytest.fixture(scope="module")
def oidc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Keys, str]]:
    root = tmp_path_factory.mktemp("oidc")
    keys = Keys()
    keys.new("k1")
    jwks_server, base = serve_jwks(keys)
    tokens = root / "tokens.toml"
    static, _ = add_token(tokens, "ci-robot")
    repo = build_catalog(root / "catalog")
    options = ServerOptions(repo=repo.path, port=free_port(), db=root / "usage.duckdb", poll=0,
                            tokens=tokens, rate_limit=1000, audit_log=str(root / "audit.jsonl"),
                            oidc=OIDCSettings(issuer=ISSUER, audience=AUDIENCE, jwks_url=f"{base}/jwks",
                                              domains=["example.com"], jwks_cooldown=0))
    with LiveServer(options) as server:
        server.audit_path = root / "audit.jsonl"  # type: ignore[attr-defined]
        yield server, keys, static
    jwks_server.shutdown()
    jwks_server.server_close()


def post(server: LiveServer, token: str | None) -> httpx.Response:
    headers = dict(MCP_HEADERS)
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.post(f"{server.url}/mcp", json=INIT, headers=headers, timeout=10)


def tampered(token: str) -> str:
    head, payload, sig = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["email"] = "mallory@example.com"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{head}.{forged}.{sig}"


def unsigned(keys: Keys) -> str:
    """alg: none, as an attacker would send it (PyJWT refuses to make one with a key)."""
    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
    return f"{part({'alg': 'none', 'typ': 'JWT', 'kid': 'k1'})}.{part(claims())}."


BAD = {
    "no token": lambda keys: None,
    "expired": lambda keys: sign(keys, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200,
                                 nbf=int(time.time()) - 7200),
    "not yet valid": lambda keys: sign(keys, nbf=int(time.time()) + 3600),
    "wrong issuer": lambda keys: sign(keys, iss="https://evil.example.net"),
    "wrong audience": lambda keys: sign(keys, aud="someone-else"),
    "wrong domain": lambda keys: sign(keys, hd="other.com", email="eve@other.com"),
    "no domain": lambda keys: sign(keys, hd=None, email=None),
    "unknown key id": lambda keys: sign(keys, kid="unpublished"),
    "alg none": unsigned,
    "tampered payload": lambda keys: tampered(sign(keys)),
    "HS256 with the public key": lambda keys: jwt.encode(
        claims(), b"not-the-issuers-key-but-long-enough-for-hs256", algorithm="HS256",
        headers={"kid": "k1"}),
    "garbage": lambda keys: "a.b.c",
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_tokens_get_401_with_www_authenticate(oidc: tuple[LiveServer, Keys, str], case: str) -> None:
    server, keys, _ = oidc
    if "unpublished" not in keys.private:
        keys.new("unpublished", publish=False)
    response = post(server, BAD[case](keys))
    assert response.status_code == 401, (case, response.text)
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Bearer ") and "resource_metadata=" in challenge


def test_good_token_is_accepted_and_its_email_is_the_usage_user(oidc: tuple[LiveServer, Keys, str]) -> None:
    server, keys, _ = oidc
    token = sign(keys, email="grace@example.com")
    response = post(server, token)
    assert response.status_code == 200, response.text
    session = response.headers["mcp-session-id"]
    headers = {**MCP_HEADERS, "Authorization": f"Bearer {token}", "mcp-session-id": session,
               "mcp-protocol-version": "2025-06-18"}
    httpx.post(f"{server.url}/mcp", headers=headers, timeout=10,
               json={"jsonrpc": "2.0", "method": "notifications/initialized"})
    called = httpx.post(f"{server.url}/mcp", headers=headers, timeout=10, json={
        "jsonrpc": "2.0", "id": 2, "method": "tools/call",
        "params": {"name": "get_skill", "arguments": {"name": "alpha"}}})
    assert called.status_code == 200 and "Reviews alpha code" in called.text
    server.relay.writer.flush()
    users = server.relay.writer.query(lambda c: c.execute(
        "SELECT DISTINCT user_id FROM usage WHERE skill = 'alpha'").fetchall())
    assert users == [("grace@example.com",)]
    lines = audit_lines(server, lambda rows: any(r.get("tool") == "get_skill" for r in rows))
    call = next(r for r in lines if r.get("tool") == "get_skill" and r["user"] == "grace@example.com")
    assert (call["rpc"], call["item"], call["status"], call["error"]) == ("tools/call", "alpha", 200, False)
    assert call["client"] == "oidc-test/1" and call["method"] == "POST" and call["duration_ms"] >= 0
    assert set(call) >= {"time", "user", "client", "rpc", "tool", "item", "status", "duration_ms"}
    unknown = httpx.post(f"{server.url}/mcp", headers=headers, timeout=10, json={
        "jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "get_skill", "arguments": {"name": "nope", "version": "1.0.0"}}})
    assert unknown.status_code == 200
    lines = audit_lines(server, lambda rows: rows[-1].get("item") == "nope")
    assert lines[-1]["item"] == "nope" and lines[-1]["version"] == "1.0.0" and lines[-1]["error"] is True
    text = server.audit_path.read_text()  # type: ignore[attr-defined]
    assert token not in text and token.split(".")[2] not in text and "Bearer" not in text


def audit_lines(server: LiveServer, done: Any) -> list[dict[str, Any]]:
    """The audit file's records once `done(records)` holds: a line is written as the response ends,
    so it may land just after the client has its answer."""
    deadline = time.monotonic() + 10
    while True:
        path = server.audit_path  # type: ignore[attr-defined]
        rows = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
        if (rows and done(rows)) or time.monotonic() > deadline:
            return rows
        time.sleep(0.02)


def test_static_tokens_still_work_beside_oidc(oidc: tuple[LiveServer, Keys, str]) -> None:
    server, _, static = oidc
    assert post(server, static).status_code == 200
    assert post(server, static + "x").status_code == 401


def test_rotated_keys_are_fetched_on_an_unknown_key_id(oidc: tuple[LiveServer, Keys, str]) -> None:
    server, keys, _ = oidc
    keys.new("k2")  # the provider rotates: publishes a new key the server has not cached
    before = keys.fetches
    assert post(server, sign(keys, kid="k2")).status_code == 200
    assert keys.fetches == before + 1
    assert post(server, sign(keys, kid="k2")).status_code == 200
    assert keys.fetches == before + 1  # cached now


def test_protected_resource_metadata_names_the_issuer(oidc: tuple[LiveServer, Keys, str]) -> None:
    server, _, _ = oidc
    challenge = post(server, None).headers["WWW-Authenticate"]
    url = challenge.split('resource_metadata="', 1)[1].split('"', 1)[0]
    assert url == f"{server.url}/.well-known/oauth-protected-resource/mcp"
    metadata = httpx.get(url, timeout=10).json()
    assert metadata["authorization_servers"] == [ISSUER] or \
        [s.rstrip("/") for s in metadata["authorization_servers"]] == [ISSUER]
    assert metadata["resource"].rstrip("/") == f"{server.url}/mcp"


def test_discovery_finds_the_jwks_url(tmp_path: Path) -> None:
    from mcp_server.oidc import discover_jwks_url

    keys = Keys()
    server, base = serve_jwks(keys)
    try:
        assert discover_jwks_url(base) == f"{base}/jwks"
    finally:
        server.shutdown()
        server.server_close()

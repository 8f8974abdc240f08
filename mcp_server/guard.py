"""The checks every route makes, in two small ASGI middlewares (the SDK makes them for /mcp only).

`HostOriginGuard` (outermost): the Host header must name this server and a
browser's Origin must be one of ours, on every route. That stops DNS rebinding
(a page whose name resolves to 127.0.0.1) and cross-site reads of `/api/usage`,
`/metrics` or the site. Liveness and readiness answer any Host, for probes that
dial the pod's address, but show their details only to an allowed Host.

`TokenRequired` (inside the SDK's authentication middleware, so it sees the
verified user): with authentication configured, the usage API (`/api/...`)
needs a bearer token like `/mcp` does; `/metrics` answers anonymous scrapes
without any series that names a skill (app.py). A sign-in layer (OIDC,
issue 14) plugs in through the SDK's verifier and needs nothing here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

HEALTH = ("/healthz", "/readyz")
TRUSTED = "relay.trusted"  # scope key: the request came with an allowed Host and Origin


def matches(value: str, patterns: Iterable[str]) -> bool:
    """`value` equals a pattern, or a `prefix:*` pattern with any port (the SDK's syntax)."""
    value = value.lower()
    for pattern in patterns:
        pattern = pattern.lower()
        if pattern.endswith(":*"):
            base = pattern[:-2]
            if value == base or (value.startswith(base + ":") and value[len(base) + 1:].isdigit()):
                return True
        elif value == pattern:
            return True
    return False


async def _refuse(send: Send, status: int, error: str, description: str,
                  headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps({"error": error, "error_description": description}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class HostOriginGuard:
    def __init__(self, app: ASGIApp, hosts: list[str], origins: list[str]) -> None:
        self.app = app
        self.hosts = hosts
        self.origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        host_ok = matches(headers.get("host", ""), self.hosts)
        origin = headers.get("origin")
        origin_ok = origin is None or matches(origin, self.origins)
        scope[TRUSTED] = host_ok and origin_ok
        if scope["path"] in HEALTH or scope[TRUSTED]:
            await self.app(scope, receive, send)
        elif not host_ok:
            await _refuse(send, 421, "misdirected_request",
                          "this server does not answer to that Host; see --allowed-host")
        else:
            await _refuse(send, 403, "forbidden_origin",
                          "requests from that Origin are refused; see --allowed-origin")


def needs_token(path: str) -> bool:
    """The service's own data: usage by skill, user and client. `/mcp` has the SDK's check."""
    return path == "/api" or path.startswith("/api/")


class TokenRequired:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            signed_in = getattr(scope.get("user"), "access_token", None) is not None
            if not signed_in and needs_token(scope["path"]):
                await _refuse(send, 401, "invalid_token", "a bearer token is required",
                              [(b"www-authenticate", b"Bearer")])
                return
        await self.app(scope, receive, send)

"""The audit trail: one JSON line per authenticated HTTP request, with no secret in it.

A line says who (the token's user and id, never the token), through which
client, did what (HTTP method and path, the JSON-RPC method, the tool, the item
and version it named), how it ended (HTTP status, and whether the JSON-RPC
answer was an error) and how long it took. The middleware sits inside the
SDK's authentication middleware, so it sees the verified user; it reads the
request body it passes on (MCP bodies are small and capped by the server) and
peeks at the start of the response for an error.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PEEK = 64 * 1024  # bytes of the response inspected for a JSON-RPC error
_ERROR_MARKERS = (b'"error":', b'"isError":true', b'"isError": true')


class AuditLog:
    """Where lines go: stderr ("-") or a file opened for appending; one write per line."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._lock = threading.Lock()
        self._out: TextIO = sys.stderr if target == "-" else open(  # noqa: SIM115 - lives with the app
            Path(target), "a", encoding="utf-8", buffering=1)

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, separators=(",", ":"), ensure_ascii=False, default=str)
        with self._lock:
            self._out.write(line + "\n")
            self._out.flush()

    def close(self) -> None:
        if self._out is not sys.stderr:
            self._out.close()


def _client_name(body: bytes) -> str:
    """clientInfo.name of an `initialize` request body, else ''."""
    if b'"clientInfo"' not in body:
        return ""
    try:
        info = json.loads(body)["params"]["clientInfo"]
        return f"{info.get('name', '')}/{info.get('version', '')}"[:200]
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""


def describe(body: bytes) -> dict[str, Any]:
    """The JSON-RPC method, tool, item and version a request body names (best effort)."""
    try:
        message = json.loads(body) if body else None
    except (ValueError, UnicodeDecodeError):
        return {"rpc": "unparseable"}
    if isinstance(message, list):  # a batch: describe its first message
        message = message[0] if message else None
    if not isinstance(message, dict):
        return {}
    raw_params = message.get("params")
    params: dict[str, Any] = raw_params if isinstance(raw_params, dict) else {}
    raw_arguments = params.get("arguments")
    arguments: dict[str, Any] = raw_arguments if isinstance(raw_arguments, dict) else {}
    fields = {"rpc": message.get("method"), "tool": params.get("name") if message.get("method") ==
              "tools/call" else None,
              "item": arguments.get("name") or params.get("uri") or (
                  params.get("name") if message.get("method") != "tools/call" else None),
              "version": arguments.get("version")}
    return {k: str(v)[:300] for k, v in fields.items() if v is not None}


class AuditMiddleware:
    """Logs every request that carries a verified token (refused ones are the SDK's 401s)."""

    SESSIONS = 10_000  # client names remembered per MCP session (oldest forgotten first)

    def __init__(self, app: ASGIApp, log: AuditLog) -> None:
        self.app = app
        self.log = log
        self.clients: dict[str, str] = {}  # MCP session id -> client name from `initialize`

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = getattr(scope.get("user"), "access_token", None) if scope["type"] == "http" else None
        if token is None:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        body = bytearray()
        status, failed, peeked = 500, False, 0

        async def read() -> Message:
            message = await receive()
            if message["type"] == "http.request" and len(body) < PEEK:
                body.extend(message.get("body", b"")[: PEEK - len(body)])
            return message

        async def write(message: Message) -> None:
            nonlocal status, failed, peeked
            if message["type"] == "http.response.start":
                status = message["status"]
                self._remember_client(bytes(body), message.get("headers", []))
            elif message["type"] == "http.response.body" and peeked < PEEK:
                chunk = message.get("body", b"")[: PEEK - peeked]
                peeked += len(chunk)
                failed = failed or any(marker in chunk for marker in _ERROR_MARKERS)
            await send(message)

        try:
            await self.app(scope, read, write)
        finally:
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers", [])}
            session = headers.get("mcp-session-id", "")[:100]
            self.log.write({
                "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "user": token.subject or token.client_id, "token_id": token.client_id,
                "client": self.clients.get(session) or _client_name(bytes(body)) or
                headers.get("user-agent", "")[:200],
                "session": session,
                "method": scope["method"], "path": scope["path"], **describe(bytes(body)),
                "status": status, "error": failed or status >= 400,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2)})

    def _remember_client(self, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
        name = _client_name(body)
        session = next((v.decode("latin-1") for k, v in headers if k.lower() == b"mcp-session-id"), "")
        if name and session:
            if len(self.clients) >= self.SESSIONS:
                self.clients.pop(next(iter(self.clients)))
            self.clients[session[:100]] = name

"""Refuse JSON-RPC messages whose `id` is neither a string nor an integer, with an answer.

The SDK reads `{"id": {}}`, `{"id": 1e400}` or `{"id": NaN}` as a notification and
answers 202 with nothing: the caller waits forever for a response that never comes.
JSON-RPC 2.0 and MCP say an id is a string or an integer; anything else gets
-32600 (Invalid Request) with a null id, as the spec says to answer a request whose
id cannot be read.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from .bodies import BodyTooLarge, read_limited, replay

INVALID_REQUEST = -32600


def bad_id(message: Any) -> bool:
    if not isinstance(message, dict) or "id" not in message:
        return False
    value = message["id"]
    return not (isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)))


class RequestIdCheck:
    """Inspects POST bodies on the MCP path (capped like the SDK caps them) before the SDK does."""

    def __init__(self, app: ASGIApp, path: str, limit: int) -> None:
        self.app = app
        self.path = path
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        try:
            body = await read_limited(scope, receive, self.limit)
        except BodyTooLarge:
            await _answer(send, 413, {"jsonrpc": "2.0", "id": None, "error": {
                "code": INVALID_REQUEST, "message": f"request body over {self.limit} bytes"}})
            return
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            parsed = None  # not JSON: the SDK answers with its parse error
        messages = parsed if isinstance(parsed, list) else [parsed]
        if any(bad_id(m) for m in messages):
            await _answer(send, 400, {"jsonrpc": "2.0", "id": None, "error": {
                "code": INVALID_REQUEST,
                "message": "Invalid Request: a JSON-RPC id must be a string or an integer"}})
            return
        await self.app(scope, replay(body, receive), send)


async def _answer(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})

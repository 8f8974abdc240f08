"""`POST /hooks/git`: a push webhook (GitHub's X-Hub-Signature-256) that refreshes at once."""

from __future__ import annotations

import hashlib
import hmac

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse

from .bodies import BodyTooLarge, read_limited
from .snapshot import CatalogHolder

MAX_BODY = 1024 * 1024  # GitHub caps payloads at 25 MB, but Relay needs none of it


def signature(secret: str, body: bytes) -> str:
    """The header value GitHub sends: `sha256=` and the hex HMAC-SHA256 of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """Constant-time comparison of bytes: a header with non-ASCII characters is simply wrong
    (compare_digest refuses non-ASCII str, which answered 500)."""
    if not header:
        return False
    return hmac.compare_digest(signature(secret, body).encode(), header.encode("utf-8", "replace"))


class GitHook:
    """Checks the signature, then refreshes (fetching first when configured) before answering."""

    def __init__(self, holder: CatalogHolder, secret: str | None) -> None:
        self.holder = holder
        self.secret = secret

    async def handle(self, request: Request) -> JSONResponse:
        if not self.secret:
            return JSONResponse({"error": "webhooks are off: start with --hook-secret or "
                                          "RELAY_HOOK_SECRET"}, status_code=404)
        try:
            body = await read_limited(request.scope, request.receive, MAX_BODY)
        except BodyTooLarge:
            return JSONResponse({"error": f"payload too large (limit {MAX_BODY} bytes)"}, status_code=413,
                                headers={"Connection": "close"})
        if not verify(self.secret, body, request.headers.get("x-hub-signature-256")):
            return JSONResponse({"error": "bad or missing X-Hub-Signature-256"}, status_code=401)
        if request.headers.get("x-github-event") == "ping":
            return JSONResponse({"ok": True, "event": "ping"})
        changed = await anyio.to_thread.run_sync(self.holder.refresh)
        snapshot = self.holder.current
        return JSONResponse({"ok": True, "changed": changed,
                             "revision": snapshot.revision if snapshot else None})

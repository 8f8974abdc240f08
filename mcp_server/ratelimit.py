"""A per-token rate limit (token bucket) answering 429 with Retry-After.

Keyed by the authenticated token, so it sits inside the SDK's bearer
middleware; anonymous requests (an open loopback server) are not limited.
"""

from __future__ import annotations

import json
import math
import time

from starlette.types import ASGIApp, Receive, Scope, Send


class TokenBucket:
    """`rate` requests per second on average, bursts of up to `burst`."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = rate
        self.burst = burst
        self._state: dict[str, tuple[float, float]] = {}  # key -> (tokens, last time)

    def take(self, key: str, now: float | None = None) -> float:
        """0.0 when allowed, else the seconds until a request would be."""
        now = time.monotonic() if now is None else now
        tokens, last = self._state.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._state[key] = (tokens - 1.0, now)
            return 0.0
        self._state[key] = (tokens, now)
        return (1.0 - tokens) / self.rate


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, rate: float, burst: float | None = None) -> None:
        self.app = app
        self.bucket = TokenBucket(rate, burst if burst is not None else max(1.0, 2 * rate))
        self.limited = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        user = scope.get("user") if scope["type"] == "http" else None
        token = getattr(user, "access_token", None)
        if token is not None:
            wait = self.bucket.take(token.client_id)
            if wait > 0:
                self.limited += 1
                body = json.dumps({"error": "rate_limited",
                                   "error_description": "too many requests for this token"}).encode()
                await send({"type": "http.response.start", "status": 429, "headers": [
                    (b"content-type", b"application/json"),
                    (b"retry-after", str(math.ceil(wait)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

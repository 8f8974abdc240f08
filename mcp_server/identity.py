"""Who is calling: client name and version, token owner and session, from a request context.

On the 2026-07-28 protocol the client's info rides each request's `_meta`; on
older ones it comes from `initialize`. The token owner and groups are what the
SDK's bearer middleware put on the HTTP request's scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mcp_types import CLIENT_INFO_META_KEY

from registry.audience import normalise

STDIO_USER = ""


@dataclass(frozen=True)
class Caller:
    client_name: str = ""
    client_version: str = ""
    user_id: str = ""
    session_id: str = ""
    groups: frozenset[str] = frozenset()  # lowercased; what restricted items are checked against


def caller(ctx: Any) -> Caller:
    """The caller of the request `ctx` (a `ServerRequestContext`), best effort, never raising."""
    name = version = user = session = ""
    groups: frozenset[str] = frozenset()
    params = getattr(getattr(ctx, "session", None), "client_params", None)
    info = getattr(params, "client_info", None)
    if info is not None:
        name, version = info.name, info.version
    else:
        raw = (getattr(ctx, "meta", None) or {}).get(CLIENT_INFO_META_KEY)
        if isinstance(raw, dict):
            name, version = str(raw.get("name", "")), str(raw.get("version", ""))
    request = getattr(ctx, "request", None)
    scope = getattr(request, "scope", None)
    if isinstance(scope, dict):
        token = getattr(scope.get("user"), "access_token", None)
        if token is not None:
            user = token.subject or token.client_id
            groups = normalise((token.claims or {}).get("groups") or ())
        headers = getattr(request, "headers", None)
        if headers is not None:
            session = headers.get("mcp-session-id", "")
    if not session:
        connection = getattr(getattr(ctx, "session", None), "_connection", None)
        session = getattr(connection, "session_id", None) or ""
    return Caller(name[:200], version[:100], user, session, groups)

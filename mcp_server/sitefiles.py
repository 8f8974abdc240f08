"""`relay serve --site`: the built site's files, with the security headers of registry.webpolicy
(the same ones `relay serve-site` and the `_headers` file carry)."""

from __future__ import annotations

from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from registry.webpolicy import headers_for


class SiteFiles:
    """StaticFiles that adds the site's CSP and, under `raw/`, the sandbox and plain-text types."""

    def __init__(self, directory: Path) -> None:
        self.files = StaticFiles(directory=directory, html=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = headers_for(str(scope.get("path", "")).lstrip("/"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # A 404 answers with the site's own 404.html: a page's headers, not those of the
                # contributors' files under raw/ (its moved.js sends old addresses on).
                chosen = headers_for("404.html") if message["status"] == 404 else policy
                for name, value in chosen.items():
                    headers[name] = value
            await send(message)

        await self.files(scope, receive, send_with_headers)

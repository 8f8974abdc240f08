"""A local static server for a built site: stdlib http.server, with the site's 404 page and the
security headers of registry.webpolicy (the same ones `relay serve --site` sends).

It speaks HTTP/1.1 with persistent connections, as static hosts do: over HTTP/1.0 every file
cost a new connection (and a new server thread), and the catalog page's first search asks for
several files at once (issue 8). Every answer therefore carries a Content-Length."""

from __future__ import annotations

import functools
import os
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from registry.errors import RelayError
from registry.webpolicy import headers_for


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves files like a static host: 404.html for missing paths, no directory listings, quiet."""

    protocol_version = "HTTP/1.1"  # keep-alive: several requests on one connection
    timeout = 30  # seconds an idle connection keeps its thread
    # The headers and the body go out in two writes: with Nagle's algorithm, on a connection that
    # is kept alive the body's last segment waited for the browser's delayed ACK (40 ms on Linux).
    disable_nagle_algorithm = True

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript",
                      ".json": "application/json", ".md": "text/plain; charset=utf-8",
                      ".py": "text/plain; charset=utf-8"}

    _answering_404 = False  # the body is the site's own 404.html, whatever the path asked

    def _site_path(self) -> str:
        if self._answering_404:
            return "404.html"  # its headers are a page's (it may run the site's moved.js), not raw/'s
        return unquote(urlsplit(self.path).path).lstrip("/")

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        override = headers_for(self._site_path()).get("Content-Type")
        return override or super().guess_type(path)

    def end_headers(self) -> None:
        for name, value in headers_for(self._site_path()).items():
            if name != "Content-Type":
                self.send_header(name, value)
        super().end_headers()

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == HTTPStatus.NOT_FOUND and page.is_file():
            body = page.read_bytes()
            self._answering_404 = True  # one connection serves several requests: only this one
            try:
                self.send_response(code)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
            finally:
                self._answering_404 = False
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


def serve(directory: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0 picks a free one); call `serve_forever()` to run it."""
    if not (directory / "index.html").is_file():
        raise RelayError(f"{directory} has no index.html: run `relay build --out {directory}` first")
    handler = functools.partial(SiteHandler, directory=str(directory))
    try:
        return ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise RelayError(f"cannot listen on {host}:{port}: {exc.strerror}") from None

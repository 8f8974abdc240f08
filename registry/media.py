"""The media type of a skill's file, one rule for the site and the MCP service.

Python's `mimetypes` reads the host's /etc/mime.types, so the same file could
be typed differently on two machines; the table below fixes the types that
skills actually bundle, and `mimetypes` only fills in the rest.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePosixPath

_TYPES = {
    ".md": "text/markdown",  # what the Skills extension says SKILL.md is served as
    ".markdown": "text/markdown",
    ".txt": "text/plain",
    ".py": "text/x-python",
    ".sh": "text/x-shellscript",
    ".json": "application/json",
    ".yaml": "application/yaml",
    ".yml": "application/yaml",
    ".toml": "application/toml",
    ".csv": "text/csv",
    ".html": "text/html",
    ".xml": "application/xml",
    ".js": "text/javascript",
    ".ts": "text/x-typescript",
    ".sql": "application/sql",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".zip": "application/zip",
}


def media_type(path: str, *, text: bool | None = None) -> str:
    """The type of `path` by its suffix; unknown suffixes are text/plain or octet-stream by `text`."""
    suffix = PurePosixPath(path).suffix.lower()
    known = _TYPES.get(suffix) or mimetypes.guess_type(f"file{suffix}", strict=False)[0]
    if known:
        return known
    return "text/plain" if text else "application/octet-stream"

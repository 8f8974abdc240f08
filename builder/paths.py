"""Where everything lives in the built site, and how one page links to another.

All site paths are posix and relative to the site root. Links are relative by
default (the site works from any folder, a plain file server or file://); with
`--base-url /sub/` they are absolute under that prefix, with pretty
directory URLs, for hosts that serve the site under a sub-path.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

ASSETS = "assets"
SEARCH_INDEX = "assets/search-index.js"
CARDS_DATA = "assets/cards.js"  # every card's data, for the catalog script
CATALOG_JSON = "catalog.json"
MARKETPLACE_JSON = ".claude-plugin/marketplace.json"
MANIFEST = ".relay-build.json"
STATIC_HEADERS = "_headers"  # security headers for Netlify / Cloudflare Pages
DEFAULT_MCP_URL = "http://127.0.0.1:8765/mcp"  # where install instructions point by default


def catalog_page(number: int) -> str:
    """Page `number` (from 1) of the catalog list; the first is the home page."""
    return "index.html" if number == 1 else f"catalog/{number}/index.html"


def skill_page(name: str) -> str:
    return f"skills/{name}/index.html"


def skill_json(name: str) -> str:
    return f"skills/{name}.json"


def version_key(name: str, tree_id: str, tags: tuple[str, ...] = ()) -> str:
    """How pages and links name a version: its release tag's version (`name@1.2.0` -> `1.2.0`)
    where one exists, else the short tree id."""
    prefix = f"{name}@"
    released = [t[len(prefix):].removeprefix("v") for t in tags if t.startswith(prefix)]
    return released[-1] if released else tree_id[:12]


def version_page(name: str, tree_id: str, tags: tuple[str, ...] = ()) -> str:
    return f"skills/{name}/versions/{version_key(name, tree_id, tags)}/index.html"


def version_file(name: str, key: str, path: str) -> str:
    """A file of one version, byte for byte, under raw/ (served sandboxed like the latest's);
    `@` cannot occur in a skill name, so this never meets another skill's raw folder."""
    return f"raw/{name}@{key}/{path}"


def file_page(name: str, path: str) -> str:
    return f"skills/{name}/files/{path}.html"


def raw_folder(name: str) -> str:
    """The latest version's files, laid out as the skill folder (the marketplace points here)."""
    return f"raw/{name}"


def raw_file(name: str, path: str) -> str:
    return f"{raw_folder(name)}/{path}"


def zip_file(name: str, tree_id: str) -> str:
    return f"zips/{name}/{name}-{tree_id[:12]}.zip"


def link(base_url: str | None, page: str, target: str) -> str:
    """A URL from site page `page` to site path `target`."""
    if base_url is not None:
        if target.endswith("index.html"):
            target = target[: -len("index.html")]
        return quote(base_url.rstrip("/") + "/" + target, safe="/:#?&=%@+,;~")
    if target == "" or target.endswith("/"):
        target += "index.html"
    relative = posixpath.relpath(target, posixpath.dirname(page) or ".")
    return quote(relative, safe="/#?&=%@+,;~")


def normalise_base_url(value: str | None) -> str | None:
    """`/sub` and `/sub/` mean the same; a full URL (https://host/sub/) is kept as is."""
    if value is None or value == "":
        return None
    value = value.strip()
    if not value.startswith(("/", "http://", "https://")):
        value = "/" + value
    return value if value.endswith("/") else value + "/"

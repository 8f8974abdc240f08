"""Where everything lives in the built site, and how one page links to another.

All site paths are posix and relative to the site root. Links are relative by
default (the site works from any folder, a plain file server or file://); with
`--base-url /sub/` they are absolute under that prefix, with pretty
directory URLs, for hosts that serve the site under a sub-path.
"""

from __future__ import annotations

from urllib.parse import quote

ASSETS = "assets"
SEARCH_INDEX = "assets/search-index.js"  # the head; the term shards are assets/search/<id>.js
SEARCH_SHARDS = "assets/search"
CATALOG_JSON = "catalog.json"
MARKETPLACE_JSON = ".claude-plugin/marketplace.json"
MANIFEST = ".relay-build.json"
SEARCH_COUNTS = ".relay-search-counts.bin"  # the search index's term counts, kept for rebuilds
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


def version_anchor(key: str) -> str:
    """The id of a version's row on the skill page (prefixed: a tag could say `main`)."""
    return f"v{key}"


def version_page(name: str, tree_id: str, tags: tuple[str, ...] = ()) -> str:
    """A version's stable URL: its row in the skill page's history (issue 12: a page per version,
    then a history page, were files most readers never opened)."""
    return f"{skill_page(name)}#{version_anchor(version_key(name, tree_id, tags))}"


def file_anchor(path: str) -> str:
    return f"f-{path}"


def file_page(name: str, path: str) -> str:
    """A file's stable URL: its section of the skill page (every file of the latest version is
    shown there, one section each)."""
    return f"{skill_page(name)}#{file_anchor(path)}"


def raw_file(name: str, path: str) -> str:
    """A copy of a latest-version file the page cannot show (an image, a binary): only those are
    copied, the page and the zip carry the rest."""
    return f"raw/{name}/{path}"


def zip_file(name: str, tree_id: str) -> str:
    """The latest version's zip, content-addressed; one folder for all skills' zips."""
    return f"zips/{name}-{tree_id[:12]}.zip"


def link(base_url: str | None, page: str, target: str) -> str:
    """A URL from site page `page` to site path `target`."""
    target, hash_, fragment = target.partition("#")
    if base_url is not None:
        if target.endswith("index.html"):
            target = target[: -len("index.html")]
        return quote(base_url.rstrip("/") + "/" + target + hash_ + fragment, safe="/:#?&=%@+,;~")
    if target == "" or target.endswith("/"):
        target += "index.html"
    if hash_ and target == page:  # a section of this page (a file or a version on a skill page)
        return quote(hash_ + fragment, safe="/#?&=%@+,;~")
    return quote(_relative(target, page) + hash_ + fragment, safe="/#?&=%@+,;~")


def _relative(target: str, page: str) -> str:
    """`posixpath.relpath(target, dirname(page))` for normalised site paths, without its
    `abspath` calls: links are most of what a page renders (issue 12's profile)."""
    here = page.split("/")[:-1]
    there = target.split("/")
    common = 0
    for a, b in zip(here, there, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:]) or "."


def normalise_base_url(value: str | None) -> str | None:
    """`/sub` and `/sub/` mean the same; a full URL (https://host/sub/) is kept as is."""
    if value is None or value == "":
        return None
    value = value.strip()
    if not value.startswith(("/", "http://", "https://")):
        value = "/" + value
    return value if value.endswith("/") else value + "/"

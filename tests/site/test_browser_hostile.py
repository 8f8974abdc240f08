"""The hostile corpus in real headless Chromium: a skill's bundled HTML and SVG and its markdown
run no script on the site's origin, served by `relay serve-site` and by `relay serve --site`
(dialogs, console errors and page errors watched; a script would set `window.pwned` or open
an alert).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from builder.build import build
from builder.serve import serve
from mcp_server.options import ServerOptions
from registry.webpolicy import BUNDLED_CSP, SITE_CSP
from tests.conftest import CHROMIUM, RepoBuilder, skill_md
from tests.hostile import hostile_skills
from tests.mcp.conftest import LiveServer, free_port

from .conftest import Watched, config_for

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing: `apt-get install chromium`")

BUNDLED = ["raw/scripted/evil.html", "raw/scripted/evil.svg"]
PAGES = ["skills/scripted/index.html", "skills/escapes/index.html", "index.html"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-site")
    repo = RepoBuilder(root / "repo")
    repo.commit({"skills/good/SKILL.md": skill_md("good")})
    repo.commit(hostile_skills())
    build(config_for(repo.path, root / "site"))
    return root / "site"


@pytest.fixture(scope="module", params=["serve-site", "serve --site"])
def base_url(request: pytest.FixtureRequest, site: Path) -> Iterator[str]:
    if request.param == "serve-site":
        server = serve(site, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_address[1]}/"
        server.shutdown()
        server.server_close()
        return
    repo = site.parent / "repo"
    options = ServerOptions(repo=repo, port=free_port(), db=None, poll=0, site=site)
    with LiveServer(options) as live:
        yield live.url + "/"


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Watched]:
    context = browser.new_context(base_url=base_url)
    watched = Watched(context.new_page())
    requested: list[str] = []
    watched.page.on("request", lambda r: requested.append(r.url))
    watched.requested = requested  # type: ignore[attr-defined]
    yield watched
    context.close()


@pytest.mark.parametrize("path", BUNDLED)
def test_bundled_html_and_svg_run_no_script(page: Watched, path: str) -> None:
    page.page.goto(path)
    page.page.wait_for_load_state("load")
    page.page.wait_for_timeout(200)
    dialogs = [p for p in page.problems if p.startswith("dialog")]
    assert dialogs == []
    # Nothing of the file runs: under the sandbox CSP even the document has no script access.
    assert page.page.evaluate("typeof window.pwned") == "undefined"


@pytest.mark.parametrize("path", PAGES)
def test_hostile_pages_run_no_script_and_fetch_nothing_outside(page: Watched, base_url: str,
                                                               path: str) -> None:
    page.allow_missing = True  # `<img src=x>` is a harmless 404
    page.page.goto(path)
    page.page.wait_for_load_state("load")
    for selector in ("img", "a", "details"):
        for handle in page.page.locator(f"main {selector}").element_handles()[:30]:
            handle.dispatch_event("mouseover")
    page.page.wait_for_timeout(200)
    assert page.problems == []
    assert page.page.evaluate("typeof window.pwned") == "undefined"
    outside = [u for u in page.requested if not u.startswith(base_url)]  # type: ignore[attr-defined]
    assert outside == []  # the markdown's http://127.0.0.1:9/probe.png is never fetched


def test_headers_on_pages_and_bundled_files(base_url: str) -> None:
    index = httpx.get(base_url + "index.html")
    assert index.headers["content-security-policy"] == SITE_CSP
    assert index.headers["x-content-type-options"] == "nosniff"
    missing = httpx.get(base_url + "raw/scripted/gone.html")  # the answer is the site's 404 page
    assert missing.status_code == 404 and "Page not found" in missing.text
    assert missing.headers["content-security-policy"] == SITE_CSP
    assert missing.headers["content-type"].startswith("text/html")
    html = httpx.get(base_url + "raw/scripted/evil.html")
    assert html.status_code == 200 and "<script>" in html.text
    assert html.headers["content-type"].startswith("text/plain")
    assert html.headers["content-security-policy"] == BUNDLED_CSP
    svg = httpx.get(base_url + "raw/scripted/evil.svg")
    assert svg.headers["content-security-policy"] == BUNDLED_CSP
    assert "sandbox" in svg.headers["content-security-policy"]


def test_control_characters_are_escaped_on_pages(site: Path) -> None:
    page = (site / "skills/escapes/index.html").read_text(encoding="utf-8")
    assert "\x1b" not in page and "\u202e" not in page and "\x07" not in page
    assert "\\x1b[2J" in page and "\\u202e" in page


@pytest.mark.parametrize(("old", "new"), [("raw/scripted/SKILL.md", "skills/scripted/#f-SKILL.md"),
                                          ("zips/scripted/scripted-0123456789ab.zip",
                                           "skills/scripted/#install")])
def test_old_raw_and_zip_addresses_lead_to_the_skill_page(page: Watched, base_url: str, old: str,
                                                          new: str) -> None:
    """Both servers answer a missing path under raw/ or zips/ with 404.html and a page's headers,
    so its moved.js runs and takes an old bookmark to the skill page (docs/site.md)."""
    page.allow_missing = True
    page.page.goto(old)
    page.page.wait_for_url(base_url + new, timeout=10_000)
    assert page.page.locator("h1").inner_text() == "scripted"
    assert page.problems == []


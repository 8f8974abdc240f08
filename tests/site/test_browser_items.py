"""Other kinds of items in real headless Chromium: search finds them, the kind facet filters."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from builder.build import build
from builder.serve import serve

from .conftest import Watched, config_for
from .test_browser import names, pytestmark, search  # noqa: F401 - its skip marks
from .test_items import items_repo


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser-items")
    repo = items_repo(root / "repo")
    build(config_for(repo.path, root / "site"))
    server = serve(root / "site", "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Watched]:
    # bypass_csp: Playwright's wait_for_function evaluates a string, which the site's CSP forbids
    # when it has to poll (a loaded machine); the CSP itself is tested in test_browser_hostile.py.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url,
                                  bypass_csp=True)
    watched = Watched(context.new_page())
    yield watched
    assert watched.problems == []
    context.close()


def test_search_finds_every_kind_and_the_kind_facet_filters(page: Watched) -> None:
    page.page.goto("index.html")
    assert len(names(page.page)) == 10  # alpha and the nine items
    search(page.page, "planner")
    assert names(page.page) == ["planner"]
    assert page.page.locator("#status").inner_text() == "1 strong match for \u201cplanner\u201d"
    search(page.page, "")
    page.page.check('input[name="kind"][value="agent"]')
    assert sorted(names(page.page)) == ["planner", "toolkit:reviewer"]
    assert "kind=agent" in page.page.url
    page.page.check('input[name="kind"][value="plugin"]')
    assert sorted(names(page.page)) == ["planner", "toolkit", "toolkit:reviewer"]


def test_plugin_page_links_to_its_components(page: Watched) -> None:
    page.page.goto("plugins/toolkit/index.html")
    page.page.click("text=toolkit:reviewer")
    assert page.page.url.endswith("items/agent/toolkit/reviewer/index.html")
    assert page.page.locator("h1").inner_text() == "toolkit:reviewer"
    # site.js makes the command's URL absolute after load: wait for it instead of racing it.
    expect(page.page.locator("#cmd-1")).to_have_text(re.compile(
        r"curl -sSL http://127\.0\.0\.1:\d+/items/agent/toolkit/reviewer/reviewer\.md"
        r" -o \.claude/agents/reviewer\.md$"))

"""The site on a phone (390 px wide) and without JavaScript, in real headless Chromium.

The site is built with a base URL (the loopback server's own, so commands in the markup are
absolute) and a known repository (so the plugin commands show). Screenshots are saved under the
test's tmp dir, or $RELAY_SCREENSHOTS.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.build import build
from builder.serve import serve
from tests.conftest import CHROMIUM
from tests.mcp.conftest import free_port

from .conftest import Watched, config_for, make_catalog, write_usage_export

PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing: `apt-get install chromium`")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("phone")
    repo = make_catalog(root / "repo")
    repo.commit({"relay.toml": '[marketplace]\nrepository = "acme/skills"\n'}, "say where the skills live")
    url = f"http://127.0.0.1:{(port := free_port())}/"
    build(config_for(repo.path, root / "site", base_url=url, usage_dir=write_usage_export(root / "usage")))
    server = serve(root / "site", "127.0.0.1", port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()
    server.server_close()


def open_page(browser: Any, site: str, path: str, *, javascript: bool = True) -> tuple[Any, Watched]:
    context = browser.new_context(viewport=PHONE, base_url=site, java_script_enabled=javascript,
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    watched = Watched(context.new_page())
    watched.page.goto(path)
    return context, watched


def top(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return float(box["y"])


def test_phone_catalog_shows_results_first_and_folds_the_filters(browser: Any, site: str,
                                                                  screenshots: Path) -> None:
    context, watched = open_page(browser, site, "index.html")
    page = watched.page
    assert top(page, ".card") < PHONE["height"]  # a card on the first screen
    assert not page.locator("#facets").is_visible()
    toggle = page.locator("#filters-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    page.screenshot(path=str(screenshots / "phone-catalog.png"))
    page.fill("#q", "sql")
    page.locator("body[data-search-state=ready]").wait_for(state="attached")  # CSP forbids eval
    assert page.locator(".card .card-title").first.inner_text() == "beta-sql"
    assert top(page, ".card") < PHONE["height"]
    toggle.click()
    assert page.locator("#facets").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    page.locator('#facets input[name="category"][value="data"]').check()
    assert toggle.inner_text() == "Filters (1)"
    page.screenshot(path=str(screenshots / "phone-filters.png"))
    card = page.locator(".card").first
    assert card.locator(".card-install").get_attribute("href") == f"{site}skills/beta-sql/#install"
    assert not watched.problems
    context.close()


def test_phone_skill_page_puts_install_before_the_body(browser: Any, site: str, screenshots: Path) -> None:
    context, watched = open_page(browser, site, "skills/alpha-review/index.html")
    page = watched.page
    install = top(page, "#install")
    assert install < top(page, ".skill-body") and install < PHONE["height"]
    commands = page.locator("#cmd-plugin").inner_text()
    assert commands == "/plugin marketplace add acme/skills\n/plugin install alpha-review@relay-skills"
    page.screenshot(path=str(screenshots / "phone-skill.png"), full_page=True)
    assert not watched.problems
    context.close()


def test_without_javascript_controls_hide_and_every_skill_shows(browser: Any, site: str,
                                                                screenshots: Path) -> None:
    context, watched = open_page(browser, site, "index.html", javascript=False)
    page = watched.page
    for selector in ("#search-form", "#facets", "#sort", "#filters-toggle"):
        assert not page.locator(selector).is_visible(), selector
    names = page.locator(".card .card-title").all_inner_texts()
    assert names == ["alpha-review", "beta-sql", "hostile"]
    assert all(page.locator(".card .card-install").nth(i).is_visible() for i in range(3))
    page.screenshot(path=str(screenshots / "nojs-catalog.png"), full_page=True)
    page.goto("skills/alpha-review/index.html")
    command = page.locator("#cmd-cc").inner_text()
    assert f"curl -sSL {site}zips/alpha-review-" in command  # absolute in the markup
    assert not page.locator("button.copy").first.is_visible()
    page.screenshot(path=str(screenshots / "nojs-skill.png"), full_page=True)
    context.close()


def test_unknown_figures_are_not_shown_as_zero(browser: Any, site: str) -> None:
    context, watched = open_page(browser, site, "index.html", javascript=False)
    page = watched.page
    hostile = page.locator(".card", has_text="hostile").inner_text()  # no feedback, no uses
    beta = page.locator(".card", has_text="beta-sql").inner_text()  # minutes saved reported
    assert "h saved" not in hostile and "h saved" in beta
    page.goto("skills/hostile/index.html")
    facts = page.locator(".facts").inner_text()
    assert "Hours saved" not in facts and "people" not in facts
    context.close()


def test_versions_use_release_tags_and_every_version_has_its_row(browser: Any, site: str) -> None:
    context, watched = open_page(browser, site, "skills/alpha-review/index.html", javascript=False)
    page = watched.page
    labels = page.locator(".history > li > a:first-child code").all_inner_texts()
    assert labels[0] == "1.0.0" and len(labels[1]) == 12  # tagged latest, untagged first version
    older = page.locator(".history > li").nth(1)
    assert older.get_attribute("id") == f"v{labels[1]}"
    assert older.locator("a").first.get_attribute("href") == f"#v{labels[1]}"
    newest = page.locator("li[id='v1.0.0']")
    newest.locator("summary").click()  # the changes open without JavaScript
    assert "zeppelin" in newest.locator("pre.diff ins").first.inner_text()
    zip_link = newest.locator("a[download]").get_attribute("href")
    assert zip_link is not None and page.request.get(zip_link).ok  # the newest version downloads
    assert older.locator("a[download]").count() == 0  # older ones: from git or MCP (docs/site.md)
    context.close()


def test_addresses_of_the_old_layout_lead_to_their_content(browser: Any, site: str) -> None:
    """Bookmarks of the files and history pages (and of the page per file and per version before
    them) land on the skill page's section (404.html's assets/moved.js). Old raw/ and zips/
    addresses are answered with the sandboxing CSP, which runs no script: those stay 404 here."""
    context, watched = open_page(browser, site, "index.html")
    page = watched.page
    watched.allow_missing = True  # the old addresses answer 404 before the page moves on
    for old, expected in [("skills/alpha-review/files.html#f-references/guide.md",
                           "skills/alpha-review/#f-references/guide.md"),
                          ("skills/alpha-review/versions.html#v1.0.0", "skills/alpha-review/#v1.0.0"),
                          ("skills/alpha-review/files/references/guide.md/",
                           "skills/alpha-review/#f-references/guide.md"),
                          ("skills/alpha-review/versions/0123456789ab/", "skills/alpha-review/#install")]:
        page.goto(site + old)
        page.wait_for_url(site + expected, timeout=5000)
        anchor = expected.partition("#")[2] or "main"
        assert page.locator(f"[id='{anchor}']").is_visible()
    context.close()

"""The built site in real headless Chromium (Playwright, sync API), served on a free loopback port.

Skips, saying how to install, when Chromium (found on PATH) or node_modules (lunr.js, axe-core)
are missing; under CI=true a skip is a failure (tests/conftest.py).
Screenshots go to the test's tmp dir, or to $RELAY_SCREENSHOTS for people to look at.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from builder.build import build
from builder.serve import serve
from tests.conftest import CHROMIUM

from .conftest import NODE_MODULES, Watched, config_for, make_catalog, write_usage_export

AXE = NODE_MODULES / "axe-core/axe.min.js"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium missing: `apt-get install chromium`"),
    pytest.mark.skipif(not AXE.is_file() or not (NODE_MODULES / "lunr/lunr.min.js").is_file(),
                       reason="lunr.js / axe-core missing: run `npm ci` in the repository root"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="`pip install playwright` (the dev extra)")


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    repo = make_catalog(root / "repo")
    build(config_for(repo.path, root / "site", usage_dir=write_usage_export(root / "usage")))
    return root / "site"


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    server = serve(site_dir, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert watched.problems == []


def names(page: Any) -> list[str]:
    return page.locator("#cards .card-title a").all_inner_texts()


def search(page: Any, text: str) -> None:
    page.fill("#q", text)
    # A locator, not wait_for_function: the site's CSP forbids the eval that polling a string needs.
    page.locator("body[data-search-state=ready]").wait_for(state="attached")


def test_card_keys_load_on_first_focus_and_search_finds_body_words_and_tags(page: Watched) -> None:
    """lunr.js and the index's head come with the page; the card keys and the term shards only
    once the search box is used."""
    requested: list[str] = []
    page.page.on("request", lambda r: requested.append(r.url))
    page.page.goto("index.html")
    assert len(names(page.page)) == 3
    assert any(url.endswith("/assets/search-index.js") for url in requested)
    assert any(url.endswith("/assets/lunr.min.js") for url in requested)
    assert not [url for url in requested if "cards/keys.js" in url or "/assets/search/" in url]
    page.page.keyboard.press("/")
    assert page.page.evaluate("document.activeElement.id") == "q"
    search(page.page, "zeppelin")
    assert names(page.page) == ["alpha-review"]
    assert page.page.locator("#cards mark").count() == 0  # the word is in the body, not the card
    assert any("cards/keys.js" in url for url in requested)
    search(page.page, "sql")
    assert names(page.page) == ["beta-sql"]
    assert page.page.locator("#cards .card mark").first.inner_text().lower() == "sql"
    search(page.page, "revi")  # a prefix while typing
    assert names(page.page) == ["alpha-review"]
    page.page.wait_for_url("**/index.html?q=revi")  # once the typing pauses


def shards_requested(requested: list[str]) -> list[str]:
    return [url.rsplit("/", 1)[1] for url in requested if "/assets/search/" in url]


def check_shard_loading(page: Watched, start: str) -> None:
    """A query loads the term shards of its own words only; a one-letter prefix, every shard of
    that letter; a query whose words are in no shard loads nothing and finds nothing."""
    requested: list[str] = []
    page.page.on("request", lambda r: requested.append(r.url))
    page.page.goto(start)
    search(page.page, "zeppelin")
    assert names(page.page) == ["alpha-review"]
    assert shards_requested(requested) == ["ze.js"]
    search(page.page, "zeppelin cartesian")
    assert shards_requested(requested) == ["ze.js", "ca.js"]
    assert names(page.page)[0] in ("alpha-review", "beta-sql")
    search(page.page, "c*")  # every shard starting with c: "ca" among them, loaded once
    loaded = shards_requested(requested)
    assert loaded.count("ca.js") == 1 and len(loaded) > 3 and all(s[0] in "zc" for s in loaded)
    assert "beta-sql" in names(page.page)
    before = len(requested)
    search(page.page, "qqqxj")
    assert names(page.page) == [] and page.page.locator("#empty").is_visible()
    assert shards_requested(requested[before:]) == []


def test_queries_load_only_their_term_shards_over_http(page: Watched) -> None:
    check_shard_loading(page, "index.html")


def test_queries_load_their_term_shards_from_file_urls(browser: Any, site_dir: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page())
    try:
        check_shard_loading(watched, (site_dir / "index.html").as_uri())
    finally:
        context.close()
    assert watched.problems == []


def test_a_pointer_over_the_search_box_starts_loading_before_the_focus(page: Watched) -> None:
    page.page.goto("index.html")
    with page.page.expect_request(lambda r: "cards/keys.js" in r.url):
        page.page.hover("#q")
    assert page.page.evaluate("document.activeElement.id") != "q"
    search(page.page, "zeppelin")
    assert names(page.page) == ["alpha-review"]


def test_odd_queries_never_throw(page: Watched) -> None:
    page.page.goto("index.html")
    odd = ["foo:", "~", "*", '"', "'", "^", "-", "+", "name:", "review~2^", "-review", ":::", "\\", "sql*"]
    for text in odd:
        search(page.page, text)
        assert page.page.locator("#status").inner_text()
    search(page.page, "sql*")
    assert names(page.page) == ["beta-sql"]


def test_facets_narrow_and_the_url_restores_the_state(page: Watched) -> None:
    page.page.goto("index.html")
    assert not page.page.is_visible("#more"), "three skills fit on one page: no 'Show more'"
    page.page.check('input[name="owner"][value="data-eng"]')
    # the page filters on the change event; on a loaded machine that may land after check() returns
    sync_api.expect(page.page.locator("#cards > li:visible")).to_have_count(1)
    assert names(page.page) == ["beta-sql"]
    assert page.page.locator("#cards > li:visible").count() == 1  # hidden cards are not displayed
    assert "owner=data-eng" in page.page.url
    count = page.page.locator('input[name="tag"][value="review"] >> xpath=.. >> .count').inner_text()
    assert count == "0"
    page.page.goto("index.html?q=review&sort=popularity&tag=quality")
    page.page.locator("body[data-search-state=ready]").wait_for(state="attached")
    assert page.page.input_value("#q") == "review"
    assert page.page.input_value("#sort") == "popularity"
    assert page.page.is_checked('input[name="tag"][value="quality"]')
    assert names(page.page) == ["alpha-review"]
    page.page.select_option("#sort", "recency")
    assert "sort=recency" in page.page.url


def test_copy_buttons_copy_the_command(page: Watched) -> None:
    page.page.goto("skills/alpha-review/index.html")
    page.page.click('button[data-copy="cmd-uri"]')
    page.page.wait_for_selector('button[data-copy="cmd-uri"][data-copied]')
    assert page.page.evaluate("navigator.clipboard.readText()") == "skill://alpha-review/SKILL.md"
    page.page.click('button[data-copy="cmd-cc"]')
    page.page.wait_for_selector('button[data-copy="cmd-cc"][data-copied]')
    copied = page.page.evaluate("navigator.clipboard.readText()")
    assert "http://127.0.0.1:" in copied and "/zips/alpha-review-" in copied


def test_headings_get_their_links_and_sections_open_by_address(page: Watched) -> None:
    page.page.goto("skills/alpha-review/index.html#f-references/guide.md")
    anchors = page.page.locator("article.prose a.anchor")
    assert anchors.count() == 2  # "Alpha review" and "Steps" (added by site.js)
    assert anchors.first.get_attribute("href") == "#alpha-review"
    assert page.page.locator("[id='f-references/guide.md']").is_visible()
    assert page.page.locator("[id='f-references/guide.md'] code.language-markdown").inner_text() \
        .startswith("# Guide")
    assert page.problems == []


def test_hostile_skill_runs_no_script(page: Watched) -> None:
    page.allow_missing = True
    page.page.goto("skills/hostile/index.html")
    page.page.wait_for_load_state("load")
    for selector in ("img", "details", "a"):
        for handle in page.page.locator(f".skill-body {selector}").element_handles():
            handle.dispatch_event("click")
            handle.dispatch_event("mouseover")
    page.page.wait_for_timeout(200)
    assert page.page.evaluate("typeof window.pwned") == "undefined"


def test_theme_toggle_switches_and_persists(page: Watched) -> None:
    page.page.goto("index.html")
    page.page.click("#theme-toggle")
    theme = page.page.evaluate("document.documentElement.dataset.theme")
    page.page.reload()
    assert page.page.evaluate("document.documentElement.dataset.theme") == theme


@pytest.mark.parametrize("path", ["index.html", "skills/alpha-review/index.html", "usage/index.html"])
def test_no_serious_accessibility_violations(browser: Any, base_url: str, path: str) -> None:
    # axe-core is injected as an inline script, which the site's CSP refuses: bypass it here only.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url,
                                  bypass_csp=True)
    page = Watched(context.new_page())
    page.page.goto(path)
    page.page.add_script_tag(path=str(AXE))
    result = page.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    assert page.problems == []
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_screenshots(browser: Any, base_url: str, screenshots: Path) -> None:
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url,
                                      color_scheme=scheme)
        shot = context.new_page()
        shot.goto("index.html")
        shot.screenshot(path=str(screenshots / f"catalog-{scheme}.png"))
        shot.goto("skills/alpha-review/index.html")
        shot.screenshot(path=str(screenshots / f"skill-{scheme}.png"))
        shot.goto("usage/index.html")
        shot.screenshot(path=str(screenshots / f"usage-{scheme}.png"), full_page=True)
        context.close()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base_url, is_mobile=True)
    shot = phone.new_page()
    shot.goto("skills/alpha-review/index.html")
    assert shot.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot.screenshot(path=str(screenshots / "skill-phone.png"))
    phone.close()
    assert (screenshots / "catalog-light.png").stat().st_size > 10_000


BLOCK = 20  # cards per description block in the big catalog: 73 cards in 4 blocks
BLOCKS = re.compile(r"/assets/cards/[0-9]+\.js$")  # their URLs


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog of more than one page of cards (the home page holds the first page only), its
    descriptions in several blocks; every tenth extra skill is owned by "block-team"; usage
    known for two skills of 73 (the keys carry it by position, builder.cards.sparse)."""
    from builder import cards
    from builder.pages import CATALOG_PAGE

    from ..conftest import skill_md

    root = tmp_path_factory.mktemp("big")
    repo = make_catalog(root / "repo")
    repo.commit({f"skills/extra-{i:03d}/SKILL.md": skill_md(f"extra-{i:03d}", f"Extra skill number {i}. "
                                                            "Use when testing.",
                                                            owner="block-team" if i % 10 == 0 else "qa-guild")
                 for i in range(CATALOG_PAGE + 10)}, "many skills")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cards, "BLOCK", BLOCK)
        build(config_for(repo.path, root / "site", usage_dir=write_usage_export(root / "usage")))
    assert (root / "site/assets/cards/3.js").is_file()
    return root / "site"


@pytest.fixture(scope="module")
def big_url(big_site: Path) -> Iterator[str]:
    server = serve(big_site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_big_catalog_searches_and_shows_more_than_the_first_page(browser: Any, big_url: str) -> None:
    from builder.pages import CATALOG_PAGE

    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=big_url)
    watched = Watched(context.new_page())
    page = watched.page
    last = f"extra-{CATALOG_PAGE + 9:03d}"
    page.goto("index.html")
    assert len(names(page)) == CATALOG_PAGE and page.is_visible("#pager") and last not in names(page)
    page.click("#more")
    page.locator("#cards .card").nth(CATALOG_PAGE).wait_for()  # (the CSP forbids wait_for_function's eval)
    assert len(names(page)) == CATALOG_PAGE + 13 and not page.is_visible("#pager") and last in names(page)
    page.goto("index.html")
    search(page, last)
    assert names(page)[0] == last  # a skill the home page's HTML does not hold
    page.locator("#cards .card-title a").first.click()
    page.wait_for_url(f"**/skills/{last}/index.html")
    context.close()
    assert watched.problems == []


def test_cards_drawn_from_the_keys_show_hours_saved_only_where_known(browser: Any, big_url: str) -> None:
    """With a usage export every skill has a use count (0 for most); hours saved are known for
    two skills of 73, which the keys carry by position (builder.cards.sparse)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=big_url)
    watched = Watched(context.new_page())
    page = watched.page
    page.goto("index.html")
    for name, uses, saved in [("beta-sql", r"[1-9]\d* uses?", True), ("extra-001", "0 uses", False),
                              ("alpha-review", r"[1-9]\d* uses?", True)]:
        search(page, name)
        meta = page.locator("#cards .card-meta").first.inner_text()
        assert names(page)[0] == name
        assert re.search(rf"\b{uses}\b", meta), (name, meta)
        assert ("h saved" in meta) == saved, (name, meta)
    context.close()
    assert watched.problems == []


def test_loading_on_hover_or_focus_leaves_a_later_catalog_page_as_it_is(browser: Any, big_url: str) -> None:
    """The index and cards load on a hover or focus; until a search, filter or sort asks for
    them, page 2 keeps its own cards and its pager."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=big_url)
    watched = Watched(context.new_page())
    page = watched.page
    page.goto("catalog/2/index.html")
    before = names(page)
    page.hover("#q")
    page.focus("#q")
    for mark in ("relay:index", "relay:cards"):  # set by catalog.js once each has loaded
        for _ in range(200):
            if page.evaluate(f"performance.getEntriesByName('{mark}').length"):
                break
            page.wait_for_timeout(50)
        else:
            raise AssertionError(f"{mark} never came")
    assert names(page) == before and page.is_visible("#pager")
    search(page, before[0])
    assert names(page)[0] == before[0]
    context.close()
    assert watched.problems == []


def test_big_catalog_without_javascript_lists_every_skill_through_page_links(browser: Any,
                                                                             big_url: str) -> None:
    from builder.pages import CATALOG_PAGE

    context = browser.new_context(java_script_enabled=False, base_url=big_url)
    page = context.new_page()
    page.goto("index.html")
    seen = names(page)
    while page.locator("a[rel=next]").count():
        page.click("a[rel=next]")
        seen += names(page)
    context.close()
    assert len(seen) == len(set(seen)) == CATALOG_PAGE + 13


def test_best_matches_first_and_weak_matches_set_apart(page: Watched) -> None:
    page.page.goto("index.html")
    search(page.page, "slow sql joins review")  # three words in beta-sql, one in alpha-review
    assert names(page.page) == ["beta-sql", "alpha-review"]
    status = page.page.locator("#status").inner_text()
    assert "1 strong match" in status and "1 weaker match" in status
    assert page.page.locator("#cards .card.weak .card-title a").all_inner_texts() == ["alpha-review"]
    search(page.page, "Alpha Review")  # the name typed as words: that skill first
    assert names(page.page)[0] == "alpha-review"
    assert page.page.locator("#cards .card").first.get_attribute("class") == "card"


def _hold_blocks(page: Any) -> list[Any]:
    """Requests for description blocks (assets/cards/<n>.js) are held until the test lets them go."""
    held: list[Any] = []
    page.route(BLOCKS, lambda route: held.append(route))
    return held


def test_results_drawn_before_their_descriptions_arrive_link_the_right_skills(browser: Any,
                                                                             big_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=big_url)
    watched = Watched(context.new_page())
    page = watched.page
    held = _hold_blocks(page)
    page.goto("index.html")
    search(page, "extra-069")  # its description is in the last block
    first = page.locator("#cards .card").first
    assert names(page)[0] == "extra-069"
    assert first.locator(".card-title a").get_attribute("href") == "skills/extra-069/index.html"
    assert first.locator(".card-desc").inner_text() == "" and "pending" in first.get_attribute("class")
    assert first.locator(".card-meta").inner_text().startswith("qa-guild")
    assert held, "the blocks of the cards shown are asked for"
    for route in held:
        route.continue_()
    page.unroute(BLOCKS)  # blocks asked for later load as they come
    page.locator("#cards .card.pending").first.wait_for(state="detached")
    assert first.locator(".card-desc").inner_text() == "Extra skill number 69. Use when testing."
    zip_href = first.locator("a[download]").get_attribute("href")
    assert zip_href.startswith("zips/extra-069-") and zip_href.endswith(".zip")
    assert page.request.get(zip_href).ok
    first.locator(".card-title a").click()
    page.wait_for_url("**/skills/extra-069/index.html")
    context.close()
    assert watched.problems == []


def test_facets_count_every_card_without_any_description_block(browser: Any, big_url: str) -> None:
    """Filters, counts and sorting read the card keys alone: with every block held back, a
    facet still finds its cards in all four blocks."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=big_url)
    watched = Watched(context.new_page())
    page = watched.page
    _hold_blocks(page)
    page.goto("index.html")
    page.check('input[name="owner"][value="block-team"]')
    sync_api.expect(page.locator("#cards > li")).to_have_count(7)
    assert names(page) == [f"extra-{i:03d}" for i in range(0, 70, 10)]
    assert page.locator("#status").inner_text() == "7 skills"
    owner = page.locator('input[name="owner"][value="qa-guild"] >> xpath=.. >> .count').inner_text()
    assert owner == "63"  # under the owner filter, the other owner's count: the other 63 extras
    search(page, "extra")
    assert sorted(names(page)) == [f"extra-{i:03d}" for i in range(0, 70, 10)]
    context.close()


def test_catalog_searches_from_file_urls(browser: Any, big_site: Path) -> None:
    """Opened from disk: the index and card data are scripts, so they load without a server."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page())
    page = watched.page
    page.goto((big_site / "index.html").as_uri())
    search(page, "extra-069")
    assert names(page)[0] == "extra-069"
    page.locator("#cards .card.pending").first.wait_for(state="detached")
    first = page.locator("#cards .card").first
    assert first.locator(".card-desc").inner_text() == "Extra skill number 69. Use when testing."
    page.check('input[name="owner"][value="block-team"]')
    sync_api.expect(page.locator("#cards > li")).to_have_count(7)  # they share the word "extra"
    assert sorted(names(page)) == [f"extra-{i:03d}" for i in range(0, 70, 10)]
    context.close()
    assert watched.problems == []


def test_one_character_is_no_search_yet(page: Watched) -> None:
    page.page.goto("index.html")
    search(page.page, "s")  # as a prefix it would match most of a big catalog
    assert sorted(names(page.page)) == ["alpha-review", "beta-sql", "hostile"]
    assert page.page.locator("#status").inner_text() == "3 skills · type another letter to search"
    search(page.page, "sq")
    assert names(page.page) == ["beta-sql"]


def test_typing_fast_finds_what_typing_slowly_finds(browser: Any, base_url: str) -> None:
    """Keys typed before the index is in, or between its arrival and the query's shards, end
    in the same list and status as the query typed at once into a page that has loaded all."""
    query = "slow sql joins review"
    seen = []
    for delay in (0, None):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
        watched = Watched(context.new_page())
        page = watched.page
        page.goto("index.html")
        page.focus("#q")
        if delay is None:  # slowly: the search loaded, then the whole query at once
            search(page, "sql")
            search(page, query)
        else:
            page.keyboard.type(query, delay=delay)
        sync_api.expect(page.locator("#status")).to_contain_text(f"\u201c{query}\u201d")
        page.locator("body[data-search-state=ready]").wait_for(state="attached")
        seen.append((names(page), page.locator("#status").inner_text(),
                     page.locator("#cards .card.weak .card-title a").all_inner_texts()))
        context.close()
        assert watched.problems == []
    assert seen[0] == seen[1]
    assert seen[0][0] == ["beta-sql", "alpha-review"]


def test_the_url_follows_the_query_when_typing_pauses_or_focus_leaves(page: Watched) -> None:
    page.page.goto("index.html")
    page.page.focus("#q")
    page.page.keyboard.type("sql", delay=0)
    page.page.wait_for_url("**/index.html?q=sql")  # the typing paused
    assert names(page.page) == ["beta-sql"]
    page.page.keyboard.type(" review", delay=0)
    page.page.keyboard.press("Tab")  # focus leaves the box: the URL follows at once
    assert page.page.evaluate("location.search") == "?q=sql+review"
    sync_api.expect(page.page.locator("#status")).to_contain_text("\u201csql review\u201d")
    typed = names(page.page)
    page.page.reload()
    sync_api.expect(page.page.locator("#status")).to_contain_text("\u201csql review\u201d")
    assert page.page.input_value("#q") == "sql review"
    assert names(page.page) == typed


def test_a_one_letter_query_leaves_the_first_page_as_built(browser: Any, big_url: str) -> None:
    """The first page as built is the catalog unsearched: one letter redraws nothing and
    downloads no description, then a second letter searches."""
    from builder.pages import CATALOG_PAGE

    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=big_url)
    watched = Watched(context.new_page())
    page = watched.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto("index.html")
    built = names(page)
    search(page, "e")
    status = f"{CATALOG_PAGE + 13} skills \u00b7 type another letter to search"
    sync_api.expect(page.locator("#status")).to_have_text(status)
    assert names(page) == built
    assert page.locator("#cards > li[data-i]").count() == CATALOG_PAGE  # the built cards themselves
    assert not [url for url in requested if BLOCKS.search(url)]
    search(page, "extra-069")
    assert names(page)[0] == "extra-069"
    context.close()
    assert watched.problems == []


def test_shards_are_asked_for_before_lunr_is_in_and_the_final_query_wins(browser: Any,
                                                                          base_url: str) -> None:
    """With lunr.js held back by the server, the words typed already download their term shards
    (the index's head is enough to name them); once lunr.js is in, the list is the final query's,
    not that of a prefix typed on the way, whose shard was asked for first."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base_url)
    watched = Watched(context.new_page())
    page = watched.page
    held: list[Any] = []
    page.route("**/lunr.min.js", lambda route: held.append(route))
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto("index.html", wait_until="domcontentloaded")  # lunr.js, held, would hold the load event
    page.focus("#q")
    with page.expect_request(lambda r: r.url.endswith("/assets/search/ze.js")):
        page.keyboard.type("zeppelin", delay=0)
    with page.expect_request(lambda r: r.url.endswith("/assets/search/sq.js")):
        page.keyboard.type(" sql", delay=0)
    assert page.evaluate("typeof window.lunr") == "undefined" and len(held) == 1
    assert page.locator("body[data-search-state=loading]").count() == 1
    assert page.locator("#status").inner_text() == "Loading search\u2026"
    held[0].continue_()
    sync_api.expect(page.locator("#status")).to_contain_text("\u201czeppelin sql\u201d")
    page.locator("body[data-search-state=ready]").wait_for(state="attached")
    both = names(page)
    assert both[:2] == ["alpha-review", "beta-sql"] or both[:2] == ["beta-sql", "alpha-review"]
    assert shards_requested(requested) == ["ze.js", "sq.js"]
    context.close()
    assert watched.problems == []

"""The catalog stays small at any size: a page of cards, the rest in pages and in assets/cards/."""

from __future__ import annotations

from pathlib import Path

from builder.pages import CATALOG_PAGE

from ..conftest import skill_md
from .conftest import Builder, parse

EXTRA = CATALOG_PAGE + 10  # enough for two pages


def _add_skills(repo) -> list[str]:
    names = [f"extra-{i:03d}" for i in range(EXTRA)]
    repo.commit({f"skills/{n}/SKILL.md": skill_md(n, f"Extra skill number {i}. Use when testing.")
                 for i, n in enumerate(names)}, "many skills")
    return names


def _names_on(html) -> list[str]:  # type: ignore[no-untyped-def]
    """The skill names linked from a page's cards (links to skills/<name>/index.html)."""
    return [a.text for a in html.find_all("a")
            if a.attrs.get("href", "").endswith(f"skills/{a.text}/index.html")]


def test_pages_hold_every_skill_once_and_link_each_other(build_site: Builder, catalog_repo,
                                                         tmp_path: Path) -> None:
    extra = _add_skills(catalog_repo)
    build_site()
    site = tmp_path / "site"
    everything = sorted(extra + ["alpha-review", "beta-sql", "hostile"])
    first = parse(site / "index.html")
    assert len(first.find_all("li", class_="card")) == CATALOG_PAGE
    # Follow the plain "next" links from the home page, as a browser without JavaScript would.
    seen, page, visited = [], site / "index.html", 0
    while page is not None:
        visited += 1
        html = parse(page)
        seen += _names_on(html)
        nxt = [a for a in html.find_all("a") if a.attrs.get("rel") == "next"]
        page = (page.parent / nxt[0].attrs["href"]).resolve() if nxt else None
    assert visited == 2 and sorted(seen) == everything
    keys = (site / "assets/cards/keys.js").read_text(encoding="utf-8")
    assert all(f'"{name}"' in keys for name in everything)  # read back in JavaScript: test_cards.py
    assert (site / "assets/cards/0.js").is_file() and not (site / "assets/cards/1.js").exists()


def test_a_small_catalog_has_no_pager(build_site: Builder, tmp_path: Path) -> None:
    build_site()
    assert not (tmp_path / "site/catalog").exists()
    assert parse(tmp_path / "site/index.html").find_all("nav", id="pager") == []


def test_pages_of_a_shrunk_catalog_are_removed(build_site: Builder, catalog_repo, tmp_path: Path) -> None:
    extra = _add_skills(catalog_repo)
    build_site()
    assert (tmp_path / "site/catalog/2/index.html").is_file()
    catalog_repo.commit({f"skills/{n}/SKILL.md": None for n in extra}, "remove them")
    build_site()
    assert not (tmp_path / "site/catalog/2/index.html").exists()


def test_only_the_home_page_names_the_commit_so_a_new_commit_leaves_later_pages_alone(
        build_site: Builder, catalog_repo, tmp_path: Path) -> None:
    """The footer's commit and date change with every commit: shown on the home page only, so a
    commit that changes one skill on the first page does not rewrite the later pages."""
    _add_skills(catalog_repo)
    build_site()
    site = tmp_path / "site"
    tip = str(catalog_repo.repo.head.target)
    assert tip[:12] in (site / "index.html").read_text()
    later = site / "catalog/2/index.html"
    assert tip[:12] not in later.read_text() and "catalog.json" in later.read_text()
    before = later.stat().st_mtime_ns
    catalog_repo.commit({"skills/alpha-review/SKILL.md":
                         (catalog_repo.path / "skills/alpha-review/SKILL.md").read_text() + "\nMore.\n"})
    report = build_site()
    assert "index.html" in report.written and "catalog/2/index.html" not in report.written
    assert later.stat().st_mtime_ns == before
    assert str(catalog_repo.repo.head.target)[:12] in (site / "index.html").read_text()

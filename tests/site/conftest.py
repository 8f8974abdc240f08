"""Fixtures for the site builder: a small real catalog in git (hostile skill included),
builds of it, a usage export written with DuckDB, and HTML parsed structurally."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import duckdb
import pytest

from builder.build import BuildConfig, BuildReport, build
from tests.conftest import CHROMIUM, RepoBuilder, skill_md

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"

HOSTILE_BODY = """# Totally normal skill

<script>window.pwned = "script";</script>

<img src=x onerror="window.pwned = 'onerror'">

[click me](javascript:window.pwned='href') and [data](data:text/html,<script>alert(1)</script>)

<a href="JaVaScRiPt:window.pwned='mixed'">mixed case</a>

<svg onload="window.pwned='svg'"><script>window.pwned='svg-script'</script><circle r="4"/></svg>

<iframe src="javascript:window.pwned='iframe'"></iframe>

<div style="background:url(javascript:alert(1))" onclick="window.pwned='click'">styled</div>

<form action="javascript:alert(1)"><button>go</button></form>

<details open ontoggle="window.pwned='toggle'"><summary>more</summary>hidden</details>
"""

ALPHA_V1 = skill_md("alpha-review", "Reviews alpha changes. Use when a change touches alpha.",
                    tags="review, quality", owner="platform-team", category="engineering",
                    body="# Alpha review\n\nCheck the flux capacitor first.\n\n## Steps\n\n"
                         "See [the guide](references/guide.md).\n\n```python\nprint('hi')\n```\n")
ALPHA_V2 = ALPHA_V1.replace("flux capacitor", "flux capacitor and the zeppelin manifest")


def catalog_commits() -> list[dict[str, str | bytes | None]]:
    """Three skills over four commits; alpha-review has two versions."""
    return [
        {"skills/alpha-review/SKILL.md": ALPHA_V1,
         "skills/alpha-review/references/guide.md": "# Guide\n\nRead <b>carefully</b>.\n",
         "skills/alpha-review/assets/logo.png": b"\x89PNG\r\n\x1a\n\0\0\0binary",
         "skills/beta-sql/SKILL.md": skill_md(
             "beta-sql", "Lints SQL queries for slow joins. Use when writing SQL.", tags="sql, data",
             owner="data-eng", category="data", body="# SQL lint\n\nFind the cartesian explosion.\n")},
        {"skills/alpha-review/SKILL.md": ALPHA_V2},
        {"skills/hostile/SKILL.md": skill_md("hostile", "Looks harmless. Use when testing safety.",
                                             tags="security", owner="red-team", category="security",
                                             body=HOSTILE_BODY)},
    ]


def make_catalog(path: Path) -> RepoBuilder:
    repo = RepoBuilder(path)
    for i, files in enumerate(catalog_commits()):
        repo.commit(files, f"change {i}: update skills")
    repo.tag("alpha-review@1.0.0")
    return repo


def config_for(repo: Path, out: Path, **changes: object) -> BuildConfig:
    config = BuildConfig(repo=repo, out=out, node_modules=NODE_MODULES)
    return replace(config, **changes)  # type: ignore[arg-type]


# Headless Chromium as the browser tests launch it (Playwright, sync API).
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module; skips (a failure under CI=true) when Chromium or
    Playwright is missing, saying how to install it."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium missing: `apt-get install chromium`")
    sync_api = pytest.importorskip("playwright.sync_api", reason="`pip install playwright` (the dev extra)")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield instance
        instance.close()


class Watched:
    """A page that records console errors, uncaught exceptions and dialogs."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        self.allow_missing = False  # the hostile skill's <img src=x> is a harmless 404
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        if self.allow_missing and message.text.startswith("Failed to load resource"):
            return
        self.problems.append(message.text)


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where a test saves screenshots: the folder $RELAY_SCREENSHOTS names (for people to look
    at), else the test's own tmp dir. Tests never write into the checkout by default."""
    folder = Path(os.environ["RELAY_SCREENSHOTS"]) if os.environ.get("RELAY_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


needs_node = pytest.mark.skipif(not (NODE_MODULES / "lunr/lunr.min.js").is_file(),
                                reason="lunr.js missing: run `npm ci` in the repository root")


@pytest.fixture
def catalog_repo(tmp_path: Path) -> RepoBuilder:
    return make_catalog(tmp_path / "repo")


Builder = Callable[..., BuildReport]


@pytest.fixture
def build_site(catalog_repo: RepoBuilder, tmp_path: Path) -> Builder:
    """`build_site(**config changes)` builds the catalog into tmp_path/site."""
    if not (NODE_MODULES / "lunr/lunr.min.js").is_file():
        pytest.skip("lunr.js missing: run `npm ci` in the repository root")

    def run(**changes: object) -> BuildReport:
        changes.setdefault("out", tmp_path / "site")
        return build(config_for(catalog_repo.path, **changes))  # type: ignore[arg-type]

    return run


def write_usage_export(folder: Path) -> Path:
    """A tiny usage export: two days, three users, two skills, ratings with minutes saved."""
    start = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)  # a Monday
    rows = []
    for i in range(12):
        day = start + timedelta(days=i % 9)
        skill = "alpha-review" if i % 3 else "beta-sql"
        rows.append((day + timedelta(minutes=i), skill, "t" * 40, "c" * 40, "get_skill", "claude-code",
                     "1.0", f"user{i % 3}", f"s{i}", 12.5, True, 1000, None, None, ""))
    for i, (skill, minutes, rating) in enumerate([("alpha-review", 30.0, 5), ("alpha-review", 90.0, 4),
                                                  ("beta-sql", 15.0, 3)]):
        rows.append((start + timedelta(days=i, hours=3), skill, "t" * 40, "c" * 40, "rate_skill",
                     "claude-code", "1.0", f"user{i}", f"r{i}", 1.0, True, 0, rating, minutes, "ok"))
    con = duckdb.connect(":memory:")
    con.execute("""CREATE TABLE events (ts TIMESTAMPTZ, skill VARCHAR, tree_id VARCHAR, commit_id VARCHAR,
        tool VARCHAR, client_name VARCHAR, client_version VARCHAR, user_id VARCHAR, session_id VARCHAR,
        duration_ms DOUBLE, success BOOLEAN, bytes BIGINT, rating INTEGER, minutes_saved DOUBLE,
        comment VARCHAR)""")
    con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"COPY (SELECT *, strftime(ts, '%Y-%m-%d') AS day FROM events) TO '{folder}' "
                "(FORMAT parquet, PARTITION_BY (day), OVERWRITE_OR_IGNORE)")
    con.close()
    return folder


@pytest.fixture
def usage_export(tmp_path: Path) -> Path:
    return write_usage_export(tmp_path / "usage")


class Element:
    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag, self.attrs, self.text = tag, attrs, ""


class Page(HTMLParser):
    """Just enough structure for assertions: every element with its attributes and own text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.elements.append(element)
        if tag not in {"meta", "link", "img", "input", "br", "hr"}:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag
                and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def find(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst)

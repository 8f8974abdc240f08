"""The site for other kinds of items: a page per item and per plugin, the kind facet, install
instructions that fit the kind, downloads, and search across kinds."""

from __future__ import annotations

import io
import json
import posixpath
import zipfile
from pathlib import Path

import pytest

from builder.build import build
from tests.conftest import RepoBuilder, skill_md
from tests.kinds.fixtures import AGENT, repository

from .conftest import NODE_MODULES, config_for, parse

P = "plugins/toolkit/index.html"
REVIEWER = "items/agent/toolkit/reviewer/index.html"


def items_repo(path: Path) -> RepoBuilder:
    repo = RepoBuilder(path)
    repo.commit({**repository(), "skills/alpha/SKILL.md": skill_md("alpha")}, "items")
    return repo


@pytest.fixture
def site(tmp_path: Path) -> Path:
    if not (NODE_MODULES / "lunr/lunr.min.js").is_file():
        pytest.skip("lunr.js missing: run `npm ci` in the repository root")
    repo = items_repo(tmp_path / "repo")
    report = build(config_for(repo.path, tmp_path / "site"))
    assert (report.skills, report.items) == (1, 9)
    return tmp_path / "site"


def resolve(page: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def test_plugin_page_lists_every_component_linked_both_ways(site: Path) -> None:
    page = parse(site / P)
    assert page.find("h1").text == "toolkit"
    links = {a.text: resolve(P, a.attrs["href"]) for a in page.find_all("a")
             if a.attrs.get("href", "").startswith("../../items/")}
    assert links == {
        "toolkit:lint": "items/skill/toolkit/lint/index.html",
        "toolkit:reviewer": REVIEWER,
        "toolkit:review": "items/command/toolkit/review/index.html",
        "toolkit:hooks": "items/hooks/toolkit/hooks/index.html",
        "toolkit:mcp": "items/mcp/toolkit/mcp/index.html",
    }
    for target in links.values():
        back = parse(site / target)
        hrefs = [resolve(target, a.attrs["href"]) for a in back.find_all("a") if "href" in a.attrs]
        assert P in hrefs, target


def test_install_instructions_fit_the_kind(site: Path) -> None:
    def commands(path: str) -> list[str]:
        return [" ".join(c.text.split()) for c in parse(site / path).find_all("code")
                if c.attrs.get("id", "").startswith("cmd-")]

    assert commands(REVIEWER) == [
        "mkdir -p .claude/agents && curl -sSL reviewer.md -o .claude/agents/reviewer.md"]
    command = commands("items/command/toolkit/review/index.html")
    assert command[0].endswith("-o .claude/commands/review.md")
    assert command[1] == "claude mcp add --transport http relay http://127.0.0.1:8765/mcp"
    assert "toolkit:review" in parse(site / "items/command/toolkit/review/index.html").find(
        "section", class_="panel").text
    plugin = commands(P)
    assert plugin[0] == "/plugin marketplace add <this repository> /plugin install toolkit@team-tools"
    assert plugin[1].endswith("claude --plugin-dir plugins/toolkit")
    assert "unzip" in commands("items/skill/toolkit/lint/index.html")[0]


def test_downloads_are_the_item_itself(site: Path) -> None:
    assert (site / "items/agent/toolkit/reviewer/reviewer.md").read_text() == AGENT
    with zipfile.ZipFile(io.BytesIO((site / "plugins/toolkit/toolkit.zip").read_bytes())) as archive:
        names = set(archive.namelist())
    assert {"toolkit/.claude-plugin/plugin.json", "toolkit/agents/reviewer.md",
            "toolkit/skills/lint/SKILL.md"} <= names
    marketplace = json.loads((site / "items/marketplace/claude-plugin--marketplace.json/"
                                      "marketplace.json").read_text())
    assert marketplace["name"] == "team-tools"


def test_catalog_has_a_kind_facet_and_a_card_per_item(site: Path) -> None:
    page = parse(site / "index.html")
    kinds = [c.attrs["data-kind"] for c in page.find_all("li", class_="card")]
    assert sorted(set(kinds)) == ["agent", "command", "hooks", "marketplace", "mcp", "plugin", "skill"]
    assert kinds.count("skill") == 2 and kinds.count("agent") == 2
    boxes = {b.attrs["value"] for b in page.find_all("input", name="kind")}
    assert boxes == set(kinds)
    refs = [int(c.attrs["data-i"]) for c in page.find_all("li", class_="card")]
    assert refs == list(range(len(refs)))  # each card is its document in the search index


def test_restricted_items_stay_out_of_a_site_built_for_everyone(tmp_path: Path) -> None:
    if not (NODE_MODULES / "lunr/lunr.min.js").is_file():
        pytest.skip("lunr.js missing: run `npm ci` in the repository root")
    repo = items_repo(tmp_path / "repo")
    repo.commit({"agents/secret.md": AGENT.replace("name: reviewer", "name: secret").replace(
        "model: sonnet\n", "model: sonnet\nmetadata:\n  audience: sre\n")}, "a restricted agent")
    build(config_for(repo.path, tmp_path / "public"))
    build(config_for(repo.path, tmp_path / "sre", audience=frozenset({"sre"})))
    assert not (tmp_path / "public/items/agent/secret").exists()
    assert not any("secret" in p.read_text() for p in (tmp_path / "public/assets/cards").iterdir())
    assert "secret" in (tmp_path / "sre/assets/cards/keys.js").read_text()
    assert (tmp_path / "sre/items/agent/secret/index.html").is_file()

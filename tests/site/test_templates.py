"""Every template renders with its typed context; HTML is checked structurally, not by snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import pages
from builder.charts import column_chart, hbar_chart
from builder.context import (
    TEMPLATES,
    Card,
    CatalogPage,
    Chart,
    ComponentLink,
    Fact,
    FileNode,
    FileView,
    Install,
    InstallStep,
    ItemPage,
    NotFoundPage,
    SiteInfo,
    SkillPage,
    UsageFigures,
    UsagePage,
    UsageRow,
    VersionEntry,
    VersionRow,
)
from builder.facets import compute_facets, narrow
from builder.render import TEMPLATES_DIR, Renderer

from .conftest import Builder, Page, parse

SITE = SiteInfo("Relay skills", "a" * 40, "2024-01-01 00:00 UTC", "http://127.0.0.1:8765/mcp", True)
FIG = UsageFigures(uses=5, users=2, hours_saved=1.5, rating=4.0, ratings=1)
CARDS = [Card(0, "one", "First <b>skill</b>.", ("a", "b"), "team-x", "data", "MIT", "2024-01-01", 2,
              "skills/one/index.html", FIG),
         Card(1, "two", "Second.", ("b",), "team-y", "data", "", "2024-02-01", 1, "skills/two/index.html",
              None)]
ROW = VersionRow("t" * 40, "t" * 12, "c" * 40, "2024-01-01 10:00", "Ada", "Initial", ("one@1.0.0",),
                 "skills/one/index.html#v1.0.0", "zips/one-tttttttttttt.zip", label="1.0.0")

CONTEXTS = {
    "catalog.html": CatalogPage(SITE, CARDS, compute_facets(CARDS), ["broken-one"]),
    "skill.html": SkillPage(SITE, "one", "First.", "<p>Body</p>", [(2, "steps", "Steps")],
                            [Fact("Owner", "team-x")], ("a",),
                            (FileNode("refs", "refs", children=(FileNode("g.md", "refs/g.md", 10,
                                                                         "skills/one/index.html#f-refs/g.md"),)),),
                            [VersionEntry(ROW, '<pre class="diff"><code><ins>+x</ins></code></pre>',
                                          "v1.0.0")],
                            [FileView("refs/g.md", 10, "", "This is a binary file.", "raw/one/refs/g.md",
                                      "f-refs/g.md")],
                            Install("one", ROW.zip_href, "one.zip", SITE.mcp_url,
                                    "skill://one/SKILL.md", ".claude-plugin/marketplace.json"),
                            FIG, 120, "skills/one.json", "skills/one"),
    "usage.html": UsagePage(SITE, FIG, "2024-01-01 to 2024-01-31",
                            [Chart("Uses", hbar_chart("Uses", [("one", 5)]), ("Skill", "Uses"),
                                   [("one", "5")]),
                             Chart("Weeks", column_chart("Weeks", [("2024-01-01", 3), ("2024-01-08", 0)]),
                                   ("Week", "Uses"), [])],
                            [UsageRow("one", "skills/one/index.html", FIG)]),
    "404.html": NotFoundPage(SITE),
    "item.html": ItemPage(SITE, "plugin", "Plugin", "kit", "A <b>kit</b>.", "<p>Readme</p>",
                          [Fact("Kind", "Plugin")], None,
                          [ComponentLink("Subagent", "kit:rev", "Reviews.",
                                         "items/agent/kit/rev/index.html")],
                          [InstallStep("From a folder", "Unpack it:", "curl {url} -o kit.zip",
                                       "plugins/kit/kit.zip", "kit.zip")], [ROW]),
}


def test_every_template_has_a_context_and_a_file() -> None:
    assert set(CONTEXTS) == set(TEMPLATES)
    on_disk = {p.name for p in TEMPLATES_DIR.glob("*.html")} - {"base.html"}
    assert on_disk == set(TEMPLATES)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_renders(name: str) -> None:
    html = Renderer(TEMPLATES_DIR, None).render(name, CONTEXTS[name], "x/index.html").decode()
    page = Page(html)
    assert len(page.find_all("h1")) == 1
    assert page.find("html").attrs["lang"] == "en"
    assert page.find("link", rel="stylesheet").attrs["href"] == "../assets/site.css"


def test_wrong_context_type_is_refused() -> None:
    with pytest.raises(TypeError, match="catalog.html takes a CatalogPage"):
        Renderer(TEMPLATES_DIR, None).render("catalog.html", CONTEXTS["404.html"], "index.html")


def test_catalog_escapes_and_lists_cards_and_facets() -> None:
    renderer = Renderer(TEMPLATES_DIR, None)
    html = renderer.render("catalog.html", CONTEXTS["catalog.html"], "index.html").decode()
    assert "First &lt;b&gt;skill&lt;/b&gt;." in html
    page = Page(html)
    assert [c.attrs["data-i"] for c in page.find_all("li", class_="card")] == ["0", "1"]
    tag_b = page.find("input", name="tag", value="b")
    assert tag_b.attrs["form"] == "search-form"
    assert "broken-one" in page.find("p", class_="note").text


def test_facet_counts_and_narrowing() -> None:
    facets = {f.key: {v.value: v.count for v in f.values} for f in compute_facets(CARDS)}
    assert facets == {"tag": {"b": 2, "a": 1}, "category": {"data": 2}, "owner": {"team-x": 1, "team-y": 1},
                      "license": {"MIT": 1}}
    assert [c.name for c in narrow(CARDS, {"tag": {"a"}})] == ["one"]
    assert [c.name for c in narrow(CARDS, {"tag": {"a", "b"}, "owner": {"team-y"}})] == ["two"]
    assert len(narrow(CARDS, {})) == 2


def test_built_skill_page_structure(build_site: Builder, tmp_path: Path) -> None:
    build_site()
    page = parse(tmp_path / "site/skills/alpha-review/index.html")
    assert page.find("h1").text == "alpha-review"
    assert page.find("code", id="cmd-uri").text == "skill://alpha-review/SKILL.md"
    assert page.find("code", id="cmd-mcp").text.endswith("http://127.0.0.1:8765/mcp")
    terms, values = page.find_all("dt"), page.find_all("dd")
    facts = dict(zip([d.text for d in terms], [d.text for d in values], strict=False))
    assert facts["Owner"] == "platform-team" and facts["License"] == "Apache-2.0"
    rows = [li for li in page.find_all("li") if li.attrs.get("id", "").startswith("v")]
    assert len(rows) == 2 and "alpha-review@1.0.0" in rows[0].text  # newest first
    assert page.find("h2", id="alpha-review").text.startswith("Alpha review")
    assert page.find("a", href="#f-references/guide.md").text == "the guide"  # its section, same page
    assert "Guide" in page.find("section", id="f-references/guide.md").text
    hostile = parse(tmp_path / "site/skills/hostile/index.html")
    assert [s.attrs.get("src") for s in hostile.find_all("script")] == [
        "../../assets/theme.js", "../../assets/site.js"]  # ours, no inline script; nothing from the skill
    for element in hostile.elements:
        assert element.tag not in ("svg", "iframe", "form")
        assert not any(name.startswith("on") or name == "style" for name in element.attrs)
        assert not element.attrs.get("href", "").lower().startswith(("javascript:", "data:"))


def test_card_contexts_from_skills(catalog_repo) -> None:
    from registry.catalog import Registry

    registry = Registry(catalog_repo.path)
    skill = registry.catalog().get("alpha-review")
    card = pages.card(3, skill, None)
    assert (card.index, card.owner, card.tags, card.versions) == \
        (3, "platform-team", ("review", "quality"), 2)
    registry.close()

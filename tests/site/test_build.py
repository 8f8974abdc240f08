"""The build pipeline end to end and stage by stage: outputs, determinism, incremental, base URL."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygit2
import pytest

from builder import build as pipeline
from builder import paths
from builder.build import AssetsMissing, find_lunr
from builder.output import FIELDS, Manifest, Output, SkillEntry
from builder.render import TEMPLATES_DIR, Renderer
from registry.catalog import Registry

from .conftest import ALPHA_V2, NODE_MODULES, Builder, parse


def digests(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_full_build_writes_every_kind_of_output(build_site: Builder, tmp_path: Path) -> None:
    report = build_site()
    site = tmp_path / "site"
    assert report.skills == 3 and sorted(report.rendered) == ["alpha-review", "beta-sql", "hostile"]
    for path in ["index.html", "404.html", "usage/index.html", "catalog.json", ".nojekyll",
                 "assets/site.css", "assets/catalog.js",
                 "assets/lunr.min.js", "assets/pygments.css", "assets/search-index.js",
                 "skills/alpha-review/index.html", "skills/alpha-review.json",
                 "raw/alpha-review/assets/logo.png", paths.MANIFEST]:
        assert (site / path).is_file(), path
    # One page per skill: no page per file or per version, no files or history page (issue 12)
    assert [p.name for p in (site / "skills/alpha-review").iterdir()] == ["index.html"]
    page = parse(site / "skills/alpha-review/index.html")
    assert len([li for li in page.find_all("li") if li.attrs.get("id", "").startswith("v")]) == 2
    # A copy only of what the page cannot show (the PNG); the zip of the newest version only
    assert [p.relative_to(site / "raw").as_posix() for p in (site / "raw").rglob("*") if p.is_file()] \
        == ["alpha-review/assets/logo.png"]
    latest = json.loads((site / "skills/alpha-review.json").read_text())["versions"][-1]["tree_id"]
    assert sorted(p.name for p in (site / "zips").iterdir() if p.name.startswith("alpha-review-")) == \
        [f"alpha-review-{latest[:12]}.zip"]


def test_build_is_deterministic(build_site: Builder, tmp_path: Path) -> None:
    build_site(out=tmp_path / "one")
    build_site(out=tmp_path / "two")
    assert digests(tmp_path / "one") == digests(tmp_path / "two")


def test_incremental_rebuild_rewrites_only_the_changed_skill(build_site: Builder, catalog_repo,
                                                             tmp_path: Path) -> None:
    build_site()
    site = tmp_path / "site"
    before = {p: (site / p).stat().st_mtime_ns for p in digests(site)}
    assert build_site().rendered == []  # nothing changed: nothing re-rendered
    catalog_repo.commit({"skills/beta-sql/SKILL.md":
                         (catalog_repo.path / "skills/beta-sql/SKILL.md").read_text() + "\nMore.\n"})
    report = build_site()
    assert report.rendered == ["beta-sql"]
    rewritten = {p for p in digests(site) if before.get(p) != (site / p).stat().st_mtime_ns}
    others = ("skills/alpha-review", "skills/hostile", "zips/alpha-review", "raw/alpha-review")
    assert not any(p.startswith(others) for p in rewritten), rewritten
    assert "skills/beta-sql/index.html" in rewritten and "assets/search-index.js" in rewritten
    zips = [p for p in (site / "zips").iterdir() if p.name.startswith("beta-sql-")]
    assert len(zips) == 1  # the last build's zip of beta-sql is pruned


def test_incremental_build_equals_a_clean_build(build_site: Builder, catalog_repo, tmp_path: Path) -> None:
    build_site()
    catalog_repo.commit({"skills/hostile": None, "skills/gamma/SKILL.md": ALPHA_V2.replace(
        "alpha-review", "gamma")})
    report = build_site()
    assert report.removed > 0
    build_site(out=tmp_path / "clean")
    assert digests(tmp_path / "site") == digests(tmp_path / "clean")
    assert not (tmp_path / "site/skills/hostile").exists()


def test_template_change_re_renders_everything(build_site: Builder, tmp_path: Path) -> None:
    build_site()
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    (templates / "404.html").write_text((templates / "404.html").read_text() + "\n")
    assert len(build_site(templates=templates).rendered) == 3


def test_a_catalog_template_change_re_renders_the_catalog_pages(build_site: Builder, tmp_path: Path) -> None:
    """The catalog pages are skipped when their digest is the last build's: the templates are
    part of it, so an edited catalog.html shows on every page, as in a clean build."""
    build_site()
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    page = templates / "catalog.html"
    page.write_text(page.read_text().replace("{% endblock %}", "<p>edited-catalog</p>{% endblock %}", 1))
    build_site(templates=templates)
    assert "edited-catalog" in (tmp_path / "site/index.html").read_text()
    build_site(templates=templates, out=tmp_path / "clean")
    assert digests(tmp_path / "site") == digests(tmp_path / "clean")


@pytest.mark.parametrize("damage", ["cut short", "not utf-8", "a line without its fields"])
def test_a_damaged_manifest_means_a_full_rebuild(build_site: Builder, catalog_repo, tmp_path: Path,
                                                 damage: str) -> None:
    """A manifest cut short (a build killed while writing it), with bytes that are not UTF-8,
    or with a line missing fields: the rebuild renders what it cannot trust again, and every
    file equals a clean build's (without a manifest the last build's outputs are unknown, so
    its zip of the changed skill stays: docs/site.md says to use --clean then)."""
    build_site()
    manifest = tmp_path / "site" / paths.MANIFEST
    data = manifest.read_bytes()
    damaged = {"cut short": data[:len(data) - 100],
               "not utf-8": data.replace(b"alpha-review", b"alpha-\xff", 1),
               "a line without its fields": data.replace(b"\n", b"\nbroken\tline\n", 1)}[damage]
    manifest.write_bytes(damaged)
    catalog_repo.commit({"skills/beta-sql/SKILL.md":
                         (catalog_repo.path / "skills/beta-sql/SKILL.md").read_text() + "\nMore.\n"})
    report = build_site()
    assert "beta-sql" in report.rendered
    if damage != "a line without its fields":
        assert len(report.rendered) == 3, report.rendered  # nothing kept: every skill again
    build_site(out=tmp_path / "clean")
    site, clean = digests(tmp_path / "site"), digests(tmp_path / "clean")
    assert clean.items() <= site.items()
    assert all(p.startswith("zips/beta-sql-") for p in set(site) - set(clean)), set(site) - set(clean)


def test_base_url_makes_links_absolute_under_the_prefix(build_site: Builder, tmp_path: Path) -> None:
    build_site(base_url="/sub/")
    page = parse(tmp_path / "site/skills/alpha-review/index.html")
    hrefs = [a.attrs["href"] for a in page.find_all("a") if a.attrs.get("href")]
    site_links = [h for h in hrefs if not h.startswith(("#", "http", "mailto"))]
    assert site_links and all(h.startswith("/sub/") for h in site_links), site_links
    assert "/sub/skills/alpha-review/#f-references/guide.md" in hrefs
    assert page.find("link", rel="stylesheet").attrs["href"] == "/sub/assets/site.css"
    not_found = parse(tmp_path / "site/404.html")
    assert not_found.find("link", rel="stylesheet").attrs["href"] == "/sub/assets/site.css"


def test_default_links_are_relative(build_site: Builder, tmp_path: Path) -> None:
    build_site()
    page = parse(tmp_path / "site/skills/alpha-review/index.html")
    assert page.find("link", rel="stylesheet").attrs["href"] == "../../assets/site.css"
    assert page.find("a", href="../../zips/" + Path(page.find("a", download="").attrs["href"]).name)
    assert parse(tmp_path / "site/404.html").find("link", rel="stylesheet").attrs["href"] == \
        "/assets/site.css"


def test_stage_load_catalog(catalog_repo) -> None:
    registry = Registry(catalog_repo.path)
    catalog = pipeline.load_catalog(registry, None)
    assert [s.name for s in catalog] == ["alpha-review", "beta-sql", "hostile"]
    assert len(catalog.get("alpha-review").versions) == 2
    registry.close()


def test_stage_render_skill_page(catalog_repo, tmp_path: Path) -> None:
    registry = Registry(catalog_repo.path)
    skill = registry.catalog().get("alpha-review")
    out = Output(tmp_path)
    site = pipeline.site_info(pipeline.BuildConfig(), registry.catalog().revision, [], None)
    pipeline.render_skill_page(registry, Renderer(TEMPLATES_DIR, None), out, site, skill, None)
    first = skill.versions[0].tree_id[:12]  # the older version: a row of the history
    assert sorted(out.written) == ["raw/alpha-review/assets/logo.png", "skills/alpha-review/index.html"]
    page = parse(tmp_path / "skills/alpha-review/index.html")
    assert "binary file" in page.find("section", id="f-assets/logo.png").text
    assert "# Guide" in page.find("section", id="f-references/guide.md").text
    assert "flux capacitor" in page.find("article", id="f-SKILL.md").text  # SKILL.md: rendered once
    source = (tmp_path / "skills/alpha-review/index.html").read_text()
    assert '<code class="language-markdown"># Guide' in source  # Markdown: as text, escaped
    downloads = [a.attrs["href"] for a in page.find_all("a") if "download" in a.attrs]
    assert [h for h in downloads if "raw" in h] == ["../../raw/alpha-review/assets/logo.png"]
    rows = [li for li in page.find_all("li") if li.attrs.get("id", "").startswith("v")]
    assert [r.attrs["id"] for r in rows] == ["v1.0.0", f"v{first}"]  # newest first, tag named
    assert "zeppelin" in rows[0].text and "<del>-Check the flux capacitor first.</del>" in source
    assert "<ins>+Check the flux capacitor and the zeppelin manifest first.</ins>" in source
    assert "diff --git" not in source and "index " not in page.find("pre", class_="diff").text
    zips = {h for h in downloads if "zips" in h}
    assert zips == {f"../../zips/alpha-review-{skill.latest.tree_id[:12]}.zip"}  # the newest only
    registry.close()


def test_diff_markup_marks_lines_only_inside_hunks() -> None:
    from builder.pages import diff_html

    diff = ("diff --git a/s/SKILL.md b/s/SKILL.md\nindex 1..2 100644\n--- a/s/SKILL.md\n+++ b/s/SKILL.md\n"
            "@@ -1,2 +1,2 @@\n same\n--- a rule that was removed\n+<b>new</b>\n")
    assert diff_html(diff) == ('<pre class="diff"><code>--- a/s/SKILL.md\n+++ b/s/SKILL.md\n'
                               "<b>@@ -1,2 +1,2 @@</b>\n same\n<del>--- a rule that was removed</del>\n"
                               "<ins>+&lt;b&gt;new&lt;/b&gt;</ins>\n</code></pre>")
    assert diff_html("") == ""


def test_stage_write_bundle_makes_a_deterministic_zip(catalog_repo, tmp_path: Path) -> None:
    registry = Registry(catalog_repo.path)
    skill = registry.catalog().get("alpha-review")
    bundle = pipeline.write_bundle(registry, Output(tmp_path), skill)
    again = pipeline.write_bundle(registry, Output(tmp_path / "again"), skill)
    assert bundle is not None and again is not None and bundle.data == again.data
    assert bundle.path == f"zips/alpha-review-{skill.latest.tree_id[:12]}.zip"
    with zipfile.ZipFile(tmp_path / bundle.path) as archive:
        names = archive.namelist()
        assert names == sorted(names) == ["alpha-review/SKILL.md", "alpha-review/assets/logo.png",
                                          "alpha-review/references/guide.md"]
        assert archive.read("alpha-review/SKILL.md").decode() == ALPHA_V2
        # commit 2, in UTC
        assert archive.getinfo("alpha-review/SKILL.md").date_time == (2023, 11, 15, 0, 13, 20)
    registry.close()


def test_stage_search_index_and_catalog_api(build_site: Builder, tmp_path: Path) -> None:
    build_site()
    site = tmp_path / "site/assets"
    head = (site / "search-index.js").read_text()
    assert '"ze"' in head and '"fl"' in head  # the shards of body words
    assert "zeppelin" in (site / "search/ze.js").read_text() and "flux" in (site / "search/fl.js").read_text()
    assert "Check the flux capacitor first" not in (site / "search/fl.js").read_text()  # terms, not text


def edit_manifest(site: Path, name: str, field: str, change: Callable[[Any], None]) -> None:
    """Change one field of one skill's line in the build manifest (tab-separated JSON fields)."""
    from builder.output import FIELDS

    lines = (site / paths.MANIFEST).read_text().split("\n")
    for number, line in enumerate(lines):
        parts = line.split("\t")
        if parts[0] == name:
            value = json.loads(parts[3 + FIELDS.index(field)])
            change(value)
            parts[3 + FIELDS.index(field)] = json.dumps(value)
            lines[number] = "\t".join(parts)
    (site / paths.MANIFEST).write_text("\n".join(lines))


def test_rebuild_takes_unchanged_skills_analyses_from_the_kept_term_counts(build_site: Builder, catalog_repo,
                                                                         tmp_path: Path) -> None:
    """Each skill's analysis is kept once, in the search index's term counts, and reused while
    the skill is unchanged: a mark made in the kept counts shows up in the next index, assembled
    from them (a skill was added: only it is read); with nothing changed the index is not
    assembled at all (its file keeps its bytes and its modification time); with the counts cut
    short, the next build reads and analyses every skill again."""
    from registry.search.counts import TermCounts

    from ..conftest import skill_md

    build_site()
    site = tmp_path / "site"
    kept = site / paths.SEARCH_COUNTS
    counts = TermCounts.loads(kept.read_bytes())
    assert counts is not None and "cartesian" in counts.vocab  # beta-sql's body
    counts.vocab[counts.vocab.index("cartesian")] = "cartesiax"  # the vocabulary stays sorted
    kept.write_bytes(counts.dumps())
    index = site / "assets/search-index.js"
    before = index.stat().st_mtime_ns
    assert build_site().rendered == []
    assert index.stat().st_mtime_ns == before
    catalog_repo.commit({"skills/gamma-new/SKILL.md": skill_md("gamma-new", body="# Gamma\n\nNew.\n")})
    report = build_site()
    assert report.read == ["gamma-new"] and report.search == "assembled"
    shard = (site / "assets/search/ca.js").read_text()
    assert "cartesiax" in shard and "cartesian" not in shard
    kept.write_bytes(kept.read_bytes()[:-1])
    again = build_site()
    assert sorted(again.read) == ["alpha-review", "beta-sql", "gamma-new", "hostile"]
    shard = (site / "assets/search/ca.js").read_text()
    assert "cartesian" in shard and "cartesiax" not in shard


def index_bytes(site: Path) -> bytes:
    """The search index's head and every shard, in order."""
    files = [site / "assets/search-index.js", *sorted((site / "assets/search").glob("*.js"))]
    return b"".join(f.name.encode() + f.read_bytes() for f in files)


def test_a_usage_change_alone_assembles_the_search_index_again(build_site: Builder, usage_export: Path,
                                                                tmp_path: Path) -> None:
    """Usage figures are priors of the ranking: new figures, a new index, though no skill changed."""
    build_site(usage_dir=usage_export)
    with_usage = index_bytes(tmp_path / "site")
    build_site()
    assert index_bytes(tmp_path / "site") != with_usage
    build_site(usage_dir=usage_export)
    assert index_bytes(tmp_path / "site") == with_usage


def test_rebuild_reads_only_changed_skills_and_assembles_the_rest_from_the_manifest(
        build_site: Builder, catalog_repo, tmp_path: Path) -> None:
    """An unchanged skill is not read from git again: its card and `catalog.json` entry come from
    the manifest (a marked entry shows up in the next build), and a changed one is read alone."""
    first = build_site()
    assert sorted(first.read) == ["alpha-review", "beta-sql", "hostile"]
    site = tmp_path / "site"
    edit_manifest(site, "alpha-review", "api", lambda e: e.update(description="quokka description"))
    edit_manifest(site, "alpha-review", "card", lambda c: c.update(description="quokka card"))
    catalog_repo.commit({"skills/beta-sql/SKILL.md":
                         (catalog_repo.path / "skills/beta-sql/SKILL.md").read_text() + "\nMore.\n"})
    report = build_site()
    assert report.read == ["beta-sql"] and report.rendered == ["beta-sql"]
    catalog = json.loads((site / "catalog.json").read_text())
    assert [s["description"] for s in catalog["skills"] if s["name"] == "alpha-review"] == \
        ["quokka description"]
    assert "quokka card" in (site / "index.html").read_text()
    shutil.rmtree(site / "skills/alpha-review")  # the cheap check: its folder
    assert build_site().rendered == ["alpha-review"]


def test_stage_copy_assets(tmp_path: Path) -> None:
    out = Output(tmp_path)
    pipeline.copy_assets(out, TEMPLATES_DIR, find_lunr(NODE_MODULES))
    assert {"assets/site.js", "assets/lunr.min.js", "assets/pygments.css", ".nojekyll"} <= set(out.written)


def test_missing_node_modules_says_run_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(AssetsMissing, match="run `npm ci`"):
        find_lunr(tmp_path)


def test_manifest_round_trip_and_corruption(tmp_path: Path) -> None:
    assert Manifest.load(tmp_path).skills == {}
    (tmp_path / paths.MANIFEST).write_text("{not json")
    assert Manifest.load(tmp_path).skills == {}
    manifest = Manifest(site=["index.html"], pages={"index.html": "d1"})
    manifest.skills["b"] = SkillEntry.made("f", "c", ["skills/b/index.html"],
                                           {f: json.dumps({"x\t\n": "é"}) for f in FIELDS})
    (tmp_path / paths.MANIFEST).write_bytes(manifest.dumps())
    again = Manifest.load(tmp_path)
    assert (again.site, again.pages, list(again.skills)) == (["index.html"], {"index.html": "d1"}, ["b"])
    assert again.skills["b"].outputs == ["skills/b/index.html"]
    assert again.skills["b"].get("api") == {"x\t\n": "é"}
    assert again.dumps() == manifest.dumps()
    (tmp_path / paths.MANIFEST).write_bytes(manifest.dumps().replace(b"\t", b" ", 1))  # a broken line
    assert Manifest.load(tmp_path).skills == {}


def test_manifest_flags_and_dates_read_without_the_json_decoder_as_with_it(tmp_path: Path) -> None:
    """`flag` and `string` read kept fields as json.loads would, escapes and hand edits included."""
    texts = {"outputs": "[]", "card": "{}", "api": "{}", "market": "null", "tip_broken": "true",
             "date": '"2024-05-01T10:00:00+02:00"'}
    made = SkillEntry.made("f", "c", [], texts)
    (tmp_path / paths.MANIFEST).write_bytes(Manifest(skills={"a": made}).dumps())
    kept = Manifest.load(tmp_path).skills["a"]
    assert kept.flag("tip_broken") is True and kept.string("date") == "2024-05-01T10:00:00+02:00"
    for text, flag in [("false", False), ("null", False), ("1", True), ("0", False)]:
        assert SkillEntry.made("f", "c", [], {**texts, "tip_broken": text}).flag("tip_broken") is flag
    for text, value in [('"a\\u00e9"', "a\u00e9"), ('""', ""), ('"x\\"y"', 'x"y')]:
        assert SkillEntry.made("f", "c", [], {**texts, "date": text}).string("date") == value


def test_an_empty_catalog_builds_an_empty_site(tmp_path: Path) -> None:
    """No skills folder at all: a site with no skills, not a traceback from lunr."""
    from tests.conftest import RepoBuilder

    from .conftest import config_for

    repo = RepoBuilder(tmp_path / "empty")
    repo.commit({"README.md": "nothing here yet\n"})
    report = pipeline.build(config_for(repo.path, tmp_path / "out"))
    assert report.skills == 0
    import json

    assert json.loads((tmp_path / "out/catalog.json").read_text())["skills"] == []
    assert (tmp_path / "out/assets/search-index.js").is_file()


def test_a_revert_builds_the_tip_content(tmp_path: Path) -> None:
    """A -> B (deletes a file) -> A: the site serves A with its file, not B."""
    from tests.conftest import RepoBuilder, skill_md

    from .conftest import config_for

    repo = RepoBuilder(tmp_path / "revert")
    repo.commit({"skills/a/SKILL.md": skill_md("a", body="Version A.\n"),
                 "skills/a/references/notes.md": "# Notes\n"})
    repo.commit({"skills/a/SKILL.md": skill_md("a", body="Version B.\n"),
                 "skills/a/references/notes.md": None})
    repo.commit({"skills/a/SKILL.md": skill_md("a", body="Version A.\n"),
                 "skills/a/references/notes.md": "# Notes\n"}, "revert to A")
    pipeline.build(config_for(repo.path, tmp_path / "out"))
    out = tmp_path / "out"
    page = parse(out / "skills/a/index.html")
    assert "Version A." in page.find("article", id="f-SKILL.md").text
    assert "# Notes" in page.find("section", id="f-references/notes.md").text
    tree_a = str(repo.repo.revparse_single("HEAD").peel(pygit2.Commit).tree["skills/a"].id)
    with zipfile.ZipFile(out / f"zips/a-{tree_a[:12]}.zip") as z:
        assert sorted(z.namelist()) == ["a/SKILL.md", "a/references/notes.md"]
    page = (out / "skills/a/index.html").read_text()
    assert "revert to A" in page


def test_parallel_build_writes_the_same_bytes_as_one_process(build_site: Builder, catalog_repo,
                                                             tmp_path: Path) -> None:
    """Enough stale skills to start worker processes: the site must not depend on how many."""
    from builder.parallel import PARALLEL_THRESHOLD

    from ..conftest import skill_md

    catalog_repo.commit({f"skills/extra-{i:02d}/SKILL.md": skill_md(f"extra-{i:02d}", body=f"# Extra {i}\n")
                         for i in range(PARALLEL_THRESHOLD)}, "many skills")
    one = build_site(out=tmp_path / "one", jobs=1)
    two = build_site(out=tmp_path / "two", jobs=2)
    assert len(two.rendered) == len(one.rendered) == PARALLEL_THRESHOLD + 3
    assert digests(tmp_path / "one") == digests(tmp_path / "two")
    catalog_repo.commit({"skills/extra-07/SKILL.md": skill_md("extra-07", body="# Changed\n")})
    again = build_site(out=tmp_path / "two", jobs=2)
    assert again.rendered == ["extra-07"]


def test_rebuilds_equal_clean_builds_through_a_revert_a_tag_and_a_force_push(tmp_path: Path) -> None:
    """After each change, the incremental rebuild (last build's manifest, version index updated
    from the last indexed tip) writes the same tree as a build into an empty folder with the
    version index walked from scratch: a new version, a revert to older content, a release tag,
    and history rewritten under the branch (a force push: the index must drop what is gone)."""
    import subprocess

    from tests.conftest import RepoBuilder, skill_md

    from .conftest import config_for

    repo = RepoBuilder(tmp_path / "repo")
    repo.commit({"skills/a/SKILL.md": skill_md("a", body="Version A.\n"),
                 "skills/b/SKILL.md": skill_md("b", body="Bee one.\n")})
    site = tmp_path / "site"
    pipeline.build(config_for(repo.path, site))

    def same_as_a_clean_build(step: str) -> None:
        pipeline.build(config_for(repo.path, site))
        shutil.rmtree(Path(repo.repo.path) / "relay")  # the version index, walked again below
        clean = tmp_path / f"clean-{step}"
        pipeline.build(config_for(repo.path, clean))
        assert digests(site) == digests(clean), step

    repo.commit({"skills/a/SKILL.md": skill_md("a", body="Version B.\n")}, "edit a")
    same_as_a_clean_build("edit")
    repo.commit({"skills/a/SKILL.md": skill_md("a", body="Version A.\n")}, "revert a")
    same_as_a_clean_build("revert")
    repo.tag("b@1.0.0")
    same_as_a_clean_build("tag")
    pages_before = (site / "skills/a/index.html").read_text()
    assert "revert a" in pages_before
    subprocess.run(["git", "reset", "-q", "--hard", "HEAD~2"], cwd=repo.path, check=True)
    repo.commit({"skills/a/SKILL.md": skill_md("a", body="Version C.\n")}, "rewritten a")
    same_as_a_clean_build("force push")
    history = (site / "skills/a/index.html").read_text()
    assert "rewritten a" in history and "revert a" not in history and "edit a" not in history


@pytest.mark.parametrize("forked", [False, True], ids=["in-process", "forked"])
def test_a_rebuild_weighs_only_the_changed_skills_terms_and_equals_a_clean_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: bool) -> None:
    """With the same skills and the same rounded average field lengths, a rebuild updates the
    search index from its kept term counts (the changed skill's terms, before and after, and the
    shards holding them) and the site equals a clean build's byte for byte: a word new to the
    catalog (a new shard), a word gone from it (its shard gone), a common word added to one more
    skill (its document frequency, hence every weight of it, moves). The same when the whole
    index is assembled in a forked process (large catalogs)."""
    if forked:
        monkeypatch.setattr(pipeline, "SEARCH_FORK_THRESHOLD", 0)
        monkeypatch.setattr(pipeline, "spare_core", lambda cores: True)  # forks however busy
    from tests.conftest import RepoBuilder, skill_md

    from .conftest import config_for

    words = ["river stone", "garden plan", "ledger sum", "kettle brew", "lantern glow"]
    repo = RepoBuilder(tmp_path / "repo")
    body = "# Notes\n\nCommon words {} and more words for skill {}.\n"
    repo.commit({f"skills/s{i:02d}/SKILL.md": skill_md(f"s{i:02d}", body=body.format(words[i % 5], i))
                 for i in range(30)})
    site = tmp_path / "site"
    assert pipeline.build(config_for(repo.path, site)).search == "assembled"
    assert (site / "assets/search/qu.js").exists() is False

    def same_as_a_clean_build(step: str, how: str) -> None:
        report = pipeline.build(config_for(repo.path, site))
        assert report.search == how, step
        clean = tmp_path / f"clean-{step}"
        assert pipeline.build(config_for(repo.path, clean)).search == "assembled"
        assert digests(site) == digests(clean), step

    # "quokka" is new (shard qu), "ledger" leaves this skill, "kettle" (in 6 skills) gets a 7th
    repo.commit({"skills/s02/SKILL.md": skill_md("s02", body="# Notes\n\nCommon words quokka kettle"
                                                 " and more words for skill 2.\n")}, "edit s02")
    same_as_a_clean_build("edit", "updated")
    assert (site / "assets/search/qu.js").is_file()
    repo.commit({"skills/s02/SKILL.md": skill_md("s02", body="# Notes\n\nCommon words river kettle"
                                                 " and more words for skill 2.\n")}, "again")
    same_as_a_clean_build("again", "updated")
    assert not (site / "assets/search/qu.js").exists()
    same_as_a_clean_build("nothing", "kept")
    long = " ".join(f"word{n}" for n in range(400))  # moves the average body length: all again
    repo.commit({"skills/s03/SKILL.md": skill_md("s03", body=f"# Notes\n\n{long}\n")}, "long")
    same_as_a_clean_build("long", "assembled")


def test_a_rebuild_splices_a_changed_skills_postings_and_equals_a_clean_build(tmp_path: Path) -> None:
    """A change that keeps a skill's terms (one word said twice, another once less: its weights
    move, no document frequency does) splices its postings into the kept shards; a change that
    adds and removes terms, and adding, removing and renaming a skill (every idf or every ref
    moves: the index is assembled) each leave a site equal to a clean build's, byte for byte:
    the search index, its kept counts, the catalog pages and the catalog JSON."""
    from tests.conftest import RepoBuilder, skill_md

    from .conftest import config_for

    repo = RepoBuilder(tmp_path / "repo")
    body = "# Notes\n\nShared words {} and more words for skill {}.\n"
    words = ["amber lamp", "birch path", "cedar mill", "dune walk"]
    repo.commit({f"skills/k{i:02d}/SKILL.md": skill_md(f"k{i:02d}", body=body.format(words[i % 4], i))
                 for i in range(24)})
    site = tmp_path / "site"
    pipeline.build(config_for(repo.path, site))

    def same_as_a_clean_build(step: str, how: str) -> None:
        report = pipeline.build(config_for(repo.path, site))
        assert report.search == how, step
        clean = tmp_path / f"clean-{step}"
        pipeline.build(config_for(repo.path, clean))
        assert digests(site) == digests(clean), step

    lamp = (site / "assets/search/la.js").read_text()
    assert "lamp" in lamp
    same_terms = body.format("amber lamp", 4).replace("more words", "more lamp")
    repo.commit({"skills/k04/SKILL.md": skill_md("k04", body=same_terms)}, "same terms")
    same_as_a_clean_build("same terms", "updated")
    assert (site / "assets/search/la.js").read_text() != lamp  # k04's weight of "lamp" moved
    repo.commit({"skills/k05/SKILL.md": skill_md("k05", body=body.format("cedar pebble", 5))},
                "birch and path out, cedar and pebble in")
    same_as_a_clean_build("terms in and out", "updated")
    repo.commit({"skills/k24/SKILL.md": skill_md("k24", body=body.format("amber mill", 24))}, "add")
    same_as_a_clean_build("add", "assembled")
    repo.commit({"skills/k24/SKILL.md": skill_md("k24", body=body.format("amber lamp", 24))}, "edit")
    same_as_a_clean_build("edit after add", "updated")
    repo.commit({"skills/k07": None}, "remove")
    same_as_a_clean_build("remove", "assembled")
    renamed = skill_md("k88", body=body.format("dune walk", 8))
    repo.commit({"skills/k08": None, "skills/k88/SKILL.md": renamed}, "rename")
    same_as_a_clean_build("rename", "assembled")


def test_search_index_assembled_in_a_forked_process_has_the_same_bytes(
        build_site: Builder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large catalog's search index is assembled beside the other catalog-wide stages, in a
    forked process: the site must not depend on it."""
    build_site(out=tmp_path / "inline", jobs=1)
    monkeypatch.setattr(pipeline, "SEARCH_FORK_THRESHOLD", 0)
    monkeypatch.setattr(pipeline, "spare_core", lambda cores: True)  # forks however busy
    build_site(out=tmp_path / "forked", jobs=2)
    assert digests(tmp_path / "forked") == digests(tmp_path / "inline")
    assert "zeppelin" in (tmp_path / "forked/assets/search/ze.js").read_text()

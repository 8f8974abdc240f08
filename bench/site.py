"""Benchmark `relay build` against `mkdocs build` of the same skills, and the search in Chromium.

Generates catalogs of N skills with five versions each (git fast-import, cached
under bench/.work/), then measures: the full build, an incremental build after
one skill changes, the search index size gzipped, and in headless Chromium the
time from first focus on the search box to the first results. The anchor is
`mkdocs build` of the same skills' markdown (SKILL.md and bundled .md files),
with its own search plugin. Prints a markdown table.

With `--dataset [PATH]` it builds instead the site of the real plugin
marketplace corpus (a page per plugin, subagent, command, plugin skill, hooks
file and marketplace), alternating with `mkdocs build` of the same markdown.

Usage: .venv/bin/python bench/site.py [--sizes 1000,10000] [--search-sizes 10000] [--keep]
       .venv/bin/python bench/site.py --dataset [PATH] [--rounds N]
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchlib import (
    AUTHORS,
    BIN,
    WORK,
    FastImport,
    Timing,
    at_most,
    clock,
    duration,
    git,
    revise,
    skill_files,
    skill_names,
    table,
    verdict,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from builder.build import BuildConfig, build  # noqa: E402

VERSIONS = 5
INCREMENTAL_BUDGET = 2.0  # seconds, at 1,000 skills
INDEX_BUDGET = 1.5 * 1024 * 1024  # bytes gzipped, at 10,000 skills
SEARCH_BUDGET = 0.300  # seconds from first focus to first results, at 10,000 skills
START = 1_672_531_200  # 2023-01-01
CHROMIUM = "/usr/bin/chromium"


def vocabulary() -> list[str]:
    """Distinct words of this repository's real skills, in a fixed order.

    The shared generator writes bodies from a pool of fifteen sentences, far less
    varied than real skills; each generated skill here also gets a paragraph drawn
    from this vocabulary (Zipf-weighted), so the search index holds a realistic
    long tail of words that tell skills apart.
    """
    words: set[str] = set()
    for md in sorted((Path(__file__).resolve().parent.parent / "skills").rglob("*.md")):
        words.update(re.findall(r"[a-z][a-z]{3,15}", md.read_text(encoding="utf-8").lower()))
    return sorted(words)


VOCABULARY = vocabulary()
QUERY = VOCABULARY[40]  # a word with a Zipf weight that puts it in a few percent of the skills


def notes(rng: random.Random) -> str:
    weights = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
    return "\n## Notes\n\n" + " ".join(rng.choices(VOCABULARY, weights, k=15)) + ".\n"


def make_repo(count: int, seed: int = 11) -> Path:
    """N skills, each changed VERSIONS - 1 times after the first commit: VERSIONS versions each."""
    path = WORK / f"site-{count}-{VERSIONS}-{seed}-vocab"
    if (path / ".git").is_dir():
        return path
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=path)
    rng = random.Random(seed)
    names = skill_names(count, rng)
    contents = {n: skill_files(n, rng) for n in names}
    for n in names:
        contents[n]["SKILL.md"] += notes(rng).encode()
    when = START
    with FastImport(path / ".git") as fi:
        first = {f"skills/{n}/{p}": data for n in names for p, data in contents[n].items()}
        fi.commit("refs/heads/main", AUTHORS[0], when, "Import the catalog", first)
        for round_ in range(1, VERSIONS):
            for start in range(0, count, 100):  # one commit per 100 skills per round
                batch = names[start:start + 100]
                files = {}
                for n in batch:
                    contents[n]["SKILL.md"] = revise("SKILL.md", contents[n]["SKILL.md"], rng, round_)
                    files[f"skills/{n}/SKILL.md"] = contents[n]["SKILL.md"]
                when += 600
                fi.commit("refs/heads/main", rng.choice(AUTHORS), when, f"Round {round_}: revise skills",
                          files)
    git("checkout", "-q", "main", cwd=path)
    return path


def mkdocs_project(repo: Path, dest: Path, folder: str = "skills", title: str = "Skills") -> Path:
    """The same markdown as an MkDocs project: one page per .md file under `folder`."""
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    for md in sorted((repo / folder).rglob("*.md")):
        target = docs / md.relative_to(repo / folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = md.read_text(encoding="utf-8")
        if text.startswith("---\n"):  # MkDocs would read SKILL.md frontmatter as page meta; keep body
            text = text.split("\n---\n", 1)[-1]
        target.write_text(text, encoding="utf-8")
    (docs / "index.md").write_text(f"# {title}\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(f"site_name: {title}\nplugins: [search]\n", encoding="utf-8")
    return dest


def change_one_skill(repo: Path) -> None:
    skill = sorted((repo / "skills").iterdir())[0] / "SKILL.md"
    skill.write_text(skill.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    git("commit", "-q", "-am", f"Edit {skill.parent.name}", cwd=repo)


def first_results(site: Path, word: str, loads: int = 5, source: Path | None = None) -> tuple[Timing, str]:
    """Seconds from first focus on the search box to the first results, in headless Chromium,
    over `loads` page loads, each in a fresh browser (empty caches, V8's included: a first visit);
    and where the time went (the medians of the page's `relay:*` marks and of the ends of the
    index and card keys downloads, in ms after the focus; "first results complete" is when the
    descriptions of the first cards drawn are in too).

    The site is served by `relay serve-site` in its own process, as a user previews it, so
    the static server does not compete with this process for the interpreter; with `source` (a
    source tree of an earlier commit, holding its `registry` and `builder`), by that commit's.
    """
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [str(BIN / "relay"), "serve-site", "--dir", str(site), "--port", str(port)]
    env = dict(os.environ)
    if source is not None:  # its packages first on the path: its server, not this checkout's
        command = [sys.executable, "-c", "from registry.cli import main; main()", *command[1:]]
        env["PYTHONPATH"] = str(source)
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[float] = []
    stages: dict[str, list[float]] = {}
    try:
        _wait_for(port)
        with sync_playwright() as p:
            for _ in range(loads):
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox",
                                                                            "--disable-gpu"])
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/index.html")
                page.focus("#q")
                page.keyboard.type(word, delay=0)
                samples.append((_first_results_ms(page) or 0.0) / 1000)
                # descriptions in too (see _STAGES); a site built before they came in blocks never says
                _first_results_ms(page, "window.relayFirstCompleteMs", 20.0, required=False)
                for name, ms in page.evaluate(_STAGES).items():
                    stages.setdefault(name, []).append(ms)
                shown = page.locator("#cards > li:not([hidden])").count()
                assert shown > 0, f"the search for {word!r} found nothing"
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    where = ", ".join(f"{name} {statistics.median(ms):.0f} ms" for name, ms in stages.items()
                      if len(ms) == len(samples))
    return Timing(tuple(samples)), where


def _first_results_ms(page, measure: str = "window.relayFirstResultsMs",  # noqa: ANN001 - a Playwright page
                      timeout: float = 60.0, required: bool = True) -> float | None:
    """What the page measured: the first results drawn, or (relayFirstCompleteMs) also every
    description of them in. Polled from here: wait_for_function's polling evaluates a string
    in the page, which the site's Content-Security-Policy (no 'unsafe-eval') refuses."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ms = page.evaluate(measure)
        if ms is not None:
            return float(ms)
        time.sleep(0.05)
    if not required:
        return None
    raise SystemExit(f"no search results within {timeout:.0f} s")


# ms after the first focus: downloads ended (Resource Timing), then the page's own marks
_STAGES = """(() => {
  const focus = performance.getEntriesByName("relay:focus")[0].startTime, out = {};
  for (const r of performance.getEntriesByType("resource")) {
    const file = r.name.split("/").pop();
    if (file === "search-index.js" || file === "keys.js") {
      out[(file === "keys.js" ? "cards/keys.js" : file) + " downloaded"] = r.responseEnd - focus;
    } else if (r.name.indexOf("/assets/search/") >= 0) {  // the query's term shards: first asked, last in
      out["shards requested"] = Math.min(out["shards requested"] ?? Infinity, r.startTime - focus);
      out["shards downloaded"] = Math.max(out["shards downloaded"] || 0, r.responseEnd - focus);
    }
  }
  const names = {index: "index ready", cards: "card keys ready", "first-complete": "first results complete"};
  for (const name of Object.keys(names)) {
    const m = performance.getEntriesByName("relay:" + name)[0];
    if (m) { out[names[name]] = m.startTime - focus; }
  }
  return out;
})()"""


def _wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"relay serve-site did not start on port {port}")


def index_files_gz(out: Path) -> dict[str, int]:
    """Each file of a built site's search index (the head, assets/search-index.js, and the term
    shards under assets/search/), gzipped as a server sends it: site path -> bytes."""
    files = [out / "assets/search-index.js", *sorted((out / "assets/search").glob("*.js"))]
    return {f.relative_to(out).as_posix(): len(gzip.compress(f.read_bytes(), 9)) for f in files}


def index_size(out: Path) -> tuple[int, int]:
    """(gzipped, raw) bytes of all the search index's files."""
    gz = index_files_gz(out)
    raw = sum((out / path).stat().st_size for path in gz)
    return sum(gz.values()), raw


def size_text(gz: int, raw: int) -> str:
    return f"{gz / 1024 / 1024:.2f} MB ({raw / 1024 / 1024:.1f} MB raw)"


def run(count: int, keep: bool) -> list[list[str]]:
    started = time.perf_counter()
    repo = make_repo(count)
    print(f"# {count} skills: repository ready in {duration(time.perf_counter() - started)}", file=sys.stderr)
    out = WORK / f"site-out-{count}"
    shutil.rmtree(out, ignore_errors=True)
    config = BuildConfig(repo=repo, out=out)
    full = clock(lambda: build(config))
    project = mkdocs_project(repo, WORK / f"mkdocs-{count}")
    mkdocs = clock(lambda: subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-d", str(project / "site")],
                                          cwd=project, check=True))
    change_one_skill(repo)
    incremental = clock(lambda: build(config))
    gz, raw = index_size(out)
    search, _ = first_results(out, QUERY)
    if not keep:
        git("reset", "-q", "--hard", "HEAD~1", cwd=repo)
    rows = [
        [f"{count:,}", "full build (Relay)", duration(full), f"MkDocs {duration(mkdocs)}: "
         + ("faster" if full < mkdocs else "**slower**") + f" ({full / mkdocs:.2f}x)"],
        [f"{count:,}", "incremental build, one skill changed", duration(incremental),
         verdict(incremental, INCREMENTAL_BUDGET) if count <= 1000 else "(target at 1,000)"],
        [f"{count:,}", "search index gzipped", size_text(gz, raw),
         verdict(gz, INDEX_BUDGET) if count >= 10_000 else "(target at 10,000)"],
        [f"{count:,}", "first focus to first results (Chromium)", search.text(),
         at_most(search, SEARCH_BUDGET) if count >= 10_000 else "(target at 10,000)"],
    ]
    return rows


def search_site(count: int, out: Path) -> float:
    """Build only the stages search needs (catalog page, index, card data, assets) into `out`:
    the 10,000-skill search figures without the full build's minutes. Returns the seconds taken."""
    from builder import build as stages
    from builder import pages
    from builder.output import Output
    from builder.render import TEMPLATES_DIR, Renderer
    from registry.catalog import Registry
    from registry.search import analyze_document, skill_document

    repo = make_repo(count)
    shutil.rmtree(out, ignore_errors=True)
    registry = Registry(repo)
    config = BuildConfig(repo=repo, out=out)
    started = time.perf_counter()
    catalog = stages.load_catalog(registry, None)
    skills = list(catalog)
    dates = [s.latest.date for s in skills if s.latest is not None]
    site = stages.site_info(config, catalog.revision, dates, None)
    cards = [pages.card(i, s, None) for i, s in enumerate(skills)]
    output = Output(out)
    stages.render_site_pages(Renderer(TEMPLATES_DIR, None), output, site, cards, catalog.broken,
                             catalog.tip_broken, {s.name for s in skills}, None)
    docs = [analyze_document(skill_document(s, registry.tree(s.latest).read if s.latest else None))
            for s in skills]
    stages.write_search_index(output, docs, {})
    stages.copy_assets(output, TEMPLATES_DIR, stages.find_lunr(config.node_modules))
    seconds = time.perf_counter() - started
    registry.close()
    return seconds


def search_only(count: int, loads: int = 5, against: Path | None = None,
                source: Path | None = None) -> list[list[str]]:
    """The search figures of a search-only site (search_site). With `against` (a site built the
    same way by an earlier commit, `--search-site-to`), its first results are measured in the
    same run, one load of each in turn (served by `source`'s server, if given, see first_results)."""
    out = WORK / f"site-search-{count}"
    seconds = search_site(count, out)
    gz, raw = index_size(out)
    busy = [os.getloadavg()[0]]  # others' work on this shared machine: say how loaded it was
    if against is None:
        search, where = first_results(out, QUERY, loads)
        other: list[list[str]] = []
    else:
        ours: list[tuple[Timing, str]] = []
        theirs: list[tuple[Timing, str]] = []
        for _ in range(loads):
            ours.append(first_results(out, QUERY, 1))
            theirs.append(first_results(against, QUERY, 1, source))
            busy.append(os.getloadavg()[0])
        search, where = _merged(ours)
        earlier, earlier_where = _merged(theirs)
        served = f", served by {source}" if source else ""
        other = [[f"{count:,}", f"the same, {against}{served} (alternated load by load)", earlier.text(),
                  at_most(earlier, SEARCH_BUDGET)],
                 [f"{count:,}", "its medians after the focus", earlier_where, ""]]
    return [
        [f"{count:,}", "catalog page + search index only", duration(seconds), ""],
        [f"{count:,}", "search index gzipped", size_text(gz, raw), verdict(gz, INDEX_BUDGET)],
        [f"{count:,}", "first focus to first results (Chromium, a fresh browser each load)", search.text(),
         at_most(search, SEARCH_BUDGET)],
        [f"{count:,}", "medians after the focus", where, ""],
        *other,
        [f"{count:,}", "load average (1 minute) during the loads", f"{min(busy):.1f}-{max(busy):.1f}", ""],
    ]


def _merged(runs: list[tuple[Timing, str]]) -> tuple[Timing, str]:
    """One-load runs as one: every sample, and the stages of the middle load by time."""
    samples = tuple(s for timing, _ in runs for s in timing.samples)
    middle = sorted(runs, key=lambda run: run[0].median)[len(runs) // 2]
    return Timing(samples), f"(load of the median) {middle[1]}"


CORPUS_BUDGET = 60.0  # seconds for a full build of the plugin marketplace corpus's site


def dataset_run(dataset: str, rounds: int) -> None:
    """Full builds of the corpus's site, alternating with MkDocs; then what the site holds."""
    from benchlib import CpuWatch, interleave, print_report
    from marketplace import default_dataset, scratch, spread, verdict_with_spread

    watch = CpuWatch()
    repo = scratch(Path(dataset) if dataset else default_dataset())
    out = WORK / "site-out-marketplace"
    # every markdown file of the corpus's plugins (agents, commands, skills, READMEs)
    project = mkdocs_project(repo, WORK / "mkdocs-marketplace", folder="plugins", title="Plugins")
    reports = []

    def relay_build() -> float:
        shutil.rmtree(out, ignore_errors=True)
        start = time.perf_counter()
        reports.append(build(BuildConfig(repo=repo, out=out)))
        return time.perf_counter() - start

    timings = interleave(rounds, {
        "relay build (corpus, full)": relay_build,
        "mkdocs build (corpus markdown)": lambda: clock(lambda: subprocess.run(
            [str(BIN / "mkdocs"), "build", "-q", "-d", str(project / "site")], cwd=project, check=True)),
    })
    relay_t, mkdocs_t = timings["relay build (corpus, full)"], timings["mkdocs build (corpus markdown)"]
    plugins = sorted(p.name for p in (repo / "plugins").iterdir() if p.is_dir())
    pages = list((out / "items").rglob("index.html")) + list((out / "plugins").rglob("index.html"))
    components = sum(len(list(repo.glob(f"plugins/*/{pattern}")))
                     for pattern in ("agents/*.md", "commands/*.md", "skills/*/SKILL.md"))
    results = table(
        ["Measurement", "Relay (median, range)", "Anchor (same run)", "Target", "Result"],
        [[f"`relay build`, plugin marketplace corpus ({reports[-1].items} items, every page, search index, "
          "downloads), from scratch", spread(relay_t),
          f"`mkdocs build` of the corpus's markdown with its search: {spread(mkdocs_t)}",
          f"≤ {CORPUS_BUDGET:.0f} s", verdict_with_spread(relay_t, CORPUS_BUDGET)]])
    checks = [(f"{len(plugins)} plugin pages, each component a page: {len(pages)} item pages",
               all((out / "plugins" / name / "index.html").is_file() for name in plugins)
               and len(pages) >= len(plugins) + components)]
    print_report(f"Site: the plugin marketplace corpus (median of {rounds} interleaved rounds)", results,
                 timings, checks, watch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated catalog sizes")
    parser.add_argument("--keep", action="store_true", help="keep the one-skill edit in the cached repo")
    parser.add_argument("--search-sizes", default="",
                        help="comma-separated sizes measured for search only (no full build, no MkDocs)")
    parser.add_argument("--dataset", nargs="?", const="", default=None, metavar="PATH",
                        help="build the plugin marketplace corpus's site instead")
    parser.add_argument("--rounds", type=int, default=3, help="rounds for --dataset")
    parser.add_argument("--loads", type=int, default=5,
                        help="page loads for --search-sizes, a fresh browser each")
    parser.add_argument("--against", type=Path, default=None, metavar="SITE",
                        help="with --search-sizes: a search-only site built by an earlier commit, alternated")
    parser.add_argument("--against-source", type=Path, default=None, metavar="DIR",
                        help="with --against: a source tree of that commit (`git archive <commit> registry "
                             "builder | tar -x -C DIR`) whose `relay serve-site` serves its site")
    parser.add_argument("--search-site-to", type=Path, default=None, metavar="DIR",
                        help="only build the search-only site of the first --search-sizes size into DIR "
                             "(to keep one for --against)")
    args = parser.parse_args()
    if args.search_site_to is not None:
        size = int(args.search_sizes.split(",")[0] or 10_000)
        print(f"built {args.search_site_to} in {duration(search_site(size, args.search_site_to))}")
        return
    if args.dataset is not None:
        dataset_run(args.dataset, args.rounds)
        return
    rows: list[list[str]] = []
    for size in [int(s) for s in args.sizes.split(",") if s]:
        rows += run(size, args.keep)
    for size in [int(s) for s in args.search_sizes.split(",") if s]:
        rows += search_only(size, args.loads, args.against, args.against_source)
    print(table(["Skills", "Measure", "Relay", "Against"], rows))


if __name__ == "__main__":
    main()

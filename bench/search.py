"""Search quality and speed: MCP `search_skills`, the site's lunr index and a BM25 baseline.

On the development set (`../shared/datasets/skills-dev`: 235 real skills, and
`search-dev.json`: 60 requests in plain words with the expected skill names), in
one run:

  (a) MCP `search_skills` through a real `relay serve` (Streamable HTTP, `mcp.Client`);
  (b) the built site's index (`relay build`), queried by lunr.js in node exactly as the
      catalog page queries it (the site's own assets/search.js, `relaySearch`);
  (c) a BM25 baseline from a maintained package (`rank-bm25`, BM25Okapi) over the same
      skills' SKILL.md text, tokenized by the same analyzer (so only the ranking differs),
      and for comparison the same over SKILL.md and the skill's other markdown files (the
      text Relay's `files` field adds);

each as MRR@5 and top-1, on all 60 requests and on each half (even-numbered, where Relay's
parameters were chosen, and odd-numbered, held out), plus how often (a) and (b) put the same
skill first. Then
the in-process MCP search latency (p50, p99 over the 60 requests, several rounds) at
1,000 and 10,000 generated skills, the body-word trade-off (`--body-terms`: MRR@5 on
the development set against the site index's gzipped size at 10,000 skills), the site
index at 10,000 skills (all its files gzipped, and what one query downloads: the head
and the term shards of its words, gzipped, median, p95 and max over the requests) and
first results in Chromium at 10,000 skills (bench/site.py's search-only build). The
development set measures; nothing in Relay is tuned to it.

Usage: .venv/bin/python bench/search.py [--sizes 1000,10000] [--rounds 5]
                                        [--body-terms 24,all] [--no-browser]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import importlib.util
import json
import math
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

# bench/mcp.py is named like the `mcp` package: keep this folder off the import path, add the project's.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))
sys.path.append(str(_HERE))  # last: bench/site.py's `from benchlib import ...`, never `mcp`

from bench.benchlib import BIN, WORK, Timing, at_most, duration, git, machine, table, wait_ready  # noqa: E402

ROOT = _HERE.parent


def find_datasets() -> Path:
    """`../shared/datasets` beside the checkout (or any parent), else $RELAY_DATASETS."""
    if os.environ.get("RELAY_DATASETS"):
        return Path(os.environ["RELAY_DATASETS"])
    for parent in ROOT.parents:
        if (parent / "shared/datasets/search-dev.json").is_file():
            return parent / "shared/datasets"
    raise SystemExit("the development set was not found: set RELAY_DATASETS to the datasets folder")


DATASETS = find_datasets()
LUNR_JS = ROOT / "node_modules/lunr/lunr.js"
SEARCH_JS = ROOT / "site_templates/assets/search.js"
NODE_RUNNER = ROOT / "tests/search/site_search.js"  # the page's query path, in node
MARGIN = 0.05  # both must beat the baseline's MRR@5 by this much
AGREEMENT = 0.90  # share of requests where the site and MCP put the same skill first
LATENCY_BUDGET = 0.005  # seconds, MCP search p99 at 10,000 skills


def _load(name: str, path: Path):  # noqa: ANN202 - a sibling script as a module
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the development set ----------------------------------------------------------------


def dev_queries() -> list[tuple[str, list[str]]]:
    data = json.loads((DATASETS / "search-dev.json").read_text(encoding="utf-8"))
    return [(q, list(expected)) for q, expected in data["queries"]]


def dev_repo() -> Path:
    """The development skills in a git repository, each folder named as its frontmatter says
    (two upstream folders differ from their names; Relay requires them equal)."""
    import frontmatter

    repo = WORK / "search-dev-repo"
    if (repo / ".git").is_dir():
        return repo
    shutil.rmtree(repo, ignore_errors=True)
    for folder in sorted((DATASETS / "skills-dev/skills").iterdir()):
        name = str(frontmatter.load(folder / "SKILL.md").get("name", folder.name))
        shutil.copytree(folder, repo / "skills" / name)
    (repo / "relay.toml").write_text('[relay]\nskills_dir = "skills"\nbranch = "main"\n', encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", "skills-dev", cwd=repo)
    return repo


def score(rankings: list[list[str]], queries: list[tuple[str, list[str]]]) -> tuple[float, int]:
    """(MRR@5, number of requests with an expected skill first)."""
    mrr, top1 = 0.0, 0
    for ranked, (_, expected) in zip(rankings, queries, strict=True):
        rank = next((i for i, name in enumerate(ranked[:5]) if name in expected), None)
        if rank is not None:
            mrr += 1 / (rank + 1)
            top1 += rank == 0
    return mrr / len(queries), top1


# -- the three rankers ------------------------------------------------------------------


def mcp_rankings(repo: Path, queries: list[tuple[str, list[str]]]) -> list[list[str]]:
    """(a): `search_skills` through a real `relay serve`."""
    from mcp import Client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([str(BIN / "relay"), "serve", "--repo", str(repo), "--port", str(port),
                               "--poll", "0", "--no-usage"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    if not wait_ready(url + "/readyz", 120, pause=0.2):
        server.kill()
        raise SystemExit("relay serve did not become ready")

    async def ask() -> list[list[str]]:
        out = []
        async with Client(url + "/mcp") as client:
            for query, _ in queries:
                result = await client.call_tool("search_skills", {"query": query, "limit": 5})
                out.append([s["name"] for s in json.loads(result.content[0].text)["skills"]])
        return out

    try:
        return asyncio.run(ask())
    finally:
        server.terminate()
        server.wait(30)


def site_queries(out: Path, names: list[str], queries: list[str]) -> dict[str, list]:
    """A built site's index in node as the catalog page queries it (the head, then each query's
    term shards): {"results": ranked results per query, "shards": the shard ids each loaded}."""
    proc = subprocess.run(["node", str(NODE_RUNNER), str(LUNR_JS), str(out / "assets/search.js"),
                           str(out / "assets/search-index.js")],
                          input=json.dumps({"names": names, "queries": queries}),
                          capture_output=True, text=True, check=True, timeout=600)
    return json.loads(proc.stdout)


def site_rankings(repo: Path, queries: list[tuple[str, list[str]]]) -> list[list[str]]:
    """(b): `relay build`, then the built index in node as the catalog page queries it."""
    out = WORK / "search-dev-site"
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run([str(BIN / "relay"), "build", "--repo", str(repo), "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    names = [s["name"] for s in json.loads((out / "catalog.json").read_text(encoding="utf-8"))["skills"]]
    found = site_queries(out, names, [q for q, _ in queries])["results"]
    return [[names[r["ref"]] for r in results[:5]] for results in found]


def downloads(out: Path, queries: list[str]) -> list[str]:
    """What a query downloads from a built site's index (the head and its shards, each gzipped
    as a server sends it), median, p95 and max over `queries`; and all the index's files."""
    site_bench = _load("site_bench", Path(__file__).with_name("site.py"))
    gz = site_bench.index_files_gz(out)
    head = gz["assets/search-index.js"]
    loaded = site_queries(out, [], queries)["shards"]
    sizes = sorted(head + sum(gz[f"assets/search/{s}.js"] for s in ids) for ids in loaded)
    p95 = sizes[math.ceil(0.95 * len(sizes)) - 1]
    kb = [f"{b / 1024:.0f} KB" for b in (statistics.median(sizes), p95, sizes[-1])]
    total = sum(gz.values())
    return [f"{len(gz) - 1:,} shards + head: {total / 1024 / 1024:.2f} MB gzipped in all",
            f"per query (head + its shards, gzipped, {len(queries)} requests): median {kb[0]}, "
            f"p95 {kb[1]}, max {kb[2]}",
            site_bench.verdict(p95, site_bench.INDEX_BUDGET)]


def bm25_rankings(repo: Path, queries: list[tuple[str, list[str]]],
                  bundled: bool = False) -> list[list[str]]:
    """(c): rank-bm25's BM25Okapi over each SKILL.md (frontmatter name and description, body);
    with `bundled`, each skill's other markdown files too (the text Relay's `files` field adds),
    so that the gain of that field is not merely more text."""
    import frontmatter
    from rank_bm25 import BM25Okapi

    from registry.search import analyze

    names, corpus = [], []
    for md in sorted((repo / "skills").glob("*/SKILL.md")):
        post = frontmatter.load(md)
        names.append(md.parent.name)
        text = f"{post.get('name', '')} {post.get('description', '')} {post.content}"
        if bundled:
            text += "".join(f"\n{f.read_text(encoding='utf-8', errors='replace')}"
                            for f in sorted(md.parent.rglob("*")) if f != md and f.is_file()
                            and f.suffix.lower() in (".md", ".markdown"))
        corpus.append(analyze(text))
    bm25 = BM25Okapi(corpus)
    out = []
    for query, _ in queries:
        scores = bm25.get_scores(analyze(query))
        order = sorted(range(len(names)), key=lambda i: (-scores[i], i))
        out.append([names[i] for i in order[:5]])
    return out


def halves(rankings: list[list[str]], queries: list[tuple[str, list[str]]]) -> str:
    """MRR@5 on the even-numbered requests (where Relay's parameters were chosen) and on the
    odd-numbered ones (held out): a gain that holds only on the first half is fitted."""
    out = []
    for start in (0, 1):
        mrr, top1 = score(rankings[start::2], queries[start::2])
        out.append(f"{mrr:.3f} ({top1})")
    return " / ".join(out)


def quality() -> tuple[str, list[str]]:
    queries = dev_queries()
    repo = dev_repo()
    mcp = mcp_rankings(repo, queries)
    site = site_rankings(repo, queries)
    bm25 = bm25_rankings(repo, queries)
    bm25_all = bm25_rankings(repo, queries, bundled=True)
    (m_mrr, m_top), (s_mrr, s_top) = score(mcp, queries), score(site, queries)
    b_mrr, b_top = score(bm25, queries)
    a_mrr, a_top = score(bm25_all, queries)
    same = sum(a[:1] == b[:1] for a, b in zip(mcp, site, strict=True)) / len(queries)
    n = len(queries)

    def beat(mrr: float) -> str:
        return ("met" if mrr >= b_mrr + MARGIN else "**missed**") + f" ({mrr - b_mrr:+.3f} vs BM25)"

    agreed = ("met" if same >= AGREEMENT else "**missed**") + f" (target {AGREEMENT:.0%})"
    rows = [["MCP `search_skills` (relay serve)", f"{m_mrr:.3f}", f"{m_top} / {n}", halves(mcp, queries),
             beat(m_mrr)],
            ["site index, lunr.js as the page queries it", f"{s_mrr:.3f}", f"{s_top} / {n}",
             halves(site, queries), beat(s_mrr)],
            ["BM25 baseline (rank-bm25 BM25Okapi, same analyzer)", f"{b_mrr:.3f}", f"{b_top} / {n}",
             halves(bm25, queries), "baseline"],
            ["the same BM25 over SKILL.md and the skill's other markdown files", f"{a_mrr:.3f}",
             f"{a_top} / {n}", halves(bm25_all, queries), "for comparison"],
            ["same skill first, site vs MCP", f"{same:.0%}", "", "", agreed]]
    headers = ["ranker (235 skills, 60 requests)", "MRR@5", "top-1",
               "MRR@5 (top-1): even-numbered / odd-numbered (held out)", f"target: baseline + {MARGIN}"]
    return table(headers, rows), []


# -- latency, body words, size ------------------------------------------------------------


def latency(count: int, rounds: int) -> list[str]:
    """In-process `search_skills` ranking (mcp_server.tools.search) over a snapshot of `count`
    generated skills, for the 60 development requests: p50 and p99 per round."""
    from mcp_server.snapshot import build_snapshot
    from mcp_server.tools import search

    site_bench = _load("site_bench", Path(__file__).with_name("site.py"))
    repo = site_bench.make_repo(count)
    started = time.perf_counter()
    snapshot = build_snapshot(repo)
    built = time.perf_counter() - started
    queries = [q for q, _ in dev_queries()] + site_bench.VOCABULARY[:40]
    p50s, p99s = [], []
    for _ in range(rounds):
        samples = []
        for query in queries:
            start = time.perf_counter()
            search(snapshot, query, limit=10)
            samples.append(time.perf_counter() - start)
        samples.sort()
        p50s.append(statistics.median(samples))
        p99s.append(samples[math.ceil(0.99 * len(samples)) - 1])  # nearest rank
    p99 = Timing(tuple(p99s))
    return [f"{count:,}", Timing(tuple(p50s)).text(), p99.text(),
            at_most(p99, LATENCY_BUDGET) if count >= 10_000 else "(target at 10,000)",
            f"snapshot with index built in {duration(built)}"]


def body_terms_tradeoff(settings: list[int | None], count: int) -> str:
    """MRR@5 on the development set (in-process: the same weights as the site) against the site
    index's gzipped size, for the 235 real skills (their bodies are what the setting trims) and
    at `count` generated skills, for each number of body terms kept."""
    from builder.search import index_files
    from mcp_server.snapshot import build_snapshot
    from registry.search import SearchIndex

    queries = dev_queries()
    dev = build_snapshot(dev_repo())
    site_bench = _load("site_bench", Path(__file__).with_name("site.py"))
    big = build_snapshot(site_bench.make_repo(count))
    rows = []
    for setting in settings:
        limit = setting if setting is not None else 1_000_000
        index = SearchIndex.build(dev.search.docs, body_terms=limit)
        ranked = [[h.key for h in index.search(q, 5)] for q, _ in queries]
        mrr, top1 = score(ranked, queries)
        real = _gz_total(index_files(index))
        at_scale = _gz_total(index_files(SearchIndex.build(big.search.docs, body_terms=limit)))
        rows.append([str(setting) if setting is not None else "whole body", f"{mrr:.3f}",
                     f"{top1} / {len(queries)}", f"{real / 1024:.0f} KB",
                     f"{real / len(dev.search.docs) * count / 1024 / 1024:.2f} MB",
                     f"{at_scale / 1024 / 1024:.2f} MB"])
    return table(["body terms kept per skill", "MRR@5 (dev set)", "top-1", "index gzipped, 235 real skills",
                  f"same per skill x {count:,}", f"index gzipped, {count:,} generated skills"], rows)


def _gz_total(files: Iterable[tuple[str, str]]) -> int:
    """All of an index's files, each gzipped (as a server sends them)."""
    return sum(len(gzip.compress(script.encode(), 9)) for _, script in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="catalog sizes for the latency figures")
    parser.add_argument("--rounds", type=int, default=5, help="latency rounds per size")
    parser.add_argument("--body-terms", default="24,all",
                        help="body-term settings for the trade-off table ('' to skip)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium first-results figure")
    parser.add_argument("--loads", type=int, default=5, help="page loads, a fresh browser each")
    args = parser.parse_args()
    print(f"# Search benchmark ({machine()})\n")
    quality_table, _ = quality()
    print(quality_table + "\n")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    rows = [latency(size, args.rounds) for size in sizes]
    print(table(["skills", "MCP search p50", "MCP search p99", f"target p99 ≤ {duration(LATENCY_BUDGET)}",
                 "note"], rows) + "\n")
    if args.body_terms:
        settings = [None if s == "all" else int(s) for s in args.body_terms.split(",")]
        print(body_terms_tradeoff(settings, max(sizes)) + "\n")
    if not args.no_browser:
        site_bench = _load("site_bench", Path(__file__).with_name("site.py"))
        rows = site_bench.search_only(10_000, args.loads)
        queries = [q for q, _ in dev_queries()] + site_bench.VOCABULARY[:40]
        total, per_query, verdict = downloads(WORK / "site-search-10000", queries)
        rows.insert(2, ["10,000", "search index: what one query downloads", per_query,
                        f"{verdict} (target 1.5 MB, at p95)"])
        rows.insert(2, ["10,000", "search index: all files", total, ""])
        print(table(["skills", "measure", "figure", "verdict"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

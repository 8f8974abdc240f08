"""Where a rebuild of the 10,000-skill site spends its wall time, stage by stage (issue 12).

Runs `builder.build.build` in this process on `bench/scale.py rebuild10k`'s site (run that
first: it builds the site and caches it under bench/.work/), with a wall-clock timer around
each stage's function, and alternates per round a rebuild with nothing changed and one after
a commit to one skill (bench/site.py's `change_one_skill`). Reports each stage's median over
the rounds. The process's imports are not in these figures (bench/scale.py's rebuild10k times
whole `relay build` processes); the search stage runs in this process (`--jobs 1`) unless
`--fork` lets the build decide as `relay build` does (then its time is the wait at `finish`).

Usage: .venv/bin/python bench/rebuild_stages.py [--rounds 3] [--fork]
"""

from __future__ import annotations

import argparse
import functools
import runpy
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE] + [str(_HERE)]

from bench.benchlib import WORK, git, table  # noqa: E402
from builder import build as pipeline  # noqa: E402
from builder.output import Manifest, Output  # noqa: E402
from registry.catalog import Registry  # noqa: E402
from registry.search.counts import TermCounts  # noqa: E402

# (label, owner, attribute): a stage's time is that function's cumulative wall time.
STAGES: list[tuple[str, Any, str]] = [
    ("Registry.listing (version index update, histories)", Registry, "listing"),
    ("Manifest.load", Manifest, "load"),
    ("plan_skills", pipeline, "plan_skills"),
    ("build_skill (the changed skill's page, zip, JSON)", pipeline, "build_skill"),
    ("search stage (start: in process unless forked)", pipeline, "start_search_stage"),
    ("  update_search_index", pipeline, "update_search_index"),
    ("    TermCounts.loads (with numpy's import)", TermCounts, "loads"),
    ("    TermCounts.replace", TermCounts, "replace"),
    ("    TermCounts.weigh", TermCounts, "weigh"),
    ("    splice", pipeline, "splice"),
    ("    TermCounts.dumps", TermCounts, "dumps"),
    ("search stage (finish: waiting for a forked one)", pipeline.SearchStage, "finish"),
    ("render_site_pages", pipeline, "render_site_pages"),
    ("write_catalog_api", pipeline, "write_catalog_api"),
    ("Manifest.dumps", Manifest, "dumps"),
    ("Output.write (every file)", Output, "write"),
]


def timed(found: dict[str, float]) -> None:
    for label, owner, name in STAGES:
        function = getattr(owner, name)

        def wrapper(*args: Any, _f: Callable = function, _label: str = label, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return _f(*args, **kwargs)
            finally:
                found[_label] = found.get(_label, 0.0) + time.perf_counter() - started

        setattr(owner, name, functools.wraps(function)(wrapper))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fork", action="store_true", help="let the build fork the search stage")
    args = parser.parse_args()
    site = runpy.run_path(str(_HERE / "site.py"), run_name="bench_site")
    repo, out = site["make_repo"](10_000), WORK / "scale-site-10000"
    if not (out / ".relay-build.json").is_file():
        raise SystemExit(f"{out} is missing: run `bench/scale.py rebuild10k` first")
    config = pipeline.BuildConfig(repo=repo, out=out, jobs=None if args.fork else 1)
    pipeline.build(config)  # unmeasured: brings the site to this code and this commit
    found: dict[str, float] = {}
    timed(found)
    samples: dict[str, dict[str, list[float]]] = {"nothing changed": {}, "one changed skill": {}}
    try:
        for _ in range(args.rounds):
            for kind in samples:
                if kind == "one changed skill":
                    site["change_one_skill"](repo)
                found.clear()
                started = time.perf_counter()
                report = pipeline.build(config)
                found["build (in all)"] = time.perf_counter() - started
                assert kind == "nothing changed" or report.search == "updated", report.search
                for label, seconds in found.items():
                    samples[kind].setdefault(label, []).append(seconds)
    finally:
        git("reset", "-q", "--hard", f"HEAD~{args.rounds}", cwd=repo)
    labels = ["build (in all)"] + [label for label, _, _ in STAGES]

    def cell(kind: str, label: str) -> str:
        values = samples[kind].get(label)
        return f"{statistics.median(values) * 1000:,.0f} ms" if values else "-"

    print(table(["stage (wall, median of the rounds)", "nothing changed", "one changed skill"],
                [[label, cell("nothing changed", label), cell("one changed skill", label)]
                 for label in labels]))


if __name__ == "__main__":
    main()

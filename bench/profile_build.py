"""Where a full `relay build` spends its CPU: cProfile in the parent and in every worker.

Builds bench/site.py's generated repository (N skills x 5 versions, cached under
bench/.work/) in process, with cProfile on in the parent and, through
builder.parallel's worker start, in each worker process; merges the profiles and
prints the CPU of each build stage (cumulative, summed over processes) and the
functions with the most own time. Profiling inflates Python-heavy stages more than
C ones (libgit2, zlib, nh3): use the shares to rank, the benchmarks for figures. The timer is
CPU time (`time.process_time`), so waiting for a busy machine is not counted.

With `--timers` there is no profiler: the build runs in one process with a CPU timer around
each stage's function, which gives the stages' real cost (and their share of it).

Usage: .venv/bin/python bench/profile_build.py [--skills 1000] [--jobs 2] [--top 20] [--timers]
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import multiprocessing.util
import os
import pstats
import runpy
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE] + [str(_HERE)]

from bench.benchlib import WORK, table  # noqa: E402
from builder import parallel  # noqa: E402
from builder.build import BuildConfig, build  # noqa: E402

# (label, module, attribute): a stage's CPU is that function's cumulative time.
STAGES = [
    ("read skills from git (parent)", "builder.build", "plan_skills"),
    ("per skill, all of it", "builder.build", "build_skill"),
    ("  SKILL.md to HTML (markdown-it, Pygments for fences, nh3)", "builder.pages", "render_body"),
    ("  file sources (escaped text)", "builder.pages", "file_view"),
    ("  diffs between versions (libgit2)", "registry.catalog", "Registry.diff_trees"),
    ("  diffs marked up", "builder.pages", "diff_html"),
    ("  Jinja2 rendering", "builder.render", "Renderer.render"),
    ("  zip of the latest version", "builder.build", "write_bundle"),
    ("  skill JSON (file digests)", "builder.build", "write_skill_api"),
    ("  catalog parts (card, API entry, search analysis)", "builder.build", "skill_parts"),
    ("  writing files", "builder.output", "Output.write"),
    ("catalog pages (parent)", "builder.build", "render_site_pages"),
    ("search index (parent)", "builder.build", "write_counted_index"),
]

def profile_workers(folder: Path) -> None:
    """Make each build worker profile itself and dump its profile into `folder` when it exits
    (multiprocessing runs its finalizers at a worker's exit; the pool forks, so the patched
    start function is what the workers run)."""
    start = parallel._start_worker

    def profiled_start(setup: parallel.Setup) -> None:
        start(setup)
        profile = cProfile.Profile(time.process_time)
        profile.enable()

        def dump() -> None:
            profile.disable()
            profile.dump_stats(folder / f"worker-{os.getpid()}.prof")

        multiprocessing.util.Finalize(None, dump, exitpriority=100)

    parallel._start_worker = profiled_start  # type: ignore[assignment]


def stage_seconds(stats: pstats.Stats) -> dict[str, float]:
    found: dict[str, float] = {}
    for (filename, _line, function), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        for label, module, attribute in STAGES:
            if function == attribute.split(".")[-1] and filename.endswith(module.replace(".", "/") + ".py"):
                found[label] = found.get(label, 0.0) + cumulative
    return found


def time_stages(found: dict[str, float]) -> None:
    """Wrap each stage's function in a CPU timer adding into `found` (no profiler: the
    figures are the stages' real cost, for a build in one process)."""
    for label, module, attribute in STAGES:
        owner = importlib.import_module(module)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        function = getattr(owner, name)

        def timed(*args: Any, _function: Any = function, _label: str = label, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return _function(*args, **kwargs)
            finally:
                found[_label] = found.get(_label, 0.0) + time.process_time() - started

        setattr(owner, name, timed)


def timers(repo: Path, out: Path, skills: int) -> None:
    found: dict[str, float] = {}
    time_stages(found)
    started = time.process_time()
    build(BuildConfig(repo=repo, out=out, jobs=1))
    total = time.process_time() - started
    rows = [[label, f"{found.get(label, 0.0):.2f} s", f"{found.get(label, 0.0) / skills * 1000:.2f} ms",
             f"{found.get(label, 0.0) / total:.0%}"] for label, _module, _attribute in STAGES]
    print(f"# {skills:,} skills x 5 versions, one process, CPU timers (no profiler): "
          f"{total:.1f} s of CPU in all\n")
    print(table(["stage (cumulative)", "CPU", "per skill", "share"], rows))

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skills", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--timers", action="store_true",
                        help="no profiler: CPU timers around each stage, the build in one process")
    args = parser.parse_args()
    repo = runpy.run_path(str(_HERE / "site.py"), run_name="bench_site")["make_repo"](args.skills)
    out = WORK / f"profile-site-{args.skills}"
    shutil.rmtree(out, ignore_errors=True)
    if args.timers:
        timers(repo, out, args.skills)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        profile_workers(folder)
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        build(BuildConfig(repo=repo, out=out, jobs=args.jobs))
        profile.disable()
        profile.dump_stats(folder / "parent.prof")
        files = sorted(str(p) for p in folder.glob("*.prof"))
        stats = pstats.Stats(*files, stream=sys.stdout)
    seconds = stage_seconds(stats)
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in stats.stats.values())  # type: ignore[attr-defined]
    rows = [[label, f"{seconds.get(label, 0.0):.1f} s", f"{seconds.get(label, 0.0) / total:.0%}"]
            for label, _suffix, _name in STAGES]
    print(f"# {args.skills:,} skills x 5 versions, {args.jobs} workers, {len(files) - 1} worker profiles; "
          f"{total:.1f} s of profiled CPU in all\n")
    print(table(["stage (cumulative, all processes)", "CPU", "share"], rows))
    print()
    stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()

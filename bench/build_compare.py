"""Two checkouts of Relay side by side: the CPU and wall time of a full `relay build` (issue 12).

Builds bench/site.py's generated repository (N skills x 5 versions) into an empty
folder with each checkout, interleaved round by round, and reports wall time,
CPU time (the build and its workers) and the CPU ratio round by round. On a
shared machine CPU time is the steadier figure: a neighbour's load stretches the
wall time far more. `-P` keeps the current folder off the import path, so
`PYTHONPATH` decides which checkout runs. It also checks that both checkouts
wrote the same files with the same bytes (the build manifest aside), so a speed-up
cannot come from building something else.

Usage, e.g. main before a change against this checkout:

    git worktree add --detach /tmp/before 7ffb5ae
    .venv/bin/python bench/build_compare.py --before /tmp/before --after . --rounds 3
"""

from __future__ import annotations

import filecmp
import resource
import runpy
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import WORK, CpuWatch, Timing, checkouts_parser, interleave, machine, ratios, table, times  # noqa: E402

HERE = Path(__file__).resolve().parent
MANIFEST = ".relay-build.json"


def build(tree: Path, repo: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one full build from checkout `tree` into an empty `out`."""
    shutil.rmtree(out, ignore_errors=True)
    args = ["build", "--repo", str(repo), "--out", str(out)]
    code = f"import sys\nfrom registry.cli import main\nsys.argv = ['relay', *{args!r}]\nmain()"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-P", "-c", code], cwd=tree, check=True, stdout=subprocess.DEVNULL,
                   env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def differences(a: Path, b: Path) -> list[str]:
    """Paths that are not in both folders or whose bytes differ (the manifest aside)."""
    found: list[str] = []

    def walk(compare: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + n for n in compare.left_only + compare.right_only if n != MANIFEST)
        _, mismatch, errors = filecmp.cmpfiles(compare.left, compare.right, compare.common_files,
                                               shallow=False)
        found.extend(prefix + n for n in mismatch + errors if n != MANIFEST)
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return found


def main() -> int:
    parser = checkouts_parser(__doc__, rounds=3)
    parser.add_argument("--skills", type=int, default=1000)
    options = parser.parse_args()
    trees = {"before": options.before.resolve(), "after": options.after.resolve()}
    repo = runpy.run_path(str(HERE / "site.py"), run_name="bench_site")["make_repo"](options.skills)
    outs = {label: WORK / f"compare-site-{options.skills}-{label}" for label in trees}
    watch = CpuWatch()
    cpu: dict[str, list[float]] = {label: [] for label in trees}

    def measure(label: str):  # type: ignore[no-untyped-def]
        def once() -> float:
            wall, seconds = build(trees[label], repo, outs[label])
            cpu[label].append(seconds)
            return wall

        return once

    walls = interleave(options.rounds, {label: measure(label) for label in trees})
    changed = differences(outs["before"], outs["after"])
    cpus = {label: Timing(tuple(samples)) for label, samples in cpu.items()}
    rows = [[label, str(trees[label]), walls[label].text(), cpus[label].text()] for label in trees]
    rows.append(["after / before, round by round", "", ratios(walls["after"], walls["before"]).text(times),
                 ratios(cpus["after"], cpus["before"]).text(times)])
    print(f"Machine: {machine()}; other processes used {watch.others():.0%} of its CPU during the run; "
          f"{options.skills:,} skills x 5 versions.\n")
    print(table(["checkout", "tree", "wall time", "CPU time (build + workers)"], rows))
    same = "the same files and bytes" if not changed else f"{len(changed)} differ, e.g. {changed[:5]}"
    print(f"\nOutputs: {same}")
    return 0 if not changed else 1


if __name__ == "__main__":
    sys.exit(main())

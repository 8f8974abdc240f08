"""Two checkouts of Relay side by side: how fast each starts and validates (issue 12).

Runs the same `relay` commands from both checkouts with this virtualenv's
interpreter, interleaved round by round, and reports for each the wall time,
the CPU time (user + system, git's included) and the imports `python -X
importtime` counts. `-P` keeps the current folder off the import path, so
`PYTHONPATH` decides which checkout's `registry` runs.

Usage, e.g. main before issue 12's start work against this checkout:

    git worktree add --detach /tmp/before 80bb618
    .venv/bin/python bench/start_compare.py --before /tmp/before --after . --rounds 5
"""

from __future__ import annotations

import re
import resource
import runpy
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import RELAY_ENTRY, CpuWatch, Timing, checkouts_parser, git, interleave, machine, table  # noqa: E402

HERE = Path(__file__).resolve().parent


def pull_request_repo(validate: dict) -> Path:
    """bench/scale.py's `changed` setup: a 1-skill pull request in a 10,000-skill repository."""
    repo, names = validate["generated_registry"](10_000, 11)
    git("switch", "-q", "-C", "pr-one", cwd=repo)
    with (repo / "skills" / names[77] / "SKILL.md").open("a", encoding="utf-8") as handle:
        handle.write("\nOne more line.\n")
    git("commit", "-q", "-am", "Edit one skill", cwd=repo)
    return repo


def run(tree: Path, args: list[str], cwd: Path, importtime: bool) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and seconds of imports of one `relay` command from `tree`."""
    code = f"import sys\n{RELAY_ENTRY}\nsys.argv = ['relay', *{args!r}]\nmain()"
    command = [sys.executable, "-P", *(["-X", "importtime"] if importtime else []), "-c", code]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    top = re.findall(r"^import time:\s+\d+ \|\s+(\d+) \| \S", done.stderr, re.MULTILINE)
    return wall, cpu, sum(int(us) for us in top) / 1e6


def main() -> int:
    parser = checkouts_parser(__doc__, rounds=5)
    options = parser.parse_args()
    trees = {"before": options.before.resolve(), "after": options.after.resolve()}
    skill = next(p for p in sorted((HERE.parent / "skills").iterdir()) if p.is_dir())
    validate = runpy.run_path(str(HERE / "validate.py"), run_name="bench_validate")
    repo = pull_request_repo(validate)
    commands = {"relay --version": (["--version"], HERE.parent), "relay --help": (["--help"], HERE.parent),
                f"relay validate skills/{skill.name}": (["validate", str(skill)], HERE.parent),
                f"relay validate skills/{skill.name}/SKILL.md (the pre-commit hook)":
                    (["validate", str(skill / "SKILL.md")], HERE.parent),
                "relay validate --changed-since main (1-skill PR, 10,000 skills)":
                    (["validate", "--changed-since", "main"], repo)}
    watch = CpuWatch()
    cpu: dict[str, list[float]] = {}
    loads: dict[str, list[float]] = {}

    def measure(key: str, tree: Path, args: list[str], cwd: Path):  # type: ignore[no-untyped-def]
        def once() -> float:
            wall, seconds, _ = run(tree, args, cwd, importtime=False)
            cpu.setdefault(key, []).append(seconds)
            loads.setdefault(key, []).append(run(tree, args, cwd, importtime=True)[2])
            return wall

        return once

    try:
        walls = interleave(options.rounds, {f"{name} | {label}": measure(f"{name} | {label}", tree, args, cwd)
                                            for name, (args, cwd) in commands.items()
                                            for label, tree in trees.items()})
    finally:
        validate["back_to_main"](repo)
        git("branch", "-q", "-D", "pr-one", cwd=repo)
    rows = [[*key.split(" | "), walls[key].text(), Timing(tuple(cpu[key])).text(),
             Timing(tuple(loads[key])).text()] for key in walls]
    print(f"Machine: {machine()}; other processes used {watch.others():.0%} of its CPU during the run.\n")
    print(table(["command", "checkout", "wall time", "CPU time (user + system)",
                 "imports (`-X importtime`)"], rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())

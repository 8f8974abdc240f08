"""Benchmark `relay validate` against the reference validator (skills-ref) on a large registry.

Three questions, each answered side by side with skills-ref or git in the same
run: can CI validate a 10,000-skill registry in seconds; is Relay's per-skill
work (which checks far more than skills-ref does) still cheaper; and does a
pull request's check (`--changed-since`) stay well under a second.
The registry is generated once, committed, and cached under bench/.work/.

With `--dataset [PATH]` it times instead `relay validate` over the real plugin
marketplace corpus (every kind of item: plugins, subagents, slash commands,
plugin skills, hooks, marketplaces) against Claude Code's own
`claude plugin validate` of the same repository, alternating.

Usage: .venv/bin/python bench/validate.py [--skills N] [--sample N] [--cli-sample N] [--rounds N]
       .venv/bin/python bench/validate.py --dataset [PATH] [--rounds N]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from benchlib import (
    BIN,
    GENERATION,
    SENTENCES,
    WORK,
    CpuWatch,
    Timing,
    clock,
    duration,
    git,
    interleave,
    is_script,
    print_report,
    skill_files,
    skill_names,
    table,
    verdict,
)
from skills_ref.validator import validate as skills_ref_validate

from registry.validate import ValidationReport, validate_paths

FULL_BUDGET = 10.0  # seconds for `relay validate skills/` over the whole registry
CHANGED_BUDGET = 1.0  # seconds for a pull request's `relay validate --changed-since main`
PR_BRANCH = "bench-pr"
PR_EDITED = 5
PR_NEW_SKILL = "release-notes-drafter"  # outside the generated name space, so always new
SUMMARY = re.compile(r"^(?:OK|FAILED): (\d+) skills? checked, (\d+) errors?, (\d+) warnings?$", re.M)

T = TypeVar("T")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skills", type=int, default=10_000, help="skills in the registry")
    parser.add_argument("--sample", type=int, default=500, help="skills for the in-process comparison")
    parser.add_argument("--cli-sample", type=int, default=20, help="skills for the per-invocation CLI "
                                                                   "comparison")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; the median is reported")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--dataset", nargs="?", const="", default=None, metavar="PATH",
                        help="time the plugin marketplace corpus instead (default: ../shared/datasets/"
                             "plugins-dev)")
    return parser.parse_args()


# -- the registry ---------------------------------------------------------------------


def write_skill(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if is_script(rel):
            path.chmod(0o755)


def generated_registry(skills: int, seed: int) -> tuple[Path, list[str]]:
    """A working tree with `skills` valid skills committed on main, generated on the first run only."""
    home = WORK / f"validate-g{GENERATION}-s{skills}-seed{seed}"
    repo, complete = home / "repo", home / "complete"
    names = skill_names(skills, random.Random(seed))
    if complete.is_file():
        back_to_main(repo)
        return repo, names
    shutil.rmtree(home, ignore_errors=True)
    rng = random.Random(seed + 1)
    for name in names:
        write_skill(repo / "skills" / name, skill_files(name, rng))
    git("init", "--quiet", "--initial-branch=main", cwd=repo)
    git("add", "--all", cwd=repo)
    git("commit", "--quiet", "--message", f"Add {skills:,} skills", cwd=repo)
    complete.touch()
    return repo, names


def open_pull_request(repo: Path, names: list[str], rng: random.Random) -> None:
    """On a branch, edit a few skills and add one, committed: what CI sees for a typical pull request."""
    git("switch", "--quiet", "--create", PR_BRANCH, cwd=repo)
    for name in rng.sample(names, PR_EDITED):
        with (repo / "skills" / name / "SKILL.md").open("a", encoding="utf-8") as handle:
            handle.write(f"\n{rng.choice(SENTENCES)}\n")
    write_skill(repo / "skills" / PR_NEW_SKILL, skill_files(PR_NEW_SKILL, rng))
    git("add", "--all", "skills", cwd=repo)
    git("commit", "--quiet", "--message", f"Edit {PR_EDITED} skills, add {PR_NEW_SKILL}", cwd=repo)


def back_to_main(repo: Path) -> None:
    """Leave the cached registry as generated, even after an interrupted run left the branch."""
    git("switch", "--quiet", "--force", "main", cwd=repo)
    git("clean", "--quiet", "--force", "-d", cwd=repo)
    if git("branch", "--list", PR_BRANCH, cwd=repo).strip():
        git("branch", "--quiet", "--delete", "--force", PR_BRANCH, cwd=repo)


# -- measurements ---------------------------------------------------------------------


class Timed(Generic[T]):
    """A measurement that keeps what its timed call returned, for the sanity checks."""

    def __init__(self, action: Callable[[], T]) -> None:
        self.action = action
        self.result: T | None = None

    def __call__(self) -> float:
        start = time.perf_counter()
        self.result = self.action()
        return time.perf_counter() - start


@dataclass(frozen=True)
class Summary:
    """The counts in `relay validate`'s last line."""

    skills: int
    errors: int
    warnings: int


def relay(repo: Path, *args: str) -> Summary:
    """Run `relay validate` as CI would, from the repository root, and read its summary line."""
    done = subprocess.run([str(BIN / "relay"), "validate", *args], cwd=repo, stdout=subprocess.PIPE,
                          text=True)
    if done.returncode not in (0, 1):  # 1 means findings, which the checks report
        raise SystemExit(f"relay validate {' '.join(args)} failed with status {done.returncode}")
    match = SUMMARY.search(done.stdout)
    if match is None:
        raise SystemExit(f"no summary line in the output of relay validate {' '.join(args)}")
    return Summary(*(int(group) for group in match.groups()))


def run(repo: Path, *command: str) -> None:
    subprocess.run(command, cwd=repo, check=True, stdout=subprocess.DEVNULL)


def per_invocation(repo: Path, folders: list[str], command: list[str]) -> float:
    """Mean seconds of one CLI run of `command FOLDER`, over `folders`."""
    return clock(lambda: [run(repo, *command, folder) for folder in folders]) / len(folders)


def in_process(paths: list[Path], repo: Path) -> dict[str, Timed]:
    """Per-skill cost without process start: skills-ref's library call against Relay on one core."""
    return {
        "in-process skills-ref": Timed(lambda: sum(len(skills_ref_validate(p)) for p in paths)),
        "in-process relay": Timed(lambda: validate_paths(paths, start=repo, jobs=1)),
    }


def on_the_cli(repo: Path, folders: list[str]) -> dict[str, Callable[[], float]]:
    """Per-invocation cost of each CLI on one skill, process start and imports included."""
    return {
        "cli skills-ref": lambda: per_invocation(repo, folders, [str(BIN / "agentskills"), "validate"]),
        "cli relay": lambda: per_invocation(repo, folders, [str(BIN / "relay"), "validate"]),
    }


def pull_request(repo: Path, names: list[str], rng: random.Random,
                 rounds: int) -> tuple[dict[str, Timing], Timed[Summary]]:
    """Time `--changed-since` on a pull request branch, with git's diff and Relay's start-up as anchors."""
    open_pull_request(repo, names, rng)
    try:
        changed = Timed(lambda: relay(repo, "--changed-since", "main"))
        return interleave(rounds, {
            "pull request relay": changed,
            "pull request git diff": lambda: clock(lambda: run(repo, "git", "diff", "--name-only",
                                                                "main...")),
            "pull request relay --version": lambda: clock(lambda: run(repo, str(BIN / "relay"),
                                                                       "--version")),
        }), changed
    finally:
        back_to_main(repo)


# -- report ---------------------------------------------------------------------------


def results_table(t: dict[str, Timing], skills: int, sample: int, cli_sample: int) -> str:
    full = t["relay validate skills/"].median
    relay_skill = t["in-process relay"].median / sample
    ref_skill = t["in-process skills-ref"].median / sample
    ratio = relay_skill / ref_skill
    return table(
        ["Measurement", "Relay", "Anchor (same run)", "Target", "Result"],
        [
            [f"`relay validate skills/`, {skills:,} skills, default jobs",
             f"{duration(full)} ({full / skills * 1000:.2f} ms/skill)",
             f"skills-ref `validate()` × {skills:,}, 1 core (extrapolated): "
             f"{duration(ref_skill * skills)}",
             f"≤ {FULL_BUDGET:.0f} s", verdict(full, FULL_BUDGET)],
            [f"Per skill, in-process, 1 core ({sample} skills)", f"{relay_skill * 1000:.2f} ms",
             f"skills-ref `validate()`: {ref_skill * 1000:.2f} ms",
             "faster than skills-ref", f"{ratio:.2f}x: {verdict(ratio, 1.0)}"],
            [f"Per CLI run on one skill ({cli_sample} skills)", duration(t["cli relay"].median),
             f"`agentskills validate DIR`: {duration(t['cli skills-ref'].median)}", "none (context)",
             f"{t['cli relay'].median / t['cli skills-ref'].median:.2f}x skills-ref"],
            [f"`relay validate --changed-since main`, {PR_EDITED} edited + 1 new skill",
             duration(t["pull request relay"].median),
             f"`git diff --name-only main...`: {duration(t['pull request git diff'].median)}; "
             f"`relay --version`: {duration(t['pull request relay --version'].median)}",
             f"< {CHANGED_BUDGET:.0f} s", verdict(t["pull request relay"].median, CHANGED_BUDGET)],
        ],
    )


def summary_check(what: str, summary: Summary | None, skills: int) -> tuple[str, bool]:
    assert summary is not None
    return (f"{what}: {summary.skills:,} skills checked, {summary.errors} errors, "
            f"{summary.warnings} warnings", summary.skills == skills and summary.errors == 0)


def checks(full: Timed[Summary], library: dict[str, Timed], changed: Timed[Summary], skills: int,
           sample: int) -> list[tuple[str, bool]]:
    """The generated skills must be valid, or the timings measure error reporting instead."""
    report: ValidationReport | None = library["in-process relay"].result
    assert report is not None
    ref_errors = library["in-process skills-ref"].result
    return [
        summary_check("full run", full.result, skills),
        (f"in-process sample: Relay {len(report.skills)} skills, {report.errors} errors, "
         f"{report.warnings} warnings; skills-ref {ref_errors} errors",
         len(report.skills) == sample and report.errors == 0 and ref_errors == 0),
        summary_check("pull request run", changed.result, PR_EDITED + 1),
    ]


DATASET_BUDGET = 5.0  # seconds for `relay validate` of the whole marketplace corpus
ITEMS_SUMMARY = re.compile(r"^(?:OK|FAILED): (\d+) skills? and (\d+) items? checked, (\d+) errors?, "
                           r"(\d+) warnings?$", re.M)


def dataset_main(args: argparse.Namespace) -> int:
    """`relay validate` of the plugin marketplace corpus, alternating with `claude plugin validate`."""
    from marketplace import claude_validate, default_dataset, scratch, spread, verdict_with_spread

    watch = CpuWatch()
    repo = scratch(Path(args.dataset) if args.dataset else default_dataset())
    outputs: list[str] = []

    def relay_items() -> float:
        start = time.perf_counter()
        done = subprocess.run([str(BIN / "relay"), "validate"], cwd=repo, stdout=subprocess.PIPE, text=True)
        seconds = time.perf_counter() - start
        outputs.append(done.stdout)
        return seconds

    statuses: list[int] = []
    timings = interleave(args.rounds, {
        "relay validate (corpus)": relay_items,
        "claude plugin validate (corpus)": lambda: clock(
            lambda: statuses.append(claude_validate(repo, WORK / "claude-home"))),
    })
    match = ITEMS_SUMMARY.search(outputs[-1])
    assert match is not None, outputs[-1][-500:]
    skills, items, errors, warnings = (int(g) for g in match.groups())
    relay_t, claude_t = timings["relay validate (corpus)"], timings["claude plugin validate (corpus)"]
    results = table(
        ["Measurement", "Relay (median, range)", "Anchor (same run)", "Target", "Result"],
        [[f"`relay validate`, plugin marketplace corpus ({items} items: plugins, subagents, commands, "
          "plugin skills, hooks, marketplaces; every rule)", spread(relay_t),
          f"`claude plugin validate` (marketplace and plugin.json files only): {spread(claude_t)}",
          f"≤ {DATASET_BUDGET:.0f} s", verdict_with_spread(relay_t, DATASET_BUDGET)]])
    checks = [(f"relay: {skills} top-level skills and {items} items checked, {errors} errors, "
               f"{warnings} warnings (the corpus's own problems)", items > 500 and errors > 0),
              ("claude plugin validate exits 1 on the corpus (it finds its error too)",
               set(statuses) == {1})]
    return print_report(f"Validation: the plugin marketplace corpus (median of {args.rounds} interleaved "
                        "rounds)", results, timings, checks, watch)


def main() -> int:
    args = parse_args()
    if args.dataset is not None:
        return dataset_main(args)
    watch = CpuWatch()
    repo, names = generated_registry(args.skills, args.seed)
    rng = random.Random(args.seed + 2)
    sample = [repo / "skills" / name for name in sorted(rng.sample(names, args.sample))]
    cli_folders = [f"skills/{name}" for name in sorted(rng.sample(names, args.cli_sample))]
    full = Timed(lambda: relay(repo, "skills/"))
    library = in_process(sample, repo)
    timings = {**interleave(args.rounds, {"relay validate skills/": full}),
               **interleave(args.rounds, library),
               **interleave(args.rounds, on_the_cli(repo, cli_folders))}
    pr_timings, changed = pull_request(repo, names, rng, args.rounds)
    timings.update(pr_timings)
    title = f"Validation: {args.skills:,} skills (median of {args.rounds} interleaved rounds)"
    return print_report(title, results_table(timings, args.skills, args.sample, args.cli_sample),
                        timings, checks(full, library, changed, args.skills, args.sample), watch)


if __name__ == "__main__":
    sys.exit(main())

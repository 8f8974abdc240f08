"""Benchmark Relay's version index against `git log` on a registry with a long history.

Relay finds every skill's versions with one walk over the history; the natural
yardstick is git itself listing the files each commit touched under skills/,
which is the least work any tool answering "what changed when" must do. The
repository (500 skills, 20,000 commits by default) is generated once with
`git fast-import` and cached under bench/.work/, keyed by its parameters.

Usage: .venv/bin/python bench/history.py [--skills N] [--commits N] [--rounds N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pygit2
from benchlib import (
    AUTHORS,
    GENERATION,
    WORK,
    CpuWatch,
    FastImport,
    Timing,
    clock,
    duration,
    git,
    interleave,
    print_report,
    revise,
    skill_files,
    skill_names,
    table,
    verdict,
)

from registry.history import UpdateStats, VersionIndex

RATIO_BUDGET = 1.5  # full cold index: at most this many times `git log --name-only`
INCREMENTAL_BUDGET = 0.050  # seconds to open the warm cache and index one new commit
REVERT_RATE = 0.03  # share of commits that revert the previous one, recreating a known version
START_TIME = 1_640_995_200  # 2022-01-01T00:00:00Z


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skills", type=int, default=500, help="skills in the first commit")
    parser.add_argument("--commits", type=int, default=20_000, help="commits in total")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; the median is reported")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


# -- generating the repository --------------------------------------------------------


def content_id(files: dict[str, bytes]) -> str:
    """Identity of a skill folder's content: equal exactly when git's tree ids are equal."""
    digest = hashlib.sha1()
    for path in sorted(files):
        digest.update(b"%s\0%d\0%s" % (path.encode(), len(files[path]), files[path]))
    return digest.hexdigest()


def write_history(fast: FastImport, skills: int, commits: int, rng: random.Random) -> dict[str, int]:
    """Stream the whole history and return how many versions each skill must have.

    The expectation is counted independently of Relay: the distinct contents each
    skill folder ever had, which reverts (back to a known content) do not add to.
    """
    names = skill_names(skills, rng)
    current = {name: skill_files(name, rng) for name in names}
    seen = {name: {content_id(files)} for name, files in current.items()}
    when = START_TIME
    initial = {f"skills/{name}/{path}": data for name, files in current.items()
               for path, data in files.items()}
    fast.commit("refs/heads/main", AUTHORS[0], when, "Import the skill catalog", initial)
    paths = sorted(current[names[0]])
    previous: tuple[str, str, bytes, str] | None = None  # what the last edit replaced, to revert it
    for serial in range(1, commits):
        when += rng.randint(5 * 60, 3 * 3600)
        if previous and rng.random() < REVERT_RATE:
            name, path, data, summary = previous
            message, previous = f'Revert "{summary}"', None
        else:
            name, path = rng.choice(names), rng.choice(paths)
            data = revise(path, current[name][path], rng, serial)
            message = f"{name}: {rng.choice(['clarify', 'extend', 'fix', 'tighten'])} {path}"
            previous = (name, path, current[name][path], message)
        current[name][path] = data
        seen[name].add(content_id(current[name]))
        fast.commit("refs/heads/main", rng.choice(AUTHORS), when, message,
                    {f"skills/{name}/{path}": data})
    return {name: len(ids) for name, ids in seen.items()}


def generated_repository(skills: int, commits: int, seed: int) -> tuple[Path, dict[str, int]]:
    """The benchmark repository and its expected version counts, generated on the first run only."""
    home = WORK / f"history-g{GENERATION}-s{skills}-c{commits}-seed{seed}"
    repo, expected_file = home / "repo.git", home / "expected.json"
    if expected_file.is_file():  # written last, so its presence means a complete repository
        return repo, json.loads(expected_file.read_text())
    shutil.rmtree(home, ignore_errors=True)
    repo.mkdir(parents=True)
    git("init", "--quiet", "--bare", "--initial-branch=main", cwd=repo)
    with FastImport(repo) as fast:
        expected = write_history(fast, skills, commits, random.Random(seed))
    git("gc", "--quiet", cwd=repo)  # packed, with a commit-graph: how a maintained clone looks
    expected_file.write_text(json.dumps(expected))
    return repo, expected


# -- measurements ---------------------------------------------------------------------


def git_log(repo: Path, *revs: str) -> float:
    """The anchor: seconds for `git log --name-only` over skills/, output discarded."""
    command = ["git", "log", "--name-only", *revs, "--", "skills/"]
    return clock(lambda: subprocess.run(command, cwd=repo, check=True, stdout=subprocess.DEVNULL))


class ColdIndex:
    """Full index builds, each into a fresh cache, timed from opening the repository."""

    def __init__(self, repo: Path, scratch: Path) -> None:
        self.repo, self.scratch = repo, scratch
        self.builds = 0
        self.cache: Path | None = None  # the latest cache, reused to warm the incremental runs
        self.stats: UpdateStats | None = None

    def __call__(self) -> float:
        self.builds += 1
        self.cache = self.scratch / f"cold-{self.builds}.sqlite3"
        return clock(self._build)

    def _build(self) -> None:
        assert self.cache is not None
        index = VersionIndex(pygit2.Repository(str(self.repo)), "skills", self.cache)
        self.stats = index.update("main")
        index.close()


class IncrementalIndex:
    """Add one commit changing one skill (untimed), then time opening the warm cache and updating."""

    def __init__(self, repo: Path, cache: Path, names: list[str], rng: random.Random) -> None:
        self.repo, self.cache, self.names, self.rng = repo, cache, names, rng
        self.stats: list[UpdateStats] = []

    def __call__(self) -> float:
        self._add_commit()
        return clock(self._update)

    def _add_commit(self) -> None:
        """Dated after the tip, as real commits are: one dated before its parent would make
        ancestry checks (git's and libgit2's) walk the whole history and skew the figure."""
        repo = pygit2.Repository(str(self.repo))
        name = self.rng.choice(self.names)
        path = f"skills/{name}/SKILL.md"
        tip = repo.revparse_single("main").peel(pygit2.Commit)
        blob = repo.revparse_single(f"main:{path}").peel(pygit2.Blob)
        edited = revise("SKILL.md", blob.data, self.rng, len(self.stats) + 1)
        when = tip.commit_time + self.rng.randint(5 * 60, 6 * 3600)
        with FastImport(self.repo) as fast:
            fast.commit("refs/heads/main", self.rng.choice(AUTHORS), when, f"{name}: extend",
                        {path: edited}, parent="refs/heads/main^0")

    def _update(self) -> None:
        index = VersionIndex(pygit2.Repository(str(self.repo)), "skills", self.cache)
        self.stats.append(index.update("main"))
        index.close()


def found_versions(repo: Path, cache: Path) -> dict[str, int]:
    index = VersionIndex(pygit2.Repository(str(repo)), "skills", cache)
    counts = {name: len(versions) for name, versions in index.versions("main").items()}
    index.close()
    return counts


# -- report ---------------------------------------------------------------------------


def results_table(commits: int, cold: dict[str, Timing], warm: dict[str, Timing]) -> str:
    ratio = cold["relay"].median / cold["anchor"].median
    return table(
        ["Measurement", "Relay", "Anchor (same run)", "Target", "Result"],
        [
            [f"Full cold index, {commits:,} commits", duration(cold["relay"].median),
             f"`git log --name-only -- skills/`: {duration(cold['anchor'].median)}",
             f"≤ {RATIO_BUDGET}x the anchor", f"{ratio:.2f}x: {verdict(ratio, RATIO_BUDGET)}"],
            ["Incremental update, 1 new commit", duration(warm["relay"].median),
             f"`git log --name-only main~1..main -- skills/`: {duration(warm['anchor'].median)}",
             f"≤ {INCREMENTAL_BUDGET * 1000:.0f} ms",
             verdict(warm["relay"].median, INCREMENTAL_BUDGET)],
        ],
    )


def checks(expected: dict[str, int], found: dict[str, int], cold: ColdIndex,
           incremental: IncrementalIndex, commits: int) -> list[tuple[str, bool]]:
    """Sanity checks: a fast index that finds the wrong versions is worthless."""
    walked = [s.commits_walked for s in incremental.stats]
    added = [s.versions_added for s in incremental.stats]
    assert cold.stats is not None
    return [
        (f"versions found {sum(found.values()):,} == expected {sum(expected.values()):,} "
         f"(distinct (skill, tree) contents), per skill too", found == expected),
        (f"cold build walked {cold.stats.commits_walked:,} of {commits:,} commits",
         cold.stats.commits_walked == commits),
        (f"incremental updates walked {walked} commit(s) and added {added} version(s) each",
         walked == added == [1] * len(walked)),
    ]


def main() -> int:
    args = parse_args()
    watch = CpuWatch()
    repo, expected = generated_repository(args.skills, args.commits, args.seed)
    with tempfile.TemporaryDirectory(dir=WORK, prefix="history-scratch-") as tmp:
        scratch = Path(tmp)
        cold_index = ColdIndex(repo, scratch)
        cold = interleave(args.rounds, {"anchor": lambda: git_log(repo), "relay": cold_index})
        assert cold_index.cache is not None
        found = found_versions(repo, cold_index.cache)
        copy = scratch / "incremental.git"  # new commits go to a copy; the cached repo stays as is
        shutil.copytree(repo, copy)
        incremental = IncrementalIndex(copy, cold_index.cache, sorted(expected), random.Random(args.seed))
        warm = interleave(args.rounds, {"relay": incremental,
                                        "anchor": lambda: git_log(copy, "main~1..main")})
    title = (f"Version index: {args.skills:,} skills, {args.commits:,} commits "
             f"(median of {args.rounds} interleaved rounds)")
    samples = {"cold index": cold["relay"], "git log": cold["anchor"], "incremental": warm["relay"],
               "git log main~1..main": warm["anchor"]}
    return print_report(title, results_table(args.commits, cold, warm), samples,
                        checks(expected, found, cold_index, incremental, args.commits), watch)

if __name__ == "__main__":
    sys.exit(main())

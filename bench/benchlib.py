"""Shared benchmark plumbing: the timing policy, markdown tables, git helpers and skill content.

Both benchmarks build large registries that must look like real ones (so the
parsers and git do realistic work) yet be generated in seconds and be the same
on every run; content therefore comes from one seeded generator here. Both time
things the same way (interleaved rounds, median reported with the spread of the
rounds), so the figures in docs/benchmarks.md are comparable with each other.
A target counts as met only when the median meets it and the spread does not
cross it (`at_most`, `at_least`); ratios against an anchor are taken round by
round (`ratios`), since interleaved rounds are paired.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work"  # git-ignored: generated repositories and scratch caches
BIN = Path(sys.executable).parent  # the virtualenv's bin, holding `relay` and `agentskills`
# What the `relay` console script imports, for `python -X importtime -c`: registry.entry answers
# `--version` before click loads (issue 12); a checkout from before it has registry.cli only.
RELAY_ENTRY = ("try:\n    from registry.entry import main\n"
               "except ImportError:\n    from registry.cli import main")
GENERATION = 2  # part of every cache key: bump it when generated content changes, or stale data is timed

# A fixed identity and no user or system config, so generated repositories are identical anywhere.
GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Relay Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Relay Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


# -- timing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Wall-time samples of one measurement; tables report the median, robust to one slow round."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        return min(self.samples)

    @property
    def high(self) -> float:
        return max(self.samples)

    def text(self, unit: Callable[[float], str] | None = None) -> str:
        """The median with the spread of the samples, e.g. `1.20 s (1.10-1.45 s, 3 runs)`."""
        unit = unit or duration
        if len(self.samples) == 1:
            return f"{unit(self.median)} (1 run)"
        return f"{unit(self.median)} ({unit(self.low)}-{unit(self.high)}, {len(self.samples)} runs)"


def ratios(relay: Timing, anchor: Timing) -> Timing:
    """Relay over its anchor, round by round: interleaved rounds are paired, so each ratio
    compares two runs that shared the machine's mood."""
    return Timing(tuple(r / a for r, a in zip(relay.samples, anchor.samples, strict=True)))


def at_most(measured: Timing, budget: float, unit: Callable[[float], str] | None = None) -> str:
    """An upper bound is met only when the median meets it and no sample crosses it."""
    unit = unit or duration
    if measured.median > budget:
        return f"**missed** (median {unit(measured.median)} > {unit(budget)})"
    if measured.high > budget:
        return f"**not met**: median within {unit(budget)}, but the spread crosses it"
    return f"met (median {measured.median / budget:.2f}x of the bound, worst {measured.high / budget:.2f}x)"


def at_least(measured: Timing, floor: float, unit: Callable[[float], str] | None = None) -> str:
    """A lower bound (a throughput) is met only when the median and every sample reach it."""
    unit = unit or (lambda x: f"{x:,.0f}")
    if measured.median < floor:
        return f"**missed** (median {unit(measured.median)} < {unit(floor)})"
    if measured.low < floor:
        return f"**not met**: median reaches {unit(floor)}, but the spread crosses it"
    return f"met (median {measured.median / floor:.2f}x of the floor, worst {measured.low / floor:.2f}x)"


def wait_ready(url: str, timeout: float, ready: Callable[[int], bool] = lambda status: status == 200,
               pause: float = 0.1) -> bool:
    """Poll `url` until `ready(status)` or `timeout` seconds pass (False then): the one wait for a
    server the benchmarks started. Refused connections and not-ready answers both wait `pause`."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready(httpx.get(url, timeout=1).status_code):
                return True
        except httpx.HTTPError:
            pass
        time.sleep(pause)
    return False


def checkouts_parser(description: str | None, rounds: int) -> argparse.ArgumentParser:
    """The options every before/after benchmark takes: two checkouts of Relay, and rounds."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a checkout of Relay")
    parser.add_argument("--after", type=Path, required=True, help="another checkout of Relay")
    parser.add_argument("--rounds", type=int, default=rounds)
    return parser


def clock(action: Callable[[], object]) -> float:
    """Seconds of wall time `action` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def times(factor: float) -> str:
    return f"{factor:.2f}x"


def interleave(rounds: int, measures: dict[str, Callable[[], float]]) -> dict[str, Timing]:
    """Run every measurement once per round, alternating, and collect the samples.

    Alternating means a background hiccup or a warming page cache hits Relay and
    its anchor alike instead of whichever happened to run first. A measurement
    returns the seconds of the part it times, so it can do untimed setup first.
    """
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, measure in measures.items():
            samples[name].append(measure())
    return {name: Timing(tuple(values)) for name, values in samples.items()}


# -- reporting ------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A markdown table, so the output can be pasted into docs/benchmarks.md as is."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def duration(seconds: float) -> str:
    """Milliseconds below a second, seconds above, so each figure reads at a glance."""
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def verdict(measured: float, budget: float) -> str:
    """Where a figure sits against an upper bound: the share of the budget used, or the miss."""
    if measured <= budget:
        return f"met ({measured / budget:.2f}x of the budget)"
    return f"**missed** by {(measured / budget - 1) * 100:.0f}%"


def machine() -> str:
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{git('--version', cwd=BENCH).strip()}")


class CpuWatch:
    """How much CPU other processes took while the benchmark ran (Linux: reads /proc/stat).

    On a shared machine a busy neighbour inflates every figure; the report states
    how much of the machine went elsewhere instead of leaving the reader to guess.
    """

    def __init__(self) -> None:
        self._start = self._now()

    @staticmethod
    def _now() -> tuple[float, float, float]:
        """Wall seconds, CPU seconds used by everyone, and by us with our waited-for children."""
        with open("/proc/stat", encoding="ascii") as stat:
            user, nice, system, idle, iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
        busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
        mine = os.times()
        return time.monotonic(), busy, mine.user + mine.system + mine.children_user + mine.children_system

    def others(self) -> float:
        """Share of the machine's capacity (all cores) that other processes used since the start."""
        wall, busy, mine = (now - then for now, then in zip(self._now(), self._start, strict=True))
        return max(0.0, (busy - mine) / (wall * (os.cpu_count() or 1)))


def print_report(title: str, results: str, samples: dict[str, Timing], checks: list[tuple[str, bool]],
                 watch: CpuWatch) -> int:
    """Print the table with its context, raw samples and sanity checks; exit status 1 if a check failed.

    A missed target is a finding to report, not a failure of the benchmark; a failed
    check means the figures cannot be trusted.
    """
    print(f"## {title}\n\nMachine: {machine()}; other processes used {watch.others():.0%} of its CPU "
          f"during the run.\n\n{results}\n")
    for name, timing in samples.items():
        print(f"- samples, {name}: {', '.join(duration(s) for s in timing.samples)}")
    for text, ok in checks:
        print(f"- {'ok' if ok else 'FAILED'}: {text}")
    return 0 if all(ok for _, ok in checks) else 1


# -- git ------------------------------------------------------------------------------


def git(*args: str, cwd: Path) -> str:
    """Run git and return its stdout; any failure aborts, so a half-built repository is never timed."""
    done = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, check=True,
                          stdout=subprocess.PIPE, text=True)
    return done.stdout


@dataclass(frozen=True)
class Author:
    name: str
    email: str
    tz: str  # git's +HHMM offset


AUTHORS = [
    Author(name, ".".join(name.lower().split()) + "@example.com", tz)
    for name, tz in [
        ("Ada Okafor", "+0100"), ("Bruno Carvalho", "-0300"), ("Chen Wei", "+0800"),
        ("Dana Whitfield", "-0500"), ("Emeka Nwosu", "+0100"), ("Freya Lindqvist", "+0200"),
        ("Gabriel Moreau", "+0100"), ("Hana Sato", "+0900"), ("Ivan Petrov", "+0300"),
        ("José Álvarez", "+0100"), ("Kavya Iyer", "+0530"), ("Liam O'Connor", "+0000"),
        ("Maya Goldberg", "-0800"), ("Nikolai Horvat", "+0100"), ("Olivia Brown", "-0500"),
        ("Priya Raman", "+0530"), ("Quentin Dubois", "+0100"), ("Rosa Martínez", "-0600"),
        ("Sven Aalto", "+0200"), ("Tomás Novak", "+0100"), ("Uma Krishnan", "+0530"),
        ("Valentina Rossi", "+0100"), ("Wen Zhang", "+0800"), ("Yusuf Demir", "+0300"),
    ]
]


def is_script(path: str) -> bool:
    """Bundled scripts are committed executable, as they are in real skills."""
    return "/scripts/" in "/" + path


class FastImport:
    """Writes commits straight into a repository through one `git fast-import` process.

    Thousands of commits take seconds this way, where one `git commit` per change
    would take many minutes and measure git's porcelain instead of nothing.
    """

    def __init__(self, git_dir: Path) -> None:
        self._proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=git_dir,
                                      env=GIT_ENV, stdin=subprocess.PIPE)
        assert self._proc.stdin is not None
        self._out = self._proc.stdin

    def __enter__(self) -> FastImport:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self._out.write(b"done\n")
        self._out.close()
        if self._proc.wait() != 0 and kind is None:
            raise RuntimeError(f"git fast-import failed with status {self._proc.returncode}")

    def commit(self, ref: str, author: Author, when: int, message: str,
               files: dict[str, bytes], parent: str | None = None) -> None:
        """One commit on `ref` changing `files` (repository paths); later commits chain on it."""
        who = f"{author.name} <{author.email}> {when} {author.tz}"
        self._out.write(f"commit {ref}\nauthor {who}\ncommitter {who}\n".encode())
        self._data(message.encode())
        if parent:
            self._out.write(f"from {parent}\n".encode())
        for path, content in files.items():
            mode = "100755" if is_script(path) else "100644"
            self._out.write(f"M {mode} inline {path}\n".encode())
            self._data(content)
        self._out.write(b"\n")

    def _data(self, payload: bytes) -> None:
        self._out.write(b"data %d\n" % len(payload))
        self._out.write(payload)
        self._out.write(b"\n")


# -- skill content --------------------------------------------------------------------

DOMAINS = ["api", "billing", "cache", "ci", "data", "deploy", "docs", "etl", "frontend", "gateway",
           "incident", "infra", "kafka", "logging", "metrics", "mobile", "oncall", "payments", "perf",
           "release", "search", "security", "sql", "storage", "terraform", "web"]
OBJECTS = ["alerts", "backfill", "changelog", "config", "dashboard", "dependency", "flags", "index",
           "migration", "pipeline", "queries", "quota", "runbook", "schema", "service", "slo",
           "snapshot", "tests", "traces", "upgrade"]
ACTIONS = ["audit", "checklist", "cleanup", "debug", "design", "doctor", "explain", "guide",
           "helper", "planner", "playbook", "report", "review", "rollout", "scaffold", "summary",
           "triage", "tuner", "validator", "writer"]
TEAMS = ["platform-team", "data-eng", "sre-guild", "payments-core", "dev-experience", "web-team",
         "security-office", "mobile-squad", "search-infra", "docs-crew"]
CATEGORIES = ["engineering", "operations", "data", "security", "documentation", "testing", "process"]
TRIGGERS = [
    "asked to review a {t} change before it merges",
    "a {t} problem shows up in production and the cause is unclear",
    "planning work on the {t} and the risks need writing down",
    "someone new needs to understand the {t} quickly",
    "the {t} needs a routine health check",
    "a pull request touches the {t} and needs a second opinion",
]
SENTENCES = [
    "Start from the evidence you have and write down what you expect to find.",
    "Prefer the smallest change that fixes the problem over a broad rewrite.",
    "Check the owners file before asking for a review from another team.",
    "Keep a short log of every command you ran and what it printed.",
    "State the blast radius before proposing a rollout plan.",
    "Confirm that dashboards and alerts still cover the changed path.",
    "Every finding names the file, the line and the failure it causes.",
    "When the data disagrees with the ticket, trust the data and say so.",
    "Timeouts, retries and idempotency deserve a look on every network call.",
    "A rollback that has never been rehearsed is not a rollback plan.",
    "Leave the code cleaner than you found it, but in a separate commit.",
    "Write the summary for a reader who has five minutes and no context.",
    "Flag anything that depends on wall-clock time or on test ordering.",
    "Quote the exact error message rather than paraphrasing it.",
    "Prefer links to the source of truth over copies that drift.",
    "Walk through the change end to end before writing the first comment.",
    "Rank the findings from high to low severity and say which ones block the merge.",
    "Never paste an access token or a private key into the report; link to the vault entry.",
    "Check that every new endpoint enforces authentication and authorization.",
    "If the numbers look right but the graph does not, trust neither until both agree.",
]
COMMANDS = [
    "git log --oneline -20 -- {p}", "rg -n 'TODO|FIXME' {p}", "make test TARGET={p}",
    "kubectl get pods -l app={p}", "psql -c 'select count(*) from {p}_events'",
    "curl -sS https://status.example.com/{p}", "terraform plan -target=module.{p}",
]
GLOBAL_TAGS = ["review", "quality", "reliability", "automation", "onboarding", "cost", "latency"]


def skill_names(count: int, rng: random.Random) -> list[str]:
    """`count` distinct, realistic skill names such as `payments-migration-review`."""
    every = [f"{d}-{o}-{a}" for d in DOMAINS for o in OBJECTS for a in ACTIONS]
    if count > len(every):
        raise SystemExit(f"at most {len(every)} distinct skill names are available, not {count}")
    return sorted(rng.sample(every, count))


def skill_files(name: str, rng: random.Random) -> dict[str, bytes]:
    """The three files of one valid skill, keyed by path inside the skill folder."""
    topic = " ".join(name.split("-")[:2])
    return {
        "SKILL.md": skill_md(name, topic, rng).encode(),
        "references/guide.md": guide_md(topic, rng).encode(),
        "scripts/tool.py": tool_py(topic, rng).encode(),
    }


def paragraph(rng: random.Random, sentences: int) -> str:
    return textwrap.fill(" ".join(rng.sample(SENTENCES, sentences)), width=88)


def bullets(rng: random.Random, count: int) -> str:
    return "\n".join(f"- {s}" for s in rng.sample(SENTENCES, count))


def frontmatter(name: str, topic: str, rng: random.Random) -> str:
    """Spec fields plus the registry's `metadata` policy fields (owner, category, tags, version)."""
    verb = name.rsplit("-", 1)[-1]
    trigger = rng.choice(TRIGGERS).format(t=topic)
    tags = ", ".join([*name.split("-")[:2], rng.choice(GLOBAL_TAGS)])
    tools = "allowed-tools: Read Grep Glob Bash(git log:*)\n" if rng.random() < 0.4 else ""
    return (f"---\nname: {name}\n"
            f"description: A {verb} skill for the {topic}. Collects the facts, checks them against the "
            f"team's standards and reports what to fix first. Use when {trigger}.\n"
            f"license: Apache-2.0\nmetadata:\n"
            f'  owner: "{rng.choice(TEAMS)}"\n  category: "{rng.choice(CATEGORIES)}"\n'
            f'  tags: "{tags}"\n  version: "1.{rng.randint(0, 12)}.{rng.randint(0, 30)}"\n'
            f"{tools}---\n")


def skill_md(name: str, topic: str, rng: random.Random) -> str:
    """About 60 lines of body: workflow steps, a code block, links to both bundled files."""
    title = topic.capitalize() + " " + name.rsplit("-", 1)[-1]
    steps = []
    for number, heading in enumerate(["Gather context", "Inspect", "Report"], start=1):
        command = rng.choice(COMMANDS).format(p=name.split("-")[0])
        steps.append(f"### {number}. {heading}\n\n{paragraph(rng, 2)}\n\n```bash\n{command}\n```\n")
    return (frontmatter(name, topic, rng)
            + f"\n# {title}\n\n{paragraph(rng, 3)}\n\n## When to use\n\n{bullets(rng, 4)}\n\n"
            + "## Workflow\n\n" + "\n".join(steps)
            + "\n## Bundled files\n\n"
            + "- [references/guide.md](references/guide.md): the detailed checklist and examples.\n"
            + "- [scripts/tool.py](scripts/tool.py): run `python scripts/tool.py INPUT --check` "
              "to list findings.\n"
            + f"\n## Edge cases\n\n{bullets(rng, 5)}\n\n## Output\n\n{paragraph(rng, 3)}\n")


def guide_md(topic: str, rng: random.Random) -> str:
    rows = "\n".join(f"| {s.split()[0]} | {s} |" for s in rng.sample(SENTENCES, 4))
    return (f"# {topic.capitalize()} guide\n\nBack to [the skill](../SKILL.md); the helper is "
            f"[tool.py](../scripts/tool.py).\n\n## Checklist\n\n{bullets(rng, 6)}\n\n"
            f"## Examples\n\n| Keyword | Rule |\n|---|---|\n{rows}\n\n## Notes\n\n{paragraph(rng, 4)}\n")


def tool_py(topic: str, rng: random.Random) -> str:
    fields = ", ".join(repr(f) for f in rng.sample(["id", "owner", "score", "status", "region",
                                                    "created", "service"], 3))
    return f'''#!/usr/bin/env python3
"""Helper for the {topic}: reads JSON lines and lists the rows that need attention."""

from __future__ import annotations

import argparse
import json
import sys

THRESHOLD = {rng.randint(3, 97)}
FIELDS = ({fields})


def load(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def findings(rows: list[dict]) -> list[str]:
    out = []
    for row in rows:
        missing = [f for f in FIELDS if f not in row]
        if missing or row.get("score", 0) > THRESHOLD:
            out.append(f"{{row.get('id', '?')}}: missing {{missing}}")
    return sorted(out, key=str.lower)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    problems = findings(load(args.input))
    print("\\n".join(problems) or "no findings")
    return 1 if problems and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
'''


def revise(path: str, content: bytes, rng: random.Random, serial: int) -> bytes:
    """A small realistic edit (one added line) that never recreates earlier content."""
    if path.endswith(".py"):
        return content + f"# change {serial}: {rng.choice(SENTENCES)}\n".encode()
    return content + f"- {rng.choice(SENTENCES)} (change {serial})\n".encode()

"""Issue 12's measurements: the site, the catalog page, the MCP service, PR validation, start-up.

Each section times Relay and its anchor interleaved (benchlib), reports medians
with the spread of the rounds, and calls a target met only when the spread
does not cross it. Sections, each a few minutes on a 2-core machine:

  start    `relay --version`, `--help` and `validate SKILL` (folder, and SKILL.md as the pre-commit
           hook passes it) against `python -c pass`: wall time, and imports (-X importtime)
  changed  `relay validate --changed-since main` on a 1-skill PR in a 10,000-skill repository,
           against `git diff --name-only main...` + `git status --porcelain`; changed-cache
           does the same with git's untracked cache on (`core.untrackedCache true`)
  site     full build at 1,000 skills x 5 versions against `mkdocs build` (flat nav, the same
           markdown); a rebuild after one changed skill; the catalog page's size
  site10k  one full build at 10,000 skills x 5 versions (time, peak RSS, files, disk), a rebuild
           after one changed skill, the catalog page's size
  rebuild10k  the rebuilds alone, on site10k's site (built first, unmeasured): nothing changed
           (the anchor) and one changed skill, alternated
  mcp      get_skill with 10 connections against skillz at 17 and 1,000 skills; search_skills at
           10,000 skills with 10 connections; memory per idle MCP session with 10,000 sessions
           open. The load comes from wrk (`apt-get install wrk`, bench/wrkload.py), a C load
           generator that leaves the two cores to the servers.

Usage: .venv/bin/python bench/scale.py [--rounds 3] [start changed site site10k mcp]
       (mcp-get, mcp-search and mcp-sessions run the parts of mcp)
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/mcp.py is named like the `mcp` package and bench/site.py like `site`: keep this folder
# last on the import path, so the real packages win and `import benchlib` still works.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE] + [str(_HERE)]

import argparse  # noqa: E402
import contextlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import httpx  # noqa: E402

from bench import wrkload  # noqa: E402
from bench.benchlib import (  # noqa: E402
    BIN,
    RELAY_ENTRY,
    WORK,
    CpuWatch,
    Timing,
    at_least,
    at_most,
    clock,
    git,
    interleave,
    machine,
    ratios,
    table,
    times,
)

PY = sys.executable
STARTUP_BUDGET = 0.150
CHANGED_RATIO = 1.5
MKDOCS_RATIO = 0.5
BUILD_10K_BUDGET = 120.0
DISK_10K_BUDGET = 400 * 1024 * 1024
REBUILD_BUDGET = 2.0
CATALOG_BUDGET = 300 * 1024
GET_RATIO = 3.0
GET_FLOOR = 1000.0
SEARCH_FLOOR = 500.0
CLIENTS = 10
SESSIONS = 10_000
MCP_SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))


def mib(n: float) -> str:
    return f"{n / 1024 / 1024:,.1f} MiB"


def kib(n: float) -> str:
    return f"{n / 1024:,.0f} KiB"


def run(*command: str, cwd: Path | None = None) -> None:
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def timed(*command: str, cwd: Path | None = None) -> Callable[[], float]:
    return lambda: clock(lambda: run(*command, cwd=cwd))


# -- start ----------------------------------------------------------------------------


def imports(*args: str) -> Callable[[], float]:
    """Seconds `python -X importtime` counts for one `relay` command: the sum of its top-level
    imports (the interpreter's own start-up imports included; `python -c pass` shows those)."""
    code = "pass"
    if args:
        code = f"import sys\n{RELAY_ENTRY}\nsys.argv = ['relay', *{args!r}]\nmain()"

    def measure() -> float:
        done = subprocess.run([PY, "-X", "importtime", "-c", code], cwd=_HERE.parent, check=False,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        top = re.findall(r"^import time:\s+\d+ \|\s+(\d+) \| \S", done.stderr, re.MULTILINE)
        return sum(int(us) for us in top) / 1e6

    return measure


def start(rounds: int) -> str:
    skill = next(p for p in sorted((_HERE.parent / "skills").iterdir()) if p.is_dir())
    folder = skill.relative_to(_HERE.parent).as_posix()
    commands = {"python -c pass": (), "relay --version": ("--version",), "relay --help": ("--help",),
                f"relay validate {folder}": ("validate", folder),
                f"relay validate {folder}/SKILL.md (the pre-commit hook)": ("validate", f"{folder}/SKILL.md")}
    walls = interleave(rounds * 5, {
        name: timed(str(BIN / "relay"), *args, cwd=_HERE.parent) if args else timed(PY, "-c", "pass")
        for name, args in commands.items()})
    loads = interleave(rounds * 5, {name: imports(*args) for name, args in commands.items()})
    rows = []
    for name, args in commands.items():
        wall, load = walls[name].text(), loads[name].text()
        if args == ("--version",):
            wall += "; " + at_most(walls[name], STARTUP_BUDGET)
        elif args:
            load += "; " + at_most(loads[name], STARTUP_BUDGET)
        rows.append([name, wall, load])
    return table(["command", "wall time (target: `relay --version` <= 150 ms)",
                  "imports, `python -X importtime` (target: well under 150 ms)"], rows)


# -- changed --------------------------------------------------------------------------


ANCHOR, RELAY = "git diff + git status", "relay validate --changed-since main"


def changed(rounds: int, untracked_cache: bool = False) -> str:
    """The anchor and Relay on a 1-skill PR; with `untracked_cache`, in the same repository with
    git's untracked cache on (`core.untrackedCache`, stored in the index), removed afterwards."""
    import runpy

    validate = runpy.run_path(str(_HERE / "validate.py"), run_name="bench_validate")
    repo, names = validate["generated_registry"](10_000, 11)
    git("switch", "-q", "-C", "pr-one", cwd=repo)
    with (repo / "skills" / names[77] / "SKILL.md").open("a", encoding="utf-8") as handle:
        handle.write("\nOne more line.\n")
    git("commit", "-q", "-am", "Edit one skill", cwd=repo)
    if untracked_cache:
        git("config", "core.untrackedCache", "true", cwd=repo)
        run("git", "status", "--porcelain", cwd=repo)  # fills the cache and writes it to the index
    cpu: dict[str, list[float]] = {ANCHOR: [], RELAY: []}

    def with_cpu(name: str, *commands: list[str]) -> Callable[[], float]:
        """Wall seconds of the commands in turn; their CPU seconds (git's included) go to `cpu`."""
        def run_all() -> None:
            for command in commands:
                run(*command, cwd=repo)

        def measure() -> float:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall = clock(run_all)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            return wall

        return measure

    try:
        t = interleave(rounds * 3, {
            ANCHOR: with_cpu(ANCHOR, ["git", "diff", "--name-only", "main..."],
                             ["git", "status", "--porcelain"]),
            RELAY: with_cpu(RELAY, [str(BIN / "relay"), "validate", "--changed-since", "main"]),
        })
    finally:
        if untracked_cache:
            git("config", "--unset", "core.untrackedCache", cwd=repo)
            git("update-index", "--no-untracked-cache", cwd=repo)
        validate["back_to_main"](repo)
        git("branch", "-q", "-D", "pr-one", cwd=repo)
    ratio = ratios(t[RELAY], t[ANCHOR])
    cpu_ratio = ratios(Timing(tuple(cpu[RELAY])), Timing(tuple(cpu[ANCHOR])))
    rows = [[name, t[name].text(), Timing(tuple(cpu[name])).text()] for name in t]
    rows.append(["ratio, round by round", ratio.text(times) + "; " + at_most(ratio, CHANGED_RATIO, times),
                 cpu_ratio.text(times) + " (context)"])
    return table(["1-skill pull request, 10,000 skills", "wall time", "CPU time (user + system)"], rows)


# -- site -----------------------------------------------------------------------------


def _site_bench():  # type: ignore[no-untyped-def]
    import runpy

    return runpy.run_path(str(_HERE / "site.py"), run_name="bench_site")


def flat_mkdocs(repo: Path, dest: Path, mkdocs_project: Callable[[Path, Path], Path]) -> Path:
    """bench/site.py's MkDocs project (the same markdown) with a flat nav: one entry per page."""
    project = mkdocs_project(repo, dest)
    pages = sorted(p.relative_to(project / "docs").as_posix() for p in (project / "docs").rglob("*.md"))
    nav = "\n".join(f"  - '{p}'" for p in pages)
    (project / "mkdocs.yml").write_text(f"site_name: Skills\nplugins: [search]\nnav:\n{nav}\n",
                                        encoding="utf-8")
    return project


def disk(folder: Path) -> tuple[int, int, int]:
    """(files, bytes, bytes on disk as `du` counts them) of a folder."""
    files = size = blocks = 0
    for path in folder.rglob("*"):
        st = path.lstat()
        blocks += st.st_blocks * 512
        if path.is_file():
            files += 1
            size += st.st_size
    return files, size, blocks


def cpu_seconds() -> float:
    """CPU seconds (user + system) of the children waited for so far: on a shared machine the
    wall time of a build depends on the neighbours, its CPU time much less."""
    mine = os.times()
    return mine.children_user + mine.children_system


def with_cpu(action: Callable[[], float], spent: list[float]) -> Callable[[], float]:
    """`action` (a timed run), noting the CPU seconds each run took in `spent`."""
    def run() -> float:
        before = cpu_seconds()
        wall = action()
        spent.append(cpu_seconds() - before)
        return wall
    return run


def build_cmd(repo: Path, out: Path) -> list[str]:
    return [str(BIN / "relay"), "build", "--repo", str(repo), "--out", str(out)]


def site(rounds: int) -> str:
    sb = _site_bench()
    repo = sb["make_repo"](1000)
    out = WORK / "scale-site-1000"
    project = flat_mkdocs(repo, WORK / "scale-mkdocs-1000", sb["mkdocs_project"])

    def relay_full() -> float:
        shutil.rmtree(out, ignore_errors=True)
        return clock(lambda: run(*build_cmd(repo, out)))

    def mkdocs() -> float:
        shutil.rmtree(project / "site", ignore_errors=True)
        return clock(lambda: run(str(BIN / "mkdocs"), "build", "-q", "-d", str(project / "site"),
                                 cwd=project))

    cpu: dict[str, list[float]] = {"mkdocs build (flat nav)": [], "relay build": []}
    t = interleave(rounds, {"mkdocs build (flat nav)": with_cpu(mkdocs, cpu["mkdocs build (flat nav)"]),
                            "relay build": with_cpu(relay_full, cpu["relay build"])})
    ratio = ratios(t["relay build"], t["mkdocs build (flat nav)"])
    cpu_ratio = ratios(Timing(tuple(cpu["relay build"])), Timing(tuple(cpu["mkdocs build (flat nav)"])))
    rebuild = one_skill_rebuilds(repo, out, rounds, sb["change_one_skill"])
    files, size, blocks = disk(out)
    index = (out / "index.html").stat().st_size
    rows = [[name, t[name].text() + f"; CPU {Timing(tuple(cpu[name])).text()}"] for name in t]
    rows += [["ratio, round by round",
              ratio.text(times) + "; target <= 0.5x: " + at_most(ratio, MKDOCS_RATIO, times)],
             ["CPU-time ratio, round by round (context: both cores for Relay, one for MkDocs)",
              cpu_ratio.text(times)],
             ["rebuild after one changed skill", rebuild.text() + " (target at 10,000)"],
             ["output", f"{files:,} files, {mib(size)} of bytes, {mib(blocks)} on disk"],
             ["catalog page index.html", kib(index) + " (target at 10,000)"]]
    return table(["1,000 skills x 5 versions", "measured"], rows)


def one_skill_rebuilds(repo: Path, out: Path, rounds: int, change: Callable[[Path], None]) -> Timing:
    """Rebuilds after one commit that changes one skill, each on top of the last."""
    samples = []
    try:
        for _ in range(rounds):
            change(repo)
            samples.append(clock(lambda: run(*build_cmd(repo, out))))
    finally:
        git("reset", "-q", "--hard", f"HEAD~{rounds}", cwd=repo)
    return Timing(tuple(samples))


def site10k(rounds: int) -> str:
    sb = _site_bench()
    started = time.perf_counter()
    repo = sb["make_repo"](10_000)
    print(f"# 10,000-skill repository ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    out = WORK / "scale-site-10000"
    shutil.rmtree(out, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    spent: list[float] = []
    full = with_cpu(lambda: clock(lambda: run(*build_cmd(repo, out))), spent)()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    unchanged = Timing(tuple(clock(lambda: run(*build_cmd(repo, out))) for _ in range(rounds)))
    rebuild = one_skill_rebuilds(repo, out, rounds, sb["change_one_skill"])
    files, size, blocks = disk(out)
    index = (out / "index.html").stat().st_size
    keys = (out / "assets/cards/keys.js").stat().st_size
    descriptions = sum(p.stat().st_size for p in (out / "assets/cards").glob("[0-9]*.js"))
    rows = [["full build", f"{full:,.0f} s (1 run; CPU {spent[0]:,.0f} s)",
             at_most(Timing((full,)), BUILD_10K_BUDGET)],
            ["peak RSS of one build process", mib(peak) + ("" if before else ""), ""],
            ["output", f"{files:,} files, {mib(size)} of bytes", ""],
            ["disk (du)", mib(blocks), at_most(Timing((blocks,)), DISK_10K_BUDGET, mib)],
            ["rebuild with nothing changed", unchanged.text(), ""],
            ["rebuild after one changed skill", rebuild.text(), at_most(rebuild, REBUILD_BUDGET)],
            ["catalog page index.html", kib(index), at_most(Timing((index,)), CATALOG_BUDGET, kib)],
            ["assets/cards/keys.js (loaded on first use)", kib(keys), ""],
            ["assets/cards/<n>.js, descriptions (loaded after the first results)", kib(descriptions), ""]]
    return table(["10,000 skills x 5 versions", "measured", "target"], rows)


def rebuild10k(rounds: int) -> str:
    """Only the rebuilds of the 10,000-skill site, without its timed full build: the site of
    `site10k` (built once, unmeasured, if missing or built by other code), then per round a
    rebuild with nothing changed (the anchor) and one after a commit to one skill, alternated.
    The one-skill rebuild must also have updated the search index rather than assembled it."""
    sb = _site_bench()
    repo = sb["make_repo"](10_000)
    out = WORK / "scale-site-10000"
    run(*build_cmd(repo, out))  # unmeasured: brings the site to this code and this commit
    samples: dict[str, list[float]] = {"rebuild with nothing changed": [],
                                       "rebuild after one changed skill": []}
    try:
        for _ in range(rounds):
            samples["rebuild with nothing changed"].append(clock(lambda: run(*build_cmd(repo, out))))
            sb["change_one_skill"](repo)
            samples["rebuild after one changed skill"].append(clock(lambda: run(*build_cmd(repo, out))))
    finally:
        git("reset", "-q", "--hard", f"HEAD~{rounds}", cwd=repo)
    manifest = json.loads((out / ".relay-build.json").read_text(encoding="utf-8").split("\n", 1)[0])
    assert "base" in manifest["search"], "the search index was not kept for updates"
    unchanged = Timing(tuple(samples["rebuild with nothing changed"]))
    one = Timing(tuple(samples["rebuild after one changed skill"]))
    return table(["10,000 skills x 5 versions, `relay build` processes", "measured", "target"],
                 [["rebuild with nothing changed (anchor)", unchanged.text(), ""],
                  ["rebuild after one changed skill", one.text(), at_most(one, REBUILD_BUDGET)]])


# -- mcp ------------------------------------------------------------------------------


def _mcp_bench():  # type: ignore[no-untyped-def]
    import importlib

    return importlib.import_module("bench.mcp")


def relay_server(mb, repo: Path, workers: int):  # type: ignore[no-untyped-def]
    """`relay serve` as deployed for throughput: N workers, usage into the shared segment store."""
    port = mb.free_port()
    store = WORK / "scale-usage-store"
    shutil.rmtree(store, ignore_errors=True)
    args = [str(BIN / "relay"), "serve", "--repo", str(repo), "--port", str(port), "--poll", "0",
            "--usage-store", str(store), "--workers", str(workers)]
    server = mb.Server(args, port, "/readyz", timeout=300)
    ready_in_a_row, deadline = 0, time.monotonic() + 300
    while ready_in_a_row < 20:  # every worker has loaded the catalog, not only the first to answer
        ok = httpx.get(server.url + "/readyz", timeout=5).status_code == 200
        ready_in_a_row = ready_in_a_row + 1 if ok else 0
        if time.monotonic() > deadline:
            raise SystemExit("relay serve's workers did not all become ready")
        time.sleep(0.05 if ok else 0.5)
    return server


@dataclass
class Cells:
    """wrk runs of one configuration across rounds."""

    rps: list[float] = field(default_factory=list)
    p50: list[float] = field(default_factory=list)
    p99: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, load: wrkload.Load) -> None:
        self.rps.append(load.rps)
        self.p50.append(load.p50)
        self.p99.append(load.p99)
        self.cpu.append(load.cpu_per_request)

    def text(self) -> str:
        per_sec = lambda x: f"{x:,.0f} req/s"  # noqa: E731
        ms = lambda x: f"{x * 1000:.2f} ms"  # noqa: E731
        return (f"{Timing(tuple(self.rps)).text(per_sec)}, p50 {Timing(tuple(self.p50)).text()}, "
                f"p99 {Timing(tuple(self.p99)).text()}; server CPU per request "
                f"{Timing(tuple(self.cpu)).text(ms)}")


def wrk_cell(server, messages: list[dict], headers: list[str], cells: Cells) -> None:  # type: ignore[no-untyped-def]
    """Warm the server (imports, connections, and each worker's cache of every skill read: about
    four passes over the messages at a few hundred calls a second), then measure for MCP_SECONDS."""
    url = server.url + "/mcp"
    warm = max(2.0, 4 * len(messages) / 500)
    with contextlib.suppress(SystemExit):  # a slow first answer (none during the warm-up) is no verdict
        wrkload.run(url, messages, server.proc.pid, connections=CLIENTS, seconds=warm, headers=headers)
    cells.add(wrkload.run(url, messages, server.proc.pid, connections=CLIENTS, seconds=MCP_SECONDS,
                          headers=headers))


def get_skill(rounds: int, count: int) -> list[list[str]]:
    """get_skill with 10 connections: skillz (one session, SSE answers), then Relay with two
    workers as 2025-06-18 hosts call it (initialize, then plain POSTs: the server keeps no
    session) and as 2026-07-28 clients do (one self-contained POST per call)."""
    mb = _mcp_bench()
    repo = mb.make_catalog(count)
    names = sorted(p.name for p in (repo / "skills").iterdir())
    legacy = [wrkload.tool_call("get_skill", {"name": n}) for n in names]
    modern = [wrkload.tool_call("get_skill", {"name": n}, wrkload.MODERN) for n in names]
    skillz_calls = [wrkload.tool_call(n, {"task": "benchmark"}) for n in names]
    cells = {"skillz": Cells(), "relay": Cells(), "relay 2026": Cells()}
    for _ in range(rounds):
        server = mb.skillz_server(repo / "skills", timeout=300)
        try:
            wrk_cell(server, skillz_calls, wrkload.initialize(server.url + "/mcp"), cells["skillz"])
        finally:
            server.stop()
        server = relay_server(mb, repo, 2)
        try:
            wrk_cell(server, legacy, wrkload.initialize(server.url + "/mcp"), cells["relay"])
            wrk_cell(server, modern, wrkload.modern_headers("get_skill"), cells["relay 2026"])
        finally:
            server.stop()
    skillz = Timing(tuple(cells["skillz"].rps))
    rows = []
    for name, label in (("relay", "2025-06-18 (initialize, then stateless POSTs)"),
                        ("relay 2026", "2026-07-28 (one POST per call)")):
        relay = Timing(tuple(cells[name].rps))
        p99 = Timing(tuple(cells[name].p99))
        ratio = ratios(relay, skillz)
        rows.append([f"get_skill, {count:,} skills, Relay {label}",
                     "skillz 0.1.14: " + cells["skillz"].text(),
                     "Relay (2 workers, usage on): " + cells[name].text(),
                     f"{ratio.text(times)} skillz; >= 3x: {at_least(ratio, GET_RATIO, times)}; "
                     f">= 1,000 req/s: {at_least(relay, GET_FLOOR)}; p99 < 50 ms: {at_most(p99, 0.050)}"])
    return rows


SEARCH_WORDS = ["review", "deploy", "incident", "schema", "test", "release", "migration", "alert"]


def search_skills(rounds: int) -> list[list[str]]:
    mb = _mcp_bench()
    repo = mb.make_catalog(10_000)
    run(str(BIN / "relay"), "list", "--repo", str(repo))  # warm the version index: a fast start
    calls = [wrkload.tool_call("search_skills", {"query": w}) for w in SEARCH_WORDS]
    cells = Cells()
    server = relay_server(mb, repo, 2)
    try:
        headers = wrkload.initialize(server.url + "/mcp")
        for _ in range(rounds):
            wrk_cell(server, calls, headers, cells)
    finally:
        server.stop()
    rps = Timing(tuple(cells.rps))
    return [["search_skills, 10,000 skills (2025-06-18)", "", "Relay (2 workers, usage on): " + cells.text(),
             f">= 500 req/s: {at_least(rps, SEARCH_FLOOR)}"]]


def rss(pid: int) -> int:
    """Resident bytes of a process and its children (uvicorn's workers)."""
    total = 0
    for status in [Path(f"/proc/{pid}/status")] + [Path(f"/proc/{c}/status") for c in children(pid)]:
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def children(pid: int) -> list[str]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += (task / "children").read_text().split()
    return found


def idle_sessions() -> list[list[str]]:
    """Open SESSIONS MCP sessions (initialize, then nothing) on one process; RSS per session."""
    mb = _mcp_bench()
    repo = mb.make_catalog(17)
    port = mb.free_port()
    server = mb.Server([str(BIN / "relay"), "serve", "--repo", str(repo), "--port", str(port), "--poll", "0",
                        "--no-usage"], port, "/readyz")
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                       "clientInfo": {"name": "bench", "version": "1"}}}
    headers = {"Accept": "application/json, text/event-stream"}
    try:
        time.sleep(1)
        before = rss(server.proc.pid)
        opened = 0
        with httpx.Client(timeout=30) as http:
            for _ in range(SESSIONS):
                answer = http.post(f"{server.url}/mcp", json=body, headers=headers)
                opened += bool(answer.status_code == 200 and answer.headers.get("mcp-session-id"))
        time.sleep(1)
        after = rss(server.proc.pid)
    finally:
        server.stop()
    per = (after - before) / max(opened, 1)
    return [[f"memory per idle session ({opened:,} sessions open)", mib(before) + " before",
             mib(after) + " after", f"{per / 1024:,.1f} KiB per session"]]


def mcp_rows(parts: list[Callable[[], list[list[str]]]]) -> str:
    rows: list[list[str]] = []
    for part in parts:
        new = part()
        rows += new
        for row in new:  # a failure later keeps these rows
            print(" | ".join(row), file=sys.stderr, flush=True)
    return table(["measure", "anchor", "Relay", "result"], rows)


def mcp(rounds: int) -> str:
    return mcp_rows([lambda: get_skill(rounds, 17), lambda: get_skill(rounds, 1000),
                     lambda: search_skills(rounds), idle_sessions])


SECTIONS: dict[str, Callable[[int], str]] = {"start": start, "changed": changed, "rebuild10k": rebuild10k,
                                             "changed-cache": lambda r: changed(r, untracked_cache=True),
                                             "site": site,
                                             "site10k": site10k, "mcp": mcp,
                                             "mcp-get": lambda r: mcp_rows([lambda: get_skill(r, 17),
                                                                            lambda: get_skill(r, 1000)]),
                                             "mcp-search": lambda r: mcp_rows([lambda: search_skills(r)]),
                                             "mcp-sessions": lambda r: mcp_rows([idle_sessions])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sections", nargs="*", default=["start", "changed", "site", "mcp"],
                        choices=sorted(SECTIONS), help="what to measure")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per measurement")
    args = parser.parse_args()
    os.chdir(_HERE.parent)
    for name in args.sections:
        watch = CpuWatch()
        started = time.perf_counter()
        result = SECTIONS[name](args.rounds)
        print(f"## {name}\n\nMachine: {machine()}; other processes used {watch.others():.0%} of its CPU "
              f"during the section ({time.perf_counter() - started:,.0f} s).\n\n{result}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

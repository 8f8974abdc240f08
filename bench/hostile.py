"""Peak memory over the hostile corpus: every command stays bounded.

Builds two repositories in a tmp dir: a benign one (`--skills` ordinary
skills) and a hostile one (the same skills plus tests/hostile.py's corpus:
alias bombs, control characters, scripted HTML/SVG and markdown, a tree
crafted with `git mktree`, a 6 MiB file over the per-file limit, a 4 MiB one
under it). Each command runs on both, the benign run first, alternating, for
`--rounds` rounds; the peak resident set of each process comes from
`os.wait4` (the kernel's own count). `relay serve` is measured under attack:
eight concurrent `resources/read` of the 4 MiB file and eight of the 6 MiB one,
a 1 MB search query, and a 64 MiB chunked webhook body.

The anchor is the same command on the benign repository: hostile input may
cost a little more, never an unbounded amount. Targets: the hostile peak at
most 1.5x the benign one, and at most 512 MiB.

    .venv/bin/python bench/hostile.py [--skills 40] [--rounds 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

# The repository root replaces the script's folder on the path: bench/mcp.py would shadow `mcp`.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import httpx  # noqa: E402

from bench.benchlib import BIN, CpuWatch, Timing, at_most, machine, table, wait_ready  # noqa: E402
from tests.conftest import RepoBuilder, skill_md  # noqa: E402
from tests.hostile import commit_traversal_tree, hostile_skills  # noqa: E402

RELAY = str(BIN / "relay")
MIB = 1024 * 1024
RATIO_TARGET = 1.5
ABSOLUTE_TARGET = 512 * MIB
CALL_META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
             "io.modelcontextprotocol/clientInfo": {"name": "bench", "version": "1"},
             "io.modelcontextprotocol/clientCapabilities": {}}
HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2026-07-28"}


def benign(count: int) -> dict[str, str | bytes | None]:
    files: dict[str, str | bytes | None] = {}
    for i in range(count):
        name = f"skill-{i:03d}"
        body = "# Steps\n\n" + "".join(f"{n}. Check item {n} of {name}.\n" for n in range(1, 40))
        files[f"skills/{name}/SKILL.md"] = skill_md(name, f"Checks things number {i}. Use when testing.",
                                                    body=body)
        files[f"skills/{name}/references/guide.md"] = f"# Guide {i}\n\n" + "Some words. " * 200
    return files


def make_repos(root: Path, count: int) -> tuple[Path, Path]:
    plain = RepoBuilder(root / "benign")
    plain.commit(benign(count))
    hostile = RepoBuilder(root / "hostile")
    hostile.commit(benign(count))
    hostile.commit({**hostile_skills(),
                    "skills/heavy/SKILL.md": skill_md("heavy", "Carries big files. Use when testing."),
                    "skills/heavy/assets/under.bin": os.urandom(4 * MIB),
                    "skills/heavy/assets/over.bin": os.urandom(6 * MIB)})
    commit_traversal_tree(hostile)
    return plain.path, hostile.path


def peak(command: list[str], cwd: Path, during: Callable[[], None] | None = None,
         stop: bool = False) -> int:
    """The peak RSS in bytes of one process (`os.wait4`); `during` runs while it lives."""
    proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if during is not None:
            during()
        if stop:
            proc.send_signal(signal.SIGTERM)
    finally:
        _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_maxrss * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def attack(url: str, hostile: bool) -> None:
    """Wait for the server, then load it; on the benign repository the same calls, legal ones."""
    wait_ready(f"{url}/readyz", 60)
    files = ["under.bin", "over.bin"] if hostile else ["references/guide.md"]
    skill = "heavy" if hostile else "skill-000"

    folder = "assets/" if hostile else ""

    def read(path: str) -> None:
        body = {"jsonrpc": "2.0", "id": 1, "method": "resources/read",
                "params": {"uri": f"skill://{skill}/{folder}{path}", "_meta": CALL_META}}
        httpx.post(f"{url}/mcp", json=body, headers={**HEADERS, "Mcp-Method": "resources/read"}, timeout=120)

    threads = [threading.Thread(target=read, args=(f,)) for f in files for _ in range(8)]
    for thread in threads:
        thread.start()
    query = ("review " * (150_000 if hostile else 2)).strip()
    body = {"jsonrpc": "2.0", "id": 2, "method": "tools/call",
            "params": {"name": "search_skills", "arguments": {"query": query}, "_meta": CALL_META}}
    httpx.post(f"{url}/mcp", json=body, headers={**HEADERS, "Mcp-Method": "tools/call",
                                                  "Mcp-Name": "search_skills"}, timeout=120)

    def chunks() -> Iterator[bytes]:
        for _ in range(64 if hostile else 1):
            yield b"x" * MIB

    # the server answers 413 and closes while the rest is still being sent
    with contextlib.suppress(httpx.HTTPError):
        httpx.post(f"{url}/hooks/git", content=chunks(), headers={"X-Hub-Signature-256": "sha256=00"},
                   timeout=120)
    for thread in threads:
        thread.join()


def measures(plain: Path, hostile: Path, out: Path) -> dict[str, Callable[[Path], int]]:
    def serve(repo: Path) -> int:
        port = free_port()
        command = [RELAY, "serve", "--repo", str(repo), "--port", str(port), "--no-usage", "--poll", "0",
                   "--hook-secret", "s3cret"]
        return peak(command, repo, lambda: attack(f"http://127.0.0.1:{port}", repo == hostile), stop=True)

    def build(repo: Path) -> int:
        target = out / repo.name
        shutil.rmtree(target, ignore_errors=True)
        return peak([RELAY, "build", "--out", str(target)], repo)

    return {"relay validate": lambda repo: peak([RELAY, "validate"], repo),
            "relay list": lambda repo: peak([RELAY, "list"], repo),
            "relay build": build, "relay serve (under attack)": serve}


def mib(value: float) -> str:
    return f"{value / MIB:,.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skills", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    watch = CpuWatch()
    root = Path(tempfile.mkdtemp(prefix="relay-hostile-"))
    try:
        plain, hostile = make_repos(root, args.skills)
        found: dict[tuple[str, str], list[int]] = {}
        for _ in range(args.rounds):
            for name, measure in measures(plain, hostile, root / "out").items():
                for label, repo in (("benign", plain), ("hostile", hostile)):  # anchor first, alternating
                    found.setdefault((name, label), []).append(measure(repo))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    rows, ok = [], True
    for name in measures(Path(), Path(), Path()):
        anchor = Timing(tuple(map(float, found[(name, "benign")])))
        relay = Timing(tuple(map(float, found[(name, "hostile")])))
        ratio = Timing(tuple(h / b for h, b in zip(relay.samples, anchor.samples, strict=True)))
        ratio_verdict = at_most(ratio, RATIO_TARGET, lambda x: f"{x:.2f}x")
        absolute_verdict = at_most(relay, ABSOLUTE_TARGET, mib)
        ok = ok and not any(w in v for w in ("missed", "not met") for v in (ratio_verdict, absolute_verdict))
        rows.append([name, anchor.text(mib), relay.text(mib), ratio_verdict, absolute_verdict])
    print(f"## Hostile corpus: peak memory\n\nMachine: {machine()}; other processes used "
          f"{watch.others():.0%} of its CPU during the run. {args.skills} ordinary skills, "
          f"{args.rounds} rounds.\n")
    print(table(["command", "benign repository (anchor)", "hostile repository",
                 f"ratio (target <= {RATIO_TARGET}x)", f"hostile peak (target <= {mib(ABSOLUTE_TARGET)})"],
                rows))
    print(json.dumps({"ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""What a SIGKILL costs a replica writing to the shared usage store: the loss window, measured.

Runs tests/mcp/replicas.py's scenario (two `relay serve` processes on one
repository and one store, concurrent clients, SIGKILL one mid-load, SIGTERM
the other) several times per flush interval, and reports how many
acknowledged events the killed replica lost and how far before the kill the
earliest of them was acknowledged. The target (not a test assertion) is a
window no longer than the flush interval.

    .venv/bin/python bench/replicas.py [--intervals 0.25 1.0] [--rounds 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

# The repository root replaces the script's folder on the path: bench/mcp.py would shadow `mcp`.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import anyio  # noqa: E402

from bench.benchlib import CpuWatch, machine, table  # noqa: E402
from tests.mcp.replicas import scenario  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--intervals", type=float, nargs="+", default=[0.25, 1.0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=300)
    args = parser.parse_args()
    watch = CpuWatch()
    rows, ok = [], True
    for interval in args.intervals:
        windows, lost, acked = [], [], []
        for _ in range(args.rounds):
            tmp = Path(tempfile.mkdtemp(prefix="relay-replicas-"))
            try:
                run = anyio.run(scenario, tmp, interval, 3, args.calls)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            ok = ok and len(run.stored) == len(set(run.stored)) and run.in_store("b") == set(run.acked["b"])
            windows.append(run.loss_window)
            lost.append(len(run.lost))
            acked.append(len(run.acked["a"]))
        median = statistics.median(windows)
        rows.append([f"{interval:g} s", f"{median * 1000:,.0f} ms",
                     ", ".join(f"{w * 1000:,.0f}" for w in windows),
                     ", ".join(f"{n}/{a}" for n, a in zip(lost, acked, strict=True)),
                     "yes" if max(windows) <= interval else "**no**"])
    print(f"## Replicas: loss window on SIGKILL\n\nMachine: {machine()}; other processes used "
          f"{watch.others():.0%} of its CPU during the run.\n")
    print(table(["--flush-interval", "loss window (median)", "samples (ms)",
                 "lost / acknowledged on the killed replica", "every sample within the interval"], rows))
    print(f"\n- {'ok' if ok else 'FAILED'}: no event stored twice; the SIGTERMed replica lost none")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

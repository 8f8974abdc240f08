"""The real plugin marketplace corpus (../shared/datasets/plugins-dev) as a scratch git repository,
for `bench/validate.py --dataset` and `bench/site.py --dataset`.

The copy is committed once (one commit, a fixed identity) and cached under
bench/.work/, so every run times the same repository.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
from pathlib import Path

from benchlib import BENCH, WORK, Timing, duration, git

ROOT = BENCH.parent
CLAUDE = ROOT / "node_modules" / ".bin" / "claude"


def default_dataset() -> Path:
    """`../shared/datasets/plugins-dev` beside the checkout (or any parent), else $RELAY_DATASETS."""
    if os.environ.get("RELAY_DATASETS"):
        return Path(os.environ["RELAY_DATASETS"]) / "plugins-dev"
    for parent in ROOT.parents:
        if (parent / "shared/datasets/plugins-dev").is_dir():
            return parent / "shared/datasets/plugins-dev"
    raise SystemExit("plugins-dev not found: pass --dataset PATH or set RELAY_DATASETS")


def scratch(source: Path) -> Path:
    """The corpus committed to a git repository under bench/.work/ (made on the first run)."""
    home = WORK / f"marketplace-{source.name}"
    repo, complete = home / "repo", home / "complete"
    if complete.is_file():
        return repo
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(source, repo)
    git("init", "--quiet", "--initial-branch=main", cwd=repo)
    git("add", "--all", cwd=repo)
    git("commit", "--quiet", "--message", f"Import {source.name}", cwd=repo)
    complete.touch()
    return repo


def claude_validate(repo: Path, home: Path) -> int:
    """`claude plugin validate REPO` (Claude Code's own checker: the marketplace and plugin.json
    files); returns its exit status (1 when it finds errors)."""
    if not CLAUDE.exists():
        raise SystemExit("node_modules/.bin/claude is missing: run `make install` (npm ci)")
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANTHROPIC_", "CLAUDE_"))}
    env.update(HOME=str(home), DISABLE_TELEMETRY="1", DISABLE_AUTOUPDATER="1", NO_COLOR="1",
               CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1")
    done = subprocess.run([str(CLAUDE), "plugin", "validate", str(repo)], env=env, cwd=home,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    return done.returncode


def spread(timing: Timing) -> str:
    """The median with the range of the samples: `1.20 s (1.10-1.40 s)`."""
    low, high = min(timing.samples), max(timing.samples)
    return f"{duration(statistics.median(timing.samples))} ({duration(low)}-{duration(high)})"


def verdict_with_spread(timing: Timing, budget: float) -> str:
    """Met only when the median meets the budget and no sample crosses it."""
    if max(timing.samples) <= budget:
        return f"met (slowest sample {max(timing.samples) / budget:.2f}x of the budget)"
    if timing.median <= budget:
        return "**not met**: the median meets it but the spread crosses it"
    return f"**missed** by {(timing.median / budget - 1) * 100:.0f}%"

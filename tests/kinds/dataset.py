"""Where the shared corpora live (`../shared/datasets` beside the checkout, or $RELAY_DATASETS)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pygit2
import pytest

ROOT = Path(__file__).resolve().parents[2]


def dataset(name: str) -> Path:
    """The corpus folder; skipped locally when absent, a failure under CI (nothing may skip)."""
    candidates = [Path(os.environ["RELAY_DATASETS"])] if os.environ.get("RELAY_DATASETS") else []
    candidates += [parent / "shared" / "datasets" for parent in ROOT.parents]
    for base in candidates:
        if (base / name).is_dir():
            return base / name
    message = f"dataset {name} not found (set RELAY_DATASETS to the datasets folder)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def scratch_repository(source: Path, dest: Path, extra: dict[str, str] | None = None) -> Path:
    """A copy of `source` committed to a new git repository at `dest` (branch main)."""
    shutil.copytree(source, dest)
    for rel, text in (extra or {}).items():
        (dest / rel).write_text(text, encoding="utf-8")
    repo = pygit2.init_repository(str(dest), initial_head="main")
    repo.index.add_all()
    repo.index.write()
    tree = repo.index.write_tree()
    sig = pygit2.Signature("Dataset", "dataset@example.com", 1_700_000_000, 0)
    repo.create_commit("HEAD", sig, sig, "Import the dataset", tree, [])
    return dest

"""Fixtures: real git repositories built in tmp dirs from literal data, and a CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pygit2
import pytest
from click.testing import CliRunner

# Chromium for the browser tests: found on PATH (Debian's `chromium`, others' `chromium-browser`).
CHROMIUM = Path(shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium")

BASE_TIME = 1_700_000_000  # 2023-11-14, so dates in assertions are stable

ROOT = Path(__file__).resolve().parent.parent
# Ignored folders that tools write while the suite runs (Python's bytecode, pytest's own cache);
# anything else a test writes into the checkout is a bug (tests write only under tmp dirs).
TOOL_FOLDERS = {".venv", "node_modules", "__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


@dataclass(frozen=True)
class Symlink:
    target: str


def skill_md(name: str, description: str = "Does a thing. Use when testing.", *,
             body: str = "# Steps\n\n1. Do the thing.\n", version: str | None = None,
             owner: str = "qa-guild", category: str = "testing", tags: str = "test") -> str:
    """A valid SKILL.md for `name`."""
    extra = f'  version: "{version}"\n' if version else ""
    return (f"---\nname: {name}\ndescription: {description}\nlicense: Apache-2.0\nmetadata:\n"
            f'  owner: "{owner}"\n  category: "{category}"\n  tags: "{tags}"\n{extra}---\n\n'
            f"{body}")


FileSpec = str | bytes | Symlink | None


def write_files(root: Path, files: dict[str, FileSpec]) -> None:
    """Write (or with None, delete) files under root."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            if path.is_symlink() or path.is_file():
                path.unlink()
            elif path.is_dir():
                import shutil

                shutil.rmtree(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink() or path.exists():
            path.unlink()
        if isinstance(content, Symlink):
            os.symlink(content.target, path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


class RepoBuilder:
    """Builds commits on a real repository; dates advance one hour per commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.repo = pygit2.init_repository(str(path), initial_head="main")
        self.count = 0

    def commit(self, files: dict[str, FileSpec], message: str = "", *,
               author: str = "Ada Lovelace", email: str = "ada@example.com",
               parents: list[str] | None = None, ref: str = "HEAD") -> str:
        write_files(self.path, files)
        index = self.repo.index
        index.read()
        index.add_all()
        for entry in list(index):
            if not (self.path / entry.path).exists() and not (self.path / entry.path).is_symlink():
                index.remove(entry.path)
        index.write()
        tree = index.write_tree()
        self.count += 1
        sig = pygit2.Signature(author, email, BASE_TIME + 3600 * self.count, 0)
        if parents is None:
            parents = [] if self.repo.head_is_unborn else [str(self.repo.head.target)]
        oid = self.repo.create_commit(ref, sig, sig, message or f"commit {self.count}", tree,
                                      [pygit2.Oid(hex=p) for p in parents])
        return str(oid)

    def tag(self, name: str, target: str | None = None) -> None:
        target = target or str(self.repo.head.target)
        self.repo.references.create(f"refs/tags/{name}", pygit2.Oid(hex=target))


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., RepoBuilder]:
    """`make_repo(commits=[{path: text}, ...])` builds a real git repository in tmp_path."""
    counter = {"n": 0}

    def build(commits: list[dict[str, FileSpec]] | None = None, name: str | None = None,
              messages: list[str] | None = None) -> RepoBuilder:
        counter["n"] += 1
        builder = RepoBuilder(tmp_path / (name or f"repo{counter['n']}"))
        for i, files in enumerate(commits or []):
            builder.commit(files, (messages or [])[i] if messages and i < len(messages) else "")
        return builder

    return build


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def in_dir(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Change the working directory for the test (the CLI works on the current repo)."""
    return lambda path: monkeypatch.chdir(path)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    """Under CI=true nothing may skip: a skipped test (Chromium, Playwright or node_modules
    missing...) fails instead, with its reason, so CI never passes by not running a test."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where nothing may skip: {reason}"
    return None


FileState = dict[str, tuple[int, int]]


def _git(*args: str) -> str | None:
    proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    return proc.stdout if proc.returncode == 0 else None


def _files_under(path: Path, base: Path, label: str = "") -> FileState:
    """(size, mtime) of the file at `path`, or of every file below it, keyed by label + path from base;
    a path that is gone is (-1, -1), so a deleted file counts as a change."""
    if not path.exists():
        return {label + path.relative_to(base).as_posix(): (-1, -1)}
    found: FileState = {}
    for file in [path] if path.is_file() else path.rglob("*"):
        try:
            stat = file.stat()
        except FileNotFoundError:  # removed while walking
            continue
        if file.is_file():
            found[label + file.relative_to(base).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def checkout_state() -> FileState | None:
    """Size and mtime of every file in the checkout that a test could write: tracked files
    changed from HEAD, untracked files, ignored files outside TOOL_FOLDERS (artifacts/, site/...),
    and Relay's version cache in the git dir. None when the tests run outside a git checkout."""
    git_dir = _git("rev-parse", "--absolute-git-dir")
    changed = _git("ls-files", "-z", "--others", "--modified", "--exclude-standard")
    ignored = _git("ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory")
    if git_dir is None or changed is None or ignored is None:
        return None
    state: FileState = {}
    for rel in filter(None, changed.split("\0") + ignored.split("\0")):
        if not any(part in TOOL_FOLDERS or part.endswith(".egg-info") for part in Path(rel).parts):
            state.update(_files_under(ROOT / rel, ROOT))
    cache = Path(git_dir.strip()) / "relay"
    if cache.is_dir():
        state.update(_files_under(cache, cache, "<git dir>/relay/"))
    return state


@pytest.fixture(scope="session", autouse=True)
def checkout_unchanged() -> Iterator[None]:
    """Fails the run if any test wrote into the checkout or its git dir instead of a tmp dir."""
    before = checkout_state()
    yield
    after = checkout_state()
    if before is None or after is None:
        return
    touched = sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))
    if touched:
        pytest.fail("tests wrote into the checkout (write under tmp_path instead): "
                    + ", ".join(touched[:20]), pytrace=False)

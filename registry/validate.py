"""Validate skills: one skill from any tree, or the skills named by paths in a working tree.

The per-skill pipeline is `validate_skill`; `validate_paths` finds the skill
folders behind the paths a user (or pre-commit, or CI) gives, optionally only
those changed since a revision, validates them (in parallel for large sets)
and adds the repository-wide rules.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks.budget import check_budget
from .checks.context import SkillContext
from .checks.files import check_limits, check_links_and_modules, check_parseable, check_paths
from .checks.frontmatter import check_frontmatter
from .checks.links import check_links
from .checks.policy import check_policy
from .checks.repository import SkillEntry, check_repository
from .checks.secrets import check_secrets
from .config import Config, load_config
from .errors import RelayError, RepositoryError
from .model import Diagnostic, FileKind, Severity
from .rules import diagnostic
from .safepath import printable, unsafe_reason
from .skillmd import ParsedSkillMd, parse_skill_md
from .tree import DirTree, SkillTree, has_files
from .worktree import Status, worktree_root

if TYPE_CHECKING:
    from .changes import SkillChanges

SKILL_MD = "SKILL.md"
PARALLEL_THRESHOLD = 64
IGNORED_ENTRIES = {"README.md", ".gitkeep", ".DS_Store"}

CHECKS: list[Callable[[SkillContext], list[Diagnostic]]] = [
    check_frontmatter,
    check_policy,
    check_paths,
    check_limits,
    check_links_and_modules,
    check_parseable,
    check_links,
    check_secrets,
    check_budget,
]


@dataclass
class SkillResult:
    """What validating one skill produced."""

    entry: SkillEntry
    diagnostics: list[Diagnostic]
    skill_md: ParsedSkillMd | None = None


@dataclass
class ValidationReport:
    """All diagnostics of one run, sorted by place, and which skill folders were checked."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # other kinds' items checked (paths)
    changes: SkillChanges | None = None  # set when validating changes since a revision

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.errors == 0


def validate_skill(tree: SkillTree, folder: str, path: str, config: Config) -> SkillResult:
    """Run every per-skill rule on one skill folder (working tree or git tree)."""
    files = {f.path: f for f in tree.files()}
    out: list[Diagnostic] = []
    md_name = SKILL_MD
    if SKILL_MD not in files:
        variants = [p for p in files if p.lower() == "skill.md"]
        if not variants:
            out.append(diagnostic("SK001", f"{path}/{SKILL_MD}", 1, 1,
                                  f"no {SKILL_MD} in {path}/", skill=folder))
            return SkillResult(SkillEntry(folder, path, None), out)
        md_name = variants[0]
        out.append(diagnostic("SK002", f"{path}/{md_name}", 1, 1,
                              f"found {md_name!r}; the file must be named {SKILL_MD}",
                              skill=folder))
    parsed: ParsedSkillMd | None = None
    md_file = files[md_name]
    if md_file.kind not in (FileKind.FILE, FileKind.EXECUTABLE):
        out.append(diagnostic("SK311", f"{path}/{md_name}", 1, 1,
                              f"{md_name} is a {md_file.kind.value}, not a regular file",
                              skill=folder))
    else:
        try:
            data = tree.read(md_name)
        except OSError as exc:
            out.append(diagnostic("SK311", f"{path}/{md_name}", 1, 1,
                                  f"cannot read: {exc.strerror or exc}", skill=folder))
        else:
            parsed = parse_skill_md(data, f"{path}/{md_name}")
            out.extend(d if d.skill else _with_skill(d, folder) for d in parsed.diagnostics)
    ctx = SkillContext(folder=folder, path=path, tree=tree, skill_md=parsed, config=config)
    for check in CHECKS:
        out.extend(check(ctx))
    name = None
    line, col = 1, 1
    if parsed and parsed.frontmatter and isinstance(parsed.frontmatter.get("name"), str):
        name = parsed.frontmatter["name"].strip()
        line, col = parsed.value_position("name")
    out.sort()
    return SkillResult(SkillEntry(folder, path, name, line, col), out, parsed)


def _with_skill(d: Diagnostic, folder: str) -> Diagnostic:
    return Diagnostic(**{**d.__dict__, "skill": folder})


# -- finding skill folders in a working tree ------------------------------------


@dataclass(frozen=True)
class SkillDir:
    root: Path  # absolute folder
    rel: str  # relative to the report root, posix


def find_skill_dirs(
    paths: Iterable[Path], base: Path, skills_dir: str
) -> tuple[list[SkillDir], list[Diagnostic], list[Path]]:
    """Map user paths (folders, skill folders, files inside skills) to skill folders.

    Returns the skill folders, diagnostics for stray entries, and the parent
    folders whose children are all skills (for the case-collision rule).
    """
    found: dict[Path, SkillDir] = {}
    stray: list[Diagnostic] = []
    collections: list[Path] = []
    skills_root = (base / skills_dir).resolve() if skills_dir else base.resolve()
    for raw in paths:
        path = raw if raw.is_absolute() else (Path.cwd() / raw)
        path = Path(os.path.normpath(path))
        if not path.exists() and not path.is_symlink():
            raise RelayError(f"{raw}: no such file or directory")
        if path.is_file() or path.is_symlink():
            folder = _skill_folder_of(path, skills_root)
            if folder is not None:
                found.setdefault(folder, SkillDir(folder, _rel(folder, base)))
            continue
        if _is_skill_folder(path, skills_root):
            found.setdefault(path, SkillDir(path, _rel(path, base)))
            continue
        collections.append(path)
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            child = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if not has_files(child):
                    continue  # an empty folder (left by a deleted skill) is not in git
                found.setdefault(child, SkillDir(child, _rel(child, base)))
            elif entry.name not in IGNORED_ENTRIES:
                stray.append(diagnostic("SK503", _rel(child, base), 1, 1,
                                        f"{entry.name!r} is not a skill folder"))
    return sorted(found.values(), key=lambda s: s.rel), stray, collections


def _is_skill_folder(path: Path, skills_root: Path) -> bool:
    """A folder with a SKILL.md, a child of the skills folder, or one holding no skills."""
    if _has_skill_md(path):
        return True
    resolved = path.resolve()
    if resolved == skills_root:
        return False
    if resolved.parent == skills_root:
        return True
    children = [Path(e.path) for e in os.scandir(path) if e.is_dir(follow_symlinks=False)]
    return not any(_has_skill_md(child) for child in children)


def _has_skill_md(path: Path) -> bool:
    return any((path / name).exists() or (path / name).is_symlink() for name in (SKILL_MD, "skill.md"))


def _skill_folder_of(file: Path, skills_root: Path) -> Path | None:
    """The skill folder a file belongs to: the child of the skills folder, or a SKILL.md's."""
    resolved = file.resolve() if not file.is_symlink() else file.parent.resolve() / file.name
    if skills_root in resolved.parents:
        rel = resolved.relative_to(skills_root)
        return skills_root / rel.parts[0] if len(rel.parts) > 1 else None
    for candidate in file.parents:
        if (candidate / SKILL_MD).is_file():
            return candidate
    return None


def _rel(path: Path, base: Path) -> str:
    try:
        rel = path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    return "" if rel == "." else rel


# -- running --------------------------------------------------------------------------


def _validate_dir(args: tuple[str, str, Config]) -> SkillResult:
    root, rel, config = args
    folder = Path(root).name
    result = validate_skill(DirTree(Path(root)), folder, rel, config)
    result.skill_md = None  # not needed across processes; keeps results small
    return result


def validate_each(skill_dirs: list[SkillDir], config: Config, *,
                  jobs: int | None = None) -> dict[Path, SkillResult]:
    """Each skill folder's own findings, in parallel when there are many (no repository rules)."""
    work = [(str(s.root), s.rel, config) for s in skill_dirs]
    workers = jobs or os.cpu_count() or 1
    if workers > 1 and len(work) >= PARALLEL_THRESHOLD:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, len(work) // (workers * 8))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_validate_dir, work, chunksize=chunk))
    else:
        results = [_validate_dir(item) for item in work]
    return {s.root: result for s, result in zip(skill_dirs, results, strict=True)}


def validate_dirs(
    skill_dirs: list[SkillDir],
    config: Config,
    *,
    base: Path,
    collections: Iterable[Path] = (),
    jobs: int | None = None,
    done: dict[Path, SkillResult] | None = None,
    listed: dict[str, list[str]] | None = None,
) -> ValidationReport:
    """Validate skill folders on disk, in parallel when there are many.

    `done` holds folders already validated in this run (by `validate_each`), which are not
    validated again; `listed`, parent folders already listed (by `list_folders`).
    """
    done = dict(done or {})
    done.update(validate_each([s for s in skill_dirs if s.root not in done], config, jobs=jobs))
    results = [done[s.root] for s in skill_dirs]
    report = ValidationReport(skills=[s.rel for s in skill_dirs])
    for result in results:
        report.diagnostics.extend(result.diagnostics)
    parents = {s.root.parent for s in skill_dirs} | {Path(p) for p in collections}
    siblings = dict(listed or {})
    siblings.update(list_folders([p for p in parents if _rel(p, base) not in siblings], base))
    report.diagnostics.extend(check_repository([r.entry for r in results], siblings))
    report.diagnostics.sort()
    return report


def list_folders(parents: Iterable[Path], base: Path) -> dict[str, list[str]]:
    """The folders in each parent (by its path from `base`): the case-collision and duplicate-name
    rules compare the checked skills with their siblings."""
    siblings: dict[str, list[str]] = {}
    for parent in parents:
        try:
            names = sorted(e.name for e in os.scandir(parent) if e.is_dir())
        except OSError:
            continue
        siblings[_rel(parent, base)] = names
    return siblings


def validate_paths(
    paths: list[Path],
    *,
    start: Path | None = None,
    changed_since: str | None = None,
    profile: str | None = None,
    jobs: int | None = None,
    status: Status | None = None,
) -> ValidationReport:
    """Validate what a user named: skill folders, the skills folder, or files inside skills.

    Paths are reported relative to the repository root (or `start` outside git),
    which is what GitHub annotations and SARIF expect. With `changed_since`,
    only skills changed since that revision's merge base are validated; `status`
    is a `git status` the caller started early (`worktree.early_status`), used
    when it is of this work tree's skills folder.
    """
    start = (start or Path.cwd()).resolve()
    base = worktree_root(start) or start
    config = load_config(base).with_profile(profile)
    everything = not paths
    item_paths, paths = _split_item_paths(paths, base, config)
    if changed_since is not None:
        if worktree_root(start) is None:
            raise RepositoryError(f"--changed-since needs a git repository; {start} is not in one")
        if status is None or status.root != base:
            status = Status(base)
        from .changes import changed_skills

        named: set[Path] | None = None

        def skill_dirs_of(changes: SkillChanges) -> list[SkillDir]:
            wanted = {base / config.skills_dir / name for name in changes.present}
            return [SkillDir(p, _rel(p, base)) for p in sorted(wanted if named is None else wanted & named)]

        early: dict[Path, SkillResult] = {}
        listed: dict[str, list[str]] = {}
        committed_tree: list[Diagnostic] = []
        tree_checked: set[str] = set()

        def validate_committed(committed: SkillChanges) -> None:
            """The skills the commits changed, validated while `git status` walks the work tree;
            their siblings listed and their committed trees checked meanwhile too, so little is
            left to do once git answers (issue 12)."""
            dirs = skill_dirs_of(committed)
            early.update(validate_each(dirs, config, jobs=jobs))
            listed.update(list_folders([base / config.skills_dir], base))
            tree_checked.update(s.root.name for s in dirs)
            committed_tree.extend(check_committed_tree(base, config.skills_dir, sorted(tree_checked)))

        with status:
            if paths:
                named = {s.root for s in find_skill_dirs(paths, base, config.skills_dir)[0]}
            changes = changed_skills(base, changed_since, config.skills_dir, status,
                                     meanwhile=validate_committed)
        skill_dirs = skill_dirs_of(changes)
        report = validate_dirs(skill_dirs, config, base=base, jobs=jobs, done=early, listed=listed)
        names = {s.root.name for s in skill_dirs}
        if not tree_checked <= names:  # libgit2 answered after all, otherwise: check them all again
            committed_tree, tree_checked = [], set()
        report.diagnostics = _merge(report.diagnostics, committed_tree + check_committed_tree(
            base, config.skills_dir, sorted(names - tree_checked)))
        report.changes = changes
        report.diagnostics = _merge(report.diagnostics, _check_marketplace(base, config))
        return _with_items(report, base, config, ALL_ITEMS if everything else item_paths)
    if everything:
        default = base / config.skills_dir
        if not default.is_dir():
            items = _with_items(ValidationReport(), base, config, ALL_ITEMS)
            if items.items:
                return items
            raise RelayError(f"no skills folder at {default}; pass the paths to validate")
        paths = [default]
        item_paths = ALL_ITEMS
    if not paths:
        return _with_items(ValidationReport(), base, config, item_paths)
    skill_dirs, stray, collections = find_skill_dirs(paths, base, config.skills_dir)
    report = validate_dirs(skill_dirs, config, base=base, collections=collections, jobs=jobs)
    committed: list[Diagnostic] = []
    if (base / config.skills_dir).resolve() in {Path(c).resolve() for c in collections}:
        # The whole skills folder (what CI runs): the committed tree is checked too. Paths of
        # single skills (the pre-commit hook, which checks staged files) skip it.
        committed = check_committed_tree(base, config.skills_dir) + _check_marketplace(base, config)
    report.diagnostics = _merge(report.diagnostics + stray, committed)
    return _with_items(report, base, config, item_paths)


# -- other kinds of items ---------------------------------------------------------------

ALL_ITEMS = [""]  # the item paths meaning "every item in the layout"


def _split_item_paths(paths: list[Path], base: Path,
                      config: Config) -> tuple[list[str] | None, list[Path]]:
    """Separate paths inside the item layout (plugins/, agents/, ...) from skill paths.

    Returns the item paths (repository-relative; None when none was given)
    and the remaining paths for the skill pipeline.
    """
    if not paths:
        return None, paths
    # From the settings alone: importing registry.kinds (every kind's rules and schemas) would
    # cost each pre-commit run ~15 ms for paths that are almost always skills (issue 12).
    item_roots = config.layout.roots
    items: list[str] = []
    rest: list[Path] = []
    for raw in paths:
        path = Path(os.path.normpath(raw if raw.is_absolute() else Path.cwd() / raw))
        rel = _rel(path, base)
        if rel and any(rel == r or rel.startswith(r + "/") for r in item_roots):
            if not path.exists() and not path.is_symlink():
                raise RelayError(f"{raw}: no such file or directory")
            items.append(rel)
        else:
            rest.append(raw)
    return items or None, rest


def _with_items(report: ValidationReport, base: Path, config: Config,
                item_paths: list[str] | None) -> ValidationReport:
    """Add the findings about the items under `item_paths` (ALL_ITEMS: all; None: none)."""
    if item_paths is None:
        return report
    if not any(os.path.lexists(base / r) for r in config.layout.roots):
        return report  # no plugins/, agents/, ... at all: the kinds need not load (issue 12)
    from .kinds import DiskFolder, check_items, discover

    def wanted(source: Any) -> bool:
        path = source.path
        return any(not p or path == p or path.startswith(p + "/") or
                                     p.startswith(path + "/") for p in item_paths)

    root = DiskFolder(base)
    # Top-level skills went through the skill pipeline above and yield no item findings (their
    # folder names are unique); parsing every one again cost `--changed-since` 9 s of a 1-skill
    # pull request at 10,000 skills (issue 12).
    sources = discover(root, config, top_level_skills=False)
    found = check_items(root, config, sources, wanted=wanted)
    report.items = found.checked
    report.diagnostics = sorted(report.diagnostics + found.diagnostics)
    return report


def check_committed_tree(base: Path, skills_dir: str, folders: Iterable[str] | None = None,
                         ) -> list[Diagnostic]:
    """SK313 for names in the committed tree (HEAD) that the work tree cannot show.

    A tree made with `git mktree` can hold `..` or `a\\..\\b`; git refuses to check such
    entries out, so only the committed tree tells. `git ls-tree` lists it (libgit2 stays
    unloaded: `relay validate` starts fast, issue 12); each unsafe name is reported once, at
    its shortest unsafe prefix. `folders` limits the check to those skill folders.
    """
    import subprocess

    command = ["git", "--literal-pathspecs", "ls-tree", "-r", "-t", "-z", "--name-only", "HEAD"]
    if folders is not None:  # only those folders: a 1-skill pull request lists one, not 10,000
        folders = list(folders)
        if not folders:
            return []
        command += ["--", *(f"{skills_dir}/{f}" if skills_dir else f for f in folders)]
    elif skills_dir:
        command += ["--", skills_dir]
    try:
        listing = subprocess.run(command, cwd=base, capture_output=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired):
        return []  # no git here: the work tree is all there is to check
    if listing.returncode != 0:
        return []  # not a repository, or no commit yet
    prefix = f"{skills_dir}/" if skills_dir else ""
    wanted = set(folders) if folders is not None else None
    seen: set[str] = set()
    out: list[Diagnostic] = []
    for raw in listing.stdout.split(b"\0"):
        path = raw.decode("utf-8", "replace")
        if not path.startswith(prefix) or path == skills_dir:
            continue
        parts = path[len(prefix):].split("/")
        if wanted is not None and parts[0] not in wanted:
            continue
        for depth in range(1, len(parts) + 1):
            reason = unsafe_reason("/".join(parts[depth - 1: depth]))
            if reason is None:
                continue
            shown = prefix + "/".join(parts[:depth])
            if shown not in seen:
                seen.add(shown)
                out.append(diagnostic("SK313", printable(shown), 1, 1, f"committed at HEAD: {reason}",
                                      skill=parts[0] if depth > 1 else ""))
            break
    return out


def _check_marketplace(base: Path, config: Config) -> list[Diagnostic]:
    """SK504 (a stale marketplace.json): whole-repository runs only, so the hook never loads it."""
    from .marketplace import check_marketplace

    return check_marketplace(base, config)


def _merge(found: list[Diagnostic], more: list[Diagnostic]) -> list[Diagnostic]:
    """Both lists, sorted; a name the work tree already showed is reported once."""
    seen = {(d.code, d.path) for d in found}
    return sorted(found + [d for d in more if (d.code, d.path) not in seen])

"""What CI adds around validation: a job summary, a history-rewrite check, CODEOWNERS.

The GitHub workflows call `relay` subcommands built on these functions, so the
tests that drive the same commands test what runs in CI.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pygit2

from .catalog import Registry
from .changes import SkillChanges
from .errors import RevisionError
from .model import Severity
from .repo import resolve_commit, subtree
from .validate import ValidationReport

NULL_SHA = "0" * 40


def summary_markdown(report: ValidationReport, changes: SkillChanges | None,
                     repo: pygit2.Repository | None, skills_dir: str) -> str:
    """A job summary: what the change did to the catalog and what validation found."""
    errors: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    for d in report.diagnostics:
        key = d.skill or d.path
        (errors if d.severity == Severity.ERROR else warnings)[key] += 1
    status = "passed" if report.ok else "failed"
    lines = [f"## Relay: skill validation {status}", ""]
    if changes is not None:
        rows = [(name, "added") for name in changes.added]
        rows += [(name, "changed") for name in changes.changed]
        rows += [(name, "removed") for name in changes.removed]
        lines += [f"Changes since `{changes.base[:12]}`: {len(changes.added)} added, "
                  f"{len(changes.changed)} changed, {len(changes.removed)} removed.", ""]
    else:
        rows = [(name, "") for name in sorted(set(errors) | set(warnings))]
        lines += [f"Whole catalog: {len(report.skills)} skills.", ""]
    if rows:
        lines += ["| skill | change | new version | errors | warnings |",
                  "| --- | --- | --- | ---: | ---: |"]
        for name, change in rows:
            version = _head_tree_id(repo, skills_dir, name) if change != "removed" else None
            shown = f"`{version[:12]}`" if version else "—"
            lines.append(f"| `{name}` | {change or '—'} | {shown} | {errors[name]} | "
                         f"{warnings[name]} |")
        lines.append("")
    lines.append(f"**{len(report.skills)} skill{'s' if len(report.skills) != 1 else ''} "
                 f"checked: {report.errors} error{'s' if report.errors != 1 else ''}, "
                 f"{report.warnings} warning{'s' if report.warnings != 1 else ''}.**")
    return "\n".join(lines) + "\n"


def _head_tree_id(repo: pygit2.Repository | None, skills_dir: str, name: str) -> str | None:
    if repo is None or repo.head_is_unborn:
        return None
    commit = repo.head.peel(pygit2.Commit)
    tree = subtree(repo, commit.tree, f"{skills_dir}/{name}" if skills_dir else name)
    return str(tree.id) if tree is not None else None


@dataclass
class HistoryCheck:
    """The outcome of checking that a change keeps every published version."""

    base: str
    head: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_history(registry: Registry, base: str, head: str = "HEAD") -> HistoryCheck:
    """Refuse history rewrites: BASE must be an ancestor of HEAD, and no version may vanish."""
    repo = registry.repo
    head_commit = resolve_commit(repo, head)
    result = HistoryCheck(base=base, head=str(head_commit.id))
    if not base or base == NULL_SHA:
        result.notes.append("no previous revision (a new branch): nothing to compare")
        return result
    try:
        base_commit = resolve_commit(repo, base)
    except RevisionError:
        result.problems.append(
            f"the previous tip {base} is not in the repository: the history it belonged to was "
            "rewritten (force-pushed). Restore it and push new commits on top instead.")
        return result
    result.base = str(base_commit.id)
    if base_commit.id != head_commit.id and not repo.descendant_of(head_commit.id, base_commit.id):
        result.problems.append(
            f"{head} does not contain {base} ({str(base_commit.id)[:12]}): the history was "
            "rewritten or the branch is out of date. Merge the base branch in "
            "(`git merge origin/main`) rather than rebasing published commits.")
    before = registry.all_versions(str(base_commit.id))
    after = registry.all_versions(str(head_commit.id))
    for name, versions in sorted(before.items()):
        kept = {v.tree_id for v in after.get(name, [])}
        for version in versions:
            if version.tree_id not in kept:
                result.problems.append(
                    f"version {version.short_id} of {name} (commit {version.commit_id[:12]}, "
                    f"{version.summary!r}) is published but missing from {head}")
    return result


def codeowners(registry: Registry, org: str) -> str:
    """A CODEOWNERS file mapping each skill folder to its `metadata.owner`."""
    lines = ["# Generated by `relay codeowners`: each skill folder is owned by its metadata.owner.",
             "# Copy to .github/CODEOWNERS (and regenerate when owners change).", ""]
    for skill in registry.working_catalog():
        owner = str(skill.metadata.get("owner", "")).strip()
        if not owner:
            continue
        handle = owner if "@" in owner else f"@{org}/{owner}"
        lines.append(f"/{skill.folder}/ {handle}")
    return "\n".join(lines) + "\n"

#!/usr/bin/env python3
"""Draft release notes from the git history between two refs.

Runs ``git log --no-merges FROM..TO`` and groups Conventional Commit subjects
(``type(scope)!: description``) into markdown sections:

    Breaking changes   '!' after the type/scope, or a BREAKING CHANGE: footer
    Features           feat
    Bug fixes          fix
    Security           security
    Performance        perf
    Documentation      docs
    Reverts            revert, and git's 'Revert "..."' for commits that
                       shipped before FROM
    Other changes      subjects that are not Conventional Commits
    Internal           refactor, test, build, ci, chore, style
                       (hidden unless --include-internal)

Commit bodies are read too:

* ``BREAKING CHANGE: <text>`` (or ``BREAKING-CHANGE:``) footers move the entry
  to Breaking changes and the footer text is printed under it as the
  migration note.
* A commit reverted inside the range (git's ``This reverts commit <sha>.``)
  is dropped together with its revert; revert-of-revert chains are resolved
  to their net effect.

If --from is omitted, the most recent tag reachable from TO's parent is used;
if there is no tag, the whole history up to TO is used. fixup!/squash!
commits are skipped and duplicate subjects (cherry-picks) are listed once.
With --repo-url, PR numbers and hashes become links; with --path, only
commits touching those paths are listed (monorepos).

The output is a *draft*: a human still rewrites entries for the reader.
Exit status: 0 = success, 2 = git or usage error. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
from dataclasses import dataclass

SUBJECT_RE = re.compile(
    r"^(?P<type>[A-Za-z]+)(?:\((?P<scope>[^()]+)\))?(?P<bang>!)?:\s*(?P<desc>.+)$"
)
GIT_REVERT_SUBJECT_RE = re.compile(r'^Revert "(?P<inner>.+)"$')
REVERTS_RE = re.compile(r"This reverts commit (?P<sha>[0-9a-f]{7,40})")
BREAKING_RE = re.compile(r"^BREAKING[ -]CHANGE:[ \t]*(?P<text>.+(?:\n(?!\n)(?![A-Za-z-]+: ).+)*)", re.M)
PR_RE = re.compile(r"\s*\(#(\d+)\)\s*$")

SECTIONS = [
    ("breaking", "Breaking changes"),
    ("feat", "Features"),
    ("fix", "Bug fixes"),
    ("security", "Security"),
    ("perf", "Performance"),
    ("docs", "Documentation"),
    ("revert", "Reverts"),
    ("other", "Other changes"),
    ("internal", "Internal"),
]
INTERNAL_TYPES = {"refactor", "test", "tests", "build", "ci", "chore", "style", "deps"}
TYPE_ALIASES = {"feature": "feat", "bugfix": "fix", "doc": "docs", "performance": "perf"}


@dataclass
class Commit:
    sha: str
    subject: str
    body: str


@dataclass
class Entry:
    sha: str
    section: str
    scope: str | None
    text: str
    pr: str | None
    note: str | None = None


class GitError(RuntimeError):
    pass


def git(repo: str, *args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", repo, *args], capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise GitError("git executable not found on PATH") from exc
    if proc.returncode != 0:
        raise GitError(proc.stderr.strip() or f"git {' '.join(args)} failed")
    return proc.stdout


def previous_tag(repo: str, to_ref: str) -> str | None:
    try:
        return git(repo, "describe", "--tags", "--abbrev=0", f"{to_ref}^").strip() or None
    except GitError:
        return None


def read_commits(repo: str, from_ref: str | None, to_ref: str, paths: list[str]) -> list[Commit]:
    """Commits in the range, oldest first."""
    rev = f"{from_ref}..{to_ref}" if from_ref else to_ref
    args = ["log", "--no-merges", "--reverse", "--format=%H%x1f%s%x1f%b%x1e", rev]
    if paths:
        args += ["--", *paths]
    out = git(repo, *args)
    commits = []
    for record in out.split("\x1e"):
        record = record.strip("\n")
        if not record:
            continue
        sha, _, rest = record.partition("\x1f")
        subject, _, body = rest.partition("\x1f")
        commits.append(Commit(sha, subject.strip(), body.strip()))
    return commits


def cancel_reverts(commits: list[Commit]) -> list[Commit]:
    """Drop commits reverted within the range, resolving revert chains."""
    active: dict[str, Commit] = {}
    cancelled_by: dict[str, str] = {}  # revert sha -> sha it cancelled
    by_sha = {c.sha: c for c in commits}

    def resolve(prefix: str) -> str | None:
        matches = [sha for sha in by_sha if sha.startswith(prefix)]
        return matches[0] if len(matches) == 1 else None

    for c in commits:
        m = REVERTS_RE.search(c.body)
        target = resolve(m.group("sha")) if m else None
        if target and target in active:
            del active[target]
            cancelled_by[c.sha] = target
        elif target and target in cancelled_by:
            original = cancelled_by[target]  # revert of a revert: re-apply
            active[original] = by_sha[original]
        else:
            active[c.sha] = c
    order = {c.sha: i for i, c in enumerate(commits)}
    return sorted(active.values(), key=lambda c: order[c.sha])


def classify(commit: Commit) -> Entry | None:
    subject = commit.subject
    if re.match(r"^(fixup|squash|amend)! ", subject):
        return None
    pr = None
    pm = PR_RE.search(subject)
    if pm:
        pr = pm.group(1)
        subject = subject[: pm.start()]
    bm = BREAKING_RE.search(commit.body)
    note = " ".join(bm.group("text").split()) if bm else None

    rm = GIT_REVERT_SUBJECT_RE.match(subject)
    m = SUBJECT_RE.match(subject)
    if rm:
        section, scope, desc = "revert", None, f"Reverted: {rm.group('inner')}"
    elif not m:
        section, scope, desc = "other", None, subject
    else:
        ctype = TYPE_ALIASES.get(m.group("type").lower(), m.group("type").lower())
        scope = m.group("scope")
        desc = m.group("desc").strip()
        desc = desc[:1].upper() + desc[1:]
        if ctype in INTERNAL_TYPES:
            section = "internal"
        elif ctype in dict(SECTIONS):
            section = ctype
        else:
            section = "other"
        if m.group("bang"):
            section = "breaking"
    if note:
        section = "breaking"
    return Entry(commit.sha, section, scope, desc, pr, note)


def render(entries: list[Entry], title: str, include_internal: bool, hashes: bool,
           repo_url: str | None) -> str:
    lines = [f"## {title}", ""]
    seen: set[tuple[str, str | None, str]] = set()
    any_section = False
    for key, heading in SECTIONS:
        if key == "internal" and not include_internal:
            continue
        bucket = []
        for e in entries:
            ident = (e.section, e.scope, e.text.lower())
            if e.section != key or ident in seen:
                continue
            seen.add(ident)
            bucket.append(e)
        if not bucket:
            continue
        any_section = True
        lines += [f"### {heading}", ""]
        for e in sorted(bucket, key=lambda x: ((x.scope or "~").lower(), x.text.lower())):
            scope = f"**{e.scope}:** " if e.scope else ""
            refs = []
            if e.pr:
                refs.append(f"[#{e.pr}]({repo_url}/pull/{e.pr})" if repo_url else f"#{e.pr}")
            if hashes:
                short = e.sha[:7]
                refs.append(f"[{short}]({repo_url}/commit/{e.sha})" if repo_url else short)
            suffix = f" ({', '.join(refs)})" if refs else ""
            lines.append(f"- {scope}{e.text}{suffix}")
            if e.note:
                lines.append(f"  - Migration: {e.note}")
        lines.append("")
    if not any_section:
        lines += ["_No user-facing changes._", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Group Conventional Commit subjects between two git refs "
        "into markdown release notes (a draft for a human to edit). Reads "
        "BREAKING CHANGE footers and drops commits reverted within the range."
    )
    parser.add_argument("--from", dest="from_ref", metavar="REF",
                        help="start ref, exclusive (default: previous tag before --to)")
    parser.add_argument("--to", dest="to_ref", default="HEAD", metavar="REF",
                        help="end ref, inclusive (default: HEAD)")
    parser.add_argument("-C", "--repo", default=".", metavar="DIR",
                        help="path to the git repository (default: current directory)")
    parser.add_argument("--path", dest="paths", action="append", default=[], metavar="PATH",
                        help="only commits touching PATH (repeatable; for monorepos)")
    parser.add_argument("--repo-url", metavar="URL",
                        help="web URL of the repository; turns #123 and hashes into "
                        "links (URL/pull/123, URL/commit/SHA)")
    parser.add_argument("--title", help="heading text (default: '<to> (YYYY-MM-DD)')")
    parser.add_argument("--include-internal", action="store_true",
                        help="also list refactor/test/build/ci/chore/style commits")
    parser.add_argument("--no-hashes", action="store_true",
                        help="omit short commit hashes from entries")
    args = parser.parse_args(argv)

    repo_url = args.repo_url.rstrip("/") if args.repo_url else None
    if repo_url and not re.match(r"^https?://", repo_url):
        parser.error("--repo-url must start with http:// or https://")

    try:
        from_ref = args.from_ref or previous_tag(args.repo, args.to_ref)
        commits = read_commits(args.repo, from_ref, args.to_ref, args.paths)
    except GitError as exc:
        print(f"release_notes: {exc}", file=sys.stderr)
        return 2

    kept = cancel_reverts(commits)
    entries = [e for c in reversed(kept) if (e := classify(c))]
    title = args.title or f"{args.to_ref} ({dt.date.today().isoformat()})"
    sys.stdout.write(render(entries, title, args.include_internal, not args.no_hashes, repo_url))
    span = f"{from_ref}..{args.to_ref}" if from_ref else f"start..{args.to_ref}"
    dropped = len(commits) - len(kept)
    print(f"release_notes: {len(commits)} commit(s) in {span}; "
          f"{dropped} dropped as reverted within the range", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Draft release notes from the git history between two refs.

Runs ``git log --no-merges FROM..TO`` and groups Conventional Commit subjects
(``type(scope)!: description``) into markdown sections:

    Breaking changes   any type with '!' after the type/scope
    Features           feat
    Bug fixes          fix
    Security           security
    Performance        perf
    Documentation      docs
    Reverts            revert
    Other changes      subjects that are not Conventional Commits
    Internal           refactor, test, build, ci, chore, style
                       (hidden unless --include-internal)

If --from is omitted, the most recent tag reachable from TO's parent is used;
if there is no tag, the whole history up to TO is used. fixup!/squash!
commits are skipped and duplicate subjects (cherry-picks) are listed once.

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
PR_RE = re.compile(r"\s*\((#\d+)\)\s*$")

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
class Entry:
    sha: str
    section: str
    scope: str | None
    text: str
    pr: str | None


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


def read_commits(repo: str, from_ref: str | None, to_ref: str) -> list[tuple[str, str]]:
    rev = f"{from_ref}..{to_ref}" if from_ref else to_ref
    out = git(repo, "log", "--no-merges", "--format=%H%x1f%s%x1e", rev)
    commits = []
    for record in out.split("\x1e"):
        record = record.strip("\n")
        if not record:
            continue
        sha, _, subject = record.partition("\x1f")
        commits.append((sha, subject.strip()))
    return commits


def classify(sha: str, subject: str) -> Entry | None:
    if re.match(r"^(fixup|squash|amend)! ", subject):
        return None
    pr = None
    pm = PR_RE.search(subject)
    if pm:
        pr = pm.group(1)
        subject = subject[: pm.start()]
    m = SUBJECT_RE.match(subject)
    if not m:
        return Entry(sha, "other", None, subject, pr)
    ctype = m.group("type").lower()
    ctype = TYPE_ALIASES.get(ctype, ctype)
    desc = m.group("desc").strip()
    desc = desc[:1].upper() + desc[1:]
    if m.group("bang"):
        section = "breaking"
    elif ctype in INTERNAL_TYPES:
        section = "internal"
    elif ctype in dict(SECTIONS):
        section = ctype
    else:
        section = "other"
    return Entry(sha, section, m.group("scope"), desc, pr)


def render(entries: list[Entry], title: str, include_internal: bool, hashes: bool) -> str:
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
            refs = [r for r in (e.pr, e.sha[:7] if hashes else None) if r]
            suffix = f" ({', '.join(refs)})" if refs else ""
            lines.append(f"- {scope}{e.text}{suffix}")
        lines.append("")
    if not any_section:
        lines += ["_No user-facing changes._", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Group Conventional Commit subjects between two git refs "
        "into markdown release notes (a draft for a human to edit)."
    )
    parser.add_argument("--from", dest="from_ref", metavar="REF",
                        help="start ref, exclusive (default: previous tag before --to)")
    parser.add_argument("--to", dest="to_ref", default="HEAD", metavar="REF",
                        help="end ref, inclusive (default: HEAD)")
    parser.add_argument("-C", "--repo", default=".", metavar="DIR",
                        help="path to the git repository (default: current directory)")
    parser.add_argument("--title", help="heading text (default: '<to> (YYYY-MM-DD)')")
    parser.add_argument("--include-internal", action="store_true",
                        help="also list refactor/test/build/ci/chore/style commits")
    parser.add_argument("--no-hashes", action="store_true",
                        help="omit short commit hashes from entries")
    args = parser.parse_args(argv)

    try:
        from_ref = args.from_ref or previous_tag(args.repo, args.to_ref)
        commits = read_commits(args.repo, from_ref, args.to_ref)
    except GitError as exc:
        print(f"release_notes: {exc}", file=sys.stderr)
        return 2

    entries = [e for sha, subj in commits if (e := classify(sha, subj))]
    title = args.title or f"{args.to_ref} ({dt.date.today().isoformat()})"
    sys.stdout.write(render(entries, title, args.include_internal, not args.no_hashes))
    span = f"{from_ref}..{args.to_ref}" if from_ref else f"start..{args.to_ref}"
    print(f"release_notes: {len(commits)} commit(s) in {span}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Validate a git commit message against the team's commit conventions.

Designed to run as a ``commit-msg`` hook (git passes the path of the message
file as the first argument) or by hand on a file, stdin or a ``-m`` string.

Checks (errors fail the commit, warnings are advisory):
  * subject present, no leading/trailing whitespace, no trailing period
  * subject length: error above --max-subject (72), warning above 50
  * Conventional Commits header ``type(scope)!: description`` with a known type
  * imperative mood: known past/progressive/3rd-person forms ("added",
    "fixing", "updates") are errors; suffix-based guesses are warnings
  * second line blank when there is a body
  * body lines wrapped at --max-body-line (72), except URLs, indented code
    and trailers such as ``Co-authored-by:``
  * WIP subjects are errors; fixup!/squash!/amend! are warnings

Git comment lines (``#``) and everything below the ``git commit -v``
scissors line are ignored. Merge commits and git's default ``Revert "..."``
messages are accepted as-is.

Exit status: 0 = OK (possibly with warnings), 1 = errors (or warnings with
--strict), 2 = usage or I/O error. Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import re
import sys

DEFAULT_TYPES = "feat,fix,perf,refactor,docs,test,build,ci,chore,style,revert,security"

HEADER_RE = re.compile(
    r"^(?P<type>[A-Za-z]+)(?:\((?P<scope>[^()\s]+)\))?(?P<bang>!)?: (?P<desc>.*)$"
)
TRAILER_RE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*: \S")
SCISSORS = "# ------------------------ >8 ------------------------"

# High-confidence non-imperative forms -> imperative suggestion.
KNOWN_FORMS = {
    "added": "add", "adds": "add", "adding": "add",
    "fixed": "fix", "fixes": "fix", "fixing": "fix",
    "updated": "update", "updates": "update", "updating": "update",
    "removed": "remove", "removes": "remove", "removing": "remove",
    "changed": "change", "changes": "change", "changing": "change",
    "created": "create", "creates": "create", "creating": "create",
    "deleted": "delete", "deletes": "delete", "deleting": "delete",
    "implemented": "implement", "implements": "implement", "implementing": "implement",
    "refactored": "refactor", "refactors": "refactor", "refactoring": "refactor",
    "renamed": "rename", "renames": "rename", "renaming": "rename",
    "moved": "move", "moves": "move", "moving": "move",
    "improved": "improve", "improves": "improve", "improving": "improve",
    "bumped": "bump", "bumps": "bump", "bumping": "bump",
    "upgraded": "upgrade", "upgrades": "upgrade", "upgrading": "upgrade",
    "handled": "handle", "handles": "handle", "handling": "handle",
    "made": "make", "makes": "make", "making": "make",
    "wrote": "write", "writes": "write", "writing": "write",
    "introduced": "introduce", "introduces": "introduce", "introducing": "introduce",
    "reverted": "revert", "reverts": "revert", "reverting": "revert",
    "cleaned": "clean", "cleans": "clean", "cleaning": "clean",
    "ensured": "ensure", "ensures": "ensure", "ensuring": "ensure",
    "allowed": "allow", "allows": "allow", "allowing": "allow",
    "prevented": "prevent", "prevents": "prevent", "preventing": "prevent",
    "merged": "merge", "merges": "merge", "merging": "merge",
}
# Words with non-imperative-looking suffixes that are fine as a first word.
SUFFIX_EXCEPTIONS = {
    "need", "embed", "feed", "seed", "speed", "shed", "proceed", "exceed", "succeed",
    "bring", "string", "ping", "ring", "sing",
    "process", "access", "address", "bypass", "pass", "focus", "alias", "canvas",
    "redis", "status", "docs", "deps", "tests", "specs", "stats", "metrics", "logs",
    "assets", "settings", "params", "args", "utils", "apis", "ids", "has",
}


class Report:
    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, line: int, msg: str) -> None:
        self.errors.append(f"{self.source}:{line}: error: {msg}")

    def warn(self, line: int, msg: str) -> None:
        self.warnings.append(f"{self.source}:{line}: warning: {msg}")


def clean_message(raw: str) -> list[str]:
    """Strip git comments, the scissors section and trailing blank lines."""
    lines: list[str] = []
    for line in raw.splitlines():
        if line.startswith(SCISSORS):
            break
        if line.startswith("#"):
            continue
        lines.append(line.rstrip("\r"))
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def check_mood(word: str, report: Report) -> None:
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return
    if w in KNOWN_FORMS:
        report.error(1, f"use the imperative mood: '{KNOWN_FORMS[w]}', not '{word}' "
                        "(complete the sentence 'If applied, this commit will ...')")
        return
    if w in SUFFIX_EXCEPTIONS:
        return
    if (w.endswith("ed") and len(w) > 4) or (w.endswith("ing") and len(w) > 5):
        report.warn(1, f"'{word}' does not look imperative; prefer e.g. 'add', 'fix', 'remove'")
    elif w.endswith("s") and len(w) > 3 and not w.endswith(("ss", "us", "is", "ous")):
        report.warn(1, f"'{word}' looks like third person; prefer the bare verb "
                       f"(e.g. '{w[:-1]}')")


def check(raw: str, source: str, args: argparse.Namespace) -> Report:
    report = Report(source)
    lines = clean_message(raw)
    if not lines:
        report.error(1, "commit message is empty")
        return report

    subject = lines[0]
    if subject.startswith("Merge ") or subject.startswith('Revert "'):
        return report  # generated by git; leave alone
    if re.match(r"^(fixup|squash|amend)! ", subject):
        report.warn(1, "fixup/squash commit: run 'git rebase -i --autosquash' before merging")
        return report

    if subject != subject.strip():
        report.error(1, "subject has leading or trailing whitespace")
    subject = subject.strip()
    if re.match(r"^\W*wip\b", subject, re.IGNORECASE):
        report.error(1, "WIP commits must not be merged; squash or write a real subject")
    if len(subject) > args.max_subject:
        report.error(1, f"subject is {len(subject)} characters (max {args.max_subject})")
    elif len(subject) > 50:
        report.warn(1, f"subject is {len(subject)} characters; aim for 50 or fewer")
    if subject.endswith("."):
        report.error(1, "subject must not end with a period")

    description = subject
    if not args.no_conventional:
        allowed = {t.strip() for t in args.types.split(",") if t.strip()}
        m = HEADER_RE.match(subject)
        if not m:
            report.error(1, "subject must follow 'type(scope): description', "
                            "e.g. 'fix(billing): round tax per line item'")
        else:
            if m.group("type") not in allowed:
                hint = " (types are lowercase)" if m.group("type").lower() in allowed else ""
                report.error(1, f"unknown type '{m.group('type')}'{hint}; "
                                f"allowed: {', '.join(sorted(allowed))}")
            description = m.group("desc").strip()
            if not description:
                report.error(1, "description after 'type:' is empty")
            elif description[0].isupper() and not re.match(r"^[A-Z0-9]{2,}\b", description):
                report.warn(1, "start the description with a lowercase letter")
    if description:
        check_mood(description.split()[0], report)

    if len(lines) > 1:
        if lines[1].strip():
            report.error(2, "second line must be blank (separates subject from body)")
        in_code = False
        for no, line in enumerate(lines[1:], start=2):
            if line.startswith("```"):
                in_code = not in_code
                continue
            exempt = (
                in_code
                or line.startswith(("    ", "\t"))
                or re.search(r"https?://\S{20,}", line)
                or TRAILER_RE.match(line)
            )
            if not exempt and len(line) > args.max_body_line:
                report.warn(no, f"body line is {len(line)} characters; wrap at {args.max_body_line}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Validate a commit message (subject length, imperative mood, "
        "blank second line, Conventional Commits type). Works as a commit-msg hook.",
        epilog="hook: printf '#!/bin/sh\\nexec python3 tools/check_commit_msg.py \"$1\"\\n' "
        "> .git/hooks/commit-msg && chmod +x .git/hooks/commit-msg",
    )
    src = parser.add_mutually_exclusive_group()
    src.add_argument("file", nargs="?", help="commit message file ('-' for stdin)")
    src.add_argument("-m", "--message", help="check this message text instead of a file")
    parser.add_argument("--max-subject", type=int, default=72, metavar="N",
                        help="hard limit for the subject line (default 72)")
    parser.add_argument("--max-body-line", type=int, default=72, metavar="N",
                        help="wrap width for body lines (default 72)")
    parser.add_argument("--types", default=DEFAULT_TYPES,
                        help=f"comma-separated allowed types (default {DEFAULT_TYPES})")
    parser.add_argument("--no-conventional", action="store_true",
                        help="do not require a Conventional Commits 'type: ' prefix")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    args = parser.parse_args(argv)

    if args.message is not None:
        raw, source = args.message, "<message>"
    elif args.file in (None, "-"):
        raw, source = sys.stdin.read(), "<stdin>"
    else:
        try:
            with open(args.file, encoding="utf-8") as fh:
                raw, source = fh.read(), args.file
        except OSError as exc:
            print(f"check_commit_msg: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 2

    report = check(raw, source, args)
    for line in report.errors + report.warnings:
        print(line, file=sys.stderr)
    failed = bool(report.errors) or (args.strict and bool(report.warnings))
    if failed:
        print("commit message rejected: fix the errors above "
              "(git keeps your text in .git/COMMIT_EDITMSG)", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

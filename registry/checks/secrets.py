"""Secrets must never be published in a skill: known token formats and high-entropy assignments.

A false positive is silenced by `relay:allow-secret` on the same line or a glob
in `[secrets] allow` of relay.toml.
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections import Counter

from ..model import Diagnostic, FileKind
from ..rules import diagnostic
from .context import SkillContext

_KNOWN = [
    ("private key", r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
    ("AWS access key id", r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
    ("GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b"),
    ("GitHub fine-grained token", r"\bgithub_pat_[A-Za-z0-9_]{22,255}\b"),
    ("GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}\b"),
    ("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
    ("Slack webhook", r"https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+"),
    ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("Stripe live key", r"\b[rs]k_live_[0-9a-zA-Z]{20,}\b"),
    ("Anthropic API key", r"\bsk-ant-[A-Za-z0-9_-]{20,}"),
    ("OpenAI API key", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}\b"),
    ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("JSON web token", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
]
_KNOWN_RE = re.compile("|".join(f"(?P<k{i}>{p})" for i, (_, p) in enumerate(_KNOWN)))
_ASSIGNMENT = re.compile(
    r"(?i)\b[\w.-]*(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|access[_-]?key|credential|auth)"
    r"[\w.-]*[\"']?\s*(?::|=|:=|=>)\s*[\"']([^\"'\s]{16,})[\"']"
)
_PLACEHOLDER = re.compile(
    r"(?i)(example|sample|dummy|placeholder|changeme|your[_-]|xxxx|\*\*\*|<|>|\$\{|\{\{|%\()"
)
ALLOW_MARKER = "relay:allow-secret"
ENTROPY_THRESHOLD = 3.5


def check_secrets(ctx: SkillContext) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    limit = ctx.config.limits.max_file_bytes
    for f in ctx.tree.files():
        if f.kind not in (FileKind.FILE, FileKind.EXECUTABLE) or f.size > limit:
            continue
        where = ctx.file_path(f.path)
        if any(fnmatch.fnmatchcase(where, pattern) for pattern in ctx.config.secret_allow):
            continue
        try:
            data = ctx.tree.read(f.path)
        except OSError:
            continue
        if b"\x00" in data[:8192]:
            continue  # binary: not scanned
        text = data.decode("utf-8", "replace")
        for line, col, what in find_secrets(text):
            out.append(diagnostic("SK310", where, line, col, f"possible {what}",
                                  skill=ctx.folder))
    return out


# Every known format contains one of these literals and every assignment one of these words;
# a plain `in` test rules most files out far faster than running the regular expressions.
_LITERALS = ("PRIVATE KEY", "AKIA", "ASIA", "ABIA", "ACCA", "gh", "glpat-", "xox", "hooks.slack.com",
             "AIza", "k_live_", "sk-", "npm_", "eyJ")
_KEYWORDS = ("key", "secret", "token", "passw", "pwd", "credential", "auth")


def find_secrets(text: str) -> list[tuple[int, int, str]]:
    """(line, column, kind) of every likely secret in `text`."""
    if not any(literal in text for literal in _LITERALS):
        folded = text.casefold()
        if not any(word in folded for word in _KEYWORDS):
            return []
    found = []
    for match in _KNOWN_RE.finditer(text):
        kind = _KNOWN[int(match.lastgroup[1:])][0] if match.lastgroup else "secret"
        found.append((match.start(), kind))
    for match in _ASSIGNMENT.finditer(text):
        value = match.group(1)
        if _PLACEHOLDER.search(value) or shannon_entropy(value) < ENTROPY_THRESHOLD:
            continue
        if any(start == match.start(1) or match.start(1) <= start < match.end(1)
               for start, _ in found):
            continue
        found.append((match.start(1), "high-entropy secret assigned to a key-like name"))
    result = []
    for offset, kind in sorted(found):
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        if ALLOW_MARKER in text[line_start : line_end if line_end != -1 else len(text)]:
            continue
        result.append((text.count("\n", 0, offset) + 1, offset - line_start + 1, kind))
    return result


def shannon_entropy(value: str) -> float:
    """Bits per character; random tokens score above ~3.5, words and placeholders below."""
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())

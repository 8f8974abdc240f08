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
# Each pattern is compiled alone and without a leading `\b`: a literal start lets the regex
# engine skip through text quickly, where `\b` or an alternation makes it test every position.
# The word boundary before a match is checked by hand instead.
_KNOWN_RES = [(kind, pattern.startswith(r"\b"), re.compile(pattern.removeprefix(r"\b")))
              for kind, pattern in _KNOWN]
_ASSIGNMENT = re.compile(
    r"(?i)\b[\w.-]*(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|access[_-]?key|credential|auth)"
    r"[\w.-]*[\"']?\s*(?::|=|:=|=>)\s*[\"']([^\"'\s]{16,})[\"']"
)
# A quoted value of 16+ characters after an assignment operator: rare in prose, and the only
# place `_ASSIGNMENT` can match, so it runs on those lines alone.
_QUOTED_VALUE = re.compile(r"""(?::|=|:=|=>)\s*["'][^"'\s]{16,}["']""")
_PLACEHOLDER = re.compile(
    r"(?i)(example|sample|dummy|placeholder|changeme|your[_-]|xxxx|\*\*\*|<|>|\$\{|\{\{|%\()"
)
_DOTS = re.compile(r"(?:\.{3,}|…)+")
# Lowercase words joined by `/`, `.`, `_` or `-` ("production/database/password"): a path or
# a name, never a generated secret, whatever its character entropy.
_WORDS = re.compile(r"[a-z]+(?:[/._-][a-z]+)+")
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


def find_secrets(text: str) -> list[tuple[int, int, str]]:
    """(line, column, kind) of every likely secret in `text`."""
    found: list[tuple[int, str]] = []
    for kind, bounded, pattern in _KNOWN_RES:
        for match in pattern.finditer(text):
            start = match.start()
            if bounded and start > 0 and (text[start - 1].isalnum() or text[start - 1] == "_"):
                continue
            if kind == "private key" and _placeholder_key(text, match.end()):
                continue
            found.append((start, kind))
    for candidate in _QUOTED_VALUE.finditer(text):
        line_start = text.rfind("\n", 0, candidate.start()) + 1
        line_end = text.find("\n", candidate.end())
        for match in _ASSIGNMENT.finditer(text, line_start, len(text) if line_end < 0 else line_end):
            value = match.group(1)
            if _PLACEHOLDER.search(value) or shannon_entropy(value) < ENTROPY_THRESHOLD \
                    or _WORDS.fullmatch(value):
                continue
            if any(match.start(1) <= start < match.end(1) for start, _ in found):
                continue
            found.append((match.start(1), "high-entropy secret assigned to a key-like name"))
    first_kind: dict[int, str] = {}
    for offset, kind in found:  # one finding per place: the first (most specific) kind wins
        first_kind.setdefault(offset, kind)
    result = []
    for offset, kind in sorted(first_kind.items()):
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        if ALLOW_MARKER in text[line_start : line_end if line_end != -1 else len(text)]:
            continue
        result.append((text.count("\n", 0, offset) + 1, offset - line_start + 1, kind))
    return result


def _placeholder_key(text: str, after: int) -> bool:
    """Whether the line after a BEGIN ... PRIVATE KEY line is a placeholder ("...", "<your key>"):
    documentation shows the armour around one; a key, even a truncated one, has key material."""
    for line in text[after:after + 4096].splitlines()[1:]:
        body = line.strip().strip("\"',")
        if body:
            return bool(_DOTS.fullmatch(body) or _PLACEHOLDER.search(body))
    return False


def shannon_entropy(value: str) -> float:
    """Bits per character; random tokens score above ~3.5, words and placeholders below."""
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())

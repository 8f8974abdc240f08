#!/usr/bin/env python3
"""Heuristic SQL linter for code review.

Reads SQL from one or more files (or stdin) and reports common correctness and
performance hazards, one per line, as::

    line:col: RULE message

(prefixed with ``path:`` when more than one input is given). The linter is
deliberately dialect-agnostic and regex based: it masks comments and quoted
literals first, so keywords inside strings never trigger findings, and it
tracks parenthesis depth so subqueries are handled separately from the outer
statement. It is a first pass for a human reviewer, not a parser.

Rules:
    SQL001  SELECT * (or t.*) outside EXISTS (...)
    SQL002  UPDATE/DELETE without a WHERE clause, or with WHERE 1=1 / TRUE only
    SQL003  LIKE/ILIKE pattern starting with a wildcard
    SQL004  implicit cross join (comma-separated FROM list)
    SQL005  NOT IN (subquery) -- NULL-unsafe
    SQL006  ORDER BY without LIMIT on an unfiltered scan
    SQL007  function or cast applied to a column in WHERE or JOIN ... ON
            (non-sargable), e.g. WHERE lower(email) = ..., WHERE date(ts) = ...

Suppressing a finding: add a comment naming the rule and a reason, either at
the end of the offending line or alone on the line directly above it::

    SELECT * FROM tiny_lookup;  -- sql-lint: ignore=SQL001 (3 columns, stable)
    -- sql-lint: ignore=SQL006 (at most 24 rows)
    SELECT hour, total FROM hourly ORDER BY hour;

``-- sql-lint: ignore`` without ``=RULES`` suppresses every rule on that line.

Exit status: 0 = no findings, 1 = findings, 2 = usage or I/O error.
Only the Python 3.11 standard library is used.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass

RULES: dict[str, str] = {
    "SQL001": "SELECT * couples the query to the table layout and reads columns "
    "you do not need; list the columns explicitly",
    "SQL002": "{verb} without a restricting WHERE clause touches every row; "
    "add a WHERE clause (or use TRUNCATE deliberately)",
    "SQL003": "LIKE pattern starts with a wildcard, so a B-tree index cannot be "
    "used; consider a trigram/full-text index or an anchored prefix",
    "SQL004": "implicit cross join (comma in FROM list); use explicit "
    "JOIN ... ON so a missing join condition cannot produce a cartesian product",
    "SQL005": "NOT IN (subquery) returns no rows if the subquery yields a NULL; "
    "use NOT EXISTS (...) instead",
    "SQL006": "ORDER BY without LIMIT on an unfiltered scan sorts the whole "
    "table; add LIMIT/keyset pagination or a WHERE clause",
    "SQL007": "{func}() applied to column {col} in a predicate prevents index use "
    "(non-sargable); compare the raw column with a transformed value, or add an "
    "expression index",
}

# Functions that, wrapped around a column in a predicate, defeat a plain index.
NON_SARGABLE_FUNCS = (
    "LOWER|UPPER|TRIM|LTRIM|RTRIM|DATE|YEAR|MONTH|DAY|DATE_TRUNC|DATE_FORMAT|"
    "TO_CHAR|TO_DATE|CAST|CONVERT|COALESCE|IFNULL|ISNULL|NVL|SUBSTR|SUBSTRING|"
    "LEFT|RIGHT|CONCAT|ABS|ROUND|FLOOR|EXTRACT|LENGTH"
)
# Tokens inside a function call that are not column references.
NOT_COLUMNS = {
    "AS", "FROM", "AND", "OR", "NOT", "NULL", "TRUE", "FALSE", "INTERVAL", "DATE",
    "TIME", "TIMESTAMP", "TIMESTAMPTZ", "INT", "INTEGER", "BIGINT", "SMALLINT",
    "NUMERIC", "DECIMAL", "TEXT", "VARCHAR", "CHAR", "BOOLEAN", "FLOAT", "REAL",
    "DOUBLE", "PRECISION", "SIGNED", "UNSIGNED", "YEAR", "MONTH", "DAY", "HOUR",
    "MINUTE", "SECOND", "WEEK", "QUARTER", "EPOCH", "DOW", "UTC", "ZONE", "AT",
    "CURRENT_DATE", "CURRENT_TIMESTAMP", "NOW", "BOTH", "LEADING", "TRAILING",
}
PREDICATE_START = re.compile(r"\b(WHERE|ON)\b")
PREDICATE_END = re.compile(
    r"\b(GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|OFFSET|FETCH|UNION|INTERSECT|EXCEPT|"
    r"WINDOW|QUALIFY|RETURNING|WHERE|SET|FOR|"
    r"(?:(?:LEFT|RIGHT|FULL)(?:\s+OUTER)?\s+|INNER\s+|CROSS\s+)?JOIN)\b"
)
COMPARISON = re.compile(r"\s*(=|<>|!=|<=|>=|<|>|\bI?LIKE\b|\bIN\b|\bBETWEEN\b|\bIS\b)")
SUPPRESS_RE = re.compile(r"--\s*sql-lint:\s*ignore(?:=([A-Za-z0-9_, ]+))?", re.IGNORECASE)

IDENT = r"[A-Z_][A-Z0-9_$]*"

# Keywords that end a FROM list at the same parenthesis depth.
FROM_LIST_END = re.compile(
    r"\b(WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|OFFSET|FETCH|UNION|INTERSECT|"
    r"EXCEPT|MINUS|WINDOW|QUALIFY|RETURNING|USING|FOR|WHEN|ON\s+CONFLICT|"
    r"ON\s+DUPLICATE|SET|VALUES)\b"
)
# Items after a comma in FROM that are legitimately lateral (not a cross join).
LATERAL_ITEM = re.compile(rf"(LATERAL\b|UNNEST\s*\(|{IDENT}(\.{IDENT})*\s*\()")


@dataclass(order=True)
class Finding:
    offset: int
    rule: str
    message: str


def mask_sql(sql: str) -> str:
    """Blank out comments and the contents of quoted strings/identifiers.

    Offsets and newlines are preserved so positions map back to the input.
    Quote characters themselves are kept so callers can find literals.
    """
    out = list(sql)
    i, n = 0, len(sql)

    def blank(start: int, end: int) -> None:
        for k in range(start, min(end, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = sql[i]
        nxt = sql[i + 1] if i + 1 < n else ""
        if c == "-" and nxt == "-":
            end = sql.find("\n", i)
            end = n if end == -1 else end
            blank(i, end)
            i = end
        elif c == "#" and (i == 0 or sql[i - 1] in " \t\n"):
            # MySQL-style comment; harmless to treat as one elsewhere.
            end = sql.find("\n", i)
            end = n if end == -1 else end
            blank(i, end)
            i = end
        elif c == "/" and nxt == "*":
            end = sql.find("*/", i + 2)
            end = n if end == -1 else end + 2
            blank(i, end)
            i = end
        elif c in ("'", '"', "`"):
            j = i + 1
            while j < n:
                if sql[j] == c:
                    if j + 1 < n and sql[j + 1] == c:  # doubled quote escape
                        j += 2
                        continue
                    break
                if sql[j] == "\\" and c == "'":
                    j += 2
                    continue
                j += 1
            blank(i + 1, j)
            i = j + 1
        elif c == "$":
            m = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", sql[i:])
            if m:
                tag = m.group(0)
                end = sql.find(tag, i + len(tag))
                end = n if end == -1 else end
                blank(i + len(tag), end)
                i = end + len(tag)
            else:
                i += 1
        else:
            i += 1
    return "".join(out)


def depths(text: str) -> list[int]:
    """Parenthesis depth *before* each character of ``text``."""
    result, d = [], 0
    for ch in text:
        result.append(d)
        if ch == "(":
            d += 1
        elif ch == ")":
            d = max(0, d - 1)
    result.append(d)
    return result


def split_statements(masked: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, ch in enumerate(masked):
        if ch == ";":
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(masked)))
    return [(s, e) for s, e in spans if masked[s:e].strip()]


def top_level(pattern: str, text: str, depth: list[int], level: int = 0):
    for m in re.finditer(pattern, text):
        if depth[m.start()] == level:
            yield m


def main_verb(u: str, depth: list[int]) -> re.Match | None:
    verbs = r"\b(SELECT|INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|GRANT|REVOKE|WITH|TRUNCATE)\b"
    first = next(top_level(verbs, u, depth), None)
    if first and first.group(1) == "WITH":
        after = r"\b(SELECT|INSERT|UPDATE|DELETE|MERGE)\b"
        for m in top_level(after, u, depth):
            if m.start() > first.start():
                return m
    return first


def lint_statement(original: str, u: str, base: int) -> list[Finding]:
    """Lint one statement. ``u`` is the masked, upper-cased statement text."""
    found: list[Finding] = []
    depth = depths(u)
    verb_m = main_verb(u, depth)
    verb = verb_m.group(1) if verb_m else ""

    def add(pos: int, rule: str, **fmt: str) -> None:
        found.append(Finding(base + pos, rule, RULES[rule].format(**fmt)))

    # SQL001: SELECT * / SELECT t.* / , t.*
    star_patterns = [
        rf"\bSELECT\s+(?:DISTINCT\s+|ALL\s+)?(?:TOP\s*\(?\s*\d+\s*\)?\s+)?((?:{IDENT}\.)?\*)",
        rf",\s*((?:{IDENT}\.)?\*)(?=\s*(?:,|\bFROM\b|$))",
    ]
    for pat in star_patterns:
        for m in re.finditer(pat, u):
            if re.search(r"\bEXISTS\s*\(\s*$", u[: m.start()]):
                continue
            add(m.start(1), "SQL001")

    # SQL002: UPDATE/DELETE without WHERE.
    if verb in ("UPDATE", "DELETE") and verb_m is not None:
        wheres = [m for m in top_level(r"\bWHERE\b", u, depth) if m.start() > verb_m.start()]
        if not wheres:
            add(verb_m.start(), "SQL002", verb=verb)
        else:
            tail = u[wheres[0].end():]
            if re.match(r"\s*(1\s*=\s*1|TRUE)\s*(\bORDER\b|\bLIMIT\b|\bRETURNING\b|$)", tail):
                add(wheres[0].start(), "SQL002", verb=verb)

    # SQL003: leading-wildcard LIKE (check the original text inside the quote).
    for m in re.finditer(r"\b(?:I?LIKE|SIMILAR\s+TO)\s+(?:CONCAT\s*\(\s*)?'", u):
        q = m.end() - 1
        if original[q + 1 : q + 2] == "%":
            add(q, "SQL003")

    # SQL004: implicit cross join.
    if verb not in ("GRANT", "REVOKE"):
        for m in re.finditer(r"\bFROM\b", u):
            level = depth[m.start()]
            i = m.end()
            while i < len(u):
                if depth[i] < level or (u[i] == ")" and depth[i] == level):
                    break
                if depth[i] == level:
                    if FROM_LIST_END.match(u, i) and (i == 0 or not u[i - 1].isalnum() and u[i - 1] != "_"):
                        break
                    if u[i] == ",":
                        rest = u[i + 1 :].lstrip()
                        if not LATERAL_ITEM.match(rest):
                            add(i, "SQL004")
                            break
                i += 1

    # SQL005: NOT IN (subquery).
    for m in re.finditer(r"\bNOT\s+IN\s*\(\s*(SELECT|WITH)\b", u):
        add(m.start(), "SQL005")

    # SQL007: function applied to a column inside WHERE / JOIN ... ON.
    for pm in PREDICATE_START.finditer(u):
        level = depth[pm.start()]
        end = pm.end()
        while end < len(u):
            if depth[end] < level or (u[end] == ")" and depth[end] == level):
                break
            if depth[end] == level and end > pm.end() and PREDICATE_END.match(u, end) \
                    and not (u[end - 1].isalnum() or u[end - 1] == "_"):
                break
            end += 1
        for fm in re.finditer(rf"\b({NON_SARGABLE_FUNCS})\s*\(", u[pm.end():end]):
            open_at = pm.end() + fm.end() - 1
            close_at = open_at + 1
            while close_at < len(u) and depth[close_at + 1] > depth[open_at]:
                close_at += 1
            args = u[open_at + 1 : close_at]
            cols = [
                t for t in re.findall(rf"(?<![:@$?\w.]){IDENT}(?:\.{IDENT})?(?![\w$.])(?!\s*\()", args)
                if t.split(".")[-1] not in NOT_COLUMNS
            ]
            if cols and COMPARISON.match(u, close_at + 1):
                add(pm.end() + fm.start(), "SQL007", func=fm.group(1), col=cols[0].lower())

    # SQL006: ORDER BY without LIMIT on an unfiltered top-level SELECT.
    if verb == "SELECT":
        order = next(top_level(r"\bORDER\s+BY\b", u, depth), None)
        if order is not None:
            bounded = any(
                True
                for _ in top_level(
                    r"\b(LIMIT|FETCH\s+(FIRST|NEXT)|TOP|WHERE|GROUP\s+BY|HAVING)\b", u, depth
                )
            )
            if not bounded:
                add(order.start(), "SQL006")

    return found


def suppressions(sql: str) -> dict[int, set[str] | None]:
    """Map line number -> suppressed rules (None = all) from sql-lint comments.

    A trailing comment applies to its own line; a comment on a line of its own
    applies to the next line.
    """
    result: dict[int, set[str] | None] = {}
    for no, line in enumerate(sql.splitlines(), start=1):
        m = SUPPRESS_RE.search(line)
        if not m:
            continue
        rules = {r.strip().upper() for r in m.group(1).replace(" ", ",").split(",")
                 if r.strip()} if m.group(1) else None
        target = no + 1 if not line[: m.start()].strip() else no
        if target in result and result[target] is None:
            continue  # already suppresses everything
        if rules is None:
            result[target] = None
        else:
            result[target] = (result.get(target) or set()) | rules
    return result


def is_suppressed(finding: Finding, sql: str, table: dict[int, set[str] | None]) -> bool:
    line = sql.count("\n", 0, finding.offset) + 1
    if line not in table:
        return False
    rules = table[line]
    return rules is None or finding.rule in rules


def lint(sql: str, disabled: set[str] | None = None) -> list[Finding]:
    disabled = disabled or set()
    masked = mask_sql(sql)
    findings: list[Finding] = []
    for start, end in split_statements(masked):
        findings.extend(lint_statement(sql[start:end], masked[start:end].upper(), start))
    table = suppressions(sql)
    unique = {
        (f.offset, f.rule): f
        for f in findings
        if f.rule not in disabled and not is_suppressed(f, sql, table)
    }
    return sorted(unique.values())


def position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Flag common SQL hazards (SELECT *, unbounded UPDATE/DELETE,\n"
        "leading-wildcard LIKE, implicit cross joins, NOT IN subqueries,\n"
        "unbounded ORDER BY, functions on indexed columns).\n"
        "Prints 'line:col: RULE message'; exits 1 on findings.\n"
        "Suppress one finding with a comment: -- sql-lint: ignore=SQL001 (reason)",
        epilog="examples:\n"
        "  python3 sql_lint.py migrations/0042_backfill.sql reports/*.sql\n"
        "  pbpaste | python3 sql_lint.py --disable SQL006\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "files", nargs="*", default=["-"], help="SQL files to lint; '-' or nothing reads stdin"
    )
    parser.add_argument(
        "--disable", default="", metavar="RULES", help="comma-separated rule ids to skip, e.g. SQL001,SQL006"
    )
    parser.add_argument("--list-rules", action="store_true", help="print the rules and exit")
    args = parser.parse_args(argv)

    if args.list_rules:
        for rule, text in RULES.items():
            print(f"{rule}  {text.format(verb='UPDATE/DELETE', func='FUNC', col='col')}")
        return 0

    disabled = {r.strip().upper() for r in args.disable.split(",") if r.strip()}
    unknown = disabled - RULES.keys()
    if unknown:
        parser.error(f"unknown rule(s): {', '.join(sorted(unknown))}")

    total = 0
    multi = len(args.files) > 1
    for path in args.files:
        try:
            if path == "-":
                sql, label = sys.stdin.read(), "<stdin>"
            else:
                with open(path, encoding="utf-8") as fh:
                    sql, label = fh.read(), path
        except OSError as exc:
            print(f"sql_lint: cannot read {path}: {exc.strerror}", file=sys.stderr)
            return 2
        for f in lint(sql, disabled):
            line, col = position(sql, f.offset)
            prefix = f"{label}:" if multi else ""
            print(f"{prefix}{line}:{col}: {f.rule} {f.message}")
            total += 1
    if total:
        print(f"{total} finding(s)", file=sys.stderr)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())

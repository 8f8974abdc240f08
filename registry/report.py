"""Render a validation report for people (text), tools (json), GitHub (annotations) and SARIF."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .model import Diagnostic, Severity
from .rules import all_rules

if TYPE_CHECKING:
    from .validate import ValidationReport

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report: ValidationReport, fmt: str) -> str:
    return {"text": render_text, "json": render_json, "github": render_github,
            "sarif": render_sarif}[fmt](report)


def render_text(report: ValidationReport) -> str:
    lines = []
    for d in report.diagnostics:
        severity = "" if d.severity == Severity.ERROR else f"{d.severity}: "
        lines.append(f"{d.location()}: {d.code} {severity}{d.message} [{d.name}]")
        if d.hint:
            lines.append(f"  hint: {d.hint}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def summary(report: ValidationReport) -> str:
    n = len(report.skills)
    checked = plural(n, "skill")
    if report.items:
        checked += f" and {plural(len(report.items), 'item')}"
    return (f"{'OK' if report.ok else 'FAILED'}: {checked} checked, "
            f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def diagnostic_dict(d: Diagnostic) -> dict[str, object]:
    return {"path": d.path, "line": d.line, "column": d.column, "code": d.code, "name": d.name,
            "severity": str(d.severity), "message": d.message, "hint": d.hint, "skill": d.skill}


def render_json(report: ValidationReport) -> str:
    payload = {
        "ok": report.ok,
        "skills_checked": len(report.skills),
        "errors": report.errors,
        "warnings": report.warnings,
        "skills": report.skills,
        "items_checked": len(report.items),
        "items": report.items,
        "diagnostics": [diagnostic_dict(d) for d in report.diagnostics],
    }
    return json.dumps(payload, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: ValidationReport) -> str:
    """GitHub Actions workflow commands: one annotation per diagnostic on its line."""
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for d in report.diagnostics:
        props = (f"file={_escape_property(d.path)},line={d.line},col={d.column},"
                 f"title={_escape_property(f'{d.code} {d.name}')}")
        text = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(f"::{levels[d.severity]} {props}::{_escape_data(text)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def render_sarif(report: ValidationReport) -> str:
    """SARIF 2.1.0 for GitHub code scanning and other static-analysis dashboards."""
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    table = all_rules()
    rule_ids = sorted(table)
    index = {code: i for i, code in enumerate(rule_ids)}
    rules = [
        {
            "id": code,
            "name": table[code].name,
            "shortDescription": {"text": table[code].summary},
            "help": {"text": table[code].hint},
            "defaultConfiguration": {"level": levels[table[code].severity]},
        }
        for code in rule_ids
    ]
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": levels[d.severity],
            "message": {"text": d.message + (f" Hint: {d.hint}" if d.hint else "")},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": d.line, "startColumn": d.column},
                }
            }],
            "partialFingerprints": {"relay/v1": f"{d.code}:{d.path}:{d.message}"},
        }
        for d in report.diagnostics
    ]
    sarif = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "relay", "version": _version(), "rules": rules}},
            "results": results,
        }],
    }
    return json.dumps(sarif, indent=2) + "\n"


def _version() -> str:
    from . import __version__

    return __version__

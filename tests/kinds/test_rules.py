"""Every item kind's rules, each on a small literal repository: code, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.kinds import KIND_RULES
from registry.validate import validate_paths

from ..conftest import Symlink, write_files
from .fixtures import AGENT, manifest, marketplace, repository

P = "plugins/toolkit"
BAD_AGENT = "---\nname: x-ray\ndescription: Finds things. Use when searching.\n{extra}---\n\nPrompt.\n"


def agent(extra: str) -> str:
    return BAD_AGENT.format(extra=extra)


# case -> (files over the valid repository, expected "CODE path:line:column")
CASES: dict[str, tuple[dict, list[str]]] = {
    "unreadable": ({"agents/link.md": Symlink("../elsewhere.md")}, ["IT001 agents/link.md:1:1"]),
    "invalid-utf8": ({"agents/bad.md": b"---\nname: a\xff\n---\nx\n"}, ["IT003 agents/bad.md:2:8"]),
    "empty": ({"commands/empty.md": ""}, ["IT004 commands/empty.md:1:1"]),
    "bom": ({"agents/bom.md": "\ufeff" + agent("")}, ["IT005 agents/bom.md:1:1"]),
    "unclosed": ({"agents/open.md": "---\nname: open\n"}, ["IT007 agents/open.md:1:1"]),
    "yaml": ({"agents/y.md": "---\nname: [x\n---\nPrompt.\n"}, ["IT008 agents/y.md:2:7"]),
    "not-mapping": ({"agents/l.md": "---\n- a\n---\nPrompt.\n"}, ["IT009 agents/l.md:2:1"]),
    "duplicate-key": ({"agents/d.md": agent("name: again\n")}, ["IT010 agents/d.md:4:1"]),
    "tabs": ({"agents/t.md": agent("hooks:\n\tx: 1\n")}, ["IT011 agents/t.md:5:1"]),
    "crlf": ({"commands/c.md": "---\r\ndescription: d\r\n---\r\nDo $ARGUMENTS\r\n"},
             ["IT013 commands/c.md:1:1"]),
    "json-syntax": ({f"{P}/hooks/hooks.json": '{\n  "hooks": {,}\n}\n'},
                    [f"IT020 {P}/hooks/hooks.json:2:13"]),
    "json-array": ({f"{P}/.mcp.json": "[]\n"}, [f"IT021 {P}/.mcp.json:1:1"]),
    "agent-no-frontmatter": ({"agents/plain.md": "You review code.\n"},
                             ["AG001 agents/plain.md:1:1"]),
    "agent-no-name": ({"agents/n.md": "---\ndescription: Reviews. Use when asked.\n---\nP.\n"},
                      ["AG101 agents/n.md:2:1"]),
    "agent-bad-name": ({"agents/b.md": AGENT.replace("name: reviewer", "name: Code_Reviewer")},
                       ["AG102 agents/b.md:2:7"]),
    "agent-no-description": ({"agents/n.md": "---\nname: n\n---\nP.\n"}, ["AG103 agents/n.md:2:1"]),
    "agent-unknown-key": ({"agents/u.md": agent("flavour: mild\n")}, ["AG104 agents/u.md:4:1"]),
    "agent-bad-model": ({"agents/m.md": agent("model: fable\n")}, ["AG105 agents/m.md:4:8"]),
    "agent-bad-tools": ({"agents/m.md": agent("tools: 3\n")}, ["AG105 agents/m.md:4:8"]),
    "agent-empty-prompt": ({"agents/e.md": "---\nname: e\ndescription: Empty. Use never.\n---\n"},
                           ["AG401 agents/e.md:5:1"]),
    "agent-duplicate": ({f"{P}/agents/copy.md": AGENT}, [f"AG501 {P}/agents/reviewer.md:1:1"]),
    "command-bad-field": ({"commands/f.md": "---\ndisable-model-invocation: sometimes\n---\nGo.\n"},
                          ["CM101 commands/f.md:2:27"]),
    "command-unknown-key": ({"commands/k.md": "---\ntags: x\n---\nGo.\n"},
                            ["CM102 commands/k.md:2:1"]),
    "command-empty": ({"commands/e.md": "---\ndescription: nothing\n---\n"},
                      ["CM401 commands/e.md:4:1"]),
    "command-duplicate": ({"commands/sub/hello.md": "Hi.\n"}, ["CM501 commands/sub/hello.md:1:1"]),
    "hooks-schema": ({f"{P}/hooks/hooks.json": '{"hooks": {"Stop": [{"hooks": [{"type": "command"}]}]}}'},
                     [f"HK101 {P}/hooks/hooks.json:1:32"]),
    "hooks-event": ({f"{P}/hooks/hooks.json": '{"hooks": {\n  "OnSave": []\n}}'},
                    [f"HK102 {P}/hooks/hooks.json:2:3"]),
    "hooks-script": ({f"{P}/scripts/check.sh": None}, [f"HK103 {P}/hooks/hooks.json:9:24"]),
    "mcp-schema": ({f"{P}/.mcp.json": '{"mcpServers": {\n  "x": {"args": []}}}'},
                   [f"MC101 {P}/.mcp.json:2:8"]),
    "mcp-file": ({f"{P}/bin/notes": None}, [f"MC102 {P}/.mcp.json:4:18"]),
    "plugin-schema": ({f"{P}/.claude-plugin/plugin.json": manifest(version="one")},
                      [f"PL101 {P}/.claude-plugin/plugin.json:3:14"]),
    "plugin-no-manifest": ({"plugins/bare/commands/go.md": "Go.\n"}, ["PL102 plugins/bare:1:1"]),
    "plugin-missing-path": ({f"{P}/.claude-plugin/plugin.json": manifest(commands="./custom")},
                            [f"PL103 {P}/.claude-plugin/plugin.json:8:15"]),
    "plugin-agent-folder": ({f"{P}/.claude-plugin/plugin.json": manifest(agents=["./agents"])},
                            [f"PL101 {P}/.claude-plugin/plugin.json:9:5"]),
    "plugin-name": ({f"{P}/.claude-plugin/plugin.json": manifest("tool-kit")},
                    [f"PL104 {P}/.claude-plugin/plugin.json:2:11",
                     "MK104 .claude-plugin/marketplace.json:5:15"]),
    "plugin-outside": ({f"{P}/.claude-plugin/plugin.json": manifest(commands="./../x")},
                       [f"PL105 {P}/.claude-plugin/plugin.json:8:15"]),
    "plugin-empty": ({"plugins/hollow/.claude-plugin/plugin.json": manifest("hollow")},
                     ["PL106 plugins/hollow:1:1"]),
    "plugin-duplicate-skill": ({f"{P}/.claude-plugin/plugin.json": manifest(skills=["./more"]),
                                f"{P}/more/lint/SKILL.md": "---\nname: lint\ndescription: "
                                "Lints. Use when linting.\n---\nRun it.\n"},
                               [f"PL501 {P}/skills/lint:1:1"]),
    "plugin-duplicate-name": ({"plugins/toolkit2/.claude-plugin/plugin.json": manifest(),
                               "plugins/toolkit2/commands/go.md": "Go.\n"},
                              ["PL104 plugins/toolkit2/.claude-plugin/plugin.json:2:11",
                               "PL502 plugins/toolkit2:1:1"]),
    "marketplace-owner": ({".claude-plugin/marketplace.json": marketplace(owner=False)},
                          ["MK101 .claude-plugin/marketplace.json:1:1"]),
    "marketplace-unresolved": ({".claude-plugin/marketplace.json": marketplace(
        {"name": "toolkit", "source": "./plugins/toolkit"},
        {"name": "gone", "source": "./plugins/gone"})},
        ["MK102 .claude-plugin/marketplace.json:10:17"]),
    "marketplace-duplicate": ({".claude-plugin/marketplace.json": marketplace(
        {"name": "toolkit", "source": "./plugins/toolkit"},
        {"name": "toolkit", "source": "./plugins/toolkit"})},
        ["MK103 .claude-plugin/marketplace.json:9:15"]),
    "marketplace-name": ({".claude-plugin/marketplace.json": marketplace(
        {"name": "kit", "source": "./plugins/toolkit"})},
        ["MK104 .claude-plugin/marketplace.json:5:15"]),
}


def run(tmp_path: Path, files: dict) -> list[str]:
    write_files(tmp_path, {**repository(), **files})
    report = validate_paths([], start=tmp_path, jobs=1)
    for d in report.diagnostics:
        assert d.message and d.hint and d.line >= 1 and d.column >= 1, d
    return sorted(f"{d.code} {d.location()}" for d in report.diagnostics)


def test_the_valid_repository_has_no_findings(tmp_path: Path) -> None:
    write_files(tmp_path, repository())
    report = validate_paths([], start=tmp_path, jobs=1)
    assert report.diagnostics == []
    assert sorted(report.items) == [
        ".claude-plugin/marketplace.json", "agents/planner.md", "commands/hello.md",
        "plugins/toolkit", f"{P}/.mcp.json", f"{P}/agents/reviewer.md",
        f"{P}/commands/review.md", f"{P}/hooks/hooks.json", f"{P}/skills/lint"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_reports_exactly_the_expected_findings(case: str, tmp_path: Path) -> None:
    files, expected = CASES[case]
    assert run(tmp_path, files) == sorted(expected)


def test_every_kind_rule_is_exercised() -> None:
    exercised = {e.split(" ")[0] for _, expected in CASES.values() for e in expected}
    assert exercised == {rule.code for rule in KIND_RULES}

"""Small literal repositories holding every kind of item (docs/kinds.md)."""

from __future__ import annotations

import json

AGENT = """---
name: reviewer
description: Reviews a change for defects. Use when a diff is ready for review.
tools: Read, Grep
model: sonnet
---

You are a careful reviewer. Read the diff and list defects with file and line.
"""

COMMAND = """---
description: Review the named files
argument-hint: "[files...]"
allowed-tools: Read
---

Review these files for defects: $ARGUMENTS. Focus on $1 first.
"""

SKILL = """---
name: lint
description: Lints Python code. Use when asked to lint or tidy a module.
---

# Lint

1. Run ruff on the module.
"""

HOOKS = json.dumps({"hooks": {"PostToolUse": [{"matcher": "Write|Edit", "hooks": [
    {"type": "command", "command": "${CLAUDE_PLUGIN_ROOT}/scripts/check.sh"}]}]}}, indent=2)

MCP = json.dumps({"mcpServers": {"notes": {"command": "${CLAUDE_PLUGIN_ROOT}/bin/notes",
                                           "args": ["--stdio"]},
                                 "remote": {"type": "http", "url": "https://example.com/mcp"}}},
                 indent=2)


def manifest(name: str = "toolkit", **extra: object) -> str:
    return json.dumps({"name": name, "version": "1.2.0", "description": "A toolkit plugin.",
                       "author": {"name": "QA Guild"}, **extra}, indent=2)


def marketplace(*entries: dict, owner: bool = True) -> str:
    data: dict = {"name": "team-tools", "plugins": list(entries) or [
        {"name": "toolkit", "source": "./plugins/toolkit", "description": "A toolkit plugin."}]}
    if owner:
        data["owner"] = {"name": "Platform team"}
    return json.dumps(data, indent=2)


def plugin_files(name: str = "toolkit") -> dict[str, str]:
    root = f"plugins/{name}"
    return {
        f"{root}/.claude-plugin/plugin.json": manifest(name),
        f"{root}/agents/reviewer.md": AGENT,
        f"{root}/commands/review.md": COMMAND,
        f"{root}/skills/lint/SKILL.md": SKILL,
        f"{root}/hooks/hooks.json": HOOKS,
        f"{root}/scripts/check.sh": "#!/bin/sh\nexit 0\n",
        f"{root}/.mcp.json": MCP,
        f"{root}/bin/notes": "#!/bin/sh\n",
    }


def repository() -> dict[str, str]:
    """A valid repository with one plugin, top-level items and a marketplace."""
    return {
        **plugin_files(),
        "agents/planner.md": AGENT.replace("name: reviewer", "name: planner"),
        "commands/hello.md": "Say hello to $ARGUMENTS.\n",
        ".claude-plugin/marketplace.json": marketplace(),
    }

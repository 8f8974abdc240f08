"""Hooks: `hooks/hooks.json` in a plugin, shell commands (or prompts, URLs) run on events.

Format (https://code.claude.com/docs/en/hooks and
https://code.claude.com/docs/en/plugins-reference#hooks): `{"hooks": {Event:
[{"matcher": ..., "hooks": [{"type": "command", "command": ...}]}]}}`. A
plugin's command refers to its own files as `${CLAUDE_PLUGIN_ROOT}/...`; such a
file must exist in the plugin, or the hook fails on every event.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..model import Diagnostic, Item, Rule
from ..schemas import builtin_validator
from .base import Checked, Context, E, Source, W, make_diagnostic, qualified
from .files import read_json_item, schema_errors
from .folder import clean
from .jsondoc import JsonDoc

KIND = "hooks"
EVENTS = frozenset({
    "PreToolUse", "PostToolUse", "PostToolUseFailure", "PermissionRequest", "UserPromptSubmit",
    "Notification", "Stop", "StopFailure", "SubagentStart", "SubagentStop", "SessionStart",
    "SessionEnd", "PreCompact", "PostCompact", "Setup", "TeammateIdle", "TaskCreated",
    "TaskCompleted", "UserPromptExpansion", "PostToolBatch", "ConfigChange",
})
RULES = [
    Rule("HK101", "hooks-invalid", E, "A hooks file breaks the hooks schema.",
         "See registry/schemas/hooks.json: {\"hooks\": {Event: [{\"matcher\", \"hooks\": [...]}]}}."),
    Rule("HK102", "hooks-unknown-event", W, "A hook is set on an event Claude Code does not document.",
         "Check the event name's spelling (PreToolUse, PostToolUse, SessionStart, ...)."),
    Rule("HK103", "hooks-missing-script", E, "A hook command names a plugin file that does not exist.",
         "Add the file to the plugin, or fix the path after ${CLAUDE_PLUGIN_ROOT}/."),
]
BY_CODE = {rule.code: rule for rule in RULES}
_PLUGIN_FILE = re.compile(r"\$\{?CLAUDE_PLUGIN_ROOT\}?/([^\s\"'`;|&)]+)")


def plugin_files(text: str) -> list[str]:
    """Paths inside the plugin that a command names through ${CLAUDE_PLUGIN_ROOT}."""
    return _PLUGIN_FILE.findall(text)


def check_plugin_refs(text: str, pointer: tuple[str | int, ...], doc: JsonDoc, ctx: Context,
                      source: Source, rule: Rule, name: str) -> list[Diagnostic]:
    """A diagnostic for each ${CLAUDE_PLUGIN_ROOT}/path in `text` missing from the plugin."""
    base = source.plugin_root
    out = []
    for ref in plugin_files(text):
        rel = clean(ref)
        target = f"{base}/{rel}" if base and rel else rel
        if rel is None or not target or not (ctx.root.is_file(target) or ctx.root.is_dir(target)):
            out.append(make_diagnostic(rule, source.path, *doc.position(pointer),
                                       f"${{CLAUDE_PLUGIN_ROOT}}/{ref} does not exist in the "
                                       "plugin", item=name))
    return out


def check_events(events: Any, doc: JsonDoc, source: Source, ctx: Context, name: str,
                 prefix: tuple[str | int, ...] = ("hooks",)) -> list[Diagnostic]:
    """Event names and plugin file references of a valid hooks mapping."""
    out: list[Diagnostic] = []
    if not isinstance(events, dict):
        return out
    for event, groups in events.items():
        if event not in EVENTS:
            out.append(make_diagnostic(BY_CODE["HK102"], source.path, *doc.position((*prefix, event, "")),
                                       f"`{event}` is not a documented hook event", item=name))
        for g, group in enumerate(groups if isinstance(groups, list) else []):
            handlers = group.get("hooks") if isinstance(group, dict) else None
            for h, handler in enumerate(handlers if isinstance(handlers, list) else []):
                command = handler.get("command") if isinstance(handler, dict) else None
                if isinstance(command, str):
                    pointer = (*prefix, event, g, "hooks", h, "command")
                    out.extend(check_plugin_refs(command, pointer, doc, ctx, source,
                                                 BY_CODE["HK103"], name))
    return out


def check(source: Source, ctx: Context) -> Checked:
    name = qualified(source.plugin, "hooks")
    doc, out = read_json_item(ctx.root, source.path, name)
    if doc is None:
        return Checked(None, out)
    errors = schema_errors(builtin_validator("hooks"),
                           doc.data, doc.position, BY_CODE["HK101"], source.path, name)
    out.extend(errors)
    if not errors:
        out.extend(check_events(doc.data.get("hooks"), doc, source, ctx, name))
    events = doc.data.get("hooks") if isinstance(doc.data.get("hooks"), dict) else {}
    description = doc.data.get("description")
    if not isinstance(description, str) or not description:
        description = "Hooks on " + ", ".join(sorted(events)) if events else "Hooks"
    item = Item(kind=KIND, name=name, path=source.path, plugin=source.plugin,
                description=description, data=doc.data)
    return Checked(item, [replace(d, skill=name) for d in out])

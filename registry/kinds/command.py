"""Slash command: a markdown prompt in `commands/`, with optional frontmatter.

Format (https://code.claude.com/docs/en/slash-commands#custom-slash-commands):
the file name is the command (`commands/review.md` is `/review`; subfolders
only group files), the body is the prompt, `$ARGUMENTS` stands for everything
typed after the command and `$1`, `$2`, ... for single arguments. Optional
frontmatter: `description`, `argument-hint`, `allowed-tools`, `model`,
`disable-model-invocation`; Claude Code now loads commands and skills alike,
so Relay accepts the keys of its `claude-code` skill profile.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import Any

from ..model import Item, Rule
from ..schemas import Validator, load_schema
from .base import Checked, Context, E, Source, W, make_diagnostic, qualified, stem
from .files import parse_markdown, read_item

KIND = "command"
RULES = [
    Rule("CM101", "command-invalid-field", E, "A slash command field has the wrong type or value.",
         "See docs/kinds.md: `description`, `argument-hint` and `model` are strings, "
         "`allowed-tools` a string or a list, `disable-model-invocation` true or false."),
    Rule("CM102", "command-unknown-field", W, "A slash command key that Claude Code does not document.",
         "Remove it or check its spelling; Claude Code ignores unknown keys silently."),
    Rule("CM401", "command-empty", E, "A slash command has no prompt.",
         "Write the prompt below the frontmatter; use $ARGUMENTS for what the user types."),
    Rule("CM501", "command-duplicate-name", E, "Two command files in one scope make the same command.",
         "Rename one: subfolders of commands/ do not change a command's name."),
]
BY_CODE = {rule.code: rule for rule in RULES}
_POSITIONAL = re.compile(r"\$(\d+)")


@cache
def schema() -> dict[str, Any]:
    """The claude-code skill profile's keys, none required, nothing else allowed."""
    base = load_schema("frontmatter.claude-code")
    return {"$schema": base["$schema"], "type": "object", "properties": base["properties"],
            **({"$defs": base["$defs"]} if "$defs" in base else {})}


@cache
def _validator() -> Validator:
    return Validator(schema(), compiled=True)  # Relay's own schema, reshaped


def arguments(body: str) -> list[str]:
    """The arguments a command's prompt uses: `ARGUMENTS`, or `1`, `2`, ... in order."""
    numbers = sorted({int(n) for n in _POSITIONAL.findall(body) if int(n) > 0})
    found = [str(n) for n in numbers]
    if "$ARGUMENTS" in body:
        found.insert(0, "ARGUMENTS")
    return found


def check(source: Source, ctx: Context) -> Checked:
    path = source.path
    name = qualified(source.plugin, stem(path))
    data, out = read_item(ctx.root, path, name)
    if data is None:
        return Checked(None, out)
    parsed, found = parse_markdown(data, path, name)
    out.extend(found)
    fm = parsed.frontmatter or {}
    body = parsed.body if parsed.frontmatter is not None else _plain_body(data)
    if any(d.severity == E for d in found):
        return Checked(None, out)
    known = schema()["properties"]
    for key in fm:
        if key not in known:
            out.append(make_diagnostic(BY_CODE["CM102"], path, *parsed.key_position(key),
                                       f"`{key}` is not a documented command key", item=name))
    for error in _validator().iter_errors(fm):
        keys = tuple(str(p) for p in error.absolute_path)
        out.append(make_diagnostic(BY_CODE["CM101"], path, *parsed.value_position(*keys),
                                   f"`{'.'.join(keys)}`: {error.message}", item=name))
    if not body.strip():
        out.append(make_diagnostic(BY_CODE["CM401"], path, parsed.body_line, 1,
                                   "the command has no prompt", item=name))
    description = fm.get("description") if isinstance(fm.get("description"), str) else ""
    if not description:
        description = _first_line(body)
    item = Item(kind=KIND, name=name, path=path, plugin=source.plugin,
                description=description, data=fm, body=body)
    return Checked(item, [replace(d, skill=name) for d in out])


def _plain_body(data: bytes) -> str:
    return data.decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n")


def _first_line(body: str) -> str:
    for line in body.splitlines():
        text = line.strip().lstrip("#").strip()
        if text:
            return text[:200]
    return ""

"""Subagent: a markdown file in `agents/` whose frontmatter configures a Claude Code subagent.

Format (https://code.claude.com/docs/en/sub-agents): YAML frontmatter with
`name` (lowercase letters, digits, hyphens) and `description` required, and
optional `tools`, `model`, `color`, ...; the body is the subagent's system
prompt. Claude Code identifies a subagent by `name`, not by its file name.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..model import Diagnostic, Item, Rule
from ..schemas import builtin_validator, load_schema
from ..skillmd import ParsedSkillMd
from .base import Checked, Context, E, Source, W, make_diagnostic, qualified, stem
from .files import has_frontmatter, parse_markdown, read_item

if TYPE_CHECKING:
    import jsonschema

KIND = "agent"
RULES = [
    Rule("AG001", "agent-missing-frontmatter", E, "A subagent file has no YAML frontmatter.",
         "Start the file with `---`, `name:` and `description:` lines, then `---`."),
    Rule("AG101", "agent-missing-name", E, "A subagent has no `name`.",
         "Add `name: <lowercase-with-hyphens>`; Claude Code identifies subagents by it."),
    Rule("AG102", "agent-invalid-name", E, "A subagent `name` is not lowercase letters, digits, hyphens.",
         "Use 1-64 chars of a-z, 0-9 and single hyphens."),
    Rule("AG103", "agent-missing-description", E, "A subagent has no `description`.",
         "Say what the subagent does and when Claude should delegate to it."),
    Rule("AG104", "agent-unknown-field", W, "A subagent key that Claude Code does not document.",
         "Remove it or check its spelling; Claude Code ignores unknown keys silently."),
    Rule("AG105", "agent-invalid-field", E, "A subagent field has the wrong type or value.",
         "See registry/schemas/subagent.json: e.g. `model` is sonnet, opus, haiku, inherit "
         "or a full model id; `tools` is a comma-separated string or a list."),
    Rule("AG401", "agent-empty-prompt", W, "A subagent has no system prompt after the frontmatter.",
         "Write the subagent's instructions below the frontmatter."),
    Rule("AG501", "agent-duplicate-name", E, "Two subagents in one scope declare the same name.",
         "Give each subagent a unique `name` within its plugin (or the top level)."),
]
BY_CODE = {rule.code: rule for rule in RULES}


def check(source: Source, ctx: Context) -> Checked:
    path = source.path
    label = qualified(source.plugin, stem(path))
    data, out = read_item(ctx.root, path, label)
    if data is None:
        return Checked(None, out)
    parsed, found = parse_markdown(data, path, label)
    out.extend(found)
    if not has_frontmatter(parsed, data):
        out.append(make_diagnostic(BY_CODE["AG001"], path, 1, 1,
                                   "a subagent needs frontmatter with `name` and `description`",
                                   item=label))
        return Checked(None, out)
    fm = parsed.frontmatter
    if fm is None:
        return Checked(None, out)
    properties = load_schema("subagent")["properties"]
    for key in fm:
        if key not in properties:
            out.append(make_diagnostic(BY_CODE["AG104"], path, *parsed.key_position(key),
                                       f"`{key}` is not a documented subagent key", item=label))
    for error in builtin_validator("subagent").iter_errors(fm):
        out.append(_schema_diagnostic(error, parsed, path, label))
    name = fm.get("name") if isinstance(fm.get("name"), str) and fm.get("name") else stem(path)
    if not parsed.body.strip():
        out.append(make_diagnostic(BY_CODE["AG401"], path, parsed.body_line, 1,
                                   "the system prompt (the body) is empty", item=label))
    description = fm.get("description") if isinstance(fm.get("description"), str) else ""
    item = Item(kind=KIND, name=qualified(source.plugin, str(name).strip()), path=path,
                plugin=source.plugin, description=description or "", data=fm, body=parsed.body)
    return Checked(item, [replace(d, skill=item.name) for d in out])


def _schema_diagnostic(error: jsonschema.ValidationError, parsed: ParsedSkillMd, path: str,
                       label: str) -> Diagnostic:
    keys = tuple(str(p) for p in error.absolute_path)
    if error.validator == "required":
        missing = "name" if "'name'" in error.message else "description"
        rule = BY_CODE["AG101" if missing == "name" else "AG103"]
        return make_diagnostic(rule, path, *parsed.key_position(),
                               f"required key `{missing}` is missing", item=label)
    line, col = parsed.value_position(*keys)
    field = keys[0] if keys else ""
    value = error.instance
    if field == "name" and error.validator == "pattern":
        return make_diagnostic(BY_CODE["AG102"], path, line, col,
                               f"name {value!r} must be lowercase letters, digits and hyphens",
                               item=label)
    if field in ("name", "description") and error.validator == "minLength":
        rule = BY_CODE["AG101" if field == "name" else "AG103"]
        return make_diagnostic(rule, path, line, col, f"`{field}` is empty", item=label)
    if field == "model" and error.validator == "anyOf":
        return make_diagnostic(BY_CODE["AG105"], path, line, col,
                               f"model {value!r} is not sonnet, opus, haiku, inherit, opusplan "
                               "or a full `claude-...` model id", item=label)
    return make_diagnostic(BY_CODE["AG105"], path, line, col,
                           f"`{'.'.join(keys) or field}`: {error.message}", item=label)


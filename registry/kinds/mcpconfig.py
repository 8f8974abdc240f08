"""MCP server configuration: `.mcp.json` at the top level or in a plugin.

Format (https://code.claude.com/docs/en/mcp#project-scope and
https://code.claude.com/docs/en/plugins-reference#mcp-servers): `{"mcpServers":
{name: {"command", "args", "env"} | {"type": "http"|"sse", "url", "headers"}}}`.
A plugin's server may run one of its own files through ${CLAUDE_PLUGIN_ROOT};
that file must exist.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Item, Rule
from ..schemas import builtin_validator
from .base import Checked, Context, E, Source, qualified
from .files import read_json_item, schema_errors
from .hooks import check_plugin_refs

KIND = "mcp"
RULES = [
    Rule("MC101", "mcp-config-invalid", E, "An MCP server configuration breaks its schema.",
         "See registry/schemas/mcp-config.json: each server needs `command` (local) or `url` "
         "(remote)."),
    Rule("MC102", "mcp-missing-file", E, "An MCP server names a plugin file that does not exist.",
         "Add the file to the plugin, or fix the path after ${CLAUDE_PLUGIN_ROOT}/."),
]
BY_CODE = {rule.code: rule for rule in RULES}


def check(source: Source, ctx: Context) -> Checked:
    name = qualified(source.plugin, "mcp")
    doc, out = read_json_item(ctx.root, source.path, name)
    if doc is None:
        return Checked(None, out)
    errors = schema_errors(builtin_validator("mcp-config"),
                           doc.data, doc.position, BY_CODE["MC101"], source.path, name)
    out.extend(errors)
    servers = doc.data.get("mcpServers")
    servers = servers if isinstance(servers, dict) else {}
    if not errors:
        for server, spec in servers.items():
            for key in ("command", "args"):
                values = spec.get(key)
                values = [values] if isinstance(values, str) else values or []
                for i, value in enumerate(values):
                    pointer = ("mcpServers", server, key) + ((i,) if key == "args" else ())
                    out.extend(check_plugin_refs(value, pointer, doc, ctx, source,
                                                 BY_CODE["MC102"], name))
    description = "MCP servers: " + ", ".join(sorted(servers)) if servers else "MCP servers"
    item = Item(kind=KIND, name=name, path=source.path, plugin=source.plugin,
                description=description, data=doc.data)
    return Checked(item, [replace(d, skill=name) for d in out])

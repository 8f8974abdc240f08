"""Items other than skills as MCP resources: `item://<kind>/<name>` read with resources/read.

A subagent, a slash command, a hooks file, an MCP config or a marketplace
manifest is one file, served as text at its latest version; a plugin reads as
its manifest plus its component list (each component is a resource of its
own). Skills keep their `skill://` resources. Restricted items answer like
unknown ones to callers outside their audience. `resources.py` routes
`item://` reads here and lists the template.
"""

from __future__ import annotations

import time
from typing import Any

from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, ReadResourceResult, ResourceTemplate, TextResourceContents

from registry.items import item_text
from registry.model import Item

from .prompts import caller_snapshot
from .service import Service

SCHEME = "item://"
TEMPLATE = ResourceTemplate(
    uri_template=SCHEME + "{kind}/{+name}", name="item",
    description="A subagent, slash command, hooks file, MCP config, plugin or marketplace "
                "manifest at its latest version (search_skills with kind lists them).")


def uri_of(item: Item) -> str:
    return f"{SCHEME}{item.kind}/{item.name}"


def read_item(service: Service, ctx: Any, uri: str) -> ReadResourceResult:
    """resources/read of an `item://` URI: the item's text, or -32602 when unknown."""
    started = time.perf_counter()
    snapshot = caller_snapshot(service, ctx)
    item = snapshot.items.get(uri[len(SCHEME):])
    if item is None or item.latest is None:
        raise MCPError(code=INVALID_PARAMS, message=f"unknown item {uri}; search_skills with "
                       "kind (or relay list --kind all) names them", data={"uri": uri})
    text = item_text(snapshot.registry, item, item.latest)
    service.recorder.record(ctx, "resources/read", item.key, item.latest, started,
                            size=len(text.encode()))
    mime = "application/json" if item.path.endswith(".json") else "text/markdown"
    return ReadResourceResult(contents=[TextResourceContents(uri=uri, text=text, mime_type=mime)])

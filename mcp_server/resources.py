"""The resources surface: every file of every skill version under skill://, and a paginated list.

`resources/list` names each skill's `SKILL.md` (a page at a time, so a big
catalog never floods a host), `resources/templates/list` gives the two URI
shapes (and `item://` for other kinds of items, item_resources.py), and
`resources/read` serves any file: `skill://<name>/<path>` at the
latest version, `skill://v/<tree-id>/<name>/<path>` pinned (a 12-character
id is enough). Reads carry the file's media type (`SKILL.md` is
text/markdown) and caching hints: a pinned read can never change, so hosts
may keep it for good.

MCPServer's own handlers list only static resources, without pagination, and
type every read of a template alike, so Relay registers these three methods
itself.
"""

from __future__ import annotations

import base64
import time
from typing import Any

from mcp.server import MCPServer
from mcp.shared.exceptions import MCPError
from mcp_types import (
    INVALID_PARAMS,
    BlobResourceContents,
    ListResourcesResult,
    ListResourceTemplatesResult,
    PaginatedRequestParams,
    ReadResourceRequestParams,
    ReadResourceResult,
    Resource,
    ResourceTemplate,
    TextResourceContents,
)

from registry.content import is_binary
from registry.errors import RelayError
from registry.media import media_type

from .item_resources import SCHEME as ITEM_SCHEME
from .item_resources import TEMPLATE as ITEM_TEMPLATE
from .item_resources import read_item
from .paging import BadCursor, page
from .paths import UnsafePath, check_path, find_file
from .service import Service
from .skills_extension import LIST_PAGE, cache_ttl, parse_uri, resolve, uri_for
from .tools import summary

TEMPLATES = (
    ResourceTemplate(uri_template="skill://{name}/{+path}", name="skill-file",
                     description="A file of a skill at its latest version; SKILL.md is the entry point."),
    ResourceTemplate(uri_template="skill://v/{tree_id}/{name}/{+path}", name="pinned-skill-file",
                     description="A file of one version of a skill, by tree id (12 characters are enough); "
                                 "never changes."),
    ITEM_TEMPLATE,
)


class FileTooLarge(Exception):
    """A file over the registry's per-file limit: never read into memory to be served."""


def register_resources(mcp: MCPServer, service: Service) -> None:
    """Serve resources/list, resources/templates/list and resources/read from the catalog."""

    async def list_resources(ctx: Any, params: PaginatedRequestParams) -> ListResourcesResult:
        try:
            snapshot = service.snapshot(ctx)  # what this caller may see (registry/audience.py)
        except RelayError as exc:
            raise MCPError(code=-32603, message=str(exc)) from None
        try:
            names, next_cursor = page(snapshot.names, params.cursor, LIST_PAGE)
        except BadCursor as exc:
            raise MCPError(code=INVALID_PARAMS, message=str(exc), data={"cursor": params.cursor}) from None
        resources = [Resource(uri=uri_for(name), name=name, title=name,
                              description=summary(snapshot.skills[name].description, 200),
                              mime_type=media_type("SKILL.md")) for name in names]
        return ListResourcesResult(resources=resources, next_cursor=next_cursor,
                                   ttl_ms=service.ttl_ms, cache_scope="public")

    async def list_templates(ctx: Any, params: PaginatedRequestParams) -> ListResourceTemplatesResult:
        return ListResourceTemplatesResult(resource_templates=list(TEMPLATES),
                                           ttl_ms=cache_ttl(service, True), cache_scope="public")

    async def read_resource(ctx: Any, params: ReadResourceRequestParams) -> ReadResourceResult:
        started, uri = time.perf_counter(), params.uri
        if uri.startswith(ITEM_SCHEME):
            return read_item(service, ctx, uri)
        try:
            snapshot = service.snapshot(ctx)  # what this caller may see (registry/audience.py)
        except RelayError as exc:
            raise MCPError(code=-32603, message=str(exc)) from None
        version = tree_id = None
        name = clean = ""
        limit = snapshot.registry.config.limits.max_file_bytes

        def load() -> bytes:  # in a worker thread: git reads never stall the event loop
            nonlocal version, tree_id, name, clean
            name, tree_id, file_path = parse_uri(uri)
            clean = check_path(file_path, uri)
            version, tree = resolve(snapshot, name, tree_id)
            entry = find_file(tree, clean)
            if entry.size > limit:  # a 60 MB blob once became an 80 MB answer per request
                raise FileTooLarge(f"{clean} is {entry.size:,} bytes, over the registry's "
                                   f"{limit:,}-byte per-file limit; it is not served")
            return tree.read(clean)

        try:
            data = await service.in_thread(load)
        except UnsafePath as exc:
            raise MCPError(code=INVALID_PARAMS, message=f"refused: {exc}", data={"uri": uri}) from None
        except (ValueError, RelayError, FileNotFoundError, FileTooLarge) as exc:
            if version is not None:
                service.recorder.record(ctx, "resources/read", version.skill, version, started,
                                        success=False)
            raise MCPError(code=INVALID_PARAMS, message=f"unknown resource: {exc}",
                           data={"uri": uri}) from None
        service.recorder.record(ctx, "resources/read", name, version, started, size=len(data))
        return ReadResourceResult(contents=[_contents(uri, clean, data)],
                                  ttl_ms=cache_ttl(service, tree_id is not None), cache_scope="public")

    # MCPServer has no public way to replace a spec method's handler; its low-level server does.
    server = mcp._lowlevel_server
    server.add_request_handler("resources/list", PaginatedRequestParams, list_resources)
    server.add_request_handler("resources/templates/list", PaginatedRequestParams, list_templates)
    server.add_request_handler("resources/read", ReadResourceRequestParams, read_resource)


def _contents(uri: str, path: str, data: bytes) -> TextResourceContents | BlobResourceContents:
    if is_binary(data):
        return BlobResourceContents(uri=uri, blob=base64.b64encode(data).decode(),
                                    mime_type=media_type(path, text=False))
    return TextResourceContents(uri=uri, text=data.decode("utf-8"), mime_type=media_type(path, text=True))

"""The MCP Skills extension (`io.modelcontextprotocol/skills`, SEP-2640).

`skills/list` and `skills/get` hand out complete entries (verbatim frontmatter,
every file with its sha256 digest and size) and every file is a resource:
`skill://<name>/<path>` at the latest version, `skill://v/<tree-id>/<name>/<path>`
pinned. Pinned URIs never change content, so hosts can cache them forever.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mcp.server.extension import Extension, MethodBinding
from mcp.shared.exceptions import MCPError
from mcp_types import INVALID_PARAMS, PaginatedRequestParams, RequestParams

from registry.content import SKILL_MAX_BYTES, SKILL_MAX_FILES
from registry.errors import RelayError
from registry.model import Version
from registry.skillmd import parse_skill_md
from registry.tree import GitTree

from .manifest import Manifest
from .paging import BadCursor, page
from .service import Service
from .snapshot import Snapshot

IDENTIFIER = "io.modelcontextprotocol/skills"
SCHEME = "skill://"
PINNED = "v"  # skill://v/<tree-id>/<name>/<path>: the version is a prefix segment
LIST_PAGE = 50
MIN_TREE_PREFIX = 7  # git's shortest abbreviation; the site and `relay list` show 12
IMMUTABLE_TTL_MS = 365 * 24 * 3600 * 1000  # a pinned URI names content that never changes


class GetSkillParams(RequestParams):
    uri: str


def uri_for(name: str, path: str = "SKILL.md", tree_id: str | None = None) -> str:
    return f"{SCHEME}{PINNED}/{tree_id}/{name}/{path}" if tree_id else f"{SCHEME}{name}/{path}"


def parse_uri(uri: str) -> tuple[str, str | None, str]:
    """(name, tree id or None, file path) of a skill:// URI; ValueError if it is not one."""
    if not uri.startswith(SCHEME):
        raise ValueError(f"{uri!r} is not a skill:// URI")
    rest = uri[len(SCHEME):]
    tree_id = None
    if rest.startswith(PINNED + "/"):
        _, tree_id, rest = rest.split("/", 2) if rest.count("/") >= 2 else (None, None, "")
        if not tree_id:
            raise ValueError(f"{uri!r}: a pinned URI is skill://v/<tree-id>/<name>/<path>")
    name, _, path = rest.partition("/")
    if not name or not path:
        raise ValueError(f"{uri!r}: expected skill://<name>/<path>")
    return name, tree_id, path


class SkillsExtension(Extension):
    """Adds skills/list and skills/get; the resources they name are registered beside it."""

    identifier = IDENTIFIER

    def __init__(self, service: Service) -> None:
        self.service = service

    def methods(self) -> Sequence[MethodBinding]:
        return (MethodBinding("skills/list", PaginatedRequestParams, self._list),
                MethodBinding("skills/get", GetSkillParams, self._get))

    def _snapshot(self, ctx: Any) -> Snapshot:
        try:
            return self.service.snapshot(ctx)
        except RelayError as exc:
            raise MCPError(code=-32603, message=str(exc)) from None

    def _cache(self, pinned: bool = False) -> dict[str, Any]:
        return {"resultType": "complete", "ttlMs": cache_ttl(self.service, pinned), "cacheScope": "public"}

    async def _list(self, ctx: Any, params: PaginatedRequestParams | None) -> dict[str, Any]:
        snapshot = self._snapshot(ctx)
        try:
            names, next_cursor = page(snapshot.names, params.cursor if params else None, LIST_PAGE)
        except BadCursor as exc:
            raise MCPError(code=INVALID_PARAMS, message=str(exc), data={"cursor": params and params.cursor}) \
                from None

        def entries() -> list[dict[str, Any]]:
            skills = []
            for name in names:
                version = snapshot.skills[name].latest
                manifest = self.service.manifests.get(snapshot.tree(version))
                if manifest.within_limits:  # the extension says not to serve bigger skills
                    skills.append(self.entry(snapshot, version, manifest, pinned=False))
            return skills

        skills = await self.service.in_thread(entries)
        result: dict[str, Any] = {**self._cache(), "skills": skills}
        if next_cursor:
            result["nextCursor"] = next_cursor
        return result

    async def _get(self, ctx: Any, params: GetSkillParams) -> dict[str, Any]:
        snapshot = self._snapshot(ctx)
        try:
            name, tree_id, path = parse_uri(params.uri)
            if path != "SKILL.md":
                raise ValueError(f"{params.uri!r} is not a SKILL.md URI")
            version, tree = resolve(snapshot, name, tree_id)
        except (ValueError, RelayError, FileNotFoundError) as exc:
            raise MCPError(code=INVALID_PARAMS, message=f"unknown skill: {exc}",
                           data={"uri": params.uri}) from None
        manifest = await self.service.in_thread(lambda: self.service.manifests.get(tree))
        if not manifest.within_limits:
            raise MCPError(code=INVALID_PARAMS, message=f"{name} exceeds the {SKILL_MAX_FILES}-file/"
                           f"{SKILL_MAX_BYTES // (1024 * 1024)} MiB skill limits",
                           data={"uri": params.uri})
        entry = await self.service.in_thread(
            lambda: self.entry(snapshot, version, manifest, pinned=bool(tree_id)))
        return {**self._cache(pinned=bool(tree_id)), "skill": entry}

    def entry(self, snapshot: Snapshot, version: Version, manifest: Manifest, *,
              pinned: bool) -> dict[str, Any]:
        tree_id = version.tree_id if pinned else None
        frontmatter = (snapshot.skills[version.skill].frontmatter
                       if version.tree_id == snapshot.skills[version.skill].latest.tree_id
                       else pinned_frontmatter(snapshot, version))
        return {
            "uri": uri_for(version.skill, tree_id=tree_id),
            "frontmatter": json.loads(json.dumps(frontmatter, default=str)),
            "resources": [{"uri": uri_for(version.skill, f.path, tree_id), "digest": f.digest,
                           "size": f.size} for f in manifest.files],
            "_meta": {"io.modelcontextprotocol.skills/version": {
                "treeId": version.tree_id, "commit": version.commit_id,
                "pinnedUri": uri_for(version.skill, tree_id=version.tree_id)}},
        }


def pinned_frontmatter(snapshot: Snapshot, version: Version) -> dict[str, Any]:
    """The frontmatter of an older version, parsed from its own SKILL.md."""
    return parse_skill_md(snapshot.tree(version).read("SKILL.md"), "SKILL.md").frontmatter or {}


def cache_ttl(service: Service, pinned: bool) -> int:
    """How long a host may cache an answer: forever for a pinned URI, a poll interval otherwise."""
    return IMMUTABLE_TTL_MS if pinned else service.ttl_ms


def resolve(snapshot: Snapshot, name: str, tree_id: str | None) -> tuple[Version, GitTree]:
    """The version a URI names: latest without a tree id, else that tree (or a unique prefix
    of at least 7 hex digits, such as the 12 the site shows) of that skill."""
    if tree_id is None:
        version = snapshot.version(name)
    else:
        wanted = tree_id.lower()
        if not MIN_TREE_PREFIX <= len(wanted) <= 40 or any(c not in "0123456789abcdef" for c in wanted):
            raise ValueError(f"{tree_id!r} is not a tree id (7 to 40 hex digits)")
        # A tree id listed twice (a revert re-published it) is one version: the latest listing.
        matches = list({v.tree_id: v for v in snapshot.versions(name)
                        if v.tree_id.startswith(wanted)}.values())
        if not matches:
            raise FileNotFoundError(f"{name} has no version with tree id {tree_id}")
        if len(matches) > 1:
            raise ValueError(f"tree id prefix {tree_id} is ambiguous for {name}; give more digits")
        version = matches[0]
    return version, snapshot.tree(version)

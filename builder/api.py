"""The static JSON API: `catalog.json`, `skills/<name>.json`, `.claude-plugin/marketplace.json`.

Every file validates against its JSON Schema in `registry/schemas/` (a test
checks it), is written with sorted keys, and carries no build time, so the
same commit always gives the same bytes. URLs are site paths relative to the
site root, or absolute under `--base-url`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.content import FileDigest
from registry.model import Skill, Version

from . import paths
from .bundles import Bundle
from .context import SiteInfo
from .output import compact

API_VERSION = 2  # 2: no `urls.folder`; `versions[].zip` and `.files` only for the latest (issue 12)


@dataclass(frozen=True)
class VersionRecord:
    """A version with what the API reports about it: file digests and its zip."""

    version: Version
    files: list[FileDigest] | None  # the latest version's only: the site serves its content
    bundle: Bundle | None  # the site keeps the latest version's zip only


_compact = compact


def dumps(data: Any) -> bytes:
    """Compact JSON with sorted keys: json's C encoder (`indent` switches to the pure-Python one,
    a fifth of a no-change rebuild at 10,000 skills in issue 12's profile)."""
    return (_compact(data) + "\n").encode()


def listing(head: dict[str, Any], key: str, entries: list[str]) -> bytes:
    """`head` with `key` holding `entries` (each one's JSON text, as `compact` wrote it), one
    entry a line: the catalog-wide files are spliced from each skill's kept entry, and a diff
    of two builds shows the skills that changed."""
    lines = [_compact(head)[:-1] + f',"{key}":[']
    lines += [e + ("," if n < len(entries) - 1 else "") for n, e in enumerate(entries)]
    lines.append("]}")
    return ("\n".join(lines) + "\n").encode()


def _url(base_url: str | None, target: str) -> str:
    return paths.link(base_url, "index.html", target)


def _facts(skill: Skill) -> dict[str, Any]:
    fm = skill.frontmatter
    meta = {str(k): str(v) for k, v in skill.metadata.items()}
    return {"name": skill.name, "description": skill.description,
            "license": str(fm.get("license", "")), "compatibility": str(fm.get("compatibility", "")),
            "allowed_tools": str(fm.get("allowed-tools", "")).split(), "metadata": meta,
            "tags": skill.tags}


def catalog_entry(skill: Skill, base_url: str | None) -> dict[str, Any]:
    latest = skill.latest
    urls = {"page": _url(base_url, paths.skill_page(skill.name)),
            "api": _url(base_url, paths.skill_json(skill.name))}
    if latest is not None:
        urls["zip"] = _url(base_url, paths.zip_file(skill.name, latest.tree_id))
    return {**_facts(skill), "latest": latest.as_json() if latest else None,
            "versions": len(skill.versions), "urls": urls}


def catalog_json(site: SiteInfo, entries: list[str]) -> bytes:
    """Every skill's `catalog_entry` (as JSON text), in catalog order."""
    return listing({"api_version": API_VERSION, "title": site.title, "revision": site.revision,
                    "revision_date": site.revision_date, "mcp_url": site.mcp_url}, "skills", entries)


def skill_json(skill: Skill, records: list[VersionRecord], base_url: str | None) -> bytes:
    """Every version (oldest first) with its provenance and its row on the skill page; the latest
    also with its files' sha256 digests and sizes and its zip (`files` and `zip` are null for
    the older ones, whose content comes from MCP or git: docs/site.md)."""
    versions = []
    for record in records:
        v = record.version
        versions.append({**v.as_json(),
                         "page": _url(base_url, paths.version_page(skill.name, v.tree_id, v.tags)),
                         "zip": {"url": _url(base_url, record.bundle.path),
                                 "sha256": "sha256:" + record.bundle.sha256,
                                 "size": record.bundle.size} if record.bundle else None,
                         "files": [{"path": f.path, "size": f.size, "sha256": f.digest, "kind": f.kind}
                                   for f in record.files] if record.files is not None else None})
    entry = catalog_entry(skill, base_url)
    return dumps({"api_version": API_VERSION, **_facts(skill), "frontmatter": skill.raw_frontmatter,
                  "uri": f"skill://{skill.name}/SKILL.md", "urls": entry["urls"],
                  "versions": versions})


def marketplace_json(site: SiteInfo, entries: list[str]) -> bytes:
    """The repository's Claude Code marketplace, served from the site: the same entries, each
    sourced from its folder in the git repository (`git-subdir`, `registry.marketplace.site_entries`),
    since a marketplace read from a URL has no folder of its own for relative sources."""
    head = {"name": site.marketplace, "owner": {"name": site.title},
            "metadata": {"description": f"{site.title}: skills from the Relay registry",
                         "version": site.revision[:12]}}
    return listing(head, "plugins", entries)  # in catalog order: by name, like `site_entries`

"""The skills repository as a Claude Code plugin marketplace: `.claude-plugin/marketplace.json`.

One plugin per skill, whose source is the skill's own folder (`./skills/<name>`,
`strict: false` and `skills: ["./"]`, so the folder needs no plugin.json and an
installed plugin holds that skill and nothing else). Name, description,
version, owner, category and tags come from the frontmatter. Then

    /plugin marketplace add OWNER/REPO
    /plugin install <skill>@<marketplace>

work straight from the git host. Relay owns only the entries whose source is
inside the skills folder: other entries (plugins of `plugins/`, remote ones),
the marketplace's name, owner and metadata are kept as written. `relay
marketplace --write` refreshes the file; `relay validate` reports SK504 when
the committed file is not what it would write.

The site publishes the same entries with `git-subdir` sources pointing at the
repository (`site_entries`), because a marketplace read from a URL has no
folder for relative sources to name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config
from .errors import RelayError
from .rules import diagnostic
from .skillmd import parse_skill_md

MARKETPLACE_FILE = ".claude-plugin/marketplace.json"
DEFAULT_NAME = "relay-skills"
DEFAULT_OWNER = "Relay"
DEFAULT_DESCRIPTION = "Agent Skills from the Relay registry, one plugin per skill."


@dataclass(frozen=True)
class SkillFacts:
    """What a marketplace entry needs of one skill."""

    name: str
    folder: str  # repository-relative, e.g. skills/code-review
    frontmatter: Mapping[str, Any]


def plugin_entry(skill: SkillFacts, source: str | dict[str, Any]) -> dict[str, Any]:
    """One plugin entry for `skill` with the given source (Claude Code's field names)."""
    meta = skill.frontmatter.get("metadata")
    meta = meta if isinstance(meta, Mapping) else {}
    entry: dict[str, Any] = {"name": skill.name, "source": source,
                             "description": str(skill.frontmatter.get("description", ""))}
    if meta.get("version"):
        entry["version"] = str(meta["version"])
    if meta.get("owner"):
        entry["author"] = {"name": str(meta["owner"])}
    if meta.get("category"):
        entry["category"] = str(meta["category"])
    tags = [t.strip() for t in str(meta.get("tags", "")).split(",") if t.strip()]
    if tags:
        entry["tags"] = tags
    entry["strict"] = False  # the entry stands in for a plugin.json the folder does not have
    entry["skills"] = ["./"]  # the plugin's root is the skill folder itself
    return entry


def repository_entries(skills: Iterable[SkillFacts]) -> list[dict[str, Any]]:
    return [plugin_entry(s, f"./{s.folder}") for s in sorted(skills, key=lambda s: s.name)]


def site_entries(skills: Iterable[SkillFacts], repository: str,
                 ref: str | None = None) -> list[dict[str, Any]]:
    """Entries for a marketplace served from a URL: each source a folder of the git repository."""
    out = []
    for skill in sorted(skills, key=lambda s: s.name):
        source: dict[str, Any] = {"source": "git-subdir", "url": repository, "path": skill.folder}
        if ref:
            source["ref"] = ref
        out.append(plugin_entry(skill, source))
    return out


def skills_on_disk(base: Path, config: Config) -> list[SkillFacts]:
    """Every skill folder of the work tree whose SKILL.md frontmatter parses with a name."""
    root = base / config.skills_dir
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        skill_md = folder / "SKILL.md"
        if not skill_md.is_file():
            continue
        parsed = parse_skill_md(skill_md.read_bytes(), str(skill_md))
        frontmatter = parsed.frontmatter or {}
        if frontmatter.get("name") != folder.name or not frontmatter.get("description"):
            continue  # validation reports it; a broken skill is no plugin
        rel = f"{config.skills_dir}/{folder.name}" if config.skills_dir else folder.name
        found.append(SkillFacts(folder.name, rel, frontmatter))
    return found


def _owned(entry: Any, skills_dir: str) -> bool:
    """Whether Relay writes this entry: a string source inside the skills folder."""
    source = entry.get("source") if isinstance(entry, dict) else None
    prefix = f"./{skills_dir}/" if skills_dir else "./"
    return isinstance(source, str) and source.startswith(prefix) and source.count("/") == prefix.count("/")


def expected(current: Mapping[str, Any] | None, skills: Iterable[SkillFacts],
             config: Config) -> dict[str, Any]:
    """The file Relay would write, keeping what it does not own from `current`."""
    current = dict(current or {})
    kept = [e for e in current.get("plugins", []) if not _owned(e, config.skills_dir)] \
        if isinstance(current.get("plugins"), list) else []
    found = current.get("metadata")
    metadata: dict[str, Any] = found if isinstance(found, dict) else {}
    return {**current,
            "name": current.get("name") or config.marketplace_name or DEFAULT_NAME,
            "owner": current.get("owner") or {"name": config.marketplace_owner or DEFAULT_OWNER},
            "metadata": {"description": config.marketplace_description or DEFAULT_DESCRIPTION, **metadata},
            "plugins": repository_entries(skills) + kept}


def render(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def read_current(base: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The committed file parsed, and its text (None, None when absent)."""
    path = base / MARKETPLACE_FILE
    if not path.is_file():
        return None, None
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        data = json.loads(text)
    except ValueError:
        return None, text
    return (data if isinstance(data, dict) else None), text


def write_marketplace(base: Path, config: Config) -> tuple[Path, bool]:
    """Write the refreshed file; returns its path and whether it changed."""
    current, text = read_current(base)
    if text is not None and current is None:
        raise RelayError(f"{base / MARKETPLACE_FILE}: not a JSON object; fix or delete it, then retry")
    fresh = render(expected(current, skills_on_disk(base, config), config))
    path = base / MARKETPLACE_FILE
    if fresh == text:
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fresh, encoding="utf-8")
    return path, True


def check_marketplace(base: Path, config: Config) -> list[Any]:
    """SK504 when the committed marketplace is not what `relay marketplace --write` writes.

    A repository opts in by committing the file with skill entries; one without the file, or
    whose marketplace lists only other plugins, is not asked to list its skills.
    """
    current, text = read_current(base)
    if text is None or current is None:
        return []  # absent, or not JSON (MK101 reports that)
    listed = current.get("plugins")
    plugins: list[Any] = listed if isinstance(listed, list) else []
    if not any(_owned(entry, config.skills_dir) for entry in plugins):
        return []
    if render(expected(current, skills_on_disk(base, config), config)) == text:
        return []
    return [diagnostic("SK504", MARKETPLACE_FILE, 1, 1,
                       "the plugin marketplace does not match the skills (added, removed or changed "
                       "since it was written)")]

"""Per-repository settings from `relay.toml` at the repository root.

Every setting has a default, so a repository without `relay.toml` works.
Example:

    [relay]
    skills_dir = "skills"
    profile = "portable"          # or "claude-code"
    branch = "main"

    [policy]
    schema = "policy.json"        # a JSON Schema for `metadata`; default: Relay's. Each
                                  # `pattern` in it needs `examples` (shown instead of the regex)

    [limits]
    max_files = 512
    max_skill_bytes = 16777216
    max_file_bytes = 5242880
    body_lines = 500
    body_tokens = 5000

    [secrets]
    allow = ["skills/demo/references/fake-keys.md"]   # glob patterns of paths

    [marketplace]                 # the Claude Code marketplace of the skills (docs/marketplace.md)
    name = "acme-skills"
    owner = "Platform team"
    repository = "acme/skills"    # where hosts clone it: OWNER/REPO on GitHub, or a git URL

    [items]                       # other kinds of items (docs/kinds.md)
    agents_dir = "agents"
    commands_dir = "commands"
    plugins_dir = "plugins"
    marketplaces = [".claude-plugin/marketplace.json"]
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .choices import PROFILES
from .content import SKILL_MAX_BYTES, SKILL_MAX_FILES
from .errors import ConfigError

CONFIG_FILE = "relay.toml"


@dataclass(frozen=True)
class Limits:
    max_files: int = SKILL_MAX_FILES
    max_skill_bytes: int = SKILL_MAX_BYTES
    max_file_bytes: int = 5 * 1024 * 1024
    body_lines: int = 500
    body_tokens: int = 5000


DEFAULT_MARKETPLACES = (
    ".claude-plugin/marketplace.json",
    ".cursor-plugin/marketplace.json",
    ".agents/plugins/marketplace.json",
)


@dataclass(frozen=True)
class Layout:
    """Where items other than top-level skills live; an empty string turns a place off."""

    agents_dir: str = "agents"
    commands_dir: str = "commands"
    plugins_dir: str = "plugins"
    mcp_config: str = ".mcp.json"
    marketplaces: tuple[str, ...] = DEFAULT_MARKETPLACES

    @property
    def roots(self) -> list[str]:
        """The repository paths under which items live (to map user paths to items, and to
        tell whether a commit touched any item)."""
        return [p for p in (self.plugins_dir, self.agents_dir, self.commands_dir, self.mcp_config,
                            *self.marketplaces) if p]


@dataclass(frozen=True)
class Config:
    """Settings that shape validation and the catalog for one repository."""

    skills_dir: str = "skills"
    profile: str = "portable"
    branch: str = "main"
    policy_schema: dict[str, Any] | None = None
    policy_source: str = "registry/schemas/policy.json"
    limits: Limits = field(default_factory=Limits)
    secret_allow: tuple[str, ...] = ()
    layout: Layout = field(default_factory=Layout)
    marketplace_name: str = ""
    marketplace_owner: str = ""
    marketplace_description: str = ""
    repository: str = ""

    def with_profile(self, profile: str | None) -> Config:
        if profile is None:
            return self
        if profile not in PROFILES:
            raise ConfigError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
        return Config(**{**self.__dict__, "profile": profile})


def load_config(root: Path) -> Config:
    """Read `relay.toml` under `root` (a missing file means defaults)."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    import tomllib  # only where there is a file to read (issue 12: the hook's start)

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    relay = _table(raw, "relay", path)
    policy = _table(raw, "policy", path)
    limits = _table(raw, "limits", path)
    secrets = _table(raw, "secrets", path)
    layout = _layout(_table(raw, "items", path), path)
    market = _table(raw, "marketplace", path)
    unknown_market = set(market) - {"name", "owner", "description", "repository"}
    if unknown_market:
        raise ConfigError(f"{path}: unknown [marketplace] keys: {', '.join(sorted(unknown_market))}")
    if not all(isinstance(v, str) for v in market.values()):
        raise ConfigError(f"{path}: [marketplace] values must be strings")
    profile = relay.get("profile", "portable")
    if profile not in PROFILES:
        raise ConfigError(f"{path}: [relay] profile must be one of {', '.join(PROFILES)}")
    known_limits = set(Limits.__dataclass_fields__)
    unknown = set(limits) - known_limits
    if unknown:
        raise ConfigError(f"{path}: unknown [limits] keys: {', '.join(sorted(unknown))}")
    for key, value in limits.items():
        if not isinstance(value, int) or value <= 0:
            raise ConfigError(f"{path}: [limits] {key} must be a positive integer")
    schema, source = None, "registry/schemas/policy.json"
    if "schema" in policy:
        source = str(policy["schema"])
        schema = _load_schema(root / source, path)
    allow = secrets.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(p, str) for p in allow):
        raise ConfigError(f"{path}: [secrets] allow must be a list of glob strings")
    return Config(
        skills_dir=str(relay.get("skills_dir", "skills")).strip("/"),
        profile=profile,
        branch=str(relay.get("branch", "main")),
        policy_schema=schema,
        policy_source=source,
        limits=Limits(**limits),
        secret_allow=tuple(allow),
        layout=layout,
        marketplace_name=market.get("name", ""),
        marketplace_owner=market.get("owner", ""),
        marketplace_description=market.get("description", ""),
        repository=market.get("repository", ""),
    )


def _layout(items: dict[str, Any], path: Path) -> Layout:
    """The [items] table: folder names (strings) and marketplace manifest paths (a list)."""
    unknown = set(items) - set(Layout.__dataclass_fields__)
    if unknown:
        raise ConfigError(f"{path}: unknown [items] keys: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for key, value in items.items():
        if key == "marketplaces":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: [items] marketplaces must be a list of paths")
            values[key] = tuple(v.strip("/") for v in value)
        elif not isinstance(value, str):
            raise ConfigError(f"{path}: [items] {key} must be a string (\"\" turns it off)")
        else:
            values[key] = value.strip("/")
    return Layout(**values)


def _table(raw: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{name}] must be a table")
    return value


def _load_schema(schema_path: Path, config_path: Path) -> dict[str, Any]:
    try:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{config_path}: policy schema {schema_path} does not exist") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{schema_path}: not valid JSON: {exc}") from None
    if not isinstance(schema, dict):
        raise ConfigError(f"{schema_path}: a JSON Schema must be an object")
    from .policy import require_examples
    from .schemas import check_schema  # jsonschema loads only for a custom policy

    check_schema(schema, str(schema_path))
    unexplained = require_examples(schema)
    if unexplained:
        raise ConfigError(f"{schema_path}: " + "; ".join(unexplained))
    return schema

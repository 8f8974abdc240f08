"""Relay's core: the skill model, SKILL.md parsing, validation rules, git history, the catalog.

The names below are loaded on first use (PEP 562), not on `import registry`:
every `relay` command imports this package, and pulling pygit2 and jsonschema
in eagerly cost `relay --version` most of its start time (issue 12).
"""

from __future__ import annotations

from importlib import import_module

# Read by pyproject.toml (`[tool.setuptools.dynamic]`) and printed by `relay --version`
# without loading the package metadata (importlib.metadata and its email parser).
__version__ = "0.1.0"

TYPE_CHECKING = False  # typing's own constant, without importing typing for `relay --version`
if TYPE_CHECKING:
    from typing import Any

    from .catalog import Catalog, Registry
    from .errors import RelayError
    from .model import Diagnostic, Severity, Skill, SkillFile, Version
    from .validate import ValidationReport, validate_paths, validate_skill

_HOMES = {
    "Catalog": "catalog", "Registry": "catalog", "RelayError": "errors",
    "Diagnostic": "model", "Severity": "model", "Skill": "model", "SkillFile": "model",
    "Version": "model", "ValidationReport": "validate", "validate_paths": "validate",
    "validate_skill": "validate",
}

__all__ = [
    "Catalog", "Diagnostic", "Registry", "RelayError", "Severity", "Skill", "SkillFile",
    "ValidationReport", "Version", "validate_paths", "validate_skill",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value

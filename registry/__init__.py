"""Relay's core: the skill model, SKILL.md parsing, validation rules, git history, the catalog."""

from .catalog import Catalog, Registry
from .errors import RelayError
from .model import Diagnostic, Severity, Skill, SkillFile, Version
from .validate import ValidationReport, validate_paths, validate_skill

__all__ = [
    "Catalog", "Diagnostic", "Registry", "RelayError", "Severity", "Skill", "SkillFile",
    "ValidationReport", "Version", "validate_paths", "validate_skill",
]

"""What every check gets: one skill's folder, its files, its parsed SKILL.md, the settings."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..skillmd import ParsedSkillMd
from ..tree import SkillTree


@dataclass
class SkillContext:
    folder: str  # the folder name, which the skill's `name` must equal
    path: str  # the folder's path from the repository root, posix ("skills/foo")
    tree: SkillTree
    skill_md: ParsedSkillMd | None
    config: Config

    def file_path(self, rel: str) -> str:
        """A path inside the skill as shown to users: relative to the repository root."""
        return f"{self.path}/{rel}" if self.path else rel

    @property
    def skill_md_path(self) -> str:
        return self.file_path("SKILL.md")

"""`relay new`: scaffold a skill folder that validates from the first commit."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from .checks.frontmatter import RESERVED_WORDS
from .errors import RelayError

NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def scaffold_skill(
    skills_root: Path,
    name: str,
    *,
    description: str | None = None,
    owner: str = "unowned",
    category: str = "engineering",
    tags: str = "",
    license: str = "Apache-2.0",
) -> Path:
    """Create `skills_root/<name>/SKILL.md` from the template; refuse to overwrite."""
    if not NAME_PATTERN.match(name) or len(name) > 64:
        raise RelayError(f"invalid skill name {name!r}: use 1-64 lowercase letters, digits "
                         "and single hyphens, e.g. `release-notes`")
    for word in RESERVED_WORDS:
        if word in name:
            raise RelayError(f"invalid skill name {name!r}: it contains the reserved word {word!r}")
    folder = skills_root / name
    if folder.exists():
        raise RelayError(f"{folder} already exists")
    description = description or (
        f"Describe what {name} does in one sentence. Use when the user asks for ..."
    )
    if any(c in description for c in "<>") or len(description) > 1024:
        raise RelayError("the description must be at most 1024 characters, without < or >")
    template = resources.files(__package__).joinpath("templates/SKILL.md.tmpl")
    text = template.read_text(encoding="utf-8").format(
        name=name,
        description=_yaml_string(description),
        license=license,
        owner=owner,
        category=category,
        tags=tags or name.split("-")[0],
        title=name.replace("-", " ").capitalize(),
    )
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(text, encoding="utf-8")
    return folder


def _yaml_string(value: str) -> str:
    """Quote the description so colons, hashes and leading symbols stay plain text."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

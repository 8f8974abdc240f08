"""`relay new`: scaffold a skill folder that validates once its description is written.

The options are checked before anything is written, against the same rules
`relay validate` applies (the name rules and the repository's policy for the
metadata it fills in), so a refused option leaves no folder behind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .checks.frontmatter import RESERVED_WORDS
from .config import Config
from .errors import RelayError
from .placeholder import placeholder_description


@dataclass(frozen=True)
class Scaffolded:
    """What `relay new` made, and what is left for the author to write."""

    folder: Path
    to_fill: list[str]  # metadata fields the policy requires that have no option
    placeholder: bool  # the description is the placeholder (SK113 until written)


NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SCAFFOLD_VERSION = "0.1.0"
# The metadata `relay new` writes, and the option that sets each.
OPTIONS = {"owner": "--owner", "category": "--category", "tags": "--tags", "version": None}


def scaffold_skill(
    skills_root: Path,
    name: str,
    *,
    description: str | None = None,
    owner: str = "unowned",
    category: str = "engineering",
    tags: str = "",
    license: str = "Apache-2.0",
    config: Config | None = None,
) -> Scaffolded:
    """Create `skills_root/<name>/SKILL.md` from the template; refuse to overwrite.

    Without a description the placeholder goes in, which `relay validate`
    reports (SK113) until it is replaced.
    """
    if not NAME_PATTERN.match(name) or len(name) > 64:
        raise RelayError(f"invalid skill name {name!r}: use 1-64 lowercase letters, digits "
                         "and single hyphens, e.g. `release-notes`")
    for word in RESERVED_WORDS:
        if word in name:
            raise RelayError(f"invalid skill name {name!r}: it contains the reserved word {word!r}")
    metadata = {"owner": owner, "category": category, "tags": tags or name.split("-")[0],
                "version": SCAFFOLD_VERSION}
    to_fill = _check_policy(metadata, config or Config())
    folder = skills_root / name
    if folder.exists():
        raise RelayError(f"{folder} already exists")
    description = description or placeholder_description(name)
    if any(c in description for c in "<>") or len(description) > 1024:
        raise RelayError("the description must be at most 1024 characters, without < or >")
    template = resources.files(__package__).joinpath("templates/SKILL.md.tmpl")
    text = template.read_text(encoding="utf-8").format(
        name=name,
        description=_yaml_string(description),
        license=license,
        title=name.replace("-", " ").capitalize(),
        **{key: _yaml_string(value) for key, value in metadata.items()},
    )
    folder.mkdir(parents=True)
    (folder / "SKILL.md").write_text(text, encoding="utf-8")
    return Scaffolded(folder, to_fill, placeholder=description == placeholder_description(name))


def _check_policy(metadata: dict[str, str], config: Config) -> list[str]:
    """Refuse, before writing anything, the options the repository's policy would reject;
    return the fields it requires that `relay new` has no option for."""
    from .policy import problems

    found = problems(metadata, config.policy_schema)
    refused = [p for p in found if not p.missing]
    if refused:
        lines = [f"{OPTIONS.get(p.keys[0]) or p.field if p.keys else 'metadata'} {p.message}"
                 for p in refused]
        raise RelayError(f"the registry policy ({config.policy_source}) refuses these options, so "
                         f"nothing was created: {'; '.join(lines)}")
    return [p.field for p in found if p.missing]


def _yaml_string(value: str) -> str:
    """Quote a value so colons, hashes and leading symbols stay plain text."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'

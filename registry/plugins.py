"""The subcommands other packages add to `relay`: `relay.commands` entry points, found cheaply.

`relay --help` must list them, and importlib.metadata would find them, but
importing it (with its email parser, zipfile and csv) cost 25-100 ms here,
as much as click itself (issue 12). Entry points are declared in each
installed distribution's `entry_points.txt` inside a `*.dist-info` or
`*.egg-info` folder on `sys.path` (the packaging specification's "Entry points
specification"), so that file is all this module reads. As in
importlib.metadata, the first distribution of a name along `sys.path` wins,
and within it the first entry of a name.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from importlib import import_module

GROUP = "relay.commands"
_FOLDER = re.compile(r"(?P<name>[^-]+)(?:-[^/]*)?\.(?:dist-info|egg-info)$")
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(?::\s*(?P<attr>[\w.]+)\s*)?(?:\[.*\]\s*)?$")


@dataclass(frozen=True)
class EntryPoint:
    """One `name = module:attr` line of the group."""

    name: str
    value: str

    def load(self) -> object:
        """Import the module and return the attribute (ImportError, AttributeError or ValueError
        when it is not there)."""
        match = _VALUE.match(self.value)
        if match is None:
            raise ValueError(f"{self.value!r} is not `module:attribute`")
        found: object = import_module(match["module"])
        for part in filter(None, (match["attr"] or "").split(".")):
            found = getattr(found, part)
        return found


def entry_points(group: str = GROUP) -> dict[str, EntryPoint]:
    """The group's entry points of the distributions on sys.path, by name."""
    seen: set[str] = set()
    found: dict[str, EntryPoint] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # gone, or a zip file: no distribution of ours lives in one
            continue
        for name in names:
            match = _FOLDER.match(name)
            if match is None:
                continue
            project = re.sub(r"[-_.]+", "_", match["name"]).lower()
            if project in seen:
                continue
            seen.add(project)
            try:
                with open(os.path.join(folder or ".", name, "entry_points.txt"), encoding="utf-8") as file:
                    text = file.read()
            except (OSError, UnicodeDecodeError):
                continue
            for key, value in _section(text, group):
                found.setdefault(key, EntryPoint(key, value))
    return found


def _section(text: str, group: str) -> list[tuple[str, str]]:
    """The `name = value` lines under `[group]` in an entry_points.txt (INI syntax)."""
    lines, inside = [], False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            inside = line[1:-1].strip() == group
        elif inside:
            key, equals, value = line.partition("=")
            if equals:
                lines.append((key.strip(), value.strip()))
    return lines

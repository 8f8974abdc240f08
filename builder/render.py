"""The Jinja environment and rendering one context to bytes at one site path."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from registry.safepath import printable

from . import paths
from .context import TEMPLATES, as_variables

# An installed wheel carries the templates inside the package (setup.py copies them there);
# a checkout (and an editable install) reads them from the top-level folder.
_PACKAGED = Path(__file__).resolve().parent / "site_templates"
TEMPLATES_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent / "site_templates"


class Renderer:
    """Renders typed contexts with autoescaping and strict undefined variables."""

    def __init__(self, templates: Path, base_url: str | None) -> None:
        self.templates = templates
        self.base_url = base_url
        # auto_reload off: a build's templates do not change under it, and checking each
        # template's (and its base's) mtime on every render was a stat per page and parent.
        self.env = Environment(loader=FileSystemLoader(str(templates)), autoescape=select_autoescape(),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True, auto_reload=False)
        self.env.finalize = _printable
        self.env.filters["thousands"] = lambda n: f"{n:,}"
        self.env.filters["size"] = human_size

    def render(self, template: str, context: Any, page: str) -> bytes:
        expected = TEMPLATES[template]
        if not isinstance(context, expected):
            raise TypeError(f"{template} takes a {expected.__name__}, not {type(context).__name__}")
        variables: dict[str, Any] = as_variables(context)
        variables["url"] = partial(paths.link, self.base_url, page)
        variables["page_path"] = page
        return self.env.get_template(template).render(**variables).encode("utf-8")


def _printable(value: Any) -> Any:
    """Every value a template prints, with control characters (ESC, direction overrides) shown
    as escapes: names, descriptions and file names come from contributors."""
    if isinstance(value, Markup):
        return Markup(printable(str(value)))
    return printable(value) if isinstance(value, str) else value


def templates_hash(templates: Path) -> str:
    """A digest of every template and asset, and of the builder's own code: if any changes,
    every page is rendered again."""
    digest = hashlib.sha256()
    builder = Path(__file__).resolve().parent
    for folder in (templates, builder):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{value:,.0f} {unit}" if unit == "B" else f"{value:,.1f} {unit}"
        value /= 1024
    return f"{value:,.1f} MB"

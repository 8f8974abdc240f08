"""Render the skills whose outputs are stale, on every core.

Per-skill work (Markdown, Pygments, Jinja2, diffs, zips) is pure CPU and
independent between skills, so a full build splits it across processes. Each
worker opens its own repository and renderer once (libgit2 handles and Jinja2
environments do not cross processes) and returns the paths it produced; the
parent keeps the manifest. A handful of stale skills (the usual rebuild) is
rendered in-process: starting workers would cost more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from registry.catalog import Registry
from registry.model import Skill

from .context import SiteInfo, UsageFigures
from .output import Output
from .render import Renderer

PARALLEL_THRESHOLD = 32  # stale skills; below it one process is faster than starting a pool
CHUNK_MAX = 50  # skills handed to a worker at a time

SkillJob = tuple[Skill, "UsageFigures | None"]
BuildSkill = Callable[[Registry, Renderer, Output, SiteInfo, Skill, "UsageFigures | None"],
                      dict[str, str]]


@dataclass(frozen=True)
class Rendered:
    """One skill's outputs: every path it produced, those whose bytes changed, its parts of the
    catalog-wide files (`build.skill_parts`)."""

    name: str
    recorded: list[str]
    written: list[str]
    parts: dict[str, str]  # field -> JSON text


@dataclass(frozen=True)
class Setup:
    """What a worker needs to render any skill of this build."""

    repo: Path
    out: Path
    templates: Path
    base_url: str | None
    site: SiteInfo
    build_skill: BuildSkill


_state: dict[str, object] = {}


def render_skills(setup: Setup, jobs: list[SkillJob], workers: int | None,
                  registry: Registry, renderer: Renderer) -> Iterator[Rendered]:
    """Render each job's skill, yielding as they finish (in job order)."""
    count = workers or os.cpu_count() or 1
    if count < 2 or len(jobs) < PARALLEL_THRESHOLD:
        for skill, usage in jobs:
            yield _render(setup, registry, renderer, skill, usage)
        return
    # Small chunks keep both workers busy to the end: with 8 chunks per worker, the last one
    # was up to 600 skills (seconds) that one worker rendered while the other waited.
    chunk = max(1, min(CHUNK_MAX, len(jobs) // (count * 8)))
    with ProcessPoolExecutor(max_workers=count, initializer=_start_worker,
                             initargs=(setup,)) as pool:
        yield from pool.map(_render_in_worker, jobs, chunksize=chunk)


def _render(setup: Setup, registry: Registry, renderer: Renderer, skill: Skill,
            usage: UsageFigures | None) -> Rendered:
    out = Output(setup.out)
    parts = setup.build_skill(registry, renderer, out, setup.site, skill, usage)
    return Rendered(skill.name, out.recorded, out.written, parts)


def _start_worker(setup: Setup) -> None:
    _state["setup"] = setup
    _state["registry"] = Registry(setup.repo)
    _state["renderer"] = Renderer(setup.templates, setup.base_url)


def _render_in_worker(job: SkillJob) -> Rendered:
    setup = _state["setup"]
    registry = _state["registry"]
    renderer = _state["renderer"]
    assert isinstance(setup, Setup) and isinstance(registry, Registry)
    assert isinstance(renderer, Renderer)
    return _render(setup, registry, renderer, *job)

"""`relay build` and `relay serve-site`: thin click commands over `builder.build` and `builder.serve`.

`relay --help` loads this module to list the commands, so the build's own
imports (Jinja2, Pygments, pygit2...) wait until a command runs (issue 12).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import click

from registry.audience import normalise

from .paths import DEFAULT_MCP_URL, normalise_base_url

T = TypeVar("T")
PROGRESS_THRESHOLD = 200  # skills; smaller builds finish before a bar is worth drawing


def _progress(items: Iterable[T], length: int, label: str) -> Iterator[T]:
    """A progress bar on stderr, only when it is a terminal and the build is long."""
    if length < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        yield from items
        return
    with click.progressbar(items, length=length, label=label, file=sys.stderr) as bar:
        yield from bar


@click.command()
@click.option("--repo", "repo_path", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="The skills repository (any folder inside it).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("site"),
              show_default=True, help="Output folder; a previous build there is updated incrementally.")
@click.option("--base-url", default=None, metavar="URL",
              help="Serve under a sub-path, e.g. /relay/ for https://org.github.io/relay/. "
                   "Default: relative links (works from any folder and file://).")
@click.option("--usage", "usage_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="Usage export: day-partitioned Parquet (DIR/day=YYYY-MM-DD/*.parquet).")
@click.option("--rev", default=None, metavar="REV",
              help="Revision to build (branch, tag, commit). Default: the configured main branch.")
@click.option("--mcp-url", default=DEFAULT_MCP_URL, show_default=True,
              help="The MCP server URL shown in install instructions.")
@click.option("--title", default="Relay skills", show_default=True, help="The site's title.")
@click.option("--clean", "clean_first", is_flag=True, help="Delete the output folder first (full rebuild).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for the skills to re-render (default: one per core).")
@click.option("--audience", "audience", multiple=True, metavar="GROUP",
              help="Build for this group (repeatable): include items restricted to it. By default "
                   "items with a metadata audience are left out.")
def build(repo_path: Path, out: Path, base_url: str | None, usage_dir: Path | None, rev: str | None,
          mcp_url: str, title: str, clean_first: bool, jobs: int | None, audience: tuple[str, ...]) -> None:
    """Build the static catalog site: pages, search index, JSON API, zips.

    The output is plain files that any static host serves as is (GitHub Pages
    included). Rebuilding into the same folder only re-renders skills that
    changed.
    """
    from .build import BuildConfig, clean
    from .build import build as build_site

    if clean_first:
        clean(out)
    config = BuildConfig(repo=repo_path, out=out, base_url=normalise_base_url(base_url),
                         usage_dir=usage_dir, rev=rev, mcp_url=mcp_url, title=title, jobs=jobs,
                         audience=normalise(audience))
    report = build_site(config, progress=_progress)
    others = f" and {report.items} other items" if report.items else ""
    click.echo(f"built {out}: {report.skills} skills{others}, {len(report.rendered)} re-rendered, "
               f"{len(report.written)} files written, {report.removed} removed "
               f"in {report.seconds:.2f} s", err=True)


@click.command("serve-site")
@click.option("--dir", "directory", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=Path("site"), show_default=True, help="The built site.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
def serve_site(directory: Path, port: int, host: str) -> None:
    """Serve a built site locally, as a static host would (Ctrl-C to stop)."""
    from .serve import serve

    server = serve(directory, host, port)
    click.echo(f"serving {directory} at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)",
               err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()

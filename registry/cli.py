"""The `relay` command: thin click wrappers over the library.

Each command parses options, calls one library function and prints. Library
errors (RelayError, and OSError such as an output file in a missing folder)
become one line on stderr and exit status 2, the same as a usage error;
validation findings exit 1. Every error line starts with `Error: `, the prefix
click gives its own usage errors, so people and scripts see one shape. Other packages (the site builder,
the MCP service) add subcommands through the `relay.commands` entry point
group, so `registry` never imports them.

Only click and the light modules that declare options are imported at the
top: pygit2, jsonschema and the catalog load inside the command that needs
them, so `relay --version`, `--help` and `validate PATH` start fast (issue 12).
"""

from __future__ import annotations

import json
import os
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .choices import CHANGED_SINCE, DEFAULT_FORMAT, FORMATS, KIND_NAMES, PROFILES
from .cli_text import error_line, user_message
from .errors import RelayError
from .safepath import printable

if TYPE_CHECKING:
    from .catalog import Registry


def echo(text: str, *, err: bool = False, nl: bool = True) -> None:
    """click.echo with control characters escaped: names, descriptions, file names and bodies
    come from contributors, and an ESC or a direction override must not reach the terminal."""
    click.echo(printable(text), err=err, nl=nl)


class RelayUsageError(click.ClickException):
    """A problem the user must fix; exit status 2 like click's own usage errors."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        echo(error_line(self.format_message()), err=True)


class RelayGroup(click.Group):
    """Loads plugin subcommands and turns library errors into one clear line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        plugins = [name for name in _plugins() if _load_plugin(name) is not None]
        return sorted(set(super().list_commands(ctx)) | set(plugins))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return super().get_command(ctx, name) or _load_plugin(name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            sys.exit(1)
        except (RelayError, OSError) as exc:  # OSError: an output file or folder that cannot be written
            raise RelayUsageError(user_message(exc) or str(exc)) from None


@cache
def _plugins() -> dict[str, Any]:
    from .plugins import entry_points

    return entry_points()


@cache
def _load_plugin(name: str) -> click.Command | None:
    """A subcommand from another package; a broken one is reported, not fatal to the rest."""
    entry = _plugins().get(name)
    if entry is None:
        return None
    try:
        command = entry.load()
    except Exception as exc:  # noqa: BLE001 - any import failure must not break `relay`
        echo(f"Warning: command {name!r} is unavailable: {exc}", err=True)
        return None
    return command if isinstance(command, click.Command) else None


repo_option = click.option(
    "--repo", "repo_path", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The skills repository (any folder inside it).",
)
kind_option = click.option(
    "--kind", type=click.Choice([*KIND_NAMES, "all"]), default=None,
    help="Items of this kind (docs/kinds.md): skill, agent, command, hooks, mcp, plugin, "
         "marketplace, or all.",
)
rev_option = click.option(
    "--rev", default=None, metavar="REV",
    help="Revision to read (branch, tag, commit). Default: the configured main branch.",
)


@click.group(cls=RelayGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="relay")
def main() -> None:
    """Relay: a registry for Agent Skills kept in git.

    Validate skills, browse the catalog and its versions, and scaffold new
    skills. Run `relay COMMAND --help` for each command's options.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(CHANGED_SINCE, "changed_since", metavar="REV",
              help="Validate only skills changed since REV (its merge base with HEAD), "
                   "committed or not.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=DEFAULT_FORMAT,
              show_default=True, help="text for people, json for tools, github for workflow "
                                      "annotations, sarif for code scanning.")
@click.option("--profile", type=click.Choice(PROFILES), default=None,
              help="Frontmatter profile; default from relay.toml, else portable.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for large sets (default: one per core).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to a file instead of standard output.")
@click.option("--sarif", "sarif_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write a SARIF 2.1.0 report to this file.")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Append a markdown job summary (skills added, changed, removed, "
                                 "their new version ids, errors and warnings) to this file, "
                                 "e.g. $GITHUB_STEP_SUMMARY.")
def validate(paths: tuple[Path, ...], changed_since: str | None, fmt: str,
             profile: str | None, jobs: int | None, output: Path | None,
             sarif_path: Path | None, summary_path: Path | None) -> None:
    """Validate skills: folders, the skills folder, or files inside skills.

    With no PATHS, validates the repository's whole skills folder. Exit status
    0 when no errors were found (warnings allowed), 1 when errors were found,
    2 for usage errors.
    """
    from .validate_command import run

    outcome = run(list(paths), changed_since=changed_since, fmt=fmt, profile=profile, jobs=jobs,
                  output=output, sarif_path=sarif_path, summary_path=summary_path)
    echo(outcome.out, nl=False)
    echo(outcome.err, err=True, nl=False)
    sys.exit(outcome.exit_code)


@main.command("list")
@repo_option
@rev_option
@click.option("--working-tree", is_flag=True, help="List the working tree, uncommitted included.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@kind_option
def list_skills(repo_path: Path, rev: str | None, working_tree: bool, fmt: str,
                kind: str | None) -> None:
    """List the catalog: every skill with its latest version and description.

    With --kind, list the items of that kind (or all kinds) from the layout in
    relay.toml: plugins, their subagents, slash commands, skills, hooks and MCP
    configs, top-level agents/ and commands/, marketplace manifests.
    """
    registry = _registry(repo_path)
    if kind is not None:
        if working_tree:
            raise RelayError("--kind lists committed items; drop --working-tree")
        _list_items(registry, rev, kind, fmt)
        return
    catalog = registry.working_catalog() if working_tree else registry.catalog(rev)
    if fmt == "json":
        rows = [{"name": s.name, "description": s.description, "metadata": s.metadata,
                 "tree_id": s.tree_id, "versions": len(s.versions),
                 "latest": s.latest.tree_id if s.latest else None,
                 "broken_tip": s.broken_tip.tree_id if s.broken_tip else None} for s in catalog]
        echo(json.dumps({"revision": catalog.revision, "skills": rows,
                         "broken": catalog.broken}, indent=2))
        return
    if not len(catalog):
        echo("no skills found", err=True)
    width = max((len(s.name) for s in catalog), default=4)
    for s in catalog:
        latest = s.latest
        stamp = f"{latest.date:%Y-%m-%d} {latest.short_id}" if latest else "uncommitted"
        echo(f"{s.name:<{width}}  {len(s.versions):>2}v  {stamp:<23}  "
                   f"{_one_line(s.description, 80)}")
    for s in catalog:
        if s.broken_tip is not None:
            echo(f"{s.name:<{width}}  (SKILL.md unreadable at the tip {s.broken_tip.short_id}: "
                 f"showing {s.latest.short_id if s.latest else '?'}; run `relay validate`)", err=True)
    for name in catalog.broken:
        echo(f"{name:<{width}}  (SKILL.md unreadable: run `relay validate`)", err=True)
    echo(f"{len(catalog)} skills", err=True)


def _list_items(registry: Any, rev: str | None, kind: str, fmt: str) -> None:
    from .items import item_catalog

    items = item_catalog(registry, rev).of_kind(kind)
    if fmt == "json":
        rows = [{"kind": i.kind, "name": i.name, "path": i.path, "plugin": i.plugin,
                 "description": i.description, "object_id": i.object_id,
                 "versions": len(i.versions), "components": i.components} for i in items]
        echo(json.dumps({"kind": kind, "items": rows}, indent=2))
        return
    if not items:
        echo(f"no items of kind {kind!r} found", err=True)
    width = max((len(i.name) for i in items), default=4)
    kind_width = max((len(i.kind) for i in items), default=4)
    for i in items:
        latest = i.latest
        stamp = f"{latest.date:%Y-%m-%d} {latest.short_id}" if latest else "uncommitted"
        echo(f"{i.kind:<{kind_width}}  {i.name:<{width}}  {len(i.versions):>2}v  "
                   f"{stamp:<23}  {_one_line(i.description, 80)}")
    echo(f"{len(items)} items", err=True)


def _item(registry: Any, name: str, kind: str | None, rev: str | None) -> Any:
    from .items import item_catalog

    return item_catalog(registry, rev).get(name, kind)


@main.command()
@click.argument("spec", metavar="NAME[@VERSION]")
@repo_option
@rev_option
@kind_option
@click.option("--files", "files_only", is_flag=True, help="List the files instead of SKILL.md.")
@click.option("--file", "file_path", metavar="PATH", help="Print one bundled file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def show(spec: str, repo_path: Path, rev: str | None, kind: str | None, files_only: bool,
         file_path: str | None, fmt: str) -> None:
    """Show a skill's SKILL.md at its latest version or at VERSION.

    VERSION is a tree id or commit (or a prefix of either), a release tag's
    semver (`code-review@1.2.0`), or a `metadata.version` value. A commit that
    is not on the branch (a pull request's) is read as it is at that commit.
    Other kinds of items (--kind, or a name no top-level skill has, such as
    `<plugin>:<agent>`) print their file; VERSION is then an object id,
    a commit, or a plugin's release semver.
    """
    name, _, version_spec = spec.partition("@")
    registry = _registry(repo_path)
    if kind is not None or not _is_skill(registry, name, rev):
        item = _item(registry, name, kind, rev)
        from .items import item_text, resolve_item_version

        version = resolve_item_version(registry, item, version_spec or None)
        text = item_text(registry, item, version)
        if fmt == "json":
            echo(json.dumps({
                "kind": item.kind, "name": item.name, "path": item.path,
                "object_id": version.tree_id, "commit": version.commit_id,
                "date": version.date.isoformat(), "author": version.author_name,
                "tags": list(version.tags), "components": item.components, "text": text,
            }, indent=2))
            return
        echo(f"# {item.kind} {item.name} @ {version.short_id} (commit "
                   f"{version.commit_id[:12]}, {version.date:%Y-%m-%d}, {version.author_name})",
                   err=True)
        echo(text, nl=False)
        return
    version = registry.resolve_version(name, version_spec or None, rev)
    tree = registry.tree(version)
    if file_path:
        try:
            data = tree.read(file_path.strip("/"))
        except FileNotFoundError:
            raise RelayError(f"{name}@{version.short_id} has no file {file_path!r}") from None
        sys.stdout.buffer.write(data)
        return
    files = tree.files()
    if fmt == "json":
        echo(json.dumps({
            "name": name, **version.as_json(),
            "files": [{"path": f.path, "size": f.size, "kind": f.kind.value} for f in files],
            "skill_md": tree.read("SKILL.md").decode("utf-8", "replace"),
        }, indent=2))
        return
    if files_only:
        for f in files:
            echo(f"{f.size:>9}  {f.path}")
        return
    echo(f"# {name} @ {version.short_id} (commit {version.commit_id[:12]}, "
               f"{version.date:%Y-%m-%d}, {version.author_name})", err=True)
    echo(tree.read("SKILL.md").decode("utf-8", "replace"), nl=False)


@main.command()
@click.argument("name")
@repo_option
@rev_option
@kind_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def versions(name: str, repo_path: Path, rev: str | None, kind: str | None, fmt: str) -> None:
    """List a skill's versions, newest first: tree id, date, author, tags, message.

    A tree id listed twice was published again (a revert to earlier content).
    Other kinds of items list their object ids (blob ids for files).
    """
    registry = _registry(repo_path)
    if kind is not None or not _is_skill(registry, name, rev):
        found = _item(registry, name, kind, rev).versions
    else:
        found = registry.versions(name, rev)
    if fmt == "json":
        echo(json.dumps([v.as_json() for v in reversed(found)], indent=2))
        return
    for v in reversed(found):
        tags = f" ({', '.join(v.tags)})" if v.tags else ""
        echo(f"{v.short_id}  {v.date:%Y-%m-%d %H:%M}  {v.author_name:<20}  "
                   f"{_one_line(v.summary, 60)}{tags}")


@main.command()
@click.argument("name")
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@repo_option
@rev_option
@kind_option
def diff(name: str, a: str, b: str, repo_path: Path, rev: str | None, kind: str | None) -> None:
    """Show what changed in a skill (or another item) between versions A and B (unified diff)."""
    registry = _registry(repo_path)
    if kind is not None or not _is_skill(registry, name, rev):
        from .items import item_diff

        echo(item_diff(registry, _item(registry, name, kind, rev), a, b), nl=False)
        return
    echo(registry.diff(name, a, b, rev=rev), nl=False)


def _is_skill(registry: Any, name: str, rev: str | None) -> bool:
    """Whether `name` is a top-level skill, or names no item (so the skill error is shown)."""
    if name in registry.all_versions(rev):
        return True
    from .items import item_catalog

    catalog = item_catalog(registry, rev)
    return not any(name in (i.name, i.key) for i in catalog)


@main.command()
@click.argument("name")
@repo_option
@click.option("--description", help="What the skill does and when to use it. Without it, a "
                                    "placeholder that `relay validate` refuses (SK113) until replaced.")
@click.option("--owner", default="unowned", show_default=True, help="Owning team slug.")
@click.option("--category", default="engineering", show_default=True)
@click.option("--tags", default="", help="Comma-separated tags.")
def new(name: str, repo_path: Path, description: str | None, owner: str, category: str,
        tags: str) -> None:
    """Scaffold skills/NAME/SKILL.md; it validates once its description is written.

    --owner, --category and --tags are checked against the repository's policy
    first: a value it would reject is refused and nothing is created.
    """
    from .config import load_config
    from .repo import open_repository, workdir

    try:
        root = workdir(open_repository(repo_path))
    except RelayError:
        root = repo_path.resolve()
    config = load_config(root)
    from .scaffold import scaffold_skill

    made = scaffold_skill(root / config.skills_dir, name, description=description,
                          owner=owner, category=category, tags=tags, config=config)
    where = made.folder.relative_to(root)
    echo(f"created {where}/SKILL.md")
    todo = ["write its description (what it does, and `Use when ...`)"] if made.placeholder else []
    todo += [f"add {field} (the registry policy requires it)" for field in made.to_fill]
    echo(f"next: {'; '.join([*todo, 'edit the steps'])}, then run `relay validate {where}`")


@main.command("check-history")
@click.option("--base", required=True, metavar="REV",
              help="The published revision: the pull request's base, or the branch tip before a push.")
@click.option("--head", default="HEAD", show_default=True, metavar="REV",
              help="The revision that must keep every published version.")
@repo_option
def check_history_command(base: str, head: str, repo_path: Path) -> None:
    """Refuse history rewrites: BASE must be an ancestor of HEAD and no version may vanish.

    Exit status 0 when the history is intact, 1 when it was rewritten.
    An all-zero BASE (a new branch) passes.
    """
    from .ci import check_history

    result = check_history(_registry(repo_path), base, head)
    for note in result.notes:
        echo(f"note: {note}")
    for problem in result.problems:
        if _in_github():
            echo(f"::error title=history rewritten::{problem}")
        else:
            echo(error_line(problem), err=True)
    if result.ok:
        echo(f"OK: {result.head[:12]} keeps every version published at {result.base[:12]}")
    sys.exit(0 if result.ok else 1)


@main.command()
@click.option("--org", default="your-org", show_default=True,
              help="GitHub organisation whose teams are named by metadata.owner.")
@repo_option
def codeowners(org: str, repo_path: Path) -> None:
    """Print a CODEOWNERS file mapping each skill folder to its metadata.owner."""
    from .ci import codeowners as codeowners_file

    echo(codeowners_file(_registry(repo_path), org), nl=False)


@main.command()
@click.option("--write", is_flag=True, help="Write .claude-plugin/marketplace.json at the repository root.")
@click.option("--check", is_flag=True, help="Exit 1 if the committed file is stale (what `relay validate` "
                                            "reports as SK504).")
@repo_option
def marketplace(write: bool, check: bool, repo_path: Path) -> None:
    """Print, write (--write) or check (--check) the Claude Code plugin marketplace of the skills.

    One plugin per skill, sourced from the skill's own folder, so `/plugin marketplace add
    OWNER/REPO` then `/plugin install NAME@MARKETPLACE` install one skill each.
    """
    from .config import load_config
    from .marketplace import (
        MARKETPLACE_FILE,
        expected,
        read_current,
        render,
        skills_on_disk,
        write_marketplace,
    )
    from .worktree import worktree_root

    base = worktree_root(repo_path.resolve()) or repo_path.resolve()
    config = load_config(base)
    if write:
        path, changed = write_marketplace(base, config)
        echo(f"{'wrote' if changed else 'unchanged:'} {path.relative_to(base)}")
        return
    current, text = read_current(base)
    fresh = render(expected(current, skills_on_disk(base, config), config))
    if check:
        if fresh != text:
            echo(error_line(f"{MARKETPLACE_FILE} is stale; run `relay marketplace --write` and commit it"),
                 err=True)
            sys.exit(1)
        echo(f"{MARKETPLACE_FILE} is up to date")
        return
    echo(fresh, nl=False)


def _registry(path: Path) -> Registry:
    from .catalog import Registry

    return Registry(path)


def _in_github() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _one_line(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"

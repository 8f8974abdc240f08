"""Every `relay` command, given bad input, fails the same way: `Error: ...` on stderr, no traceback.

One case per command (and per subcommand of `serve` and `usage`); a test
checks that the cases cover every command `relay --help` lists, so a new
command cannot ship with its own error shape.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from registry.cli import main

from .conftest import RepoBuilder, skill_md, write_files

# The prefix is written here, not imported from registry.cli: the test holds the CLI to it.
PREFIX = "Error: "


@pytest.fixture
def repo(make_repo, in_dir) -> RepoBuilder:
    built = make_repo([{"skills/alpha/SKILL.md": skill_md("alpha")},
                       {"skills/alpha/SKILL.md": skill_md("alpha", body="v2\n")}])
    in_dir(built.path)
    return built


def _cases(repo: RepoBuilder, tmp: Path) -> dict[str, list[str]]:
    """Command path -> arguments that must fail. `tmp/missing` never exists."""
    missing = tmp / "missing"
    first = str(repo.repo.revparse_single("HEAD~1").id)
    write_files(tmp, {"tokens.json": "{not json", "notes.txt": "not a folder\n"})
    return {
        "validate": ["--output", str(missing / "report.txt")],
        "list": ["--rev", "no-such-branch"],
        "show": ["no-such-skill"],
        "versions": ["no-such-skill"],
        "diff": ["alpha", "0000000", "HEAD"],
        "new": ["Not_A_Name"],
        # HEAD~1 does not contain HEAD: what a force push to an older commit looks like.
        "check-history": ["--base", "HEAD", "--head", first],
        "codeowners": ["--repo", str(missing)],
        "marketplace": ["--check"],
        "build": ["--out", str(tmp / "notes.txt" / "site")],
        "serve-site": ["--dir", str(missing)],
        "serve": ["--tokens", str(missing / "tokens.json")],
        "serve token add": ["someone", "--tokens", str(tmp / "notes.txt" / "tokens.json")],
        "serve token list": ["--tokens", str(tmp / "tokens.json")],
        "usage report": ["--db", str(missing / "usage.duckdb")],
        "usage export": ["--parquet", str(tmp / "out"), "--db", str(missing / "usage.duckdb")],
        "usage compact": ["--store", str(tmp / "notes.txt")],
    }


def _command_paths(group: click.Group, ctx: click.Context, prefix: str = "") -> set[str]:
    """Every runnable command path: `validate`, `serve`, `serve token add`..."""
    paths = set()
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        path = f"{prefix}{name}"
        if not isinstance(command, click.Group) or command.invoke_without_command:
            paths.add(path)
        if isinstance(command, click.Group):
            paths |= _command_paths(command, ctx, f"{path} ")
    return paths


def test_the_cases_cover_every_command(repo, tmp_path: Path) -> None:
    with click.Context(main) as ctx:
        assert _command_paths(main, ctx) == set(_cases(repo, tmp_path))


@pytest.mark.parametrize("command", [
    "validate", "list", "show", "versions", "diff", "new", "check-history", "codeowners",
    "marketplace", "build", "serve-site", "serve", "serve token add", "serve token list",
    "usage report", "usage export", "usage compact",
])
def test_bad_input_prints_one_error_prefix(command: str, repo, tmp_path: Path) -> None:
    args = [*command.split(), *_cases(repo, tmp_path)[command]]
    result = CliRunner().invoke(main, args, prog_name="relay")
    assert result.exit_code in (1, 2), (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    # click's own usage errors put the usage line and a hint before the error line.
    lines = [line for line in result.stderr.splitlines()
             if line and not line.startswith(("Usage: ", "Try 'relay"))]
    assert lines, result.stderr
    assert all(line.startswith(PREFIX) for line in lines), result.stderr

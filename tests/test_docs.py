"""Docs are tests: every command, option, rule and setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from registry.cli import main
from registry.config import Layout, Limits
from registry.rules import all_rules

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_DOC = (ROOT / "docs/cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.list_commands(click.Context(main))))
def test_every_command_and_option_is_documented(name: str) -> None:
    assert f"## relay {name}" in CLI_DOC
    assert f"relay {name}" in README
    command = main.get_command(click.Context(main), name)
    assert command is not None
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(opt in CLI_DOC for opt in param.opts), (name, param.opts)


def help_text(args: list[str]) -> str:
    from click.testing import CliRunner

    result = CliRunner().invoke(main, [*args, "--help"], prog_name="relay", terminal_width=100)
    return result.output.rstrip()


def all_commands() -> list[list[str]]:
    """Every command path, plugin groups' subcommands included (`usage report`)."""
    ctx = click.Context(main)
    paths = []
    for name in main.list_commands(ctx):
        command = main.get_command(ctx, name)
        paths.append([name])
        if isinstance(command, click.Group):
            paths.extend([name, sub] for sub in command.list_commands(ctx))
    return paths


def test_cli_doc_matches_the_help_text() -> None:
    """Regenerate the help sections with `python -m tests.test_docs` after changing options."""
    for args in all_commands():
        assert help_text(args) in CLI_DOC, f"docs/cli.md is stale for `relay {' '.join(args)}`"


def test_every_rule_is_documented() -> None:
    text = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    for code, rule in all_rules().items():
        assert re.search(rf"\| {code} \| `{rule.name}` \| {rule.severity} \|", text), code


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs/configuration.md").read_text(encoding="utf-8")
    for key in ("relay.skills_dir", "relay.profile", "relay.branch", "policy.schema",
                "secrets.allow", *(f"limits.{f}" for f in Limits.__dataclass_fields__),
                *(f"items.{f}" for f in Layout.__dataclass_fields__)):
        assert f"`{key}`" in text, key


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    commands = re.findall(r"^make (\w+)\s+#", README, re.MULTILINE)
    assert commands == ["run", "test"]
    assert re.search(r"^make test$", ci, re.MULTILINE)


def test_docs_links_resolve() -> None:
    for doc in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = re.sub(r"`[^`\n]*`", "", doc.read_text(encoding="utf-8"))  # examples in code spans
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"^[a-z]+:", target):
                continue
            assert (doc.parent / target).exists(), f"{doc.name}: broken link {target}"


if __name__ == "__main__":
    # Rewrite the generated help sections of docs/cli.md from the live commands.
    head = CLI_DOC.split("\n## relay ", 1)[0]
    tail = CLI_DOC.split("\n## Output formats", 1)[1]
    sections = [f"## relay {' '.join(args)}\n\n```text\n{help_text(args)}\n```\n"
                for args in all_commands()]
    (ROOT / "docs/cli.md").write_text(head + "\n" + "\n".join(sections) + "\n## Output formats" + tail,
                                      encoding="utf-8")

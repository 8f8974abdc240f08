"""Docs are tests: every command, option, rule and setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from registry.cli import main
from registry.config import Limits
from registry.rules import RULES

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_DOC = (ROOT / "docs/cli.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_and_option_is_documented(name: str) -> None:
    assert f"## relay {name}" in CLI_DOC
    assert f"relay {name}" in README
    command = main.commands[name]
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(opt in CLI_DOC for opt in param.opts), (name, param.opts)


def test_cli_doc_matches_the_help_text() -> None:
    from click.testing import CliRunner

    runner = CliRunner()
    for name in main.commands:
        help_text = runner.invoke(main, [name, "--help"], prog_name="relay",
                                  terminal_width=100).output.rstrip()
        assert help_text in CLI_DOC, f"docs/cli.md is stale for `relay {name}`"


def test_every_rule_is_documented() -> None:
    text = (ROOT / "docs/rules.md").read_text(encoding="utf-8")
    for code, rule in RULES.items():
        assert re.search(rf"\| {code} \| `{rule.name}` \| {rule.severity} \|", text), code


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs/configuration.md").read_text(encoding="utf-8")
    for key in ("relay.skills_dir", "relay.profile", "relay.branch", "policy.schema",
                "secrets.allow", *(f"limits.{f}" for f in Limits.__dataclass_fields__)):
        assert f"`{key}`" in text, key


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    commands = re.findall(r"^make (\w+)\s+#", README, re.MULTILINE)
    assert commands == ["run", "test"]
    assert re.search(r"^make test$", ci, re.MULTILINE)


def test_docs_links_resolve() -> None:
    for doc in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"^[a-z]+:", target):
                continue
            assert (doc.parent / target).exists(), f"{doc.name}: broken link {target}"

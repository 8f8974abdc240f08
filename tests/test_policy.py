"""The registry policy in words, `relay new` held to it, and the placeholder description refused.

Expected messages are written here by hand: the allowed values and the
examples of the default policy (registry/schemas/policy.json), never a regex.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli import main
from registry.policy import require_examples

from .conftest import RepoBuilder, skill_md, write_files

REGEX_SIGNS = ("^", "$", "[a-z", "\\s", "*)")


@pytest.fixture
def repo(make_repo, in_dir) -> RepoBuilder:
    built = make_repo([{"skills/alpha/SKILL.md": skill_md("alpha")}])
    in_dir(built.path)
    return built


def _no_regex(text: str) -> None:
    assert not [sign for sign in REGEX_SIGNS if sign in text], text


def test_new_refuses_an_owner_the_policy_rejects_and_creates_nothing(runner, repo) -> None:
    result = runner.invoke(main, ["new", "notes", "--owner", "Team X",
                                  "--description", "Takes notes. Use when meeting."])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: the registry policy")
    assert "--owner is 'Team X', which is not the team slug (or e-mail) answerable for the skill, " \
           "e.g. `platform-team` or `ana@example.com`" in result.stderr
    _no_regex(result.stderr)
    assert not (repo.path / "skills/notes").exists()


def test_new_refuses_a_category_and_lists_the_allowed_ones(runner, repo) -> None:
    result = runner.invoke(main, ["new", "notes", "--category", "finance", "--tags", "A B"])
    assert result.exit_code == 2
    assert ("--category is 'finance'; allowed: engineering, operations, data, security, "
            "documentation, testing, process") in result.stderr
    assert "--tags is 'A B', which is not comma-separated lowercase tags, e.g. `review, python`" \
        in result.stderr
    assert not (repo.path / "skills/notes").exists()


def test_new_follows_the_repository_policy(runner, repo) -> None:
    schema = {"type": "object", "required": ["owner", "category", "cost-center"],
              "properties": {"owner": {"enum": ["payments", "search"]},
                             "category": {"enum": ["finance", "engineering"]},
                             "cost-center": {"type": "string", "pattern": "^CC-[0-9]{4}$",
                                             "description": "The budget code.",
                                             "examples": ["CC-1234"]}}}
    write_files(repo.path, {"relay.toml": '[policy]\nschema = "policy.json"\n',
                            "policy.json": json.dumps(schema)})
    refused = runner.invoke(main, ["new", "ledger", "--category", "finance"])
    assert refused.exit_code == 2
    assert "--owner is 'unowned'; allowed: payments, search" in refused.stderr
    assert not (repo.path / "skills/ledger").exists()
    made = runner.invoke(main, ["new", "ledger", "--owner", "payments", "--category", "finance",
                                "--description", "Books ledgers. Use when closing a month."])
    assert made.exit_code == 0, made.output
    assert "add metadata.cost-center (the registry policy requires it)" in made.stdout
    check = runner.invoke(main, ["validate", "skills/ledger"])
    assert check.exit_code == 1
    assert "SK201 metadata.cost-center is required: the budget code (registry policy: policy.json)" \
        in check.stdout
    write_files(repo.path, {"skills/ledger/SKILL.md": skill_md(
        "ledger", owner="payments", category="finance").replace(
        '  tags: "test"\n', '  tags: "test"\n  cost-center: "budget"\n')})
    check = runner.invoke(main, ["validate", "skills/ledger"])
    assert ("SK202 `metadata.cost-center` is 'budget', which is not the budget code, e.g. `CC-1234` "
            "(registry policy: policy.json)") in check.stdout
    _no_regex(check.stdout)


def test_a_policy_pattern_without_examples_is_refused_when_loaded(runner, repo) -> None:
    schema = {"type": "object", "properties": {"owner": {"type": "string", "pattern": "^[a-z]+$"},
                                               "team": {"pattern": "^t-", "examples": ["x"]}}}
    write_files(repo.path, {"relay.toml": '[policy]\nschema = "policy.json"\n',
                            "policy.json": json.dumps(schema)})
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "/properties/owner: a `pattern` needs `examples`" in result.stderr
    assert "/properties/team: the examples 'x' do not match its own pattern" in result.stderr


def test_validate_reports_the_default_policy_in_words(runner, repo) -> None:
    write_files(repo.path, {"skills/beta/SKILL.md": skill_md("beta", owner="Team X",
                                                             category="finance")})
    result = runner.invoke(main, ["validate", "skills/beta"])
    assert result.exit_code == 1
    assert ("`metadata.owner` is 'Team X', which is not the team slug (or e-mail) answerable for "
            "the skill, e.g. `platform-team` or `ana@example.com`") in result.stdout
    assert "`metadata.category` is 'finance'; allowed: engineering, operations, data" in result.stdout
    _no_regex(result.stdout)


def test_the_scaffolded_placeholder_fails_validation_until_written(runner, repo) -> None:
    made = runner.invoke(main, ["new", "release-helper", "--owner", "dev-experience"])
    assert made.exit_code == 0, made.output
    assert "write its description" in made.stdout
    check = runner.invoke(main, ["validate", "skills/release-helper"])
    assert check.exit_code == 1
    assert "SK113 description is the placeholder `relay new` wrote" in check.stdout
    path = repo.path / "skills/release-helper/SKILL.md"
    text = path.read_text()
    line = next(x for x in text.splitlines() if x.startswith("description:"))
    path.write_text(text.replace(line, "description: Drafts release notes from merged pull "
                                       "requests. Use when a release is cut."))
    check = runner.invoke(main, ["validate", "skills/release-helper"])
    assert check.exit_code == 0 and "0 errors, 0 warnings" in check.stdout, check.output


@pytest.mark.parametrize("description", [
    "Describe what notes does in one sentence. Use when the user asks for ...",
    "describe what   NOTES does in one sentence.  use when the user asks for \u2026",
    "'Describe what my-notes does in one sentence. Use when the user asks for ...'",
    "Takes meeting notes. Use when the user asks for ...",
    "Describe what notes does in one sentence. Use when a meeting ends.",
])
def test_the_placeholder_is_recognised_after_light_edits(description: str, runner, repo) -> None:
    write_files(repo.path, {"skills/notes/SKILL.md": skill_md("notes", description=description)})
    result = runner.invoke(main, ["validate", "skills/notes"])
    assert result.exit_code == 1 and "SK113" in result.stdout, result.stdout


@pytest.mark.parametrize("description", [
    "Describe what changed in a pull request. Use when reviewing.",
    "Formats release notes. Use when the user asks for a changelog.",
])
def test_real_descriptions_are_not_placeholders(description: str, runner, repo) -> None:
    write_files(repo.path, {"skills/notes/SKILL.md": skill_md("notes", description=description)})
    result = runner.invoke(main, ["validate", "skills/notes"])
    assert result.exit_code == 0, result.stdout


def test_new_writes_values_as_yaml_strings(runner, repo) -> None:
    """An owner with a quote or a colon is written as a YAML string, not pasted raw."""
    made = runner.invoke(main, ["new", "quoted", "--owner", "ana@example.com",
                                "--description", 'Says "hi": politely. Use when greeting.'])
    assert made.exit_code == 0, made.output
    check = runner.invoke(main, ["validate", "skills/quoted"])
    assert check.exit_code == 0, check.output


def test_relay_s_own_policy_gives_an_example_for_every_pattern() -> None:
    schema = json.loads((Path(__file__).parent.parent / "registry/schemas/policy.json").read_text())
    patterned = {name for name, field in schema["properties"].items() if "pattern" in field}
    assert patterned == {"owner", "tags", "version", "audience"}
    for name in patterned:
        assert schema["properties"][name]["examples"], name
    assert require_examples(schema) == []

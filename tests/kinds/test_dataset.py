"""The real marketplace corpus (../shared/datasets/plugins-dev) in a scratch git repository.

Expected counts come from the files on disk, and the expected findings from
what the corpus is known to hold (see the closing note of issue 13): two
subagents ask for a model that does not exist, one plugin names a folder
where Claude Code wants subagent files, some plugin skills link past their
folder or to files missing from it. Every error of Claude Code's own
validator (`claude plugin validate`, pinned in package-lock.json) is an error
of Relay's too. Nothing else may fail.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from registry.catalog import Registry
from registry.items import item_catalog
from registry.validate import ValidationReport, validate_paths

from ..test_marketplace import claude
from .dataset import dataset, scratch_repository


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scratch_repository(dataset("plugins-dev"), tmp_path_factory.mktemp("corpus") / "repo")


@pytest.fixture(scope="module")
def report(corpus: Path) -> ValidationReport:
    return validate_paths([], start=corpus)


def test_every_component_is_found_and_only_real_problems_fail(corpus: Path,
                                                               report: ValidationReport) -> None:
    plugins = sorted(p for p in (corpus / "plugins").iterdir() if p.is_dir())
    agents = sorted(corpus.glob("plugins/*/agents/*.md"))
    commands = sorted(corpus.glob("plugins/*/commands/*.md"))
    skills = sorted(corpus.glob("plugins/*/skills/*/SKILL.md"))
    hooks = sorted(corpus.glob("plugins/*/hooks/hooks.json"))
    assert (len(plugins), len(agents), len(commands), len(skills)) == (91, 202, 105, 181)
    assert len(report.items) == len(plugins) + len(agents) + len(commands) + len(skills) + len(
        hooks) + 3  # three marketplace manifests
    bad_models = {str(p.relative_to(corpus)) for p in agents
                  if re.search(r"^model: (?!sonnet|opus|haiku|inherit)", p.read_text(), re.M)}
    assert bad_models and {d.path for d in report.diagnostics if d.code == "AG105"} == bad_models
    errors = {d.code for d in report.diagnostics if d.severity == 2}
    # Upstream problems: model ids, links past or missing from skill folders, a skill whose
    # name differs from its folder, a folder where Claude Code wants subagent files.
    assert errors == {"AG105", "PL101", "SK301", "SK302", "SK103"}, errors
    assert not [d for d in report.diagnostics if d.code[:2] in ("MK", "HK", "IT")]
    manifests = {d.path for d in report.diagnostics if d.code == "PL101"}
    assert manifests == {"plugins/pptx-deck-creation/.claude-plugin/plugin.json"}


def test_every_error_of_claude_plugin_validate_is_an_error_of_relay(
        corpus: Path, report: ValidationReport, tmp_path: Path) -> None:
    done = claude(tmp_path, "plugin", "validate", "--json", str(corpus), cwd=tmp_path)
    found = json.loads(done.stdout)["manifest"]
    assert done.returncode == 1 and found["errors"], done.stdout + done.stderr
    entries = json.loads((corpus / ".claude-plugin/marketplace.json").read_text())["plugins"]
    relay_errors = {d.path for d in report.diagnostics if d.severity == 2}
    for error in found["errors"]:
        index = int(re.match(r"plugins\[(\d+)\] plugin.json", error["path"]).group(1))
        folder = entries[index]["source"].removeprefix("./")
        assert f"{folder}/.claude-plugin/plugin.json" in relay_errors, error


def test_the_catalog_lists_91_plugins_with_their_components(corpus: Path) -> None:
    catalog = item_catalog(Registry(corpus))
    plugins = catalog.of_kind("plugin")
    assert len(plugins) == 91
    for plugin in plugins:
        folder = corpus / plugin.path
        on_disk = (len(list(folder.glob("agents/*.md"))) + len(list(folder.glob("commands/*.md")))
                   + len(list(folder.glob("skills/*/SKILL.md")))
                   + (folder / "hooks/hooks.json").is_file())
        assert len(plugin.components) == on_disk, plugin.name
        assert all(catalog.items[key].versions for key in plugin.components)

"""Items in git: one history walk versions every kind; list --kind, show, versions, diff."""

from __future__ import annotations

import json
from pathlib import Path

import pygit2

from registry.catalog import Registry
from registry.cli import main
from registry.items import item_catalog

from .fixtures import AGENT, repository

P = "plugins/toolkit"


def blob_id(repo: pygit2.Repository, rev: str, path: str) -> str:
    return str(repo.revparse_single(f"{rev}:{path}").id)


def test_every_item_is_versioned_by_its_object_id(make_repo) -> None:
    builder = make_repo([repository()])
    first = str(builder.repo.head.target)
    builder.commit({f"{P}/agents/reviewer.md": AGENT.replace("careful", "thorough")},
                   "reviewer: thorough")
    builder.commit({"README.md": "unrelated\n"}, "docs")
    builder.tag("toolkit@1.2.0")
    registry = Registry(builder.path)
    catalog = item_catalog(registry)
    kinds = sorted({i.kind for i in catalog})
    assert kinds == ["agent", "command", "hooks", "marketplace", "mcp", "plugin", "skill"]
    agent = catalog.get("toolkit:reviewer")
    assert [v.tree_id for v in agent.versions] == [
        blob_id(builder.repo, first, f"{P}/agents/reviewer.md"),
        blob_id(builder.repo, "HEAD", f"{P}/agents/reviewer.md")]
    assert agent.versions[-1].summary == "reviewer: thorough"
    command = catalog.get("toolkit:review", "command")
    assert len(command.versions) == 1 and command.versions[0].commit_id == first
    plugin = catalog.get("toolkit", "plugin")
    assert plugin.versions[-1].tree_id == blob_id(builder.repo, "HEAD", P)
    assert plugin.versions[-1].tags == ("toolkit@1.2.0",)
    assert plugin.components == [
        "skill/toolkit:lint", "agent/toolkit:reviewer", "command/toolkit:review",
        "hooks/toolkit:hooks", "mcp/toolkit:mcp"]
    assert catalog.get("planner").path == "agents/planner.md"
    registry.close()


def test_list_show_versions_diff_items(make_repo, runner, in_dir) -> None:
    builder = make_repo([repository()])
    builder.commit({f"{P}/agents/reviewer.md": AGENT.replace("careful", "thorough")}, "thorough")
    in_dir(builder.path)
    result = runner.invoke(main, ["list", "--kind", "agent"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[:3] for line in lines] == [["agent", "planner", "1v"],
                                                     ["agent", "toolkit:reviewer", "2v"]]
    result = runner.invoke(main, ["list", "--kind", "all", "--format", "json"])
    rows = json.loads(result.stdout)["items"]
    assert {r["kind"] for r in rows} >= {"plugin", "hooks", "mcp", "marketplace", "skill"}
    result = runner.invoke(main, ["show", "toolkit:reviewer"])
    assert result.exit_code == 0 and "You are a thorough reviewer." in result.stdout
    first = blob_id(builder.repo, "HEAD~1", f"{P}/agents/reviewer.md")
    result = runner.invoke(main, ["show", f"toolkit:reviewer@{first[:10]}"])
    assert "You are a careful reviewer." in result.stdout
    result = runner.invoke(main, ["versions", "--kind", "agent", "toolkit:reviewer"])
    assert [line.split()[0] for line in result.stdout.splitlines()] == [
        blob_id(builder.repo, "HEAD", f"{P}/agents/reviewer.md")[:12], first[:12]]
    result = runner.invoke(main, ["diff", "toolkit:reviewer", first[:10],
                                  blob_id(builder.repo, "HEAD", f"{P}/agents/reviewer.md")[:10]])
    assert "-You are a careful reviewer." in result.stdout
    assert "+You are a thorough reviewer." in result.stdout
    result = runner.invoke(main, ["show", "--kind", "plugin", "toolkit"])
    assert "agent/toolkit:reviewer" in result.stdout and '"name": "toolkit"' in result.stdout


def test_unknown_items_are_one_clear_line(make_repo, runner, in_dir) -> None:
    builder = make_repo([repository()])
    in_dir(builder.path)
    result = runner.invoke(main, ["show", "--kind", "agent", "toolkit:reviwer"])
    assert result.exit_code == 2
    assert "no agent named 'toolkit:reviwer'; did you mean toolkit:reviewer?" in result.output
    result = runner.invoke(main, ["versions", "toolkit:review@zzzz"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_layout_comes_from_relay_toml(make_repo, tmp_path: Path) -> None:
    files = {f"bundles/{k[len('plugins/'):]}": v for k, v in repository().items()
             if k.startswith("plugins/")}
    builder = make_repo([{**files, "relay.toml": '[items]\nplugins_dir = "bundles"\n'
                                                 'agents_dir = ""\n'}])
    catalog = item_catalog(Registry(builder.path))
    assert catalog.get("toolkit", "plugin").path == "bundles/toolkit"
    assert catalog.of_kind("agent")[0].path == "bundles/toolkit/agents/reviewer.md"


def test_a_restricted_plugin_hides_its_components(make_repo) -> None:
    from registry.items import visible_items

    from .fixtures import manifest

    restricted = manifest(metadata={"audience": "sre, oncall"})
    builder = make_repo([{**repository(), "plugins/toolkit/.claude-plugin/plugin.json": restricted,
                          "commands/rotate.md": "---\nmetadata:\n  audience: sre\n---\nRotate $1.\n"}])
    catalog = item_catalog(Registry(builder.path))
    everyone = {i.name for i in visible_items(catalog, frozenset())}
    sre = {i.name for i in visible_items(catalog, frozenset({"sre"}))}
    assert everyone == {"planner", "hello", ".claude-plugin/marketplace.json"}
    assert sre - everyone == {"rotate", "toolkit", "toolkit:reviewer", "toolkit:review", "toolkit:lint",
                              "toolkit:hooks", "toolkit:mcp"}

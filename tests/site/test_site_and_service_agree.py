"""The site and the MCP service (and the CLI) give one answer for one thing.

Files, digests and sizes of a version, the token cost of a skill and the JSON
of a version are compared between a real build and the service in process.
For usage, events go through the service's real usage writer into DuckDB, leave through a
real `relay usage export`, and are read by a real `relay build --usage`; the
report reads the DuckDB file. Among the events is one that a naive count would
take differently: a use that carries a rating and minutes (feedback is
`rate_skill` only, for both).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mcp import Client

from builder import build as pipeline
from mcp_server.app import Relay
from mcp_server.options import ServerOptions
from mcp_server.usage.writer import UsageWriter
from registry.cli import main
from registry.usage import UsageEvent
from tests.mcp.conftest import build_catalog, send

from .conftest import Page, config_for, needs_node

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def events() -> list[UsageEvent]:
    def event(i: int, skill: str, tool: str = "get_skill", user: str = "", **extra: object) -> UsageEvent:
        return UsageEvent(ts=T0 + timedelta(hours=i), skill=skill, tree_id="a" * 40,
                          commit_id="b" * 40, tool=tool, client_name="test", user_id=user,
                          **extra)  # type: ignore[arg-type]

    return [
        event(0, "alpha-review", user="ada"), event(1, "alpha-review", user="bob"),
        event(2, "alpha-review", user="ada"), event(3, "alpha-review"),
        event(4, "alpha-review", "rate_skill", "ada", rating=5, minutes_saved=90.0),
        event(5, "alpha-review", "rate_skill", "bob", rating=2, minutes_saved=15.0),
        # A use that carries feedback fields: not feedback, for the dashboard and the report.
        event(6, "alpha-review", "read_skill_file", "cy", rating=1, minutes_saved=600.0),
        event(30, "beta-sql", user="cy"), event(31, "beta-sql", "resources/read", "cy"),
        event(32, "beta-sql", "rate_skill", "cy", rating=4, minutes_saved=20.0),
    ]


def dashboard_rows(html: str) -> dict[str, tuple[str, ...]]:
    cells = [e.text.strip() for e in Page(html.split("<h2>Per skill</h2>", 1)[1]).find_all("td")]
    return {cells[i]: tuple(cells[i + 1:i + 5]) for i in range(0, len(cells), 5)}


@needs_node
def test_dashboard_and_report_give_the_same_figures(runner, catalog_repo, in_dir,
                                                     tmp_path: Path) -> None:
    db, export, out = tmp_path / "usage.duckdb", tmp_path / "export", tmp_path / "site"
    writer = UsageWriter(db).start()
    for e in events():
        assert writer.submit(e)
    writer.close()
    in_dir(catalog_repo.path)
    exported = runner.invoke(main, ["usage", "export", "--db", str(db), "--parquet", str(export)])
    assert exported.exit_code == 0, exported.output
    built = runner.invoke(main, ["build", "--out", str(out), "--usage", str(export)])
    assert built.exit_code == 0, built.output
    reported = runner.invoke(main, ["usage", "report", "--db", str(db), "--format", "json"])
    assert reported.exit_code == 0, reported.output

    report = {row["skill"]: row for row in json.loads(reported.output)["rows"]}
    dashboard = dashboard_rows((out / "usage/index.html").read_text(encoding="utf-8"))
    assert set(dashboard) == set(report) == {"alpha-review", "beta-sql"}
    for skill, row in report.items():
        rating = f"{row['avg_rating']:.1f}" if row["avg_rating"] is not None else "–"
        assert dashboard[skill] == (str(row["uses"]), str(row["users"]),
                                    f"{row['hours_saved']:.1f}", rating), skill
    # And both say what the events say (worked out by hand from the list above).
    assert dashboard["alpha-review"] == ("5", "3", "1.8", "3.5")
    assert dashboard["beta-sql"] == ("2", "1", "0.3", "4.0")


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@needs_node
async def test_files_tokens_and_versions_are_the_same_on_the_site_and_over_mcp(
        tmp_path: Path, runner, in_dir, anyio_backend: str) -> None:
    """alpha has a regular file, a binary, an executable script and a symlink."""
    repo = build_catalog(tmp_path / "catalog")
    pipeline.build(config_for(repo.path, tmp_path / "site"))
    site_skill = json.loads((tmp_path / "site/skills/alpha.json").read_text(encoding="utf-8"))
    page = (tmp_path / "site/skills/alpha/index.html").read_text(encoding="utf-8")
    relay = Relay(ServerOptions(repo=repo.path, db=None, poll=0))
    relay.holder.refresh()
    async with Client(relay.mcp) as client:
        entry = (await send(client, "skills/get", {"uri": "skill://alpha/SKILL.md"}))["skill"]
        listing = json.loads((await client.call_tool("list_skills", {})).content[0].text)
        got = json.loads((await client.call_tool("get_skill", {"name": "alpha"})).content[0].text)
        versions = json.loads((await client.call_tool("list_skill_versions",
                                                      {"name": "alpha"})).content[0].text)

    latest = site_skill["versions"][-1]
    site_files = {(f["path"], f["size"], f["sha256"]) for f in latest["files"]}
    mcp_files = {(r["uri"].removeprefix("skill://alpha/"), r["size"], r["digest"])
                 for r in entry["resources"]}
    assert site_files == mcp_files
    assert "link.md" not in {path for path, _, _ in site_files}  # a symlink is never served
    assert {f["path"] for f in got["files"]} == {p for p, _, _ in site_files} - {"SKILL.md"}

    tokens = next(s["tokens"] for s in listing["skills"] if s["name"] == "alpha")
    match = re.search(r"about ([\d,]+) tokens", page)
    assert match and int(match.group(1).replace(",", "")) == tokens

    in_dir(repo.path)
    cli = json.loads(runner.invoke(main, ["versions", "alpha", "--format", "json"]).output)
    site_version = {k: v for k, v in latest.items() if k not in ("page", "zip", "files")}
    assert site_version == got["version"] == versions["versions"][0] == cli[0]
    assert set(site_version) == {"tree_id", "commit_id", "date", "author", "message", "tags"}

"""The MCP Inspector CLI (pinned in package-lock.json) lists and gets slash commands as prompts.

The server holds a plugin and top-level items (tests/kinds/fixtures.py); the
Inspector runs over Streamable HTTP on both protocol eras, as in test_clients.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mcp_server.options import ServerOptions
from tests.conftest import RepoBuilder, skill_md
from tests.kinds.fixtures import repository
from tests.mcp.conftest import LiveServer, free_port
from tests.mcp.test_clients import result


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("prompts")
    repo = RepoBuilder(root / "items")
    repo.commit({**repository(), "skills/alpha/SKILL.md": skill_md("alpha")}, "items")
    with LiveServer(ServerOptions(repo=repo.path, port=free_port(), db=None, poll=0)) as live:
        yield live


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.mark.parametrize("era", ["legacy", "modern"])
def test_inspector_lists_and_gets_prompts(server: LiveServer, home: Path, era: str) -> None:
    target = [f"{server.url}/mcp"]
    prompts = result(home, target, era, "--method", "prompts/list")["prompts"]
    assert [p["name"] for p in prompts] == ["hello", "toolkit:review"]
    review = prompts[1]
    assert [a["name"] for a in review["arguments"]] == ["arguments", "arg1"]
    # --prompt-args takes every word after it, so the server goes by --server-url instead
    got = result(home, [], era, "--transport", "http", "--server-url", target[0], "--method",
                 "prompts/get", "--prompt-name", "toolkit:review",
                 "--prompt-args", "arguments=main.py util.py")
    assert got["messages"][0]["role"] == "user"
    assert got["messages"][0]["content"]["text"].strip() == (
        "Review these files for defects: main.py util.py. Focus on main.py first.")
    agent = result(home, target, era, "--method", "resources/read",
                   "--uri", "item://agent/toolkit:reviewer")
    assert "You are a careful reviewer." in agent["contents"][0]["text"]

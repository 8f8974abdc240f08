"""`relay build` and `relay serve-site` through the real `relay` group: options, errors, exit codes."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from pathlib import Path

from builder.serve import serve
from registry.cli import main

from .conftest import needs_node


@needs_node
def test_relay_build_and_its_summary(runner, catalog_repo, in_dir, tmp_path: Path) -> None:
    in_dir(catalog_repo.path)
    result = runner.invoke(main, ["build", "--out", str(tmp_path / "out"), "--base-url", "sub",
                                  "--mcp-url", "https://mcp.example.com/mcp"])
    assert result.exit_code == 0, result.output
    assert "3 skills, 3 re-rendered" in result.output
    page = (tmp_path / "out/skills/beta-sql/index.html").read_text()
    assert "https://mcp.example.com/mcp" in page and 'href="/sub/assets/site.css"' in page


def test_user_errors_are_one_line_and_exit_2(runner, catalog_repo, in_dir, tmp_path: Path) -> None:
    in_dir(catalog_repo.path)
    result = runner.invoke(main, ["build", "--out", str(tmp_path / "o"), "--rev", "nope"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")
    result = runner.invoke(main, ["build", "--out", str(tmp_path / "o"), "--usage", str(tmp_path / "none")])
    assert result.exit_code == 2 and "usage export" in result.output


def test_every_command_has_help(runner) -> None:
    for name in ("build", "serve-site"):
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


@needs_node
def test_serve_site_serves_files_and_the_404_page(build_site, tmp_path: Path) -> None:
    build_site()
    server = serve(tmp_path / "site", "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(base + "/skills/beta-sql/index.html") as response:
            assert response.status == 200 and b"beta-sql" in response.read()
        try:
            urllib.request.urlopen(base + "/no/such/page")
            raise AssertionError("expected 404")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404 and b"Page not found" in exc.read()
            exc.close()
    finally:
        server.shutdown()
        server.server_close()


def test_serve_site_without_a_build_is_a_clear_error(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["serve-site", "--dir", str(tmp_path)])
    assert result.exit_code == 2 and "run `relay build" in result.output

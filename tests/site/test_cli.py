"""`relay build` and `relay serve-site` through the real `relay` group: options, errors, exit codes."""

from __future__ import annotations

import http.client
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


@needs_node
def test_serve_site_answers_several_requests_on_one_connection(build_site, tmp_path: Path) -> None:
    """HTTP/1.1 keep-alive: files, the 404 page (a missing path, GET and HEAD) and a bundled file
    in turn on one connection, each with its length and its own headers (a 404 answered on a
    connection does not give the next answer a page's headers)."""
    build_site()
    site = tmp_path / "site"
    server = serve(site, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    not_found = (site / "404.html").read_bytes()
    try:
        connection.connect()
        sock = connection.sock
        answers = []
        for method, path in [("GET", "/index.html"), ("GET", "/no/such/page"), ("HEAD", "/no/such/page"),
                             ("GET", "/raw/alpha-review/assets/logo.png"),
                             ("GET", "/assets/search-index.js")]:
            connection.request(method, path)
            response = connection.getresponse()
            body = response.read()
            assert connection.sock is sock, f"{method} {path} closed the connection"
            assert response.version == 11 and response.getheader("Connection") != "close"
            answers.append((response.status, response.getheader("Content-Length"), body,
                            response.getheader("Content-Security-Policy")))
        page, missing, head, raw, index = answers
        assert page[0] == 200 and int(page[1]) == len(page[2]) == (site / "index.html").stat().st_size
        assert missing[:3] == (404, str(len(not_found)), not_found) and "sandbox" not in missing[3]
        assert head[:3] == (404, str(len(not_found)), b"")
        assert raw[0] == 200 and raw[2] == b"\x89PNG\r\n\x1a\n\0\0\0binary" and "sandbox" in raw[3]
        assert index[0] == 200 and index[2] == (site / "assets/search-index.js").read_bytes()
        assert "sandbox" not in index[3] and "script-src 'self'" in index[3]
    finally:
        connection.close()
        server.shutdown()
        server.server_close()


def test_serve_site_without_a_build_is_a_clear_error(runner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["serve-site", "--dir", str(tmp_path)])
    assert result.exit_code == 2 and "run `relay build" in result.output


def test_kept_search_counts_that_do_not_read_are_one_clear_line(runner, catalog_repo, in_dir,
                                                                  tmp_path: Path) -> None:
    """Term counts of the right size and header whose columns do not hold together (edited by
    hand): the build that needs them stops with one line saying to build with --clean, which
    then works."""
    from builder import paths
    from registry.search.counts import TermCounts

    from ..conftest import skill_md

    in_dir(catalog_repo.path)
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", "--out", str(out)]).exit_code == 0
    kept = TermCounts.loads((out / paths.SEARCH_COUNTS).read_bytes())
    assert kept is not None
    damaged = TermCounts(kept.vocab, kept.term, kept.doc[::-1].copy(), kept.counts, kept.lengths,
                         kept.deprecated)  # items no longer in order: the same size, not counts
    (out / paths.SEARCH_COUNTS).write_bytes(damaged.dumps())
    catalog_repo.commit({"skills/gamma-new/SKILL.md": skill_md("gamma-new", body="# Gamma\n")})
    result = runner.invoke(main, ["build", "--out", str(out)])
    assert result.exit_code != 0 and result.output.count("\n") == 1, result.output
    assert result.output.startswith("Error: ") and "--clean" in result.output
    result = runner.invoke(main, ["build", "--out", str(out), "--clean"])
    assert result.exit_code == 0, result.output

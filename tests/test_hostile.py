"""Every command over the hostile corpus (tests/hostile.py): no hang, no traceback, no write outside
the output, no raw control character on a terminal. Commands run as real processes with a
time bound, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from registry.catalog import Registry
from registry.safepath import UnsafePath, check_path, printable
from registry.skillmd import parse_skill_md

from .conftest import RepoBuilder, skill_md, write_files
from .hostile import alias_bomb, commit_traversal_tree, hostile_skills

RELAY = [str(Path(sys.executable).parent / "relay")]
BOUND = 120  # seconds: far above any honest run; only a hang reaches it
RAW_CONTROLS = ("\x1b", "\x07", "\u202e")


def relay(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*RELAY, *args], cwd=cwd, capture_output=True, text=True, timeout=BOUND)


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    """A clear outcome: no traceback, and no control character reaching the terminal."""
    assert "Traceback" not in result.stderr, result.stderr
    for ch in RAW_CONTROLS:
        assert ch not in result.stdout and ch not in result.stderr, (ch, result.stdout, result.stderr)


@pytest.fixture
def hostile_repo(make_repo) -> RepoBuilder:
    builder = make_repo([{"skills/good/SKILL.md": skill_md("good")}, hostile_skills()])
    commit_traversal_tree(builder)
    return builder


@pytest.mark.parametrize("flow", [False, True], ids=["mapping", "flow-list"])
def test_alias_bomb_is_refused_before_expansion(flow: bool) -> None:
    parsed = parse_skill_md(alias_bomb("bomb", flow=flow).encode(), "skills/bomb/SKILL.md")
    assert parsed.frontmatter is None
    aliases = [d for d in parsed.diagnostics if d.code == "SK012" and "alias" in d.message]
    # line 6 is `  x1: &x1 [*x0, ...` or `  x1: &x1 {k0: *x0, ...`
    assert aliases and (aliases[0].line, aliases[0].column) == (6, 12 if flow else 16)
    assert "not read while it uses aliases" in aliases[0].message


def test_an_anchor_without_alias_still_parses() -> None:
    text = "---\nname: a\ndescription: &d Use when testing.\n---\n"
    parsed = parse_skill_md(text.encode(), "SKILL.md")
    assert parsed.frontmatter == {"name": "a", "description": "Use when testing."}
    assert [d.code for d in parsed.diagnostics] == ["SK012"]


@pytest.mark.parametrize("path", ["..", "a/../b", "a\\b", "..\\..\\x", "/etc/passwd", "C:/x", "a//b",
                                  "./a", "a/.git/config", ".GIT/x", "esc\x1b[2Jx", "rtl\u202etxt.exe",
                                  "nul\x00", "", "a/"])
def test_the_path_guard_refuses(path: str) -> None:
    with pytest.raises(UnsafePath):
        check_path(path)


@pytest.mark.parametrize("path", ["SKILL.md", "references/guide.md", ".claude-plugin/plugin.json",
                                  "a b/ü.md", ".gitignore", "x..y"])
def test_the_path_guard_keeps_plain_paths(path: str) -> None:
    assert check_path(path) == path


def test_printable_escapes_controls_and_keeps_text() -> None:
    assert printable("a\x1b[2Jb\u202ec\x07\n\td") == "a\\x1b[2Jb\\u202ec\\x07\n\td"
    assert printable("plain ü text") == "plain ü text"


def test_validate_reports_the_committed_tree(hostile_repo: RepoBuilder) -> None:
    evil = relay("validate", cwd=hostile_repo.path)  # the whole skills folder, as CI runs it
    assert_clean(evil)
    assert evil.returncode == 1
    assert any(line.startswith("skills/..:1:1: SK313") for line in evil.stdout.splitlines())
    # The work tree has no `skills/evil` files git would write for `..` entries, but the
    # committed tree holds them; each is reported with its escaped name.
    for name in ("skills/evil/..:", "skills/evil/..\\..\\..\\win-evil.txt:",
                 "skills/evil/esc\\x1b[31mred.txt:", "skills/escapes/esc\\x1b[31mred.md:"):
        assert any(line.startswith(name) for line in evil.stdout.splitlines()), (name, evil.stdout)
    assert "SK112" in evil.stdout and "SK012" in evil.stdout


def test_the_catalog_leaves_out_what_the_guard_refuses(hostile_repo: RepoBuilder) -> None:
    registry = Registry(hostile_repo.path)
    try:
        catalog = registry.catalog()
        files = [f.path for f in catalog.get("evil").files]
        assert files == ["SKILL.md"]
        assert ".." in catalog.broken and "evil" in catalog.skills
        tree = registry.tree(catalog.get("evil").latest)  # type: ignore[arg-type]
        assert [f.path for f in tree.files()] == ["SKILL.md"]
        assert {p for p, _ in tree.unsafe} == {"..", "..\\..\\..\\win-evil.txt", "esc\x1b[31mred.txt"}
    finally:
        registry.close()


def test_build_writes_only_inside_out(hostile_repo: RepoBuilder, tmp_path: Path) -> None:
    site = tmp_path / "nest" / "deeper" / "site"
    before = {p for p in tmp_path.rglob("*")}
    result = relay("build", "--out", str(site), cwd=hostile_repo.path)
    assert_clean(result)
    assert result.returncode == 0, result.stderr
    git_dir = hostile_repo.path / ".git"  # the version index lives there, by design
    outside = {p for p in tmp_path.rglob("*")
               if site not in p.parents and p != site and git_dir not in p.parents} - before
    assert outside == {tmp_path / "nest", tmp_path / "nest" / "deeper"}
    assert not list(tmp_path.rglob("pwned.txt")) and not list(tmp_path.rglob("*win-evil*"))
    for archive in site.rglob("*.zip"):
        for name in zipfile.ZipFile(archive).namelist():
            check_path(name)


@pytest.mark.parametrize("command", [["list"], ["list", "--format", "json"], ["show", "escapes"],
                                     ["show", "scripted"], ["show", "evil", "--files"],
                                     ["versions", "escapes"], ["show", "bomb-map"],
                                     ["show", "good", "--file", "../../../etc/passwd"]])
def test_every_command_ends_cleanly(hostile_repo: RepoBuilder, command: list[str]) -> None:
    result = relay(*command, cwd=hostile_repo.path)
    assert_clean(result)
    assert result.returncode in (0, 1, 2)


def test_printable_and_json_safe_escape_exactly_the_control_characters() -> None:
    """The fast paths escape what `is_control` names (Unicode category Cc, bidi controls), no more."""
    import json
    import unicodedata

    from registry.safepath import json_safe, printable

    for code in range(0x3000):
        ch = chr(code)
        control = ch not in "\n\t" and (unicodedata.category(ch) == "Cc" or 0x2066 <= code <= 0x2069
                                        or code in (0x061C, 0x200E, 0x200F) or 0x202A <= code <= 0x202E)
        assert (printable(f"a{ch}b") != f"a{ch}b") == control, hex(code)
        assert json.loads(json_safe(json.dumps(f"a{ch}b", ensure_ascii=False))) == f"a{ch}b"
    assert printable("x\x1b[31my\u202e") == "x\\x1b[31my\\u202e"


@pytest.fixture
def broken_tip_repo(make_repo) -> RepoBuilder:
    """`keeper` reads at its first two versions; the third commit breaks its SKILL.md."""
    return make_repo([{"skills/keeper/SKILL.md": skill_md("keeper", "First. Use when testing."),
                       "skills/other/SKILL.md": skill_md("other")},
                      {"skills/keeper/SKILL.md": skill_md("keeper", "Second. Use when testing.")},
                      {"skills/keeper/SKILL.md": "---\nname: keeper\ndescription: [unclosed\n---\n"}])


def test_a_broken_tip_keeps_the_last_good_version(broken_tip_repo: RepoBuilder) -> None:
    registry = Registry(broken_tip_repo.path)
    try:
        catalog = registry.catalog()
        keeper = catalog.get("keeper")
        assert keeper.description == "Second. Use when testing."
        assert len(keeper.versions) == 2 and keeper.broken_tip is not None
        assert registry.versions("keeper")[-1].tree_id == keeper.broken_tip.tree_id  # still listed
        assert catalog.tip_broken == ["keeper"] and catalog.broken == []
    finally:
        registry.close()
    listing = relay("list", cwd=broken_tip_repo.path)
    assert_clean(listing)
    assert listing.returncode == 0 and "keeper" in listing.stdout
    assert "unreadable at the tip" in listing.stderr


@pytest.mark.anyio
async def test_a_broken_tip_keeps_the_skill_over_mcp(broken_tip_repo: RepoBuilder) -> None:
    from mcp import Client

    from mcp_server.app import Relay
    from mcp_server.options import ServerOptions

    registry = Registry(broken_tip_repo.path)
    first = registry.versions("keeper")[0]
    registry.close()
    relay_server = Relay(ServerOptions(repo=broken_tip_repo.path, db=None, poll=0))
    relay_server.holder.refresh()
    async with Client(relay_server.mcp) as client:
        latest = await client.call_tool("get_skill", {"name": "keeper"})
        pinned = await client.call_tool("get_skill", {"name": "keeper", "version": first.tree_id})
        listed = await client.call_tool("list_skills", {})
    assert not latest.is_error and "Second." in latest.content[1].text  # type: ignore[union-attr]
    assert not pinned.is_error and "First." in pinned.content[1].text  # type: ignore[union-attr]
    assert "keeper" in listed.content[0].text  # type: ignore[union-attr]


def test_a_broken_tip_is_marked_on_the_site(broken_tip_repo: RepoBuilder, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = relay("build", "--out", str(site), cwd=broken_tip_repo.path)
    assert result.returncode == 0, result.stderr
    page = (site / "skills/keeper/index.html").read_text(encoding="utf-8")
    assert "Second. Use when testing." in page and "does not read" in page
    assert "last good version" in (site / "index.html").read_text(encoding="utf-8")


def test_changed_since_reports_the_committed_tree_of_a_changed_skill(make_repo) -> None:
    """A pull request's check reads the committed tree of the skills it changed while `git status`
    still runs (issue 12): the crafted names are reported as by the whole-folder run."""
    builder = make_repo([{"skills/good/SKILL.md": skill_md("good")}])
    base = str(builder.repo.head.target)
    commit_traversal_tree(builder)
    write_files(builder.path, {"skills/evil/SKILL.md": skill_md("evil")})  # what a checkout can show
    checked = relay("validate", "--changed-since", base, cwd=builder.path)
    assert_clean(checked)
    assert checked.returncode == 1
    for name in ("skills/evil/..:", "skills/evil/..\\..\\..\\win-evil.txt:",
                 "skills/evil/esc\\x1b[31mred.txt:"):
        assert any(line.startswith(name) for line in checked.stdout.splitlines()), (name, checked.stdout)

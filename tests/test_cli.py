"""The `relay` command: exit codes, output formats, and errors as one clear line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.cli import main

from .conftest import skill_md, write_files

BROKEN = skill_md("bad").replace("name: bad", "name: Bad")


@pytest.fixture
def repo(make_repo, in_dir):
    b = make_repo([{"skills/good/SKILL.md": skill_md("good", version="1.0.0"),
                    "skills/other/SKILL.md": skill_md("other")},
                   {"skills/good/SKILL.md": skill_md("good", body="v2\n", version="1.1.0")}])
    in_dir(b.path)
    return b


def test_validate_clean_repository_exits_0(runner, repo) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "OK: 2 skills checked, 0 errors, 0 warnings"


def test_validate_broken_skill_prints_location_code_message_and_hint(runner, repo) -> None:
    write_files(repo.path, {"skills/bad/SKILL.md": BROKEN})
    result = runner.invoke(main, ["validate", "skills/bad"])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("skills/bad/SKILL.md:2:7: SK102 name 'Bad' must be lowercase")
    assert lines[1].startswith("  hint: ")
    assert lines[-1] == "FAILED: 1 skill checked, 2 errors, 0 warnings"


def test_warnings_do_not_fail(runner, repo) -> None:
    write_files(repo.path, {"skills/terse/SKILL.md": skill_md("terse", description="Terse.")})
    result = runner.invoke(main, ["validate", "skills/terse/SKILL.md"])
    assert result.exit_code == 0
    assert "SK111 warning:" in result.output


def test_github_annotations(runner, repo) -> None:
    write_files(repo.path, {"skills/bad/SKILL.md": BROKEN})
    result = runner.invoke(main, ["validate", "--format", "github"])
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith("::error file=skills/bad/SKILL.md,line=2,col=7,"
                            "title=SK102 invalid-name::name 'Bad' must be")
    assert "%0Ahint: " in first  # newlines escaped so one annotation stays on one line


def test_json_and_sarif(runner, repo) -> None:
    write_files(repo.path, {"skills/bad/SKILL.md": BROKEN})
    data = json.loads(runner.invoke(main, ["validate", "--format", "json"]).output)
    assert data["errors"] == 2 and data["skills_checked"] == 3
    assert data["diagnostics"][0]["code"] == "SK102"
    sarif = json.loads(runner.invoke(main, ["validate", "--format", "sarif"]).output)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    result = run["results"][0]
    assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == "SK102"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 7)


def test_output_file(runner, repo, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    result = runner.invoke(main, ["validate", "--format", "sarif", "-o", str(out)])
    assert result.exit_code == 0
    assert json.loads(out.read_text())["runs"][0]["results"] == []


def test_changed_since_validates_only_changed_skills(runner, repo) -> None:
    base = str(repo.repo.head.target)
    write_files(repo.path, {"skills/other/SKILL.md": skill_md("other", body="changed\n")})
    repo.commit({}, "touch other")
    write_files(repo.path, {"skills/new/SKILL.md": skill_md("new")})  # untracked
    result = runner.invoke(main, ["validate", "--changed-since", base, "--format", "json"])
    data = json.loads(result.output)
    assert data["skills"] == ["skills/new", "skills/other"]
    assert result.exit_code == 0
    result = runner.invoke(main, ["validate", "--changed-since", "HEAD"])
    assert "1 skill checked" in result.output


def test_changed_since_reports_committed_and_uncommitted_skills_once(runner, repo) -> None:
    """Committed changes are validated while `git status` runs, the rest after: one report."""
    base = str(repo.repo.head.target)
    repo.commit({"skills/bad/SKILL.md": BROKEN}, "add a broken skill")
    write_files(repo.path, {"skills/worse/SKILL.md": BROKEN.replace("Bad", "Worse")})  # untracked
    result = runner.invoke(main, ["validate", "--changed-since", base, "--format", "json"])
    data = json.loads(result.output)
    assert data["skills"] == ["skills/bad", "skills/worse"]
    sk102 = [d["path"] for d in data["diagnostics"] if d["code"] == "SK102"]
    assert sk102 == ["skills/bad/SKILL.md", "skills/worse/SKILL.md"]
    only = runner.invoke(main, ["validate", "--changed-since", base, "skills/bad", "--format", "json"])
    assert json.loads(only.output)["skills"] == ["skills/bad"]


def test_usage_errors_exit_2_with_one_line(runner, repo, tmp_path: Path) -> None:
    cases = [
        (["validate", "--changed-since", "no-such-branch"], "unknown revision 'no-such-branch'"),
        (["validate", "missing/path"], "missing/path: no such file or directory"),
        (["versions", "nope"], "no skill named 'nope'"),
        (["show", "good@9.9.9"], "good has no version '9.9.9'; `relay versions good` lists them"),
        (["list", "--rev", "v0"], "unknown revision 'v0'"),
        (["list", "--repo", str(tmp_path)], "is not inside a git repository"),
        (["new", "Bad_Name"], "invalid skill name 'Bad_Name'"),
        (["validate", "--format", "xml"], "Invalid value for '--format'"),
    ]
    for args, message in cases:
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_list_show_versions_diff(runner, repo) -> None:
    listing = runner.invoke(main, ["list"])
    assert listing.exit_code == 0
    assert listing.output.splitlines()[0].startswith("good")
    assert " 2v " in listing.output.splitlines()[0]
    data = json.loads(runner.invoke(main, ["list", "--format", "json"]).output)
    assert [s["name"] for s in data["skills"]] == ["good", "other"]

    shown = runner.invoke(main, ["show", "good@1.0.0"])
    assert shown.exit_code == 0 and "name: good" in shown.output and "v2" not in shown.output
    assert "v2" in runner.invoke(main, ["show", "good"]).output
    files = runner.invoke(main, ["show", "good", "--files"]).output
    assert files.split() == [str(len(skill_md("good", body="v2\n", version="1.1.0"))), "SKILL.md"]

    versions = runner.invoke(main, ["versions", "good"]).output.splitlines()
    assert len(versions) == 2 and "commit 2" in versions[0]
    diff = runner.invoke(main, ["diff", "good", "1.0.0", "1.1.0"]).output
    assert '-  version: "1.0.0"' in diff and "+v2" in diff


def test_new_scaffolds_a_skill_that_validates(runner, repo) -> None:
    result = runner.invoke(main, ["new", "release-helper", "--owner", "dev-experience",
                                  "--tags", "release, notes", "--description",
                                  "Drafts release notes. Use when a release is cut."])
    assert result.exit_code == 0, result.output
    assert (repo.path / "skills/release-helper/SKILL.md").is_file()
    check = runner.invoke(main, ["validate", "skills/release-helper"])
    assert check.exit_code == 0 and "0 errors, 0 warnings" in check.output, check.output
    again = runner.invoke(main, ["new", "release-helper"])
    assert again.exit_code == 2 and "already exists" in again.output


def test_every_command_has_help(runner) -> None:
    for name, command in main.commands.items():
        assert command.help, name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_installed_relay_script(repo) -> None:
    script = shutil.which("relay") or str(Path(sys.executable).parent / "relay")
    write_files(repo.path, {"skills/bad/SKILL.md": BROKEN})
    proc = subprocess.run([script, "validate"], cwd=repo.path, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1
    assert proc.stdout.startswith("skills/bad/SKILL.md:2:7: SK102")
    proc = subprocess.run([script, "show", "nope"], cwd=repo.path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == "Error: no skill named 'nope'\n"


# What each start path may load. The heavy libraries are named here, not derived from the code:
# libgit2's bindings, the JSON Schema validator, the site's and the service's stacks.
HEAVY = ("pygit2", "jsonschema", "jinja2", "markdown_it", "pygments", "mcp", "starlette", "duckdb")


def _modules_after(code: str, cwd: Path) -> set[str]:
    """The modules, and their top-level packages, loaded after running `code` in a fresh interpreter."""
    probe = (f"{code}\nimport sys\n"
             "print(' '.join(sorted({*sys.modules, *(m.split('.')[0] for m in sys.modules)})))")
    proc = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.split()[-1:] and proc.stdout.splitlines()[-1].split())


def test_version_and_help_load_no_heavy_library(tmp_path: Path) -> None:
    """`--help` loads the plugin commands' modules (for their help): not what they run."""
    for args in (["--version"], ["--help"]):
        code = ("from click.testing import CliRunner\nfrom registry.cli import main\n"
                f"assert CliRunner().invoke(main, {args!r}).exit_code == 0")
        loaded = _modules_after(code, tmp_path)
        assert not loaded & {*HEAVY, "yaml", "fastjsonschema", "urllib.request", "ssl", "logging"}, args


def _script_loads(*args: str, cwd: Path) -> tuple[str, set[str]]:
    """The output of the installed `relay` script, as a user runs it, and the modules it imported.

    PYTHONPROFILEIMPORTTIME makes the interpreter list every import on stderr: what the
    console script itself loads, which CliRunner inside an interpreter cannot show.
    """
    script = shutil.which("relay") or str(Path(sys.executable).parent / "relay")
    proc = subprocess.run([script, *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"})
    assert proc.returncode == 0, proc.stderr
    names = {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
             if line.startswith("import time:") and "|" in line}
    return proc.stdout, {*names, *(n.split(".")[0] for n in names)}


def test_installed_version_imports_nothing_but_the_version(tmp_path: Path) -> None:
    """`relay --version` prints the constant pyproject.toml reads, before click loads (issue 12)."""
    from importlib.metadata import version

    out, loaded = _script_loads("--version", cwd=tmp_path)
    assert out == f"relay, version {version('relay-registry')}\n"
    assert CliRunner().invoke(main, ["--version"]).output == out  # the click group says the same
    assert {n for n in loaded if n.startswith("registry")} == {"registry", "registry.entry"}
    assert not loaded & {*HEAVY, "click", "importlib.metadata", "yaml", "subprocess"}


def test_installed_help_loads_no_heavy_library(tmp_path: Path) -> None:
    out, loaded = _script_loads("--help", cwd=tmp_path)
    assert "validate" in out and "build" in out and "serve" in out  # plugin commands listed
    assert not loaded & {*HEAVY, "yaml", "fastjsonschema", "urllib.request", "ssl", "logging"}


def _script(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """The installed `relay` script's run, and the modules it imported, in the order it did."""
    script = shutil.which("relay") or str(Path(sys.executable).parent / "relay")
    proc = subprocess.run([script, *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"})
    imported = [line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines()
                if line.startswith("import time:") and "|" in line]
    stderr = "".join(line + "\n" for line in proc.stderr.splitlines() if not line.startswith("import time:"))
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout, stderr), imported


def test_validate_paths_alone_answer_as_the_click_command_without_click(repo) -> None:
    """`relay validate [PATH...]` (the pre-commit hook's command line) skips click (issue 12): the
    same output, errors and exit status as the click command, whose options it leaves alone."""
    write_files(repo.path, {"skills/bad/SKILL.md": BROKEN.replace("\n---", "\n---\nSee [x](gone.md).", 1),
                            "skills/escape/SKILL.md": skill_md("escape", body="Plain.\n")
                            .replace("escape\n", "esc\x1bape\n", 1)})
    runner = CliRunner()
    cases = [([], 1), (["skills/good"], 0), (["skills/good/SKILL.md", "skills/other"], 0),
             (["skills/bad/SKILL.md"], 1), (["skills/escape"], 1), (["skills/nope"], 2),
             (["skills/good", "skills/nope"], 2)]
    for args, exit_code in cases:
        proc, imported = _script("validate", *args, cwd=repo.path)
        clicked = runner.invoke(main, ["validate", *args])
        assert (proc.returncode, clicked.exit_code) == (exit_code, exit_code), (args, proc.stderr)
        assert (proc.stdout, proc.stderr) == (clicked.stdout, clicked.stderr), args
        assert "click" not in imported, args
    assert "\x1b" not in _script("validate", "skills/escape", cwd=repo.path)[0].stdout  # escaped
    assert _script("validate", "skills/nope", cwd=repo.path)[0].stderr == \
        "Error: skills/nope: no such file or directory\n"
    # Any option goes to click, which defines them all.
    for args in (["--format", "json", "skills/good"], ["-j", "1", "skills/good"]):
        proc, imported = _script("validate", *args, cwd=repo.path)
        assert proc.returncode == 0 and "click" in imported, args
        assert proc.stdout == runner.invoke(main, ["validate", *args]).stdout, args
    proc, imported = _script("validate", "skills/good", "--help", cwd=repo.path)
    assert proc.stdout.startswith("Usage: relay validate [OPTIONS] [PATHS]...") and "click" in imported


def test_changed_since_runs_without_click_and_starts_git_status_first(repo) -> None:
    """A pull request's check, `relay validate --changed-since REV [PATH...]`, skips click too, and
    git walks the work tree while Python imports the validator (issue 12); with any other option
    click reads the command line, after git has started."""
    base = str(repo.repo.head.target)
    repo.commit({"skills/other/SKILL.md": skill_md("other", body="changed\n")}, "touch other")
    write_files(repo.path, {"skills/new/SKILL.md": BROKEN.replace("bad", "new")})
    runner = CliRunner()
    for args in (["--changed-since", base], [f"--changed-since={base}"],
                 ["skills/new", "--changed-since", base]):
        proc, imported = _script("validate", *args, cwd=repo.path)
        assert proc.returncode == 1 and proc.stdout.startswith("skills/new/SKILL.md:2:7: SK102"), args
        assert proc.stdout == runner.invoke(main, ["validate", *args]).stdout, args
        assert "click" not in imported and imported.index("subprocess") < imported.index("yaml"), args
    assert "2 skills checked" in _script("validate", "--changed-since", base, cwd=repo.path)[0].stdout
    proc, imported = _script("validate", "--changed-since", base, "--format", "json", cwd=repo.path)
    assert proc.returncode == 1 and json.loads(proc.stdout)["errors"] > 0
    assert imported.index("subprocess") < imported.index("click")
    for args in (["--changed-since"], ["--changed-since", base, "--changed-since", base],
                 ["--changed-since", "--format"]):  # what click reads its own way
        proc, imported = _script("validate", *args, cwd=repo.path)
        assert proc.returncode == runner.invoke(main, ["validate", *args]).exit_code and "click" in imported
    proc, _ = _script("validate", "--changed-since", "no-such-rev", cwd=repo.path)
    assert (proc.returncode, proc.stderr) == (2, "Error: unknown revision 'no-such-rev'\n")


def _validate_loads(repo, *args: str, exit_code: int = 0) -> set[str]:
    code = ("from click.testing import CliRunner\nfrom registry.cli import main\n"
            f"result = CliRunner().invoke(main, ['validate', *{args!r}])\n"
            f"assert result.exit_code == {exit_code}, result.output")
    return _modules_after(code, repo.path)


def test_validate_path_loads_only_what_the_skill_needs(repo) -> None:
    """The pre-commit hook validates the staged files' skills on disk (issue 12).

    A valid frontmatter is answered by the code fastjsonschema generated ahead of time
    (fastjsonschema itself does not load): jsonschema loads only to explain an error,
    markdown-it only for markdown with a link that may be broken, and libgit2 and the
    site's and service's stacks never.
    """
    write_files(repo.path, {
        "skills/plain/SKILL.md": skill_md("plain", body="# Steps\n\n- [ ] tick [this] box\n"),
        "skills/linked/SKILL.md": skill_md("linked", body="See [the guide](guide.md).\n"),
        "skills/linked/guide.md": "# Guide\n",
        "skills/wrong/SKILL.md": BROKEN.replace("Bad", "Wrong"),
    })
    plain = _validate_loads(repo, "skills/plain/SKILL.md")
    assert "registry.schemas.generated.frontmatter_portable" in plain  # it did validate
    assert not plain & {*HEAVY, "fastjsonschema", "decimal", "registry.kinds", "registry.marketplace"}
    linked = _validate_loads(repo, "skills/linked/SKILL.md", "skills/linked/guide.md")
    assert not linked & {"markdown_it", "jsonschema", "pygit2"}  # its plain links all resolve
    write_files(repo.path, {"skills/linked/guide.md": "# Guide\n\nSee [gone](gone.md).\n"})
    broken = _validate_loads(repo, "skills/linked", exit_code=1)
    assert "markdown_it" in broken  # to say where the broken link is
    assert not broken & {"jsonschema", "pygit2"}
    wrong = _validate_loads(repo, "skills/wrong", exit_code=1)
    assert "jsonschema" in wrong  # to say what is wrong
    assert not wrong & {"pygit2", "jinja2", "pygments", "mcp", "duckdb"}


def test_changed_since_loads_neither_libgit2_nor_jsonschema(repo) -> None:
    """A pull request's check asks the git command, not libgit2, what changed (issue 12)."""
    base = str(repo.repo.head.target)
    repo.commit({"skills/other/SKILL.md": skill_md("other", body="changed\n")}, "touch other")
    write_files(repo.path, {"skills/new/SKILL.md": skill_md("new")})
    loaded = _validate_loads(repo, "--changed-since", base)
    assert "registry.schemas.generated.frontmatter_portable" in loaded  # it did validate
    assert not loaded & set(HEAVY), loaded & set(HEAVY)
    assert "registry.kinds" not in loaded  # no plugins/, agents/... here: no item to check


def test_a_revert_shows_the_content_on_main(runner, repo) -> None:
    """A -> B -> A: `relay show` prints A, and the history lists A twice."""
    repo.commit({"skills/good/SKILL.md": skill_md("good", body="B body\n")}, "B")
    repo.commit({"skills/good/SKILL.md": skill_md("good", body="v2\n", version="1.1.0")},
                "A again")
    shown = runner.invoke(main, ["show", "good"])
    assert shown.exit_code == 0 and "v2" in shown.output and "B body" not in shown.output
    lines = runner.invoke(main, ["versions", "good"]).output.splitlines()
    assert "A again" in lines[0] and "B" in lines[1]
    assert len(lines) == 4


def test_a_contributor_sees_their_branch_with_rev(runner, repo) -> None:
    """A skill that exists only on a branch: --rev and NAME@<commit> find it."""
    base = str(repo.repo.head.target)
    commit = repo.commit({"skills/fresh/SKILL.md": skill_md("fresh", body="new skill\n")},
                         "add fresh", parents=[base], ref="refs/heads/feature")
    repo.repo.set_head("refs/heads/main")
    assert runner.invoke(main, ["versions", "fresh"]).exit_code == 2
    listed = runner.invoke(main, ["versions", "fresh", "--rev", "feature"])
    assert listed.exit_code == 0 and "add fresh" in listed.output
    shown = runner.invoke(main, ["show", f"fresh@{commit[:10]}"])
    assert shown.exit_code == 0 and "new skill" in shown.output, shown.output
    assert "new skill" in runner.invoke(main, ["show", "fresh", "--rev", "feature"]).output
    names = json.loads(runner.invoke(main, ["list", "--rev", "feature", "--format", "json"]).output)
    assert [s["name"] for s in names["skills"]] == ["fresh", "good", "other"]
    # An edit of a skill on main, made on the branch: its commit reads the branch's content.
    edit = repo.commit({"skills/good/SKILL.md": skill_md("good", body="branch edit\n")},
                       "edit good", parents=[commit], ref="refs/heads/feature")
    repo.repo.set_head("refs/heads/main")
    assert "branch edit" in runner.invoke(main, ["show", f"good@{edit}"]).output
    data = json.loads(runner.invoke(main, ["show", f"good@{edit[:8]}", "--format", "json"]).output)
    assert data["commit_id"] == edit
    diff = runner.invoke(main, ["diff", "good", "1.1.0", edit[:8]])
    assert "+branch edit" in diff.output and "-v2" in diff.output
    on_branch = runner.invoke(main, ["diff", "good", "1.1.0", edit[:8], "--rev", "feature"])
    assert "+branch edit" in on_branch.output

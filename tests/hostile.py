"""A hostile corpus, generated in tmp dirs: skills a pull-request author could commit to hurt
whoever validates, builds or serves the registry. Shared by the hostile tests of the CLI, the
site and the service; nothing here is hand-written into the repository as files.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pygit2

from .conftest import BASE_TIME, RepoBuilder, skill_md


def alias_bomb(name: str, flow: bool = False) -> str:
    """Ten aliases of ten aliases, eight levels deep: 10^8 values once expanded."""
    lines = ["---", f"name: {name}", "description: Expands forever. Use when testing.", "metadata:",
             '  x0: &x0 "lol"']
    for level in range(1, 9):
        refs = [f"*x{level - 1}"] * 10
        if flow:
            lines.append(f"  x{level}: &x{level} [{', '.join(refs)}]")
        else:
            keys = ", ".join(f"k{i}: {ref}" for i, ref in enumerate(refs))
            lines.append(f"  x{level}: &x{level} {{{keys}}}")
    return "\n".join(lines) + "\n---\n\nBody\n"


def hostile_skills() -> dict[str, str | bytes]:
    """Skill files that must be refused or neutralised, never run, expanded or followed."""
    markdown = ("# Steps\n\n<script>alert('md')</script>\n\n<img src=x onerror=alert('img')>\n\n"
                "[click](javascript:alert('link'))\n\n![internal](http://127.0.0.1:9/probe.png)\n\n"
                "<iframe src=\"javascript:alert('frame')\"></iframe>\n\n![logo](evil.svg)\n")
    return {
        "skills/bomb-map/SKILL.md": alias_bomb("bomb-map"),
        "skills/bomb-flow/SKILL.md": alias_bomb("bomb-flow", flow=True),
        # YAML escapes (`\\e` is ESC) reach the parsed value; raw ones are a YAML error (SK008).
        "skills/escapes/SKILL.md": skill_md("escapes", '"Rings \\a, clears \\e[2J, \\u202eflips. '
                                            'Use when testing."'),
        "skills/escapes/esc\x1b[31mred.md": "A file name with a terminal escape.\n",
        "skills/scripted/SKILL.md": skill_md("scripted", body=markdown),
        # Not UTF-8 (\xff): the page cannot show it, so the site keeps a copy under raw/, as it does
        # of the SVG that SKILL.md shows as an image; both must be served inert.
        "skills/scripted/evil.html": b"<html><body><script>alert('html')</script>\xff</body></html>\n",
        "skills/scripted/evil.svg": ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'svg\')">'
                                     "<script>alert('svg-script')</script></svg>\n"),
        "skills/deep/SKILL.md": "---\nname: deep\ndescription: " + "[" * 5000 + "\n---\n",
    }


def mktree(repo_path: Path, entries: list[tuple[str, str, str, str]]) -> str:
    """A tree made by `git mktree` (mode, type, id, name): it accepts names `git add` never makes."""
    lines = "".join(f"{mode} {kind} {oid}\t{name}\n" for mode, kind, oid, name in entries)
    result = subprocess.run(["git", "mktree"], cwd=repo_path, input=lines, capture_output=True,
                            text=True, check=True)
    return result.stdout.strip()


def commit_traversal_tree(builder: RepoBuilder, skill: str = "evil") -> str:
    """Commit `skills/<skill>/` holding `..` (a folder with pwned.txt) and `..\\..\\..\\win-evil.txt`
    on top of the current tip, as a crafted pull request would; returns the commit id."""
    repo = builder.repo
    pwned = str(repo.create_blob(b"pwned\n"))
    md = str(repo.create_blob(skill_md(skill).encode()))
    up = mktree(builder.path, [("100644", "blob", pwned, "pwned.txt")])
    up_up = mktree(builder.path, [("040000", "tree", up, "..")])
    evil = mktree(builder.path, [("040000", "tree", up_up, ".."), ("100644", "blob", md, "SKILL.md"),
                                 ("100644", "blob", pwned, "..\\..\\..\\win-evil.txt"),
                                 ("100644", "blob", pwned, "esc\x1b[31mred.txt")])
    head = repo.head.peel(pygit2.Commit)
    skills = repo[head.tree["skills"].id]
    entries = [(("040000" if e.filemode == pygit2.GIT_FILEMODE_TREE else f"{e.filemode:o}"),
                e.type_str, str(e.id), e.name or "") for e in skills if e.name != skill]
    skills_id = mktree(builder.path, [*entries, ("040000", "tree", evil, skill),
                                      ("040000", "tree", up, "..")])
    top = [(("040000" if e.filemode == pygit2.GIT_FILEMODE_TREE else f"{e.filemode:o}"), e.type_str,
            str(e.id), e.name or "") for e in head.tree if e.name != "skills"]
    root = mktree(builder.path, [*top, ("040000", "tree", skills_id, "skills")])
    sig = pygit2.Signature("Mallory", "mallory@example.com", BASE_TIME + 10 * 3600, 0)
    oid = repo.create_commit("HEAD", sig, sig, "Add a crafted tree", pygit2.Oid(hex=root),
                             [head.id])
    return str(oid)

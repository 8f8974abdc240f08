"""Relay installed from its wheel, as pip and pre-commit install it, builds a site.

The wheel is built from a copy of the checkout (so nothing is written into the
repository), installed without dependencies into a fresh virtualenv that borrows
this environment's installed dependencies through a `.pth` file (their own
`.pth` files, such as the editable install's finder, are not processed), and
`relay build` runs from a folder with no checkout and no node_modules nearby.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import RepoBuilder, skill_md

ROOT = Path(__file__).resolve().parent.parent
LUNR = ROOT / "node_modules/lunr"


def _checkout_copy(target: Path) -> None:
    """The tracked files of the checkout (and lunr from node_modules) copied to `target`."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    for rel in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / rel
        if source.is_file() and not source.is_symlink():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    shutil.copytree(LUNR, target / "node_modules/lunr")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (LUNR / "lunr.min.js").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("node_modules/lunr is missing: run `npm ci` (make install)")
        pytest.skip("node_modules/lunr is missing: run `npm ci`")
    root = tmp_path_factory.mktemp("package")
    _checkout_copy(root / "src")
    # Build isolation fetches the build backend (setuptools) as pip always does, from its cache.
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                           "-w", str(root / "dist"), str(root / "src")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (found,) = (root / "dist").glob("relay_registry-*.whl")
    return found


def test_the_wheel_carries_templates_and_lunr_with_its_license(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("builder/site_templates/base.html", "builder/site_templates/assets/site.css",
                     "builder/vendor/lunr/lunr.min.js", "builder/vendor/lunr/LICENSE",
                     "registry/schemas/skill.json"):
        assert expected in names, expected
    assert not any(n.startswith(("tests/", "node_modules/", "bench/")) for n in names)


def test_relay_build_runs_from_a_fresh_virtualenv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin/python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # Dependencies come from this environment; Relay itself only from the wheel.
    Path(site, "relay-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                              "--no-deps", "--no-index", "-q", str(wheel)],
                             capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr

    repo = RepoBuilder(tmp_path / "skills-repo")
    repo.commit({"skills/hello/SKILL.md": skill_md("hello", "Says hello. Use when greeting.")})
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([str(python), "-c", "import builder; print(builder.__file__)"], cwd=work,
                           capture_output=True, text=True, env=env, check=True).stdout
    assert where.startswith(str(env_dir)), where  # the installed wheel, not the checkout
    proc = subprocess.run([str(env_dir / "bin/relay"), "build", "--repo", str(repo.path),
                           "--out", str(tmp_path / "site")], cwd=work, capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    site_dir = tmp_path / "site"
    assert (site_dir / "skills/hello/index.html").is_file()
    assert (site_dir / "assets/lunr.min.js").read_bytes() == (LUNR / "lunr.min.js").read_bytes()
    assert (site_dir / "assets/site.css").is_file()

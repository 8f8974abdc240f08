"""The one packaging step pyproject.toml cannot express: ship the site's assets inside `builder`.

The repository keeps `site_templates/` at the top level, and lunr.js comes from
npm (pinned in package-lock.json). A wheel (what `pip install .` and
pre-commit install) must carry both, so `build_py` copies the templates into
`builder/site_templates/` and lunr.min.js with its LICENSE into
`builder/vendor/lunr/`. An editable install reads them from the checkout.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LUNR = ROOT / "node_modules" / "lunr"
LUNR_FILES = ("lunr.min.js", "LICENSE")


class BuildWithSiteAssets(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "builder"
        shutil.copytree(ROOT / "site_templates", target / "site_templates", dirs_exist_ok=True)
        missing = [name for name in LUNR_FILES if not (LUNR / name).is_file()]
        if missing:
            raise SystemExit(f"{LUNR} lacks {', '.join(missing)}: run `npm ci` before building "
                             "the package (lunr.js ships inside it)")
        (target / "vendor" / "lunr").mkdir(parents=True, exist_ok=True)
        for name in LUNR_FILES:
            shutil.copy2(LUNR / name, target / "vendor" / "lunr" / name)


setup(cmdclass={"build_py": BuildWithSiteAssets})

"""Re-key a built site's manifest for the builder code of another source tree (bench/rebuild_ab.sh).

Usage: python bench/rekey.py CODE REPO OUT

A skill's fingerprint includes a digest of the builder's code, so a site built by one version of
Relay is rebuilt in full by another. To time one-skill rebuilds of two versions on the same
10,000-skill output, each version's fingerprints are written into the manifest before its
rounds; the outputs keep their bytes (the two versions render skills alike).
"""

from __future__ import annotations

import sys
from pathlib import Path

code, repo, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
sys.path.insert(0, code)

from builder import build as b  # noqa: E402
from builder.output import Manifest  # noqa: E402
from builder.render import TEMPLATES_DIR, templates_hash  # noqa: E402
from registry.catalog import Registry  # noqa: E402

manifest = Manifest.load(out)
config = b.BuildConfig(repo=repo, out=out)
site = b.site_info(config, "", [], None, Registry(repo))
digest = templates_hash(TEMPLATES_DIR)
for entry in manifest.skills.values():
    if hasattr(b, "build_options"):
        entry.fingerprint = b.fingerprint(entry.content, b.build_options(config, site, digest), None)
    else:  # before issue 12's rebuild changes
        entry.fingerprint = b.fingerprint(entry.content, config, site, digest, None)  # type: ignore[call-arg]
    entry._line = None
if hasattr(manifest, "analysis"):
    from registry.search.document import ANALYSIS_VERSION

    manifest.analysis = ANALYSIS_VERSION
(out / ".relay-build.json").write_bytes(manifest.dumps())

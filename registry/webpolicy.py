"""The HTTP headers the catalog site is served with: one policy for `relay serve-site`,
`relay serve --site` and the `_headers` file a static host reads.

The site's own pages run only the site's own scripts (`script-src 'self'`, no inline
script) and load images only from the site. A skill's bundled files, copied under
`raw/`, are the contributors' bytes: an `evil.html` or `evil.svg` there must not run
script on the site's origin, where it could call `/api/usage` or `/mcp` with the
reader's cookies and tokens. So `raw/` (and `zips/`) answer with a sandboxing CSP (an
opaque origin, no script), markup types are sent as plain text, and nothing is
sniffed.
"""

from __future__ import annotations

import posixpath

SITE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")
BUNDLED_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
BUNDLED_PREFIXES = ("raw/", "zips/")
# Types a browser renders as a document that can run script; served as text instead.
MARKUP_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".xml", ".xsl", ".xslt",
                               ".mht", ".mhtml", ".js", ".mjs", ".rdf", ".hta", ".swf", ".pdf"})
PLAIN_TEXT = "text/plain; charset=utf-8"

COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
          "Cross-Origin-Opener-Policy": "same-origin"}


def is_bundled(path: str) -> bool:
    """Whether a site path (relative to the site root, no leading `/`) is a contributor's file."""
    return path.lstrip("/").startswith(BUNDLED_PREFIXES)


def headers_for(path: str) -> dict[str, str]:
    """Security headers for the site file at `path`, Content-Type overrides included."""
    if is_bundled(path):
        headers = {**COMMON, "Content-Security-Policy": BUNDLED_CSP}
        if posixpath.splitext(path.lower())[1] in MARKUP_EXTENSIONS:
            headers["Content-Type"] = PLAIN_TEXT
        return headers
    return {**COMMON, "Content-Security-Policy": SITE_CSP, "X-Frame-Options": "DENY"}


def static_host_headers() -> str:
    """`_headers` for hosts that read one (Netlify, Cloudflare Pages): the same policy.

    Where several rules match, such hosts send every matching header, and browsers enforce
    every CSP they get: `raw/` ends up with the sandbox on top of the site's policy. Hosts
    that cannot override a Content-Type by path still send the sandbox, which alone stops
    script. GitHub Pages sends no custom headers at all: see docs/security.md.
    """
    lines = ["/*"]
    lines += [f"  {name}: {value}" for name, value in headers_for("index.html").items()]
    for prefix in BUNDLED_PREFIXES:
        lines.append(f"/{prefix}*")
        lines.append(f"  Content-Security-Policy: {BUNDLED_CSP}")
    return "\n".join(lines) + "\n"

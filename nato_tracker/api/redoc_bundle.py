"""Redoc's script as the API docs page loads it: the sidecar's bundle without its one request
to another origin, shipped as a static file (``static/vendor/redoc/redoc.standalone.js``) so
that whitenoise serves it as every static file: compressed, and under its manifest name
cached for a year.

Redoc 2 draws "API docs by Redocly" under its menu with a logo from ``https://cdn.redoc.ly``
(no option turns it off). The site's policy blocks other origins, so every visit to
``/api/redoc/`` logged a blocked request, and the page must work with no internet anyway. The
shipped bundle has that logo replaced by the site's own (``static/favicon.svg``, as a ``data:``
URL: the policy allows ``img-src data:``, and the page's address does not matter) and names
the sidecar's source map by a path relative to itself (``collectstatic`` gives it its manifest
name). ``scripts/build_redoc.py`` writes it from the installed sidecar; run it after upgrading
drf-spectacular-sidecar or changing the favicon (``tests/api/test_schema.py`` fails while the
shipped file differs from what :func:`patched_bundle` makes).
"""

from __future__ import annotations

import base64
from pathlib import Path

import drf_spectacular_sidecar

ROOT = Path(__file__).resolve().parents[2]
SIDECAR_BUNDLES = Path(drf_spectacular_sidecar.__file__).parent / (
    "static/drf_spectacular_sidecar/redoc/bundles"
)
BUNDLE_NAME = "redoc.standalone.js"
LICENCE_NAME = "redoc.standalone.js.LICENSE.txt"
#: Where the patched bundle is shipped, under ``static/`` (its static path).
STATIC_PATH = f"vendor/redoc/{BUNDLE_NAME}"
SHIPPED = ROOT / "static" / STATIC_PATH
LOGO = ROOT / "static" / "favicon.svg"
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
SOURCE_MAP = f"//# sourceMappingURL={BUNDLE_NAME}.map"
#: The sidecar's map from ``static/vendor/redoc/``.
SIDECAR_MAP = f"../../drf_spectacular_sidecar/redoc/bundles/{BUNDLE_NAME}.map"


def patched_bundle() -> str:
    """The sidecar's Redoc bundle with the external logo replaced by the site's own and its
    source map named from where the bundle is shipped."""
    text = (SIDECAR_BUNDLES / BUNDLE_NAME).read_text(encoding="utf-8")
    for needed in (REDOCLY_LOGO, SOURCE_MAP):
        if needed not in text:
            # A Redoc upgrade moved it: say so rather than ship a bundle that may fetch elsewhere.
            raise LookupError(f"{needed} not in the sidecar's {BUNDLE_NAME}: check the new Redoc.")
    logo = "data:image/svg+xml;base64," + base64.b64encode(LOGO.read_bytes()).decode()
    return text.replace(REDOCLY_LOGO, logo).replace(
        SOURCE_MAP, f"//# sourceMappingURL={SIDECAR_MAP}"
    )

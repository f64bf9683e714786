"""Redoc's script as the API docs page loads it: the sidecar's bundle, without its one request
to another origin.

Redoc 2 draws "API docs by Redocly" under its menu with a logo from ``https://cdn.redoc.ly``
(no option turns it off). The site's policy blocks other origins, so every visit to
``/api/redoc/`` logged a blocked request, and the page must work with no internet anyway. The
bundle is served with that logo replaced by the site's own (``static/favicon.svg``) and its
source map named by its static URL.
"""

from __future__ import annotations

from functools import cache

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.views.decorators.http import require_safe

BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
SOURCE_MAP = "//# sourceMappingURL=redoc.standalone.js.map"


@cache
def bundle() -> bytes:
    """The sidecar's Redoc bundle with the external logo replaced by a local one."""
    path = finders.find(BUNDLE)
    if path is None:
        raise LookupError(f"{BUNDLE} not found: is drf_spectacular_sidecar installed?")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if REDOCLY_LOGO not in text:
        # A Redoc upgrade moved it: say so rather than serve a bundle that may fetch elsewhere.
        raise LookupError(f"{REDOCLY_LOGO} not in {BUNDLE}: check what the new Redoc loads.")
    text = text.replace(REDOCLY_LOGO, static("favicon.svg"))
    text = text.replace(SOURCE_MAP, f"//# sourceMappingURL={static(BUNDLE + '.map')}")
    return text.encode()


@require_safe
def redoc_bundle(request) -> HttpResponse:
    response = HttpResponse(bundle(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response

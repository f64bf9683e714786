"""Static files as production serves them (whitenoise over the manifest's collected files):
content-named files are `immutable` for a year, the others get `max-age=60`."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

PLOTLY = settings.BASE_DIR / "static" / "vendor" / "plotly"
FOREVER = "max-age=315360000, public, immutable"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """`collectstatic` into a temporary STATIC_ROOT with the manifest storage (hashed names,
    as in production; without the compression step, which does not change the names)."""
    root = tmp_path_factory.mktemp("staticfiles")
    manifest = {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    # override_settings resets the storages built from the old settings
    with override_settings(
        STATIC_ROOT=root, STORAGES={**settings.STORAGES, "staticfiles": manifest}
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _cache_control(settings, root, url: str) -> str:
    settings.STATIC_ROOT = root
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    response = Client().get(url)  # a new client loads the middleware with these settings
    assert response.status_code == 200, url
    return response["Cache-Control"]


def test_the_plotly_chunk_named_by_esbuild_is_immutable(settings, collected):
    chunks = sorted(p.name for p in PLOTLY.glob("plotly-core-*.js"))
    assert len(chunks) == 1, chunks
    # the entry files import the chunk by this very name, not by a manifest name
    entry = (PLOTLY / "plotly-cartesian.js").read_text()
    assert f'"./{chunks[0]}"' in entry
    url = f"/static/vendor/plotly/{chunks[0]}"
    assert _cache_control(settings, collected, url) == FOREVER


def test_manifest_names_are_immutable_and_other_names_are_not(settings, collected):
    manifest = (collected / "staticfiles.json").read_text()
    hashed = re.search(r'"js/charts\.js": "(js/charts\.[0-9a-f]{12}\.js)"', manifest).group(1)
    assert _cache_control(settings, collected, f"/static/{hashed}") == FOREVER
    licence = re.search(r'"(vendor/plotly/LICENSE\.[0-9a-f]{12})"', manifest).group(1)
    assert _cache_control(settings, collected, f"/static/{licence}") == FOREVER
    for plain in ("js/charts.js", "vendor/plotly/plotly-cartesian.js", "vendor/plotly/LICENSE"):
        assert _cache_control(settings, collected, f"/static/{plain}") == "max-age=60, public"


def test_the_redoc_bundle_is_a_static_file_cached_for_a_year(settings, collected):
    """The API docs' Redoc script (1.1 MB) is served by whitenoise under its manifest name, not
    by a view (which sent it uncompressed with a day's max-age)."""
    settings.STATIC_ROOT = collected
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    html = Client().get("/api/redoc/").content.decode()
    (src,) = re.findall(r'<script src="([^"]+)"', html)
    assert re.fullmatch(r"/static/vendor/redoc/redoc\.standalone\.[0-9a-f]{12}\.js", src), src
    assert _cache_control(settings, collected, src) == FOREVER
    # the source map it names got its manifest name too
    script = (collected / src.removeprefix("/static/")).read_text()
    source_map = re.search(r"sourceMappingURL=(\S+\.js\.[0-9a-f]{12}\.map)$", script.rstrip())
    assert (collected / "vendor" / "redoc" / source_map.group(1)).resolve().is_file()

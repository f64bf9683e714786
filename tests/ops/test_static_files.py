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

"""Methodology, embeds, error pages, navigation."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_methodology(client):
    response = client.get(reverse("spending:methodology"))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in [
        "Definitions",
        "Editions",
        "Estimates",
        "Membership years",
        "Sources",
        "Licence",
    ]:
        assert heading in html
    assert "NATO_DE2024_GRAPHICNEWS" in html


def test_navigation_links_everywhere(client):
    html = client.get("/methodology/").content.decode()
    for href in ["/", "/countries/", "/statements/", "/speakers/", "/articles/", "/api/docs/"]:
        assert f'href="{href}"' in html
    assert 'class="skip" href="#main"' in html


@pytest.mark.parametrize("chart", ["ranking", "map", "trend", "spending"])
def test_dashboard_embeds(client, chart):
    response = client.get(reverse("spending:embed", kwargs={"chart": chart}) + "?year=2020")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    html = response.content.decode()
    assert 'id="fig-embed"' in html
    assert "Full page on the NATO defence-spending tracker" in html
    assert "<table" in html


@pytest.mark.parametrize(
    "chart", ["country-pct", "country-usd", "country-equipment", "country-editions"]
)
def test_country_embeds(client, chart):
    response = client.get(f"/embed/{chart}/?ally=poland")
    assert response.status_code == 200
    assert "Poland" in response.content.decode()


def test_other_pages_keep_frame_protection(client):
    assert client.get("/").headers.get("X-Frame-Options") in {"DENY", "SAMEORIGIN"}


@pytest.mark.parametrize(
    "url, status",
    [
        ("/embed/nope/", 404),
        ("/embed/country-pct/", 400),
        ("/embed/country-pct/?ally=atlantis", 404),
        ("/embed/ranking/?year=abc", 400),
        ("/embed/ranking/?edition=NOPE", 400),
        ("/no/such/page/", 404),
    ],
)
def test_embed_and_unknown_urls(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "Traceback" not in response.content.decode()


def test_static_assets_are_local(client):
    html = client.get("/").content.decode()
    assert "/static/vendor/plotly/plotly.min.js" in html
    assert "cdn" not in html.lower()
    assert 'data-topojson="/static/vendor/topojson/"' in html
    assert "<script>" not in html  # no inline scripts (CSP-ready)

"""Methodology, embeds, error pages, navigation."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.pages.test_dashboard import figure

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
    # plotly's cartesian bundle, and the geo one for the map, both from this server
    assert 'data-plotly="/static/vendor/plotly/plotly-cartesian.js"' in html
    assert 'data-plotly-geo="/static/vendor/plotly/plotly-geo.js"' in html
    assert "cdn" not in html.lower()
    assert 'data-topojson="/static/vendor/topojson/"' in html
    assert "<script>" not in html  # no inline scripts (CSP-ready)


def test_editions_embed_names_every_edition_it_plots(client):
    response = client.get("/embed/country-editions/?ally=poland")
    assert response.status_code == 200
    html = response.content.decode()
    fig = figure(response, "embed")
    names = [t["name"] for t in fig["data"]]
    # short legend names, never cut mid-title
    # named by NATO's release: the Annual Report 2023 came out in March 2024
    assert names == ["March 2024", "June 2024", "April 2025", "August 2025", "July 2026"]
    assert all("(" not in n for n in names)
    source = next(a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "source")
    assert source == (
        "Source: NATO editions of March 2024, June 2024, April 2025, August 2025 and July 2026"
    )
    caption = re.search(r'<span class="source">(.*?)</span>', html, re.S).group(1)
    credit = re.search(r'<p class="embed-credit">(.*?)</p>', html, re.S).group(1)
    for text in (caption, credit):
        assert "June 2024 edition" in text and "July 2026 edition" in text
        assert "August 2025 edition" in text and "NATO report on 2024 (April 2025)" in text
    # the ally page's chart says the same
    page = client.get("/countries/poland/").content.decode()
    assert (
        "Source: NATO, NATO Secretary General&#x27;s Annual Report 2023 (March 2024); "
        "Defence Expenditure of NATO Countries (2014-2024), June 2024" in page
    )


def test_edition_legend_labels_add_the_code_only_when_two_share_a_month():
    from pages.charts import edition_labels

    editions = [
        {"code": "A", "date_label": "August 2025", "published_label": "28 August 2025"},
        {"code": "B", "date_label": "August 2025", "published_label": "August 2025"},
        {"code": "C", "date_label": "July 2026", "published_label": "10 July 2026"},
    ]
    assert edition_labels(editions) == {
        "A": "August 2025 (A)",
        "B": "August 2025 (B)",
        "C": "July 2026",
    }


def test_methodology_keeps_every_edition_and_links_each_where_it_can_be_seen(client):
    html = client.get("/methodology/").content.decode()
    assert "NATO_DE2025_EDPRADAR" in html
    assert '?edition=NATO_DE2025_EDPRADAR"' not in html.replace(
        "/countries/sweden/?edition=NATO_DE2025_EDPRADAR", ""
    )  # linked to Sweden's page, not to the dashboard
    assert 'href="/countries/sweden/?edition=NATO_DE2025_EDPRADAR"' in html
    assert 'href="/?edition=NATO_DE2025_PRESS"' in html


@pytest.mark.parametrize(
    "url", ["/embed/ranking/?ally=poland", "/embed/country-pct/?ally=poland&line=2"]
)
def test_embeds_reject_parameters_they_do_not_take(client, url):
    assert client.get(url).status_code == 400


def test_robots_txt_keeps_crawlers_off_the_editor_and_data(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.startswith("User-agent: *") and "Disallow: /editor/" in text
    assert "Disallow: /\n" not in text  # the pages stay crawlable


def test_the_pages_with_statements_lead_to_their_atom_feeds(client, seed):
    """The feeds were in the README only: no page linked to them, nor announced them to a feed
    reader."""
    speaker = seed["rutte"].speaker
    for page, feed in (
        ("/statements/", "/feeds/statements/"),
        ("/countries/poland/", "/feeds/allies/POL/"),
        (f"/speakers/{speaker.slug}/", f"/feeds/speakers/{speaker.slug}/"),
    ):
        html = client.get(page).content.decode()
        assert re.search(
            rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="{feed}">',
            html,
        ), page
        assert f'<a href="{feed}" type="application/atom+xml">' in html, page
        response = client.get(feed)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")

"""The site's navigation (``{% site_nav %}``): an anonymous visitor's is rendered once per page
name and process, then written from memory; a signed-in user's every time."""

from __future__ import annotations

import pytest
from django.test import Client

from nato_tracker.templatetags import site
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAV = "includes/site_nav.html"


def _current(html: str) -> list[str]:
    """The labels of the links marked as the current page."""
    return [part.split(">", 1)[1].split("<", 1)[0] for part in html.split("<a ")[1:]
            if 'aria-current="page"' in part.split(">", 1)[0]]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "current"),
    [("/", "Dashboard"), ("/statements/", "Statements"), ("/speakers/", "Speakers")],
)
def test_anonymous_navigation_is_rendered_once_per_page_name(client, monkeypatch, url, current):
    monkeypatch.setattr(site, "_anonymous", {})
    first = client.get(url)
    assert NAV in {t.name for t in first.templates}
    second = client.get(url)
    assert NAV not in {t.name for t in second.templates}  # written from memory
    html = second.content.decode()
    assert html == first.content.decode()
    assert _current(html) == [current]
    assert 'href="/login/' in html or "Sign in" in html
    assert "Sign out" not in html


def test_signed_in_navigation_is_rendered_every_time(monkeypatch):
    monkeypatch.setattr(site, "_anonymous", {})
    client = Client()
    client.force_login(UserFactory(username="nav-reader"))
    for _ in range(2):
        response = client.get("/statements/")
        assert NAV in {t.name for t in response.templates}
        html = response.content.decode()
        assert "Sign out" in html and 'name="csrfmiddlewaretoken"' in html
        assert _current(html) == ["Statements"]
    assert site._anonymous == {}

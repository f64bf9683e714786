"""Playwright (sync API) driving Debian's chromium against pytest-django's live server.

When ``/usr/bin/chromium`` is missing the browser tests fail if ``CI=true`` and are skipped
otherwise. Every request that does not go to the live server is aborted and recorded, so a test
can assert that the pages work with no internet. Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside
# one unless told it is safe (the tests touch the database only between browser calls).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A browser page plus what it saw: console errors and requests that left the machine."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.outside: list[str] = []

    def goto(self, path: str):
        return self.page.goto(self.base_url + path)

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def _open_tab(chromium, live_server, viewport):
    context = chromium.new_context(viewport=viewport)
    page = context.new_page()
    tab = Tab(page, live_server.url)

    def route(r):
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL_HOSTS:
            return r.continue_()
        tab.outside.append(url)
        return r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: tab.errors.append(f"page error: {e}"))
    page.set_default_timeout(30_000)  # a shared 2-core machine: a cold page can take >15 s
    return context, tab


@pytest.fixture
def site(reference_data, live_server):
    """The live server with the reference data (reloaded: live-server tests flush the db)."""
    cache.clear()
    yield live_server
    cache.clear()


@pytest.fixture
def tab(chromium, site):
    context, tab = _open_tab(chromium, site, DESKTOP)
    yield tab
    context.close()


@pytest.fixture
def phone_tab(chromium, site):
    context, tab = _open_tab(chromium, site, PHONE)
    yield tab
    context.close()

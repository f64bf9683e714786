"""The pages in a real browser: charts drawn offline, clicks, year switch, search, phone width."""

from __future__ import annotations

import datetime

import pytest

from spending.models import MemberState
from tests.pages.conftest import RUTTE_QUOTE, make_article_with_quotes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHART_SVG = "#chart-{} .main-svg"


def wait_for_charts(tab, *names: str):
    """Scroll each chart into view (charts are drawn when they come near the screen) and wait
    until plotly has drawn it."""
    for name in names:
        tab.page.locator(f"#chart-{name}").scroll_into_view_if_needed()
        tab.page.wait_for_selector(f"#chart-{name}.drawn .main-svg", state="attached")


def assert_clean(tab):
    assert tab.errors == [], tab.errors
    assert tab.outside == [], tab.outside


@pytest.fixture
def seeded(site):
    _article, (statement,) = make_article_with_quotes(
        "NATO chief: allies must spend much more",
        [("Mark Rutte", RUTTE_QUOTE)],
        published=datetime.date(2025, 6, 5),
        publisher="Test Wire",
    )
    statement.members.add(MemberState.objects.get(slug="poland"))
    return statement


def test_dashboard_draws_its_charts_offline(tab, seeded):
    tab.goto("/")
    wait_for_charts(tab, "ranking", "trend", "spending")
    assert tab.page.locator("#chart-ranking .bars .point").count() == 31
    tab.page.click("#tab-map")  # the map is the ranking widget's second tab, drawn when shown
    wait_for_charts(tab, "map")
    # the map's geography came from our own static files
    tab.page.wait_for_selector("#chart-map path.choroplethlocation", state="attached")
    # 31 allies with a figure, and Iceland drawn grey as "without a NATO figure"
    assert tab.page.locator("#chart-map path.choroplethlocation").count() == 32
    assert "Member without a NATO figure" in tab.page.locator("#chart-map .legend").text_content()
    assert RUTTE_QUOTE in tab.page.content()
    path = tab.screenshot("dashboard")
    assert path.exists()
    assert_clean(tab)


def test_clicking_a_bar_opens_the_ally_page(tab):
    tab.goto("/?year=2024")
    wait_for_charts(tab, "ranking")
    bar = tab.page.locator("#chart-ranking .bars .point path").first
    box = bar.bounding_box()
    tab.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.page.wait_for_url("**/countries/*/")
    assert tab.page.locator("h1").inner_text() in {m.name for m in MemberState.objects.all()}
    wait_for_charts(tab, "pct", "usd", "equipment")
    tab.screenshot("country-from-bar")
    assert_clean(tab)


def test_clicking_a_table_row_opens_the_ally_page(tab):
    tab.goto("/?year=2024")
    tab.page.click("#tab-ranking-table")
    row = tab.page.locator("#ranking-table tbody tr", has_text="Belgium")
    row.locator("td").nth(1).click()
    tab.page.wait_for_url("**/countries/belgium/")
    assert tab.page.locator("h1").inner_text() == "Belgium"


def test_table_sorts_by_keyboard(tab):
    tab.goto("/?year=2024")
    tab.page.click("#tab-ranking-table")
    button = tab.page.locator("#ranking-table thead th", has_text="Ally").locator("button")
    button.focus()
    tab.page.keyboard.press("Enter")
    first = tab.page.locator("#ranking-table tbody tr th").first.inner_text()
    assert first == "Albania"
    header = tab.page.locator("#ranking-table thead th", has_text="Ally")
    assert header.get_attribute("aria-sort") == "ascending"


def test_changing_the_year_changes_the_chart_and_the_url(tab):
    tab.goto("/")
    wait_for_charts(tab, "ranking")
    tab.page.evaluate("window.notReloaded = true")
    before = tab.page.locator("#chart-ranking .gtitle").text_content()
    tab.page.select_option("#year-select", "2018")
    tab.page.wait_for_url(lambda url: "year=2018" in url)
    tab.page.wait_for_selector("#headline:has-text('in 2018')")
    wait_for_charts(tab, "ranking")
    after = tab.page.locator("#chart-ranking .gtitle").text_content()
    assert "2018" in after and after != before
    assert "of 29 allies" in tab.page.locator("#headline").inner_text()
    # swapped in place (no full reload), the URL following; the stepper goes a year on
    assert tab.page.evaluate("window.notReloaded") is True
    assert tab.page.evaluate("document.activeElement.id") == "year-select"
    tab.page.click("button.step[data-step='1']")
    tab.page.wait_for_url(lambda url: "year=2019" in url)
    tab.page.wait_for_selector("#headline:has-text('in 2019')")
    assert tab.page.evaluate("window.notReloaded") is True
    tab.page.click("#tab-map")
    wait_for_charts(tab, "map")
    assert "2019" in tab.page.locator("#chart-map .gtitle").text_content()
    assert_clean(tab)


def test_picking_an_older_edition_on_the_dashboard_shows_it(tab):
    """From the default year (2026) the picker sent year=2026 with the edition: every older
    edition was a 400 ("There are no figures for 2026 in this edition")."""
    tab.goto("/")
    tab.page.select_option("#edition-select", "NATO_DE2024_GRAPHICNEWS")
    tab.page.locator(".edition-form button[type=submit]").click()
    tab.page.wait_for_url("**edition=NATO_DE2024_GRAPHICNEWS**")
    assert tab.page.locator("h1").inner_text() == "NATO allies’ defence spending in 2024"
    assert "June 2024 edition" in tab.page.locator(".edition-now").inner_text()
    tab.page.click("text=Back to the latest edition")
    tab.page.wait_for_url(lambda url: "edition=" not in url and "year=2024" in url)
    assert_clean(tab)


def test_switching_a_target_line_on(tab):
    tab.goto("/?year=2024")
    tab.page.check("input[type=checkbox][name=line][value='3']")
    tab.page.click("#chart-controls button[type=submit]")
    tab.page.wait_for_url("**line=3**")
    wait_for_charts(tab, "ranking")
    labels = tab.page.locator("#chart-ranking .annotation-text").all_text_contents()
    assert "3%" in labels


def test_statement_search_finds_the_seed_quote(tab, seeded):
    tab.goto("/statements/")
    tab.page.fill("#q", "spend much, much more")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url("**q=spend**")
    assert RUTTE_QUOTE in tab.page.locator(".statements").inner_text()
    tab.screenshot("statements-search")
    tab.page.click(f"text={RUTTE_QUOTE}")
    tab.page.wait_for_url(f"**/statements/{seeded.pk}/")
    assert tab.page.locator("mark.quote").inner_text() == RUTTE_QUOTE
    assert_clean(tab)


def test_ally_page_and_embed(tab):
    tab.goto("/countries/poland/")
    wait_for_charts(tab, "pct", "usd", "equipment", "editions")
    tab.screenshot("country-poland")
    tab.goto("/embed/map/?year=2024")
    wait_for_charts(tab, "map")
    tab.screenshot("embed-map")
    assert_clean(tab)


@pytest.mark.parametrize(
    "path", ["/", "/countries/united-states/", "/statements/", "/methodology/"]
)
def test_pages_work_at_phone_width(phone_tab, seeded, path):
    phone_tab.goto(path)
    if path == "/":
        wait_for_charts(phone_tab, "ranking")
    overflow = phone_tab.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
    name = "phone-" + (path.strip("/").replace("/", "-") or "dashboard")
    phone_tab.screenshot(name)
    assert_clean(phone_tab)


def test_bad_input_page_in_browser(tab):
    response = tab.goto("/?year=1900")
    assert response.status == 400
    tab.page.click("text=The dashboard")
    tab.page.wait_for_url(tab.base_url + "/")
    assert tab.page.locator("h1").count() == 1

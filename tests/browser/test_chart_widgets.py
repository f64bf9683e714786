"""Chart widgets in chromium: PNG, SVG and CSV downloads saved and read back, share links opened
in a fresh browser, the comparison page's picker by keyboard, and phone layouts without overlap."""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _open_tab
from tests.browser.test_pages_in_browser import assert_clean, wait_for_charts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def save_download(tab, selector: str, tmp_path):
    """Click ``selector`` and return the saved file's name and bytes."""
    with tab.page.expect_download() as info:
        tab.page.locator(selector).click()
    download = info.value
    assert download.failure() is None
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path.read_bytes()


def check_downloads(tab, widget: str, tmp_path, *, filename: str, title: str, csv_name=None):
    """PNG, SVG and CSV of one widget; returns the SVG text and the CSV's rows."""
    name, png = save_download(tab, f'#figure-{widget} [data-format="png"]', tmp_path)
    assert name == f"{filename}.png"
    assert png.startswith(PNG_MAGIC)
    assert int.from_bytes(png[16:20], "big") == 2000  # 1000 px at scale 2, whatever the screen
    assert len(png) > 20_000  # a drawn chart, not an empty canvas
    name, svg = save_download(tab, f'#figure-{widget} [data-format="svg"]', tmp_path)
    assert name == f"{filename}.svg"
    text = svg.decode()
    assert text.startswith("<svg") and title in text and "Source: NATO" in text
    name, data = save_download(tab, f"#figure-{widget} [data-csv-link]", tmp_path)
    assert name == f"{csv_name or filename}.csv"
    lines = data.decode().splitlines()
    assert lines[0].startswith("# ") and lines[1].startswith("# Citation: NATO defence-spending")
    rows = list(csv.DictReader(io.StringIO("\n".join(x for x in lines if not x.startswith("#")))))
    drawn = [r for r in rows if not r.get("status")]  # the map's members without a figure: none
    assert drawn and all(r["edition"] and r["edition_released"] and r["definition"] for r in drawn)
    return text, rows


def test_dashboard_widget_downloads_png_svg_and_csv(tab, tmp_path):
    tab.goto("/?year=2024")
    wait_for_charts(tab, "ranking")
    svg, rows = check_downloads(
        tab, "ranking", tmp_path, filename="ranking", title="Defence spending as % of GDP, 2024"
    )
    assert "Poland" in svg
    # exactly the bars drawn: 31 allies (Iceland has no figure), highest first
    assert len(rows) == tab.page.locator("#chart-ranking .bars .point").count() == 31
    assert rows[0]["ally"] == "Poland" and rows[0]["year"] == "2024"
    assert rows[0]["definition"].startswith("core")
    # the map tab exports the map, and its CSV names Iceland as having no figure
    tab.page.click("#tab-map")
    wait_for_charts(tab, "map")
    svg, rows = check_downloads(
        tab, "ranking", tmp_path, filename="map", title="Defence spending as % of GDP, 2024"
    )
    assert "5% or more" in svg or "3.5% to 5%" in svg
    iceland = next(r for r in rows if r["iso3"] == "ISL")
    assert iceland["pct_gdp"] == "" and iceland["status"] == "no_figure"
    assert_clean(tab)  # the CSP let plotly's blob: image through: no refusal in the console


MAP_LEGEND = [
    "Below 2%",
    "2% to 3%",
    "3% to 3.5%",
    "3.5% to 5%",
    "5% or more",
    "Member without a NATO figure",
]


@pytest.mark.parametrize("year,members", [(2014, 28), (2024, 32)])
def test_map_legend_names_every_bin_whatever_the_year(tab, year, members):
    """In 2014 no ally reached 3% or 5%: the legend still names those bins (it left them out)."""
    tab.goto(f"/?year={year}#figure-map")
    wait_for_charts(tab, "map")
    legend = tab.page.locator("#chart-map .legendtext").all_text_contents()
    assert legend == MAP_LEGEND
    # every member that year (Iceland without a figure included); an empty bin's path has no
    # outline (no "d"): it draws nothing
    assert tab.page.locator("#chart-map .choroplethlocation[d]").count() == members
    assert_clean(tab)


def test_ally_page_widget_downloads(tab, tmp_path):
    tab.goto("/countries/poland/?year=2024")
    wait_for_charts(tab, "pct")
    _svg, rows = check_downloads(
        tab, "pct", tmp_path, filename="pct", title="Poland: defence", csv_name="country-pct"
    )
    drawn = tab.page.evaluate(
        "document.getElementById('chart-pct').data.reduce("
        "(n, t) => n + t.y.filter(v => v !== null).length, 0)"
    )
    years = {r["year"] for r in rows}
    assert len(years) == len(rows) and len(rows) >= drawn - 1  # the estimate line repeats one
    assert {r["ally"] for r in rows} == {"Poland"}
    wait_for_charts(tab, "editions")
    _svg, rows = check_downloads(
        tab,
        "editions",
        tmp_path,
        filename="editions",
        title="as published in each NATO edition",
        csv_name="country-editions",
    )
    assert len({r["edition"] for r in rows}) > 1
    assert {r["definition"].split(" ")[0] for r in rows} == {"core", "defence"}  # core / before
    assert_clean(tab)


def test_the_comparison_chart_draws_the_years_before_an_ally_joined_pale(tab):
    """Finland joined in 2023: its 2014-2022 points are drawn pale (as the table marks them),
    Poland's are not, and the title says what pale means."""
    tab.goto("/compare/?allies=FIN,POL&metric=pct_gdp")
    wait_for_charts(tab, "compare")
    opacities = tab.page.evaluate(
        """() => Array.from(document.querySelectorAll('#chart-compare .scatterlayer .trace'))
            .map(t => Array.from(t.querySelectorAll('.point'))
                .map(p => Number(getComputedStyle(p).opacity)))"""
    )
    finland, poland = opacities[:2]
    assert finland[:9] == [0.35] * 9 and set(finland[9:]) == {1}  # 2014-2022, then 2023 on
    assert set(poland) == {1}
    title = tab.page.locator("#chart-compare .gtitle").text_content()
    assert "pale markers: before the ally joined NATO" in title
    tab.screenshot("compare-before-joining", full_page=False)
    assert_clean(tab)


def test_an_allys_charts_shade_the_years_before_it_joined(tab):
    """Finland joined in 2023: a labelled band behind 2014-2022 on its % of GDP chart, ending
    between the 2022 and 2023 ticks; none on Poland's."""
    tab.goto("/countries/finland/")
    wait_for_charts(tab, "pct")
    chart = tab.page.locator("#chart-pct")
    assert "Not yet a member" in chart.locator(".annotation").all_text_contents()
    band = chart.locator(".layer-below .shapelayer path").first.bounding_box()
    ticks = {
        t.text_content(): t.bounding_box()
        for t in chart.locator(".xtick text").all()
        if t.text_content() in {"2014", "2022", "2023"}
    }
    assert band["x"] < ticks["2014"]["x"]
    right = band["x"] + band["width"]
    assert ticks["2022"]["x"] + ticks["2022"]["width"] < right < ticks["2023"]["x"]
    tab.goto("/countries/poland/")
    wait_for_charts(tab, "pct")
    assert "Not yet a member" not in tab.page.locator("#chart-pct").text_content()
    assert_clean(tab)


def test_compare_page_by_keyboard_and_downloads(tab, tmp_path):
    tab.goto("/compare/?allies=POL,DEU,FRA&metric=pct_gdp")
    wait_for_charts(tab, "compare")
    names = tab.page.locator("#chart-compare .legendtext").all_text_contents()
    assert names == ["Poland", "Germany", "France"]
    assert "3.5% target" in tab.page.locator("#chart-compare").text_content()
    _svg, rows = check_downloads(tab, "compare", tmp_path, filename="compare", title="Poland")
    assert {r["iso3"] for r in rows} == {"POL", "DEU", "FRA"}
    # the picker by keyboard: tick Estonia with the space bar, submit with Enter
    box = tab.page.locator("input[name=allies][value=EST]")
    box.focus()
    tab.page.keyboard.press("Space")
    assert box.is_checked()
    tab.page.locator("#compare-form button[type=submit]").focus()
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url("**allies=EST**")
    wait_for_charts(tab, "compare")
    assert "Estonia" in tab.page.locator("#chart-compare .legend").text_content()
    assert tab.page.locator("#compare-table thead th", has_text="Estonia").count() == 1
    assert_clean(tab)


def test_picking_an_edition_keeps_the_allies_compared(tab):
    """The edition form sent only the edition: the page fell back to Poland, Germany and
    France, and "Back to the latest edition" did the same."""
    tab.goto("/compare/?allies=FIN,SWE&metric=pct_gdp&lines=1&line=2")
    wait_for_charts(tab, "compare")
    tab.page.select_option("#edition-select", "NATO_DE2024_GRAPHICNEWS")
    tab.page.locator(".edition-form button[type=submit]").click()
    tab.page.wait_for_url("**edition=NATO_DE2024_GRAPHICNEWS**")
    wait_for_charts(tab, "compare")
    assert tab.page.locator("#chart-compare .legendtext").all_text_contents() == [
        "Finland",
        "Sweden",
    ]
    checked = tab.page.locator("input[name=allies]:checked")
    assert [checked.nth(i).get_attribute("value") for i in range(checked.count())] == [
        "FIN",
        "SWE",
    ]
    assert tab.page.locator("input[type=checkbox][name=line][value='3.5']").is_checked() is False
    tab.page.click("text=Back to the latest edition")
    tab.page.wait_for_url(lambda url: "edition=" not in url)
    wait_for_charts(tab, "compare")
    assert tab.page.locator("#chart-compare .legendtext").all_text_contents() == [
        "Finland",
        "Sweden",
    ]
    assert_clean(tab)


def test_ally_pages_link_to_the_comparison(tab):
    tab.goto("/countries/estonia/")
    tab.page.click("text=Compare Estonia with other allies")
    tab.page.wait_for_url("**/compare/?allies=EST**")
    wait_for_charts(tab, "compare")
    assert tab.page.locator("input[name=allies][value=EST]").is_checked()


def test_share_link_opens_the_same_state_in_a_fresh_browser(chromium, site):
    context, tab = _open_tab(chromium, site, DESKTOP)
    tab.goto("/?year=2014&lines=1&line=3&edition=NATO_DE2024_GRAPHICNEWS")
    shown = tab.page.locator("#headline").inner_text()
    tab.page.click("#figure-ranking .share summary")
    link = tab.page.locator("#share-ranking").input_value()
    embed = tab.page.locator("#embed-ranking").input_value()
    context.close()
    assert "year=2014" in link and "line=3" in link and "edition=NATO_DE2024" in link
    assert "/embed/ranking/?year=2014" in embed
    fresh, again = _open_tab(chromium, site, DESKTOP)  # no cookies, no history
    again.page.goto(link)
    wait_for_charts(again, "ranking")
    assert again.page.locator("#headline").inner_text() == shown
    assert again.page.locator("#year-select").input_value() == "2014"
    assert again.page.locator("input[type=checkbox][name=line][value='3']").is_checked()
    assert not again.page.locator("input[type=checkbox][name=line][value='5']").is_checked()
    labels = again.page.locator("#chart-ranking .annotation-text").all_text_contents()
    assert "3%" in labels and "5%" not in labels
    # a link to the map tab opens the map
    again.page.goto(link.replace("#figure-ranking", "#figure-map"))
    again.page.reload()  # a new fragment alone is no new page
    wait_for_charts(again, "map")
    assert again.page.locator("#tab-map").get_attribute("aria-selected") == "true"
    assert_clean(again)
    fresh.close()


CHART_STATE = """
(id) => { const el = document.getElementById(id);
  return {title: el.querySelector('.gtitle').textContent,
          legend: [...el.querySelectorAll('.legendtext')].map(t => t.textContent),
          lines: [...el.querySelectorAll('.annotation-text')].map(t => t.textContent),
          data: JSON.stringify(el.data.map(t => [t.name, t.x, t.y]))}; }
"""


def test_compare_share_and_embed_links_keep_the_state_in_a_fresh_browser(chromium, site):
    """Allies, measure, target lines and the date (as_of) survive the share link and the embed
    code, opened in a browser with no cookies and no history."""
    context, tab = _open_tab(chromium, site, DESKTOP)
    tab.goto("/compare/?allies=POL,DEU,FRA&metric=pct_gdp&lines=1&line=2&as_of=2025-04-30")
    wait_for_charts(tab, "compare")
    state = tab.page.evaluate(CHART_STATE, "chart-compare")
    assert state["legend"] == ["Poland", "Germany", "France"]
    assert any("2%" in line for line in state["lines"])
    assert not any("3.5%" in line for line in state["lines"])
    source = tab.page.locator("#figure-compare .source").inner_text()
    assert "NATO report on 2024 (April 2025)" in source  # what was known on 30 April 2025
    tab.page.click("#figure-compare .share summary")
    link = tab.page.locator("#share-compare").input_value()
    embed_code = tab.page.locator("#embed-compare").input_value()
    context.close()
    embed = embed_code.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    fresh, again = _open_tab(chromium, site, DESKTOP)
    again.page.goto(link)
    wait_for_charts(again, "compare")
    assert again.page.evaluate(CHART_STATE, "chart-compare") == state
    assert again.page.locator("#figure-compare .source").inner_text() == source
    checked = again.page.locator("input[name=allies]:checked").evaluate_all(
        "boxes => boxes.map(b => b.value)"
    )
    assert sorted(checked) == ["DEU", "FRA", "POL"]
    assert again.page.locator("#metric-select").input_value() == "pct_gdp"
    again.page.goto(embed)  # the embed shows the same chart
    wait_for_charts(again, "compare")
    assert again.page.evaluate(CHART_STATE, "chart-compare") == state
    assert "NATO report on 2024 (April 2025)" in again.page.locator(".source").inner_text()
    assert_clean(again)
    fresh.close()


OVERLAPS = """
() => [...document.querySelectorAll('.chart-plot.drawn')].map(el => {
  const box = s => { const n = el.querySelector(s); return n ? n.getBoundingClientRect() : null; };
  const hit = (a, b) => a && b && a.width && b.width && a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const r = el.getBoundingClientRect(), title = box('.gtitle'), legend = box('.legend .bg');
  const plot = box('.nsewdrag') || box('.geolayer .bg');
  return {id: el.id, titleLegend: hit(title, legend), legendPlot: hit(legend, plot),
          titlePlot: hit(title, plot),
          titleCut: !!title && (title.left < r.left - 1 || title.right > r.right + 1
                                || title.top < r.top - 1),
          modebar: !!el.querySelector('.modebar-container .modebar')};
})
"""


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1400, "height": 900}], ids=["390", "1400"])
@pytest.mark.parametrize(
    "path,charts",
    [
        ("/?year=2024", ["ranking", "trend", "spending"]),
        ("/countries/poland/", ["pct", "usd", "equipment", "editions"]),
        ("/compare/?allies=POL,DEU,FRA,USA,GBR&metric=pct_gdp", ["compare"]),
    ],
)
def test_charts_do_not_overlap_at_phone_and_desktop_width(chromium, site, viewport, path, charts):
    context, tab = _open_tab(chromium, site, viewport)
    tab.goto(path)
    wait_for_charts(tab, *charts)
    if path.startswith("/?"):
        tab.page.click("#tab-map")
        wait_for_charts(tab, "map")
    for chart in tab.page.evaluate(OVERLAPS):
        assert not any(v for k, v in chart.items() if k != "id"), chart
    overflow = tab.page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1
    name = "dashboard" if path.startswith("/?") else path.strip("/").split("/")[0].split("?")[0]
    tab.screenshot(f"widgets-{name}-{viewport['width']}")
    assert_clean(tab)
    context.close()


def test_phone_tables_keep_the_row_name_in_view(chromium, site):
    context, tab = _open_tab(chromium, site, PHONE)
    tab.goto("/?year=2024")
    tab.page.click("#tab-ranking-table")
    scroller = tab.page.locator("#panel-ranking-table .table-scroll")
    scroller.evaluate("el => el.scrollLeft = 400")
    name = tab.page.locator("#ranking-table tbody th").first.bounding_box()
    assert name["x"] >= 0 and name["x"] < 20  # stuck to the left edge while the rest scrolls
    context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?year=2019&edition=NATO_DIE2026",
        "/countries/",
        "/countries/poland/?year=2020",
        "/countries/iceland/",
        "/compare/",
        "/compare/?allies=USA,CAN&metric=spending_usd",
        "/compare/?allies=SWE,FIN&metric=equipment_share",
        "/statements/",
        "/speakers/",
        "/articles/",
        "/methodology/",
        "/embed/map/?year=2024",
        "/embed/country-editions/?ally=poland",
        "/embed/compare/?allies=POL,DEU",
    ],
)
def test_no_console_error_on_any_page(tab, path):
    response = tab.goto(path)
    assert response.status == 200
    tab.page.wait_for_load_state("networkidle")
    for plot in tab.page.locator(".widget-panel:not([hidden]) .chart-plot").all():
        plot.scroll_into_view_if_needed()  # drawn when near the screen
        plot.locator(".main-svg").first.wait_for(state="attached")
    assert_clean(tab)

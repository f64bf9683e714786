"""The chart builders are pure functions of DataFrames."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pandas as pd
import pytest

from pages import charts

T2 = SimpleNamespace(code="2", threshold=Decimal("2.00"))
T35 = SimpleNamespace(code="3.5", threshold=Decimal("3.50"))


def ranking_frame():
    return pd.DataFrame(
        [
            {
                "name": "A",
                "slug": "a",
                "iso3": "AAA",
                "value": 4.0,
                "estimate": True,
                "bar_target": "3.5",
                "highest_label": "x",
            },
            {
                "name": "B",
                "slug": "b",
                "iso3": "BBB",
                "value": 2.5,
                "estimate": False,
                "bar_target": "2",
                "highest_label": "x",
            },
            {
                "name": "C",
                "slug": "c",
                "iso3": "CCC",
                "value": 1.0,
                "estimate": False,
                "bar_target": None,
                "highest_label": "x",
            },
        ]
    )


def test_ranking_chart_groups_by_highest_target():
    fig = charts.ranking_chart(ranking_frame(), year=2024, targets=[T2, T35], source="Source: X")
    groups = {t["name"]: t for t in fig["data"]}
    assert set(groups) == {"Meets 3.5%", "Meets 2%", "Below 2%"}
    assert groups["Meets 3.5%"]["marker"]["color"] == charts.SKY_BLUE
    assert groups["Meets 3.5%"]["marker"]["pattern"]["shape"] == ["/"]
    assert groups["Below 2%"]["marker"]["color"] == charts.VERMILLION
    assert fig["layout"]["yaxis"]["categoryarray"] == ["C", "B", "A"]
    assert len(fig["layout"]["shapes"]) == 2
    assert fig["layout"]["annotations"][-1]["text"] == "Source: X"


def test_ranking_chart_with_no_data_or_no_lines():
    fig = charts.ranking_chart(pd.DataFrame(), year=2024, targets=[], source="s")
    assert fig["data"] == []
    fig = charts.ranking_chart(ranking_frame(), year=2024, targets=[], source="s")
    assert [t["name"] for t in fig["data"]] == ["% of GDP"]


def test_map_chart_bins_by_highest_target_met():
    frame = ranking_frame().assign(highest=["3.5", "2", None])
    fig = charts.map_chart(frame, year=2024, source="s", targets=[T35, T2])
    names = ["Below 2%", "2% to 3.5%", "3.5% or more", "Member without a NATO figure"]
    assert [t["name"] for t in fig["data"]] == names
    assert [t["locations"] for t in fig["data"]][:3] == [["CCC"], ["BBB"], ["AAA"]]
    assert all(t["locationmode"] == "ISO-3" and t["showlegend"] for t in fig["data"])
    assert fig["data"][2]["colorscale"][0][1] == charts.SKY_BLUE  # as the ranking's bars
    assert fig["layout"]["geo"]["resolution"] == 110


def shown_in_legend(trace: dict) -> bool:
    """plotly.js's rule (choropleth ``supplyDefaults``): a trace without locations or z values
    is made invisible, and an invisible trace has no legend entry."""
    return trace["showlegend"] and len(trace["locations"]) > 0 and len(trace["z"]) > 0


def test_map_legend_names_every_bin_whatever_the_year():
    """A year in which no ally reaches 3.5% and every ally has a figure still names the 3.5%
    bin and "no figure" in the legend, and draws no country for them."""
    frame = ranking_frame().assign(highest=["2", "2", None])
    fig = charts.map_chart(frame, year=2014, source="s", targets=[T35, T2])
    legend = [t["name"] for t in fig["data"] if shown_in_legend(t)]
    assert legend == ["Below 2%", "2% to 3.5%", "3.5% or more", "Member without a NATO figure"]
    empty = [
        t for t in fig["data"] if t["name"] in {"3.5% or more", "Member without a NATO figure"}
    ]
    assert all(t["locations"] == [None] and t["z"] == [None] for t in empty)  # nothing drawn
    assert charts.SKY_BLUE in str(empty[0]["colorscale"])  # the bin's swatch
    # "not in our copy" is a state of a partial source, named only when a member is in it
    missing = pd.DataFrame(
        [
            {
                "iso3": "ISL",
                "name": "Iceland",
                "slug": "iceland",
                "status": "not_covered",
                "reason": "r",
            }
        ]
    )
    fig = charts.map_chart(frame, year=2014, source="s", targets=[T35, T2], missing=missing)
    assert [t["name"] for t in fig["data"] if shown_in_legend(t)][-2:] == [
        "Member not in our copy of this source",
        "Member without a NATO figure",
    ]


def test_line_charts_draw_missing_years_as_gaps():
    frame = pd.DataFrame(
        {"year": [2014, 2024], "value": [1.9, 4.1], "source_code": ["E"] * 2, "estimate": [0, 0]}
    )
    fig = charts.editions_chart(
        frame,
        name="X",
        editions=[{"code": "E", "short_title": "E", "released_label": "17 June 2024"}],
    )
    trace = fig["data"][0]
    assert trace["x"] == list(range(2014, 2025))
    assert trace["y"][1:10] == [None] * 9 and trace["connectgaps"] is False
    # the legend sits in the layout above the plot, not below it where it was clipped
    assert fig["layout"]["legend"]["y"] > 0 and fig["layout"]["legend"]["yref"] == "container"
    pct = charts.country_pct_chart(frame, name="X", targets=[], source="s")
    assert pct["data"][0]["y"][1] is None


@pytest.mark.parametrize(
    "estimates", [[False, False, True], [True, True, True], [False, False, False]]
)
def test_country_chart_splits_estimates(estimates):
    frame = pd.DataFrame(
        {
            "year": [2022, 2023, 2024],
            "value": [1.5, 1.8, 2.1],
            "estimate": estimates,
            "source_code": ["S"] * 3,
        }
    )
    fig = charts.country_pct_chart(frame, name="X", targets=[T2, T35], source="s")
    names = [t["name"] for t in fig["data"]]
    assert ("NATO estimate" in names) == any(estimates)
    assert ("Reported" in names) == (not all(estimates))

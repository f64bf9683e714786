"""The chart builders write plain dicts, without plotly's Python API on the request path: the
same figure as the former graph_objects builders (tests/pages/plotly_charts_reference.py) for
the charts the pages draw, and one that plotly's own validation accepts unchanged."""

from __future__ import annotations

import base64
import json
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from pages import charts
from tests.pages import plotly_charts_reference as reference
from tests.pages.test_charts import T2, T35, ranking_frame

BUILDERS = (
    "ranking_chart",
    "map_chart",
    "trend_chart",
    "total_spending_chart",
    "country_pct_chart",
    "country_usd_chart",
    "country_equipment_chart",
    "editions_chart",
    "compare_chart",
)


def plain(obj):
    """plotly.py's JSON read back as plotly.js reads it: typed arrays (``{"dtype", "bdata"}``)
    as lists, NaN (a gap) as ``None``, no empty objects (``"title": {}``: no title)."""
    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            array = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=obj["dtype"])
            if "shape" in obj:
                array = array.reshape([int(n) for n in str(obj["shape"]).split(",")])
            return plain(array.tolist())
        items = ((key, plain(value)) for key, value in obj.items())
        return {key: value for key, value in items if value != {}}
    if isinstance(obj, list):
        return [plain(value) for value in obj]
    if isinstance(obj, float) and math.isnan(obj):
        return None
    return obj


def embedded(spec: dict) -> dict:
    """What the page embeds and plotly.js parses: strict JSON (a NaN would not parse)."""
    return json.loads(json.dumps(spec, allow_nan=False))


def assert_same_figure(spec: dict, old: go.Figure) -> None:
    new = embedded(spec)
    before = plain(json.loads(old.to_json()))
    assert [t["type"] for t in new["data"]] == [t["type"] for t in before["data"]]
    for mine, theirs in zip(new["data"], before["data"], strict=True):
        assert mine == theirs, mine.get("name")
    assert new["layout"] == before["layout"]
    # plotly's validation takes every property as written and changes none
    assert plain(json.loads(go.Figure(spec).to_json())) == new


@pytest.fixture
def built(monkeypatch):
    """Every figure the pages build during a test: (builder, spec as embedded, the former
    builder's figure from the same arguments)."""
    pairs = []

    def both(name):
        new, old = getattr(charts, name), getattr(reference, name)

        def build(*args, **kwargs):
            spec = new(*args, **kwargs)
            pairs.append((name, embedded(spec), old(*args, **kwargs)))
            return spec

        return build

    for name in BUILDERS:
        monkeypatch.setattr(charts, name, both(name))
    return pairs


@pytest.mark.django_db
def test_the_pages_charts_are_the_figures_plotly_built(client, built, seed):
    for url in (
        "/",
        "/?year=2014",
        "/countries/poland/",
        "/countries/united-states/",
        "/countries/iceland/",
        "/countries/finland/",  # the years before it joined, shaded
        "/compare/?allies=POL,deu,france&metric=pct_gdp",
        "/compare/?allies=USA,CAN&metric=spending_usd",
    ):
        assert client.get(url).status_code == 200, url
    assert {name for name, _, _ in built} == set(BUILDERS)
    for name, spec, old in built:
        assert spec["data"], name  # charts with something drawn, not only empty ones
        assert_same_figure(spec, old)


def gappy(estimates: list[bool]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2014, 2016, 2017, 2020],
            "value": [Decimal("1.20"), Decimal("1.35"), None, Decimal("2.05")],
            "estimate": estimates,
            "source_code": ["E1", "E1", "E2", "E2"],
        }
    )


EDITIONS = [
    {"code": "E1", "short_title": "One", "released_label": "1 June 2024"},
    {"code": "E2", "short_title": "Two", "released_label": "2 July 2025"},
]


@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("ranking_chart", (ranking_frame(),), {"year": 2024, "targets": [T2, T35], "source": "s"}),
        ("ranking_chart", (ranking_frame(),), {"year": 2024, "targets": [], "source": "s"}),
        ("ranking_chart", (pd.DataFrame(),), {"year": 2024, "targets": [], "source": "s"}),
        (
            "map_chart",
            (ranking_frame().assign(highest=["2", "2", None]),),
            {
                "year": 2014,
                "source": "s",
                "targets": [T35, T2],
                "missing": pd.DataFrame(
                    [
                        {"iso3": "ISL", "name": "Iceland", "slug": "iceland"}
                        | {"status": "not_covered", "reason": "r"}
                    ]
                ),
            },
        ),
        (
            "country_pct_chart",
            (gappy([False, False, True, True]),),
            {"name": "X", "targets": [T2], "source": "s"},
        ),
        ("country_pct_chart", (gappy([True] * 4),), {"name": "X", "targets": [], "source": "s"}),
        (
            "country_equipment_chart",
            (gappy([False] * 4),),
            {"name": "X", "target": T2, "source": "s"},
        ),
        (
            "country_usd_chart",
            (gappy([False, True, False, True]).dropna(),),
            {"name": "X", "source": "s"},
        ),
        ("editions_chart", (gappy([False] * 4),), {"name": "X", "editions": EDITIONS}),
        # the years before the ally joined (2014-2016), shaded
        (
            "country_pct_chart",
            (gappy([False, False, True, True]),),
            {"name": "X", "targets": [T2], "source": "s", "joined": 2017},
        ),
        (
            "country_usd_chart",
            (gappy([False, True, False, True]).dropna(),),
            {"name": "X", "source": "s", "joined": 2015},
        ),
        (
            "country_equipment_chart",
            (gappy([False] * 4),),
            {"name": "X", "target": T2, "source": "s", "joined": 2030},
        ),
        (
            "editions_chart",
            (gappy([False] * 4),),
            {"name": "X", "editions": EDITIONS, "joined": 2016},
        ),
        (
            "compare_chart",
            # the years before the ally joined (member False), a gap between them and after
            (
                gappy([False, True, False, True]).assign(
                    iso3="FIN", name="Finland", member=[False, False, None, True]
                ),
            ),
            {"order": ["FIN"], "metric": "pct_gdp", "what": "% of GDP"}
            | {"targets": [T2], "source": "s"},
        ),
    ],
)
def test_edge_cases_are_the_figures_plotly_built(name, args, kwargs):
    """Gaps (None, NaN), Decimal values, estimates only, no target lines, no data at all."""
    assert_same_figure(
        getattr(charts, name)(*args, **kwargs), getattr(reference, name)(*args, **kwargs)
    )


def test_a_gap_is_null_in_the_json_the_page_embeds():
    spec = charts.editions_chart(gappy([False] * 4), name="X", editions=EDITIONS)
    text = json.dumps(spec, allow_nan=False)  # raises on a NaN, which JSON.parse rejects
    assert spec["data"][0]["y"] == [1.2, None, 1.35] and "NaN" not in text

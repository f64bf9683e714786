"""Pages about the official figures: dashboard, allies, methodology and chart embeds.

Thin views: read and validate the request's parameters, ask :mod:`pages.page_data` (which
asks :mod:`spending.selectors` and :mod:`articles.selectors`), render. Bad input gets a 400
page with the reason, an unknown ally a 404 page, both with a way back
(:func:`nato_tracker.web.page_view`).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from nato_tracker.web import PageError, PageRedirect, check_params, page_view

from . import exports, page_data
from .editions import definition_label, edition_by_code
from .params import (
    asked_year,
    canonical_slug,
    lines_params,
    member_by_slug,
    parse_allies,
    parse_lines,
    parse_metric,
    resolve_vintage,
    vintage_query,
)

DASHBOARD_CHARTS = {
    "ranking": "Defence spending as % of GDP, ranked",
    "map": "Map of defence spending as % of GDP",
    "trend": "Allies at or above 2% of GDP, by year",
    "spending": "NATO total defence spending",
}
COUNTRY_CHARTS = {
    "country-pct": ("pct", "% of GDP against the targets"),
    "country-usd": ("usd", "defence spending in US$"),
    "country-equipment": ("equipment", "equipment share of defence spending"),
    "country-editions": ("editions", "% of GDP edition by edition"),
}

COMPARE_CHARTS = {"compare": "Allies compared"}

# The query parameters each page takes; any other gets a 400 naming the accepted ones.
VINTAGE_PARAMS = ("edition", "as_of")
DASHBOARD_PARAMS = ("year", "line", "lines", *VINTAGE_PARAMS)
COUNTRY_PARAMS = ("year", *VINTAGE_PARAMS)
COUNTRY_CHART_PARAMS = ("ally", *COUNTRY_PARAMS)
COMPARE_PARAMS = ("allies", "metric", "line", "lines", *VINTAGE_PARAMS)


def _member(slug: str, redirect_to: Callable[[str], str]):
    """The ally named by ``slug``. For an old slug or alias ("turkey" → "turkiye") a
    :class:`PageRedirect` to ``redirect_to(its slug)``; for an unknown one the 404
    :class:`PageError`."""
    try:
        return member_by_slug(slug)
    except PageError:
        target = canonical_slug(slug)
        if target is None:
            raise
        raise PageRedirect(redirect_to(target)) from None


def _vintage(request):
    return resolve_vintage(request.GET.get("edition"), request.GET.get("as_of"))


def _year(request) -> int | None:
    # read once, here, by the function that validates it: the year, never its text, goes on
    return asked_year(request.GET.get("year"))


def _lines(request) -> list[str]:
    # The form sends ``lines=1`` with its checkboxes so that "none ticked" is not "default".
    if "line" in request.GET or "lines" in request.GET:
        return parse_lines(request.GET.getlist("line"))
    return parse_lines(None)


def _dashboard_query(data: dict, vintage) -> str:
    query = urlencode([("year", data["year"]), *lines_params(data["lines"])])
    extra = vintage_query(vintage)
    return f"{query}&{extra}" if extra else query


def _country_query(member, data: dict, vintage, *, with_ally: bool) -> str:
    params = [("ally", member.slug)] if with_ally else []
    if data.get("year") is not None:
        params.append(("year", data["year"]))
    query = urlencode(params)
    extra = vintage_query(vintage)
    return "&".join(q for q in (query, extra) if q)


def _compare_params(data: dict) -> list[tuple[str, str]]:
    """The comparison's state but its edition: allies, measure and target lines."""
    params = [("allies", ",".join(m.iso3 for m in data["allies"])), ("metric", data["metric"])]
    return params + lines_params(data["lines"])


def _compare_query(data: dict, vintage) -> str:
    extra = vintage_query(vintage)
    query = urlencode(_compare_params(data))
    return f"{query}&{extra}" if extra else query


def chart_links(chart: str, page_url: str, query: str, *, anchor: str) -> dict:
    """Where a chart's state lives: its embed, its CSV and the page it is on, each with the same
    query (edition, as_of, year, allies, target lines)."""
    q = f"?{query}" if query else ""
    return {
        "embed": reverse("spending:embed", args=[chart]) + q,
        "csv": reverse("spending:chart_csv", args=[chart]) + q,
        "share": f"{page_url}{q}#figure-{anchor}",
    }


@require_safe
@page_view
def dashboard(request):
    check_params(request.GET, DASHBOARD_PARAMS)
    vintage = _vintage(request)
    data = page_data.dashboard(vintage, _year(request), _lines(request))
    query = _dashboard_query(data, vintage)
    home = reverse("spending:dashboard")
    context = {
        **data,
        "vintage_query": vintage_query(vintage),
        "share_query": query,
        "embed_charts": DASHBOARD_CHARTS,
        "links": {c: chart_links(c, home, query, anchor=c) for c in DASHBOARD_CHARTS},
    }
    return render(request, "spending/dashboard.html", context)


@require_safe
@page_view
def countries(request):
    check_params(request.GET, VINTAGE_PARAMS)
    vintage = _vintage(request)
    data = page_data.countries(vintage)
    return render(
        request, "spending/countries.html", {**data, "vintage_query": vintage_query(vintage)}
    )


@require_safe
@page_view
def country(request, slug: str):
    asked = request.META.get("QUERY_STRING", "")
    member = _member(
        slug,
        lambda s: reverse("spending:country", kwargs={"slug": s}) + (f"?{asked}" if asked else ""),
    )
    check_params(request.GET, COUNTRY_PARAMS)
    vintage = _vintage(request)
    data = page_data.country(member, vintage, _year(request))
    query = _country_query(member, data, vintage, with_ally=True)
    page = member.get_absolute_url()
    page_query = _country_query(member, data, vintage, with_ally=False)
    links = {}
    for chart, (key, _what) in COUNTRY_CHARTS.items():
        links[key] = chart_links(chart, page, query, anchor=key)
        links[key]["share"] = f"{page}{'?' if page_query else ''}{page_query}#figure-{key}"
    context = {
        **data,
        "vintage_query": vintage_query(vintage),
        "embed_charts": COUNTRY_CHARTS,
        "links": links,
    }
    return render(request, "spending/country.html", context)


@require_safe
@page_view
def compare(request):
    """Several allies on one chart (``?allies=POL,DEU,FRA&metric=pct_gdp``)."""
    check_params(request.GET, COMPARE_PARAMS)
    vintage = _vintage(request)
    data = _compare_data(request, vintage)
    query = _compare_query(data, vintage)
    keep = _compare_params(data)
    context = {
        **data,
        "vintage_query": vintage_query(vintage),
        # the edition picker keeps the allies, measure and lines chosen
        "keep": keep,
        "keep_query": urlencode(keep),
        "chosen": {m.iso3 for m in data["allies"]},
        "links": {
            "compare": chart_links("compare", reverse("spending:compare"), query, anchor="compare")
        },
    }
    return render(request, "spending/compare.html", context)


def _compare_data(request, vintage) -> dict:
    return page_data.compare(
        vintage,
        # ``allies=POL,DEU`` (a link) or ``allies=POL&allies=DEU`` (the form's checkboxes)
        parse_allies(",".join(request.GET.getlist("allies")) or None),
        parse_metric(request.GET.get("metric")),
        _lines(request),
    )


@require_safe
@page_view
def methodology(request):
    check_params(request.GET, ())
    return render(request, "spending/methodology.html", page_data.methodology())


def _chart(request, chart: str) -> dict:
    """Resolve one chart and its state from the request (embed and CSV alike): its page's
    official data (no statements: a chart shows none), figure as JSON, title, rows drawn, the
    page it comes from and the edition asked for (the embed's table links keep it).
    :class:`PageError` on bad input, a :class:`PageRedirect` to the same chart under the
    ally's slug for an old slug."""
    source = credit = None
    if chart in DASHBOARD_CHARTS:
        check_params(request.GET, DASHBOARD_PARAMS)
        vintage = _vintage(request)
        data = page_data.dashboard_official(vintage, _year(request), _lines(request))
        key = chart
        title = f"{DASHBOARD_CHARTS[chart]}, {data['year']}"
        full_url = f"/?{_dashboard_query(data, vintage)}"
    elif chart in COUNTRY_CHARTS:
        check_params(request.GET, COUNTRY_CHART_PARAMS)
        slug = request.GET.get("ally", "")
        if not slug:
            raise PageError(400, "This chart needs an ally: add ?ally=<name>, e.g. ?ally=poland.")

        def same_chart_for(ally: str) -> str:
            params = request.GET.copy()
            params["ally"] = ally
            return f"{request.path}?{params.urlencode()}"

        member = _member(slug, same_chart_for)
        vintage = _vintage(request)
        data = page_data.country_official(member, vintage, _year(request))
        key, what = COUNTRY_CHARTS[chart]
        title = f"{member.name}: {what}"
        query = _country_query(member, data, vintage, with_ally=False)
        full_url = member.get_absolute_url() + (f"?{query}" if query else "")
        if key == "editions":
            # One chart, several editions: name every edition plotted, not the page's edition.
            source = data["editions_source"]
            credit = source.removeprefix("Source: ")
    elif chart in COMPARE_CHARTS:
        check_params(request.GET, COMPARE_PARAMS)
        vintage = _vintage(request)
        data = _compare_data(request, vintage)
        key = chart
        title = f"{data['names']}: {data['metric_label']}"
        full_url = reverse("spending:compare") + "?" + _compare_query(data, vintage)
    else:
        raise PageError(
            404,
            f"There is no chart {chart[:40]!r}; charts: "
            + ", ".join([*DASHBOARD_CHARTS, *COUNTRY_CHARTS, *COMPARE_CHARTS])
            + ".",
        )
    figure_json = data["figure_json"] if key == "compare" else data["figures"].get(key)
    if figure_json is None:
        raise PageError(404, "There are no figures for this chart in this edition.")
    return {
        "data": data,
        "figure_json": figure_json,
        "title": title,
        "full_url": full_url,
        "vintage": vintage,
        "rows": data["chart_rows"][key],
        "source": source,
        "credit": credit,
    }


@require_safe
@xframe_options_exempt
@page_view
def embed(request, chart: str):
    """One chart alone, ready for an ``<iframe>``, with its table and source."""
    found = _chart(request, chart)
    context = {
        **found["data"],
        "chart": chart,
        "figure_json": found["figure_json"],
        "title": found["title"],
        "full_url": found["full_url"],
        "vintage_query": vintage_query(found["vintage"]),  # the table's links keep the edition
        "links": {
            "embed": request.get_full_path(),
            "csv": reverse("spending:chart_csv", args=[chart]) + _query_of(request),
            "share": found["full_url"],
        },
    }
    if found["source"]:
        context["source_label"] = found["source"]
    if found["credit"]:
        context["credit"] = found["credit"]
    return render(request, "spending/embed.html", context)


def _query_of(request) -> str:
    query = request.META.get("QUERY_STRING", "")
    return f"?{query}" if query else ""


@require_safe
@page_view
def chart_csv(request, chart: str):
    """The rows a chart draws, as CSV with their editions, release dates, definition and a
    citation (:mod:`pages.exports`); same parameters as the chart's embed (an old ally slug: the
    same CSV under the ally's slug)."""
    found = _chart(request, chart)
    text = exports.chart_csv(
        found["rows"],
        title=found["title"],
        url=request.build_absolute_uri(found["full_url"]),
        edition_of=edition_by_code,
        definition_of=definition_label,
        retrieved=timezone.localdate(),
    )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart}.csv"'
    return response

"""Pages about the official figures: dashboard, allies, methodology and chart embeds.

Thin views: read and validate the request's parameters, ask :mod:`spending.page_data` (which
asks :mod:`spending.selectors`), render. Bad input gets a 400 page with the reason, an unknown
ally a 404 page, both with a way back.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from nato_tracker.views import error_page

from . import page_data
from .page_data import PageError

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

# The query parameters each page takes; any other gets a 400 naming the accepted ones.
VINTAGE_PARAMS = ("edition", "as_of")
DASHBOARD_PARAMS = ("year", "line", "lines", *VINTAGE_PARAMS)
COUNTRY_CHART_PARAMS = ("ally", *VINTAGE_PARAMS)


def _redirect_alias(request, slug: str, url_for):
    """301 to the ally's page when ``slug`` is an old slug or alias ("turkey" → "turkiye")."""
    target = page_data.canonical_slug(slug)
    if target is None:
        return None
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(url_for(target) + (f"?{query}" if query else ""))


def _vintage(request):
    return page_data.resolve_vintage(request.GET.get("edition"), request.GET.get("as_of"))


def _vintage_query(vintage) -> str:
    params = {}
    if vintage.edition:
        params["edition"] = vintage.edition
    if vintage.as_of:
        params["as_of"] = vintage.as_of.isoformat()
    return urlencode(params)


def _lines(request) -> list[str]:
    # The form sends ``lines=1`` with its checkboxes so that "none ticked" is not "default".
    if "line" in request.GET or "lines" in request.GET:
        return page_data.parse_lines(request.GET.getlist("line"))
    return page_data.parse_lines(None)


def _dashboard_query(data: dict, vintage) -> str:
    params = [("year", data["year"])]
    if list(data["lines"]) != list(page_data.DEFAULT_LINES):
        params += [("lines", "1")] + [("line", code) for code in data["lines"]]
    query = urlencode(params)
    extra = _vintage_query(vintage)
    return f"{query}&{extra}" if extra else query


@require_safe
def dashboard(request):
    try:
        page_data.check_params(request.GET, DASHBOARD_PARAMS)
        vintage = _vintage(request)
        data = page_data.dashboard(vintage, request.GET.get("year"), _lines(request))
    except PageError as exc:
        return error_page(request, exc.status, exc.reason)
    context = {
        **data,
        "vintage_query": _vintage_query(vintage),
        "share_query": _dashboard_query(data, vintage),
        "embed_charts": DASHBOARD_CHARTS,
    }
    return render(request, "spending/dashboard.html", context)


@require_safe
def countries(request):
    try:
        page_data.check_params(request.GET, VINTAGE_PARAMS)
        vintage = _vintage(request)
    except PageError as exc:
        return error_page(request, exc.status, exc.reason)
    data = page_data.countries(vintage)
    return render(
        request, "spending/countries.html", {**data, "vintage_query": _vintage_query(vintage)}
    )


@require_safe
def country(request, slug: str):
    try:
        member = page_data.member_by_slug(slug)
    except PageError as exc:
        redirect = _redirect_alias(
            request, slug, lambda s: reverse("spending:country", kwargs={"slug": s})
        )
        return redirect or error_page(request, exc.status, exc.reason)
    try:
        page_data.check_params(request.GET, VINTAGE_PARAMS)
        vintage = _vintage(request)
    except PageError as exc:
        return error_page(request, exc.status, exc.reason)
    data = page_data.country(member, vintage)
    return render(
        request,
        "spending/country.html",
        {**data, "vintage_query": _vintage_query(vintage), "embed_charts": COUNTRY_CHARTS},
    )


@require_safe
def methodology(request):
    try:
        page_data.check_params(request.GET, ())
    except PageError as exc:
        return error_page(request, exc.status, exc.reason)
    return render(request, "spending/methodology.html", page_data.methodology())


@require_safe
@xframe_options_exempt
def embed(request, chart: str):
    """One chart alone, ready for an ``<iframe>``, with its table and source."""
    try:
        source = credit = None
        if chart in DASHBOARD_CHARTS:
            page_data.check_params(request.GET, DASHBOARD_PARAMS)
            vintage = _vintage(request)
            data = page_data.dashboard(vintage, request.GET.get("year"), _lines(request))
            figure = data["charts"].get(chart)
            title = f"{DASHBOARD_CHARTS[chart]}"
            full_url = f"/?{_dashboard_query(data, vintage)}"
        elif chart in COUNTRY_CHARTS:
            page_data.check_params(request.GET, COUNTRY_CHART_PARAMS)
            slug = request.GET.get("ally", "")
            if not slug:
                raise PageError(
                    400, "This chart needs an ally: add ?ally=<name>, e.g. ?ally=poland."
                )
            try:
                member = page_data.member_by_slug(slug)
            except PageError:
                target = page_data.canonical_slug(slug)
                if target is None:
                    raise
                params = request.GET.copy()
                params["ally"] = target
                return HttpResponsePermanentRedirect(f"{request.path}?{params.urlencode()}")
            vintage = _vintage(request)
            data = page_data.country(member, vintage)
            key, what = COUNTRY_CHARTS[chart]
            figure = data["charts"].get(key)
            title = f"{member.name}: {what}"
            query = _vintage_query(vintage)
            full_url = member.get_absolute_url() + (f"?{query}" if query else "")
            if key == "editions":
                # One chart, several editions: name every edition plotted, not the page's edition.
                source = data["editions_source"]
                credit = source.removeprefix("Source: ")
        else:
            raise PageError(
                404,
                f"There is no chart {chart[:40]!r}; charts: "
                + ", ".join([*DASHBOARD_CHARTS, *COUNTRY_CHARTS])
                + ".",
            )
    except PageError as exc:
        return error_page(request, exc.status, exc.reason)
    if figure is None:
        return error_page(request, 404, "There are no figures for this chart in this edition.")
    context = {**data, "chart": chart, "figure": figure, "title": title, "full_url": full_url}
    if source:
        context["source_label"] = source
    if credit:
        context["credit"] = credit
    return render(request, "spending/embed.html", context)

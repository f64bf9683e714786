"""A page's query parameters read into what the page builders take: the vintage (``edition`` /
``as_of``), the year, the target lines, the allies compared and the measure, and an ally from
its slug (an old slug or alias is redirected). Bad input is a 400 :class:`PageError`, an
unknown ally a 404. The parameters a page accepts are checked by
:func:`nato_tracker.web.check_params`."""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import slugify

from nato_tracker.data_version import cached
from nato_tracker.web import PageError
from spending.formatting import year_runs
from spending.models import (
    CountryAlias,
    MemberState,
    Metric,
)
from spending.selectors import (
    LATEST,
    SelectionError,
    Vintage,
    parse_vintage,
)

from .targets import pct_targets

DEFAULT_LINES = ("2", "3.5", "5")


def cache_key(*parts: object) -> str:
    """A short, safe cache key for any user-supplied parts."""
    raw = "|".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()


# Keys of builders whose result changed shape carry "pages3:" ("pages7:" the dashboard and the
# ally page, which hold their HTML fragments and their figures' JSON instead of the figures
# since; bump it with every change of shape), so that values cached by the previous version
# of these modules (same data version, a shared or file cache that outlives a deploy) are
# never read back: the editions' release dates and the pages' chart rows were missing from
# "pages2:" values, a 500 after an upgrade.


def vintage_key(vintage: Vintage) -> str:
    return f"{vintage.edition or ''}|{vintage.as_of.isoformat() if vintage.as_of else ''}"


def compare_url(member: MemberState) -> str:
    """The comparison of ``member`` with two of the allies compared by default."""
    others = [code for code in DEFAULT_COMPARED if code != member.iso3][:2]
    return (
        reverse("spending:compare") + "?" + urlencode({"allies": ",".join([member.iso3, *others])})
    )


def vintage_query(vintage: Vintage) -> str:
    """The query string that asks for ``vintage`` (``edition=…`` or ``as_of=…``; "" for the
    latest), kept by the pages' links."""
    params = {}
    if vintage.edition:
        params["edition"] = vintage.edition
    if vintage.as_of:
        params["as_of"] = vintage.as_of.isoformat()
    return urlencode(params)


# --------------------------------------------------------------------------- editions, vintages


def resolve_vintage(edition: str | None, as_of: str | None) -> Vintage:
    """``?edition=`` / ``?as_of=`` → :class:`Vintage` (cached); :class:`PageError` 400 if bad."""
    if not (edition or "").strip() and not (as_of or "").strip():
        return LATEST
    try:
        return cached(
            f"vintage:{cache_key(edition, as_of)}",
            lambda: parse_vintage(edition, as_of),
            scope="official",
        )
    except SelectionError as exc:
        raise PageError(400, str(exc)) from None


def asked_year(raw: str | None) -> int | None:
    """The year ``?year=`` names (``None``: absent or blank, the default year);
    :class:`PageError` 400 when it names none."""
    if raw is None or raw.strip() == "":
        return None
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise PageError(400, f"year must be a four-digit year, not {raw[:20]!r}.")
    return int(raw)


def year_key(year: int | None) -> str:
    """A year :func:`asked_year` read (``None``: the default year) in a page's cache key."""
    return "" if year is None else str(year)


def chosen_year(year: int | None, years: list[int]) -> int:
    """The year a page shows: ``year`` (:func:`asked_year`'s, read once by the view) if it
    has data, the latest year with data by default; :class:`PageError` 400 otherwise."""
    if not years:
        raise PageError(400, "No % of GDP figures were published in this edition.")
    if year is None:
        return years[-1]
    if year not in years:
        raise PageError(
            400,
            f"There are no figures for {year} in this edition; years with figures: "
            f"{year_runs(years)}.",
        )
    return year


def lines_params(lines) -> list[tuple[str, str]]:
    """The query parameters of the target lines drawn: none for the default lines, else
    ``lines=1`` (so that none ticked is not the default) and a ``line`` per target."""
    if list(lines) == list(DEFAULT_LINES):
        return []
    return [("lines", "1")] + [("line", code) for code in lines]


def parse_lines(codes: list[str] | None) -> list[str]:
    """``?line=2&line=3.5`` → target codes drawn on the ranking chart; 400 on unknown codes."""
    if codes is None:
        return list(DEFAULT_LINES)
    known = {t.code for t in pct_targets()}
    bad = [c for c in codes if c not in known]
    if bad:
        raise PageError(
            400,
            f"Unknown target {bad[0][:20]!r}; targets: {', '.join(sorted(known))}.",
        )
    return [t.code for t in pct_targets() if t.code in codes]


# --------------------------------------------------------------------------- one ally


def members_by_slug() -> dict[str, MemberState]:
    return {m.slug: m for m in MemberState.objects.all()}


def members_in_order() -> list[MemberState]:
    """Every ally in name order (cached under the official version): one read for the
    dashboard's alliance rows and its counts by edition."""
    return cached(
        "members-by-name", lambda: list(MemberState.objects.order_by("name")), scope="official"
    )


#: Kinds of alias that name the country itself (not "Dutch", "Ankara" or "The Hague").
REDIRECTED_ALIAS_KINDS = (CountryAlias.Kind.NAME, CountryAlias.Kind.SHORTHAND)


def _alias_slugs() -> dict[str, str]:
    """slugified alias → the ally's slug ("turkey" → "turkiye", "uk" → "united-kingdom")."""
    out: dict[str, str] = {}
    aliases = CountryAlias.objects.filter(kind__in=REDIRECTED_ALIAS_KINDS).select_related("member")
    for alias in aliases.order_by("pk"):
        key = slugify(alias.alias)
        if key and key != alias.member.slug:
            out.setdefault(key, alias.member.slug)
    return out


def canonical_slug(slug: str) -> str | None:
    """The slug of the ally an old slug or alias names ("turkey" → "turkiye"), else ``None``.

    Only asked when ``slug`` names no ally, so known slugs cost no query.
    """
    return cached("alias-slugs", _alias_slugs, scope="official").get(slug)


def member_by_slug(slug: str) -> MemberState:
    members = cached("members-by-slug", members_by_slug, scope="official")
    member = members.get(slug)
    if member is None:
        raise PageError(404, f"There is no ally called {slug[:60]!r}.")
    return member


# --------------------------------------------------------------------------- comparison

#: What the comparison page can chart, and the default allies it opens with.
COMPARE_METRICS = {
    Metric.PCT_GDP.value: "% of GDP",
    Metric.SPENDING_USD.value: "US$ million (current prices)",
    Metric.EQUIPMENT_SHARE.value: "equipment, % of defence spending",
}
DEFAULT_COMPARED = ("POL", "DEU", "FRA")
MAX_COMPARED = 10


def parse_allies(raw: str | None) -> list[MemberState]:
    """``?allies=POL,DEU,FRA`` (ISO 3166 alpha-3 codes, any case; slugs too) → members in the
    order given; the default three when absent; :class:`PageError` 400 on an unknown ally."""
    members = cached("members-by-slug", members_by_slug, scope="official")
    by_code = {m.iso3.upper(): m for m in members.values()}
    if raw is None or not raw.strip():
        return [by_code[c] for c in DEFAULT_COMPARED if c in by_code]
    chosen: list[MemberState] = []
    for part in raw.split(","):
        code = part.strip()
        if not code:
            continue
        member = by_code.get(code.upper()) or members.get(code.lower())
        if member is None:
            raise PageError(
                400,
                f"Unknown ally {code[:20]!r} in allies; use ISO codes separated by commas, "
                f"e.g. allies=POL,DEU,FRA. Allies: {', '.join(sorted(by_code))}.",
            )
        if member not in chosen:
            chosen.append(member)
    if len(chosen) > MAX_COMPARED:
        raise PageError(400, f"Compare at most {MAX_COMPARED} allies at once.")
    return chosen


def parse_metric(raw: str | None) -> str:
    if raw is None or not raw.strip():
        return Metric.PCT_GDP.value
    if raw not in COMPARE_METRICS:
        raise PageError(400, f"Unknown metric {raw[:30]!r}; metrics: {', '.join(COMPARE_METRICS)}.")
    return raw

"""Pages about statements, speakers and articles (public: rejected statements never shown).

Every list is paginated (:data:`PAGE_SIZE`) or a short preview with a "see all" link to the
paginated list (:mod:`articles.selectors`); no list loads an article's text.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from nato_tracker.middleware import request_data_version
from nato_tracker.paginator import RowsFirstPaginator
from nato_tracker.web import PageError, check_params, page_view

from . import jsonld, reading, selectors
from .api.rows import statement_values
from .filters import StatementFilterSet
from .models import spans_overlap
from .statement_html import filter_options_html, statement_items_html
from .statement_list import FilteredStatements, given
from .statement_reads import names_and_roles

PAGE_SIZE = 25
#: The speakers page lists more names per page than the pages of statements.
SPEAKERS_PAGE_SIZE = 100
#: The statements page takes the API's statements filters, and ``page``.
STATEMENT_PARAMS = (*StatementFilterSet.base_filters, "page")


def _page(request, items, per_page: int = PAGE_SIZE, default: int = 1):
    paginator = RowsFirstPaginator(items, per_page)
    raw = request.GET.get("page", str(default))
    try:
        return paginator.page(raw)
    except PageNotAnInteger:
        raise PageError(400, f"page must be a number, not {raw[:20]!r}.") from None
    except EmptyPage:
        raise PageError(400, f"There is no page {raw[:20]} of these results.") from None


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def filter_errors(errors) -> str:
    """A FilterSet's errors as one sentence per parameter: ``ally: Unknown ally code ZZZ…``."""
    return " ".join(
        f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
        for name, messages in errors.items()
    )


def _statement_items(request, rows) -> str:
    """The ``<li>`` of each statement of ``rows`` (:func:`statement_values`): the official names
    and the speakers' roles under the data version the request has read for its ETag (no
    other cache round trip)."""
    names, roles = names_and_roles(request_data_version(request))
    return statement_items_html(rows, names, roles)


@require_safe
@page_view
def statements(request):
    """The statements list: the API's statements filters (:class:`StatementFilterSet`, the
    same parameters and errors), newest first, a page at a time."""
    check_params(request.GET, STATEMENT_PARAMS)
    search = StatementFilterSet(request.GET)  # validates; the list: FilteredStatements
    if not search.is_valid():
        raise PageError(400, filter_errors(search.errors))
    filters = search.form.cleaned_data
    page = _page(request, FilteredStatements(filters))
    # Under the data version the request has read (its ETag's): no other cache round trip.
    version = request_data_version(request)
    names, roles = names_and_roles(version)
    return render(
        request,
        "articles/statements.html",
        {
            "filters": filters,
            "filtered": any(given(value) for value in filters.values()),
            "page": page,
            "statement_items": statement_items_html(page.object_list, names, roles),
            "query": _query_without_page(request),
            **filter_options_html(filters, names, version),
        },
    )


@require_safe
@page_view
def statement(request, pk: int):
    check_params(request.GET, ())
    item = selectors.statement_detail(pk)
    if item is None:
        raise PageError(404, f"There is no statement number {pk}.")
    before, quote, after = selectors.context_excerpt(item.article.text, item.start, item.end)
    claims = item.claims()
    for claim in claims:
        claim.article = item.article
        claim.anchor = anchor(claim)
    return render(
        request,
        "articles/statement.html",
        {
            "statement": item,
            "before": before,
            "quote": quote,
            "after": after,
            "claims": claims,
            "claim_reviews": claim_reviews(request, claims, statement=item),
        },
    )


def anchor(claim) -> str:
    return f"claim-{claim._meta.model_name}-{claim.pk}"


def claim_reviews(request, claims, *, statement=None):
    """The ``<script type="application/ld+json">`` blocks for the claims editors confirmed."""
    page = request.build_absolute_uri(request.path)
    reviews = []
    for claim in claims:
        if not jsonld.is_published_check(claim):
            continue
        member = getattr(claim, "member", None)
        reviews.append(
            jsonld.review_for_claim(
                claim,
                review_url=f"{page}#{anchor(claim)}",
                statement=statement,
                figure_url=request.build_absolute_uri(member.get_absolute_url()) if member else "",
            )
        )
    return [jsonld.script_tag(r) for r in reviews]


@require_safe
@page_view
def speakers(request):
    check_params(request.GET, ("page",))
    page = _page(request, selectors.speakers_with_counts(), SPEAKERS_PAGE_SIZE)
    return render(
        request,
        "articles/speakers.html",
        {"speakers": page.object_list, "page": page, "query": ""},
    )


@require_safe
@page_view
def speaker(request, slug: str):
    from .models import Speaker

    person = Speaker.objects.filter(slug=slug).first()
    if person is None:
        raise PageError(404, f"There is no speaker {slug[:60]!r}.")
    check_params(request.GET, ("page",))
    page = _page(request, statement_values(selectors.statements_for_speaker(person)))
    return render(
        request,
        "articles/speaker.html",
        {
            "speaker": person,
            "page": page,
            "statement_items": _statement_items(request, page.object_list),
            "query": "",
        },
    )


@require_safe
@page_view
def articles(request):
    check_params(request.GET, ("page",))
    page = _page(request, selectors.articles_with_counts())
    return render(request, "articles/articles.html", {"page": page, "query": ""})


def highlight_quotes(text: str, spans) -> str:
    """The article text, escaped, with each quote wrapped in a ``<mark>`` linking to its page.

    ``spans`` are ``(pk, start, end)`` of the statements (:func:`selectors.quote_spans`).
    Built from the offsets with ``escape``/``format_html``; overlapping or out-of-range spans
    are skipped, so the text is always shown whole and safe.
    """
    parts: list[str] = []
    cursor = 0
    for pk, start, end in sorted(spans, key=lambda span: (span[1], span[2])):
        end = min(end, len(text))
        if start < cursor or start >= end:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(
            format_html(
                '<mark id="q{}" class="quote"><a href="{}">{}</a></mark>',
                pk,
                reverse("articles:statement", kwargs={"pk": pk}),
                text[start:end],
            )
        )
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))


def _quote_pk_of(claim, spans) -> int | None:
    """The pk of the first quote (of ``spans``) that the claim's text overlaps, if any."""
    for pk, start, end in spans:
        if spans_overlap(claim.start, claim.end, start, end):
            return pk
    return None


def _part_of(request, text_pages, spans) -> int:
    """The part of an article's text that ``?quote=`` names (1 without it)."""
    raw = request.GET.get("quote")
    if raw is None:
        return 1
    number = int(raw) if raw.isdigit() else None
    part = reading.page_of_quote(text_pages, spans, number) if number is not None else None
    if part is None:
        raise PageError(400, f"quote {raw[:20]!r} is not a quotation of this article.")
    return part


@require_safe
@page_view
def article(request, pk: int):
    check_params(request.GET, ("page", "quote"))
    item = selectors.article_detail(pk)
    if item is None:
        raise PageError(404, f"There is no article number {pk}.")
    quotes = selectors.preview(
        statement_values(selectors.article_statements(item)), selectors.PREVIEW_STATEMENTS
    )
    spans = selectors.quote_spans(item)
    # Long texts are shown a part at a time (each part's quotes highlighted); ``?quote=`` (the
    # statement pages' links) opens the part that holds that quote.
    text_pages = reading.text_pages(item.text, spans)
    text_page = _page(request, text_pages, per_page=1, default=_part_of(request, text_pages, spans))
    (start, end) = text_page.object_list[0]
    claims = selectors.article_claims(item)
    every_claim = [c for key, rows in claims.items() if key != "inconsistencies" for c in rows]
    for claim in every_claim:
        claim.article = item
        claim.anchor = anchor(claim)
    published = [claim for claim in every_claim if jsonld.is_published_check(claim)]
    quote_pk = {id(claim): _quote_pk_of(claim, spans) for claim in published}
    shown = {}
    # The quotes of published claims: read in one query, not one per claim.
    quoted = {pk for pk in quote_pk.values() if pk is not None}
    if quoted:
        # (their speaker is all a claim review reads: no allies, targets or links)
        for statement in selectors.public_statements().filter(pk__in=quoted).prefetch_related(None):
            statement.article = item
            shown[statement.pk] = statement
    reviews = [
        tag
        for claim in published
        for tag in claim_reviews(request, [claim], statement=shown.get(quote_pk[id(claim)]))
    ]
    return render(
        request,
        "articles/article.html",
        {
            "article": item,
            "statements": quotes,
            "statement_items": _statement_items(request, quotes.items),
            "quote_count": len(spans),
            "highlighted": highlight_quotes(
                item.text[start:end], reading.spans_within(spans, start, end)
            ),
            "page": text_page,
            "claim_reviews": reviews,
            **claims,
        },
    )

"""Public queries for statements, speakers and articles.

Rejected statements (mis-extractions) and rejected articles never reach a public page: every
query here starts from ``.public()`` (:func:`articles.models.public_statement`, the one rule).
Text search of statements is one rule, :func:`filter_statements_by_words`, used by the
statements page and the API alike.

Bounded: no list loads an article's text (:func:`articles.models.with_article`), and every list
a page shows is paginated or cut to a preview (:data:`PREVIEW_STATEMENTS`,
:data:`PREVIEW_CLAIMS`) with its total, for a "see all" link to the paginated list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from nato_tracker.compiled import Param, fill, param_slots
from spending.models import MemberState, Target

from .models import (
    AggregateClaim,
    Article,
    ReportedFigure,
    ReviewStatus,
    Speaker,
    Statement,
    StatementLink,
    TargetList,
    with_article,
)
from .search import SEARCH_CONFIG

#: At most this many statements in a page's short list (an ally's page, an article's page);
#: a "see all" link leads to the paginated statements list.
PREVIEW_STATEMENTS = 10
#: At most this many claims of each kind in a page's short list (likewise, to the claims list).
PREVIEW_CLAIMS = 20
#: At most this many pending statements of one article in the review queue.
QUEUE_STATEMENTS_PER_ARTICLE = 20

#: At most this many words of a search are used.
MAX_SEARCH_WORDS = 10
_WORD = re.compile(r"[^\W_]+(?:['’.,-][^\W_]+)*%?")


#: THE order of a statement's editors' links: the order they were made.
LINK_ORDER = ("created_at", "pk")
# Editors' links as the public pages show them (one query for a whole list of statements).
LINKS = StatementLink.objects.select_related("figure__member", "figure__source", "target").order_by(
    *LINK_ORDER
)


@dataclass
class Preview:
    """The first rows of a longer list, and how many there are in all."""

    items: list
    total: int

    @property
    def more(self) -> bool:
        return self.total > len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def preview(queryset: QuerySet, limit: int) -> Preview:
    """``limit`` rows of ``queryset`` and its count (one more query, only when cut)."""
    items = list(queryset[: limit + 1])
    if len(items) <= limit:
        return Preview(items, len(items))
    return Preview(items[:limit], queryset.count())


def public_articles() -> QuerySet[Article]:
    return Article.objects.public()


def public_statements() -> QuerySet[Statement]:
    """Statements that are not rejected, in articles that are not rejected, with relations
    (their article without its text)."""
    return (
        with_article(Statement.objects.public())
        .select_related("speaker")
        .prefetch_related(
            Prefetch("members", queryset=MemberState.objects.order_by("name")),
            Prefetch("targets", queryset=Target.objects.order_by("display_order")),
            Prefetch("links", queryset=LINKS),
        )
    )


#: Statements newest first, the one order of the statements page, ally and speaker pages and
#: the statements API: undated articles last on either database (PostgreSQL puts NULLs first
#: in a descending order, SQLite last).
STATEMENTS_NEWEST_FIRST = (
    F("article__published").desc(nulls_last=True),
    "-article_id",
    "start",
    "pk",
)


def _newest_first(qs: QuerySet[Statement]) -> QuerySet[Statement]:
    return qs.order_by(*STATEMENTS_NEWEST_FIRST)


def statements_for_speaker(speaker: Speaker) -> QuerySet[Statement]:
    """A speaker's public statements, newest first (a queryset: the page reads a page of it as
    values, ``articles.api.rows.statement_values``)."""
    return _newest_first(Statement.objects.public().filter(speaker=speaker))


def reported_figures_for(member: MemberState, limit: int = PREVIEW_CLAIMS) -> Preview:
    """The newest figures articles reported for the ally (at most ``limit``), and how many."""
    return preview(
        with_article(ReportedFigure.objects.public().filter(member=member)).order_by(
            F("article__published").desc(nulls_last=True), "article_id", "start", "pk"
        ),
        limit,
    )


def search_words(q: str) -> list[str]:
    """The words of a search, punctuation dropped: ``"spend much, much more"`` → 4 words."""
    return _WORD.findall(q or "")[:MAX_SEARCH_WORDS]


def word_pattern(word: str) -> str:
    """A regular expression (the same on SQLite's Python ``re`` and PostgreSQL's ARE) for
    ``word`` at the start of a word; a number also ends there and is not a decimal's tail."""
    escaped = re.escape(word)
    if word[:1].isdigit():
        return rf"(^|[^0-9a-z.,]){escaped}($|[^0-9a-z]|[.,]($|[^0-9]))"
    return rf"(^|[^0-9a-z]){escaped}"


def filter_statements_by_words(qs: QuerySet[Statement], q: str) -> QuerySet[Statement]:
    """THE statement search rule, for the statements page and the API alike.

    Every word of ``q`` must appear (in any order, anywhere) in the quote, the speaker's name as
    written or the name of the person it is attributed to; article titles are not searched. A
    word appears when a word of one of those texts starts with it (case-insensitive: "spend"
    finds "spending", "Rutte" finds "Rutte's"); a number must be a whole number there ("5" finds
    "5%" but not "2025", "50" or "3.5"; :func:`word_pattern`). On PostgreSQL also when
    full-text search (``english`` configuration: "spends" finds "spending") finds it in the
    statement's stored search document (quote and name as written, ``articles.search``) or in
    the person's name. So PostgreSQL finds everything SQLite finds, and more word forms. Only
    filters: the caller orders. No words (empty or punctuation only): ``qs`` unchanged.
    """
    words = search_words(q)
    if not words:
        return qs
    return qs.filter(pk__in=RawSQL(*WORDS_MATCH.sql(words)))


def _words_match(words: list[str]) -> QuerySet[Statement]:
    """The ids of the statements in which every one of ``words`` appears: the rule of
    :func:`filter_statements_by_words`, as the ORM writes it."""

    def in_statement(word: str) -> Q:
        pattern = word_pattern(word)
        return Q(text__iregex=pattern) | Q(speaker_as_written__iregex=pattern)

    qs = Statement.objects.all()
    if connection.vendor != "postgresql":
        for word in words:
            qs = qs.filter(in_statement(word) | Q(speaker__name__iregex=word_pattern(word)))
        return qs.order_by().values("pk")

    from django.contrib.postgres.search import SearchQuery, SearchVector

    # The statement's own texts: its stored search document (articles.search: parsed once when
    # written, GIN-indexed). The speakers' names: a short table, searched as one subquery.
    speakers = Speaker.objects.annotate(search_document=SearchVector("name", config=SEARCH_CONFIG))
    for word in words:
        query = SearchQuery(word, search_type="plain", config=SEARCH_CONFIG)
        named = speakers.filter(Q(search_document=query) | Q(name__iregex=word_pattern(word)))
        qs = qs.filter(
            Q(search_document=query) | in_statement(word) | Q(speaker__in=named.values("pk"))
        )
    return qs.order_by().values("pk")


class _WordsMatch:
    """:func:`_words_match` compiled by the ORM once per process for each shape of search (how
    many words, which are numbers: :func:`word_pattern` differs) and run again with other words:
    building and compiling the filters of each word cost more CPU (~1 ms for one word) than the
    database takes to answer. Each parameter of the compiled SQL is a word, its
    :func:`word_pattern` or a constant of the rule."""

    def __init__(self):
        self._compiled: dict[tuple, tuple[str, list]] = {}

    def sql(self, words: list[str]) -> tuple[str, list]:
        """The SQL of ``SELECT id ...`` for ``words`` and its parameters."""
        shape = (connection.vendor, *(word[:1].isdigit() for word in words))
        compiled = self._compiled.get(shape) or self._compile(shape)
        sql, slots = compiled
        return sql, fill(slots, words)

    def _compile(self, shape: tuple) -> tuple[str, list]:
        # Stand-ins of the same shape (a number is a number): no text holds them.
        stand_ins = [
            f"{9 if number else 'x'}standin{index}q" for index, number in enumerate(shape[1:])
        ]
        sql, params = _words_match(stand_ins).query.sql_with_params()
        slots = param_slots(params, stand_ins, forms=(word_pattern,))
        used = {slot.index for slot in slots if isinstance(slot, Param)}
        if used != set(range(len(stand_ins))):
            raise ValueError(f"the search does not take each of its words: {sql}")
        self._compiled[shape] = (sql, slots)
        return sql, slots


#: The statement search's SQL, compiled once for each shape of search.
WORDS_MATCH = _WordsMatch()


def search_statements(search) -> QuerySet[Statement]:
    """The statements a valid :class:`articles.filters.StatementFilterSet` over
    :func:`public_statements` selects, newest first (the statements page)."""
    return _newest_first(search.qs)


def speakers_with_counts() -> QuerySet[Speaker]:
    """Speakers by name with their public statements counted (``statement_count``; a queryset:
    the page paginates)."""
    return Speaker.objects.with_public_counts().order_by("name", "pk")


def articles_with_counts() -> QuerySet[Article]:
    """Public articles, newest first, with their public statements counted."""
    return (
        Article.objects.public()
        .listing()
        .with_public_counts()
        .order_by(F("published").desc(nulls_last=True), "-ingested_at", "-pk")
    )


def statement_detail(pk: int) -> Statement | None:
    """One public statement, its article *with* its text (the page shows the quote in it)."""
    return public_statements().defer(None).filter(pk=pk).first()


def article_detail(pk: int) -> Article | None:
    return public_articles().filter(pk=pk).first()


def article_statements(article: Article) -> QuerySet[Statement]:
    """The article's public statements in reading order (a queryset: the page previews it as
    values, ``articles.api.rows.statement_values``)."""
    return Statement.objects.public().filter(article=article).order_by("start", "pk")


def quote_spans(article: Article) -> list[tuple[int, int, int]]:
    """``(pk, start, end)`` of every public statement of the article, to highlight the text
    (three numbers a quote, however many there are)."""
    return list(
        Statement.objects.public()
        .filter(article=article)
        .order_by("start", "pk")
        .values_list("pk", "start", "end")
    )


def article_claims(article: Article, limit: int = PREVIEW_CLAIMS) -> dict[str, Preview]:
    """The article's claims of each kind, in reading order (at most ``limit`` each), and
    ``inconsistencies``: where its counts and lists shown do not add up."""
    aggregate_claims = preview(
        AggregateClaim.objects.filter(article=article).order_by("start", "pk"), limit
    )
    target_lists = preview(
        TargetList.objects.filter(article=article)
        .prefetch_related("members")
        .order_by("start", "pk"),
        limit,
    )
    return {
        "reported_figures": preview(
            ReportedFigure.objects.filter(article=article)
            .select_related("member")
            .order_by("start", "pk"),
            limit,
        ),
        "aggregate_claims": aggregate_claims,
        "target_lists": target_lists,
        # Where the counts and lists shown do not add up (stored on their checks).
        "inconsistencies": inconsistencies([*aggregate_claims, *target_lists]),
    }


def inconsistencies(claims) -> list[str]:
    """The distinct "does not add up" findings stored on the claims' checks."""
    found: dict[str, None] = {}
    for claim in claims:
        for check in (claim.check_latest, claim.check_as_published):
            found.update(dict.fromkeys((check or {}).get("inconsistencies") or ()))
    return list(found)


def context_excerpt(text: str, start: int, end: int, width: int = 400) -> tuple[str, str, str]:
    """The quote at ``text[start:end]`` and up to ``width`` characters either side."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    before_start = max(0, start - width)
    after_end = min(len(text), end + width)
    # Do not cut words in half.
    if before_start > 0:
        space = text.find(" ", before_start, start)
        before_start = space + 1 if space != -1 else before_start
    if after_end < len(text):
        space = text.rfind(" ", end, after_end)
        after_end = space if space != -1 else after_end
    before = ("…" if before_start > 0 else "") + text[before_start:start]
    after = text[end:after_end] + ("…" if after_end < len(text) else "")
    return before, text[start:end], after


# --------------------------------------------------------------------------- editors

YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding ``text[start:end]``: from the previous line or full stop to the next."""
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start))
    right_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1 : right + 1].strip()


def suggested_years(statement: Statement, years_with_data: list[int]) -> list[int]:
    """Years mentioned in the statement's sentence that have figures, else the article's year
    (when it has figures), else the latest year with figures."""
    if not years_with_data:
        return []
    sentence = sentence_around(statement.article.text, statement.start, statement.end)
    mentioned = sorted({int(y) for y in YEAR_RE.findall(sentence)} & set(years_with_data))
    if mentioned:
        return mentioned
    published = statement.article.published
    if published and published.year in years_with_data:
        return [published.year]
    return [max(years_with_data)]


def suggested_figures(statement: Statement) -> dict:
    """Official figures and targets an editor may link the statement to.

    Its allies × :func:`suggested_years`, % of GDP, the figure in force in the latest edition
    (``spending.selectors.current_figure``), plus the targets it mentions.
    """
    from spending.models import Metric
    from spending.selectors import available_years, current_figure

    years = suggested_years(statement, available_years())
    figures = []
    for member in statement.members.order_by("name"):
        for year in years:
            figure = current_figure(member, year, Metric.PCT_GDP)
            if figure is not None:
                figure.member = member
                figures.append(figure)
    return {
        "years": years,
        "figures": figures,
        "targets": list(statement.targets.order_by("display_order")),
    }


def review_queue() -> QuerySet[Article]:
    """Articles (not rejected) with statements awaiting review, oldest ingested first, each with
    its first :data:`QUEUE_STATEMENTS_PER_ARTICLE` pending statements prefetched as ``pending``
    (``n_pending`` counts them all)."""
    pending = Q(review_status=ReviewStatus.PENDING)
    return (
        Article.objects.public()
        .filter(Exists(Statement.objects.filter(pending, article=OuterRef("pk"))))
        .annotate(n_pending=Count("statements", filter=Q(statements__review_status="pending")))
        .order_by("ingested_at", "pk")
        .prefetch_related(
            Prefetch(
                "statements",
                queryset=Statement.objects.filter(pending)
                .select_related("speaker")
                .prefetch_related("members", "targets", "links")
                .order_by("start", "pk")[:QUEUE_STATEMENTS_PER_ARTICLE],
                to_attr="pending",
            )
        )
    )


def statement_version(pk: int) -> int | None:
    """A statement's current version (``None`` once it is gone)."""
    return Statement.objects.filter(pk=pk).values_list("version", flat=True).first()

"""Articles, the people quoted in them, their statements, and what the articles claim.

A statement keeps the speaker's name exactly as written and, separately, a nullable link to the
person. Figures and claims reported by articles carry their check against the official data.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.text import Truncator, slugify
from simple_history.models import HistoricalRecords

from articles.search import SEARCH_CONFIG, StoredSearchVector


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    REVIEWED = "reviewed", "Reviewed"
    REJECTED = "rejected", "Rejected (mis-extraction)"


#: The review statuses shown publicly: every one but rejected (a mis-extraction: kept, hidden).
PUBLIC_REVIEW_STATUSES = tuple(s for s in ReviewStatus.values if s != ReviewStatus.REJECTED)


def public_article(prefix: str = "") -> Q:
    """THE visibility rule for an article (reached through ``prefix``, e.g. ``"article__"``):
    shown on public pages, feeds, the API and the download unless an editor rejected it."""
    return Q(**{f"{prefix}review_status__in": PUBLIC_REVIEW_STATUSES})


def public_statement(prefix: str = "") -> Q:
    """THE visibility rule for a statement (reached through ``prefix``, e.g.
    ``"statements__"``): shown unless an editor rejected it or its article."""
    return public_article(prefix) & public_article(f"{prefix}article__")


def spans_overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Whether two spans of an article's text share a character: a claim is *in* a quote when
    its span overlaps the quote's (:meth:`Statement.claims` is the same rule in SQL)."""
    return a_start < b_end and a_end > b_start


#: Columns of an article too big to load for a list: one article's text may be megabytes, and a
#: list of its quotes or claims would load it once per row. Lists never load them (``defer``).
ARTICLE_BODY_FIELDS = ("text",)


def with_article(queryset: models.QuerySet) -> models.QuerySet:
    """Rows with an ``article`` (statements, claims) joined to their article, *without* its
    text: what every list of them uses."""
    return queryset.select_related("article").defer(
        *(f"article__{name}" for name in ARTICLE_BODY_FIELDS)
    )


class ArticleQuerySet(models.QuerySet):
    def public(self) -> ArticleQuerySet:
        """Articles shown on public pages, feeds and the API (:func:`public_article`)."""
        return self.filter(public_article())

    def with_public_counts(self) -> ArticleQuerySet:
        """Each with ``statement_count``: how many of its statements are public."""
        return self.annotate(
            statement_count=Count("statements", filter=public_statement("statements__"))
        )

    def listing(self) -> ArticleQuerySet:
        """Without the text (:data:`ARTICLE_BODY_FIELDS`): for lists of articles."""
        return self.defer(*ARTICLE_BODY_FIELDS)


class Article(models.Model):
    """A news article as ingested; ``content_hash`` (SHA-256 of the normalised text) is unique."""

    title = models.CharField(max_length=500)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    published = models.DateField(null=True, blank=True)
    dateline = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    content_hash = models.CharField(max_length=64, unique=True)
    source_path = models.CharField(max_length=1000, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    limits_reached = models.JSONField(
        default=dict,
        blank=True,
        help_text="What ingestion found beyond the per-article limits: "
        '{"statements": {"found": 6121, "kept": 300}, ...}; empty when within them.',
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published", "-ingested_at"]
        indexes = [models.Index(fields=["published"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("articles:article", kwargs={"pk": self.pk})


class SpeakerQuerySet(models.QuerySet):
    def with_public_counts(self) -> SpeakerQuerySet:
        """Each with ``statement_count``: how many of the speaker's statements are public."""
        return self.annotate(
            statement_count=Count(
                "statements", filter=public_statement("statements__"), distinct=True
            )
        )


class Speaker(models.Model):
    """A person quoted in articles. One person is one speaker across articles."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    role = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:speaker", kwargs={"slug": self.slug})


class SpeakerRole(models.Model):
    """A role a speaker held, with dates: ``start`` inclusive, ``end`` exclusive (the day the
    role passed to someone else), ``end`` empty while held. ``written_as`` lists the phrases
    articles use for the role ("Dutch Prime Minister"), ``|``-separated; ``source`` says where
    the dates come from. Shipped in ``articles/data/speaker_roles.csv``."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=300)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    written_as = models.TextField(blank=True)
    source = models.TextField()

    class Meta:
        ordering = ["speaker", "start"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "role", "start"], name="speakerrole_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=models.F("start")),
                name="speakerrole_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.role} ({self.period})"

    def held_on(self, day) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    @property
    def period(self) -> str:
        """ "since 1 October 2024", "14 October 2010 – 2 July 2024"."""
        start = self.start.strftime("%d %B %Y").lstrip("0")
        if self.end is None:
            return f"since {start}"
        return f"{start} – {self.end.strftime('%d %B %Y').lstrip('0')}"

    @property
    def phrases(self) -> list[str]:
        return [p.strip() for p in [self.role, *self.written_as.split("|")] if p.strip()]


class SpeakerAlias(models.Model):
    """A short name the press uses for a speaker ("Rutte" is Mark Rutte)."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(fields=["speaker", "alias"], name="speakeralias_unique")
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.speaker}"


class StatementQuerySet(models.QuerySet):
    def public(self) -> StatementQuerySet:
        """Statements shown publicly (:func:`public_statement`)."""
        return self.filter(public_statement())

    def with_article(self) -> StatementQuerySet:
        """Joined to their article, without its text (see :func:`with_article`)."""
        return with_article(self)


class Statement(models.Model):
    """A quotation from an article, with its speaker as written and the person it resolves to."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="statements")
    speaker = models.ForeignKey(
        Speaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    speaker_as_written = models.CharField(max_length=300, blank=True)
    speaker_role = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    partial = models.BooleanField(
        default=False, help_text="A fragment embedded in the reporter's own sentence."
    )
    start = models.PositiveIntegerField(help_text="Offset of the quote in the article text.")
    end = models.PositiveIntegerField()
    members = models.ManyToManyField("spending.MemberState", blank=True, related_name="statements")
    targets = models.ManyToManyField("spending.Target", blank=True, related_name="statements")
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every editor's change (optimistic concurrency)."
    )
    search_document = models.GeneratedField(
        expression=StoredSearchVector("text", "speaker_as_written", config=SEARCH_CONFIG),
        output_field=SearchVectorField(null=True),
        db_persist=True,
        serialize=False,  # derived from the text: not in dumps (each database makes its own)
        help_text="Full-text search document (PostgreSQL; NULL elsewhere): articles.search.",
    )
    history = HistoricalRecords(m2m_fields=[members, targets], excluded_fields=["search_document"])

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start"]
        indexes = [GinIndex(fields=["search_document"], name="statement_search_gin")]
        constraints = [
            models.UniqueConstraint(fields=["article", "start"], name="statement_unique_position"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="statement_span"),
        ]

    def __str__(self) -> str:
        who = self.speaker.name if self.speaker else "unattributed"
        # Cut at a word, with an ellipsis (the history's heading read "…never let ou”").
        return f"{who}: “{Truncator(self.text).words(12)}”"

    def get_absolute_url(self) -> str:
        return reverse("articles:statement", kwargs={"pk": self.pk})

    def claims(self) -> list[CheckedClaim]:
        """The figures and alliance-level claims the article makes inside this quote (their
        span overlaps the quote's, :func:`spans_overlap`), with their ally and confirming
        editor: the figures first, then the alliance-level claims, each in reading order."""
        inside = Q(article_id=self.article_id, start__lt=self.end, end__gt=self.start)
        return [
            *ReportedFigure.objects.filter(inside).select_related("member", "confirmed_by"),
            *AggregateClaim.objects.filter(inside).select_related("confirmed_by"),
        ]

    def contains(self, claim: CheckedClaim) -> bool:
        """Whether ``claim`` (of the same article) is inside this quote: :meth:`claims`'s
        rule, in Python."""
        return spans_overlap(claim.start, claim.end, self.start, self.end)


class Verdict(models.TextChoices):
    MATCHES = "matches", "Matches the official figure"
    DIFFERS = "differs", "Differs from the official figure"
    NO_OFFICIAL = "no_official", "No official figure"


class ClaimQuerySet(models.QuerySet):
    def public(self) -> ClaimQuerySet:
        """Claims shown publicly: those of articles an editor did not reject."""
        return self.filter(public_article("article__"))


class CheckedClaim(models.Model):
    """Fields shared by everything an article claims that can be checked against official data.

    ``check_*`` hold the automatic verdict against the figures known on the article's date
    (``as_published``) and against the latest edition; an editor can confirm or override.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE)
    sentence = models.TextField(blank=True)
    start = models.PositiveIntegerField(default=0)
    end = models.PositiveIntegerField(default=0)
    check_as_published = models.JSONField(default=dict, blank=True)
    check_latest = models.JSONField(default=dict, blank=True)
    verdict = models.CharField(max_length=12, choices=Verdict.choices, blank=True)
    editor_verdict = models.CharField(max_length=12, choices=Verdict.choices, blank=True)
    editor_note = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Raised by every editor's change (optimistic concurrency)."
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def final_verdict(self) -> str:
        return self.editor_verdict or self.verdict


# Machine-written fields that editors never change stay out of the history tables.
CHECK_HISTORY_EXCLUDED = ["sentence", "start", "end", "check_as_published", "check_latest"]


class ReportedFigure(CheckedClaim):
    """A number an article gives for one ally ("the U.S. spent 3.19% of GDP in 2024")."""

    member = models.ForeignKey(
        "spending.MemberState", on_delete=models.PROTECT, related_name="reported_figures"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    metric = models.CharField(max_length=20)
    value = models.FloatField()
    currency = models.CharField(max_length=3, blank=True)
    history = HistoricalRecords(excluded_fields=CHECK_HISTORY_EXCLUDED)

    class Meta:
        ordering = ["article", "start"]
        default_related_name = "reported_figures"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "member", "year", "metric", "start"],
                name="reportedfigure_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member.iso3} {self.year} {self.metric} = {self.value:g}"


class AggregateClaim(CheckedClaim):
    """An alliance-level claim: "22 of 32 allies met 2% in 2023", "NATO spent $1.3 trillion"."""

    class Kind(models.TextChoices):
        COUNT_MEETING = "count_meeting", "Number of allies meeting a target"
        TOTAL_SPENDING = "total_spending", "Total alliance spending"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    target_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    count = models.PositiveSmallIntegerField(null=True, blank=True)
    of_total = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    history = HistoricalRecords(excluded_fields=CHECK_HISTORY_EXCLUDED)

    class Meta:
        ordering = ["article", "start"]
        default_related_name = "aggregate_claims"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "start"], name="aggregateclaim_unique"
            )
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.COUNT_MEETING:
            return f"{self.count} of {self.of_total or '?'} met {self.target_pct}% in {self.year}"
        return f"Total spending {self.value:g} {self.currency} in {self.year}"


class TargetList(CheckedClaim):
    """An explicit list of allies an article says meet or miss a target."""

    target_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    meets = models.BooleanField()
    members = models.ManyToManyField("spending.MemberState", related_name="+")
    history = HistoricalRecords(m2m_fields=[members], excluded_fields=CHECK_HISTORY_EXCLUDED)

    class Meta:
        ordering = ["article", "start"]
        default_related_name = "target_lists"
        constraints = [
            models.UniqueConstraint(fields=["article", "start"], name="targetlist_unique")
        ]

    def __str__(self) -> str:
        verb = "meet" if self.meets else "miss"
        return f"Allies said to {verb} {self.target_pct}% ({self.year or 'year not stated'})"


class StatementLink(models.Model):
    """An editor's link between a statement and the official figure or target it speaks of."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="links")
    figure = models.ForeignKey(
        "spending.SpendingFigure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_links",
    )
    target = models.ForeignKey(
        "spending.Target",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statement_links",
    )
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["statement", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(figure__isnull=False) | Q(target__isnull=False),
                name="statementlink_has_figure_or_target",
            ),
            models.UniqueConstraint(
                fields=["statement", "figure"],
                condition=Q(figure__isnull=False),
                name="statementlink_unique_figure",
            ),
            models.UniqueConstraint(
                fields=["statement", "target"],
                condition=Q(target__isnull=False),
                name="statementlink_unique_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} → {self.figure or self.target}"

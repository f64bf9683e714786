"""Member states, the alliance's spending targets, sources (NATO editions) and official figures.

Rules live in the database as constraints as well as here: ISO codes are three capital letters,
percentages lie between 0 and 100, one value per ally, year, metric and source.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import slugify

FIRST_YEAR = 1949
LAST_YEAR = 2100


class Metric(models.TextChoices):
    """What a figure measures; the unit is part of the definition."""

    PCT_GDP = "pct_gdp", "Defence expenditure, % of GDP"
    SPENDING_USD = "spending_usd", "Defence expenditure, US$ million (current prices)"
    EQUIPMENT_SHARE = "equipment_share", "Equipment, % of defence expenditure"
    #: Held for the alliance totals only (NATO's Table 2, "constant 2021 prices and exchange
    #: rates"): what a claim of a total may be given in.
    SPENDING_USD_2021 = (
        "spending_usd_2021",
        "Defence expenditure, US$ million (constant 2021 prices)",
    )

    @classmethod
    def unit(cls, metric: str) -> str:
        return {
            "pct_gdp": "% of GDP",
            "spending_usd": "US$ million",
            "equipment_share": "%",
            "spending_usd_2021": "US$ million (2021 prices)",
        }[metric]


PERCENT_METRICS = (Metric.PCT_GDP, Metric.EQUIPMENT_SHARE)
#: The metrics of an ally's figures; constant-2021-price spending is held for the alliance
#: totals only (NATO's Table 2 gives it per ally too, but the app does not load it).
ALLY_METRICS = (Metric.PCT_GDP, Metric.SPENDING_USD, Metric.EQUIPMENT_SHARE)
#: Metrics in US$ million (NATO publishes whole millions).
MONEY_METRICS = (Metric.SPENDING_USD, Metric.SPENDING_USD_2021)


#: Allies whose English name takes "the" inside a sentence.
NAMES_WITH_THE = frozenset({"Netherlands", "United Kingdom", "United States"})


class MemberStateQuerySet(models.QuerySet):
    def members_in_year(self, year: int) -> MemberStateQuerySet:
        """Allies that had joined by the end of ``year`` (Montenegro counts from 2017, etc.):
        the SQL form of :meth:`MemberState.is_member_in`."""
        return self.filter(accession_date__year__lte=year)


class MemberState(models.Model):
    """A NATO ally. Membership in a year follows from the accession date alone."""

    iso3 = models.CharField("ISO 3166-1 alpha-3", max_length=3, unique=True)
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    accession_date = models.DateField()
    reports_figures = models.BooleanField(
        default=True,
        help_text="False for Iceland: no armed forces, no NATO defence-expenditure figures.",
    )

    objects = MemberStateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso3__regex=r"^[A-Z]{3}$"), name="memberstate_iso3_upper_alpha3"
            ),
            models.CheckConstraint(
                condition=Q(accession_date__gte=datetime.date(1949, 4, 4)),
                name="memberstate_accession_after_treaty",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("spending:country", kwargs={"slug": self.slug})

    @property
    def name_in_text(self) -> str:
        """The name as it reads inside a sentence: "the United States", "the Netherlands",
        "Poland" (pages capitalise it with ``capfirst`` at a sentence's start)."""
        if self.name in NAMES_WITH_THE:
            return f"the {self.name}"
        return self.name

    @property
    def accession_year(self) -> int:
        return self.accession_date.year

    def is_member_in(self, year: int) -> bool:
        """THE membership rule: a member in every year from its accession's year on
        (``MemberStateQuerySet.members_in_year`` is its SQL form; a test holds them equal)."""
        return self.accession_year <= year


class CountryAlias(models.Model):
    """A name the press uses for an ally: "U.S.", "America", "Dutch", "The Hague"."""

    class Kind(models.TextChoices):
        NAME = "name", "Name"
        DEMONYM = "demonym", "Demonym"
        SHORTHAND = "shorthand", "Shorthand"
        CAPITAL = "capital", "Capital"
        SEAT = "seat", "Seat of government"

    member = models.ForeignKey(MemberState, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["member__name", "alias"]
        verbose_name_plural = "country aliases"

    def __str__(self) -> str:
        return f"{self.alias} → {self.member.iso3}"


class Target(models.Model):
    """An alliance spending target (agreed or proposed), such as 2% of GDP (Wales 2014)."""

    class Status(models.TextChoices):
        AGREED = "agreed", "Agreed"
        PROPOSED = "proposed", "Proposed / debated"

    code = models.SlugField(
        max_length=20, unique=True, help_text='Short code used in URLs and the API: "2", "3.5".'
    )
    name = models.CharField(max_length=200)
    metric = models.CharField(max_length=20, choices=Metric.choices, default=Metric.PCT_GDP)
    threshold = models.DecimalField(max_digits=5, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices)
    decided_at = models.CharField(
        max_length=200, help_text="Where it was agreed or proposed (summit, meeting)."
    )
    decided_on = models.DateField(help_text="When it was agreed or proposed.")
    deadline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    caveat = models.TextField(
        blank=True,
        help_text="What a reader must know when NATO's figures are compared with this target; "
        "shown under every such comparison (the 5%: NATO's tables count core defence only).",
    )
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "threshold"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gt=0) & Q(threshold__lte=100),
                name="target_threshold_percent",
            ),
            models.UniqueConstraint(fields=["metric", "threshold"], name="target_unique_level"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Short label: "2% of GDP", "20% of defence spending"."""
        unit = "of GDP" if self.metric == Metric.PCT_GDP else "of defence spending"
        return f"{self.threshold.normalize():f}% {unit}"


class SourceQuerySet(models.QuerySet):
    def editions(self) -> SourceQuerySet:
        """Sources that publish official NATO figures (each edition is its own source)."""
        return self.filter(is_nato_edition=True)

    def released_by(self, day: datetime.date) -> SourceQuerySet:
        """Editions NATO had released on or before ``day`` (an edition released on a day
        counts as published for that day)."""
        return self.editions().filter(edition_published__lte=day)


class Definition(models.TextChoices):
    """What an edition counts as defence expenditure (NATO changed it in July 2026)."""

    CORE = "core", "core defence expenditure (NATO's definition from the July 2026 edition)"
    PRE_2026 = "pre2026", "defence expenditure as NATO defined it before July 2026"

    @classmethod
    def short(cls, value: str) -> str:
        """A few words for tables and legends: "2026 core definition"."""
        return {"core": "2026 core definition", "pre2026": "definition in use before 2026"}.get(
            value, ""
        )


class Source(models.Model):
    """Where numbers come from. Each NATO edition of its expenditure tables is its own source.

    Two dates, kept apart: ``edition_published`` is the day NATO itself released the edition
    (what "known on a date", ``as_of`` and the "as published" checks use); ``published`` is
    the date of the document the numbers were read from, which for an edition known through a
    press report is the article's date (often later than NATO's release).
    """

    class DatePrecision(models.TextChoices):
        DAY = "day", "Day"
        MONTH = "month", "Month"
        YEAR = "year", "Year"

    code = models.SlugField(max_length=50, unique=True)
    publisher = models.CharField(max_length=300)
    title = models.CharField(max_length=500)
    short_title = models.CharField(
        max_length=200, blank=True, help_text="Short name shown beside numbers."
    )
    url = models.URLField(max_length=500, blank=True)
    published = models.DateField(
        null=True, blank=True, help_text="Date of the document the numbers were read from."
    )
    published_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    edition_published = models.DateField(
        null=True,
        blank=True,
        help_text="Day NATO released the edition (required for NATO editions).",
    )
    definition = models.CharField(
        max_length=10,
        choices=Definition.choices,
        blank=True,
        help_text="What the edition counts as defence expenditure (NATO editions only).",
    )
    notes = models.TextField(blank=True)
    is_nato_edition = models.BooleanField(default=False)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["-edition_published", "-published", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_nato_edition=False) | Q(edition_published__isnull=False),
                name="source_edition_has_release_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.released_label})"

    @property
    def label(self) -> str:
        """The short title when there is one, else the full title."""
        return self.short_title or self.title

    @property
    def published_label(self) -> str:
        """The date of the document read ("25 April 2025", "August 2025", "undated")."""
        if self.published is None:
            return "undated"
        fmt = {"day": "%d %B %Y", "month": "%B %Y", "year": "%Y"}[self.published_precision]
        return self.published.strftime(fmt).lstrip("0")

    @property
    def released(self) -> datetime.date | None:
        """NATO's release date for an edition; the document's date for other sources."""
        return self.edition_published or self.published

    @property
    def released_label(self) -> str:
        """ "24 April 2025": the day NATO released the edition (else the document's date)."""
        if self.edition_published is None:
            return self.published_label
        return self.edition_published.strftime("%d %B %Y").lstrip("0")

    @property
    def read_from_other_document(self) -> bool:
        """True when the numbers were read from a later document than NATO's release."""
        return bool(
            self.edition_published and self.published and self.published != self.edition_published
        )

    @property
    def definition_label(self) -> str:
        return Definition(self.definition).label if self.definition else ""


#: The day a source's numbers became known: NATO's release of an edition (``edition_published``),
#: else the date of the document (:attr:`Source.released`); never known: before every other.
RELEASED = Coalesce(
    "source__edition_published",
    "source__published",
    Value(datetime.date.min),
    output_field=models.DateField(),
)
#: The order of the rule "the newest release wins": released last first, on a tie the smaller
#: source code.
NEWEST_FIRST = (RELEASED.desc(), "source__code")


class OfficialFigureQuerySet(models.QuerySet):
    """Which editions' figures to read, and which figure is in force: the one home of both rules
    for ally figures and alliance totals alike.

    ``in_vintage(vintage)`` keeps the figures of one edition (``edition=``) or of
    the editions NATO had released by a date (``as_of=``; NATO's release date, not the date of
    the document we read it in); ``.current()`` keeps, of those, the one in force for each
    number (:attr:`number_fields`): the newest release wins (:data:`NEWEST_FIRST`).
    """

    #: The fields that name one number, which each edition gives a value for.
    number_fields: tuple[str, ...] = ()

    def in_vintage(self, vintage) -> OfficialFigureQuerySet:
        """The figures ``vintage`` (a ``spending.selectors.Vintage``) reads: every edition's
        for the latest, one edition's, or those of the editions released by ``as_of``."""
        queryset = self
        if vintage.edition:
            queryset = queryset.filter(source__code=vintage.edition)
        if vintage.as_of:
            queryset = queryset.filter(source__edition_published__lte=vintage.as_of)
        return queryset

    def current(self) -> OfficialFigureQuerySet:
        """Of the figures this queryset selects, the one in force for each number: none of the
        others for the same number was released later (or the same day under a smaller code).

        One query (``NOT EXISTS``), so further filters, ordering and pagination chain on it and
        apply to the figures in force, whatever they filter."""
        ranked = self.annotate(_released=RELEASED)
        later = ranked.filter(**{name: OuterRef(name) for name in self.number_fields}).filter(
            Q(_released__gt=OuterRef("_released"))
            | Q(_released=OuterRef("_released"), source__code__lt=OuterRef("source__code"))
        )
        return ranked.filter(~Exists(later))

    def newest_first(self, *leading: str) -> OfficialFigureQuerySet:
        """Ordered by ``leading`` fields, then the newest release first (:data:`NEWEST_FIRST`)."""
        return self.order_by(*leading, *NEWEST_FIRST)


class SpendingFigureQuerySet(OfficialFigureQuerySet):
    number_fields = ("member", "year", "metric")


class AggregateFigureQuerySet(OfficialFigureQuerySet):
    number_fields = ("area", "year", "metric")


class SpendingFigure(models.Model):
    """One official number: ally, year, metric, value, as published in one source (edition)."""

    member = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="figures")
    year = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=20, choices=Metric.choices)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    estimate = models.BooleanField(default=False)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures")

    objects = SpendingFigureQuerySet.as_manager()

    class Meta:
        # Oldest edition first; a source that is no NATO edition (no release date) after them.
        # Explicit because PostgreSQL sorts NULL last and SQLite first; the code breaks ties.
        ordering = [
            "member__name",
            "year",
            "metric",
            F("source__edition_published").asc(nulls_last=True),
            "source__code",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year", "metric", "source"], name="figure_unique_per_source"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="figure_year_range",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="figure_value_non_negative"),
            models.CheckConstraint(
                condition=~Q(metric__in=[m.value for m in PERCENT_METRICS]) | Q(value__lte=100),
                name="figure_percent_at_most_100",
            ),
        ]
        indexes = [models.Index(fields=["year", "metric"])]

    def __str__(self) -> str:
        value = int(self.value) if self.metric in MONEY_METRICS else self.value
        return f"{self.member.iso3} {self.year} {self.metric} = {value} ({self.source.code})"

    @property
    def unit(self) -> str:
        return Metric.unit(self.metric)

    @property
    def member_that_year(self) -> bool:
        """False for a year before the ally joined (NATO tabulates some: Finland 2014-2022)."""
        return self.member.is_member_in(self.year)


class AggregateFigure(models.Model):
    """An alliance-level official number (NATO total, NATO Europe and Canada)."""

    class Area(models.TextChoices):
        NATO_TOTAL = "NATO_TOTAL", "NATO total"
        EUROPE_CANADA = "NATO_EUROPE_CANADA", "NATO Europe and Canada"

    area = models.CharField(max_length=30, choices=Area.choices)
    year = models.PositiveSmallIntegerField()
    metric = models.CharField(max_length=20, choices=Metric.choices)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    estimate = models.BooleanField(default=False)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="aggregate_figures")

    objects = AggregateFigureQuerySet.as_manager()

    class Meta:
        ordering = ["area", "year", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "metric", "source"], name="aggregate_unique_per_source"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="aggregate_year_range",
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="aggregate_value_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year} {self.metric} = {self.value}"

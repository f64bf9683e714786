"""Serializers for allies, targets, sources (editions), official figures and compliance."""

from __future__ import annotations

from rest_framework import serializers

from nato_tracker.api.params import MultiValueField, QuerySerializer
from nato_tracker.api.serializers import WebUrlMixin
from spending.models import (
    FIRST_YEAR,
    LAST_YEAR,
    MONEY_METRICS,
    AggregateFigure,
    Definition,
    MemberState,
    Metric,
    Source,
    SpendingFigure,
    Target,
)
from spending.selectors import STATUSES

ALLY_CODE_HELP = "ISO3 code (`USA`), in any case."


def normalise_iso3(code: str) -> str:
    """An ally's ISO3 code as stored (upper case): ``" usa"`` → ``"USA"``."""
    return code.strip().upper()


def unknown_ally_message(code: str) -> str:
    return f"Unknown ally code {code[:20]}: give an ISO3 code such as USA."


class AllyCodeField(serializers.SlugRelatedField):
    """An ally written by its ISO3 code, in any case (as in every filter and URL)."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "does_not_exist": "Unknown ally code {value}: give an ISO3 code such as USA.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("slug_field", "iso3")
        kwargs.setdefault("help_text", ALLY_CODE_HELP)
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", MemberState.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = normalise_iso3(data)
        return super().to_internal_value(data)


def ally_codes(values: list[str]) -> list[str]:
    """Validate ISO3 codes given as query parameters (any case) → stored codes, in order."""
    codes = list(dict.fromkeys(normalise_iso3(v) for v in values))
    known = set(MemberState.objects.filter(iso3__in=codes).values_list("iso3", flat=True))
    unknown = [v for v in values if normalise_iso3(v) not in known]
    if unknown:
        raise serializers.ValidationError([unknown_ally_message(v) for v in unknown])
    return codes


VALUE_HELP = (
    "Decimal string, exact as published. Unit by metric: `pct_gdp` in % of GDP, `spending_usd` "
    "in US$ million (current prices; NATO publishes whole millions, written as integers: "
    '`"967707"`), `equipment_share` in % of defence expenditure; alliance totals also '
    "`spending_usd_2021`, in US$ million at constant 2021 prices and exchange rates."
)


def official_value_text(value, metric: str) -> str | None:
    """An official value as the API writes it: ``"3.19"``; US$ million as an integer
    (``"967707"``, never ``"967707.00"``) when it is a whole number, as NATO publishes them."""
    if value is None:
        return None
    if metric in MONEY_METRICS and value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


EDITION_PUBLISHED_HELP = (
    'Day NATO released the edition (what `as_of` and the articles\' "as published" checks '
    "use); null for sources that are not NATO editions."
)
PUBLISHED_HELP = (
    "Date of the document the numbers were read from: for an edition known through a press "
    "report, the article's date (can be later than `edition_published`)."
)
DEFINITION_HELP = (
    "What the edition counts as defence expenditure: `core` (NATO's definition from the July "
    "2026 edition), `pre2026` (the definition NATO used before), empty for other sources."
)


class SourceBriefSerializer(WebUrlMixin, serializers.ModelSerializer):
    """The source (for official figures: the NATO edition) a number comes from."""

    class Meta:
        model = Source
        fields = [
            "code",
            "title",
            "publisher",
            "url",
            "published",
            "edition_published",
            "definition",
        ]
        extra_kwargs = {
            "published": {"help_text": PUBLISHED_HELP},
            "edition_published": {"help_text": EDITION_PUBLISHED_HELP},
            "definition": {"help_text": DEFINITION_HELP},
        }


class SourceSerializer(WebUrlMixin, serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "code",
            "title",
            "publisher",
            "url",
            "published",
            "published_precision",
            "edition_published",
            "definition",
            "is_nato_edition",
            "notes",
        ]
        extra_kwargs = SourceBriefSerializer.Meta.extra_kwargs


class AllyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberState
        fields = ["iso3", "name"]


class AllySerializer(serializers.ModelSerializer):
    accession_year = serializers.IntegerField(
        read_only=True, help_text="A member in every year from this one on."
    )

    class Meta:
        model = MemberState
        fields = ["iso3", "name", "slug", "accession_date", "accession_year", "reports_figures"]
        extra_kwargs = {
            "accession_date": {"help_text": "Date the ally deposited its instrument of accession."}
        }


class TargetSerializer(serializers.ModelSerializer):
    code = serializers.CharField(
        read_only=True,
        help_text='Code used in URLs and filters: "2", "3", "3.5", "5", "equipment-20".',
    )
    label = serializers.CharField(read_only=True, help_text='Short label: "2% of GDP".')
    unit = serializers.SerializerMethodField(help_text="Unit of the threshold.")
    threshold = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text="Level to reach, as a decimal string."
    )

    class Meta:
        model = Target
        fields = [
            "code",
            "name",
            "label",
            "metric",
            "threshold",
            "unit",
            "status",
            "decided_at",
            "decided_on",
            "deadline_year",
            "description",
            "caveat",
        ]

    def get_unit(self, obj: Target) -> str:
        return Metric.unit(obj.metric)


class OfficialValueMixin:
    """Writes ``value`` with :func:`official_value_text` (US$ million as integers)."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["value"] = official_value_text(instance.value, instance.metric)
        return data


class FigureSerializer(OfficialValueMixin, serializers.ModelSerializer):
    """One official figure and the source (edition) it comes from."""

    ally = AllyBriefSerializer(source="member", read_only=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=VALUE_HELP)
    unit = serializers.CharField(read_only=True, help_text="`% of GDP`, `US$ million` or `%`.")
    estimate = serializers.BooleanField(help_text="True when NATO marks the figure as estimate.")
    member_that_year = serializers.BooleanField(
        read_only=True,
        help_text="False for a year before the ally joined NATO (NATO tabulates some: Finland "
        "2014-2022); the alliance's targets did not yet apply to it.",
    )
    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = SpendingFigure
        fields = [
            "id",
            "ally",
            "year",
            "metric",
            "value",
            "unit",
            "estimate",
            "member_that_year",
            "source",
        ]


class VintageSerializer(serializers.Serializer):
    """Which edition the numbers come from."""

    edition = serializers.CharField(allow_null=True, help_text="Edition code, when one was asked.")
    as_of = serializers.DateField(allow_null=True, help_text="Date, when `as_of` was asked.")
    description = serializers.CharField(help_text='"latest edition", "edition X", ...')


class RowSourceSerializer(SourceBriefSerializer):
    """The edition of a compliance row's value: the :class:`Source` the view put in the context
    under ``sources`` (by code); null when the ally has no figure."""

    def to_representation(self, row):
        if row.source_code is None:
            return None
        return super().to_representation(self.context["sources"][row.source_code])


class ComplianceRowSerializer(serializers.Serializer):
    """One ally's standing against one target in one year."""

    iso3 = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    target = serializers.CharField(source="target_code", help_text="Target code.")
    threshold = serializers.DecimalField(max_digits=5, decimal_places=2)
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Null when no figure."
    )
    estimate = serializers.BooleanField(allow_null=True)
    status = serializers.ChoiceField(
        choices=STATUSES,
        help_text="`meets`: value at or above the threshold; `misses`: below it; `no_data`: NATO "
        "publishes no figure for this ally (Iceland); `not_held`: the edition is partial and "
        "the copy we hold has no figure for this ally (not in the copy we hold; never counted "
        "as missing).",
    )
    meets = serializers.BooleanField(allow_null=True)
    gap_pp = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="Value minus threshold in percentage points (negative when short).",
    )
    source = RowSourceSerializer(
        source="*", read_only=True, allow_null=True, help_text="Edition the value comes from."
    )
    definition = serializers.ChoiceField(
        choices=Definition.choices,
        allow_null=True,
        help_text="Which definition the value follows: `core` (NATO's core defence expenditure, "
        "from the July 2026 edition) or `pre2026` (the definition of NATO's earlier editions); "
        "null without a value.",
    )
    figure_id = serializers.IntegerField(allow_null=True)


class ComplianceSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target = serializers.CharField(source="target_code")
    members = serializers.IntegerField(help_text="Allies that were members that year.")
    meeting = serializers.IntegerField()
    missing = serializers.IntegerField()
    no_data = serializers.IntegerField(help_text="Members with no published figure (Iceland).")
    not_held = serializers.IntegerField(
        help_text="Members missing from the copy we hold of a partial edition (not counted as "
        "missing)."
    )


class ComplianceResponseSerializer(serializers.Serializer):
    vintage = VintageSerializer()
    targets = TargetSerializer(many=True)
    years = serializers.ListField(child=serializers.IntegerField())
    summary = ComplianceSummarySerializer(
        many=True, help_text="Per year and target, over every member (ignores `status`)."
    )
    count = serializers.IntegerField(help_text="Number of rows in `results`.")
    results = ComplianceRowSerializer(many=True)


class ComplianceQuerySerializer(QuerySerializer):
    target = MultiValueField(child=serializers.CharField(max_length=20), required=False)
    ally = MultiValueField(child=serializers.CharField(max_length=20), required=False)
    year = MultiValueField(
        child=serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR),
        required=False,
        max_length=50,
    )
    status = MultiValueField(child=serializers.ChoiceField(choices=STATUSES), required=False)
    edition = serializers.CharField(required=False, allow_blank=True, max_length=50)
    as_of = serializers.CharField(required=False, allow_blank=True, max_length=40)

    def validate_ally(self, values: list[str]) -> list[str]:
        return ally_codes(values)

    def validate_target(self, codes: list[str]) -> list[Target]:
        found = {t.code: t for t in Target.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            known = ", ".join(Target.objects.values_list("code", flat=True))
            raise serializers.ValidationError(
                f"unknown target code(s): {', '.join(unknown)}; known codes: {known}"
            )
        return list(dict.fromkeys(found[c] for c in codes))


class AggregateSerializer(OfficialValueMixin, serializers.ModelSerializer):
    """One alliance-level figure (NATO total, or NATO Europe and Canada) and its edition."""

    area_name = serializers.CharField(
        source="get_area_display", read_only=True, help_text='"NATO total", ...'
    )
    value = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=VALUE_HELP)
    unit = serializers.SerializerMethodField(
        help_text="`% of GDP`, `US$ million` or `US$ million (2021 prices)`."
    )
    estimate = serializers.BooleanField(help_text="True when NATO marks the figure as estimate.")
    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = AggregateFigure
        fields = [
            "id",
            "area",
            "area_name",
            "year",
            "metric",
            "value",
            "unit",
            "estimate",
            "source",
        ]

    def get_unit(self, obj: AggregateFigure) -> str:
        return Metric.unit(obj.metric)

"""Serializers for allies, targets, sources (editions), official figures and compliance."""

from __future__ import annotations

from django.http import QueryDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from spending.models import (
    FIRST_YEAR,
    LAST_YEAR,
    MemberState,
    Metric,
    Source,
    SpendingFigure,
    Target,
)

VALUE_HELP = (
    "Decimal string, exact as published. Unit by metric: `pct_gdp` in % of GDP, `spending_usd` "
    "in US$ million (current prices), `equipment_share` in % of defence expenditure."
)


class SourceBriefSerializer(serializers.ModelSerializer):
    """The source (for official figures: the NATO edition) a number comes from."""

    class Meta:
        model = Source
        fields = ["code", "title", "publisher", "published"]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = [
            "code",
            "title",
            "publisher",
            "url",
            "published",
            "published_precision",
            "is_nato_edition",
            "notes",
        ]


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
        ]

    def get_unit(self, obj: Target) -> str:
        return Metric.unit(obj.metric)


class FigureSerializer(serializers.ModelSerializer):
    """One official figure and the source (edition) it comes from."""

    ally = AllyBriefSerializer(source="member", read_only=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, help_text=VALUE_HELP)
    unit = serializers.CharField(read_only=True, help_text="`% of GDP`, `US$ million` or `%`.")
    estimate = serializers.BooleanField(help_text="True when NATO marks the figure as estimate.")
    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = SpendingFigure
        fields = ["id", "ally", "year", "metric", "value", "unit", "estimate", "source"]


class VintageSerializer(serializers.Serializer):
    """Which edition the numbers come from."""

    edition = serializers.CharField(allow_null=True, help_text="Edition code, when one was asked.")
    as_of = serializers.DateField(allow_null=True, help_text="Date, when `as_of` was asked.")
    description = serializers.CharField(help_text='"latest edition", "edition X", ...')


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
        choices=["meets", "misses", "no_data"],
        help_text="`meets`: value at or above the threshold; `no_data`: no published figure.",
    )
    meets = serializers.BooleanField(allow_null=True)
    gap_pp = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        allow_null=True,
        help_text="Value minus threshold in percentage points (negative when short).",
    )
    source = serializers.SerializerMethodField(help_text="Edition the value comes from.")
    figure_id = serializers.IntegerField(allow_null=True)

    @extend_schema_field(SourceBriefSerializer(allow_null=True))
    def get_source(self, row) -> dict | None:
        if row.source_code is None:
            return None
        source = self.context.get("sources", {}).get(row.source_code)
        if source is not None:
            return SourceBriefSerializer(source).data
        return {
            "code": row.source_code,
            "title": row.source_title,
            "publisher": "",
            "published": row.source_published.isoformat() if row.source_published else None,
        }


class ComplianceSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    target = serializers.CharField(source="target_code")
    members = serializers.IntegerField(help_text="Allies that were members that year.")
    meeting = serializers.IntegerField()
    missing = serializers.IntegerField()
    no_data = serializers.IntegerField(help_text="Members with no published figure (Iceland).")


class ComplianceResponseSerializer(serializers.Serializer):
    vintage = VintageSerializer()
    targets = TargetSerializer(many=True)
    years = serializers.ListField(child=serializers.IntegerField())
    summary = ComplianceSummarySerializer(
        many=True, help_text="Per year and target, over every member (ignores `status`)."
    )
    count = serializers.IntegerField(help_text="Number of rows in `results`.")
    results = ComplianceRowSerializer(many=True)


@extend_schema_field(OpenApiTypes.STR)
class MultiValueField(serializers.ListField):
    """A query parameter given repeatedly (``year=2023&year=2024``) or comma separated."""

    def get_value(self, dictionary):
        if isinstance(dictionary, QueryDict):
            raw = dictionary.getlist(self.field_name)
        else:
            raw = dictionary.get(self.field_name, [])
            raw = raw if isinstance(raw, list) else [raw]
        values = [part.strip() for item in raw for part in str(item).split(",") if part.strip()]
        return values or serializers.empty

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict):  # {index: [messages]} → flat messages naming the value
                messages = [
                    f"{data[int(index)]!r}: {message}"
                    for index, errors in detail.items()
                    for message in errors
                ]
                raise serializers.ValidationError(messages) from None
            raise


class ComplianceQuerySerializer(serializers.Serializer):
    target = MultiValueField(child=serializers.CharField(max_length=20), required=False)
    year = MultiValueField(
        child=serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR),
        required=False,
        max_length=50,
    )
    status = MultiValueField(
        child=serializers.ChoiceField(choices=["meets", "misses", "no_data"]), required=False
    )
    edition = serializers.CharField(required=False, allow_blank=True, max_length=50)
    as_of = serializers.CharField(required=False, allow_blank=True, max_length=40)

    def validate_target(self, codes: list[str]) -> list[Target]:
        found = {t.code: t for t in Target.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            known = ", ".join(Target.objects.values_list("code", flat=True))
            raise serializers.ValidationError(
                f"unknown target code(s): {', '.join(unknown)}; known codes: {known}"
            )
        return list(dict.fromkeys(found[c] for c in codes))

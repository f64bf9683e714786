"""Serializers for articles, speakers, statements, editors' links and checked claims."""

from __future__ import annotations

from rest_framework import serializers

from articles.checks import editions_list
from articles.models import Article, ReviewStatus, Speaker, Statement, StatementLink, Verdict
from articles.roles import RoleCheck, roles_by_speaker, statement_role
from nato_tracker.api.params import MultiValueField, QuerySerializer
from nato_tracker.api.serializers import WebUrlMixin
from spending.api.serializers import AllyCodeField, FigureSerializer, ally_codes
from spending.models import FIRST_YEAR, LAST_YEAR, SpendingFigure, Target


class SpeakerBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Speaker
        fields = ["slug", "name", "role"]


class SpeakerSerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="alias", help_text="Short names the press uses."
    )
    statement_count = serializers.IntegerField(
        read_only=True, help_text="Published (not rejected) statements by this speaker."
    )

    class Meta:
        model = Speaker
        fields = ["slug", "name", "role", "aliases", "statement_count"]


class ArticleBriefSerializer(WebUrlMixin, serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "title", "publisher", "url", "published"]


class ArticleSerializer(WebUrlMixin, serializers.ModelSerializer):
    statement_count = serializers.IntegerField(
        read_only=True, help_text="Published (not rejected) statements in the article."
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "publisher",
            "url",
            "published",
            "dateline",
            "review_status",
            "ingested_at",
            "statement_count",
        ]


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text"]


class LinkBriefSerializer(serializers.ModelSerializer):
    figure = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the linked official figure."
    )
    target = serializers.SlugRelatedField(
        read_only=True, slug_field="code", allow_null=True, help_text="Linked target code."
    )

    class Meta:
        model = StatementLink
        fields = ["id", "figure", "target", "note"]


def statement_role_check(statement: Statement, context: dict) -> RoleCheck | None:
    """The statement's role check (:func:`articles.roles.statement_role`) on its article's
    date, None when it cannot be made: no resolved speaker or an undated article. The speakers'
    roles are read once per serializer (kept in its context), not once per row."""
    if statement.speaker_id is None or statement.article.published is None:
        return None
    if "speaker_roles" not in context:
        context["speaker_roles"] = roles_by_speaker()
    return statement_role(statement, roles=context["speaker_roles"])


class RoleOnDateSerializer(serializers.Serializer):
    """The role the speaker held on the article's date, from the app's dated, sourced roles."""

    role = serializers.CharField()
    start = serializers.DateField(help_text="First day in the role.")
    end = serializers.DateField(
        allow_null=True, help_text="The day the role passed to someone else; null: still held."
    )
    source = serializers.CharField(help_text="Where the dates come from.")

    def get_attribute(self, statement):
        check = statement_role_check(statement, self.context)
        return check.held if check else None


class RoleMismatchField(serializers.BooleanField):
    """Whether the role the article wrote is one the speaker did not hold on its date."""

    def get_attribute(self, statement):
        check = statement_role_check(statement, self.context)
        return check.mismatch if check else None


class RoleMismatchDetailField(serializers.CharField):
    """What the mismatch is, in words ("" without one)."""

    def get_attribute(self, statement):
        check = statement_role_check(statement, self.context)
        return check.message if check else ""


class StatementSerializer(serializers.ModelSerializer):
    speaker = SpeakerBriefSerializer(
        read_only=True, allow_null=True, help_text="The person, when resolved."
    )
    article = ArticleBriefSerializer(read_only=True)
    allies = serializers.SlugRelatedField(
        source="members",
        many=True,
        read_only=True,
        slug_field="iso3",
        help_text="ISO3 codes of the allies the statement is about.",
    )
    targets = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code", help_text="Codes of targets it mentions."
    )
    links = LinkBriefSerializer(many=True, read_only=True, help_text="Editors' links.")
    role_on_date = RoleOnDateSerializer(
        read_only=True,
        allow_null=True,
        help_text="The role the resolved speaker held on the article's date, as the app knows "
        "it (null: not known, no resolved speaker or an undated article). Seed 004, 24 April "
        "2025: Mark Rutte, NATO Secretary General since 1 October 2024.",
    )
    role_mismatch = RoleMismatchField(
        read_only=True,
        allow_null=True,
        help_text="True when `speaker_role` (as the article wrote it) names a role the speaker "
        'did not hold on the article\'s date ("Dutch Prime Minister" for Mark Rutte on 24 April '
        "2025); null when it cannot be told (no resolved speaker or an undated article).",
    )
    role_mismatch_detail = RoleMismatchDetailField(
        read_only=True,
        help_text="The mismatch in words: the role named, when it was held, the role held on "
        "that date (empty without a mismatch).",
    )

    # In CSV the speaker's own role is ``speaker_role``; the role as the article wrote it is:
    csv_column_names = {"speaker_role": "speaker_role_as_written"}

    class Meta:
        model = Statement
        fields = [
            "id",
            "text",
            "partial",
            "speaker",
            "speaker_as_written",
            "speaker_role",
            "role_on_date",
            "role_mismatch",
            "role_mismatch_detail",
            "article",
            "allies",
            "targets",
            "links",
            "review_status",
            "start",
            "end",
        ]
        extra_kwargs = {
            "speaker_role": {
                "help_text": "The speaker's role as the article wrote it, word for word (a "
                "quotation of the article, not the app's word)."
            }
        }


class SpeakerChangeSerializer(serializers.Serializer):
    speaker = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Speaker.objects.all(),
        allow_null=True,
        help_text="Slug of the speaker the statement is by; null: unattributed.",
    )


class StatementLinkSerializer(serializers.ModelSerializer):
    """An editor's link between a statement and an official figure and/or a target."""

    statement = serializers.PrimaryKeyRelatedField(
        queryset=Statement.objects.all(), help_text="Statement id."
    )
    figure = serializers.PrimaryKeyRelatedField(
        queryset=SpendingFigure.objects.all(),
        required=False,
        allow_null=True,
        help_text="Id of the official figure (see /api/v1/figures/).",
    )
    target = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Target.objects.all(),
        required=False,
        allow_null=True,
        help_text="Target code.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    figure_detail = FigureSerializer(source="figure", read_only=True, allow_null=True)
    created_by = serializers.SlugRelatedField(read_only=True, slug_field="username")

    class Meta:
        model = StatementLink
        fields = [
            "id",
            "statement",
            "figure",
            "target",
            "note",
            "figure_detail",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]
        validators: list = []

    def validate(self, attrs):
        if not attrs.get("figure") and not attrs.get("target"):
            raise serializers.ValidationError("Give a figure, a target or both.")
        return attrs


class AlternativeSerializer(serializers.Serializer):
    """Where a claim that does not match does match: an adjacent year or another edition."""

    year = serializers.IntegerField()
    source_code = serializers.ListField(
        child=serializers.CharField(),
        help_text="The edition(s) the matching value rests on, newest first (a count can rest "
        "on several: an edition that did not restate every ally).",
    )
    source_title = serializers.ListField(
        child=serializers.CharField(), help_text="Their titles, in the same order."
    )
    official_value = serializers.FloatField()


class EditionsField(serializers.ListField):
    """A check's edition codes or titles, newest first, as a list (stored joined by ``"; "``:
    :func:`articles.checks.editions_list`); in CSV a list cell, ``A;B;``."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), **kwargs)

    def to_representation(self, data):
        return super().to_representation(editions_list(data))


class CheckSerializer(serializers.Serializer):
    """An automatic check of a claim against the official figures (null fields: not known)."""

    verdict = serializers.ChoiceField(choices=Verdict.choices, allow_null=True)
    official_value = serializers.FloatField(allow_null=True)
    difference = serializers.FloatField(allow_null=True)
    unit = serializers.CharField(allow_null=True)
    source_code = EditionsField(
        allow_null=True,
        help_text="The edition(s) checked against, newest first: several when a count or list "
        "rests on figures from more than one edition (one did not restate every ally).",
    )
    source_title = EditionsField(allow_null=True, help_text="Their titles, in the same order.")
    figure_id = serializers.IntegerField(allow_null=True)
    as_of = serializers.DateField(allow_null=True)
    detail = serializers.CharField(allow_null=True)
    estimate = serializers.BooleanField(
        allow_null=True, help_text="True when the official figure is a NATO estimate."
    )
    definition = serializers.CharField(
        allow_null=True,
        help_text="Definition of the edition(s) checked against: `core` (2026) or `pre2026`.",
    )
    price_basis = serializers.CharField(
        allow_null=True,
        help_text="Totals: the price basis of `official_value`, `current` (NATO's totals in "
        "current prices) or `constant_2021` (constant 2021 prices and exchange rates). A total "
        "is compared in both; this is the one it matched, else `current`.",
    )
    alternative = AlternativeSerializer(
        allow_null=True,
        help_text="When the claim does not match: the adjacent year or other edition it matches.",
    )
    date_unknown = serializers.BooleanField(
        allow_null=True,
        help_text="True when the article has no date and was checked against every edition.",
    )
    inconsistencies = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="Counts and lists of the article that do not add up (counts and lists only).",
    )


CLAIM_KINDS = ["reported_figure", "aggregate_claim", "target_list"]


class ClaimSerializer(serializers.Serializer):
    """A figure or claim reported in an article, with its checks (one shape for all kinds)."""

    kind = serializers.ChoiceField(choices=CLAIM_KINDS)
    id = serializers.IntegerField(help_text="Id within its kind.")
    article = ArticleBriefSerializer()
    sentence = serializers.CharField(allow_blank=True)
    ally = serializers.CharField(allow_null=True, help_text="reported_figure: ISO3 code.")
    allies = serializers.ListField(
        child=serializers.CharField(), help_text="target_list: ISO3 codes listed."
    )
    year = serializers.IntegerField(allow_null=True)
    metric = serializers.CharField(allow_null=True, help_text="reported_figure: metric.")
    value = serializers.FloatField(allow_null=True, help_text="The reported number, as given.")
    currency = serializers.CharField(allow_null=True)
    aggregate_kind = serializers.CharField(
        allow_null=True, help_text="aggregate_claim: count_meeting or total_spending."
    )
    target_pct = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    count = serializers.IntegerField(allow_null=True)
    of_total = serializers.IntegerField(allow_null=True)
    meets = serializers.BooleanField(allow_null=True, help_text="target_list: meet or miss.")
    verdict = serializers.CharField(allow_blank=True, help_text="Automatic verdict.")
    editor_verdict = serializers.CharField(allow_blank=True)
    final_verdict = serializers.CharField(
        allow_blank=True, help_text="The editor's verdict when given, else the automatic one."
    )
    check_as_published = CheckSerializer(help_text="Against the figures known on the date.")
    check_latest = CheckSerializer(help_text="Against the latest edition.")


class ClaimQuerySerializer(QuerySerializer):
    kind = serializers.ChoiceField(choices=CLAIM_KINDS, required=False)
    ally = MultiValueField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text="ISO3 code(s), any case, repeated or comma separated: figures for and lists "
        "naming any of them (aggregate claims are about no single ally and are left out).",
    )
    year = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False)
    article = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    published_after = serializers.DateField(required=False)
    published_before = serializers.DateField(required=False)

    def validate_ally(self, values: list[str]) -> list[str]:
        return ally_codes(values)


class ReviewStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ReviewStatus.choices,
        help_text="reviewed, rejected (a mis-extraction: kept, hidden) or pending.",
    )


class StatementAboutSerializer(serializers.Serializer):
    allies = AllyCodeField(
        many=True, help_text="ISO3 codes (any case) of the allies the statement concerns."
    )
    targets = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Target.objects.all(),
        many=True,
        help_text="Codes of the targets it concerns.",
    )


class VerdictChangeSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(
        choices=Verdict.choices,
        required=False,
        allow_null=True,
        help_text="Omitted or null: confirm the automatic verdict.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        default="",
        help_text="Required when overriding the automatic verdict.",
    )


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class VerdictResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CLAIM_KINDS)
    id = serializers.IntegerField()
    verdict = serializers.CharField(allow_blank=True, help_text="Automatic verdict.")
    editor_verdict = serializers.CharField(allow_blank=True)
    editor_note = serializers.CharField(allow_blank=True)
    confirmed_by = serializers.CharField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(
        help_text="Raised by every editor's change; the ETag names it (see If-Match)."
    )


class EditSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    user = serializers.CharField(allow_null=True)
    date = serializers.DateTimeField()
    changes = HistoryChangeSerializer(many=True)
    reason = serializers.CharField(
        help_text="What changed when no field did: a link added, removed or restored."
    )


class PreconditionFailedSerializer(serializers.Serializer):
    """The answer to a write whose ``If-Match`` no longer names the current version."""

    detail = serializers.CharField()
    current_etag = serializers.CharField(help_text="Send it as If-Match after reading again.")
    current_version = serializers.IntegerField()
    edits = EditSerializer(many=True, help_text="Changes made since the version you read.")


class SpeakerCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, help_text="Full name, as the press gives it.")
    role = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default="", help_text="Role or title."
    )
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=list,
        help_text='Short names the press uses ("Rutte").',
    )


class HistoryVersionSerializer(serializers.Serializer):
    history_id = serializers.IntegerField(help_text="Give it to the revert endpoint.")
    change = serializers.ChoiceField(["created", "changed", "deleted"])
    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True, help_text="Who made it; null for ingestion.")
    reason = serializers.CharField(allow_blank=True)
    changes = HistoryChangeSerializer(
        many=True, help_text="Fields changed from the version before."
    )

"""Admin for editors: articles, speakers, statements and the claims checked against NATO data."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AggregateClaim,
    Article,
    ReportedFigure,
    Speaker,
    SpeakerAlias,
    Statement,
    StatementLink,
    TargetList,
)


class StatementInline(admin.TabularInline):
    model = Statement
    extra = 0
    fields = ["text", "speaker", "partial", "review_status"]
    readonly_fields = ["text"]
    autocomplete_fields = ["speaker"]
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published", "dateline", "review_status", "ingested_at"]
    list_filter = ["review_status", "publisher", "published"]
    search_fields = ["title", "text", "publisher", "url"]
    date_hierarchy = "published"
    readonly_fields = ["content_hash", "text", "source_path", "ingested_at"]
    inlines = [StatementInline]


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role"]
    search_fields = ["name", "role", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerAliasInline]


@admin.register(Statement)
class StatementAdmin(SimpleHistoryAdmin):
    list_display = ["short_text", "speaker", "speaker_as_written", "partial", "review_status"]
    list_filter = ["review_status", "partial", "speaker", "targets", "members"]
    search_fields = ["text", "speaker__name", "speaker_as_written", "article__title"]
    list_select_related = ["speaker", "article"]
    autocomplete_fields = ["speaker", "members"]
    filter_horizontal = ["targets"]
    readonly_fields = ["article", "text", "start", "end", "speaker_as_written"]

    @admin.display(description="Quote")
    def short_text(self, obj):
        return obj.text[:80]


class CheckedClaimAdmin(SimpleHistoryAdmin):
    list_filter = ["verdict", "editor_verdict"]
    list_select_related = ["article"]
    readonly_fields = ["article", "sentence", "start", "end", "check_as_published", "check_latest"]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(CheckedClaimAdmin):
    list_display = ["member", "year", "metric", "value", "verdict", "editor_verdict", "article"]
    list_filter = ["verdict", "editor_verdict", "metric", "member"]
    search_fields = ["sentence", "article__title", "member__name"]


@admin.register(AggregateClaim)
class AggregateClaimAdmin(CheckedClaimAdmin):
    list_display = ["__str__", "kind", "verdict", "editor_verdict", "article"]
    list_filter = ["kind", "verdict", "editor_verdict"]
    search_fields = ["sentence", "article__title"]


@admin.register(TargetList)
class TargetListAdmin(CheckedClaimAdmin):
    list_display = ["__str__", "target_pct", "year", "meets", "verdict", "article"]
    search_fields = ["sentence", "article__title"]


@admin.register(StatementLink)
class StatementLinkAdmin(SimpleHistoryAdmin):
    list_display = ["statement", "figure", "target", "note", "created_by", "created_at"]
    list_select_related = ["statement", "figure__member", "figure__source", "target", "created_by"]
    autocomplete_fields = ["statement"]
    raw_id_fields = ["figure"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

"""Admin for the reference data: searchable, filterable, read-only where a source owns the data."""

from django.contrib import admin

from .models import AggregateFigure, CountryAlias, MemberState, Source, SpendingFigure, Target


class ReadOnlyFromSourceMixin:
    """Figures come from published sources: editors can read them, not change them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CountryAliasInline(admin.TabularInline):
    model = CountryAlias
    extra = 0


@admin.register(MemberState)
class MemberStateAdmin(admin.ModelAdmin):
    list_display = ["name", "iso3", "accession_date", "reports_figures"]
    list_filter = ["reports_figures"]
    search_fields = ["name", "iso3", "aliases__alias"]
    readonly_fields = ["iso3", "accession_date"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CountryAliasInline]


@admin.register(CountryAlias)
class CountryAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "member", "kind"]
    list_filter = ["kind", "member"]
    search_fields = ["alias", "member__name"]
    list_select_related = ["member"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "metric", "threshold", "status", "decided_at", "deadline_year"]
    list_filter = ["status", "metric"]
    search_fields = ["name", "code", "description"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "publisher", "published", "is_nato_edition"]
    list_filter = ["is_nato_edition"]
    search_fields = ["code", "title", "publisher", "notes"]
    readonly_fields = ["code"]


@admin.register(SpendingFigure)
class SpendingFigureAdmin(ReadOnlyFromSourceMixin, admin.ModelAdmin):
    list_display = ["member", "year", "metric", "value", "estimate", "source"]
    list_filter = ["metric", "estimate", "source", "year", "member"]
    search_fields = ["member__name", "member__iso3", "source__code"]
    list_select_related = ["member", "source"]


@admin.register(AggregateFigure)
class AggregateFigureAdmin(ReadOnlyFromSourceMixin, admin.ModelAdmin):
    list_display = ["area", "year", "metric", "value", "estimate", "source"]
    list_filter = ["area", "metric", "estimate", "source"]
    list_select_related = ["source"]

from django.contrib import admin
from django.db.models import Count
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from cities.admin_autocomplete import CachedAutocompleteInlineMixin
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    SustainableDevelopmentGoal,
    Theme,
    Transfer,
    WorkflowEvent,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "solution_count"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(solution_count=Count("solutions"))

    @admin.display(description="Solutions", ordering="solution_count")
    def solution_count(self, theme):
        return theme.solution_count


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name", "=number"]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0
    fields = ["name", "sector", "role"]


class SourceLinkInline(admin.TabularInline):
    model = SourceLink
    extra = 0
    fields = ["title", "url"]


class SolutionImageInline(admin.StackedInline):
    model = SolutionImage
    extra = 0
    fields = ["image", "alt_text", "caption", "credit", "position"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    show_change_link = True
    fields = [
        "name",
        "unit",
        "direction",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
    ]


class TransferInline(CachedAutocompleteInlineMixin, admin.StackedInline):
    model = Transfer
    extra = 0
    autocomplete_fields = ["origin_city", "adopting_city", "network"]
    fields = [
        ("origin_city", "adopting_city"),
        ("network", "status"),
        ("start_year", "end_year"),
        "adaptations",
        "outcome",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("solution", "origin_city", "adopting_city", "network")
        )


class WorkflowEventInline(admin.TabularInline):
    model = WorkflowEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "solution")


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "network", "status", "stage", "published_at", "updated_at"]
    list_filter = ["status", "stage", "network", "themes", "city__region"]
    list_select_related = ["city", "network"]
    search_fields = ["title", "summary", "city__name", "network__name", "network__acronym"]
    autocomplete_fields = ["city", "network", "themes", "sdgs", "author"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "published_at"
    inlines = [
        PartnerInline,
        SourceLinkInline,
        SolutionImageInline,
        IndicatorInline,
        TransferInline,
        WorkflowEventInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "city", "network"]}),
        ("Case study", {"fields": ["problem", "approach", "results", "lessons_learned"]}),
        ("Classification", {"fields": ["themes", "tags", "sdgs", "stage"]}),
        ("Years, cost and funding", {"fields": ["start_year", "end_year", "cost_usd", "funding"]}),
        ("Contact", {"fields": ["contact_name", "contact_organisation", "contact_email"]}),
        ("Workflow", {"fields": ["status", "published_at", "author", "created_at", "updated_at"]}),
    ]


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 1
    fields = ["year", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "solution", "unit", "direction", "measurement_count"]
    list_filter = ["direction"]
    list_select_related = ["solution"]
    search_fields = ["name", "solution__title"]
    autocomplete_fields = ["solution"]
    inlines = [MeasurementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(measurement_count=Count("measurements"))

    @admin.display(description="Measurements", ordering="measurement_count")
    def measurement_count(self, indicator):
        return indicator.measurement_count


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ["indicator", "solution_title", "year", "value"]
    list_select_related = ["indicator__solution"]
    search_fields = ["indicator__name", "indicator__solution__title"]
    autocomplete_fields = ["indicator"]

    @admin.display(description="Solution", ordering="indicator__solution__title")
    def solution_title(self, measurement):
        return measurement.indicator.solution.title


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "solution"]
    list_filter = ["sector"]
    list_select_related = ["solution"]
    search_fields = ["name", "role", "solution__title"]
    autocomplete_fields = ["solution"]


@admin.register(SourceLink)
class SourceLinkAdmin(admin.ModelAdmin):
    list_display = ["title", "url", "solution"]
    list_select_related = ["solution"]
    search_fields = ["title", "url", "solution__title"]
    autocomplete_fields = ["solution"]


@admin.register(SolutionImage)
class SolutionImageAdmin(admin.ModelAdmin):
    list_display = ["alt_text", "solution", "credit", "position"]
    list_select_related = ["solution"]
    search_fields = ["alt_text", "caption", "credit", "solution__title"]
    autocomplete_fields = ["solution"]


@admin.register(Transfer)
class TransferAdmin(admin.ModelAdmin):
    list_display = [
        "solution",
        "origin_city",
        "adopting_city",
        "network",
        "status",
        "start_year",
        "end_year",
        "crosses_national_border",
    ]
    list_filter = ["status", "network"]
    list_select_related = ["solution", "origin_city", "adopting_city", "network"]
    search_fields = ["solution__title", "origin_city__name", "adopting_city__name"]
    autocomplete_fields = ["solution", "origin_city", "adopting_city", "network"]

    @admin.display(description="Across a national border", boolean=True)
    def crosses_national_border(self, transfer):
        return transfer.crosses_national_border


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
    """The workflow's history: readable, never edited by hand."""

    list_display = ["solution", "from_status", "to_status", "actor", "created_at"]
    list_filter = ["to_status"]
    list_select_related = ["solution", "actor"]
    search_fields = ["solution__title", "comment", "actor__username"]
    readonly_fields = ["solution", "actor", "from_status", "to_status", "comment", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(TaggitTagAdmin):
    """Taggit's tag admin without its inline, which costs a query per tagged item."""

    inlines = []
    list_display = ["name", "slug", "usage_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(usage_count=Count("taggit_taggeditem_items"))

    @admin.display(description="Used on", ordering="usage_count")
    def usage_count(self, tag):
        return tag.usage_count

"""The rows a case study holds, on their own pages for curators, and transfers."""

from django.contrib import admin
from django.db.models import Count, Q

from solutions.forms import SolutionImageForm
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    Transfer,
)
from solutions.workflow.roles import is_curator, submitted_by


class CuratorOnlyAdminMixin:
    """Rows that belong to a solution: staff edit them through the solution's own page, where
    the solution's permissions apply; only curators open them on their own."""

    def has_module_permission(self, request):
        return is_curator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_add_permission(self, request):
        return is_curator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_curator(request.user)


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 1
    fields = ["year", "value", "note"]


@admin.register(Indicator)
class IndicatorAdmin(CuratorOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "solution", "unit", "direction", "measurement_count"]
    list_filter = ["direction"]
    list_select_related = ["solution"]
    search_fields = ["name", "solution__title"]
    autocomplete_fields = ["solution"]
    inlines = [MeasurementInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(measurement_count=Count("measurements"))
            .order_by("solution__title", "name", "pk")
        )

    @admin.display(description="Measurements", ordering="measurement_count")
    def measurement_count(self, indicator):
        return indicator.measurement_count


@admin.register(Measurement)
class MeasurementAdmin(CuratorOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["indicator", "solution_title", "year", "value"]
    list_select_related = ["indicator__solution"]
    search_fields = ["indicator__name", "indicator__solution__title"]
    autocomplete_fields = ["indicator"]

    @admin.display(description="Solution", ordering="indicator__solution__title")
    def solution_title(self, measurement):
        return measurement.indicator.solution.title


@admin.register(Partner)
class PartnerAdmin(CuratorOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "sector", "solution"]
    list_filter = ["sector"]
    list_select_related = ["solution"]
    search_fields = ["name", "role", "solution__title"]
    autocomplete_fields = ["solution"]


@admin.register(SourceLink)
class SourceLinkAdmin(CuratorOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "url", "solution"]
    list_select_related = ["solution"]
    search_fields = ["title", "url", "solution__title"]
    autocomplete_fields = ["solution"]


@admin.register(SolutionImage)
class SolutionImageAdmin(CuratorOnlyAdminMixin, admin.ModelAdmin):
    form = SolutionImageForm
    fields = ["solution", "image", "alt_text", "caption", "credit", "position"]
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

    def get_queryset(self, request):
        """Curators see every transfer; network staff those of published case studies and of
        the ones they submit, never another network's unpublished work."""
        queryset = super().get_queryset(request)
        if is_curator(request.user):
            return queryset
        return queryset.filter(
            Q(solution__in=Solution.objects.published())
            | Q(solution__in=submitted_by(request.user))
        )

    @admin.display(description="Across a national border", boolean=True)
    def crosses_national_border(self, transfer):
        return transfer.crosses_national_border

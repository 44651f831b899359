"""The rows a case study holds, on their own pages for curators, and transfers."""

from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from solutions.admin.solutions import image_thumbnail
from solutions.forms import SolutionImageForm, opened_at_field
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    Transfer,
)
from solutions.services import ensure_unchanged_since, solution_record_change
from solutions.workflow.roles import is_curator, submitted_by


def case_study_pk(row):
    """The case study a row belongs to (a measurement through its indicator)."""
    return row.indicator.solution_id if isinstance(row, Measurement) else row.solution_id


class CaseStudyRowForm(forms.ModelForm):
    """A row edited on its own page carries its case study's edit token: a save from a page
    opened before someone else changed the case study is refused, as on the case study's page."""

    opened_at = opened_at_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_on = case_study_pk(self.instance) if self.instance.pk else None
        if self.opened_on and not self.is_bound:
            updated_at = Solution.objects.values_list("updated_at", flat=True).get(
                pk=self.opened_on
            )
            self.initial["opened_at"] = updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        if self.opened_on:
            # The admin saves inside this request's transaction, which keeps the row locked.
            ensure_unchanged_since(solution_pk=self.opened_on, opened_at=cleaned.get("opened_at"))
        return cleaned


class CaseStudyRowAdminMixin:
    """Saving or deleting a row here moves its case study's edit token and stores a version of
    the case study (solutions.services.solution_record_change)."""

    form = CaseStudyRowForm

    def record(self, request, solution_pks, what):
        name = self.model._meta.verbose_name
        for pk in sorted({pk for pk in solution_pks if pk}):
            solution_record_change(
                solution_pk=pk, user=request.user, comment=f"{what} {name} on its own page"
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # the inlines, e.g. measurements
        moved_from = getattr(form, "opened_on", None)
        self.record(
            request, [moved_from, case_study_pk(form.instance)], "Changed" if change else "Added"
        )

    def delete_model(self, request, obj):
        pk = case_study_pk(obj)
        super().delete_model(request, obj)
        self.record(request, [pk], "Deleted")

    def delete_queryset(self, request, queryset):
        pks = [case_study_pk(row) for row in queryset]
        super().delete_queryset(request, queryset)
        self.record(request, pks, "Deleted")


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
class IndicatorAdmin(CaseStudyRowAdminMixin, CuratorOnlyAdminMixin, admin.ModelAdmin):
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
class MeasurementAdmin(CaseStudyRowAdminMixin, CuratorOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["indicator", "solution_title", "year", "value"]
    list_select_related = ["indicator__solution"]
    search_fields = ["indicator__name", "indicator__solution__title"]
    autocomplete_fields = ["indicator"]

    @admin.display(description="Solution", ordering="indicator__solution__title")
    def solution_title(self, measurement):
        return measurement.indicator.solution.title


@admin.register(Partner)
class PartnerAdmin(CaseStudyRowAdminMixin, CuratorOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "sector", "solution"]
    list_filter = ["sector"]
    list_select_related = ["solution"]
    search_fields = ["name", "role", "solution__title"]
    autocomplete_fields = ["solution"]


@admin.register(SourceLink)
class SourceLinkAdmin(CaseStudyRowAdminMixin, CuratorOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "url", "solution"]
    list_select_related = ["solution"]
    search_fields = ["title", "url", "solution__title"]
    autocomplete_fields = ["solution"]


class SolutionImageRowForm(CaseStudyRowForm, SolutionImageForm):
    pass


@admin.register(SolutionImage)
class SolutionImageAdmin(CaseStudyRowAdminMixin, CuratorOnlyAdminMixin, admin.ModelAdmin):
    form = SolutionImageRowForm
    fields = [
        "solution",
        "thumbnail",
        "image",
        "alt_text",
        "caption",
        "credit",
        "position",
        "opened_at",
    ]
    readonly_fields = ["thumbnail"]
    list_display = ["alt_text", "solution", "credit", "position"]
    list_select_related = ["solution"]
    search_fields = ["alt_text", "caption", "credit", "solution__title"]
    autocomplete_fields = ["solution"]

    @admin.display(description=_("Picture"))
    def thumbnail(self, image):
        return image_thumbnail(image)


@admin.register(Transfer)
class TransferAdmin(CaseStudyRowAdminMixin, admin.ModelAdmin):
    """Transfers are curated on their own (a version of a case study never removes one), but the
    case study's page shows them inline: a save here moves its edit token like any row's."""

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

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timesince import timesince
from reversion.admin import VersionAdmin
from reversion.models import Version
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from cities.admin_autocomplete import CachedAutocompleteInlineMixin
from networks.models import Network
from solutions.forms import (
    CommentForm,
    ConcurrentEditMixin,
    SolutionImageForm,
    opened_at_field,
)
from solutions.history import compare_versions
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    ReviewQueueItem,
    Solution,
    SolutionImage,
    SourceLink,
    Status,
    SustainableDevelopmentGoal,
    Theme,
    Transfer,
    WorkflowEvent,
)
from solutions.roles import can_edit, is_curator, staff_network_ids
from solutions.workflow import (
    TRANSITIONS,
    WorkflowError,
    available_transitions,
    get_transition,
    transition,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "solution_count"]
    list_editable = ["position"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(solution_count=Count("solutions"))
            .order_by("position", "name")
        )

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
    form = SolutionImageForm
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


def valid_id(value):
    """An object id from a URL, or a 404: never a server error for "abc" or 4,000 digits."""
    value = str(value)
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise Http404("No such solution.")
    return int(value)


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


class SolutionAdminForm(ConcurrentEditMixin, forms.ModelForm):
    opened_at = opened_at_field()

    class Meta:
        model = Solution
        fields = []  # the admin takes the fields from SolutionAdmin.fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_opened_at()

    def clean(self):
        cleaned = super().clean()
        self.check_not_changed_since_opened()
        return cleaned


def transition_action(step):
    """An admin action that makes one workflow transition on every selected solution."""

    def action(modeladmin, request, queryset):
        comment = ""
        if step.comment_required:
            form = CommentForm(request.POST if "apply" in request.POST else None)
            if not form.is_valid():
                return TemplateResponse(
                    request,
                    "admin/solutions/transition_comment.html",
                    {
                        **modeladmin.admin_site.each_context(request),
                        "opts": modeladmin.model._meta,
                        "step": step,
                        "form": form,
                        "solutions": queryset,
                        "action_name": f"transition_{step.name}",
                        "title": f"{step.label}: add a comment",
                    },
                )
            comment = form.cleaned_data["comment"]
        done, refused = [], []
        for solution in queryset:
            try:
                transition(solution, user=request.user, name=step.name, comment=comment)
            except WorkflowError as error:
                refused.append(f"“{solution.title}”: {error}")
            else:
                done.append(solution.title)
        if done:
            messages.success(request, f"{step.label}: done for {len(done)} solution(s).")
        for reason in refused:
            messages.error(request, reason)
        return None

    action.__name__ = f"transition_{step.name}"
    return admin.action(description=f"{step.label} (selected solutions)")(action)


class WorkflowAdminMixin:
    """Buttons, actions and a comment page for the workflow; status is never a plain field."""

    change_form_template = "admin/solutions/solution/change_form.html"
    actions = [transition_action(step) for step in TRANSITIONS]

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/transition/<str:name>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{opts.app_label}_{opts.model_name}_transition",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, object_id, name):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        solution = get_object_or_404(self.get_queryset(request), pk=valid_id(object_id))
        try:
            step = get_transition(name)
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect(self.change_url(solution))
        form = CommentForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and (not step.comment_required or form.is_valid()):
            comment = form.cleaned_data["comment"] if step.comment_required else ""
            try:
                transition(solution, user=request.user, name=name, comment=comment)
            except WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, f"“{solution.title}” is now {solution.get_status_display().lower()}."
                )
            return redirect(self.change_url(solution))
        return TemplateResponse(
            request,
            "admin/solutions/transition_comment.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "step": step,
                "form": form,
                "solutions": [solution],
                "single": True,
                "title": f"{step.label}: “{solution.title}”",
            },
        )

    def change_url(self, solution):
        return reverse("admin:solutions_solution_change", args=[solution.pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_steps"] = available_transitions(obj, request.user) if obj else []
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Solution)
class SolutionAdmin(WorkflowAdminMixin, VersionAdmin):
    form = SolutionAdminForm
    list_display = ["title", "city", "network", "status", "stage", "published_at", "updated_at"]
    list_filter = ["status", "stage", "network", "themes", "city__region"]
    list_select_related = ["city", "network"]
    search_fields = ["title", "summary", "city__name", "network__name", "network__acronym"]
    autocomplete_fields = ["city", "network", "themes", "sdgs", "author"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status", "published_at", "created_at", "updated_at"]
    date_hierarchy = "published_at"
    object_history_template = "admin/solutions/solution/object_history.html"
    history_latest_first = True
    inlines = [
        PartnerInline,
        SourceLinkInline,
        SolutionImageInline,
        IndicatorInline,
        TransferInline,
        WorkflowEventInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "city", "network", "opened_at"]}),
        ("Case study", {"fields": ["problem", "approach", "results", "lessons_learned"]}),
        ("Classification", {"fields": ["themes", "tags", "sdgs", "stage"]}),
        ("Years, cost and funding", {"fields": ["start_year", "end_year", "cost_usd", "funding"]}),
        ("Contact", {"fields": ["contact_name", "contact_organisation", "contact_email"]}),
        ("Workflow", {"fields": ["status", "published_at", "author", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_curator(request.user):
            return queryset
        return queryset.filter(
            Q(network__in=staff_network_ids(request.user)) | Q(author=request.user)
        )

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return is_curator(request.user) and super().has_delete_permission(request, obj)

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if is_curator(request.user):
            return fields
        # Staff choose among their own networks only, from a plain list.
        return [name for name in fields if name != "network"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if is_curator(request.user) else [*readonly, "author"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "network" and not is_curator(request.user):
            kwargs["queryset"] = Network.objects.filter(pk__in=staff_network_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = obj.author or request.user
        kept = getattr(request, "_status_kept_by_restore", None)
        if kept:
            obj.status, obj.published_at = kept
        super().save_model(request, obj, form, change)

    # History: restoring and comparing versions, for curators only.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if not is_curator(request.user):
            raise PermissionDenied("Only curators can restore a version.")
        current = get_object_or_404(Solution, pk=valid_id(object_id))
        # Restoring brings back content, not a workflow status: that only changes by a step.
        request._status_kept_by_restore = (current.status, current.published_at)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not is_curator(request.user):
            raise PermissionDenied("Only curators can recover a deleted solution.")
        return super().recover_view(request, version_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        return super().history_view(
            request, object_id, {"can_restore": is_curator(request.user), **(extra_context or {})}
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="solutions_solution_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        solution = get_object_or_404(self.get_queryset(request), pk=valid_id(object_id))
        versions = Version.objects.get_for_object(solution).select_related("revision__user")
        chosen = [request.GET.get(name, "") for name in ("from", "to")]
        older, newer = (
            versions.filter(revision_id=int(value)).first()
            if value.isascii() and value.isdigit() and len(value) < 18
            else None
            for value in chosen
        )
        if older is None or newer is None:
            messages.error(request, "Choose two versions to compare.")
            return redirect("admin:solutions_solution_history", solution.pk)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        return TemplateResponse(
            request,
            "admin/solutions/solution/compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": solution,
                "older": older,
                "newer": newer,
                "changes": compare_versions(older, newer),
                "title": f"Compare versions of “{solution.title}”",
            },
        )


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    """In review first, then sent back for changes; the longest waiting first."""

    list_display = ["title_link", "network", "author", "status", "submitted_at", "waiting"]
    list_filter = ["status", "network"]
    list_select_related = ["network", "author", "city"]
    search_fields = ["title", "network__name", "author__username"]
    list_display_links = None

    def get_queryset(self, request):
        # Not super(): ModelAdmin.get_queryset orders by get_ordering() before the
        # annotations that ordering needs exist.
        return (
            self.model._default_manager.filter(
                status__in=[Status.IN_REVIEW, Status.CHANGES_REQUESTED]
            )
            .annotate(
                submitted_at=Max(
                    "events__created_at", filter=Q(events__to_status=Status.IN_REVIEW)
                ),
                queue_order=Case(
                    When(status=Status.IN_REVIEW, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
            )
            .order_by("queue_order", "submitted_at", "pk")
        )

    def get_ordering(self, request):
        return ["queue_order", "submitted_at", "pk"]

    def has_module_permission(self, request):
        return is_curator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_curator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        wanted = {"transition_request_changes", "transition_publish"}
        return {name: action for name, action in actions.items() if name in wanted}

    @admin.display(description="Solution", ordering="title")
    def title_link(self, item):
        return format_html('<a href="{}">{}</a>', self.change_url(item), item.title)

    @admin.display(description="Submitted", ordering="submitted_at")
    def submitted_at(self, item):
        return item.submitted_at

    @admin.display(description="Waiting", ordering="submitted_at")
    def waiting(self, item):
        return timesince(item.submitted_at) if item.submitted_at else "—"


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
        return (
            super()
            .get_queryset(request)
            .annotate(usage_count=Count("taggit_taggeditem_items"))
            .order_by("name")
        )

    @admin.display(description="Used on", ordering="usage_count")
    def usage_count(self, tag):
        return tag.usage_count

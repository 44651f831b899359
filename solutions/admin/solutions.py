"""The case study in the admin: every section, its related rows inline, its workflow buttons,
and its history (compare any two versions; curators restore)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from core.admin_widgets import CachedAutocompleteInlineMixin
from core.ids import valid_id
from networks.models import Network
from solutions.admin.fields import TagListField
from solutions.admin.workflow import WorkflowAdminMixin
from solutions.forms import (
    MAX_IMAGES_PER_CASE_STUDY,
    BaseSolutionImageFormSet,
    OpenedAtMixin,
    SolutionImageForm,
    opened_at_field,
)
from solutions.models import (
    Indicator,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    Transfer,
    WorkflowEvent,
)
from solutions.workflow.history import NoComparison, choose_comparison, compare_versions
from solutions.workflow.roles import can_edit, is_curator, staff_network_ids, submitter_q


def in_admin_scope(queryset, user):
    """The case studies of `queryset` this user works on in the admin: curators every one,
    anyone else those they submit (their own, and their networks')."""
    return queryset if is_curator(user) else queryset.filter(submitter_q(user))


def network_abbreviation(network):
    """A network by its acronym, its name a tooltip away (the names are long for a column)."""
    if not network.acronym:
        return network.name
    return format_html('<abbr title="{}">{}</abbr>', network.name, network.acronym)


def image_thumbnail(image):
    """The picture as visitors get it, with its alt text beside it for the reviewer."""
    if not image or not image.image:
        return "—"
    return format_html(
        '<figure class="image-preview"><img src="{}" alt="{}">'
        "<figcaption>{} {}</figcaption></figure>",
        image.image.url,
        image.alt_text,
        _("Alt text:"),
        image.alt_text,
    )


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
    formset = BaseSolutionImageFormSet  # the same bounds on one save as the site's form
    max_num = MAX_IMAGES_PER_CASE_STUDY
    extra = 0
    fields = ["thumbnail", "image", "alt_text", "caption", "credit", "position"]
    readonly_fields = ["thumbnail"]

    @admin.display(description=_("Picture"))
    def thumbnail(self, image):
        return image_thumbnail(image)


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


class SolutionAdminForm(OpenedAtMixin, forms.ModelForm):
    opened_at = opened_at_field()
    tags = TagListField(label=_("Tags"), required=False)

    class Meta:
        model = Solution
        fields = []  # the admin takes the fields from SolutionAdmin.fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_opened_at()

    def clean(self):
        cleaned = super().clean()
        # The admin saves inside this request's transaction, which keeps the row locked.
        self.check_unchanged_since_opened(lock=True)
        return cleaned


@admin.register(Solution)
class SolutionAdmin(WorkflowAdminMixin, VersionAdmin):
    form = SolutionAdminForm
    list_display = ["title", "city_name", "network_name", "status", "stage", "published", "updated"]
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
        return in_admin_scope(super().get_queryset(request), request.user)

    # Short columns, so that every one fits beside the filters at 1280 px.

    @admin.display(description=_("Origin city"), ordering="city__name")
    def city_name(self, solution):
        return f"{solution.city.name} ({solution.city.country.code})"

    @admin.display(description=_("Network"), ordering="network__name")
    def network_name(self, solution):
        return network_abbreviation(solution.network)

    @admin.display(description=_("Published"), ordering="published_at")
    def published(self, solution):
        return timezone.localdate(solution.published_at) if solution.published_at else "—"

    @admin.display(description=_("Updated"), ordering="updated_at")
    def updated(self, solution):
        return timezone.localdate(solution.updated_at)

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

    change_list_template = "admin/solutions/solution/change_list.html"

    def changelist_view(self, request, extra_context=None):
        context = {
            "can_recover": is_curator(request.user),
            "title": _("Case studies"),  # not Django's "Select solution to change"
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def recoverlist_view(self, request, extra_context=None):
        if not is_curator(request.user):
            raise PermissionDenied("Only curators can see and recover deleted solutions.")
        return super().recoverlist_view(request, extra_context)

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
        """What changed since the last review, or between the two versions chosen (`from` and
        `to`, revision ids): solutions.workflow.history says which and compares them."""
        solution = get_object_or_404(self.get_queryset(request), pk=valid_id(object_id))
        versions = list(Version.objects.get_for_object(solution).select_related("revision__user"))
        try:
            comparison = choose_comparison(
                solution, versions, request.GET.get("from"), request.GET.get("to")
            )
        except NoComparison as reason:
            messages.error(request, str(reason))
            return redirect("admin:solutions_solution_history", solution.pk)
        return TemplateResponse(
            request,
            "admin/solutions/solution/compare.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": solution,
                "comparison": comparison,
                "versions": versions,
                "changes": compare_versions(comparison.older, comparison.newer),
                "title": gettext("Compare versions of “%(title)s”") % {"title": solution.title},
            },
        )

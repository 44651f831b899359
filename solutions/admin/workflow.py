"""The workflow in the admin: transition buttons, actions and comment pages, the curators'
review queue and the read-only record of every step."""

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Max, Q, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timesince import timesince

from core.ids import valid_id
from solutions.forms import CommentForm
from solutions.models import ReviewQueueItem, Status, WorkflowEvent
from solutions.workflow.roles import is_curator
from solutions.workflow.transitions import (
    TRANSITIONS,
    WorkflowError,
    available_transitions,
    get_transition,
    transition,
)


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

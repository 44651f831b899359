"""The workflow in the admin: a page for each step (a comment where one is needed, otherwise a
confirmation), the same steps as changelist actions, and the read-only record of every step."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from core.ids import valid_id
from solutions.admin.queue import WAITING_ON_CURATOR, next_in_queue
from solutions.forms import CommentForm
from solutions.models import Status, WorkflowEvent
from solutions.workflow.transitions import (
    TRANSITIONS,
    WorkflowError,
    available_transitions,
    get_transition,
    may_act,
    transition,
)

# What a step's page asks, for one case study or several.
QUESTIONS = {
    "submit": ngettext_lazy(
        "Submit this case study for review?",
        "Submit these %(count)s case studies for review?",
        "count",
    ),
    "resubmit": ngettext_lazy(
        "Resubmit this case study for review?",
        "Resubmit these %(count)s case studies for review?",
        "count",
    ),
    "request_changes": ngettext_lazy(
        "Request changes to this case study",
        "Request changes to these %(count)s case studies",
        "count",
    ),
    "publish": ngettext_lazy(
        "Publish this case study?", "Publish these %(count)s case studies?", "count"
    ),
    "archive": ngettext_lazy(
        "Archive this case study", "Archive these %(count)s case studies", "count"
    ),
    "republish": ngettext_lazy(
        "Publish this case study again?", "Publish these %(count)s case studies again?", "count"
    ),
}

# What follows a step, by the status it leads to (the emails: workflow/notifications.py).
CONSEQUENCES = {
    Status.IN_REVIEW: _("It goes to the review queue, and the curators are told by email."),
    Status.CHANGES_REQUESTED: _(
        "It goes back to its author with your comment, by email and on their submissions page. "
        "It returns to the review queue when it is resubmitted."
    ),
    Status.PUBLISHED: _(
        "It goes on the public site, in search and in the feeds, and its author is told by email."
    ),
    Status.ARCHIVED: _("It leaves the public site, and its author gets your comment by email."),
}

# Where a case study stands, for those who have no step to take on it now.
STATUS_NOTES = {
    Status.DRAFT: _("A draft: its authors send it for review when it is ready."),
    Status.IN_REVIEW: _("It is waiting for a curator's review."),
    Status.CHANGES_REQUESTED: _(
        "It is back with its authors, who resubmit it once they have made the changes asked for."
    ),
    Status.PUBLISHED: _("It is on the public site."),
    Status.ARCHIVED: _("It is archived: not on the public site."),
}

# Said after a step, by the status it led to.
OUTCOMES = {
    Status.IN_REVIEW: _("“%(title)s” is now in review."),
    Status.CHANGES_REQUESTED: _(
        "“%(title)s” now has changes requested: its author can read your comment."
    ),
    Status.PUBLISHED: _("“%(title)s” is published: it is on the public site."),
    Status.ARCHIVED: _("“%(title)s” is archived: it is no longer on the public site."),
}
DONE_FOR_SEVERAL = {
    Status.IN_REVIEW: ngettext_lazy(
        "Sent %(count)s case study for review.", "Sent %(count)s case studies for review.", "count"
    ),
    Status.CHANGES_REQUESTED: ngettext_lazy(
        "Requested changes to %(count)s case study.",
        "Requested changes to %(count)s case studies.",
        "count",
    ),
    Status.PUBLISHED: ngettext_lazy(
        "Published %(count)s case study.", "Published %(count)s case studies.", "count"
    ),
    Status.ARCHIVED: ngettext_lazy(
        "Archived %(count)s case study.", "Archived %(count)s case studies.", "count"
    ),
}


def step_page(request, modeladmin, step, form, solutions, **extra):
    """The page of a step: what it does to which case studies, a comment if it needs one, and
    the button that makes it (a POST, so that following a link never changes anything)."""
    count = len(solutions)
    return TemplateResponse(
        request,
        "admin/solutions/transition.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "step": step,
            "form": form,
            "solutions": solutions,
            "title": QUESTIONS[step.name] % {"count": count},
            "consequence": CONSEQUENCES[step.target],
            **extra,
        },
    )


def transition_action(step):
    """An admin action that makes one workflow transition on every selected solution."""

    def action(modeladmin, request, queryset):
        comment = ""
        if step.comment_required:
            form = CommentForm(request.POST if "apply" in request.POST else None)
            if not form.is_valid():
                return step_page(
                    request,
                    modeladmin,
                    step,
                    form,
                    list(queryset),
                    action_name=f"transition_{step.name}",
                )
            comment = form.cleaned_data["comment"]
        done, refused = 0, []
        for solution in queryset:
            try:
                transition(solution, user=request.user, name=step.name, comment=comment)
            except WorkflowError as error:
                refused.append(f"“{solution.title}”: {error}")
            else:
                done += 1
        if done:
            messages.success(request, DONE_FOR_SEVERAL[step.target] % {"count": done})
        for reason in refused:
            messages.error(request, reason)
        return None

    action.__name__ = f"transition_{step.name}"
    description = format_lazy(_("{step} (selected case studies)"), step=step.label)
    return admin.action(description=description)(action)


def next_in_queue_message():
    """After a review step: a link to the case study waiting longest, or that none is left."""
    following = next_in_queue()
    if following is None:
        return gettext("Nothing else is waiting for review.")
    url = reverse("admin:solutions_solution_change", args=[following.pk])
    return format_html(
        '<a href="{}" class="next-in-queue">{}</a>',
        url,
        gettext("Next in the queue: %(title)s") % {"title": following.title},
    )


class WorkflowAdminMixin:
    """A page for each workflow step and the steps as actions; status is never a plain field."""

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
        """GET shows the step's page; only a POST makes the step."""
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
            return self.make_step(request, solution, step, comment)
        if not may_act(request.user, solution, step):
            raise PermissionDenied(gettext("This workflow step is not yours to take."))
        if step.source != solution.status:
            messages.warning(
                request,
                gettext("“%(title)s” is %(status)s: “%(step)s” is not possible now.")
                % {
                    "title": solution.title,
                    "status": solution.get_status_display().lower(),
                    "step": step.label,
                },
            )
            return redirect(self.change_url(solution))
        return step_page(
            request, self, step, form, [solution], cancel_url=self.change_url(solution)
        )

    def make_step(self, request, solution, step, comment):
        try:
            transition(solution, user=request.user, name=step.name, comment=comment)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, OUTCOMES[step.target] % {"title": solution.title})
            if step.source == WAITING_ON_CURATOR:
                messages.info(request, next_in_queue_message())
        return redirect(self.change_url(solution))

    def change_url(self, solution):
        return reverse("admin:solutions_solution_change", args=[solution.pk])

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_steps"] = available_transitions(obj, request.user) if obj else []
        context["status_note"] = STATUS_NOTES[obj.status] if obj else ""
        if obj:
            context["title"] = _("Case study")  # not Django's "Change solution"
        return super().render_change_form(request, context, add, change, form_url, obj)


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

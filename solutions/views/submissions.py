"""Views for network staff: write, save, submit and follow their case studies."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from core.form_errors import error_summary
from solutions.forms import RELATED_FORMSETS, SolutionForm
from solutions.models import Solution, Status, WorkflowEvent
from solutions.services import EditConflict, RowChanges, solution_save
from solutions.workflow.roles import can_create, can_edit_on_site, is_submitter, submitted_by
from solutions.workflow.transitions import (
    WorkflowError,
    available_transitions,
    submission_step,
    transition,
)

logger = logging.getLogger("solutions.submissions")


def submission_rate(group, request):
    return settings.SUBMISSION_RATE


limit_submissions = ratelimit(
    group="case-study-saves", key="user", rate=submission_rate, method="POST", block=False
)

NEXT_STEPS = {
    Status.DRAFT: "Finish it and submit it for review.",
    Status.CHANGES_REQUESTED: "Make the changes the curator asked for, then resubmit.",
    Status.IN_REVIEW: "Waiting for a curator to review it.",
    Status.PUBLISHED: "Published: anyone can read it.",
    Status.ARCHIVED: "Archived by a curator: no longer on the public site.",
}
CURATOR_COMMENT_STATUSES = [Status.CHANGES_REQUESTED, Status.ARCHIVED]
# The form's sections, in order, for its table of contents and its per-section saves.
SECTIONS = [
    ("essentials", _lazy("The essentials")),
    ("case-study", _lazy("The case study")),
    ("classification", _lazy("Themes and classification")),
    ("years-cost", _lazy("Years, cost and funding")),
    ("contact", _lazy("Contact")),
    ("partners", _lazy("Partners")),
    ("indicators", _lazy("Indicators")),
    ("sources", _lazy("Sources")),
    ("images", _lazy("Images")),
]
SECTION_IDS = {section for section, _label in SECTIONS}
# Each formset by its prefix, with what one of its rows is called.
FORMSET_ITEMS = [
    ("partners", _lazy("Partner")),
    ("indicators", _lazy("Indicator")),
    ("sources", _lazy("Source")),
    ("images", _lazy("Image")),
]


def submitter_solution(user, slug):
    """A solution this user submits for; a 404 for anyone else, so its existence stays private."""
    solution = get_object_or_404(Solution.objects.select_related("network", "city"), slug=slug)
    if not is_submitter(user, solution):
        raise Http404("No case study found.")
    return solution


@login_required
@limit_submissions
def submission_create(request):
    if not can_create(request.user):
        raise PermissionDenied(
            "Only staff of a network can submit case studies. Ask a curator to add you to your "
            "network's staff."
        )
    return edit_solution(request, Solution(author=request.user))


@login_required
@limit_submissions
def submission_edit(request, slug):
    solution = submitter_solution(request.user, slug)
    if not can_edit_on_site(request.user, solution):
        messages.info(
            request,
            f"“{solution.title}” is {solution.get_status_display().lower()}, so it cannot be "
            "edited now. Case studies can be edited while they are drafts or sent back for "
            "changes.",
        )
        return redirect("solutions:my-submissions")
    return edit_solution(request, solution)


def edit_solution(request, solution):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    if data is not None and getattr(request, "limited", False):
        return rate_limited_form(request, solution)
    form = SolutionForm(data, files, instance=solution, user=request.user)
    formsets = {
        prefix: formset_class(data, files, instance=solution, prefix=prefix)
        for prefix, formset_class in RELATED_FORMSETS.items()
    }
    if data is not None and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        try:
            saved = save_from_forms(form, formsets, request.user)
        except EditConflict as conflict:
            form.add_error(None, conflict)
        else:
            action, _colon, section = request.POST.get("action", "").partition(":")
            if action == "submit":
                return submit_after_save(request, saved)
            messages.success(request, f"Saved “{saved.title}” as a draft.")
            url = reverse("solutions:edit", kwargs={"slug": saved.slug})
            # A section's own "Save draft" brings the writer back to that section.
            return redirect(f"{url}#{section}" if section in SECTION_IDS else url)
    if files:
        ask_for_files_again(formsets["images"], files)
    return render_form(
        request, solution, form, formsets, failed=data is not None, files_lost=bool(files)
    )


def render_form(request, solution, form, formsets, *, failed, files_lost=False, status=200):
    checklist = solution.review_checklist()
    context = {
        "form": form,
        "formsets": formsets,
        "solution": solution,
        "sections": SECTIONS,
        "checklist": checklist,
        "missing": [str(label) for _name, label, done in checklist if not done]
        if solution.pk
        else [],
        "curator_comment": latest_request_for_changes(solution),
        "errors": error_summary(form, [(formsets[prefix], item) for prefix, item in FORMSET_ITEMS]),
        "failed": failed,
        "files_lost": files_lost,
        "open_sections": {
            prefix: bool(
                formset.initial_form_count()
                or (formset.is_bound and (formset.has_changed() or formset.total_error_count()))
            )
            for prefix, formset in formsets.items()
        },
    }
    return render(request, "solutions/submission_form.html", context, status=status)


def ask_for_files_again(image_formset, files):
    """A browser cannot be made to send a chosen file again: each image chosen in a save that
    failed is named in an error on its row, so the summary lists it and nobody loses it
    unknowingly."""
    for form in image_formset.forms:
        upload = files.get(form.add_prefix("image"))
        if upload is not None and "image" not in form.errors:
            form.add_error(
                "image",
                _("Choose “%(name)s” again: nothing was saved, and a chosen file is not kept.")
                % {"name": upload.name[:80]},
            )


def latest_request_for_changes(solution):
    """The curator's latest comment, while the case study waits for the changes it asks for."""
    if solution.status != Status.CHANGES_REQUESTED:
        return None
    return (
        solution.events.filter(to_status=Status.CHANGES_REQUESTED)
        .select_related("actor")
        .order_by("-pk")
        .first()
    )


def save_from_forms(form, formsets, user):
    """Hand what the valid forms hold to the service, as data."""
    related = {}
    for prefix, formset in formsets.items():
        saved = formset.save(commit=False)  # builds the rows; deletes and saves nothing
        related[prefix] = RowChanges(saved=saved, deleted=formset.deleted_objects)
    indicators = related["indicators"].saved  # unsaved rows compare by identity: no set
    return solution_save(
        solution=form.instance,
        user=user,
        opened_at=form.cleaned_data["opened_at"],
        themes=form.cleaned_data["themes"],
        sdgs=form.cleaned_data["sdgs"],
        tags=form.cleaned_data["tags"],
        related=related,
        measurements=[
            (indicator_form.instance, indicator_form.cleaned_data["measurements"])
            for indicator_form in formsets["indicators"].forms
            if indicator_form.instance in indicators
        ],
    )


def rate_limited_form(request, solution):
    """Too many saves in an hour: nothing is saved, and the typing is shown again."""
    logger.warning(
        "Case-study saves rate-limited",
        extra={"event": "submission_rate_limited", "user": request.user.get_username()},
    )
    form = SolutionForm(request.POST, instance=solution, user=request.user)
    formsets = {
        prefix: formset_class(request.POST, instance=solution, prefix=prefix)
        for prefix, formset_class in RELATED_FORMSETS.items()
    }
    messages.error(
        request,
        "You have saved case studies very often in the last hour, so this save was not made. "
        "Everything you typed is still here: wait a little and save again.",
    )
    return render_form(request, solution, form, formsets, failed=False, status=429)


def submit_after_save(request, solution):
    try:
        transition(solution, user=request.user, name=submission_step(solution).name)
    except WorkflowError as error:
        messages.warning(request, f"Saved as a draft, but not submitted. {error}")
        return redirect("solutions:edit", slug=solution.slug)
    messages.success(request, f"“{solution.title}” was submitted for review.")
    return redirect("solutions:my-submissions")


@login_required
@require_POST
def submission_transition(request, slug, name):
    """Submit or resubmit from My submissions (curators act in the admin)."""
    solution = submitter_solution(request.user, slug)
    try:
        transition(solution, user=request.user, name=name)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{solution.title}” is now {solution.get_status_display()}.")
    return redirect("solutions:my-submissions")


@login_required
def my_submissions(request):
    user = request.user
    comments = (
        WorkflowEvent.objects.filter(to_status__in=CURATOR_COMMENT_STATUSES)
        .exclude(comment="")
        .select_related("actor")
        .order_by("-pk")
    )
    solutions = (
        submitted_by(user)
        .select_related("network", "city", "author")
        .prefetch_related(Prefetch("events", queryset=comments, to_attr="comments"))
        .order_by("-updated_at")
    )
    rows = [
        {
            "solution": solution,
            "comment": solution.comments[0] if solution.comments else None,
            "next_step": NEXT_STEPS[solution.status],
            "transitions": available_transitions(solution, user),
            "can_edit": can_edit_on_site(user, solution),
        }
        for solution in solutions
    ]
    return render(
        request,
        "solutions/my_submissions.html",
        {"rows": rows, "can_create": can_create(user)},
    )

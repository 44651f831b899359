"""The curator workflow: who may move a solution from which status to which.

This module is the only place a solution's status changes. Views, forms and the admin call
`transition()`; it checks the move and the person, changes the status, writes exactly one
WorkflowEvent and a history revision in one transaction, and queues the emails to go out
after that transaction commits.
"""

import logging
from dataclasses import dataclass
from enum import StrEnum

import reversion
from django.db import transaction
from django.utils import timezone

from solutions.models import Solution, Status, WorkflowEvent
from solutions.search import refresh_vocabulary_task
from solutions.workflow.notifications import queue_workflow_notifications
from solutions.workflow.roles import is_curator, is_submitter

logger = logging.getLogger("solutions.workflow")


class Actor(StrEnum):
    SUBMITTER = "submitter"  # the author, or staff of the solution's network
    CURATOR = "curator"


@dataclass(frozen=True)
class Transition:
    name: str
    source: Status
    target: Status
    actor: Actor
    label: str
    comment_required: bool = False


TRANSITIONS = [
    Transition("submit", Status.DRAFT, Status.IN_REVIEW, Actor.SUBMITTER, "Submit for review"),
    Transition("resubmit", Status.CHANGES_REQUESTED, Status.IN_REVIEW, Actor.SUBMITTER, "Resubmit"),
    Transition(
        "request_changes",
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
        Actor.CURATOR,
        "Request changes",
        comment_required=True,
    ),
    Transition("publish", Status.IN_REVIEW, Status.PUBLISHED, Actor.CURATOR, "Publish"),
    Transition(
        "archive",
        Status.PUBLISHED,
        Status.ARCHIVED,
        Actor.CURATOR,
        "Archive",
        comment_required=True,
    ),
    Transition("republish", Status.ARCHIVED, Status.PUBLISHED, Actor.CURATOR, "Republish"),
]
TRANSITIONS_BY_NAME = {t.name: t for t in TRANSITIONS}


class WorkflowError(Exception):
    """A transition that cannot happen; nothing was changed."""


class TransitionNotAllowed(WorkflowError):
    pass


class NotPermitted(WorkflowError):
    pass


class CommentRequired(WorkflowError):
    pass


class Incomplete(WorkflowError):
    def __init__(self, missing):
        self.missing = missing
        super().__init__("Not ready for review. Still missing: " + "; ".join(missing) + ".")


def may_act(user, solution, transition):
    if transition.actor == Actor.CURATOR:
        return is_curator(user)
    return is_submitter(user, solution)


def available_transitions(solution, user):
    """The transitions this person may make from the solution's current status."""
    return [
        t
        for t in TRANSITIONS
        if t.source == solution.status and user is not None and may_act(user, solution, t)
    ]


def submission_step(solution):
    """The submitter's step that sends the solution to review from where it is, if any."""
    return next(
        (
            t
            for t in TRANSITIONS
            if t.source == solution.status
            and t.target == Status.IN_REVIEW
            and t.actor == Actor.SUBMITTER
        ),
        None,
    )


def get_transition(name):
    try:
        return TRANSITIONS_BY_NAME[name]
    except KeyError:
        raise TransitionNotAllowed(f"There is no workflow step called “{name}”.") from None


@transaction.atomic
def transition(solution, *, user, name, comment=""):
    """Make the named transition, or raise a WorkflowError and change nothing."""
    step = get_transition(name)
    current = Solution.objects.select_for_update().get(pk=solution.pk)
    if current.status != step.source:
        raise TransitionNotAllowed(
            f"“{step.label}” is only possible from {step.source.label.lower()}; "
            f"this solution is {current.get_status_display().lower()}."
        )
    if not may_act(user, current, step):
        raise NotPermitted(f"You may not {step.label.lower()} this solution.")
    comment = comment.strip()
    if step.comment_required and not comment:
        raise CommentRequired(f"“{step.label}” needs a comment explaining why.")
    if step.target == Status.IN_REVIEW:
        missing = current.missing_for_review()
        if missing:
            raise Incomplete(missing)

    current.status = step.target
    if step.target == Status.PUBLISHED and current.published_at is None:
        current.published_at = timezone.now()
    with reversion.create_revision(atomic=False):
        current.save(update_fields=["status", "published_at", "updated_at"])
        reversion.set_user(user)
        reversion.set_comment(f"{step.label}" + (f": {comment}" if comment else ""))
    event = WorkflowEvent.objects.create(
        solution=current,
        actor=user,
        from_status=step.source,
        to_status=step.target,
        comment=comment,
    )
    queue_workflow_notifications(event)
    if Status.PUBLISHED in (step.source, step.target):
        transaction.on_commit(refresh_vocabulary_task.enqueue)
    logger.info(
        "Workflow step: %s",
        step.label,
        extra={
            "event": "workflow_transition",
            "step": step.name,
            "solution": current.pk,
            "slug": current.slug,
            "from_status": str(step.source),
            "to_status": str(step.target),
            "actor": user.get_username(),
        },
    )
    solution.status, solution.published_at = current.status, current.published_at
    solution.updated_at = current.updated_at
    return event

"""Emails about workflow steps, sent by a task after the step's transaction commits.

Each status a step leads to has its email: who gets it, its subject, its body template and the
page it links to. A status without one (draft) sends nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from solutions.models import Status, WorkflowEvent
from solutions.workflow.roles import curators

SITE_NAME = "Urban Solutions Exchange"


def the_curators(event):
    return curators()


def the_author(event):
    author = event.solution.author
    return [author] if author and author.is_active else []


@dataclass(frozen=True)
class WorkflowEmail:
    subject: str
    template: str
    recipients: object  # event -> users
    link: object = None  # solution -> path on the site


EMAILS = {
    Status.IN_REVIEW: WorkflowEmail(
        "Submitted for review",
        "emails/workflow/in_review.txt",
        the_curators,
        lambda solution: reverse("admin:solutions_solution_change", args=[solution.pk]),
    ),
    Status.CHANGES_REQUESTED: WorkflowEmail(
        "Changes requested",
        "emails/workflow/changes_requested.txt",
        the_author,
        lambda solution: reverse("solutions:my-submissions"),
    ),
    Status.PUBLISHED: WorkflowEmail(
        "Published",
        "emails/workflow/published.txt",
        the_author,
        lambda solution: solution.get_absolute_url(),
    ),
    Status.ARCHIVED: WorkflowEmail("Archived", "emails/workflow/archived.txt", the_author),
}


def recipients_for(event):
    email = EMAILS.get(event.to_status)
    users = email.recipients(event) if email else []
    return sorted({user.email for user in users if user.email and user != event.actor})


@task
def send_workflow_email(event_id):
    event = WorkflowEvent.objects.select_related("solution", "actor", "solution__author").get(
        pk=event_id
    )
    recipients = recipients_for(event)
    if not recipients:
        return 0
    email = EMAILS[event.to_status]
    solution = event.solution
    link = settings.SITE_URL + email.link(solution) if email.link else ""
    body = render_to_string(email.template, {"event": event, "solution": solution, "link": link})
    subject = f"[{SITE_NAME}] {email.subject}: {solution.title}"
    return send_mail(subject, body, None, recipients)


def queue_workflow_notifications(event):
    transaction.on_commit(lambda: send_workflow_email.enqueue(event.pk))

"""Emails about workflow steps, sent by a task after the step's transaction commits."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.template.loader import render_to_string

from solutions.models import Status, WorkflowEvent
from solutions.workflow.roles import REVIEW_PERMISSION


def curators():
    app_label, codename = REVIEW_PERMISSION.split(".")
    has_permission = (
        Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        | Q(user_permissions__codename=codename)
        | Q(is_superuser=True)
    )
    return get_user_model().objects.filter(has_permission, is_active=True).distinct()


def recipients_for(event):
    if event.to_status == Status.IN_REVIEW:
        users = curators()
    elif event.to_status in (Status.CHANGES_REQUESTED, Status.PUBLISHED, Status.ARCHIVED):
        author = event.solution.author
        users = [author] if author and author.is_active else []
    else:
        users = []
    return sorted({user.email for user in users if user.email and user != event.actor})


@task
def send_workflow_email(event_id):
    event = WorkflowEvent.objects.select_related("solution", "actor", "solution__author").get(
        pk=event_id
    )
    recipients = recipients_for(event)
    if not recipients:
        return 0
    context = {"event": event, "solution": event.solution, "site_url": settings.SITE_URL}
    subject = render_to_string("emails/workflow_subject.txt", context).strip()
    body = render_to_string("emails/workflow_body.txt", context)
    return send_mail(subject, body, None, recipients)


def queue_workflow_notifications(event):
    transaction.on_commit(lambda: send_workflow_email.enqueue(event.pk))

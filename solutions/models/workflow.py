"""The workflow's record: every change of a case study's status, and the review queue."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from solutions.models.solution import Solution, Status


class WorkflowEvent(models.Model):
    """One change of a solution's workflow status: who, from, to, when and why."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workflow_events",
    )
    from_status = models.CharField(max_length=20, choices=Status)
    to_status = models.CharField(max_length=20, choices=Status)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")),
                name="solutions_workflowevent_status_changes",
                violation_error_message="A workflow event must change the status.",
            ),
            models.CheckConstraint(
                condition=Q(from_status__in=Status.values, to_status__in=Status.values),
                name="solutions_workflowevent_statuses_valid",
                violation_error_message="Unknown workflow status.",
            ),
        ]
        indexes = [
            models.Index(fields=["solution", "created_at"], name="solutions_event_sol_time_idx"),
        ]

    def __str__(self):
        return (
            f"{self.solution.title}: {self.get_from_status_display()} → "
            f"{self.get_to_status_display()}"
        )

    def get_absolute_url(self):
        return self.solution.get_absolute_url()


class ReviewQueueItem(Solution):
    """Solutions waiting on the workflow, for the curators' review queue in the admin."""

    class Meta:
        proxy = True
        verbose_name = "review queue item"
        verbose_name_plural = "review queue"

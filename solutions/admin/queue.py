"""What the review queue holds, who each entry waits on and since when: read by the review
queue's list, the curators' desk and the "next in the queue" offered after a review step."""

from dataclasses import dataclass

from django.db.models import F, Max, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from solutions.models import Solution, Status

# A case study in review waits on a curator; one with changes requested on network staff.
WAITING_ON_CURATOR = Status.IN_REVIEW
WAITING_ON_STAFF = Status.CHANGES_REQUESTED
QUEUE_STATUSES = (WAITING_ON_CURATOR, WAITING_ON_STAFF)


def with_waiting_times(queryset):
    """Annotate `submitted_at` (its latest submission for review) and `waiting_since` (when it
    entered its current status, read from the workflow events; None if none was recorded)."""
    return queryset.annotate(
        submitted_at=Max("events__created_at", filter=Q(events__to_status=Status.IN_REVIEW)),
        waiting_since=Max("events__created_at", filter=Q(events__to_status=F("status"))),
    )


# The longest waiting first. An entry with no recorded event has waited longest of all, on
# both databases (SQLite and PostgreSQL put NULLs at opposite ends by default).
LONGEST_WAITING_FIRST = [F("waiting_since").asc(nulls_first=True), "pk"]


def waiting(status, among=None):
    """Case studies in `status` (one of QUEUE_STATUSES) among `among` (all by default), the
    longest waiting first, with their waiting times."""
    among = Solution.objects.all() if among is None else among
    return with_waiting_times(among.filter(status=status)).order_by(*LONGEST_WAITING_FIRST)


def next_in_queue():
    """The case study a curator should review next (None when nothing is in review)."""
    return waiting(WAITING_ON_CURATOR).only("pk", "title").first()


@dataclass(frozen=True)
class QueueView:
    """One way of looking at the queue: its filter value, its statuses and its words."""

    value: str
    label: str
    title: str
    statuses: tuple
    counted: str  # lazy, singular or plural by its "count"

    def count_text(self, count):
        return self.counted % {"count": count}


QUEUE_VIEWS = [
    QueueView(
        value=WAITING_ON_CURATOR,
        label=_("In review: waiting on a curator"),
        title=_("Case studies waiting for review"),
        statuses=(WAITING_ON_CURATOR,),
        counted=ngettext_lazy(
            "%(count)s case study in review", "%(count)s case studies in review", "count"
        ),
    ),
    QueueView(
        value=WAITING_ON_STAFF,
        label=_("Changes requested: waiting on network staff"),
        title=_("Case studies waiting on network staff"),
        statuses=(WAITING_ON_STAFF,),
        counted=ngettext_lazy(
            "%(count)s case study with changes requested",
            "%(count)s case studies with changes requested",
            "count",
        ),
    ),
    QueueView(
        value="all",
        label=_("Both"),
        title=_("The whole review queue"),
        statuses=QUEUE_STATUSES,
        counted=ngettext_lazy(
            "%(count)s case study in the queue", "%(count)s case studies in the queue", "count"
        ),
    ),
]
DEFAULT_QUEUE_VIEW = QUEUE_VIEWS[0]  # what waits on the curator


def queue_view(value):
    """The view a filter value names; what waits on the curator for none or an unknown one."""
    return next((view for view in QUEUE_VIEWS if view.value == value), DEFAULT_QUEUE_VIEW)

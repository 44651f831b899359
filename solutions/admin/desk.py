"""The curators' desk, on the admin's home page: what waits for a curator (in review, the
longest waiting first), what waits on network staff (changes requested) and what was
published lately, with counts. Staff with admin access see their own networks' case studies,
as everywhere in the admin."""

from dataclasses import dataclass, field

from django.contrib import admin
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from solutions.admin.queue import WAITING_ON_CURATOR, WAITING_ON_STAFF, waiting
from solutions.admin.solutions import in_admin_scope
from solutions.models import Solution, Status
from solutions.workflow.roles import is_curator

QUEUE_ROWS = 8  # of each status waiting; the rest are a link away
RECENT_ROWS = 5
ROW_FIELDS = ["pk", "title", "published_at", "network__name", "network__acronym"]


@dataclass
class DeskSection:
    key: str
    heading: str
    summary: str
    since_label: str
    empty: str
    rows: list = field(default_factory=list)
    shows_waiting: bool = True
    link: tuple | None = None  # (url, text)


@dataclass
class DeskRow:
    pk: int
    title: str
    network: object
    since: object  # when it entered its status; None if no workflow event recorded it


def changelist(**filters):
    url = reverse("admin:solutions_solution_changelist")
    query = "&".join(f"{name}={value}" for name, value in filters.items())
    return f"{url}?{query}"


def review_queue(view=None):
    url = reverse("admin:solutions_reviewqueueitem_changelist")
    return f"{url}?status={view}" if view else url


IN_REVIEW_COUNT = ngettext_lazy(
    "%(count)s case study in review waits for a curator.",
    "%(count)s case studies in review wait for a curator.",
    "count",
)
WITH_STAFF_COUNT = ngettext_lazy(
    "%(count)s case study waits on network staff to make the changes asked for.",
    "%(count)s case studies wait on network staff to make the changes asked for.",
    "count",
)
SHOWN = _("Below, the %(shown)s waiting longest.")


def waiting_section(key, status, count, among, **words):
    rows = [
        DeskRow(item.pk, item.title, item.network, item.waiting_since)
        for item in waiting(status, among).select_related("network").only(*ROW_FIELDS)[:QUEUE_ROWS]
    ]
    summary = words.pop("counted") % {"count": count}
    if count > len(rows):
        summary = f"{summary} {SHOWN % {'shown': len(rows)}}"
    return DeskSection(key, summary=summary, rows=rows, **words)


def recently_published(among):
    newest = (
        among.published()
        .select_related("network")
        .only(*ROW_FIELDS)
        .order_by("-published_at", "-pk")
    )
    return DeskSection(
        "recently-published",
        heading=_("Recently published"),
        summary=_("The newest case studies on the public site."),
        since_label=_("Published"),
        empty=_("Nothing is published yet."),
        rows=[
            DeskRow(item.pk, item.title, item.network, item.published_at)
            for item in newest[:RECENT_ROWS]
        ],
        shows_waiting=False,
        link=(changelist(status__exact=Status.PUBLISHED), _("Every published case study")),
    )


def desk_sections(user):
    among = in_admin_scope(Solution.objects.all(), user)
    counts = among.aggregate(
        in_review=Count("pk", filter=Q(status=WAITING_ON_CURATOR)),
        with_staff=Count("pk", filter=Q(status=WAITING_ON_STAFF)),
    )
    curator = is_curator(user)  # only curators have the review queue
    return [
        waiting_section(
            "in-review",
            WAITING_ON_CURATOR,
            counts["in_review"],
            among,
            heading=_("In review"),
            counted=IN_REVIEW_COUNT,
            since_label=_("Submitted"),
            empty=_("Nothing is waiting for review."),
            link=(review_queue(), _("Open the review queue"))
            if curator
            else (changelist(status__exact=WAITING_ON_CURATOR), _("All of them")),
        ),
        waiting_section(
            "changes-requested",
            WAITING_ON_STAFF,
            counts["with_staff"],
            among,
            heading=_("Changes requested"),
            counted=WITH_STAFF_COUNT,
            since_label=_("Sent back"),
            empty=_("No case study is waiting on network staff."),
            link=(review_queue(WAITING_ON_STAFF), _("See them in the review queue"))
            if curator
            else (changelist(status__exact=WAITING_ON_STAFF), _("All of them")),
        ),
        recently_published(among),
        # Case studies due for re-verification will have their own section here.
    ]


@admin.site.add_index_panel
def curator_desk(request):
    """The desk's HTML, for whoever may see case studies in the admin."""
    if not request.user.has_perm("solutions.view_solution"):
        return None
    return render_to_string(
        "admin/solutions/desk.html", {"sections": desk_sections(request.user)}, request=request
    )

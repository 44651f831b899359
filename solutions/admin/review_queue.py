"""The curators' review queue: what waits on them by default, what waits on network staff
through its filter, with who submitted it and how long it has waited."""

from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.views.main import ChangeList
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from solutions.admin.queue import (
    LONGEST_WAITING_FIRST,
    QUEUE_STATUSES,
    QUEUE_VIEWS,
    WAITING_ON_CURATOR,
    queue_view,
    with_waiting_times,
)
from solutions.admin.solutions import network_abbreviation
from solutions.admin.workflow import WorkflowAdminMixin
from solutions.models import ReviewQueueItem
from solutions.workflow.roles import is_curator


class QueueStatusFilter(admin.SimpleListFilter):
    """Only the statuses a queued case study can be in; without a choice, what waits on the
    curator (Django's filters would show everything and offer every status)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(view.value, view.label) for view in QUEUE_VIEWS]

    def chosen(self):
        return queue_view(self.value())

    def queryset(self, request, queryset):
        return queryset.filter(status__in=self.chosen().statuses)

    def choices(self, changelist):
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else None
        chosen = self.chosen()
        for index, (value, label) in enumerate(self.lookup_choices):
            yield {
                "selected": value == chosen.value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": f"{label} ({counts[f'{index}__c']})" if counts else label,
            }


class QueueChangeList(ChangeList):
    """The queue's list, in the status its filter chose, with the count in words."""

    def get_results(self, request):
        self.view = next(s.chosen() for s in self.filter_specs if isinstance(s, QueueStatusFilter))
        # "N results (M total)" after a search: the total of what the page shows without one.
        self.root_queryset = self.root_queryset.filter(status__in=self.view.statuses)
        super().get_results(request)
        self.count_text = self.view.count_text(self.result_count)


@admin.register(ReviewQueueItem)
class ReviewQueueAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    """In review first, then sent back for changes; the longest waiting first."""

    list_display = ["title_link", "network_name", "author", "status", "submitted", "waiting"]
    list_filter = [QueueStatusFilter, "network"]
    list_select_related = ["network", "author", "city"]
    search_fields = ["title", "network__name", "author__username"]
    list_display_links = None

    def get_queryset(self, request):
        # Not super(): ModelAdmin.get_queryset orders by get_ordering() before the
        # annotations that ordering needs exist.
        return with_waiting_times(
            self.model._default_manager.filter(status__in=QUEUE_STATUSES)
        ).annotate(
            queue_order=Case(
                When(status=WAITING_ON_CURATOR, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )

    def get_ordering(self, request):
        return ["queue_order", *LONGEST_WAITING_FIRST]

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        changelist.title = changelist.view.title
        return changelist

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

    @admin.display(description=_("Case study"), ordering="title")
    def title_link(self, item):
        return format_html('<a href="{}">{}</a>', self.change_url(item), item.title)

    @admin.display(description=_("Network"), ordering="network__name")
    def network_name(self, item):
        return network_abbreviation(item.network)

    @admin.display(description=_("Submitted"), ordering="submitted_at")
    def submitted(self, item):
        return timezone.localdate(item.submitted_at) if item.submitted_at else "—"

    @admin.display(description=_("Waiting"), ordering="waiting_since")
    def waiting(self, item):
        return timesince(item.waiting_since) if item.waiting_since else "—"

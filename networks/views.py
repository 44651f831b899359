from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView

from core.caching import cached, conditional_for_visitors
from networks.models import Network

# A page lists the newest; links lead to the full, filterable lists.
NEWEST = 20


@method_decorator(conditional_for_visitors, name="dispatch")
class NetworkListView(ListView):
    model = Network

    def get_queryset(self):
        return Network.objects.with_counts().order_by("name")


@method_decorator(conditional_for_visitors, name="dispatch")
class NetworkDetailView(DetailView):
    model = Network

    def get_context_data(self, **kwargs):
        network = self.object
        return super().get_context_data(
            memberships=network.memberships.select_related("city").order_by("city__name"),
            solutions=network.solutions.published().for_listing().newest_first()[:NEWEST],
            solution_count=cached(
                "network-solutions", network.solutions.published().count, network.pk
            ),
            transfers=network.brokered_transfers.of_published_solutions().for_listing()[:NEWEST],
            transfer_count=cached(
                "network-transfers",
                network.brokered_transfers.of_published_solutions().count,
                network.pk,
            ),
            **kwargs,
        )

from django.utils.decorators import method_decorator
from django.views.generic import DetailView

from cities.models import City
from core.caching import cached, conditional_for_visitors

# A page lists the newest; a link leads to the full, filterable list.
NEWEST = 20
INCOMING = 100


def incoming_by_outcome(city):
    """The transfers of published solutions into this city, by how they turned out (the
    newest INCOMING of them, one query): taken up, under way, discontinued."""
    transfers = city.incoming_transfers.of_published_solutions().for_listing()[:INCOMING]
    groups = {"taken_up": [], "under_way": [], "discontinued": []}
    for transfer in transfers:
        groups[transfer.outcome_group].append(transfer)
    return groups


@method_decorator(conditional_for_visitors, name="dispatch")
class CityDetailView(DetailView):
    """A city: its solutions, what it adopted, where its solutions went, its networks.

    Reads other apps' data through reverse relations, whose managers carry the owning
    app's QuerySet methods (`published()`, `for_listing()`).
    """

    model = City

    def get_context_data(self, **kwargs):
        city = self.object
        return super().get_context_data(
            solutions=city.solutions.published().for_listing().newest_first()[:NEWEST],
            solution_count=cached("city-solutions", city.solutions.published().count, city.pk),
            incoming=incoming_by_outcome(city),
            sent=city.outgoing_transfers.of_published_solutions().for_listing()[:NEWEST],
            memberships=city.memberships.select_related("network").order_by("network__name"),
            **kwargs,
        )

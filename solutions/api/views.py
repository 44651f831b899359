"""The endpoints: what each lists, how it filters and orders, and what it reads to say it.

List endpoints filter with the filter sets of the HTML lists (`solutions.filters`): the same
query string gives the same items in the same order, unknown values are dropped as they are
there. Every query is fixed in number whatever the number of items: related rows are read
with select_related and prefetch_related, once per page.
"""

from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from cities.models import City
from networks.models import Membership, Network
from solutions.api import serializers
from solutions.api.http import ConditionalMixin
from solutions.api.parameters import filter_parameters
from solutions.filters.cities import CityFilterSet, CitySort, published_work
from solutions.filters.solutions import SolutionFilterSet, SortOrder
from solutions.filters.transfers import TransferFilterSet
from solutions.models import Solution, Theme, Transfer


class ReadOnlyViewSet(ConditionalMixin, viewsets.ReadOnlyModelViewSet):
    """GET (and HEAD) only: a list and one item."""


@extend_schema(exclude=True)
class Root(ConditionalMixin, APIView):
    """/api/v1/: the address of each list."""

    def get(self, request):
        names = ["solutions", "cities", "networks", "themes", "transfers"]
        singular = {"solutions": "solution", "cities": "city", "networks": "network"}
        singular |= {"themes": "theme", "transfers": "transfer"}
        return Response(
            {
                name: request.build_absolute_uri(reverse(f"api:{singular[name]}-list"))
                for name in names
            }
            | {"schema": request.build_absolute_uri(reverse("api:schema"))}
        )


def listed(filterset_class=None, sort=None, **extra):
    parameters = filter_parameters(filterset_class, sort=sort) if filterset_class else []
    return extend_schema_view(
        list=extend_schema(parameters=parameters, **extra),
        retrieve=extend_schema(),
    )


@listed(
    SolutionFilterSet,
    SortOrder,
    description=(
        "Published case studies, newest first, or by relevance when `q` searches. The "
        "parameters are those of the list at /solutions/ and give the same case studies."
    ),
)
class SolutionViewSet(ReadOnlyViewSet):
    """Published case studies. An item holds every section, its partners, sources, images,
    indicators with their measurements and trend, and its transfers."""

    basename = "solution"
    lookup_field = "slug"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SolutionDetailSerializer
        return serializers.SolutionListSerializer

    def get_queryset(self):
        published = Solution.objects.published()
        if self.action != "list":
            return published.whole()
        filterset = SolutionFilterSet(self.request.query_params, queryset=published)
        return (
            filterset.ordered()
            .select_related("city", "network")
            .prefetch_related("themes", "tags", "sdgs")
            .defer("problem", "approach", "results", "lessons_learned", "funding")
        )


@listed(
    CityFilterSet,
    CitySort,
    description=(
        "Cities with a published case study of their own or a transfer of one that they took "
        "up, by name; the parameters are those of /cities/."
    ),
)
class CityViewSet(ReadOnlyViewSet):
    """Cities with published work, with how many case studies they documented and took up.
    An item may also be any member city of a network, with counts of 0."""

    basename = "city"
    lookup_field = "slug"
    serializer_class = serializers.CitySerializer

    def get_queryset(self):
        if self.action != "list":
            members = Membership.objects.values("city_id")
            with_work = City.objects.with_published_work().values("pk")
            return published_work(City.objects.filter(Q(pk__in=with_work) | Q(pk__in=members)))
        return CityFilterSet(self.request.query_params, queryset=published_work()).ordered()


@listed(description="Every network, by name, with its counts.")
class NetworkViewSet(ReadOnlyViewSet):
    """The networks: what they are, how many member cities and published case studies they
    have; an item lists its member cities, past members with the year they left."""

    basename = "network"
    lookup_field = "slug"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.NetworkDetailSerializer
        return serializers.NetworkSerializer

    def get_queryset(self):
        networks = Network.objects.with_counts().order_by("name")
        if self.action == "list":
            return networks
        members = Membership.objects.select_related("city").order_by("city__name", "pk")
        return networks.prefetch_related(Prefetch("memberships", queryset=members))


@listed(description="Every theme, in the site's order, with its published count.")
class ThemeViewSet(ReadOnlyViewSet):
    """The themes case studies are filed under."""

    basename = "theme"
    lookup_field = "slug"
    serializer_class = serializers.ThemeSerializer

    def get_queryset(self):
        published = Q(solutions__in=Solution.objects.published())
        return Theme.objects.annotate(
            published_count=Count("solutions", filter=published, distinct=True)
        ).order_by("position", "name")


@listed(
    TransferFilterSet,
    description=(
        "Transfers of published case studies, newest first; the parameters are those of "
        "/transfers/, with the direction: where a solution came from and where it went."
    ),
)
class TransferViewSet(ReadOnlyViewSet):
    """A case study carried from one city to another, and how it turned out."""

    basename = "transfer"
    serializer_class = serializers.TransferSerializer

    def get_queryset(self):
        transfers = Transfer.objects.of_published_solutions().for_listing()
        if self.action != "list":
            return transfers
        return TransferFilterSet(self.request.query_params, queryset=transfers).qs

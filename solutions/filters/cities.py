"""The filters of the cities index: the cities with published work, by place, size, network
membership and the themes of their solutions, with the count of cities beside each option.

It lives with the solutions because "published work" and themes are theirs; the cities app
below knows nothing of them."""

from functools import cached_property

import django_filters
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, TextChoices, Value
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cities.models import City, SizeClass
from cities.regions import Region, Subregion
from core.caching import cached
from core.text import clean_text
from networks.models import Membership, Network
from solutions.filters.lenient import CleanedMultipleChoiceFilter, LenientFilterSet
from solutions.models import Solution, Theme, Transfer

MAX_NAME_SEARCH = 100


class CitySort(TextChoices):
    NAME = "name", _("Name (A to Z)")
    SOLUTIONS = "solutions", _("Most solutions")
    POPULATION = "population", _("Largest population")


def published_work(cities=None):
    """Cities with a published solution or an adopted transfer of one (or the `cities` given),
    with how many of each: `solution_count` (their own), `adopted_count` (taken up from
    elsewhere) and `sent_count` (transfers of their own to other cities)."""

    def counted(queryset, field):
        rows = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field)
        return Coalesce(
            Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()),
            Value(0),
        )

    cities = City.objects.with_published_work() if cities is None else cities
    return cities.annotate(
        solution_count=counted(Solution.objects.published(), "city"),
        adopted_count=counted(Transfer.objects.of_published_solutions(), "adopting_city"),
        sent_count=counted(Transfer.objects.of_published_solutions(), "origin_city"),
    )


class CityChoices:
    """The values the index can be filtered by, among the cities with published work: cached
    until the content changes."""

    @cached_property
    def _places(self):
        def read():
            rows = set(
                City.objects.with_published_work()
                .order_by()
                .values_list("region", "subregion", "country")
            )
            present = {value for row in rows for value in row}
            codes = {country for _region, _subregion, country in rows}
            return {
                "region": [(v, str(label)) for v, label in Region.choices if v in present],
                "subregion": [(v, str(label)) for v, label in Subregion.choices if v in present],
                "country": sorted(
                    ((code, countries.name(code)) for code in codes), key=lambda c: c[1]
                ),
            }

        return cached("city-index-places", read)

    @cached_property
    def others(self):
        return cached(
            "city-index-choices",
            lambda: {
                "network": list(Network.objects.values_list("slug", "name")),
                "theme": list(Theme.objects.values_list("slug", "name")),
            },
        )

    def of(self, name):
        return self._places[name] if name in self._places else self.others[name]


class CityFilterSet(LenientFilterSet):
    q = django_filters.CharFilter(method="filter_name", label=_("Name"))
    region = CleanedMultipleChoiceFilter(field_name="region", label=_("Region"), distinct=False)
    subregion = CleanedMultipleChoiceFilter(
        field_name="subregion", label=_("Sub-region (UN)"), distinct=False
    )
    country = CleanedMultipleChoiceFilter(field_name="country", label=_("Country"), distinct=False)
    size = django_filters.MultipleChoiceFilter(
        method="filter_size", choices=SizeClass.choices, label=_("City size")
    )
    network = CleanedMultipleChoiceFilter(method="filter_network", label=_("Member of"))
    theme = CleanedMultipleChoiceFilter(method="filter_theme", label=_("Solutions on"))

    MULTIPLE = ["region", "subregion", "country", "size", "network", "theme"]
    DYNAMIC = ["region", "subregion", "country", "network", "theme"]

    class Meta:
        model = City
        fields = []

    def __init__(self, data=None, queryset=None, *, choices=None, **kwargs):
        self.choices = choices or CityChoices()
        super().__init__(data, queryset, **kwargs)

    def set_choices(self):
        for name in self.DYNAMIC:
            self.dynamic_choices[name] = self.choices.of(name)

    def valid_values(self, name):
        if name in self.DYNAMIC:
            return {value for value, _label in self.choices.of(name)}
        return super().valid_values(name)

    def clean_more(self, raw, cleaned):
        text = clean_text(raw.get("q", ""))[:MAX_NAME_SEARCH]
        if text:
            cleaned["q"] = text
        sort = raw.get("sort", "")
        if sort in CitySort.values:
            cleaned["sort"] = sort
        elif sort:
            self.adjust("unknown-sort", value=sort[:40])

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(alternate_names__icontains=value))

    def filter_size(self, queryset, name, values):
        q = Q()
        for size_class in values:
            q |= SizeClass.population_q(size_class)
        return queryset.filter(q)

    def filter_network(self, queryset, name, slugs):
        members = Membership.objects.filter(network__slug__in=slugs).values("city_id")
        return queryset.filter(pk__in=members)

    def filter_theme(self, queryset, name, slugs):
        solutions = Solution.objects.published().filter(themes__slug__in=slugs)
        return queryset.filter(pk__in=solutions.values("city_id"))

    @property
    def sort(self):
        return self.data.get("sort") or CitySort.NAME

    def ordered(self):
        if self.sort == CitySort.SOLUTIONS:
            return self.qs.order_by("-solution_count", Lower("name"), "pk")
        if self.sort == CitySort.POPULATION:
            return self.qs.order_by(Coalesce("population", Value(0)).desc(), Lower("name"), "pk")
        return self.qs.order_by(Lower("name"), "country", "pk")

    def facet_counts(self):
        """For each filter, how many cities each option gives under the other filters;
        cached until the content changes, per filter state."""
        return cached("city-facets", self._count_facets, sorted(self.data.lists()))

    def _count_facets(self):
        counts = {}
        for name in self.MULTIPLE:
            others = self.data.copy()
            others.pop(name, None)
            base = type(self)(others, self.queryset, choices=self.choices).qs
            counts[name] = COUNTERS[name](City.objects.filter(pk__in=base.values("pk")))
        return counts


def _by_field(field):
    def count(cities):
        return dict(cities.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))

    return count


def _by_size(cities):
    totals = cities.aggregate(
        **{size: Count("pk", filter=SizeClass.population_q(size)) for size in SizeClass.values}
    )
    return {size: n for size, n in totals.items() if n}


def _by_network(cities):
    rows = (
        Membership.objects.filter(city__in=cities.values("pk"))
        .values("network__slug")
        .annotate(n=Count("city", distinct=True))
    )
    return {row["network__slug"]: row["n"] for row in rows}


def _by_theme(cities):
    rows = (
        Solution.themes.through.objects.filter(
            solution__in=Solution.objects.published().filter(city__in=cities.values("pk"))
        )
        .values("theme__slug")
        .annotate(n=Count("solution__city", distinct=True))
    )
    return {row["theme__slug"]: row["n"] for row in rows}


COUNTERS = {
    "region": _by_field("region"),
    "subregion": _by_field("subregion"),
    "country": _by_field("country"),
    "size": _by_size,
    "network": _by_network,
    "theme": _by_theme,
}

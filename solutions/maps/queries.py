"""What a map shows: cities with their number of published solutions, and transfers.

Read in three queries whatever the number of rows (the solutions counted per city in one
GROUP BY, the newest titles of the cities drawn in one window query, the transfers with both
cities in one join), and cached until the content changes (`core.caching.cached`). Only what is
drawn is kept: at most MAX_POINTS cities (the most solutions first) and MAX_LINKS transfers
(the newest first), with the totals, so a cached map stays small at 100,000 solutions.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber

from core.caching import cached
from solutions.models import Solution, Transfer

MAX_POINTS = 400
MAX_LINKS = 400
# On a page's small map: fewer, the page lists the rest.
MAX_POINTS_SMALL = 150
MAX_LINKS_SMALL = 150
# The newest solutions of each city, for its row in the list and its panel on the map.
NEWEST = 3

CITY_FIELDS = ["pk", "slug", "name", "country", "latitude", "longitude"]


@dataclass(frozen=True)
class Place:
    """A city on a map: `count` published solutions there (0 for a city that only adopted
    one), and the newest of them as (slug, title)."""

    pk: int
    slug: str
    name: str
    country: str
    latitude: float | None
    longitude: float | None
    count: int = 0
    newest: tuple = ()

    @property
    def located(self):
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class Link:
    """A transfer: a solution carried from the city `origin` to `adopting` (their pks)."""

    pk: int
    status: str
    start_year: int | None
    solution_slug: str
    solution_title: str
    origin: int
    adopting: int


@dataclass(frozen=True)
class MapData:
    points: tuple  # Places with solutions, the most first
    links: tuple  # Links, the newest first
    places: dict = field(default_factory=dict)  # pk -> Place, every city named above
    point_total: int = 0
    link_total: int = 0
    solution_total: int = 0

    @property
    def points_left_out(self):
        return self.point_total - len(self.points)

    @property
    def links_left_out(self):
        return self.link_total - len(self.links)


def gather(solutions, transfers, *, max_points=MAX_POINTS, max_links=MAX_LINKS):
    """The map of `solutions` (published ones) and `transfers` (of published solutions)."""
    counted = list(
        solutions.order_by()
        .values(*(f"city__{name}" for name in CITY_FIELDS))
        .annotate(n=Count("pk"))
        .values_list(*(f"city__{name}" for name in CITY_FIELDS), "n")
    )
    counted.sort(key=lambda row: (-row[-1], row[2], row[0]))
    newest = newest_titles(solutions, [row[0] for row in counted[:max_points]])
    points = tuple(
        Place(*row[:-1], count=row[-1], newest=tuple(newest.get(row[0], ())))
        for row in counted[:max_points]
    )
    rows = list(
        transfers.values_list(
            "pk",
            "status",
            "start_year",
            "solution__slug",
            "solution__title",
            *(f"origin_city__{name}" for name in CITY_FIELDS),
            *(f"adopting_city__{name}" for name in CITY_FIELDS),
        )
    )
    places = {point.pk: point for point in points}
    links = []
    size = len(CITY_FIELDS)
    for row in rows[:max_links]:
        origin, adopting = row[5 : 5 + size], row[5 + size :]
        for city in (origin, adopting):
            places.setdefault(city[0], Place(*city))
        links.append(Link(*row[:5], origin=origin[0], adopting=adopting[0]))
    return MapData(
        points=points,
        links=tuple(links),
        places=places,
        point_total=len(counted),
        link_total=len(rows),
        solution_total=sum(row[-1] for row in counted),
    )


def newest_titles(solutions, city_ids):
    """{city pk: [(slug, title), ...]}: the NEWEST newest solutions of each city, one query."""
    if not city_ids:
        return {}
    rows = (
        solutions.filter(city_id__in=city_ids)
        .order_by()
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("city_id")],
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        .filter(place__lte=NEWEST)
        .values_list("city_id", "place", "slug", "title")
    )
    found = {}
    for city_id, _place, slug, title in sorted(rows, key=lambda row: row[:2]):
        found.setdefault(city_id, []).append((slug, title))
    return found


def published_transfers_of(solutions):
    """The transfers of these solutions (published ones), newest first."""
    return Transfer.objects.filter(solution__in=solutions.values("pk"))


def filtered_map(filterset, *, small=False):
    """The map of what a solution list's filters select (a theme page's too), cached."""
    state = (sorted(filterset.data.lists()), sorted(filterset.fixed), str(filterset.queryset.query))
    limits = (MAX_POINTS_SMALL, MAX_LINKS_SMALL) if small else (MAX_POINTS, MAX_LINKS)

    def compute():
        solutions = filterset.qs
        return gather(
            solutions,
            published_transfers_of(solutions),
            max_points=limits[0],
            max_links=limits[1],
        )

    return cached("map", compute, "filters", state, limits)


def network_map(network):
    """The solutions a network documented, and where they went: /map/?network=<slug>."""

    def compute():
        solutions = Solution.objects.published().filter(network=network)
        return gather(
            solutions,
            published_transfers_of(solutions),
            max_points=MAX_POINTS_SMALL,
            max_links=MAX_LINKS_SMALL,
        )

    return cached("map", compute, "network", network.pk)


def city_map(city):
    """A city and the cities it exchanged solutions with, each with its published solutions;
    the transfers from it and to it."""

    def compute():
        transfers = Transfer.objects.of_published_solutions().filter(
            Q(origin_city=city) | Q(adopting_city=city)
        )
        partners = (
            Q(city=city)
            | Q(city__in=transfers.values("origin_city"))
            | Q(city__in=transfers.values("adopting_city"))
        )
        return gather(
            Solution.objects.published().filter(partners),
            transfers,
            max_points=MAX_POINTS_SMALL,
            max_links=MAX_LINKS_SMALL,
        )

    return cached("map", compute, "city", city.pk)

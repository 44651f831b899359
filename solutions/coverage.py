"""Where the knowledge base is thin: published case studies counted by place (continent and UN
sub-region), city size and network, against each theme; and the member cities of each network
with no published case study. For curators, what is in progress (drafts, in review, sent
back) is counted apart beside each number.

Every grid comes from the same two grouped queries (case studies by theme, and case studies
alone for the row totals), whatever the number of case studies, cached until the content
changes.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cities.models import SizeClass
from cities.regions import Region, Subregion
from core.caching import cached
from networks.models import Membership, Network
from solutions.models import Solution, Status, Theme

IN_PROGRESS = [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED]
MEMBER_NAMES_SHOWN = 12
# The facts each case study is counted by, as they are grouped on the database.
FACTS = ["region", "subregion", "size", "network"]


def size_case(prefix="city__"):
    return Case(
        *[When(SizeClass.population_q(size, prefix), then=Value(size.value)) for size in SizeClass],
        default=Value(""),
        output_field=CharField(),
    )


def _grouped(queryset, *extra):
    return (
        queryset.annotate(
            fact_region=F("city__region"),
            fact_subregion=F("city__subregion"),
            fact_size=size_case(),
            fact_network=F("network_id"),
        )
        .order_by()
        .values("fact_region", "fact_subregion", "fact_size", "fact_network", *extra)
        .annotate(n=Count("pk", distinct=True))
    )


def tallies(statuses):
    """{fact: Counter of (value, theme id)} and {fact: Counter of value} for the case studies
    in these statuses: two queries."""
    solutions = Solution.objects.filter(status__in=statuses)
    by_theme = {fact: Counter() for fact in FACTS}
    for row in _grouped(solutions.filter(themes__isnull=False), "themes"):
        for fact in FACTS:
            by_theme[fact][row[f"fact_{fact}"], row["themes"]] += row["n"]
    totals = {fact: Counter() for fact in FACTS}
    for row in _grouped(solutions):
        for fact in FACTS:
            totals[fact][row[f"fact_{fact}"]] += row["n"]
    return by_theme, totals


@dataclass
class Cell:
    count: int
    in_progress: int | None
    url: str
    level: int  # 0 (none) to 4 (among the most in its grid)


@dataclass
class Row:
    label: str
    cells: list
    total: int
    total_in_progress: int | None
    url: str


@dataclass
class Grid:
    key: str
    title: str
    caption: str
    rows: list = field(default_factory=list)


def _level(count, largest):
    if count == 0:
        return 0
    return min(4, 1 + int(4 * count / (largest + 1)))


def _list_url(**params):
    return f"{reverse('solutions:list')}?{urlencode(params)}"


def build(themes, networks, published, in_progress):
    """The four grids, from the tallies (`in_progress` None for visitors)."""
    by_theme, totals = published
    pending_theme, pending_totals = in_progress or ({}, {})

    def row(fact, value, label, param):
        largest = max(by_theme[fact].values(), default=0)
        cells = []
        for theme in themes:
            count = by_theme[fact][value, theme.pk]
            pending = pending_theme[fact][value, theme.pk] if in_progress else None
            url = _list_url(**{param[0]: param[1], "theme": theme.slug})
            cells.append(Cell(count, pending, url, _level(count, largest)))
        return Row(
            label=label,
            cells=cells,
            total=totals[fact][value],
            total_in_progress=pending_totals[fact][value] if in_progress else None,
            url=_list_url(**{param[0]: param[1]}),
        )

    continents = Grid(
        "continents", _("By continent"), _("Published case studies by continent and theme")
    )
    for region in Region:
        if region != Region.ANTARCTICA:
            continents.rows.append(
                row("region", region.value, region.label, ("region", region.value))
            )
    subregions = Grid(
        "subregions",
        _("By UN sub-region"),
        _("Published case studies by UN sub-region and theme"),
    )
    for value, label in Subregion.choices:
        subregions.rows.append(row("subregion", value, label, ("subregion", value)))
    sizes = Grid("sizes", _("By city size"), _("Published case studies by city size and theme"))
    for size in SizeClass:
        sizes.rows.append(row("size", size.value, size.label, ("size", size.value)))
    by_network = Grid("networks", _("By network"), _("Published case studies by network and theme"))
    for network in networks:
        by_network.rows.append(row("network", network.pk, network.name, ("network", network.slug)))
    return [continents, subregions, sizes, by_network]


@dataclass
class QuietMembers:
    network: Network
    count: int
    names: list


def quiet_members(networks):
    """Per network, its current member cities without a published case study: how many, and
    the first few names. Two queries."""
    published_cities = Solution.objects.published().values("city_id")
    quiet = Membership.objects.filter(until_year__isnull=True).exclude(city_id__in=published_cities)
    counts = dict(quiet.order_by().values_list("network_id").annotate(n=Count("pk")))
    numbered = quiet.annotate(
        place=Window(RowNumber(), partition_by=[F("network_id")], order_by=F("city__name").asc())
    ).filter(place__lte=MEMBER_NAMES_SHOWN)
    names = defaultdict(list)
    for network_id, name, slug in numbered.order_by("network_id", "city__name").values_list(
        "network_id", "city__name", "city__slug"
    ):
        names[network_id].append((name, reverse("cities:detail", kwargs={"slug": slug})))
    return [
        QuietMembers(network, counts.get(network.pk, 0), names[network.pk])
        for network in networks
        if counts.get(network.pk)
    ]


def coverage(*, with_in_progress=False):
    """What the coverage page shows; the published part cached until the content changes."""

    def published_part():
        themes = list(Theme.objects.order_by("position", "name"))
        networks = list(Network.objects.order_by("name"))
        return {
            "themes": themes,
            "networks": networks,
            "published": tallies([Status.PUBLISHED]),
            "quiet": quiet_members(networks),
        }

    part = cached("coverage", published_part)
    in_progress = tallies(IN_PROGRESS) if with_in_progress else None
    grids = build(part["themes"], part["networks"], part["published"], in_progress)
    return {"themes": part["themes"], "grids": grids, "quiet": part["quiet"]}

"""Cities like this one: the cities with published solutions that most resemble a city, or a
city a visitor describes, each with the reasons it was chosen.

A city resembles another by size (the same size class, or the next one), by place (the same UN
sub-region, else the same continent; the same country), by what its solutions are about (the
themes asked for, or those of the city's own solutions), by the networks it belongs to, and by
distance. Each reason adds POINTS; the reasons are said in words beside each suggestion.

What is compared is read once per content version (`_candidates`, three queries) and scored in
Python: 5,000 cities score in a few milliseconds.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cities.models import City, SizeClass
from cities.regions import region_for_country, subregion_for_country
from core.caching import cached
from networks.models import Membership, Network
from solutions.models import Solution, Theme

POINTS = {
    "same_size": 3.0,
    "next_size": 1.0,
    "same_subregion": 3.0,
    "same_region": 1.5,
    "same_country": 1.0,
    "per_shared_theme_solution": 1.0,  # up to MAX_THEME_POINTS
    "per_shared_network": 1.5,  # up to 2 networks
    "near": 2.0,  # at NEAR_KM or closer, falling to 0 at FAR_KM
}
MAX_THEME_POINTS = 6.0
NEAR_KM, FAR_KM = 500, 5000
SIZES = list(SizeClass)
MAX_SOLUTIONS_READ = 200


def names():
    """Theme and network names by id, for the reasons: cached until the content changes."""
    return cached(
        "similar-city-names",
        lambda: {
            "themes": dict(Theme.objects.values_list("pk", "name")),
            "networks": dict(Network.objects.values_list("pk", "name")),
        },
    )


def like_city(city, limit=5):
    """The cities most like `city`, by its own facts, its solutions' themes and its networks;
    cached until the content changes, so a warm city page runs no query for it."""

    def compute():
        theme_ids = Solution.themes.through.objects.filter(
            solution__in=Solution.objects.published().filter(city=city)
        ).values_list("theme_id", flat=True)
        network_ids = Membership.objects.filter(city=city).values_list("network_id", flat=True)
        profile = Profile.of_city(city, set(theme_ids), set(network_ids))
        found = names()
        return similar_cities(
            profile, limit=limit, theme_names=found["themes"], network_names=found["networks"]
        )

    return cached("like-city", compute, city.pk, limit)


@dataclass
class Profile:
    """A city as similarity sees it: what a visitor describes, or a city's own facts."""

    country: str = ""
    region: str = ""
    subregion: str = ""
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    theme_ids: set = field(default_factory=set)
    network_ids: set = field(default_factory=set)
    exclude_id: int | None = None

    @property
    def size(self):
        return SizeClass.for_population(self.population)

    @classmethod
    def of_city(cls, city, theme_ids, network_ids):
        return cls(
            country=str(city.country),
            region=city.region,
            subregion=city.subregion,
            population=city.population,
            latitude=city.latitude,
            longitude=city.longitude,
            theme_ids=set(theme_ids),
            network_ids=set(network_ids),
            exclude_id=city.pk,
        )

    @classmethod
    def described(cls, *, country="", region="", subregion="", population=None, theme_ids=()):
        """What a visitor says of their city; a country gives its region and sub-region."""
        if country:
            region = region or region_for_country(country)
            subregion = subregion or subregion_for_country(country)
        return cls(
            country=country,
            region=region,
            subregion=subregion,
            population=population,
            theme_ids=set(theme_ids),
        )


@dataclass
class Suggestion:
    city: City
    score: float
    reasons: list
    solution_count: int


def _candidates():
    """Every city with a published solution, with its theme counts and its networks."""

    def read():
        published = Solution.objects.published()
        cities = list(
            City.objects.filter(pk__in=published.values("city_id")).only(
                "name",
                "slug",
                "country",
                "region",
                "subregion",
                "population",
                "latitude",
                "longitude",
            )
        )
        themes = defaultdict(dict)
        rows = (
            Solution.themes.through.objects.filter(solution__in=published)
            .values_list("solution__city_id", "theme_id")
            .annotate(n=Count("pk"))
        )
        for city_id, theme_id, n in rows:
            themes[city_id][theme_id] = n
        counts = dict(
            published.order_by()
            .values_list("city_id")
            .annotate(n=Count("pk"))
            .values_list("city_id", "n")
        )
        networks = defaultdict(set)
        for city_id, network_id in Membership.objects.filter(
            city__in=[c.pk for c in cities]
        ).values_list("city_id", "network_id"):
            networks[city_id].add(network_id)
        return [
            (city, themes[city.pk], networks[city.pk], counts.get(city.pk, 0)) for city in cities
        ]

    return cached("similar-city-candidates", read)


def similar_cities(profile, *, limit=6, theme_names=None, network_names=None):
    """The `limit` cities most like `profile`, best first, each with its reasons."""
    theme_names = theme_names or {}
    network_names = network_names or {}
    scored = []
    for city, themes, networks, solution_count in _candidates():
        if city.pk == profile.exclude_id:
            continue
        score, reasons = _score(profile, city, themes, networks, theme_names, network_names)
        if score > 0:
            scored.append(Suggestion(city, round(score, 2), reasons, solution_count))
    scored.sort(key=lambda s: (-s.score, -s.solution_count, s.city.name))
    return scored[:limit]


def _score(profile, city, themes, networks, theme_names, network_names):
    score, reasons = 0.0, []
    size = SizeClass.for_population(city.population)
    if profile.size and size:
        apart = abs(SIZES.index(profile.size) - SIZES.index(size))
        if apart == 0:
            score += POINTS["same_size"]
            reasons.append(_("similar size (%(size)s)") % {"size": size.label})
        elif apart == 1:
            score += POINTS["next_size"]
    if profile.subregion and city.subregion == profile.subregion:
        score += POINTS["same_subregion"]
        reasons.append(_("same sub-region (%(name)s)") % {"name": city.get_subregion_display()})
    elif profile.region and city.region == profile.region:
        score += POINTS["same_region"]
        reasons.append(_("same continent (%(name)s)") % {"name": city.get_region_display()})
    if profile.country and str(city.country) == profile.country:
        score += POINTS["same_country"]
        reasons.append(_("same country"))
    shared = {t: n for t, n in themes.items() if t in profile.theme_ids}
    if shared:
        score += min(MAX_THEME_POINTS, POINTS["per_shared_theme_solution"] * sum(shared.values()))
        for theme_id, n in sorted(shared.items(), key=lambda item: -item[1])[:3]:
            reasons.append(
                ngettext(
                    "%(count)d solution on %(theme)s",
                    "%(count)d solutions on %(theme)s",
                    n,
                )
                % {"count": n, "theme": theme_names.get(theme_id, "")}
            )
    common = networks & profile.network_ids
    if common:
        score += POINTS["per_shared_network"] * min(2, len(common))
        names = sorted(network_names.get(n, "") for n in common)
        reasons.append(_("also in %(networks)s") % {"networks": ", ".join(names)})
    km = _distance_km(profile, city)
    if km is not None and km < FAR_KM:
        score += POINTS["near"] * min(1.0, (FAR_KM - km) / (FAR_KM - NEAR_KM))
        reasons.append(_("%(km)s km away") % {"km": f"{round(km, -1):,.0f}"})
    return score, reasons


def _distance_km(profile, city):
    """Great-circle distance, where both places have coordinates."""
    if None in (profile.latitude, profile.longitude, city.latitude, city.longitude):
        return None
    lat1, lon1, lat2, lon2 = map(
        math.radians, (profile.latitude, profile.longitude, city.latitude, city.longitude)
    )
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(min(1.0, a)))


def solutions_from(suggestions, theme_ids=(), limit=20):
    """Published solutions from the suggested cities: the best-matching city first, and within
    a city those on the themes asked for first, newest first."""
    order = {s.city.pk: rank for rank, s in enumerate(suggestions)}
    found = list(
        Solution.objects.published()
        .filter(city_id__in=order)
        .for_listing()
        .order_by("-published_at", "-pk")[:MAX_SOLUTIONS_READ]
    )
    wanted = set(theme_ids)

    def key(solution):
        on_theme = any(t.pk in wanted for t in solution.themes.all())
        return (order[solution.city_id], not on_theme)

    return sorted(found, key=key)[:limit]

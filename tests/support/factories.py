"""Small builders for test data: each makes one valid row, with keyword overrides."""

import itertools
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model

from cities.models import City
from networks.models import Membership, Network, NetworkStaff
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    Status,
    Theme,
    Transfer,
)

_sequence = itertools.count(1)


def _n():
    return next(_sequence)


def make_city(**overrides):
    n = _n()
    fields = {
        "name": f"City {n}",
        "slug": f"city-{n}",
        "country": "KE",
        "population": 250_000,
        "latitude": -1.28,
        "longitude": 36.82,
    }
    fields.update(overrides)
    return City.objects.create(**fields)


def make_network(**overrides):
    n = _n()
    fields = {"name": f"Network {n}", "slug": f"network-{n}", "acronym": f"N{n}"}
    fields.update(overrides)
    return Network.objects.create(**fields)


def make_membership(**overrides):
    fields = {"network": overrides.pop("network", None) or make_network()}
    fields["city"] = overrides.pop("city", None) or make_city()
    fields.update(overrides)
    return Membership.objects.create(**fields)


def make_user(**overrides):
    n = _n()
    fields = {"username": f"user{n}", "email": f"user{n}@example.org"}
    fields.update(overrides)
    password = fields.pop("password", "a-long-test-password")
    return get_user_model().objects.create_user(password=password, **fields)


def make_superuser(**overrides):
    return make_user(is_staff=True, is_superuser=True, **overrides)


def make_staff(network, **overrides):
    user = overrides.pop("user", None) or make_user()
    return NetworkStaff.objects.create(user=user, network=network, **overrides)


def make_theme(**overrides):
    n = _n()
    fields = {"name": f"Theme {n}", "slug": f"theme-{n}", "description": f"About theme {n}."}
    fields.update(overrides)
    return Theme.objects.create(**fields)


def make_solution(*, themes=(), tags=(), **overrides):
    n = _n()
    fields = {
        "title": f"Solution {n}",
        "slug": f"solution-{n}",
        "summary": f"Summary of solution {n}.",
        "problem": "The problem.",
        "approach": "The approach.",
        "results": "The results.",
        "lessons_learned": "The lessons.",
        "status": Status.PUBLISHED,
        "start_year": 2015,
    }
    fields.update(overrides)
    fields.setdefault("city", fields.get("city") or make_city())
    fields.setdefault("network", fields.get("network") or make_network())
    if fields["status"] in (Status.PUBLISHED, Status.ARCHIVED):
        fields.setdefault("published_at", datetime(2025, 1, 1, 9, tzinfo=UTC))
    solution = Solution.objects.create(**fields)
    if themes:
        solution.themes.set(themes)
    if tags:
        solution.tags.set(list(tags))
    return solution


def make_newest_solution(**overrides):
    """A published solution with a theme and a tag of its own, newer than every solution made
    here before it (each is published one hour after the previous one, from 2000)."""
    n = _n()
    fields = {
        "title": f"Row solution {n:05}",
        "slug": f"row-solution-{n}",
        "tags": [f"row tag {n}"],
        "published_at": datetime(2000, 1, 1, tzinfo=UTC) + timedelta(hours=n),
    }
    fields.update(overrides)
    if "themes" not in fields:
        fields["themes"] = [make_theme(name=f"Row theme {n:05}", slug=f"row-theme-{n}")]
    return make_solution(**fields)


def make_partner(solution, **overrides):
    fields = {"name": f"Partner {_n()}", "sector": "community"}
    fields.update(overrides)
    return Partner.objects.create(solution=solution, **fields)


def make_indicator(solution, measurements=(), **overrides):
    fields = {"name": f"Indicator {_n()}", "unit": "households", "direction": "increase"}
    fields.update(overrides)
    indicator = Indicator.objects.create(solution=solution, **fields)
    for year, value in measurements:
        Measurement.objects.create(indicator=indicator, year=year, value=value)
    return indicator


def make_transfer(solution=None, **overrides):
    solution = solution or make_solution()
    fields = {
        "origin_city": solution.city,
        "adopting_city": overrides.pop("adopting_city", None) or make_city(country="TZ"),
        "network": solution.network,
        "status": "adopted",
        "start_year": 2020,
    }
    fields.update(overrides)
    return Transfer.objects.create(solution=solution, **fields)

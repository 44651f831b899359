"""A small, known world for the public pages: four published solutions and one in each
other status, their transfers and the networks' member cities."""

from datetime import UTC, datetime
from types import SimpleNamespace

from solutions.models import Status
from tests.support.factories import (
    make_city,
    make_membership,
    make_network,
    make_solution,
    make_theme,
    make_transfer,
)


def at(year, month=1, day=1):
    return datetime(year, month, day, 9, tzinfo=UTC)


def public_world():
    """Four published solutions, one in each other status, and their transfers.

    Published: trams (Lisbon, newest), matatu and toilets (Nairobi), kiosks (Mombasa, oldest).
    The archived solution has the latest publication date of all, so only the status keeps it
    off the pages. Every transfer of an unpublished solution crosses a national border.
    """
    w = SimpleNamespace()
    w.nairobi = make_city(
        name="Nairobi",
        slug="nairobi",
        country="KE",
        population=4_397_073,
        population_year=2019,
        admin_area="Nairobi County",
    )
    w.mombasa = make_city(name="Mombasa", slug="mombasa", country="KE", population=1_208_333)
    w.kampala = make_city(name="Kampala", slug="kampala", country="UG", population=1_680_600)
    w.lisbon = make_city(name="Lisbon", slug="lisbon", country="PT", population=545_000)
    w.porto = make_city(name="Porto", slug="porto", country="PT", population=232_000)

    w.c2c = make_network(
        name="City2City Network",
        slug="city2city",
        acronym="C2C",
        tagline="Peer learning between African cities",
        description="# About\n\nCities **learn from each other**.",
        founded_year=2010,
        run_by="United Cities Africa",
        website="https://c2c.example.org",
    )
    w.eux = make_network(
        name="Eurocities Exchange",
        slug="eurocities-exchange",
        acronym="EUX",
        tagline="European cities swapping what works",
        founded_year=1986,
    )
    w.quiet = make_network(name="Quiet Network", slug="quiet", acronym="", tagline="")

    w.water = make_theme(
        name="Water and sanitation",
        slug="water",
        description="Clean water and safe toilets.",
        position=1,
    )
    w.mobility = make_theme(
        name="Mobility", slug="mobility", description="Getting around the city.", position=2
    )
    w.housing = make_theme(
        name="Housing", slug="housing", description="Homes people can afford.", position=3
    )
    w.energy = make_theme(
        name="Energy", slug="energy", description="Power for homes and streets.", position=4
    )

    w.toilets = make_solution(
        title="Community toilet blocks",
        slug="community-toilet-blocks",
        summary="Toilet blocks run by residents groups in informal settlements.",
        problem="# Background\n\nHalf of the households **shared** a pit latrine.",
        city=w.nairobi,
        network=w.c2c,
        themes=[w.water],
        published_at=at(2024, 3),
    )
    w.matatu = make_solution(
        title="Matatu route mapping",
        slug="matatu-route-mapping",
        city=w.nairobi,
        network=w.c2c,
        themes=[w.mobility],
        published_at=at(2024, 6),
    )
    w.kiosks = make_solution(
        title="Water kiosks",
        slug="water-kiosks",
        city=w.mombasa,
        network=w.c2c,
        themes=[w.water, w.mobility],
        published_at=at(2023, 1),
    )
    w.trams = make_solution(
        title="Tram priority lanes",
        slug="tram-priority-lanes",
        city=w.lisbon,
        network=w.eux,
        themes=[w.mobility, w.energy],
        published_at=at(2024, 9),
    )
    w.draft = make_solution(
        title="Draft slum upgrading",
        city=w.nairobi,
        network=w.quiet,
        themes=[w.housing, w.water],
        status=Status.DRAFT,
    )
    w.archived = make_solution(
        title="Archived bus rapid transit",
        city=w.porto,
        network=w.eux,
        themes=[w.mobility, w.housing],
        status=Status.ARCHIVED,
        published_at=at(2025, 6),
    )
    w.flood = make_solution(
        title="Flood warnings awaiting changes",
        city=w.mombasa,
        network=w.c2c,
        themes=[w.water],
        status=Status.CHANGES_REQUESTED,
    )
    w.review = make_solution(
        title="Rooftop gardens in review",
        city=w.lisbon,
        network=w.eux,
        themes=[w.housing],
        status=Status.IN_REVIEW,
    )

    # Transfers of published solutions.
    w.t1 = make_transfer(
        w.toilets,
        adopting_city=w.mombasa,
        network=w.c2c,
        status="adopted",
        start_year=2018,
        end_year=2020,
    )
    w.t2 = make_transfer(
        w.toilets, adopting_city=w.kampala, network=w.c2c, status="in_progress", start_year=2021
    )
    w.t3 = make_transfer(
        w.trams, adopting_city=w.porto, network=w.eux, status="proposed", start_year=2019
    )
    w.t4 = make_transfer(
        w.trams, adopting_city=w.nairobi, network=None, status="adapted", start_year=2022
    )
    # Transfers of unpublished solutions: never shown, never counted.
    w.t_draft = make_transfer(w.draft, adopting_city=w.kampala, network=w.quiet)
    w.t_archived = make_transfer(w.archived, adopting_city=w.nairobi, network=w.eux)
    w.t_flood = make_transfer(w.flood, adopting_city=w.kampala, network=w.c2c)

    make_membership(network=w.c2c, city=w.nairobi, role="lead-city", since_year=2010)
    make_membership(network=w.c2c, city=w.mombasa, since_year=2012)
    make_membership(network=w.c2c, city=w.kampala, since_year=2015)
    make_membership(network=w.eux, city=w.lisbon, role="founding-member", since_year=1986)
    make_membership(network=w.eux, city=w.porto, since_year=1990)
    make_membership(network=w.eux, city=w.nairobi, since_year=2018)
    return w


UNPUBLISHED_TITLES = [
    "Draft slum upgrading",
    "Archived bus rapid transit",
    "Flood warnings awaiting changes",
    "Rooftop gardens in review",
]


def assert_no_unpublished_solution(html):
    for title in UNPUBLISHED_TITLES:
        assert title not in html

"""A small world for the API: published case studies with everything a case study can hold,
and a draft, one in review, one sent back and an archived one that no answer may ever show."""

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIClient

from networks.models import Membership
from solutions.models import SolutionImage, SourceLink, Status, TransferStatus
from tests.support.factories import (
    make_city,
    make_indicator,
    make_network,
    make_partner,
    make_solution,
    make_theme,
    make_transfer,
)

HIDDEN_STATUSES = [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ARCHIVED]


def when(year, month, day):
    return datetime(year, month, day, 9, tzinfo=UTC)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def world(db):
    water = make_theme(name="Water and sanitation", slug="water", position=1)
    energy = make_theme(name="Energy", slug="energy", position=2)
    pune = make_city(name="Pune", slug="pune-in", country="IN", population=3_100_000)
    osaka = make_city(
        name="Osaka", slug="osaka-jp", country="JP", population=2_700_000, latitude=34.69
    )
    nairobi = make_city(name="Nairobi", slug="nairobi-ke", country="KE", population=4_400_000)
    lima = make_city(name="Lima", slug="lima-pe", country="PE", population=9_700_000)
    quiet = make_city(name="Quiet Town", slug="quiet-town", country="KE", population=40_000)
    c2c = make_network(name="City2City Network", slug="city2city", acronym="C2C")
    mip = make_network(name="Municipal Innovation Partnership", slug="mip", acronym="MIP")
    Membership.objects.create(network=c2c, city=quiet, since_year=2010)
    Membership.objects.create(network=c2c, city=pune, since_year=2012, until_year=2019)

    kiosks = make_solution(
        title="Water kiosks",
        slug="water-kiosks-pune",
        summary="Prepaid kiosk water points.",
        problem="Taps ran dry in **summer**.",
        funding="The water utility.",
        contact_name="A. Officer",
        contact_organisation="Pune Water",
        contact_email="officer@example.org",
        city=pune,
        network=c2c,
        themes=[water, energy],
        tags=["tariffs", "kiosks"],
        start_year=2016,
        end_year=2020,
        cost_usd=120_000,
        published_at=when(2024, 3, 1),
    )
    kiosks.sdgs.set([6, 11])
    make_partner(kiosks, name="Kiosk Operators' Union", sector="community", role="Runs them.")
    SourceLink.objects.create(solution=kiosks, title="Utility report", url="https://example.org/r")
    SolutionImage.objects.create(
        solution=kiosks, image="solutions/kiosk.jpg", alt_text="A kiosk with a queue of people"
    )
    make_indicator(kiosks, [(2018, 12.0), (2016, 5.0), (2020, 20.0)], name="Households served")
    make_transfer(kiosks, adopting_city=nairobi, network=c2c, status=TransferStatus.ADAPTED)
    solar = make_solution(
        title="Solar schools",
        slug="solar-schools-osaka",
        city=osaka,
        network=mip,
        themes=[energy],
        start_year=2019,
        published_at=when(2024, 5, 1),
    )
    toilets = make_solution(
        title="Community toilets",
        slug="toilets-nairobi",
        city=nairobi,
        network=c2c,
        themes=[water],
        tags=["sanitation"],
        start_year=2012,
        published_at=when(2024, 4, 1),
    )
    make_transfer(toilets, adopting_city=lima, network=mip, status=TransferStatus.PROPOSED)
    make_solution(
        title="Bus lanes",
        slug="bus-lanes-lima",
        city=lima,
        network=mip,
        start_year=2018,
        published_at=when(2023, 1, 1),
    )
    hidden = {}
    for status in HIDDEN_STATUSES:
        hidden[status] = make_solution(
            title=f"Hidden water kiosks {status}",
            slug=f"hidden-{status.replace('_', '-')}",
            summary="Prepaid kiosk water points, not public.",
            status=status,
            city=quiet,
            network=c2c,
            themes=[water, energy],
            tags=["kiosks"],
            published_at=when(2025, 6, 1) if status == Status.ARCHIVED else None,
        )
        # A transfer of a hidden case study into a city that shows published work.
        make_transfer(hidden[status], adopting_city=osaka, network=mip)
    return {
        "published": [kiosks, solar, toilets],
        "kiosks": kiosks,
        "hidden": hidden,
        "themes": {"water": water, "energy": energy},
        "cities": {"pune": pune, "osaka": osaka, "nairobi": nairobi, "lima": lima, "quiet": quiet},
        "networks": {"c2c": c2c, "mip": mip},
    }

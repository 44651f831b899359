"""Transfers by direction: where they came from and where they went, by continent or UN
sub-region, separately; and the flows between sub-regions with how they turned out."""

import re

import pytest

from solutions.models import Status
from tests.support.factories import make_city, make_solution, make_transfer

pytestmark = pytest.mark.django_db

URL = "/transfers/"


@pytest.fixture
def routes(db):
    bogota = make_city(name="Bogota", country="CO")
    curitiba = make_city(name="Curitiba", country="BR")
    lagos = make_city(name="Lagos", country="NG")
    accra = make_city(name="Accra", country="GH")
    lyon = make_city(name="Lyon", country="FR")
    brt = make_solution(title="Bus lanes", city=curitiba)
    cable = make_solution(title="Cable cars", city=bogota)
    kiosks = make_solution(title="Water kiosks", city=lagos)
    draft = make_solution(title="Draft", city=bogota, status=Status.DRAFT)
    return {
        "brt-lagos": make_transfer(brt, adopting_city=lagos, status="adopted"),
        "brt-accra": make_transfer(brt, adopting_city=accra, status="discontinued"),
        "cable-accra": make_transfer(cable, adopting_city=accra, status="in_progress"),
        "cable-lyon": make_transfer(cable, adopting_city=lyon, status="adapted"),
        "kiosks-bogota": make_transfer(kiosks, adopting_city=bogota, status="proposed"),
        "draft-lagos": make_transfer(draft, adopting_city=lagos, status="adopted"),
    }


def listed(response):
    return {(t.solution.title, t.adopting_city.name) for t in response.context["transfers"]}


def flows(response):
    rows = re.findall(r'<tr class="flow">(.*?)</tr>', response.text, re.S)
    return [
        tuple(re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row))
        for row in rows
    ]


def test_from_one_subregion_to_another(client, routes):
    response = client.get(
        URL,
        {"from_subregion": "latin-america-and-the-caribbean", "to_subregion": "sub-saharan-africa"},
    )
    assert listed(response) == {
        ("Bus lanes", "Lagos"),
        ("Bus lanes", "Accra"),
        ("Cable cars", "Accra"),
    }
    assert response.context["totals"]["total"] == 3
    # The other way round is another question.
    back = client.get(
        URL,
        {"from_subregion": "sub-saharan-africa", "to_subregion": "latin-america-and-the-caribbean"},
    )
    assert listed(back) == {("Water kiosks", "Bogota")}


def test_by_continent_and_to_anywhere(client, routes):
    assert listed(client.get(URL, {"to_region": "europe"})) == {("Cable cars", "Lyon")}
    from_south_america = client.get(URL, {"from_region": "south-america"})
    assert len(listed(from_south_america)) == 4  # never the draft's transfer


def test_the_flows_count_each_direction_by_outcome(client, routes):
    response = client.get(URL)
    latin, africa, europe = (
        "Latin America and the Caribbean",
        "Sub-Saharan Africa",
        "Western Europe",
    )
    # From, to, taken up, under way, discontinued, all: most first.
    assert flows(response) == [
        (latin, africa, "1", "1", "1", "3"),
        (latin, europe, "1", "0", "0", "1"),
        (africa, latin, "0", "1", "0", "1"),
    ]
    link = re.search(r'<a href="([^"]+)" aria-label="3 transfers from', response.text).group(1)
    assert link == (
        "/transfers/?from_subregion=latin-america-and-the-caribbean&amp;"
        "to_subregion=sub-saharan-africa"
    )
    # Under the filters.
    only_adopted = client.get(URL, {"status": ["adopted", "adapted"]})
    assert flows(only_adopted) == [
        (latin, africa, "1", "0", "0", "1"),
        (latin, europe, "1", "0", "0", "1"),
    ]

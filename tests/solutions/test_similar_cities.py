"""Cities like this one, and like the one a visitor describes: ranked by size, place, themes,
networks and distance, each with its reasons in words."""

import re

import pytest

from networks.models import Membership
from solutions.models import Status
from solutions.similar_cities import Profile, similar_cities
from tests.support.factories import make_city, make_network, make_solution, make_theme
from tests.support.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

LIKE_MINE = "/cities/like-mine/"


@pytest.fixture
def world(db):
    housing = make_theme(name="Housing", slug="housing")
    transport = make_theme(name="Transport", slug="transport")
    c2c = make_network(name="City2City", slug="c2c")
    nairobi = make_city(
        name="Nairobi", country="KE", population=4_400_000, latitude=-1.29, longitude=36.82
    )
    kampala = make_city(
        name="Kampala", country="UG", population=1_700_000, latitude=0.35, longitude=32.58
    )
    lima = make_city(
        name="Lima", country="PE", population=9_000_000, latitude=-12.05, longitude=-77.04
    )
    oslo = make_city(name="Oslo", country="NO", population=700_000, latitude=59.9, longitude=10.7)
    hidden = make_city(name="Hidden", country="UG", population=1_500_000)
    make_solution(title="Kampala homes", city=kampala, themes=[housing])
    make_solution(title="Kampala homes 2", city=kampala, themes=[housing])
    make_solution(title="Lima buses", city=lima, themes=[transport])
    make_solution(title="Oslo homes", city=oslo, themes=[housing])
    make_solution(title="Nairobi buses", city=nairobi, themes=[transport])
    make_solution(title="Draft", city=hidden, themes=[housing], status=Status.DRAFT)
    Membership.objects.create(network=c2c, city=nairobi)
    Membership.objects.create(network=c2c, city=kampala)
    return locals()


def test_a_same_size_same_region_city_with_shared_themes_ranks_above_a_distant_one(world):
    profile = Profile.described(country="KE", population=3_000_000, theme_ids={world["housing"].pk})
    found = similar_cities(profile, theme_names={world["housing"].pk: "Housing"})
    # Kampala's housing solutions outweigh Nairobi's being in the same country.
    assert [s.city.name for s in found][:2] == ["Kampala", "Nairobi"]
    kampala = found[0]
    assert kampala.reasons == [
        "similar size (1 to 10 million)",
        "same sub-region (Sub-Saharan Africa)",
        "2 solutions on Housing",
    ]
    assert kampala.solution_count == 2
    names = [s.city.name for s in found]
    assert names.index("Kampala") < names.index("Oslo")  # same themes, but far and smaller
    assert names.index("Kampala") < names.index("Lima")  # same size, but another region
    assert "Hidden" not in names  # only a draft


def test_a_city_page_suggests_cities_like_it_with_reasons_never_itself(client, world):
    html = client.get(world["nairobi"].get_absolute_url()).text
    section = re.search(r'<section aria-labelledby="similar-heading">.*?</section>', html, re.S)
    text = " ".join(re.sub(r"<[^>]+>", " ", section.group(0)).split())
    assert text.startswith("Cities like this one Kampala , Uganda · 2 solutions")
    assert "also in City2City" in text
    assert "km away" in text
    assert "Nairobi ," not in text


def test_like_mine_asks_first_then_answers_with_cities_and_their_solutions(client, world):
    first = client.get(LIKE_MINE)
    assert first.status_code == 200
    assert first.context["suggestions"] is None
    assert "one answer is enough" in first.text

    response = client.get(
        LIKE_MINE, {"country": "UG", "population": "2000000", "themes": ["housing"]}
    )
    suggestions = response.context["suggestions"]
    assert suggestions[0].city.name == "Kampala"
    assert "same country" in suggestions[0].reasons
    titles = [s.title for s in response.context["solutions"]]
    assert titles[:2] in (
        ["Kampala homes 2", "Kampala homes"],
        ["Kampala homes", "Kampala homes 2"],
    )
    assert "Draft" not in titles


def test_like_mine_says_what_is_wrong_and_keeps_the_typing(client, world):
    response = client.get(LIKE_MINE, {"population": "lots", "country": "XX", "themes": ["nope"]})
    assert response.status_code == 200
    assert response.context["suggestions"] is None
    assert "Please correct what is marked below." in response.text
    assert 'value="lots"' in response.text


def test_like_mine_runs_the_same_exact_queries_for_3_cities_and_for_60(
    client, django_assert_num_queries
):
    theme = make_theme(slug="water")
    made = []

    def add_rows(n):
        for _ in range(n):
            made.append(make_city(country="KE", population=2_000_000 + len(made)))
            make_solution(city=made[-1], themes=[theme])
        return "Kenya"

    # The form's themes (listed, and the chosen ones checked); the candidates (cities, their
    # themes, their counts, memberships); the theme and network names; the solutions with
    # their themes and tags.
    assert_queries_do_not_grow(
        client,
        LIKE_MINE + "?country=KE&population=2000000&themes=water",
        add_rows,
        django_assert_num_queries,
        11,
    )

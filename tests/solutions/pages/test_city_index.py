"""The cities index (/cities/): only cities with published work, filters with counts, sorting,
search by any name, pagination, and an exact query count however many cities there are."""

import re

import pytest
from django.urls import reverse

from networks.models import Membership
from solutions.models import Status
from tests.support.factories import (
    make_city,
    make_network,
    make_solution,
    make_theme,
    make_transfer,
)
from tests.support.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

URL = "/cities/"


def names(response):
    return [city.name for city in response.context["cities"]]


def counts(response, name):
    [group] = [g for g in response.context["groups"] if g.name == name]
    return {option.value: option.count for option in group.options}


@pytest.fixture
def places(db):
    flood = make_theme(name="Floods", slug="floods")
    housing = make_theme(name="Housing", slug="housing")
    c2c = make_network(name="City2City", slug="c2c")
    lagos = make_city(name="Lagos", country="NG", population=15_000_000, alternate_names="Eko")
    accra = make_city(name="Accra", country="GH", population=2_500_000)
    lima = make_city(name="Lima", country="PE", population=9_000_000)
    quito = make_city(name="Quito", country="EC", population=80_000)
    make_city(name="Nowhere", country="PE")  # nothing published: not listed
    drafty = make_city(name="Drafty", country="PE")
    make_solution(title="Canals", city=lagos, themes=[flood], network=c2c)
    make_solution(title="Drains", city=lagos, themes=[flood], network=c2c)
    make_solution(title="Homes", city=lima, themes=[housing])
    kiosks = make_solution(title="Kiosks", city=accra, themes=[housing])
    make_solution(title="Secret", city=drafty, status=Status.DRAFT)
    make_transfer(kiosks, origin_city=accra, adopting_city=quito)  # Quito only adopted one
    Membership.objects.create(network=c2c, city=accra)
    return locals()


def test_only_cities_with_published_work_are_listed(client, places):
    response = client.get(URL)
    assert names(response) == ["Accra", "Lagos", "Lima", "Quito"]
    html = response.text
    assert "Drafty" not in html and "Nowhere" not in html
    lagos = response.context["cities"][1]
    assert (lagos.solution_count, lagos.adopted_count) == (2, 0)
    quito = response.context["cities"][3]
    assert (quito.solution_count, quito.adopted_count) == (0, 1)
    assert re.search(r'<p class="result-count"[^>]*><strong>4</strong> cities</p>', html)


def test_filters_by_place_size_network_and_theme_with_counts(client, places):
    africa = client.get(URL, {"subregion": "sub-saharan-africa"})
    assert names(africa) == ["Accra", "Lagos"]
    assert counts(africa, "subregion") == {
        "sub-saharan-africa": 2,
        "latin-america-and-the-caribbean": 2,
    }
    assert counts(africa, "size") == {"small": 0, "medium": 0, "large": 1, "mega": 1}
    assert counts(africa, "theme") == {"floods": 1, "housing": 1}
    networks = {slug: n for slug, n in counts(africa, "network").items() if n}
    assert networks == {"c2c": 1}  # Accra is the member, not Lagos

    assert names(client.get(URL, {"country": "PE"})) == ["Lima"]
    assert names(client.get(URL, {"size": "small"})) == ["Quito"]
    assert names(client.get(URL, {"network": "c2c"})) == ["Accra"]
    assert names(client.get(URL, {"theme": "housing"})) == ["Accra", "Lima"]
    both = client.get(URL, {"theme": "housing", "region": "south-america"})
    assert names(both) == ["Lima"]
    assert [chip.label for chip in both.context["chips"]] == [
        "Region: South America",
        "Solutions on: Housing",
    ]


def test_sorting_by_solutions_and_population(client, places):
    assert names(client.get(URL, {"sort": "solutions"}))[:1] == ["Lagos"]
    assert names(client.get(URL, {"sort": "population"})) == ["Lagos", "Lima", "Accra", "Quito"]


def test_search_by_name_and_alternate_names(client, places):
    assert names(client.get(URL, {"q": "eko"})) == ["Lagos"]
    assert names(client.get(URL, {"q": "LIM"})) == ["Lima"]
    assert names(client.get(URL, {"q": "zzz"})) == []
    assert "No cities match" in client.get(URL, {"q": "zzz"}).text


def test_unknown_values_are_ignored_with_a_notice(client, places):
    response = client.get(URL, {"region": "atlantis", "sort": "best", "page": "99"})
    assert response.status_code == 200
    assert names(response) == ["Accra", "Lagos", "Lima", "Quito"]
    notices = response.context["notices"]
    assert "Ignored the unknown region “atlantis”." in notices
    assert "Ignored the unknown sort order “best”." in notices


def test_pages_of_fifty(client):
    for n in range(55):
        make_solution(city=make_city(name=f"City {n:02d}"))
    first, second = client.get(URL), client.get(URL, {"page": "2"})
    assert len(names(first)) == 50 and names(first)[0] == "City 00"
    assert names(second) == [f"City {n}" for n in range(50, 55)]


def test_the_home_page_figures_link_to_the_lists_they_count(client, places):
    html = client.get("/").text
    for url in ["/solutions/", "/cities/", "/networks/", "/transfers/"]:
        assert f'<dt><a href="{url}' in html, url


def test_the_index_runs_the_same_exact_queries_for_3_cities_and_for_60(
    client, django_assert_num_queries
):
    theme = make_theme()

    made = []

    def add_rows(n):
        for _ in range(n):
            made.append(make_city(population=1_000_000 + len(made)))  # the newest is largest
            make_solution(city=made[-1], themes=[theme])
        return made[-1].name

    # Choices (places; networks; themes), one count per facet (6), the total and the page.
    assert_queries_do_not_grow(
        client, URL + "?sort=population", add_rows, django_assert_num_queries, 11, warm=1
    )
    assert reverse("solutions:cities") == URL

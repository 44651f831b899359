"""A city's page as a visitor sees it: its facts, its solutions, the transfers it took part
in and its networks, in a fixed number of queries."""

import itertools

import pytest
from django.urls import reverse

from tests.support.factories import (
    make_city,
    make_membership,
    make_network,
    make_newest_solution,
    make_solution,
    make_transfer,
)
from tests.support.html_pages import (
    card_titles,
    get_html,
    list_items,
    part,
    transfer_ids,
    transfer_rows,
)
from tests.support.queries import assert_queries_do_not_grow
from tests.support.world import assert_no_unpublished_solution, at, public_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return public_world()


def city_url(slug):
    return reverse("cities:detail", kwargs={"slug": slug})


def test_city_page_shows_population_size_class_country_and_region(client, world):
    html = get_html(client, city_url("nairobi"))

    facts = part(html, '<dl class="facts">', "</dl>")
    assert "<dt>Country</dt><dd>Kenya</dd>" in facts
    assert "<dt>Region</dt><dd>Africa (Sub-Saharan Africa)</dd>" in facts
    assert "<dt>Area</dt><dd>Nairobi County</dd>" in facts
    assert "<dt>Population</dt><dd>4,397,073 (2019) · 1 to 10 million</dd>" in facts


@pytest.mark.parametrize(
    "population, label",
    [
        (99_999, "Under 100,000"),
        (100_000, "100,000 to 1 million"),
        (999_999, "100,000 to 1 million"),
        (1_000_000, "1 to 10 million"),
        (10_000_000, "10 million and over"),
    ],
)
def test_city_page_names_the_size_class_of_its_population(client, db, population, label):
    city = make_city(name="Sizeville", slug="sizeville", population=population)

    html = get_html(client, city.get_absolute_url())

    assert f"{population:,} · {label}</dd>" in html


def test_city_page_lists_solutions_that_started_there_published_only(client, world):
    html = get_html(client, city_url("nairobi"))

    started = part(html, '<section aria-labelledby="solutions-heading">')
    assert card_titles(started) == ["Matatu route mapping", "Community toilet blocks"]
    assert_no_unpublished_solution(html)


def test_city_page_lists_solutions_it_adopted_and_where_its_own_went(client, world):
    html = get_html(client, city_url("nairobi"))

    adopted = part(html, '<section aria-labelledby="adopted-heading">')
    assert transfer_rows(adopted) == {
        world.t4.pk: [
            "Tram priority lanes",
            "Lisbon, Portugal",
            "Nairobi, Kenya",
            "—",
            "Adapted",
            "2022",
        ]
    }
    sent = part(html, '<section aria-labelledby="sent-heading">')
    assert transfer_ids(sent) == [world.t2.pk, world.t1.pk]
    assert transfer_rows(sent)[world.t1.pk] == [
        "Community toilet blocks",
        "Nairobi, Kenya",
        "Mombasa, Kenya",
        "C2C",
        "Adopted",
        "2018–2020",
    ]


def test_city_page_groups_what_it_took_up_by_how_it_turned_out(client, world):
    from tests.support.factories import make_transfer

    dropped = make_transfer(world.kiosks, adopting_city=world.porto, status="discontinued")
    adopted = make_transfer(world.matatu, adopting_city=world.porto, status="adopted")
    html = get_html(client, city_url("porto"))

    sections = {
        "adopted-heading": [adopted.pk],
        "under-way-heading": [world.t3.pk],
        "discontinued-heading": [dropped.pk],
    }
    for heading, ids in sections.items():
        assert transfer_ids(part(html, f'<section aria-labelledby="{heading}">')) == ids, heading


def test_city_page_without_transfers_says_so(client, world):
    html = get_html(client, city_url("porto"))

    assert "No published solutions from this city yet." in html
    assert "None of its solutions has been recorded elsewhere yet." in html
    # Porto's one incoming transfer is only proposed: not under "Solutions it adopted".
    adopted = part(html, '<section aria-labelledby="adopted-heading">')
    assert transfer_ids(adopted) == []
    assert "No adopted solutions recorded." in adopted
    under_way = part(html, '<section aria-labelledby="under-way-heading">')
    assert transfer_ids(under_way) == [world.t3.pk]
    assert "Tried and discontinued" not in html


def test_city_page_lists_its_networks_with_role_and_joining_year(client, world):
    html = get_html(client, city_url("nairobi"))

    networks = part(html, '<section aria-labelledby="networks-heading">')
    assert list_items(networks) == [
        "City2City Network · Lead city since 2010",
        "Eurocities Exchange · Member since 2018",
    ]
    assert '<a href="/networks/city2city/">City2City Network</a>' in networks


def test_city_page_lists_the_newest_twenty_solutions_and_links_to_all(client):
    city = make_city(slug="big-city")
    for n in range(25):
        make_solution(title=f"Case {n:02d}", city=city, published_at=at(2020, 1, n + 1))

    html = get_html(client, city.get_absolute_url())

    assert card_titles(html) == [f"Case {n:02d}" for n in range(24, 4, -1)]
    assert '<a href="/solutions/?city=big-city">All 25 solutions from ' in html


_serial = itertools.count(1)


def test_city_page_runs_the_same_exact_queries_for_3_rows_and_for_60(
    client, django_assert_num_queries
):
    city = make_city(name="Hub city", slug="hub-city")

    def add(count):
        for _ in range(count):
            n = next(_serial)
            make_transfer(make_newest_solution(city=city))  # its own solution, sent elsewhere
            make_transfer(make_newest_solution(), adopting_city=city)  # a solution it adopted
            network = make_network(name=f"Member network {n:05}", slug=f"member-network-{n}")
            make_membership(network=network, city=city, since_year=2000)
        return network.name

    # Cold: the page's own 11, and 8 for its map and "cities like this one", both cached
    # until the content changes, so a warm page runs only its own 7.
    assert_queries_do_not_grow(
        client, city.get_absolute_url(), add, django_assert_num_queries, queries=19, warm=7
    )

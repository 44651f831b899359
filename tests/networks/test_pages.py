"""The network list and a network's page as a visitor sees them: facts, member cities,
solutions and brokered transfers, in a fixed number of queries."""

import itertools
import re

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
    h1_texts,
    list_items,
    part,
    text_of,
    transfer_ids,
    transfer_rows,
)
from tests.support.queries import assert_queries_do_not_grow
from tests.support.world import assert_no_unpublished_solution, at, public_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return public_world()


def network_url(slug):
    return reverse("networks:detail", kwargs={"slug": slug})


def test_network_index_lists_every_network_with_its_facts_and_counts(client, world):
    html = get_html(client, reverse("networks:index"))

    cards = [
        text_of(card) for card in re.findall(r'<article class="card">(.*?)</article>', html, re.S)
    ]
    assert cards == [
        "City2City Network (C2C) Peer learning between African cities "
        "Since 2010 · 3 current member cities listed · 3 published solutions",
        "Eurocities Exchange (EUX) European cities swapping what works "
        "Since 1986 · 3 current member cities listed · 1 published solution",
        "Quiet Network 0 current member cities listed · 0 published solutions",
    ]
    assert '<a href="/networks/city2city/">City2City Network</a>' in html


def test_network_page_shows_facts_and_description(client, world):
    html = get_html(client, network_url("city2city"))

    assert h1_texts(html) == ["City2City Network (C2C)"]
    facts = part(html, '<dl class="facts">', "</dl>")
    assert "<dt>Founded</dt><dd>2010</dd>" in facts
    assert "<dt>Run by</dt><dd>United Cities Africa</dd>" in facts
    assert '<dt>Website</dt><dd><a href="https://c2c.example.org"' in facts
    assert "Cities <strong>learn from each other</strong>." in html


def test_network_page_lists_member_cities_with_region_and_joining_year(client, world):
    html = get_html(client, network_url("city2city"))

    members = part(html, '<section id="members"')
    assert list_items(members) == [
        "Kampala, Uganda (Sub-Saharan Africa), joined 2015",
        "Mombasa, Kenya (Sub-Saharan Africa), joined 2012",
        "Nairobi, Kenya (Sub-Saharan Africa), joined 2010",
    ]
    assert '<a href="/cities/kampala/">Kampala</a>' in members


def test_network_page_lists_published_solutions_it_documented(client, world):
    html = get_html(client, network_url("city2city"))

    documented = part(html, '<section aria-labelledby="solutions-heading">')
    assert card_titles(documented) == [
        "Matatu route mapping",
        "Community toilet blocks",
        "Water kiosks",
    ]
    assert_no_unpublished_solution(html)


def test_network_page_lists_transfers_it_brokered_of_published_solutions(client, world):
    html = get_html(client, network_url("city2city"))

    brokered = part(html, '<section aria-labelledby="transfers-heading">')
    assert transfer_ids(brokered) == [world.t2.pk, world.t1.pk]
    assert transfer_rows(brokered)[world.t2.pk] == [
        "Community toilet blocks",
        "Nairobi, Kenya",
        "Kampala, Uganda",
        "C2C",
        "In progress",
        "2021",
    ]


def test_network_page_without_anything_published_says_so(client, world):
    html = get_html(client, network_url("quiet"))

    assert "No member cities recorded." in html
    assert "No published solutions yet." in html
    assert "No transfers recorded." in html
    assert_no_unpublished_solution(html)


def test_network_index_counts_only_cities_that_are_still_members(client):
    network = make_network(name="Leavers Network", slug="leavers")
    make_membership(network=network, since_year=2001)
    make_membership(network=network, since_year=2001, until_year=2010)

    html = get_html(client, reverse("networks:index"))

    assert "1 current member city listed" in html


def test_network_page_lists_the_newest_twenty_solutions_and_links_to_all(client):
    network = make_network(slug="big-network", acronym="BIG")
    for n in range(25):
        make_solution(title=f"Case {n:02d}", network=network, published_at=at(2020, 1, n + 1))

    html = get_html(client, network.get_absolute_url())

    documented = part(html, '<section aria-labelledby="solutions-heading">')
    assert card_titles(documented) == [f"Case {n:02d}" for n in range(24, 4, -1)]
    assert '<a href="/solutions/?network=big-network">All 25 solutions documented by ' in html


_serial = itertools.count(1)


def test_network_index_runs_the_same_exact_queries_for_3_rows_and_for_60(
    client, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            n = next(_serial)
            network = make_network(name=f"Listed network {n:05}", slug=f"listed-{n}")
            make_membership(network=network)
            make_newest_solution(network=network)
        return network.name

    assert_queries_do_not_grow(
        client, reverse("networks:index"), add, django_assert_num_queries, queries=1, warm=1
    )


def test_network_page_runs_the_same_exact_queries_for_3_rows_and_for_60(
    client, django_assert_num_queries
):
    network = make_network(name="Hub network", slug="hub-network")

    def add(count):
        for _ in range(count):
            n = next(_serial)
            city = make_city(name=f"Member city {n:05}", slug=f"member-city-{n}")
            make_membership(network=network, city=city, since_year=2001)
            make_transfer(make_newest_solution(network=network, city=city), network=network)
        return city.name

    assert_queries_do_not_grow(
        client, network.get_absolute_url(), add, django_assert_num_queries, queries=11, warm=6
    )

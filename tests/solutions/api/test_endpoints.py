"""The API's answers: only published content, in the documented shape, filtered exactly as the
HTML lists filter, every item on exactly one page, in a fixed number of queries."""

import json
import re

import pytest

from solutions.models import Status
from tests.solutions.api.conftest import HIDDEN_STATUSES
from tests.support.factories import (
    make_city,
    make_membership,
    make_newest_solution,
    make_partner,
    make_transfer,
)
from tests.support.html_pages import card_titles, transfer_ids
from tests.support.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

LISTS = ["solutions", "cities", "networks", "themes", "transfers"]


def get_json(api, url, status=200):
    response = api.get(url)
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def every_item(api, url):
    """Every item of a list, following its `next` links; and the pages' count."""
    items, pages = [], 0
    while url:
        page = get_json(api, url)
        items += page["results"]
        pages += 1
        url = page["next"]
    return items, pages


def test_no_answer_shows_anything_unpublished(api, world):
    answers = []
    for name in LISTS:
        items, _pages = every_item(api, f"/api/v1/{name}/?page_size=100")
        answers.append(json.dumps(items))
        for item in items:
            answers.append(json.dumps(get_json(api, item["api_url"])))
    everything = "\n".join(answers)
    assert "Water kiosks" in everything  # the check can see a title when there is one
    for hidden in world["hidden"].values():
        assert hidden.title not in everything
        assert hidden.slug not in everything
        get_json(api, f"/api/v1/solutions/{hidden.slug}/", status=404)
    assert "not public" not in everything


def test_counts_leave_out_what_is_not_published(api, world):
    themes = {t["slug"]: t["published_count"] for t in get_json(api, "/api/v1/themes/")["results"]}
    assert themes == {"water": 2, "energy": 2}
    networks = {n["slug"]: n for n in get_json(api, "/api/v1/networks/")["results"]}
    assert networks["city2city"]["published_count"] == 2
    assert networks["city2city"]["member_count"] == 1  # Pune left in 2019
    cities = {c["slug"]: c for c in get_json(api, "/api/v1/cities/")["results"]}
    # Osaka took up only transfers of hidden case studies: they do not count.
    assert {slug: c["solution_count"] for slug, c in cities.items()} == {
        "lima-pe": 1,
        "nairobi-ke": 1,
        "osaka-jp": 1,
        "pune-in": 1,
    }
    assert cities["osaka-jp"]["adopted_count"] == 0
    assert cities["nairobi-ke"]["adopted_count"] == 1
    assert (cities["pune-in"]["sent_count"], cities["nairobi-ke"]["sent_count"]) == (1, 1)
    assert cities["osaka-jp"]["sent_count"] == 0
    assert "quiet-town" not in cities  # only hidden work: not listed


def test_a_case_study_holds_every_section_and_everything_attached(api, world):
    data = get_json(api, "/api/v1/solutions/water-kiosks-pune/")
    assert data["url"] == "http://testserver/solutions/water-kiosks-pune/"
    assert data["api_url"] == "http://testserver/api/v1/solutions/water-kiosks-pune/"
    assert data["problem"] == "Taps ran dry in **summer**."  # the Markdown as written
    assert data["funding"] == "The water utility."
    assert data["stage"] == {"value": "implemented", "label": "Implemented"}
    assert [t["slug"] for t in data["themes"]] == ["water", "energy"]
    assert data["tags"] == ["kiosks", "tariffs"]
    assert [g["number"] for g in data["sdgs"]] == [6, 11]
    assert data["city"]["country"] == "IN" and data["city"]["region"] == "asia"
    assert data["network"]["slug"] == "city2city"
    assert data["cost_usd"] == 120_000 and (data["start_year"], data["end_year"]) == (2016, 2020)
    assert data["published_at"].startswith("2024-03-01T09:00:00")
    assert data["partners"] == [
        {
            "name": "Kiosk Operators' Union",
            "sector": {"value": "community", "label": "Community and grassroots"},
            "role": "Runs them.",
        }
    ]
    assert data["sources"] == [{"title": "Utility report", "url": "https://example.org/r"}]
    [image] = data["images"]
    assert image["alt_text"] == "A kiosk with a queue of people"
    assert image["url"].startswith("http://testserver/") and image["url"].endswith("kiosk.jpg")
    [indicator] = data["indicators"]
    assert indicator["name"] == "Households served"
    assert [m["year"] for m in indicator["measurements"]] == [2016, 2018, 2020]
    assert indicator["trend"]["value"] == "improving"
    [transfer] = data["transfers"]
    assert transfer["adopting_city"]["slug"] == "nairobi-ke"
    assert transfer["status"] == {"value": "adapted", "label": "Adapted"}
    assert transfer["crosses_national_border"] is True
    # The contact's e-mail address is for people on the page, not for harvesters.
    assert data["contact"] == {"name": "A. Officer", "organisation": "Pune Water"}
    assert "officer@example.org" not in json.dumps(data)


def test_a_network_lists_its_members_past_and_present(api, world):
    data = get_json(api, "/api/v1/networks/city2city/")
    members = [(m["city"]["slug"], m["since_year"], m["until_year"]) for m in data["members"]]
    assert members == [("pune-in", 2012, 2019), ("quiet-town", 2010, None)]
    # A member city without published work still has its API resource, with counts of 0.
    quiet = get_json(api, data["members"][1]["city"]["api_url"])
    assert (quiet["solution_count"], quiet["adopted_count"]) == (0, 0)
    get_json(api, "/api/v1/cities/not-a-city/", status=404)


def html_titles(client, query):
    return card_titles(client.get(f"/solutions/?{query}").content.decode())


@pytest.mark.parametrize(
    "query",
    [
        "",
        "theme=water",
        "theme=water&theme=energy",
        "region=asia",
        "region=asia&theme=water",
        "theme=not-a-theme&region=asia",
        "q=kiosk",
        "q=kiosks+-tariffs",
        "q=%22water+kiosks%22",
        "network=city2city&year_from=2015",
        "year_from=2012&year_to=2018&sort=title",
        "tag=sanitation",
        "sdg=6",
        "stage=pilot",
        "size=large&sort=newest",
        "country=KE&country=JP",
        "sort=nonsense&year_from=abc",
    ],
)
def test_a_query_string_finds_what_the_html_list_finds_in_its_order(api, client, world, query):
    items, _pages = every_item(api, f"/api/v1/solutions/?{query}&page_size=100")
    assert [item["title"] for item in items] == html_titles(client, query)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"water-kiosks-pune", "toilets-nairobi"}),
        ("from_region=asia&to_region=africa", {"water-kiosks-pune"}),
        ("from_subregion=sub-saharan-africa", {"toilets-nairobi"}),
        ("to_subregion=latin-america-and-the-caribbean", {"toilets-nairobi"}),
        ("status=adapted", {"water-kiosks-pune"}),
        ("crossing=national&network=mip", {"toilets-nairobi"}),
        ("to_region=asia", set()),  # only hidden case studies travelled to Osaka
    ],
)
def test_transfers_filter_by_direction(api, world, query, expected):
    items, _pages = every_item(api, f"/api/v1/transfers/?{query}")
    assert {item["solution"]["slug"] for item in items} == expected


@pytest.mark.parametrize(
    "query",
    ["", "region=asia", "sort=population", "sort=solutions", "q=osa", "network=city2city"],
)
def test_cities_match_the_cities_index(api, client, world, query):
    items, _pages = every_item(api, f"/api/v1/cities/?{query}&page_size=100")
    html = client.get(f"/cities/?{query}").content.decode()
    listed = re.findall(r'<a href="/cities/([\w-]+)/"', html.split('id="results"')[1])
    assert [item["slug"] for item in items] == list(dict.fromkeys(listed))


@pytest.mark.parametrize(
    "query", ["", "from_region=asia", "status=proposed", "crossing=national", "network=mip"]
)
def test_transfers_match_the_transfers_page(api, client, world, query):
    items, _pages = every_item(api, f"/api/v1/transfers/?{query}&page_size=100")
    html = client.get(f"/transfers/?{query}").content.decode()
    assert [item["id"] for item in items] == transfer_ids(html)


def test_cities_filter_and_sort_like_the_cities_index(api, world):
    by_population, _ = every_item(api, "/api/v1/cities/?sort=population")
    assert [c["slug"] for c in by_population] == ["lima-pe", "nairobi-ke", "pune-in", "osaka-jp"]
    in_africa, _ = every_item(api, "/api/v1/cities/?region=africa")
    assert [c["slug"] for c in in_africa] == ["nairobi-ke"]
    members, _ = every_item(api, "/api/v1/cities/?network=city2city")
    assert [c["slug"] for c in members] == ["pune-in"]  # Quiet Town has no published work


@pytest.mark.parametrize("name", LISTS)
def test_pages_hold_every_item_exactly_once(api, world, name):
    everything, _ = every_item(api, f"/api/v1/{name}/?page_size=100")
    one_by_one, pages = every_item(api, f"/api/v1/{name}/?page_size=1")
    assert pages == len(everything) > 1
    key = "id" if name == "transfers" else "slug"
    assert [item[key] for item in one_by_one] == [item[key] for item in everything]


def test_a_page_past_the_end_or_too_big_is_answered_plainly(api, world):
    assert get_json(api, "/api/v1/solutions/?page=99", status=404) == {"detail": "Invalid page."}
    page = get_json(api, "/api/v1/solutions/?page_size=100000")
    assert len(page["results"]) == 4  # at most 100 a page: all four here


def test_an_unknown_api_address_is_a_json_404(api, world):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


# Exact query counts, the same with 3 rows as with 60.


def counter(add_one):
    created = []

    def add_rows(n):
        for _ in range(n):
            created.append(add_one(len(created)))
        return created[-1]

    return add_rows


def test_solution_list_queries_do_not_grow(client, django_assert_num_queries, db):
    def add_one(i):
        return make_newest_solution(title=f"Listed {i:03}").title

    # Cold: the filters' choices (themes, cities with their counts, networks, tags with
    # theirs: 6, cached as for the HTML list), then the count, the page, its themes, tags and
    # goals. Warm: only the last five.
    assert_queries_do_not_grow(
        client,
        "/api/v1/solutions/?page_size=100",
        counter(add_one),
        django_assert_num_queries,
        11,
        warm=5,
    )


def test_solution_detail_queries_do_not_grow(client, django_assert_num_queries, world):
    kiosks = world["kiosks"]

    def add_one(i):
        make_partner(kiosks, name=f"Partner {i:03}")
        make_transfer(kiosks, adopting_city=make_city(name=f"Adopter {i:03}", country="TZ"))
        return f"Adopter {i:03}"

    # The case study with its city and network, then its themes, tags, goals, partners,
    # sources, images, indicators, measurements and transfers.
    assert_queries_do_not_grow(
        client,
        "/api/v1/solutions/water-kiosks-pune/",
        counter(add_one),
        django_assert_num_queries,
        10,
    )


def test_city_list_queries_do_not_grow(client, django_assert_num_queries, db):
    def add_one(i):
        city = make_city(name=f"Town {i:03}", slug=f"town-{i}")
        make_newest_solution(city=city)
        return city.name

    assert_queries_do_not_grow(
        client,
        "/api/v1/cities/?page_size=100",
        counter(add_one),
        django_assert_num_queries,
        5,  # the filters' choices (3, cached), the count and the page
        warm=2,
    )


def test_network_detail_queries_do_not_grow(client, django_assert_num_queries, world):
    network = world["networks"]["mip"]

    def add_one(i):
        return make_membership(network=network, city=make_city(name=f"Member {i:03}")).city.name

    assert_queries_do_not_grow(
        client, "/api/v1/networks/mip/", counter(add_one), django_assert_num_queries, 2
    )


def test_theme_list_queries_do_not_grow(client, django_assert_num_queries, db):
    def add_one(i):
        return make_newest_solution().themes.get().name

    assert_queries_do_not_grow(
        client, "/api/v1/themes/?page_size=100", counter(add_one), django_assert_num_queries, 2
    )


def test_network_list_queries_do_not_grow(client, django_assert_num_queries, db):
    assert_queries_do_not_grow(
        client,
        "/api/v1/networks/?page_size=100",
        counter(lambda i: make_newest_solution().network.name),
        django_assert_num_queries,
        2,
    )


def test_transfer_list_queries_do_not_grow(client, django_assert_num_queries, db):
    def add_one(i):
        transfer = make_transfer(adopting_city=make_city(name=f"Adopter {i:03}", country="TZ"))
        return transfer.adopting_city.name

    assert_queries_do_not_grow(
        client,
        "/api/v1/transfers/?page_size=100",
        counter(add_one),
        django_assert_num_queries,
        3,  # the networks to filter by, the count and the page
    )


def test_hidden_statuses_cover_every_status_but_published():
    assert set(HIDDEN_STATUSES) | {Status.PUBLISHED} == set(Status)

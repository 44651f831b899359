"""The solution list and a theme's page: what a visitor sees and which solutions are listed.

Filters, facet counts, chips, sorting, pagination, search and the notices for values the
site does not know. Every test builds only the rows it needs.
"""

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from solutions.models import Stage, Status
from tests.support.asserts import assert_not_found
from tests.support.factories import make_city, make_network, make_solution, make_theme
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

LIST_URL = reverse("solutions:list")
UNPUBLISHED = [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ARCHIVED]
FORM_FIELDS = {
    "q",
    "theme",
    "region",
    "subregion",
    "country",
    "city",
    "network",
    "stage",
    "sdg",
    "tag",
    "size",
    "year_from",
    "year_to",
    "sort",
}


def on(day):
    """A publication date in January 2025."""
    return datetime(2025, 1, day, 9, tzinfo=UTC)


def url(path=LIST_URL, **params):
    query = urlencode(params, doseq=True)
    return f"{path}?{query}" if query else path


def get(client, path=LIST_URL, **params):
    response = client.get(url(path, **params))
    assert response.status_code == 200
    return response


def titles(response):
    """The titles on the shown page, in order."""
    return [solution.title for solution in response.context["solutions"]]


def listed(response):
    return set(titles(response))


def total(response):
    return response.context["page_obj"].paginator.count


def group(response, name):
    matches = [g for g in response.context["groups"] if g.name == name]
    assert len(matches) == 1, f"no single {name} group"
    return matches[0]


def counts(response, name):
    return {option.value: option.count for option in group(response, name).options}


def checked(response, name):
    return {option.value for option in group(response, name).options if option.checked}


def notices(response):
    return response.context["notices"]


def query_of(link):
    """The parameters of a link, as {name: sorted values}."""
    return {name: sorted(values) for name, values in parse_qs(urlsplit(link).query).items()}


def filter_form(response):
    return read_form(response, css_class="filters")


# 1. Only published solutions


def test_only_published_solutions_are_listed_even_when_they_match_filters_and_search(client):
    theme = make_theme(name="Water", slug="water")
    city = make_city(name="Nairobi", country="KE")
    network = make_network()
    common = {"themes": [theme], "city": city, "network": network, "stage": Stage.PILOT}
    make_solution(title="Rainwater published", status=Status.PUBLISHED, **common)
    for status in UNPUBLISHED:
        make_solution(title=f"Rainwater {status}", status=status, **common)

    everything = get(client)
    filtered = get(
        client,
        q="rainwater",
        theme="water",
        region="africa",
        country="KE",
        city=city.slug,
        network=network.slug,
        stage="pilot",
        year_from="2015",
        year_to="2015",
    )
    on_theme_page = get(client, reverse("solutions:theme", kwargs={"slug": "water"}))

    for response in (everything, filtered, on_theme_page):
        assert listed(response) == {"Rainwater published"}
        assert total(response) == 1
        for status in UNPUBLISHED:
            assertNotContains(response, f"Rainwater {status}")


def test_facet_counts_do_not_count_unpublished_solutions(client):
    theme = make_theme(slug="energy")
    network = make_network(slug="net")
    make_solution(themes=[theme], network=network, stage=Stage.SCALED)
    for status in UNPUBLISHED:
        make_solution(themes=[theme], network=network, stage=Stage.SCALED, status=status)

    response = get(client)

    assert counts(response, "theme")["energy"] == 1
    assert counts(response, "network")["net"] == 1
    assert counts(response, "stage")["scaled"] == 1
    assert counts(response, "region")["africa"] == 1


def test_cities_countries_and_tags_of_unpublished_solutions_are_not_offered(client):
    make_solution(city=make_city(slug="shown", country="KE"), tags=["shown tag"])
    make_solution(
        city=make_city(slug="hidden", country="JP"), tags=["hidden tag"], status=Status.DRAFT
    )

    response = get(client, city="hidden", tag="hidden-tag", country="JP")

    assert [o.value for o in group(response, "city").options] == ["shown"]
    assert [o.value for o in group(response, "country").options] == ["KE"]
    assert [o.value for o in group(response, "tag").options] == ["shown-tag"]
    assert "Ignored the unknown city “hidden”." in notices(response)
    assert "Ignored the unknown tag “hidden-tag”." in notices(response)
    assert "Ignored the unknown country “JP”." in notices(response)
    assert total(response) == 1


# 2. Every filter


def test_theme_filter_lists_solutions_in_any_chosen_theme(client):
    water, energy, food = (make_theme(slug=s) for s in ("water", "energy", "food"))
    make_solution(title="Wells", themes=[water])
    make_solution(title="Solar", themes=[energy])
    make_solution(title="Both", themes=[water, energy])
    make_solution(title="Gardens", themes=[food])
    make_solution(title="No theme")

    assert listed(get(client, theme="water")) == {"Wells", "Both"}
    both_themes = get(client, theme=["water", "energy"])
    assert listed(both_themes) == {"Wells", "Solar", "Both"}
    assert total(both_themes) == 3  # a solution in both themes is listed once


def test_region_filter_uses_the_origin_citys_world_region(client):
    make_solution(title="Nairobi", city=make_city(country="KE"))
    make_solution(title="Osaka", city=make_city(country="JP"))
    make_solution(title="Lyon", city=make_city(country="FR"))

    assert listed(get(client, region="asia")) == {"Osaka"}
    assert listed(get(client, region=["asia", "europe"])) == {"Osaka", "Lyon"}


def test_subregion_filter_uses_the_un_m49_subregions_with_counts_beside_the_continents(client):
    make_solution(title="Mexico City", city=make_city(country="MX"))
    make_solution(title="Bogota", city=make_city(country="CO"))
    make_solution(title="Chicago", city=make_city(country="US"))
    make_solution(title="Lagos", city=make_city(country="NG"))
    make_solution(title="Cairo", city=make_city(country="EG"))

    latin = get(client, subregion="latin-america-and-the-caribbean")
    assert listed(latin) == {"Mexico City", "Bogota"}
    # Mexico City's continent is North America; its sub-region is Latin America.
    assert listed(get(client, region="north-america")) == {"Mexico City", "Chicago"}
    assert counts(latin, "subregion") == {
        "latin-america-and-the-caribbean": 2,
        "northern-america": 1,
        "sub-saharan-africa": 1,
        "northern-africa": 1,
    }
    assert counts(latin, "region")["north-america"] == 1  # under the sub-region filter
    # Only the sub-regions that have solutions are offered, in the UN's order.
    assert [option.value for option in group(latin, "subregion").options] == [
        "northern-africa",
        "sub-saharan-africa",
        "latin-america-and-the-caribbean",
        "northern-america",
    ]
    assert [chip.label for chip in latin.context["chips"]] == [
        "Sub-region (UN): Latin America and the Caribbean"
    ]
    both = get(client, subregion=["sub-saharan-africa", "northern-africa"])
    assert listed(both) == {"Lagos", "Cairo"}


def test_country_filter_uses_iso_codes(client):
    make_solution(title="Kenyan", city=make_city(country="KE"))
    make_solution(title="Tanzanian", city=make_city(country="TZ"))
    make_solution(title="Ugandan", city=make_city(country="UG"))

    assert listed(get(client, country="KE")) == {"Kenyan"}
    assert listed(get(client, country=["KE", "UG"])) == {"Kenyan", "Ugandan"}


def test_city_filter_uses_city_slugs(client):
    make_solution(title="In Nairobi", city=make_city(slug="nairobi"))
    make_solution(title="In Mombasa", city=make_city(slug="mombasa"))
    make_solution(title="In Kisumu", city=make_city(slug="kisumu"))

    assert listed(get(client, city="nairobi")) == {"In Nairobi"}
    assert listed(get(client, city=["nairobi", "kisumu"])) == {"In Nairobi", "In Kisumu"}


def test_network_filter_uses_network_slugs(client):
    make_solution(title="By ICLEI", network=make_network(slug="iclei"))
    make_solution(title="By C40", network=make_network(slug="c40"))
    make_solution(title="By UCLG", network=make_network(slug="uclg"))

    assert listed(get(client, network="c40")) == {"By C40"}
    assert listed(get(client, network=["c40", "uclg"])) == {"By C40", "By UCLG"}


def test_stage_filter(client):
    make_solution(title="Pilot", stage=Stage.PILOT)
    make_solution(title="Scaled", stage=Stage.SCALED)
    make_solution(title="Idea", stage=Stage.IDEA)

    assert listed(get(client, stage="pilot")) == {"Pilot"}
    assert listed(get(client, stage=["pilot", "idea"])) == {"Pilot", "Idea"}


def test_sdg_filter_takes_goal_numbers(client):
    water = make_solution(title="Water goal")
    water.sdgs.set([6])
    climate = make_solution(title="Climate goal")
    climate.sdgs.set([13])
    both = make_solution(title="Both goals")
    both.sdgs.set([6, 13])
    make_solution(title="No goal")

    assert listed(get(client, sdg="6")) == {"Water goal", "Both goals"}
    either = get(client, sdg=["6", "13"])
    assert listed(either) == {"Water goal", "Climate goal", "Both goals"}
    assert total(either) == 3


def test_tag_filter_takes_tag_slugs(client):
    make_solution(title="Tagged", tags=["Rain water"])
    make_solution(title="Other tag", tags=["Solar"])
    make_solution(title="Both tags", tags=["Rain water", "Solar"])
    make_solution(title="Untagged")

    assert listed(get(client, tag="rain-water")) == {"Tagged", "Both tags"}
    either = get(client, tag=["rain-water", "solar"])
    assert listed(either) == {"Tagged", "Other tag", "Both tags"}
    assert total(either) == 3


def test_size_filter_groups_cities_by_population_at_the_class_boundaries(client):
    for title, population in [
        ("Small 99,999", 99_999),
        ("Medium 100,000", 100_000),
        ("Medium 999,999", 999_999),
        ("Large 1,000,000", 1_000_000),
        ("Large 9,999,999", 9_999_999),
        ("Mega 10,000,000", 10_000_000),
        ("Unknown size", None),
    ]:
        make_solution(title=title, city=make_city(population=population))

    assert listed(get(client, size="small")) == {"Small 99,999"}
    assert listed(get(client, size="medium")) == {"Medium 100,000", "Medium 999,999"}
    assert listed(get(client, size="large")) == {"Large 1,000,000", "Large 9,999,999"}
    assert listed(get(client, size="mega")) == {"Mega 10,000,000"}
    assert listed(get(client, size=["small", "mega"])) == {"Small 99,999", "Mega 10,000,000"}


def test_year_range_filters_on_start_year_inclusive(client):
    for year in (2009, 2010, 2015, 2020, 2021):
        make_solution(title=f"Started {year}", start_year=year)
    make_solution(title="Start unknown", start_year=None)

    assert listed(get(client, year_from="2010", year_to="2020")) == {
        "Started 2010",
        "Started 2015",
        "Started 2020",
    }
    assert listed(get(client, year_from="2020")) == {"Started 2020", "Started 2021"}
    assert listed(get(client, year_to="2010")) == {"Started 2009", "Started 2010"}


def test_different_filters_combine_with_and(client):
    water = make_theme(slug="water")
    kenya, japan = make_city(country="KE"), make_city(country="JP")
    make_solution(title="Kenyan water pilot", themes=[water], city=kenya, stage=Stage.PILOT)
    make_solution(title="Kenyan water scaled", themes=[water], city=kenya, stage=Stage.SCALED)
    make_solution(title="Japanese water pilot", themes=[water], city=japan, stage=Stage.PILOT)
    make_solution(title="Kenyan pilot", city=kenya, stage=Stage.PILOT)

    response = get(client, theme="water", region="africa", stage="pilot")
    assert listed(response) == {"Kenyan water pilot"}

    response = get(client, theme="water", region=["africa", "asia"], stage="pilot")
    assert listed(response) == {"Kenyan water pilot", "Japanese water pilot"}


def test_every_filter_at_once_narrows_to_the_one_solution_matching_all(client):
    theme = make_theme(slug="water")
    city = make_city(slug="nairobi", country="KE", population=4_000_000)
    network = make_network(slug="c2c")
    fields = {"themes": [theme], "city": city, "network": network, "tags": ["wells"]}
    match = make_solution(title="The match", stage=Stage.PILOT, start_year=2012, **fields)
    match.sdgs.set([6])
    near_miss = make_solution(title="Wrong stage", stage=Stage.IDEA, start_year=2012, **fields)
    near_miss.sdgs.set([6])
    make_solution(title="No goal", stage=Stage.PILOT, start_year=2012, **fields)
    too_late = make_solution(title="Too late", stage=Stage.PILOT, start_year=2019, **fields)
    too_late.sdgs.set([6])

    response = get(
        client,
        theme="water",
        region="africa",
        country="KE",
        city="nairobi",
        network="c2c",
        stage="pilot",
        sdg="6",
        tag="wells",
        size="large",
        year_from="2010",
        year_to="2015",
    )

    assert listed(response) == {"The match"}
    assert notices(response) == []


# 3. Facet counts


def test_facet_counts_of_other_groups_follow_the_region_filter_and_region_counts_ignore_it(
    client,
):
    water, energy = make_theme(slug="water"), make_theme(slug="energy")
    kenya, japan = make_city(country="KE"), make_city(country="JP")
    make_solution(themes=[water], city=kenya)
    make_solution(themes=[water, energy], city=kenya)
    make_solution(themes=[water], city=japan)
    make_solution(themes=[energy], city=japan)
    make_solution(themes=[energy], city=japan)

    response = get(client, region="asia")

    assert counts(response, "theme") == {"water": 1, "energy": 2}
    assert counts(response, "region")["asia"] == 3
    assert counts(response, "region")["africa"] == 2
    assert "europe" not in counts(response, "region")  # no solutions there: not offered
    assert checked(response, "region") == {"asia"}
    page = response.content.decode()
    assert re.search(r'value="africa" *>\s*Africa <span class="count">\(2\)</span>', page)
    assert re.search(r'value="asia" checked *>\s*Asia <span class="count">\(3\)</span>', page)


def test_theme_counts_ignore_the_theme_filter_and_other_counts_follow_it(client):
    water, energy = make_theme(slug="water"), make_theme(slug="energy")
    net_a, net_b = make_network(slug="net-a"), make_network(slug="net-b")
    make_solution(themes=[water], network=net_a, stage=Stage.PILOT)
    make_solution(themes=[water], network=net_b, stage=Stage.PILOT)
    make_solution(themes=[energy], network=net_b, stage=Stage.SCALED)

    response = get(client, theme="water")

    assert counts(response, "theme") == {"water": 2, "energy": 1}
    assert counts(response, "network") == {"net-a": 1, "net-b": 1}
    assert counts(response, "stage")["pilot"] == 2
    assert counts(response, "stage")["scaled"] == 0
    assert checked(response, "theme") == {"water"}


def test_network_and_stage_counts_follow_each_other_and_the_search(client):
    net_a, net_b = make_network(slug="net-a"), make_network(slug="net-b")
    make_solution(title="Rain pilot A", network=net_a, stage=Stage.PILOT)
    make_solution(title="Rain scaled A", network=net_a, stage=Stage.SCALED)
    make_solution(title="Rain pilot B", network=net_b, stage=Stage.PILOT)
    make_solution(title="Solar pilot B", network=net_b, stage=Stage.PILOT)

    response = get(client, q="rain", network="net-a", stage="pilot")

    assert listed(response) == {"Rain pilot A"}
    # network counts: search and stage=pilot, any network
    assert counts(response, "network") == {"net-a": 1, "net-b": 1}
    # stage counts: search and network=net-a, any stage
    assert counts(response, "stage")["pilot"] == 1
    assert counts(response, "stage")["scaled"] == 1
    assert counts(response, "stage")["idea"] == 0
    # theme and region counts: every other filter
    assert counts(response, "region")["africa"] == 1


def test_groups_without_facets_show_no_count(client):
    make_solution(tags=["wells"])

    response = get(client)

    for name in ("country", "city", "sdg", "tag"):
        assert all(option.count is None for option in group(response, name).options)
    assert [g.name for g in response.context["groups"]] == [
        "theme",
        "region",
        "subregion",
        "network",
        "stage",
        "size",
        "country",
        "city",
        "sdg",
        "tag",
    ]


# 4. Chips, "Clear all" and the result count


def test_active_filters_show_as_chips_with_readable_labels(client):
    make_theme(name="Water and sanitation", slug="water")
    make_solution(city=make_city(slug="nairobi", name="Nairobi", country="KE"))
    make_solution(city=make_city(country="JP"))  # regions are offered where there are solutions

    response = get(
        client,
        q="rain",
        theme="water",
        region=["africa", "asia"],
        city="nairobi",
        sdg="6",
        size="large",
        year_from="2010",
        year_to="2020",
    )

    assert [chip.label for chip in response.context["chips"]] == [
        "Search: “rain”",
        "Theme: Water and sanitation",
        "Region: Africa",
        "Region: Asia",
        "City size: 1 to 10 million",
        "City: Nairobi, Kenya",
        "Sustainable Development Goal: 6. Clean water and sanitation",
        "Started in or after 2010",
        "Started in or before 2020",
    ]
    assertContains(response, 'aria-label="Remove Region: Asia"')
    assertContains(response, f'<li><a href="{LIST_URL}">Clear all</a></li>', html=False)


def test_each_chip_remove_url_drops_exactly_its_value_and_keeps_the_rest(client):
    make_theme(slug="water")
    make_theme(slug="energy")
    make_solution(city=make_city(country="KE"), tags=["wells"])
    make_solution(city=make_city(country="JP"))
    state = {
        "theme": ["energy", "water"],
        "region": ["africa", "asia"],
        "stage": ["pilot"],
        "tag": ["wells"],
        "year_from": ["2010"],
        "year_to": ["2020"],
    }

    response = get(client, **state)
    chips = response.context["chips"]
    assert len(chips) == 8

    removed = []
    for chip in chips:
        assert chip.remove_url.startswith(f"{LIST_URL}?")
        remaining = query_of(chip.remove_url)
        dropped = [
            (name, value)
            for name, values in state.items()
            for value in values
            if value not in remaining.get(name, [])
        ]
        assert len(dropped) == 1, chip.label
        assert sum(len(v) for v in remaining.values()) == 7, chip.label
        removed.append(dropped[0])
    assert sorted(removed) == sorted((n, v) for n, values in state.items() for v in values)


def test_following_a_chip_shows_the_list_without_that_value(client):
    kenya, japan = make_city(country="KE"), make_city(country="JP")
    make_solution(title="Kenyan pilot", city=kenya, stage=Stage.PILOT)
    make_solution(title="Japanese pilot", city=japan, stage=Stage.PILOT)
    make_solution(title="Kenyan idea", city=kenya, stage=Stage.IDEA)

    response = get(client, region=["africa", "asia"], stage="pilot")
    assert listed(response) == {"Kenyan pilot", "Japanese pilot"}
    asia_chip = next(c for c in response.context["chips"] if c.label == "Region: Asia")

    after = client.get(asia_chip.remove_url)

    assert listed(after) == {"Kenyan pilot"}
    assert [chip.label for chip in after.context["chips"]] == ["Region: Africa", "Stage: Pilot"]
    assert checked(after, "region") == {"africa"}


def test_removing_the_search_chip_keeps_the_filters(client):
    make_solution(title="Rain in Kenya", city=make_city(country="KE"))
    make_solution(title="Sun in Kenya", city=make_city(country="KE"))

    response = get(client, q="rain", region="africa")
    search_chip = response.context["chips"][0]
    assert search_chip.label == "Search: “rain”"

    after = client.get(search_chip.remove_url)

    assert query_of(search_chip.remove_url) == {"region": ["africa"]}
    assert listed(after) == {"Rain in Kenya", "Sun in Kenya"}


def test_removing_the_search_chip_keeps_the_chosen_sort_order(client):
    make_solution(title="Rain")

    response = get(client, q="rain", sort="title", region="africa")
    search_chip = response.context["chips"][0]

    assert query_of(search_chip.remove_url) == {"region": ["africa"], "sort": ["title"]}


def test_no_chips_and_no_clear_all_without_filters(client):
    make_solution()

    response = get(client, sort="title", page="1")

    assert response.context["chips"] == []
    assertNotContains(response, "Clear all")
    assertNotContains(response, "Active filters")


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        (0, "<strong>0</strong> solutions"),
        (1, "<strong>1</strong> solution<"),
        (2, "<strong>2</strong> solutions"),
    ],
)
def test_result_count_text(client, published, expected):
    for _ in range(published):
        make_solution()
    make_solution(status=Status.DRAFT)

    response = get(client)

    assertContains(response, expected)


def test_result_count_counts_every_match_not_just_the_page_and_mentions_the_search(client):
    city = make_city()
    network = make_network()
    for n in range(23):
        make_solution(title=f"Rain {n}", city=city, network=network)
    make_solution(title="Sun", city=city, network=network)

    response = get(client, q="rain")

    assertContains(response, "<strong>23</strong> solutions matching your search")
    assert len(response.context["solutions"]) == 20


def test_empty_result_says_so_and_links_to_all_solutions(client):
    make_solution(title="Rain")

    response = get(client, q="snow")

    assert titles(response) == []
    assertContains(response, "<strong>0</strong> solutions")
    assertContains(response, "No solutions match")
    assertContains(response, f'<a href="{LIST_URL}">browse all solutions</a>')


# 5. Sorting


def test_newest_first_is_the_default_without_a_search(client):
    make_solution(title="Older", published_at=on(1))
    make_solution(title="Newest", published_at=on(20))
    make_solution(title="Middle", published_at=on(10))

    response = get(client)

    assert titles(response) == ["Newest", "Middle", "Older"]
    assert titles(get(client, sort="newest")) == ["Newest", "Middle", "Older"]
    assert filter_form(response).selected("sort") == ["newest"]


def test_title_sort_is_a_to_z(client):
    make_solution(title="Cycle lanes", published_at=on(3))
    make_solution(title="Allotments", published_at=on(1))
    make_solution(title="Bus rapid transit", published_at=on(2))

    response = get(client, sort="title")

    assert titles(response) == ["Allotments", "Bus rapid transit", "Cycle lanes"]
    assert filter_form(response).selected("sort") == ["title"]


def test_title_sort_ignores_letter_case(client):
    make_solution(title="Zero waste")
    make_solution(title="eBike sharing")
    make_solution(title="Allotments")

    assert titles(get(client, sort="title")) == ["Allotments", "eBike sharing", "Zero waste"]


def test_relevance_is_the_default_when_searching_and_ranks_a_title_match_first(client):
    make_solution(title="Street lighting", problem="Dark flooded streets.", published_at=on(20))
    make_solution(title="Flood barriers", published_at=on(1))
    make_solution(title="Park", summary="Parks that hold flood water.", published_at=on(10))

    response = get(client, q="flood")

    assert titles(response) == ["Flood barriers", "Park", "Street lighting"]
    assert filter_form(response).selected("sort") == ["relevance"]
    # other orders can still be chosen while searching
    assert titles(get(client, q="flood", sort="newest")) == [
        "Street lighting",
        "Park",
        "Flood barriers",
    ]
    assert titles(get(client, q="flood", sort="title")) == [
        "Flood barriers",
        "Park",
        "Street lighting",
    ]


def test_relevance_ties_are_broken_by_newest(client):
    make_solution(title="Flood maps", published_at=on(1))
    make_solution(title="Flood walls", published_at=on(5))

    assert titles(get(client, q="flood")) == ["Flood walls", "Flood maps"]


def test_sort_select_offers_relevance_only_when_searching(client):
    make_solution(title="Rain")

    without_search = filter_form(get(client))
    with_search = filter_form(get(client, q="rain"))

    assert without_search.options("sort") == ["newest", "title"]
    assert with_search.options("sort") == ["relevance", "newest", "title"]


def test_relevance_without_a_search_falls_back_to_newest(client):
    make_solution(title="Older", published_at=on(1))
    make_solution(title="Newer", published_at=on(2))

    response = get(client, sort="relevance")

    assert titles(response) == ["Newer", "Older"]
    assert filter_form(response).selected("sort") == ["newest"]
    assert notices(response) == []


# 6. Pagination


@pytest.fixture
def forty_five_african_solutions(db):
    city = make_city(country="KE")
    network = make_network()
    for n in range(45):
        make_solution(title=f"African {n:02d}", city=city, network=network, published_at=on(1))
    make_solution(title="Asian", city=make_city(country="JP"), network=network)


def test_forty_five_matches_make_three_pages_of_twenty(client, forty_five_african_solutions):
    pages = [get(client, region="africa", page=str(n)) for n in (1, 2, 3)]

    assert [len(page.context["solutions"]) for page in pages] == [20, 20, 5]
    assert pages[0].context["page_obj"].paginator.num_pages == 3
    shown = [title for page in pages for title in titles(page)]
    assert len(set(shown)) == 45
    assert "Asian" not in shown
    assertContains(pages[2], "Page 3 of 3")
    assertContains(pages[2], "<strong>45</strong> solutions")


def test_pagination_links_keep_the_active_filters(client, forty_five_african_solutions):
    page_two = get(client, region="africa", sort="title", page="2")

    assertContains(page_two, 'href="?region=africa&amp;sort=title&amp;page=1" rel="prev"')
    assertContains(page_two, 'href="?region=africa&amp;sort=title&amp;page=3" rel="next"')
    assert titles(page_two)[0] == "African 20"

    next_page = client.get(LIST_URL + "?region=africa&sort=title&page=3")
    assert titles(next_page) == [f"African {n}" for n in range(40, 45)]


def test_first_page_without_a_page_parameter_has_no_previous_link(
    client, forty_five_african_solutions
):
    response = get(client)

    assertContains(response, 'href="?page=2" rel="next"')
    assertNotContains(response, 'rel="prev"')
    assertContains(response, "Page 1 of 3")


def test_a_page_past_the_end_shows_the_last_page_with_a_notice(
    client, forty_five_african_solutions
):
    response = get(client, region="africa", page="99")

    assert response.context["page_obj"].number == 3
    assert len(response.context["solutions"]) == 5
    assertContains(response, "There is no page 99; showing page 3, the last.")


@pytest.mark.parametrize(
    ("page", "notice"),
    [
        ("abc", "“abc” is not a page number; showing page 1."),
        ("-1", "“-1” is not a page number; showing page 1."),
        ("0", "Pages start at 1; showing page 1."),
        ("1.5", "“1.5” is not a page number; showing page 1."),
        ("٣", "“٣” is not a page number; showing page 1."),
    ],
)
def test_a_page_that_is_not_a_page_number_shows_page_one_with_a_notice(
    client, forty_five_african_solutions, page, notice
):
    response = get(client, page=page)

    assert response.context["page_obj"].number == 1
    assert len(response.context["solutions"]) == 20
    assertContains(response, notice)


@pytest.mark.parametrize("page", ["99999999999999999999", "1e3", "0x2", " ", "%00", "２"])
def test_odd_page_numbers_never_fail(client, forty_five_african_solutions, page):
    response = get(client, page=page)

    shown = (response.context["page_obj"].number, len(response.context["solutions"]))
    assert shown in [(1, 20), (3, 6)]  # page one, or the last page of the 46 solutions


def test_a_page_number_with_leading_zeros_is_that_page(client, forty_five_african_solutions):
    response = get(client, page="0" * 40 + "2")

    assert response.context["page_obj"].number == 2
    assert response.context["notices"] == []


def test_a_page_number_with_no_results_shows_the_empty_list(client):
    make_solution(title="Rain")

    response = get(client, q="snow", page="7")

    assert titles(response) == []
    assertContains(response, "There is no page 7; showing page 1, the last.")
    assertContains(response, "No solutions match")


# 7. Search


@pytest.mark.parametrize(
    "field", ["title", "summary", "problem", "approach", "results", "lessons_learned"]
)
def test_search_finds_a_word_in_each_text_field(client, field):
    found = make_solution(**{field: "Greywater reuse in homes"})
    make_solution(title="Not found")

    assert listed(get(client, q="greywater")) == {found.title}


def test_search_finds_the_origin_citys_name(client):
    make_solution(title="Found", city=make_city(name="Mombasa"))
    make_solution(title="Not found", city=make_city(name="Kisumu"))

    assert listed(get(client, q="mombasa")) == {"Found"}


def test_search_finds_any_of_the_citys_alternate_names(client):
    city = make_city(name="Kyiv", country="UA", alternate_names="Kiev\nKijów\nKiew")
    make_solution(title="Found", city=city)
    make_solution(title="Not found", city=make_city(name="Lviv", alternate_names="Lwów\nLemberg"))

    assert listed(get(client, q="Kiev")) == {"Found"}
    assert listed(get(client, q="kiew")) == {"Found"}
    assert listed(get(client, q="lemberg")) == {"Not found"}


def test_search_finds_a_theme_name(client):
    make_solution(title="Found", themes=[make_theme(name="Biodiversity")])
    make_solution(title="Not found", themes=[make_theme(name="Transport")])

    assert listed(get(client, q="biodiversity")) == {"Found"}


def test_search_finds_a_tag_name(client):
    make_solution(title="Found", tags=["composting"])
    make_solution(title="Not found", tags=["recycling"])

    assert listed(get(client, q="compost")) == {"Found"}


def test_every_word_must_match_somewhere_but_each_can_match_a_different_place(client):
    nairobi = make_city(name="Nairobi")
    make_solution(
        title="Community toilets",
        city=nairobi,
        themes=[make_theme(name="Sanitation")],
        tags=["biogas"],
    )
    make_solution(title="Community gardens", city=nairobi)
    make_solution(title="Toilets elsewhere", city=make_city(name="Accra"))

    assert listed(get(client, q="nairobi toilets")) == {"Community toilets"}
    assert listed(get(client, q="community nairobi sanitation biogas")) == {"Community toilets"}
    assert listed(get(client, q="community")) == {"Community toilets", "Community gardens"}
    assert listed(get(client, q="toilets")) == {"Community toilets", "Toilets elsewhere"}


def test_a_word_that_matches_nothing_excludes_the_solution(client):
    make_solution(title="Rain gardens")

    response = get(client, q="rain zeppelin")

    assert titles(response) == []


def test_search_is_case_insensitive_for_ascii(client):
    make_solution(title="Rainwater Harvesting", city=make_city(name="Pune"))

    for query in ("rainwater", "RAINWATER", "hArVeStInG", "PUNE", "pune"):
        assert listed(get(client, q=query)) == {"Rainwater Harvesting"}, query


@pytest.mark.parametrize(
    "query",
    [
        '"rain"',
        "'rain'",
        "“rain”",
        "«rain»",
        "rain!",
        "(rain)",
        "+rain",
        "rain|",
        "[rain]",
        "{rain}",
        "<rain>",
    ],
)
def test_quotes_and_operator_characters_around_a_word_are_ignored(client, query):
    make_solution(title="Rain gardens")
    make_solution(title="Sun")

    assert listed(get(client, q=query)) == {"Rain gardens"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"rain gardens"', {"Rain gardens for schools"}),
        ("rain gardens", {"Rain gardens for schools", "Gardens that store rain"}),
        ("rain -schools", {"Gardens that store rain"}),
        ("schools or sun", {"Rain gardens for schools", "Sun roofs"}),
        ("-rain", {"Sun roofs"}),
    ],
)
def test_web_search_syntax_phrases_or_and_exclusion(client, query, expected):
    make_solution(title="Rain gardens for schools")
    make_solution(title="Gardens that store rain")
    make_solution(title="Sun roofs")

    assert listed(get(client, q=query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "''",
        '"unbalanced',
        "%",
        "_",
        "\\",
        "%_\\",
        "-",
        "--",
        "*",
        "?",
        "&",
        "a OR b",
        "'; DROP TABLE solutions_solution; --",
        "<script>alert(1)</script>",
        "$$",
        "rain:*",
        "!!!",
        "~",
        "@",
        "🌧",
        "rain " * 40,
    ],
)
def test_symbols_in_the_search_never_cause_an_error(client, query):
    make_solution(title="Rain gardens")

    response = get(client, q=query)

    assert total(response) in (0, 1)
    assertNotContains(response, "<script>alert(1)</script>")


def test_like_wildcards_in_the_search_are_taken_literally(client):
    make_solution(title="100% renewable power")
    make_solution(title="1000 trees")
    make_solution(title="bike_share")
    make_solution(title="bikeXshare")

    assert listed(get(client, q="100%")) == {"100% renewable power"}
    assert listed(get(client, q="bike_share")) == {"bike_share"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("水", {"水の再利用"}),
        ("Киев", {"In Kyiv"}),
        ("القاهرة", {"In Cairo"}),
        ("Ciudad de México", {"In Mexico City"}),
        ("São", {"In Mexico City"}),
    ],
)
def test_search_in_other_scripts_matches_titles_and_alternate_names(client, query, expected):
    make_solution(title="水の再利用", city=make_city(name="Tokyo", country="JP"))
    make_solution(
        title="In Kyiv", city=make_city(name="Kyiv", country="UA", alternate_names="Київ\nКиев")
    )
    make_solution(
        title="In Cairo",
        city=make_city(name="Cairo", country="EG", alternate_names="Al Qahirah\nالقاهرة"),
    )
    make_solution(
        title="In Mexico City",
        summary="With help from São Paulo.",
        city=make_city(name="Mexico City", country="MX", alternate_names="Ciudad de México"),
    )

    response = get(client, q=query)

    assert listed(response) == expected
    assertContains(response, escape(query))


def test_a_nul_character_in_the_search_is_not_a_server_error(client):
    make_solution(title="Rain gardens")

    response = client.get(LIST_URL + "?q=rain%00")

    # The NUL is dropped (PostgreSQL could not even compare with it) and the search runs.
    assert response.status_code == 200
    assert listed(response) == {"Rain gardens"}
    assert notices(response) == []


# 8. Unknown values


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("theme", "theme"),
        ("region", "region"),
        ("country", "country"),
        ("city", "city"),
        ("network", "network"),
        ("stage", "stage"),
        ("sdg", "sustainable development goal"),
        ("tag", "tag"),
        ("size", "city size"),
    ],
)
def test_an_unknown_value_is_dropped_with_a_notice_and_the_other_filters_still_apply(
    client, name, label
):
    make_solution(title="Pilot", stage=Stage.PILOT)
    make_solution(title="Idea", stage=Stage.IDEA)
    other = {"stage": "pilot"} if name != "stage" else {"region": "africa"}

    response = get(client, **{name: "nope", **other})

    assert notices(response) == [f"Ignored the unknown {label} “nope”."]
    assertContains(response, f"Ignored the unknown {label} “nope”.")
    assert listed(response) == ({"Pilot"} if name != "stage" else {"Pilot", "Idea"})
    assert not any(chip.label.endswith("nope") for chip in response.context["chips"])


def test_an_unknown_value_beside_known_ones_of_the_same_filter_drops_only_itself(client):
    make_theme(slug="water")
    make_theme(slug="energy")
    make_solution(title="Wells")

    response = get(client, theme=["water", "nope", "energy"])

    assert notices(response) == ["Ignored the unknown theme “nope”."]
    assert checked(response, "theme") == {"water", "energy"}
    assert query_of("?" + response.context["filterset"].data.urlencode()) == {
        "theme": ["energy", "water"]
    }


def test_an_unknown_value_is_escaped_in_the_notice(client):
    response = get(client, theme="<b>nope</b>")

    assertContains(response, "Ignored the unknown theme “&lt;b&gt;nope&lt;/b&gt;”.")
    assertNotContains(response, "<b>nope</b>")


def test_an_unknown_sort_order_is_ignored_with_a_notice(client):
    make_solution(title="Older", published_at=on(1))
    make_solution(title="Newer", published_at=on(2))

    response = get(client, sort="popular")

    assert notices(response) == ["Ignored the unknown sort order “popular”."]
    assert titles(response) == ["Newer", "Older"]


@pytest.mark.parametrize("year", ["abc", "1800", "1899", "2101", "20 15", "２０１５", "-2015"])
def test_a_year_that_is_not_a_plausible_number_is_ignored_with_a_notice(client, year):
    make_solution(title="Early", start_year=2001)
    make_solution(title="Late", start_year=2019)

    response = get(client, year_from=year, year_to="2010")

    notice = f"Ignored the year “{year}”: give a year between 1900 and 2100."
    assert notices(response) == [notice]
    assertContains(response, notice)
    assert listed(response) == {"Early"}
    assert [chip.label for chip in response.context["chips"]] == ["Started in or before 2010"]


def test_years_given_the_wrong_way_round_are_swapped_with_a_notice(client):
    for year in (2005, 2012, 2025):
        make_solution(title=f"Started {year}", start_year=year)

    response = get(client, year_from="2020", year_to="2010")

    assert notices(response) == ["The year range was the wrong way round, so it was swapped."]
    assert listed(response) == {"Started 2012"}
    form = filter_form(response)
    assert (form.value("year_from"), form.value("year_to")) == ("2010", "2020")


def test_a_search_longer_than_300_characters_is_shortened_with_a_notice(client):
    make_solution(title="Rain gardens")
    long_query = "rain " + "x" * 400

    response = get(client, q=long_query)

    assertContains(response, "The search was shortened to 300 characters.")
    assert len(response.context["filterset"].data["q"]) == 300
    assert len(filter_form(response).value("q")) == 300


def test_a_search_of_exactly_300_characters_has_no_notice(client):
    make_solution(title="Rain gardens")

    response = get(client, q="rain " + "n" * 295)

    assert notices(response) == []


def test_a_hand_edited_url_full_of_nonsense_still_shows_the_list(client):
    make_solution(title="Rain gardens")

    response = client.get(
        LIST_URL
        + "?theme=&region=mars&stage=%20&sdg=18&sdg=0&size=huge&year_from=&year_to=9999"
        + "&sort=&page=&unknown=1&q=%20%20"
    )

    assert response.status_code == 200
    assert listed(response) == {"Rain gardens"}
    assert set(notices(response)) == {
        "Ignored the unknown region “mars”.",
        "Ignored the unknown sustainable development goal “18”.",
        "Ignored the unknown sustainable development goal “0”.",
        "Ignored the unknown city size “huge”.",
        "Ignored the year “9999”: give a year between 1900 and 2100.",
    }
    assert response.context["chips"] == []


# 9. A theme's page


def theme_url(theme, /, **params):
    return url(reverse("solutions:theme", kwargs={"slug": theme.slug}), **params)


def test_theme_page_lists_only_that_themes_published_solutions(client):
    water = make_theme(name="Water", slug="water", description="Clean water for every home.")
    energy = make_theme(name="Energy", slug="energy")
    make_solution(title="Wells", themes=[water])
    make_solution(title="Wells and solar", themes=[water, energy])
    make_solution(title="Solar", themes=[energy])
    make_solution(title="Draft wells", themes=[water], status=Status.DRAFT)

    response = client.get(theme_url(water))

    assert response.status_code == 200
    assert listed(response) == {"Wells", "Wells and solar"}
    assertContains(response, "<h1>Water</h1>")
    assertContains(response, '<p class="lead">Clean water for every home.</p>')
    assertContains(response, "<strong>2</strong> solutions")


def test_theme_page_has_every_filter_but_theme(client):
    water = make_theme(slug="water")
    make_solution(themes=[water], tags=["wells"])

    response = client.get(theme_url(water))

    assert [g.name for g in response.context["groups"]] == [
        "region",
        "subregion",
        "network",
        "stage",
        "size",
        "country",
        "city",
        "sdg",
        "tag",
    ]
    assert filter_form(response).names() == FORM_FIELDS - {"theme"}


def test_theme_page_filters_search_and_facets_stay_within_the_theme(client):
    water, energy = make_theme(slug="water"), make_theme(slug="energy")
    kenya, japan = make_city(country="KE"), make_city(country="JP")
    make_solution(title="Kenyan wells", themes=[water], city=kenya, stage=Stage.PILOT)
    make_solution(title="Japanese wells", themes=[water], city=japan, stage=Stage.PILOT)
    make_solution(title="Japanese rain tanks", themes=[water], city=japan, stage=Stage.IDEA)
    make_solution(title="Japanese solar wells", themes=[energy], city=japan, stage=Stage.PILOT)

    response = client.get(theme_url(water, region="asia"))
    assert listed(response) == {"Japanese wells", "Japanese rain tanks"}
    assert counts(response, "region")["asia"] == 2
    assert counts(response, "region")["africa"] == 1
    assert counts(response, "stage")["pilot"] == 1
    assert counts(response, "stage")["idea"] == 1

    searched = client.get(theme_url(water, q="wells"))
    assert listed(searched) == {"Kenyan wells", "Japanese wells"}


def test_theme_page_ignores_a_theme_parameter(client):
    water, energy = make_theme(slug="water"), make_theme(slug="energy")
    make_solution(title="Wells", themes=[water])
    make_solution(title="Solar", themes=[energy])

    response = client.get(theme_url(water, theme="energy"))

    assert listed(response) == {"Wells"}
    assert response.context["chips"] == []


def test_theme_page_chips_and_pagination_stay_on_the_theme_page(client):
    water = make_theme(slug="water")
    city, network = make_city(country="KE"), make_network()
    for _ in range(21):
        make_solution(themes=[water], city=city, network=network)
    path = reverse("solutions:theme", kwargs={"slug": "water"})

    response = client.get(theme_url(water, region="africa", stage="implemented"))

    assert total(response) == 21
    region_chip = response.context["chips"][0]
    assert region_chip.label == "Region: Africa"
    assert region_chip.remove_url == f"{path}?stage=implemented"
    assertContains(response, f'<li><a href="{path}">Clear all</a></li>')
    assertContains(response, 'href="?region=africa&amp;stage=implemented&amp;page=2" rel="next"')
    assert filter_form(response).method == "get"


def test_unknown_theme_page_is_not_found(client):
    assert_not_found(client.get(reverse("solutions:theme", kwargs={"slug": "nope"})))


def test_theme_page_past_the_end_and_unknown_values_have_notices(client):
    water = make_theme(slug="water")
    make_solution(title="Wells", themes=[water])

    response = client.get(theme_url(water, page="99", stage="nope"))

    assert listed(response) == {"Wells"}
    assert notices(response) == [
        "Ignored the unknown stage “nope”.",
        "There is no page 99; showing page 1, the last.",
    ]


# 10. The URL is the whole state


def test_the_filter_form_is_a_get_form_whose_field_names_are_the_query_parameters(client):
    make_theme(slug="water")
    make_solution(tags=["wells"])

    response = get(client)
    form = filter_form(response)

    assert form.method == "get"
    assert form.names() == FORM_FIELDS
    assertNotContains(response, "csrfmiddlewaretoken")
    # Sent to the list itself, landing on the results (on a phone the filters hide them).
    assertContains(response, f'<form method="get" action="{LIST_URL}#results"')


def test_the_form_shows_the_state_of_the_url(client):
    make_theme(slug="water")
    make_theme(slug="energy")
    make_solution(
        city=make_city(slug="nairobi", country="KE"),
        network=make_network(slug="c2c"),
        tags=["wells"],
    )
    state = {
        "q": "rain",
        "theme": ["water", "energy"],
        "region": ["africa"],
        "country": ["KE"],
        "city": ["nairobi"],
        "network": ["c2c"],
        "stage": ["pilot"],
        "sdg": ["6"],
        "tag": ["wells"],
        "size": ["large"],
        "year_from": "2010",
        "year_to": "2020",
        "sort": "title",
    }

    response = get(client, **state)
    form = filter_form(response)

    for name in ("theme", "region", "country", "city", "network", "stage", "sdg", "tag", "size"):
        assert form.checked(name) == set(state[name]), name
    assert form.value("q") == "rain"
    assert form.value("year_from") == "2010"
    assert form.value("year_to") == "2020"
    assert form.selected("sort") == ["title"]
    assert notices(response) == []
    # the querystring the page links with is the same state, less the page
    assert query_of("?" + response.context["filterset"].data.urlencode()) == {
        name: sorted(value) if isinstance(value, list) else [value] for name, value in state.items()
    }


def test_the_same_url_gives_the_same_page(client):
    kenya = make_city(country="KE")
    for n in range(25):
        make_solution(title=f"Rain {n}", city=kenya, published_at=on(1 + n % 5))
    link = url(q="rain", region="africa", sort="newest", page="2")

    first, second = client.get(link), client.get(link)

    assert titles(first) == titles(second)
    assert len(titles(first)) == 5


def test_the_city_size_filter_counts_like_the_others(client):
    small = make_city(population=40_000)
    medium = make_city(population=400_000)
    mega = make_city(population=12_000_000)
    make_solution(city=small, stage="pilot")
    make_solution(city=medium, stage="pilot")
    make_solution(city=mega, stage="scaled")
    make_solution(city=mega, stage="pilot")

    response = get(client, stage="pilot")

    # Under the stage filter; the other sizes are offered with 0.
    assert counts(response, "size") == {"small": 1, "medium": 1, "large": 0, "mega": 1}
    # With a size chosen, the sizes still count without it; the other groups follow it.
    chosen = get(client, size="mega")
    assert counts(chosen, "size") == {"small": 1, "medium": 1, "large": 0, "mega": 2}
    assert counts(chosen, "stage")["pilot"] == 1
    assert titles(chosen) and len(titles(chosen)) == 2


def test_only_regions_with_published_solutions_are_offered(client):
    make_solution(city=make_city(country="KE", region="africa"))
    make_solution(city=make_city(country="PE", region="south-america"), status="draft")

    response = get(client)

    assert [option.value for option in group(response, "region").options] == ["africa"]
    assert 'value="antarctica"' not in response.content.decode()
    refused = get(client, region="antarctica")
    assert "Ignored the unknown region “antarctica”." in refused.content.decode()


def test_the_results_have_a_heading_between_the_page_title_and_the_cards(client):
    make_solution(title="Rain gardens")
    page = get(client).content.decode()
    levels = re.findall(r"<h([1-6])", page)
    # No level is skipped on the way down: h1, then the results' h2, then the cards' h3.
    assert all(int(b) <= int(a) + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert '<h2 class="visually-hidden">Results</h2>' in page

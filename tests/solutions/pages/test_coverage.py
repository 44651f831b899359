"""/coverage/: every cell counts exactly the published case studies of its row and theme; what
is in progress is never on the public page and is counted apart for curators; the member
cities with no case study; a fixed number of queries."""

import re

import pytest
from django.contrib.auth.models import Group

from solutions.coverage import coverage
from solutions.models import Solution, Status
from tests.support.factories import (
    make_city,
    make_membership,
    make_network,
    make_newest_solution,
    make_solution,
    make_theme,
    make_user,
)
from tests.support.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    water = make_theme(name="Water", slug="water", position=1)
    housing = make_theme(name="Housing", slug="housing", position=2)
    nairobi = make_city(name="Nairobi", slug="nairobi", country="KE", population=4_400_000)
    pune = make_city(name="Pune", slug="pune", country="IN", population=3_100_000)
    town = make_city(name="Small Town", slug="small-town", country="IN", population=40_000)
    lima = make_city(name="Lima", slug="lima", country="PE", population=10_500_000)
    c2c = make_network(name="City2City", slug="c2c")
    mip = make_network(name="MIP", slug="mip")
    make_solution(city=nairobi, network=c2c, themes=[water, housing])
    make_solution(city=nairobi, network=c2c, themes=[water])
    make_solution(city=pune, network=mip, themes=[housing])
    make_solution(city=town, network=mip, themes=[water])
    make_solution(city=lima, network=mip)  # no theme: in the totals only
    make_solution(city=pune, network=c2c, themes=[water], status=Status.DRAFT)
    make_solution(city=pune, network=c2c, themes=[water], status=Status.IN_REVIEW)
    make_solution(city=lima, network=c2c, themes=[housing], status=Status.ARCHIVED)
    quiet = make_city(name="Quiet City", slug="quiet-city", country="KE")
    make_membership(network=c2c, city=quiet)
    make_membership(network=c2c, city=nairobi)  # has case studies: not quiet
    make_membership(network=mip, city=make_city(name="Gone", slug="gone"), until_year=2015)
    return {"water": water, "housing": housing, "c2c": c2c, "mip": mip}


def expected(statuses, **lookup):
    return Solution.objects.filter(status__in=statuses, **lookup).distinct().count()


ROW_LOOKUPS = {
    "continents": lambda row: {"city__region": row.url.split("region=")[1]},
    "subregions": lambda row: {"city__subregion": row.url.split("subregion=")[1]},
    "networks": lambda row: {"network__slug": row.url.split("network=")[1]},
}


def test_every_cell_counts_the_published_case_studies_of_its_row_and_theme(world):
    data = coverage(with_in_progress=True)
    themes = data["themes"]
    checked = 0
    for grid in data["grids"]:
        if grid.key not in ROW_LOOKUPS:
            continue
        for row in grid.rows:
            lookup = ROW_LOOKUPS[grid.key](row)
            assert row.total == expected([Status.PUBLISHED], **lookup), (grid.key, row.label)
            in_progress = [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED]
            assert row.total_in_progress == expected(in_progress, **lookup)
            for theme, cell in zip(themes, row.cells, strict=True):
                assert cell.count == expected([Status.PUBLISHED], themes=theme, **lookup)
                assert cell.in_progress == expected(in_progress, themes=theme, **lookup)
                checked += 1
    assert checked > 40


def test_city_sizes_are_counted_by_population(world):
    sizes = next(grid for grid in coverage()["grids"] if grid.key == "sizes")
    by_label = {row.label: [cell.count for cell in row.cells] + [row.total] for row in sizes.rows}
    assert by_label == {
        "Under 100,000": [1, 0, 1],
        "100,000 to 1 million": [0, 0, 0],
        "1 to 10 million": [2, 2, 3],
        "10 million and over": [0, 0, 1],
    }


def test_the_public_page_shows_only_what_is_published(client, world):
    html = client.get("/coverage/").content.decode()
    assert "+" not in re.sub(r"<[^>]+>", "", html.split("<h1>")[1].split('id="quiet-members"')[0])
    assert "in progress" not in html
    # Asia has two published case studies on water (Small Town) and housing (Pune) only.
    asia = html.split('<th scope="row">Asia</th>')[1].split("</tr>")[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", asia)
    assert [re.sub(r"<[^>]+>", "", cell) for cell in cells] == ["1", "1", "2"]
    assert '<a href="/solutions/?region=asia&amp;theme=water">1</a>' in asia


def test_a_curator_sees_what_is_in_progress_counted_apart(client, world):
    curator = make_user(username="curator", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    client.force_login(curator)
    html = client.get("/coverage/").content.decode()
    asia = html.split('<th scope="row">Asia</th>')[1].split("</tr>")[0]
    water = re.findall(r"<td[^>]*>(.*?)</td>", asia)[0]
    assert re.sub(r"<[^>]+>", "", water) == "1 +2 in progress"


def test_staff_who_are_not_curators_see_the_public_page(client, world):
    client.force_login(make_user(username="someone"))
    assert "in progress" not in client.get("/coverage/").content.decode()


def test_member_cities_without_a_case_study_are_listed_by_network(client, world):
    html = client.get("/coverage/").content.decode()
    section = html.split('id="quiet-members"')[1]
    assert "City2City</a>: 1 city" in section and "Quiet City" in section
    assert "Nairobi" not in section and "Gone" not in section  # has work; left in 2015
    assert "MIP</a>:" not in section


def test_the_page_runs_the_same_queries_for_3_rows_and_for_60(client, django_assert_num_queries):
    def add_rows(n):
        for _ in range(n):
            solution = make_newest_solution()
            make_membership(network=solution.network)
        return solution.network.name

    # Themes, networks, the two grouped counts, and the members without case studies (two).
    assert_queries_do_not_grow(client, "/coverage/", add_rows, django_assert_num_queries, 6, warm=0)

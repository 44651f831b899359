"""The theme check: case studies whose text strongly matches a theme they do not carry, and the
demo content, audited so that a visitor's questions find every case study that fits."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from solutions.models import Solution, Status
from solutions.theme_check import missing_themes
from tests.support.factories import make_city, make_solution, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def flood_theme():
    return make_theme(name="Floods", keywords="flood\ndrainage, storm drain")


def listed(**kwargs):
    return [(m.solution.title, m.theme.name) for m in missing_themes(**kwargs)]


def test_a_case_study_that_plainly_fits_a_theme_it_lacks_is_listed(flood_theme):
    make_solution(
        title="Canal dredging",
        summary="Clearing canals against floods.",  # 2 points
        problem="Floods every year. Blocked drainage, flooded homes.",  # 3 points
        results="No flooding since.",  # 1 point
    )
    make_solution(title="Flooded markets", summary="Stalls moved.")  # title 3, summary 0
    make_solution(title="Storm drains", summary="Storm drains cleared before the flood season.")
    make_solution(title="Bus lanes", approach="Drainage along the lane was redone.")  # a mention
    make_solution(title="Canal walls", problem="Flood, flood, flood.", themes=[flood_theme])
    make_solution(title="Draft flood works", status=Status.DRAFT, problem="Flood flood flood.")

    assert sorted(listed()) == [("Canal dredging", "Floods"), ("Storm drains", "Floods")]
    [first] = [m for m in missing_themes() if m.solution.title == "Canal dredging"]
    assert dict(first.words) == {"flood": 4, "drainage": 1}  # every form of the word


def test_themes_without_keywords_are_not_checked():
    make_theme(name="Water")
    make_solution(title="Water water water", summary="Water.")
    assert listed() == []


def test_the_command_lists_them_and_can_fail(flood_theme):
    make_solution(
        title="Flood walls",
        summary="Walls against the flood, up before the flood season.",
        city=make_city(name="Lagos"),
    )
    out = StringIO()
    call_command("check_themes", stdout=out)
    assert "Floods: Flood walls (Lagos)" in out.getvalue()
    assert "1 case studies may lack a theme." in out.getvalue()
    with pytest.raises(SystemExit):
        call_command("check_themes", "--fail", stdout=StringIO())


def test_the_demo_content_carries_every_theme_it_plainly_fits(client):
    call_command("seed_demo", stdout=StringIO())
    assert listed() == []

    # "What have cities done about flooding in Asia?"
    response = client.get(
        reverse("solutions:list"), {"theme": "flood-and-climate-resilience", "region": "asia"}
    )
    titles = {s.title for s in response.context["solutions"]}
    slugs = set(Solution.objects.filter(title__in=titles).values_list("slug", flat=True))
    assert {
        "bangkok-canal-community-upgrading",
        "manila-people-led-housing-upgrading",
        "ahmedabad-slum-networking",
    } <= slugs
    # Waste pickers are under the informal economy and the circular economy.
    for slug in ("informal-economy", "circular-economy"):
        response = client.get(reverse("solutions:list"), {"theme": slug, "q": "waste pickers"})
        assert response.context["page_obj"].paginator.count >= 2, slug

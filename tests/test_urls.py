"""Every public model's get_absolute_url leads to a page that shows it."""

import pytest
from django.urls import resolve, reverse

from networks.models import NetworkStaff
from solutions.models import SourceLink, SustainableDevelopmentGoal, WorkflowEvent
from tests.support.asserts import assert_not_found
from tests.support.factories import (
    make_indicator,
    make_membership,
    make_partner,
    make_solution,
    make_transfer,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name, kwargs, path",
    [
        ("solutions:home", {}, "/"),
        ("solutions:list", {}, "/solutions/"),
        ("solutions:detail", {"slug": "water-kiosks"}, "/solutions/water-kiosks/"),
        ("solutions:themes", {}, "/themes/"),
        ("solutions:theme", {"slug": "water"}, "/themes/water/"),
        ("solutions:transfers", {}, "/transfers/"),
        ("cities:detail", {"slug": "nairobi-ke"}, "/cities/nairobi-ke/"),
        ("networks:index", {}, "/networks/"),
        ("networks:detail", {"slug": "mip"}, "/networks/mip/"),
    ],
)
def test_named_urls_reverse_and_resolve(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).view_name == name


def test_each_model_links_to_a_page_that_shows_it(client, solution, theme):
    indicator = make_indicator(solution, measurements=[(2020, 3), (2022, 5)])
    transfer = make_transfer(solution)
    membership = make_membership(network=solution.network, city=solution.city)
    staff = NetworkStaff.objects.create(user=make_user(), network=solution.network)
    source = SourceLink.objects.create(solution=solution, title="Report", url="https://example.org")
    event = WorkflowEvent.objects.create(
        solution=solution, from_status="draft", to_status="in_review"
    )
    partner = make_partner(solution, name="Residents' association")
    expectations = [
        (solution, solution.title),
        (solution.city, solution.city.name),
        (solution.network, solution.network.name),
        (theme, theme.name),
        (indicator, indicator.name),
        (indicator.measurements.first(), indicator.name),
        (transfer, transfer.adopting_city.name),
        (membership, membership.city.name),
        (staff, solution.network.name),
        (source, source.title),
        (event, solution.title),
        (partner, "Residents&#x27; association"),
    ]
    for obj, text in expectations:
        url = obj.get_absolute_url()
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.text, url


def test_an_sdg_links_to_the_solution_list_filtered_by_it():
    goal = SustainableDevelopmentGoal.objects.get(number=6)
    assert goal.get_absolute_url() == "/solutions/?sdg=6"
    assert str(goal) == "SDG 6: Clean water and sanitation"


@pytest.mark.parametrize("status", ["draft", "in_review", "changes_requested", "archived"])
def test_an_unpublished_solution_is_a_404_for_visitors(client, status):
    solution = make_solution(status=status)
    assert_not_found(client.get(solution.get_absolute_url()), solution.title)

"""seed_demo: the demo content, its size and spread, and that a rerun changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cities.models import City
from networks.models import Membership, Network, NetworkStaff
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    Status,
    Theme,
    Transfer,
    WorkflowEvent,
)

pytestmark = pytest.mark.django_db
SECTIONS = ["summary", "problem", "approach", "results", "lessons_learned", "funding"]


def seed(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    models = [City, Network, Membership, Theme, Solution, Partner, Indicator, Measurement]
    models += [Transfer, WorkflowEvent, NetworkStaff, get_user_model()]
    return {model.__name__: model.objects.count() for model in models}


def test_a_rerun_gives_the_same_counts():
    seed("--with-demo-users")
    first = counts()

    seed("--with-demo-users")
    seed()

    assert counts() == first


def test_the_four_networks_with_their_facts():
    seed()
    networks = {n.slug: n for n in Network.objects.all()}

    assert set(networks) == {"megacities", "wacap", "city2city", "mip"}
    assert networks["megacities"].founded_year == 1987
    assert networks["wacap"].founded_year == 1996
    assert "900" in networks["wacap"].description
    assert "United Nations Development Programme" in networks["city2city"].run_by
    assert networks["mip"].founded_year == 2005
    assert networks["mip"].headquarters.startswith("Madison, Wisconsin")
    for network in networks.values():
        assert network.memberships.count() >= 8


def test_at_least_40_complete_case_studies_from_25_cities_on_5_continents():
    seed()
    solutions = Solution.objects.select_related("city").prefetch_related("themes", "tags")

    assert solutions.count() >= 40
    assert len({s.city_id for s in solutions}) >= 25
    assert len({s.city.region for s in solutions}) >= 5
    for solution in solutions:
        for section in SECTIONS:
            assert len(getattr(solution, section)) > 40, (solution.slug, section)
        assert solution.themes.all(), solution.slug
        assert solution.tags.all(), solution.slug
        assert solution.partners.exists(), solution.slug


def test_solutions_in_every_workflow_status_with_a_matching_history():
    seed()

    assert set(Solution.objects.values_list("status", flat=True)) == set(Status.values)
    for solution in Solution.objects.prefetch_related("events"):
        events = list(solution.events.all())
        if solution.status == Status.DRAFT:
            assert events == []
        else:
            assert events[-1].to_status == solution.status
            assert [e.from_status for e in events[1:]] == [e.to_status for e in events[:-1]]
    for status in [Status.CHANGES_REQUESTED, Status.ARCHIVED]:
        event = WorkflowEvent.objects.filter(to_status=status).first()
        assert len(event.comment) > 20


def test_transfers_across_borders_and_indicators_with_measurements():
    seed()

    assert Transfer.objects.count() >= 15
    assert Transfer.objects.across_national_borders().count() >= 8
    assert Transfer.objects.across_regional_borders().count() >= 3
    with_measurements = Solution.objects.filter(indicators__measurements__isnull=False)
    assert with_measurements.distinct().count() >= 10
    for indicator in Indicator.objects.prefetch_related("measurements"):
        # Four or more yearly values each (so every one has a trend: Indicator.trend is tested
        # in test_models).
        assert len(indicator.measurements.all()) >= 4, indicator


def test_no_user_is_created_without_the_flag():
    output = seed()

    assert get_user_model().objects.count() == 0
    assert Solution.objects.filter(author__isnull=False).count() == 0
    assert "Demo logins" not in output


def test_demo_users_get_their_roles_and_their_logins_are_printed():
    output = seed("--with-demo-users")
    User = get_user_model()

    curator = User.objects.get(username="curator")
    assert curator.is_staff and not curator.is_superuser
    assert curator.groups.filter(name="Curators").exists()
    assert curator.check_password("curate-the-exchange")
    assert "curator" in output and "curate-the-exchange" in output
    for network in Network.objects.all():
        staff = User.objects.get(username=f"staff-{network.slug}")
        assert NetworkStaff.objects.filter(user=staff, network=network).exists()
        assert staff.groups.filter(name="Network staff").exists()
        assert f"staff-{network.slug}" in output
        assert set(network.solutions.values_list("author__username", flat=True)) == {staff.username}

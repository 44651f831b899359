"""Database constraints on Network, Membership and NetworkStaff, and their admin messages."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from networks.models import Membership, Network, NetworkStaff
from tests.support.asserts import assert_admin_rejects, assert_rejected_by_database
from tests.support.factories import make_city, make_membership, make_network, make_staff, make_user

pytestmark = pytest.mark.django_db

FOUNDED_YEAR_MESSAGE = "The founding year must be between 1800 and 2100."
NETWORK_NAME_MESSAGE = "A network needs a name."
MEMBERSHIP_UNIQUE_MESSAGE = "This city is already a member of this network."
MEMBERSHIP_ORDER_MESSAGE = "A membership cannot end before it began."
SINCE_YEAR_MESSAGE = "The joining year must be between 1800 and 2100."
STAFF_UNIQUE_MESSAGE = "This user is already on this network's staff."


def network_form_data(**overrides):
    data = {
        "name": "Resilient Coasts",
        "slug": "resilient-coasts",
        "acronym": "RC",
        "tagline": "",
        "description": "",
        "website": "",
        "founded_year": "2012",
        "run_by": "",
        "headquarters": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "staff-TOTAL_FORMS": "0",
        "staff-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def membership_form_data(network, city, **overrides):
    data = {
        "network": network.pk,
        "city": city.pk,
        "role": "member",
        "since_year": "2010",
        "until_year": "",
    }
    data.update(overrides)
    return data


def staff_form_data(user, network, **overrides):
    data = {"user": user.pk, "network": network.pk, "role": "contributor"}
    data.update(overrides)
    return data


# Network: founded year


@pytest.mark.parametrize("founded_year", [1799, 2101])
def test_database_rejects_implausible_founded_year(founded_year):
    assert_rejected_by_database(make_network, founded_year=founded_year)


@pytest.mark.parametrize("founded_year", [1800, 2100, None])
def test_database_accepts_founded_year_on_the_boundary(founded_year):
    assert make_network(founded_year=founded_year).founded_year == founded_year


def test_admin_adds_a_network_from_the_baseline_form_data(admin_client):
    response = admin_client.post(reverse("admin:networks_network_add"), network_form_data())
    assertRedirects(response, reverse("admin:networks_network_changelist"))
    assert Network.objects.filter(slug="resilient-coasts").exists()


@pytest.mark.parametrize("founded_year", ["1799", "2101"])
def test_admin_shows_founded_year_message(admin_client, founded_year):
    assert_admin_rejects(
        admin_client,
        "admin:networks_network_add",
        network_form_data(founded_year=founded_year),
        FOUNDED_YEAR_MESSAGE,
        Network,
    )


# Network: name


def test_database_rejects_an_empty_network_name():
    assert_rejected_by_database(make_network, name="")


def test_model_validation_reports_the_empty_network_name_message():
    network = Network(name="", slug="nameless")
    with pytest.raises(ValidationError) as error:
        network.validate_constraints()
    assert error.value.messages == [NETWORK_NAME_MESSAGE]


@pytest.mark.parametrize("name", ["", "   "])
def test_admin_rejects_an_empty_network_name_as_a_required_field(admin_client, name):
    assert_admin_rejects(
        admin_client,
        "admin:networks_network_add",
        network_form_data(name=name),
        "This field is required.",
        Network,
    )


# Membership: one per network and city


def test_database_rejects_a_second_membership_of_the_same_city_and_network():
    membership = make_membership()
    assert_rejected_by_database(
        make_membership, network=membership.network, city=membership.city, role="lead-city"
    )


def test_database_accepts_the_same_city_in_another_network():
    membership = make_membership()
    other = make_membership(city=membership.city)
    assert other.city == membership.city
    assert other.network != membership.network


def test_admin_adds_a_membership_from_the_baseline_form_data(admin_client):
    network, city = make_network(), make_city()
    response = admin_client.post(
        reverse("admin:networks_membership_add"), membership_form_data(network, city)
    )
    assertRedirects(response, reverse("admin:networks_membership_changelist"))
    assert Membership.objects.filter(network=network, city=city).exists()


def test_admin_shows_duplicate_membership_message(admin_client):
    membership = make_membership()
    assert_admin_rejects(
        admin_client,
        "admin:networks_membership_add",
        membership_form_data(membership.network, membership.city),
        MEMBERSHIP_UNIQUE_MESSAGE,
        Membership,
    )


# Membership: years in order


def test_database_rejects_a_membership_ending_before_it_began():
    assert_rejected_by_database(make_membership, since_year=2010, until_year=2009)


@pytest.mark.parametrize(
    ("since_year", "until_year"), [(2010, 2010), (2010, 2011), (2010, None), (None, 2011)]
)
def test_database_accepts_membership_years_in_order_or_open(since_year, until_year):
    membership = make_membership(since_year=since_year, until_year=until_year)
    assert (membership.since_year, membership.until_year) == (since_year, until_year)


def test_admin_shows_membership_years_order_message(admin_client):
    network, city = make_network(), make_city()
    assert_admin_rejects(
        admin_client,
        "admin:networks_membership_add",
        membership_form_data(network, city, since_year="2010", until_year="2009"),
        MEMBERSHIP_ORDER_MESSAGE,
        Membership,
    )


# Membership: joining year


@pytest.mark.parametrize("since_year", [1799, 2101])
def test_database_rejects_implausible_joining_year(since_year):
    assert_rejected_by_database(make_membership, since_year=since_year)


@pytest.mark.parametrize("since_year", [1800, 2100, None])
def test_database_accepts_joining_year_on_the_boundary(since_year):
    assert make_membership(since_year=since_year).since_year == since_year


@pytest.mark.parametrize("since_year", ["1799", "2101"])
def test_admin_shows_joining_year_message(admin_client, since_year):
    network, city = make_network(), make_city()
    assert_admin_rejects(
        admin_client,
        "admin:networks_membership_add",
        membership_form_data(network, city, since_year=since_year),
        SINCE_YEAR_MESSAGE,
        Membership,
    )


@pytest.mark.parametrize("until_year", [1799, 2101])
def test_database_rejects_implausible_leaving_year(until_year):
    assert_rejected_by_database(make_membership, since_year=None, until_year=until_year)


@pytest.mark.parametrize("until_year", ["1799", "2101"])
def test_admin_shows_leaving_year_message(admin_client, until_year):
    network, city = make_network(), make_city()
    assert_admin_rejects(
        admin_client,
        "admin:networks_membership_add",
        membership_form_data(network, city, since_year="", until_year=until_year),
        "The leaving year must be between 1800 and 2100.",
        Membership,
    )


# NetworkStaff: one role per user and network


def test_database_rejects_the_same_user_twice_on_a_networks_staff():
    network, user = make_network(), make_user()
    make_staff(network, user=user)
    assert_rejected_by_database(make_staff, network, user=user, role="coordinator")


def test_database_accepts_the_same_user_on_two_networks():
    user = make_user()
    make_staff(make_network(), user=user)
    make_staff(make_network(), user=user)
    assert NetworkStaff.objects.filter(user=user).count() == 2


def test_admin_adds_a_staff_member_from_the_baseline_form_data(admin_client):
    network, user = make_network(), make_user()
    response = admin_client.post(
        reverse("admin:networks_networkstaff_add"), staff_form_data(user, network)
    )
    assertRedirects(response, reverse("admin:networks_networkstaff_changelist"))
    assert NetworkStaff.objects.filter(user=user, network=network).exists()


def test_admin_shows_duplicate_staff_message(admin_client):
    network, user = make_network(), make_user()
    make_staff(network, user=user)
    assert_admin_rejects(
        admin_client,
        "admin:networks_networkstaff_add",
        staff_form_data(user, network, role="coordinator"),
        STAFF_UNIQUE_MESSAGE,
        NetworkStaff,
    )

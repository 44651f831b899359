"""The network, membership and staff admin: changelists and change pages in exact queries,
add pages, and the membership inlines on a network's and a city's change page."""

import pytest
from django.urls import reverse

from networks.models import Membership, Network, NetworkStaff
from tests.support.admin_pages import (
    assert_add_page,
    assert_change_page_queries,
    assert_changelist_queries,
    by_model,
    registered_models,
)
from tests.support.factories import make_city, make_network, make_staff
from tests.support.queries import get_counted

pytestmark = pytest.mark.django_db

# Exact queries on a cold cache, the same with 3 rows of every kind as with 60.
CHANGELIST_QUERIES = {Membership: 6, Network: 5, NetworkStaff: 6}
CHANGE_PAGE_QUERIES = {Membership: 7, Network: 5, NetworkStaff: 7}


def test_every_network_model_in_the_admin_has_its_query_counts_pinned():
    assert registered_models("networks") == list(CHANGELIST_QUERIES) == list(CHANGE_PAGE_QUERIES)


@pytest.mark.parametrize("model, queries", by_model(CHANGELIST_QUERIES))
def test_changelist_runs_the_same_exact_queries_for_3_rows_and_for_60(
    admin_client, django_assert_num_queries, model, queries
):
    assert_changelist_queries(admin_client, model, django_assert_num_queries, queries)


@pytest.mark.parametrize("model, queries", by_model(CHANGE_PAGE_QUERIES))
def test_change_page_runs_the_same_exact_queries_for_3_rows_and_for_60(
    admin_client, django_assert_num_queries, model, queries
):
    assert_change_page_queries(admin_client, model, django_assert_num_queries, queries)


@pytest.mark.parametrize("model", registered_models("networks"), ids=lambda m: m._meta.label)
def test_add_page_answers_for_a_superuser(admin_client, model):
    assert_add_page(admin_client, model)


# A network's members and staff, and a city's networks, are inlines: one row each costs the
# same queries as seven.
INLINE_QUERIES = {"network": 5, "city": 4}


@pytest.mark.parametrize("kind", ["network", "city"])
def test_membership_inlines_do_not_query_per_row(admin_client, django_assert_num_queries, kind):
    few_network, many_network = make_network(), make_network()
    few_city, many_city = make_city(), make_city()
    Membership.objects.create(network=few_network, city=few_city)
    make_staff(few_network)
    for _ in range(6):
        Membership.objects.create(network=many_network, city=make_city())
        Membership.objects.create(network=make_network(), city=many_city)
        make_staff(many_network)
    few_obj, many_obj = (few_network, many_network) if kind == "network" else (few_city, many_city)
    url = f"admin:{few_obj._meta.app_label}_{kind}_change"
    admin_client.get(reverse(url, args=[few_obj.pk]))  # the process-wide caches

    for obj in (few_obj, many_obj):
        page = reverse(url, args=[obj.pk])
        html = get_counted(admin_client, page, django_assert_num_queries, INLINE_QUERIES[kind])

    shown = (
        many_network.memberships.first().city
        if kind == "network"
        else many_city.memberships.first().network
    )
    assert str(shown) in html

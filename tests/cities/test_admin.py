"""The city admin: its changelist and change page in exact queries, its add page, and the
autocomplete the solution and membership forms use to pick a city."""

import pytest
from django.urls import reverse

from cities.models import City
from tests.support.admin_pages import (
    assert_add_page,
    assert_change_page_queries,
    assert_changelist_queries,
    by_model,
    registered_models,
)

pytestmark = pytest.mark.django_db

# Exact queries on a cold cache, the same with 3 rows of every kind as with 60.
CHANGELIST_QUERIES = {City: 5}
CHANGE_PAGE_QUERIES = {City: 4}


def test_every_city_model_in_the_admin_has_its_query_counts_pinned():
    assert registered_models("cities") == list(CHANGELIST_QUERIES) == list(CHANGE_PAGE_QUERIES)


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


def test_add_page_answers_for_a_superuser(admin_client):
    assert_add_page(admin_client, City)


def test_city_autocomplete_finds_a_city_by_alternate_name(admin_client, solution):
    solution.city.alternate_names = "Nairobi City\nNairobbi"
    solution.city.save()

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Nairobbi",
            "app_label": "solutions",
            "model_name": "solution",
            "field_name": "city",
        },
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Nairobi, Kenya"]

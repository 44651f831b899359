"""Every admin changelist, add and change page works for a superuser, in bounded queries."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Membership
from solutions.models import ReviewQueueItem, SolutionImage, SourceLink, WorkflowEvent
from tests.support.factories import (
    make_city,
    make_indicator,
    make_network,
    make_partner,
    make_solution,
    make_staff,
    make_theme,
    make_transfer,
)

# The project's own models and the auth and tag models it configures. The review queue is a
# filtered view of solutions, tested with the workflow admin; django-axes' read-only log
# pages are tested with the security tests.
OWN_APPS = {"cities", "networks", "solutions", "auth", "taggit"}
REGISTERED = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in OWN_APPS and model is not ReviewQueueItem
    ),
    key=lambda model: model._meta.label,
)
MAX_QUERIES = 20


def populate(count):
    """`count` solutions, each with one row of every related model the admin lists."""
    theme = make_theme()
    for i in range(count):
        solution = make_solution(themes=[theme], tags=[f"tag-{i}", "shared"])
        make_partner(solution)
        SourceLink.objects.create(solution=solution, title="Report", url=f"https://example.org/{i}")
        SolutionImage.objects.create(
            solution=solution, image="solutions/placeholder.png", alt_text=f"Picture {i}"
        )
        make_indicator(solution, measurements=[(2020, 1), (2021, 2)])
        make_transfer(solution)
        WorkflowEvent.objects.create(solution=solution, from_status="draft", to_status="in_review")
        Membership.objects.create(network=solution.network, city=solution.city)
        make_staff(solution.network)


def queries_for(client, url):
    client.get(url)  # warm per-process caches (content types, sessions) first
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_lists_rows_in_queries_that_do_not_grow(admin_client, model):
    populate(2)
    few, _ = queries_for(admin_client, changelist_url(model))
    populate(8)
    many, response = queries_for(admin_client, changelist_url(model))

    assert many == few
    assert many <= MAX_QUERIES
    total = model._default_manager.count()
    assert total > 0
    label = model._meta.verbose_name if total == 1 else model._meta.verbose_name_plural
    assert f"{total} {label}" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_change_page_shows_the_row_in_queries_that_do_not_grow(admin_client, model):
    populate(2)
    obj = model._default_manager.order_by("pk").first()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    few, _ = queries_for(admin_client, url)
    populate(8)
    many, response = queries_for(admin_client, url)

    assert many == few
    assert many <= MAX_QUERIES + 10
    assert str(obj) in response.text or str(obj).replace("&", "&amp;") in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [m for m in REGISTERED if admin.site._registry[m].has_add_permission is not None],
    ids=lambda model: model._meta.label,
)
def test_add_page_answers_for_a_superuser(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    response = admin_client.get(url)
    if model is WorkflowEvent:
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert f"Add {model._meta.verbose_name}" in response.text


@pytest.mark.django_db
def test_solution_change_page_queries_do_not_grow_with_inline_rows(admin_client):
    few_rows = make_solution()
    make_partner(few_rows)
    many_rows = make_solution()
    for _ in range(6):
        make_partner(many_rows)
        make_indicator(many_rows, measurements=[(2020, 1)])
        make_transfer(many_rows)
    url = "admin:solutions_solution_change"

    few, _ = queries_for(admin_client, reverse(url, args=[few_rows.pk]))
    many, response = queries_for(admin_client, reverse(url, args=[many_rows.pk]))

    assert many == few
    assert response.text.count('name="partners-') > 6


@pytest.mark.django_db
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
    assert [item["text"] for item in response.json()["results"]] == ["Nairobi, Kenya"]


@pytest.mark.django_db
def test_admin_is_refused_to_anonymous_and_non_staff_users(client, django_user_model):
    response = client.get(changelist_url(REGISTERED[0]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]

    user = django_user_model.objects.create_user("visitor", password="a-long-password")
    client.force_login(user)
    response = client.get(changelist_url(REGISTERED[0]))
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["network", "city"])
def test_membership_inlines_do_not_query_per_row(admin_client, kind):
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

    few, _ = queries_for(admin_client, reverse(url, args=[few_obj.pk]))
    many, response = queries_for(admin_client, reverse(url, args=[many_obj.pk]))

    assert many == few
    shown = (
        many_network.memberships.first().city
        if kind == "network"
        else many_city.memberships.first().network
    )
    assert str(shown) in response.text

"""The admin's changelist, change and add pages of a model, for the tests of each app's admin.

Each app's test_admin.py pins, model by model, the exact number of queries of its changelist
and change page, the same with 3 rows of every kind as with 60 (see queries.py).
"""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from networks.models import Membership
from solutions.models import SolutionImage, SourceLink, WorkflowEvent
from tests.support.factories import (
    make_indicator,
    make_partner,
    make_solution,
    make_staff,
    make_theme,
    make_transfer,
)
from tests.support.queries import assert_queries_do_not_grow


def registered_models(*app_labels):
    """The models of these apps registered in the admin, by label."""
    return sorted(
        (model for model in admin.site._registry if model._meta.app_label in app_labels),
        key=lambda model: model._meta.label,
    )


def admin_url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


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


def assert_changelist_queries(client, model, django_assert_num_queries, queries):
    """The changelist counts every row and runs exactly `queries` queries for 3 and for 60."""

    def add(count):
        populate(count)
        total = model._default_manager.count()
        label = model._meta.verbose_name if total == 1 else model._meta.verbose_name_plural
        return f"{total} {label}"

    assert_queries_do_not_grow(
        client, admin_url(model, "changelist"), add, django_assert_num_queries, queries
    )


def assert_change_page_queries(client, model, django_assert_num_queries, queries):
    """The change page of the first row shows it and runs exactly `queries` queries, with 3
    rows of every kind and with 60."""

    def first():
        return model._default_manager.order_by("pk").first()

    def add(count):
        populate(count)
        return escape(str(first()))

    assert_queries_do_not_grow(
        client,
        lambda: admin_url(model, "change", first().pk),
        add,
        django_assert_num_queries,
        queries,
    )


def assert_add_page(client, model):
    response = client.get(admin_url(model, "add"))
    assert response.status_code == 200
    assert f"Add {model._meta.verbose_name}" in response.text


def by_model(counts):
    """pytest parameters (model, exact queries), each named by the model's label."""
    return [pytest.param(model, queries, id=model._meta.label) for model, queries in counts.items()]

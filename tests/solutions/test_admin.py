"""The solutions admin (solutions, their related rows, themes, SDGs, tags, the workflow log):
changelists and change pages in exact queries, add pages, and inline rows on a solution.

The review queue and the workflow views are tested in workflow/test_review_admin.py.
"""

import pytest
from django.urls import reverse
from taggit.models import Tag

from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    ReviewQueueItem,
    Solution,
    SolutionImage,
    SourceLink,
    SustainableDevelopmentGoal,
    Theme,
    Transfer,
    WorkflowEvent,
)
from tests.support.admin_pages import (
    assert_add_page,
    assert_change_page_queries,
    assert_changelist_queries,
    by_model,
    registered_models,
)
from tests.support.factories import make_indicator, make_partner, make_solution, make_transfer
from tests.support.queries import get_counted

pytestmark = pytest.mark.django_db

# Exact queries on a cold cache, the same with 3 rows of every kind as with 60.
CHANGELIST_QUERIES = {
    Indicator: 5,
    Measurement: 5,
    Partner: 5,
    Solution: 11,
    SolutionImage: 5,
    SourceLink: 5,
    SustainableDevelopmentGoal: 5,
    Theme: 5,
    Transfer: 6,
    WorkflowEvent: 5,
    Tag: 5,
}
CHANGE_PAGE_QUERIES = {
    Indicator: 8,
    Measurement: 6,
    Partner: 5,
    Solution: 17,
    SolutionImage: 5,
    SourceLink: 5,
    SustainableDevelopmentGoal: 3,
    Theme: 3,
    Transfer: 11,
    WorkflowEvent: 4,
    Tag: 3,
}


def test_every_solutions_model_in_the_admin_has_its_query_counts_pinned():
    # The review queue is a filtered view of solutions, with tests of its own.
    models = [m for m in registered_models("solutions", "taggit") if m is not ReviewQueueItem]
    assert models == list(CHANGELIST_QUERIES) == list(CHANGE_PAGE_QUERIES)


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


# Workflow events are only ever written by the workflow: test_models.py checks that their add
# page is refused.
@pytest.mark.parametrize(
    "model",
    [m for m in CHANGELIST_QUERIES if m is not WorkflowEvent],
    ids=lambda m: m._meta.label,
)
def test_add_page_answers_for_a_superuser(admin_client, model):
    assert_add_page(admin_client, model)


SOLUTION_WITH_INLINES_QUERIES = 16


def test_solution_change_page_queries_do_not_grow_with_inline_rows(
    admin_client, django_assert_num_queries
):
    few_rows = make_solution()
    make_partner(few_rows)
    many_rows = make_solution()
    for _ in range(6):
        make_partner(many_rows)
        make_indicator(many_rows, measurements=[(2020, 1)])
        make_transfer(many_rows)
    admin_client.get(reverse("admin:solutions_solution_change", args=[few_rows.pk]))

    for solution in (few_rows, many_rows):
        html = get_counted(
            admin_client,
            reverse("admin:solutions_solution_change", args=[solution.pk]),
            django_assert_num_queries,
            SOLUTION_WITH_INLINES_QUERIES,
        )

    assert html.count('name="partners-') > 6

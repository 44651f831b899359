"""The solutions admin (solutions, their related rows, themes, SDGs, tags, the workflow log):
changelists and change pages in exact queries, add pages, inline rows on a solution, and how a
case study's page shows its tags and pictures.

The review queue and the workflow views are tested in workflow/test_review_admin.py.
"""

from html import unescape

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
from tests.support.factories import (
    make_city,
    make_indicator,
    make_network,
    make_partner,
    make_solution,
    make_transfer,
)
from tests.support.html_forms import form_data
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


# What a curator reads on a case study's page.


def tags_box(response):
    """The lines of the tags' box on the change page, as a browser shows them."""
    box = response.text.split('name="tags"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]
    return [line for line in unescape(box).splitlines() if line]


def test_tags_show_one_per_line_not_as_a_quoted_string(admin_client):
    solution = make_solution(tags=["community toilets", "sanitation"])

    response = admin_client.get(reverse("admin:solutions_solution_change", args=[solution.pk]))

    assert sorted(tags_box(response)) == ["community toilets", "sanitation"]
    assert "&quot;community toilets&quot;" not in response.text


def test_tags_are_saved_from_their_lines(admin_client):
    solution = make_solution(tags=["old tag"])
    url = reverse("admin:solutions_solution_change", args=[solution.pk])
    data = form_data(admin_client.get(url))

    response = admin_client.post(url, {**data, "tags": "water kiosks\n\nrain, drains\nrain"})

    assert response.status_code == 302
    assert sorted(Solution.objects.get(pk=solution.pk).tags.names()) == [
        "drains",
        "rain",
        "water kiosks",
    ]


@pytest.mark.parametrize(
    "tags, error",
    [
        ("t" * 101, "A tag can be at most 100 characters"),
        ("\n".join(f"tag {i}" for i in range(21)), "Give at most 20 tags."),
        ("water\x00kiosks", "Tags cannot contain null characters."),
    ],
    ids=["too-long", "too-many", "nul"],
)
def test_tags_beyond_the_site_limits_are_refused_with_a_message(admin_client, tags, error):
    solution = make_solution(tags=["kept"])
    url = reverse("admin:solutions_solution_change", args=[solution.pk])
    data = form_data(admin_client.get(url))

    response = admin_client.post(url, {**data, "tags": tags})

    assert response.status_code == 200
    assert error in unescape(response.text)
    assert list(Solution.objects.get(pk=solution.pk).tags.names()) == ["kept"]


@pytest.mark.parametrize("page", ["solution", "image"])
def test_pictures_show_as_thumbnails_with_their_alt_text(admin_client, page):
    solution = make_solution()
    image = SolutionImage.objects.create(
        solution=solution, image="solutions/kiosk.png", alt_text="A water kiosk at dusk"
    )
    url = (
        reverse("admin:solutions_solution_change", args=[solution.pk])
        if page == "solution"
        else reverse("admin:solutions_solutionimage_change", args=[image.pk])
    )

    response = admin_client.get(url)

    assert f'<img src="{image.image.url}" alt="A water kiosk at dusk">' in response.text
    assert "<figcaption>Alt text: A water kiosk at dusk</figcaption>" in response.text


def test_the_solution_list_shows_short_columns(admin_client):
    make_solution(
        title="Kiosks",
        city=make_city(name="Nairobi", country="KE"),
        network=make_network(name="City2City Network", acronym="C2C"),
    )

    response = admin_client.get(reverse("admin:solutions_solution_changelist"))

    row = response.text.split('id="result_list"', 1)[1].split("</tr>", 2)[1]
    assert '<td class="field-city_name">Nairobi (KE)</td>' in row
    assert '<abbr title="City2City Network">C2C</abbr>' in row
    assert '<td class="field-published nowrap">Jan. 1, 2025</td>' in row

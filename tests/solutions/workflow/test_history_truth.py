"""A history that tells the truth: every version holds the whole case study, whichever path
saved it; comparing two shows only what changed; a curator first sees what changed since the
last review; restoring a version brings back exactly its rows."""

import json
from collections import defaultdict

import pytest
from django.contrib.auth.models import Group
from django.core import serializers
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    Status,
)
from solutions.services import indicator_set_measurements, solution_record_change
from solutions.workflow.transitions import transition
from tests.support.factories import (
    make_indicator,
    make_partner,
    make_solution,
    make_staff,
    make_theme,
    make_user,
)
from tests.support.html_forms import form_data, read_form
from tests.support.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

ROW_KINDS = ["partner", "sourcelink", "solutionimage", "indicator", "measurement", "taggeditem"]


# People, pages and the case study.


@pytest.fixture
def author(network):
    user = make_user(username="author")
    make_staff(network, user=user)
    return user


@pytest.fixture
def curator():
    user = make_user(username="curator", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def edit_url(solution):
    return reverse("solutions:edit", kwargs={"slug": solution.slug})


def compare_url(solution, query=""):
    return reverse("admin:solutions_solution_compare", args=[solution.pk]) + query


def staff_save(client, solution, action="save", **changes):
    """Post the staff form as a browser would, with `changes` to what it shows."""
    form = read_form(client.get(edit_url(solution)), css_class="submission")
    response = client.post(edit_url(solution), form.data() | {"action": action, **changes})
    assert response.status_code == 302, response.context and response.context["errors"]


@pytest.fixture
def case_study(author, city, network, theme):
    """A draft sent back for changes, with a row of every kind its history keeps."""
    solution = make_solution(
        title="Water kiosks",
        status=Status.DRAFT,
        published_at=None,
        author=author,
        city=city,
        network=network,
        themes=[theme],
        tags=["water", "kiosks"],
    )
    make_partner(solution, name="Water board", sector="government", role="Licensed them")
    make_partner(solution, name="Women's group", sector="community", role="Ran them")
    SourceLink.objects.create(solution=solution, title="Report", url="https://example.org/r")
    SolutionImage.objects.create(
        solution=solution, image="solutions/kiosk.png", alt_text="A blue kiosk", caption="Kibera"
    )
    make_indicator(
        solution, name="Kiosks open", unit="kiosks", measurements=[(2019, 4), (2020, 9), (2021, 12)]
    )
    return solution


def sent_back(solution, author, curator):
    """Submitted by its author from the staff form, and sent back by a curator."""
    staff_save(logged_in(author), solution, action="submit")
    transition(solution, user=curator, name="request_changes", comment="Add the costs.")


# What a version holds, and what the database holds.


def versions_of(solution):
    return list(Version.objects.get_for_object(solution).select_related("revision"))


def _by_kind(pairs):
    held = defaultdict(dict)
    for kind, pk, fields in pairs:
        fields.pop("search_document", None)  # derived by the database, never versioned
        held[kind][str(pk)] = fields
    return dict(held)


def held_by(version):
    """Every row the version's revision holds, by kind and id, with its stored fields."""
    return _by_kind(
        (other.content_type.model, other.object_id, json.loads(other.serialized_data)[0]["fields"])
        for other in version.revision.version_set.select_related("content_type")
    )


def in_database(solution):
    """The case study and every row its history should keep, as the database holds them."""
    solution = Solution.objects.get(pk=solution.pk)
    rows = [
        solution,
        *solution.partners.all(),
        *solution.sources.all(),
        *solution.images.all(),
        *solution.indicators.all(),
        *Measurement.objects.filter(indicator__solution=solution),
        *solution.tagged_items.all(),
    ]
    return _by_kind(
        (row._meta.model_name, row.pk, data["fields"])
        for row, data in zip(rows, json.loads(serializers.serialize("json", rows)), strict=True)
    )


def assert_newest_version_is_the_database(solution):
    held, database = held_by(versions_of(solution)[0]), in_database(solution)
    assert held.keys() == database.keys()
    for kind in database:
        assert held[kind] == database[kind], kind


# 1. Every path stores the whole case study.


def test_the_staff_form_stores_every_row_with_the_measurements_it_saved(case_study, author):
    staff_save(
        logged_in(author),
        case_study,
        **{
            "indicators-0-measurements": "2019: 4; 2020: 10; 2022: 15",
            "indicators-1-name": "Litres sold a day",
            "indicators-1-unit": "litres",
            "indicators-1-direction": "increase",
            "indicators-1-measurements": "2021: 800; 2022: 950",
            "indicators-TOTAL_FORMS": "2",
            "partners-1-role": "Runs them still",
        },
    )

    assert_newest_version_is_the_database(case_study)
    held = held_by(versions_of(case_study)[0])["measurement"]
    assert sorted((row["year"], row["value"]) for row in held.values()) == [
        (2019, 4.0),
        (2020, 10.0),
        (2021, 800.0),
        (2022, 15.0),
        (2022, 950.0),
    ]


def test_the_admin_change_form_stores_every_row(case_study, curator):
    client = logged_in(curator)
    url = reverse("admin:solutions_solution_change", args=[case_study.pk])
    data = form_data(client.get(url))

    response = client.post(url, data | {"title": "Water kiosks in Kibera"})

    assert response.status_code == 302, response.context and response.context["errors"]
    assert versions_of(case_study)[0].field_dict["title"] == "Water kiosks in Kibera"
    assert_newest_version_is_the_database(case_study)
    assert len(held_by(versions_of(case_study)[0])["measurement"]) == 3


def test_a_workflow_step_stores_every_row(case_study, author):
    transition(case_study, user=author, name="submit")

    assert versions_of(case_study)[0].revision.comment == "Submit for review"
    assert_newest_version_is_the_database(case_study)


def test_measurements_set_on_their_own_are_a_version_of_the_case_study(case_study, author):
    indicator = case_study.indicators.get()
    opened_at = Solution.objects.get(pk=case_study.pk).updated_at

    indicator_set_measurements(
        indicator=indicator, values=[(2020, 11.0), (2023, 20.0)], user=author
    )

    [newest] = versions_of(case_study)
    assert newest.revision.user == author
    assert newest.revision.comment == "Changed the measurements of “Kiosks open”"
    assert_newest_version_is_the_database(case_study)
    assert Solution.objects.get(pk=case_study.pk).updated_at > opened_at  # the edit token moved


def test_a_year_kept_keeps_its_row_and_its_note(case_study):
    indicator = case_study.indicators.get()
    Measurement.objects.filter(indicator=indicator, year=2020).update(note="estimated")
    before = dict(indicator.measurements.values_list("year", "pk"))

    indicator_set_measurements(indicator=indicator, values=[(2020, 10.0), (2022, 13.0)])

    after = {row.year: row for row in indicator.measurements.all()}
    assert sorted(after) == [2020, 2022]
    assert after[2020].pk == before[2020]
    assert (after[2020].value, after[2020].note) == (10.0, "estimated")


# 2. Comparing shows only what changed.


def page_text(response):
    assert response.status_code == 200
    return response.text


def headings(text):
    return [part.split("</h2>", 1)[0] for part in text.split("<h2>")[1:]]


def test_a_resubmission_shows_only_what_the_author_changed(case_study, author, curator):
    sent_back(case_study, author, curator)

    staff_save(logged_in(author), case_study, action="submit", summary="Now with the costs.")

    text = page_text(logged_in(curator).get(compare_url(case_study)))
    assert headings(text) == ["Summary", "Compare other versions"]
    assert "+ Now with the costs." in text


def test_a_renamed_indicator_is_one_change_not_every_measurement_again(case_study, curator):
    older = versions_of_saved(case_study, curator)
    Indicator.objects.filter(solution=case_study).update(name="Kiosks in service")
    Partner.objects.filter(name="Water board").update(role="Licenses and inspects them")
    Solution.objects.filter(pk=case_study.pk).update(title="Kiosks that stay open")
    newer = versions_of_saved(case_study, curator)

    text = page_text(logged_in(curator).get(compare_url(case_study, f"?from={older}&to={newer}")))

    assert headings(text) == ["Title", "Partners", "Indicators", "Compare other versions"]
    assert "− Kiosks open (kiosks)" in text and "+ Kiosks in service (kiosks)" in text
    assert "− Water board (Government) · role: Licensed them" in text
    assert "+ Water board (Government) · role: Licenses and inspects them" in text
    assert "  Women&#x27;s group (Community and grassroots)" in text


def test_a_changed_measurement_is_one_row_changed(case_study, curator):
    older = versions_of_saved(case_study, curator)
    indicator_set_measurements(
        indicator=case_study.indicators.get(), values=[(2019, 4), (2020, 9.5), (2021, 12)]
    )
    newer = versions_of(case_study)[0].revision_id

    text = page_text(logged_in(curator).get(compare_url(case_study, f"?from={older}&to={newer}")))

    assert headings(text) == ["Measurements", "Compare other versions"]
    assert "− Kiosks open 2020: 9\n" in text.replace("</span>", "")
    assert "+ Kiosks open 2020: 9.5" in text
    assert "  Kiosks open 2019: 4" in text and "  Kiosks open 2021: 12" in text


def versions_of_saved(solution, user):
    """Save the case study as it is now as a version (as the admin would); its revision id."""
    solution_record_change(solution_pk=solution.pk, user=user, comment="Saved")
    return versions_of(solution)[0].revision_id


# 3. The first comparison is what changed since the last review.


def test_the_default_is_since_changes_were_requested_and_says_so(case_study, author, curator):
    sent_back(case_study, author, curator)
    reviewed = versions_of(case_study)[0]
    client = logged_in(author)
    staff_save(client, case_study, summary="First answer.")
    staff_save(client, case_study, summary="Second answer.", results="Costs: 20,000 US$.")

    response = logged_in(curator).get(compare_url(case_study))

    text = page_text(response)
    assert "What changed since curator requested changes on" in text
    assert headings(text) == ["Summary", "Results", "Compare other versions"]
    assert "+ Second answer." in text and "First answer." not in text
    choice = read_form(response, css_class="compare-choice")
    assert choice.method == "get"
    assert choice.selected("from") == [str(reviewed.revision_id)]
    assert choice.selected("to") == [str(versions_of(case_study)[0].revision_id)]
    assert len(choice.options("from")) == len(versions_of(case_study))


def test_after_publication_the_default_is_since_it_was_published(case_study, author, curator):
    sent_back(case_study, author, curator)
    staff_save(logged_in(author), case_study, action="submit", summary="Answered.")
    transition(case_study, user=curator, name="publish")
    Solution.objects.filter(pk=case_study.pk).update(funding="A grant.")
    versions_of_saved(case_study, curator)

    text = page_text(logged_in(curator).get(compare_url(case_study)))

    assert "What changed since curator published it on" in text
    assert headings(text) == ["Cost and funding", "Compare other versions"]


def test_with_nothing_saved_since_the_review_the_page_says_so(case_study, author, curator):
    sent_back(case_study, author, curator)

    text = page_text(logged_in(curator).get(compare_url(case_study)))

    assert "Nothing has been saved since then" in text


def test_without_a_review_the_default_is_the_two_newest(case_study, author, curator):
    client = logged_in(author)
    staff_save(client, case_study, summary="One.")
    staff_save(client, case_study, summary="Two.")
    staff_save(client, case_study, summary="Three.")

    text = page_text(logged_in(curator).get(compare_url(case_study)))

    assert "No saved version has been reviewed yet, so these are the two newest" in text
    assert "− Two." in text and "+ Three." in text and "One." not in text


def test_two_chosen_versions_are_compared_and_the_default_is_a_link_away(case_study, curator):
    first = versions_of_saved(case_study, curator)
    Solution.objects.filter(pk=case_study.pk).update(title="Renamed")
    versions_of_saved(case_study, curator)
    Solution.objects.filter(pk=case_study.pk).update(title="Renamed again")
    last = versions_of_saved(case_study, curator)

    text = page_text(logged_in(curator).get(compare_url(case_study, f"?from={last}&to={first}")))

    assert "The version saved" in text
    assert "− Water kiosks" in text and "+ Renamed again" in text
    assert f'href="{compare_url(case_study)}"' in text


@pytest.mark.parametrize("query", ["?from=abc&to=1", "?to=%00", "?from=1" + "0" * 40])
def test_a_choice_that_is_not_a_version_of_this_case_study_is_refused_plainly(
    case_study, curator, query
):
    versions_of_saved(case_study, curator)
    other = make_solution(themes=[make_theme()])
    versions_of_saved(other, curator)
    client = logged_in(curator)

    for refused in [query, f"?from={versions_of(other)[0].revision_id}&to=1"]:
        response = client.get(compare_url(case_study, refused))
        assert response.status_code == 302
        history = reverse("admin:solutions_solution_history", args=[case_study.pk])
        assert response["Location"] == history
        messages = [str(m) for m in client.get(history).context["messages"]]
        assert messages == ["Choose two versions to compare."]


def test_the_compare_page_runs_the_same_exact_queries_for_3_rows_and_for_60(
    case_study, author, curator, django_assert_num_queries
):
    sent_back(case_study, author, curator)
    indicator = case_study.indicators.get()

    def add(count):
        start = Partner.objects.count()
        for n in range(start, start + count):
            make_partner(case_study, name=f"Partner {n:03}")
            Measurement.objects.create(indicator=indicator, year=1950 + n, value=n)
        versions_of_saved(case_study, curator)
        return f"+ Partner {start + count - 1:03}"

    assert_queries_do_not_grow(
        logged_in(curator), compare_url(case_study), add, django_assert_num_queries, 8
    )


# 4. Restoring brings back exactly the rows of the version.


def table_rows(solution):
    """Every row of the case study's related tables, with every column."""
    return {
        "partners": sorted(Partner.objects.filter(solution=solution).values_list()),
        "sources": sorted(SourceLink.objects.filter(solution=solution).values_list()),
        "images": sorted(SolutionImage.objects.filter(solution=solution).values_list()),
        "indicators": sorted(Indicator.objects.filter(solution=solution).values_list()),
        "measurements": sorted(
            Measurement.objects.filter(indicator__solution=solution).values_list()
        ),
    }


def restore(client, solution, version):
    url = reverse("admin:solutions_solution_revision", args=[solution.pk, version.pk])
    response = client.post(url, form_data(client.get(url)))
    assert response.status_code == 302, response.context and response.context["errors"]


def test_restoring_a_staff_saved_version_brings_back_its_rows_exactly(case_study, author, curator):
    client = logged_in(author)
    staff_save(client, case_study, **{"indicators-0-measurements": "2019: 5; 2020: 9"})
    saved = versions_of(case_study)[0]
    before = table_rows(case_study)
    staff_save(
        client,
        case_study,
        **{
            "indicators-0-measurements": "2020: 10; 2024: 30",
            "partners-0-DELETE": "on",
            "partners-1-role": "Changed",
            "sources-0-url": "https://example.org/elsewhere",
            "images-0-alt_text": "Another description",
        },
    )
    make_indicator(case_study, name="Added later", measurements=[(2024, 1)])
    assert table_rows(case_study) != before

    restore(logged_in(curator), case_study, saved)

    assert table_rows(case_study) == before

"""The data migration that gives stored versions back the measurements the staff form once
left out (solutions/migrations/0017): it fills in what the history proves, and nothing else."""

import importlib
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from solutions.models import Measurement, Solution, Status
from solutions.services import (
    RowChanges,
    indicator_set_measurements,
    solution_record_change,
    solution_save,
)
from solutions.workflow.history import compare_versions
from solutions.workflow.transitions import transition
from tests.support.factories import make_indicator, make_solution, make_theme, make_user
from tests.support.html_forms import form_data

pytestmark = pytest.mark.django_db

migration = importlib.import_module("solutions.migrations.0017_repair_version_measurements")


@pytest.fixture
def author():
    return make_user(username="author")


@pytest.fixture
def case_study(author):
    solution = make_solution(
        title="Cycle lanes",
        status=Status.DRAFT,
        published_at=None,
        author=author,
        themes=[make_theme()],
    )
    make_indicator(solution, name="Cyclists a day", measurements=[(2019, 100), (2020, 150)])
    return solution


def newest(solution):
    return Version.objects.get_for_object(solution).select_related("revision").first()


def measurements_held(version):
    """(id, year, value) of each measurement the version's revision holds."""
    held = version.revision.version_set.filter(
        content_type=ContentType.objects.get_for_model(Measurement)
    )
    rows = [(v.object_id, json.loads(v.serialized_data)[0]["fields"]) for v in held]
    return sorted((int(pk), fields["year"], fields["value"]) for pk, fields in rows)


def in_database(solution):
    return sorted(
        Measurement.objects.filter(indicator__solution=solution).values_list("pk", "year", "value")
    )


def old_staff_save(solution, author, values):
    """A save of the staff form as it was before e3d5229: the indicator's measurements replaced
    by new rows, and its version holding the indicator without any of them."""
    indicator = solution.indicators.get()
    indicator.measurements.all().delete()
    current = Solution.objects.get(pk=solution.pk)
    solution_save(
        solution=current,
        user=author,
        opened_at=current.updated_at.isoformat(),
        related={"indicators": RowChanges(saved=[indicator])},
        measurements=[(indicator, values)],
    )
    version = newest(solution)
    assert version.revision.comment == migration.STAFF_SAVE
    version.revision.version_set.filter(
        content_type=ContentType.objects.get_for_model(Measurement)
    ).delete()
    assert measurements_held(version) == []
    return version


def repair():
    return migration.repair(apps, "default")


def test_a_staff_save_followed_by_a_workflow_step_gets_the_steps_measurements(case_study, author):
    saved = old_staff_save(case_study, author, [(2020, 160), (2021, 210)])
    rows = in_database(case_study)
    transition(case_study, user=author, name="submit")
    step = newest(case_study)
    indicator_set_measurements(indicator=case_study.indicators.get(), values=[(2022, 1)])

    assert repair() == 2

    assert measurements_held(saved) == rows == measurements_held(step)
    labels = [change.label for change in compare_versions(saved, step)]
    assert "Measurements" not in labels  # no phantom rows between the two any more
    reprs = sorted(
        saved.revision.version_set.filter(
            content_type=ContentType.objects.get_for_model(Measurement)
        ).values_list("object_repr", flat=True)
    )
    assert reprs == ["Cyclists a day 2020: 160", "Cyclists a day 2021: 210"]


@pytest.mark.parametrize(
    "next_save",
    ["Changed Title and Summary.", "Added partner on its own page", "Publish", "Archive: Old."],
)
def test_a_save_that_cannot_change_measurements_vouches_for_the_one_before(
    case_study, author, next_save
):
    saved = old_staff_save(case_study, author, [(2020, 160)])
    rows = in_database(case_study)
    solution_record_change(solution_pk=case_study.pk, user=author, comment=next_save)
    indicator_set_measurements(indicator=case_study.indicators.get(), values=[(2022, 1)])

    assert repair() == 1

    assert measurements_held(saved) == rows


def test_the_newest_staff_save_gets_the_measurements_in_the_database(case_study, author):
    saved = old_staff_save(case_study, author, [(2020, 160), (2021, 210)])

    assert repair() == 2

    assert measurements_held(saved) == in_database(case_study)


@pytest.mark.parametrize(
    "next_save",
    [
        "Reverted to previous version, saved on 1 Dec. 2026, 9:00 a.m.",
        "Changed measurement on its own page",
        "Changed indicator on its own page",
        "",
    ],
)
def test_a_save_that_may_have_changed_measurements_proves_nothing(case_study, author, next_save):
    saved = old_staff_save(case_study, author, [(2020, 160)])
    solution_record_change(solution_pk=case_study.pk, user=author, comment=next_save)

    assert repair() == 0

    assert measurements_held(saved) == []


def test_a_staff_save_rewritten_by_the_next_one_stays_as_stored(case_study, author):
    first = old_staff_save(case_study, author, [(2020, 160)])
    second = old_staff_save(case_study, author, [(2020, 170)])

    assert repair() == 1  # only the newest, from the database

    assert measurements_held(first) == []
    assert measurements_held(second) == in_database(case_study)


def test_the_repair_is_a_no_op_on_an_empty_database_and_when_run_again(case_study, author):
    assert not Version.objects.exists()
    assert repair() == 0
    assert not Version.objects.exists()

    old_staff_save(case_study, author, [(2020, 160)])
    assert repair() == 1
    count = Version.objects.count()
    assert repair() == 0
    assert Version.objects.count() == count


def test_restoring_a_repaired_version_brings_back_its_measurements(case_study, author):
    saved = old_staff_save(case_study, author, [(2020, 160), (2021, 210)])
    rows = in_database(case_study)
    transition(case_study, user=author, name="submit")
    indicator_set_measurements(indicator=case_study.indicators.get(), values=[(2022, 1)])
    repair()
    curator = make_user(is_staff=True)
    curator.groups.add(Group.objects.get(name="Curators"))
    client = Client()
    client.force_login(curator)
    url = reverse("admin:solutions_solution_revision", args=[case_study.pk, saved.pk])

    response = client.post(url, form_data(client.get(url)))

    assert response.status_code == 302
    assert in_database(case_study) == rows

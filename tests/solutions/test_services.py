"""The write services: a case study saved with its rows as one version, and lost edits refused."""

import pytest
import reversion
from reversion.models import Version

from solutions.models import Indicator, Measurement, Solution
from solutions.services import EditConflict, RowChanges, solution_save
from tests.support.factories import make_indicator, make_solution, make_theme, make_user

pytestmark = pytest.mark.django_db


def saved_rows(solution):
    """(model, repr) of every row the latest version of the solution holds."""
    version = Version.objects.get_for_object(solution).first()
    return {
        (other.content_type.model, other.object_repr)
        for other in version.revision.version_set.select_related("content_type")
    }


def test_a_version_holds_the_measurements_saved_with_it():
    author = make_user()
    solution = make_solution(author=author, status="draft", published_at=None)
    indicator = make_indicator(solution, name="Homes connected", measurements=[(2019, 10)])
    with reversion.create_revision():
        solution.save()  # a first version, with 2019 only

    indicator.unit = "homes"
    solution_save(
        solution=solution,
        user=author,
        opened_at=solution.updated_at.isoformat(),
        related={"indicators": RowChanges(saved=[indicator])},
        measurements=[(indicator, [(2020, 25.0), (2021, 40.0)])],
    )

    rows = saved_rows(solution)
    assert ("measurement", "Homes connected 2020: 25") in rows
    assert ("measurement", "Homes connected 2021: 40") in rows
    assert ("measurement", "Homes connected 2019: 10") not in rows
    assert sorted(Measurement.objects.values_list("year", "value")) == [(2020, 25), (2021, 40)]


def test_themes_goals_and_tags_not_given_are_left_as_they_are():
    water = make_theme(name="Water")
    solution = make_solution(themes=[water], tags=["kiosks"], status="draft", published_at=None)
    solution.title = "Renamed"

    solution_save(solution=solution, user=make_user(), opened_at=solution.updated_at.isoformat())

    solution.refresh_from_db()
    assert solution.title == "Renamed"
    assert list(solution.themes.all()) == [water]
    assert list(solution.tags.names()) == ["kiosks"]


def test_a_save_from_a_form_opened_before_another_save_changes_nothing():
    solution = make_solution(title="Original", status="draft", published_at=None)
    opened_at = solution.updated_at.isoformat()
    Solution.objects.filter(pk=solution.pk).update(title="Theirs")  # someone else saved
    solution.refresh_from_db(fields=["updated_at"])
    Solution.objects.filter(pk=solution.pk).update(
        updated_at=solution.updated_at.replace(year=2030)
    )
    solution.title = "Mine"

    with pytest.raises(EditConflict, match="Someone else saved this case study"):
        solution_save(
            solution=solution,
            user=make_user(),
            opened_at=opened_at,
            related={"indicators": RowChanges(saved=[Indicator(name="New")])},
        )

    assert Solution.objects.get(pk=solution.pk).title == "Theirs"
    assert not Indicator.objects.exists()

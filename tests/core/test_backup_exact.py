"""A restored backup is the data it was made from: every microsecond, and what is derived."""

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from solutions.models import Solution
from tests.support.factories import make_solution

EXACT = datetime(2024, 5, 17, 9, 30, 12, 345678, tzinfo=UTC)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_brings_back_exact_times_and_the_spelling_vocabulary(
    tmp_path, settings, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    solution = make_solution(title="Rainwater harvesting cooperatives", summary="Cisterns.")
    Solution.objects.filter(pk=solution.pk).update(published_at=EXACT, updated_at=EXACT)
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    rebuilt = []
    monkeypatch.setattr("solutions.signals.refresh_vocabulary", lambda: rebuilt.append(True))

    call_command("restore", str(tmp_path / "backup"), stdout=StringIO())

    restored = Solution.objects.get(slug=solution.slug)
    assert (restored.published_at, restored.updated_at) == (EXACT, EXACT)
    assert rebuilt == [True]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_postgresql_suggestions_work_again_after_a_restore(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("the vocabulary of suggestions is PostgreSQL's")
    settings.MEDIA_ROOT = tmp_path / "media"
    make_solution(title="Rainwater harvesting cooperatives", summary="Cisterns.")
    call_command("backup", str(tmp_path / "backup"), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)

    call_command("restore", str(tmp_path / "backup"), stdout=StringIO())

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM solutions_search_words WHERE word = 'rainwater'")
        assert cursor.fetchone()[0] == 1

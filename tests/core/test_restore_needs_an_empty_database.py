"""Restore overwrites everything, so it only runs on a database with nothing of its own."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.backup import database_is_empty
from tests.support.factories import make_city, make_user

pytestmark = pytest.mark.django_db


def test_a_freshly_migrated_database_counts_as_empty():
    assert database_is_empty()  # the groups and the goals come with the migrations


@pytest.mark.parametrize("make_row", [make_user, make_city], ids=["a-user", "a-city"])
def test_any_row_of_its_own_makes_restore_refuse(make_row, tmp_path):
    make_row()

    assert not database_is_empty()
    with pytest.raises(CommandError, match="already has data. Restore into an empty database"):
        call_command("restore", str(tmp_path), stdout=StringIO())

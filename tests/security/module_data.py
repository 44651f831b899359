"""Data built once per test module."""

import pytest
from django.db import transaction


def built_once_per_module(build, name):
    """A module-scoped fixture `name`: what build() returns, built once per module (and xdist
    worker) in a transaction that is rolled back at the module's end.

    Like Django's TestCase.setUpTestData: each test runs in a savepoint inside that
    transaction (pytest-django's `db`), so whatever a test changes is undone after it. Use it
    through a function-scoped fixture that also asks for `db`.
    """

    @pytest.fixture(scope="module", name=name)
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    return fixture

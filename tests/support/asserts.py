"""Assertions shared by the tests: constraints, admin forms, refused and missing pages."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects


def assert_rejected_by_database(factory, *args, **fields):
    """The row is refused by the database itself, bypassing model validation."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(*args, **fields)


def assert_admin_rejects(client, url_name, data, message, model):
    """The admin form comes back with the readable message and nothing is saved."""
    count = model.objects.count()
    response = client.post(reverse(url_name), data)
    assert response.status_code == 200
    assertContains(response, escape(message))
    assert model.objects.count() == count


def assert_admin_accepts(client, url_name, data, model):
    count = model.objects.count()
    response = client.post(reverse(url_name), data)
    assertRedirects(response, reverse(url_name.replace("_add", "_changelist")))
    assert model.objects.count() == count + 1


def assert_validation_message(instance, message):
    with pytest.raises(ValidationError) as error:
        instance.validate_constraints()
    assert error.value.messages == [message]


def inline_management_data(*prefixes):
    data = {}
    for prefix in prefixes:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def assert_not_found(response, *hidden):
    """The site's own "Page not found" page, with nothing of what it hides on it."""
    assertContains(response, "<h1>Page not found</h1>", status_code=404)
    assert not response.has_header("Content-Disposition"), "a 404 is not a download"
    for text in hidden:
        assertNotContains(response, text, status_code=404)


def assert_forbidden(response):
    """The site's own "not allowed" page."""
    assertContains(response, "<h1>You cannot do that here</h1>", status_code=403)

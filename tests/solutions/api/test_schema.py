"""The OpenAPI schema: valid OpenAPI 3, documenting every endpoint and filter; and schemathesis
runs every operation with inputs generated from it: never a 500, and every answer (its status,
content type and body) as the schema says."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from solutions.filters.solutions import SolutionFilterSet
from solutions.filters.transfers import TransferFilterSet

pytestmark = pytest.mark.django_db


def test_the_schema_is_valid_openapi_3_and_lists_every_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)  # raises on any departure from the OpenAPI 3 schema
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/solutions/",
        "/api/v1/solutions/{slug}/",
        "/api/v1/cities/",
        "/api/v1/cities/{slug}/",
        "/api/v1/networks/",
        "/api/v1/networks/{slug}/",
        "/api/v1/themes/",
        "/api/v1/themes/{slug}/",
        "/api/v1/transfers/",
        "/api/v1/transfers/{id}/",
    }
    for path, filterset in [
        ("/api/v1/solutions/", SolutionFilterSet),
        ("/api/v1/transfers/", TransferFilterSet),
    ]:
        names = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert set(filterset.base_filters) | {"page", "page_size"} <= names
    # Each item is described by its own endpoint, not by a description they all share.
    items = [path for path in schema["paths"] if path.endswith("}/")]
    descriptions = {schema["paths"][path]["get"]["description"] for path in items}
    assert len(descriptions) == len(items) == 5
    assert (
        "published case studies"
        in schema["paths"]["/api/v1/solutions/{slug}/"]["get"]["description"].lower()
    )
    stage = next(
        p
        for p in schema["paths"]["/api/v1/solutions/"]["get"]["parameters"]
        if p["name"] == "stage"
    )
    assert stage["schema"]["items"]["enum"] == [
        "idea",
        "planned",
        "pilot",
        "implemented",
        "scaled",
        "discontinued",
    ]


def test_the_schema_is_served(client):
    response = client.get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Urban Solutions Exchange API"
    assert client.get("/api/v1/schema/").content.startswith(b"openapi: 3.")


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_every_operation_keeps_to_the_schema(world, settings):
    """Each operation with 40 generated inputs, valid and invalid (every parameter, every
    value its type allows), against the app in this process and this test's database.

    Driven by Hypothesis directly: schemathesis's own pytest plugin does not run under pytest
    9 (it reads a private attribute pytest no longer has)."""
    settings.API_REQUESTS_PER_MINUTE = 1_000_000  # the rate limit has a test of its own
    # The requests go through the WSGI handler, which closes the database connection when a
    # request ends; the test's data lives in the connection's transaction, so it must stay
    # open (Django's own test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        check_every_operation()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def check_every_operation():
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=20,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def keeps_to_the_schema(case):
                case.call_and_validate(checks=CHECKS)

            try:
                keeps_to_the_schema()
            except Unsatisfiable:
                # Every input this operation's schema allows is valid (a slug is any string):
                # there is no invalid one to send.
                assert mode == GenerationMode.NEGATIVE

"""/api/: the page that explains the API, with examples that work on this site."""

import pytest

from solutions.models import Status
from tests.support.factories import make_newest_solution

pytestmark = pytest.mark.django_db


def test_the_page_explains_every_endpoint_with_working_examples(client, world, settings):
    settings.API_REQUESTS_PER_MINUTE = 90
    html = client.get("/api/").content.decode()
    for endpoint in ["solutions", "cities", "networks", "themes", "transfers", "schema"]:
        assert f"<code>/api/v1/{endpoint}/" in html
    # The examples name this site, and a published case study that the API really returns.
    assert "curl 'http://testserver/api/v1/solutions/?theme=" in html
    newest = world["published"][1]  # Solar schools, published last
    assert f"http://testserver/api/v1/solutions/{newest.slug}/" in html
    assert client.get(f"/api/v1/solutions/{newest.slug}/").status_code == 200
    assert "90 requests a minute" in html
    assert 'data-schema-url="/api/v1/schema/?format=json"' in html
    assert "swagger-ui-bundle.js" in html and "js/api-docs.js" in html


def test_a_hidden_case_study_is_never_the_example(client, world):
    make_newest_solution(slug="newest-draft", status=Status.DRAFT, published_at=None)
    html = client.get("/api/").content.decode()
    assert "newest-draft" not in html


def test_the_page_runs_one_query(client, world, django_assert_num_queries):
    client.get("/api/")
    with django_assert_num_queries(1):  # the newest published case study, for the examples
        assert client.get("/api/").status_code == 200

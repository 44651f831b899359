"""What every API answer carries besides its data: ETag and 304, caching headers, CORS for any
origin on /api/ only, the rate limit's 429 with Retry-After, and refusals of anything but a
read."""

import pytest

from solutions.models import Status
from tests.support.factories import make_solution

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/solutions/",
    "/api/v1/solutions/water-kiosks-pune/",
    "/api/v1/cities/",
    "/api/v1/networks/city2city/",
    "/api/v1/themes/",
    "/api/v1/transfers/",
]


@pytest.mark.parametrize("url", URLS)
def test_an_unchanged_answer_is_a_304_until_the_content_changes(api, world, url):
    first = api.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 20

    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert api.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200

    make_solution(title="Something new", status=Status.PUBLISHED)  # the content changes
    after = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200
    assert after["ETag"] != etag


def test_each_address_and_query_has_its_own_etag(api, world):
    etags = {api.get(url)["ETag"] for url in URLS + ["/api/v1/solutions/?theme=water"]}
    assert len(etags) == len(URLS) + 1


def test_errors_are_neither_cached_nor_tagged(api, world):
    response = api.get("/api/v1/solutions/not-there/")
    assert response.status_code == 404
    assert not response.has_header("ETag")
    assert "public" not in response.get("Cache-Control", "")


def test_any_origin_may_read_the_api_from_a_browser(api, world):
    response = api.get("/api/v1/solutions/", HTTP_ORIGIN="https://research.example.edu")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = api.options(
        "/api/v1/solutions/",
        HTTP_ORIGIN="https://research.example.edu",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_the_site_s_own_pages_allow_no_other_origin(client, world):
    response = client.get("/solutions/", HTTP_ORIGIN="https://research.example.edu")
    assert response.status_code == 200
    assert not response.has_header("Access-Control-Allow-Origin")


@pytest.fixture
def three_a_minute(settings):
    settings.API_REQUESTS_PER_MINUTE = 3


def test_too_many_requests_are_refused_with_the_time_to_wait(api, world, three_a_minute):
    for _ in range(3):
        assert api.get("/api/v1/themes/").status_code == 200
    refused = api.get("/api/v1/themes/")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "throttled" in refused.json()["detail"]
    # Another address is counted on its own; a forged X-Forwarded-For changes nothing.
    assert api.get("/api/v1/themes/", REMOTE_ADDR="10.0.0.9").status_code == 200
    forged = api.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="10.0.0.77")
    assert forged.status_code == 429


def test_behind_trusted_proxies_each_client_is_counted_apart(api, world, three_a_minute, settings):
    settings.PROXY_COUNT = 1
    for _ in range(3):
        assert api.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 200
    assert api.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    assert api.get("/api/v1/themes/", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nothing_can_be_written(api, world, method):
    response = getattr(api, method)("/api/v1/solutions/water-kiosks-pune/", {"title": "x"})
    assert response.status_code == 405
    assert api.get("/api/v1/solutions/water-kiosks-pune/").json()["title"] == "Water kiosks"


def test_a_logged_in_curator_sees_no_more_than_anyone(api, world, superuser):
    api.force_login(superuser)
    slugs = {s["slug"] for s in api.get("/api/v1/solutions/?page_size=100").json()["results"]}
    assert slugs == {
        "water-kiosks-pune",
        "solar-schools-osaka",
        "toilets-nairobi",
        "bus-lanes-lima",
    }
    assert api.get("/api/v1/solutions/hidden-draft/").status_code == 404

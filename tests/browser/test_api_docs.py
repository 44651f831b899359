"""/api/ in a browser: Swagger UI, from this site's own files, renders the schema under the
Content Security Policy, fetches nothing from another site, and tries an endpoint."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.browser.conftest import BROWSER_TEST, screenshot
from tests.browser.test_csp import watch_for_violations

pytestmark = BROWSER_TEST


def test_the_reference_renders_from_this_site_under_the_policy(page, live_server, demo):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    violations = watch_for_violations(page)
    page.goto("/api/")
    reference = page.locator("#swagger-ui")
    expect(reference.get_by_text("/api/v1/solutions/{slug}/")).to_be_visible()
    expect(reference.get_by_text("/api/v1/transfers/", exact=True)).to_be_visible()
    screenshot(page, "api-docs")

    # Try an endpoint from the page: the answer comes from this site.
    reference.get_by_text("/api/v1/themes/", exact=True).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(reference.locator(".responses-wrapper .live-responses-table")).to_contain_text(
        "water-and-sanitation"
    )

    own = urlsplit(live_server.url).netloc
    web = [url for url in requested if urlsplit(url).scheme in {"http", "https"}]
    assert [url for url in web if urlsplit(url).netloc != own] == []
    assert violations == []

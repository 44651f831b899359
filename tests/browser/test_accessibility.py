"""axe-core on every public page type, the login page, the submission form and My submissions.

No violation of any impact (minor, moderate, serious or critical) under the WCAG 2.1 A and AA
rules and axe's best practices (heading order, landmarks, one main, ...). Rules that are wrong
for a page are listed, with the reason, in ALLOWED_VIOLATIONS below and nowhere else.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from solutions.models import Solution
from tests.browser.conftest import BROWSER_TEST, log_in

pytestmark = BROWSER_TEST

RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# (page name, axe rule id) -> why the rule does not apply there. Empty: no page needs one.
ALLOWED_VIOLATIONS: dict[tuple[str, str], str] = {
    ("open data API", "aria-allowed-role"): (
        "Swagger UI draws its operations in a <main> of its own, inside the page's <main>; "
        "static/js/api-docs.js gives it the role of a named region so that the page has one "
        "main landmark (axe prefers no role on <main> at all, a minor rule; the element "
        "cannot be replaced without breaking the widget)"
    ),
}

PUBLIC_PAGES = {
    "home": "/",
    "solution list": "/solutions/",
    "filtered search": "/solutions/?q=water&region=africa&region=asia&sort=relevance",
    "empty search": "/solutions/?q=nothingmatchesthis",
    "search with snippets": "/solutions/?q=flooding&subregion=south-eastern-asia",
    "solution": "/solutions/cairo-informal-recyclers-as-city-service/",
    "themes": "/themes/",
    "theme": "/themes/water-and-sanitation/",
    "city": "/cities/{mumbai}/",
    "networks": "/networks/",
    "network": "/networks/megacities/",
    "transfers": "/transfers/?crossing=national",
    "cities": "/cities/?region=asia",
    "cities like mine": (
        "/cities/like-mine/?country=KE&population=3000000&themes=water-and-sanitation"
    ),
    "world map": "/map/",
    "map of a theme in two regions": "/map/?theme=water-and-sanitation&region=africa&region=asia",
    "open data API": "/api/",
    "open data download": "/open-data/",
    "coverage": "/coverage/",
    "login": "/accounts/login/",
    "not found": "/solutions/no-such-solution/",
}
STAFF_PAGES = {
    "submission form": "/submit/",
    "my submissions": "/my/submissions/",
    "edit with errors": None,  # filled in by the test: a failed submission's page
    "preview": None,
}


def violations(page, name):
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": RULE_TAGS},
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if (name, v["id"]) not in ALLOWED_VIOLATIONS
    ]


def city_slug(name):
    return Solution.objects.filter(city__name=name).values_list("city__slug", flat=True)[0]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_has_no_accessibility_violations(page, demo, name):
    path = PUBLIC_PAGES[name].format(mumbai=city_slug("Mumbai"))
    page.goto(path)
    if name == "open data API":
        # The reference is drawn by script: checked once drawn, with an operation open.
        page.locator("#swagger-ui .opblock-summary").first.click()
        page.locator("#swagger-ui .parameters").first.wait_for()
    assert violations(page, name) == []


def test_staff_pages_have_no_accessibility_violations(page, staff_user):
    log_in(page, "writer")
    found = {}
    for name, path in STAFF_PAGES.items():
        if path:
            page.goto(path)
            found[name] = violations(page, name)
    page.goto("/submit/")
    page.locator("#id_title").fill("Rain barrels")
    page.get_by_label("Origin city").fill("Nowhere At All")
    page.locator("#id_end_year").fill("1850")
    page.get_by_role("button", name="Save draft").click()
    summary = page.locator("#error-summary").inner_text()
    assert "No city called “Nowhere At All”" in summary
    assert "Years must be between 1900 and 2100." in summary
    found["edit with errors"] = violations(page, "edit with errors")

    page.get_by_label("Origin city").fill("Madison, Wisconsin, United States")
    page.locator("#id_end_year").fill("")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="Preview").click()
    assert "Preview: Draft" in page.locator(".status-banner").inner_text()
    found["preview"] = violations(page, "preview")

    assert found == {name: [] for name in STAFF_PAGES}

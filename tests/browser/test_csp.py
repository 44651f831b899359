"""The Content Security Policy breaks nothing: the admin and the site run without a single
violation reported by the browser."""

from solutions.models import Solution
from tests.browser.conftest import BROWSER_TEST, log_in

pytestmark = BROWSER_TEST


def watch_for_violations(page):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    return violations


def test_the_admin_works_under_the_policy(page, curator_user):
    violations = watch_for_violations(page)
    log_in(page, "reviewer", admin=True)
    solution = Solution.objects.filter(status="in_review").first()
    for path in [
        "/admin/",
        "/admin/solutions/solution/",
        f"/admin/solutions/solution/{solution.pk}/change/",
        "/admin/solutions/reviewqueueitem/",
        f"/admin/solutions/solution/{solution.pk}/history/",
        "/admin/cities/city/?q=nairobi",
        "/admin/networks/network/1/change/",
    ]:
        page.goto(path)
        page.wait_for_load_state("networkidle")

    # The admin's own JavaScript runs: the city autocomplete answers as the user types.
    page.goto(f"/admin/solutions/solution/{solution.pk}/change/")
    page.locator("#select2-id_city-container").click()
    page.locator(".select2-search__field[aria-controls=select2-id_city-results]").fill("Mumb")
    page.locator(".select2-results__option", has_text="Mumbai").first.wait_for()
    assert violations == []


def test_the_site_runs_under_the_policy(page, staff_user):
    violations = watch_for_violations(page)
    for path in [
        "/",
        "/solutions/?q=water",
        "/solutions/cairo-informal-recyclers-as-city-service/",
        "/map/",
    ]:
        page.goto(path)
    log_in(page, "writer")
    page.goto("/submit/")
    page.goto("/my/submissions/")
    assert violations == []

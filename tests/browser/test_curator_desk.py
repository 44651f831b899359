"""The curator's desk in Chromium: the desk and the page that asks to confirm publishing have no
accessibility violation of any impact (axe, the rules of test_accessibility.py), and at 1280 px
the lists show the columns that matter without sideways scrolling."""

import pytest

from solutions.models import Solution, Status
from tests.browser.conftest import BROWSER_TEST, log_in, screenshot
from tests.browser.test_accessibility import violations

pytestmark = BROWSER_TEST


def first_in_review():
    return Solution.objects.filter(status=Status.IN_REVIEW).order_by("pk").first()


def test_the_desk_and_the_publish_page_have_no_accessibility_violations(page, curator_user):
    log_in(page, "reviewer", admin=True)
    solution = first_in_review()
    found = {}

    page.goto("/admin/")
    assert page.locator(".curator-desk h2").all_inner_texts() == [
        "In review",
        "Changes requested",
        "Recently published",
    ]
    found["desk"] = violations(page, "desk")
    screenshot(page, "curator-desk")

    page.get_by_role("link", name=solution.title, exact=True).first.click()
    page.get_by_role("link", name="Publish…").click()
    assert page.locator("h1").inner_text() == "Publish this case study?"
    found["publish page"] = violations(page, "publish page")
    screenshot(page, "curator-publish-page")

    page.get_by_role("button", name="Publish", exact=True).click()
    next_link = page.locator(".messagelist a.next-in-queue")
    assert next_link.inner_text().startswith("Next in the queue: ")
    assert Solution.objects.get(pk=solution.pk).status == Status.PUBLISHED
    following = next_link.inner_text().removeprefix("Next in the queue: ")
    next_link.click()
    page.get_by_role("link", name="Publish…").wait_for()  # the next one to review
    assert page.locator("#id_title").input_value() == following

    assert found == {"desk": [], "publish page": []}


def overflow(page, selector):
    """How far the element's content runs past its box, in pixels (0: no sideways scrolling)."""
    return page.locator(selector).evaluate("element => element.scrollWidth - element.clientWidth")


def column_box(page, name):
    return page.locator(f"#result_list thead th.column-{name}").bounding_box()


@pytest.mark.parametrize(
    "path, columns",
    [
        ("/admin/solutions/reviewqueueitem/", ["submitted", "waiting"]),
        ("/admin/solutions/reviewqueueitem/?status=all", ["status", "submitted", "waiting"]),
        ("/admin/solutions/solution/", ["status", "stage", "published", "updated"]),
    ],
    ids=["review-queue", "review-queue-both", "solution-list"],
)
def test_the_lists_show_the_columns_that_matter_at_1280_px(page, curator_user, path, columns):
    log_in(page, "reviewer", admin=True)

    page.goto(path)

    assert page.viewport_size["width"] == 1280
    assert overflow(page, "#changelist-form .results") <= 0
    assert overflow(page, "html") <= 0
    results = page.locator("#changelist-form .results").bounding_box()
    for name in columns:
        box = column_box(page, name)
        assert box is not None, f"no {name} column"
        assert box["width"] > 0
        assert box["x"] + box["width"] <= results["x"] + results["width"] + 1, name
    screenshot(page, "curator-list-" + path.strip("/").replace("/", "-").replace("?", "-"))

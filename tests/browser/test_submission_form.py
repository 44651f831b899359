"""The case-study form in a browser: the error summary takes focus and its links lead to the
fields; every checkbox stays beside its own label on a desktop and on a phone; the checklist
of what review needs follows the typing."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BROWSER_TEST, log_in, screenshot

pytestmark = BROWSER_TEST


def test_the_error_summary_takes_focus_and_its_links_lead_to_the_fields(page, staff_user):
    log_in(page, "writer")
    page.goto("/submit/")
    page.locator("#id_title").fill("")
    page.get_by_label("Origin city").fill("Nowhere At All")
    page.locator("#id_start_year").fill("2020")
    page.locator("#id_end_year").fill("2019")
    page.get_by_role("button", name="Save draft", exact=True).click()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    assert summary.locator("h2").inner_text() == "There are 3 problems"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    screenshot(page, "submission-error-summary")

    links = summary.locator("a")
    assert links.count() == 3
    for index, field_id in enumerate(["id_title", "id_city", "id_end_year"]):
        links.nth(index).click()
        assert page.evaluate("document.activeElement.id") == field_id
        assert page.locator(f"#{field_id}").is_visible()
        assert page.url.endswith(f"#{field_id}")
    # The typing is still there.
    assert page.get_by_label("Origin city").input_value() == "Nowhere At All"


@pytest.mark.parametrize("width, height", [(1280, 900), (375, 812)])
def test_each_checkbox_stays_beside_its_own_label(new_page, staff_user, width, height):
    page = new_page(width=width, height=height)
    log_in(page, "writer")
    page.goto("/submit/")
    for group in ["#id_themes", "#id_sdgs"]:
        options = page.locator(f"{group} li")
        assert options.count() >= 10
        for index in range(options.count()):
            box = options.nth(index).locator("input").bounding_box()
            label = options.nth(index).locator("label span").bounding_box()
            # The label starts just right of its box, on the same line.
            assert 0 <= label["x"] - (box["x"] + box["width"]) < 16, (group, index)
            assert label["y"] <= box["y"] + box["height"] / 2 <= label["y"] + label["height"]
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_review_checklist_follows_the_typing(page, staff_user):
    log_in(page, "writer")
    page.goto("/submit/")
    summary_item = page.locator('.checklist li[data-field="summary"]')
    assert "done" not in (summary_item.get_attribute("class") or "")
    assert " ".join(summary_item.text_content().split()) == "To do: A summary"

    page.locator("#id_summary").fill("Kiosks sell clean water by the litre.")
    assert "done" in summary_item.get_attribute("class")
    assert " ".join(summary_item.text_content().split()) == "Done: A summary"
    page.locator("#id_themes input").first.check()
    assert "done" in page.locator('.checklist li[data-field="themes"]').get_attribute("class")


def test_on_a_phone_the_empty_optional_sections_are_closed_and_open_when_asked(
    new_page, staff_user
):
    page = new_page(width=375, height=812)
    log_in(page, "writer")
    page.goto("/submit/")
    # The measure: 8,800 px on a phone with every optional row open.
    assert page.evaluate("document.documentElement.scrollHeight") < 7000
    images = page.locator("details#images")
    assert images.get_attribute("open") is None
    assert not page.locator("#id_images-0-alt_text").is_visible()

    page.locator(".form-toc").get_by_role("link", name="Images").click()
    expect(images).to_have_attribute("open", "")
    expect(page.locator("#id_images-0-alt_text")).to_be_visible()
    page.locator("details#partners > summary").click()  # works without JavaScript too
    assert page.locator("#id_partners-0-name").is_visible()

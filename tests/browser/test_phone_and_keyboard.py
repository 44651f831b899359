"""On a 375 px phone nothing scrolls sideways and every control is reachable; and the filters
and the submission form work with the keyboard alone, with a visible focus."""

import pytest

from solutions.models import Solution, Status
from tests.browser.conftest import BROWSER_TEST, log_in, screenshot

pytestmark = BROWSER_TEST

PHONE = {"width": 375, "height": 812}
PHONE_PAGES = {
    "home": "/",
    "list": "/solutions/?q=water",
    "solution": "/solutions/cairo-informal-recyclers-as-city-service/",
    "submission": "/submit/",
    "cities": "/cities/",
    "map": "/map/",
    "transfers": "/transfers/",
    "coverage": "/coverage/",
    "cities like mine": "/cities/like-mine/?country=KE&population=4000000",
}

# Controls that lie outside the viewport even when they have the focus (a skip link shows
# itself on focus), and are not inside a box the user can scroll sideways (wide tables scroll
# inside their own box, on purpose).
CONTROLS_OUT_OF_REACH = """
() => {
  const width = document.documentElement.clientWidth;
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary'
  );
  const scrollsSideways = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      const scrollable = ['auto', 'scroll'].includes(style.overflowX);
      if (scrollable && node.scrollWidth > node.clientWidth) return true;
    }
    return false;
  };
  const outside = (el) => {
    const box = el.getBoundingClientRect();
    return box.left < -1 || box.right > width + 1;
  };
  const unreachable = [...controls].filter((el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;  // hidden, e.g. in a closed <details>
    if (!outside(el) || scrollsSideways(el)) return false;
    el.focus();
    const stillOutside = outside(el);
    el.blur();
    return stillOutside;
  });
  return unreachable.map((el) => el.outerHTML.slice(0, 120));
}
"""


@pytest.mark.parametrize("name", PHONE_PAGES)
def test_phone_pages_do_not_scroll_sideways_and_every_control_is_reachable(
    new_page, staff_user, name
):
    page = new_page(**PHONE)
    if name == "submission":
        log_in(page, "writer")
    page.goto(PHONE_PAGES[name])
    screenshot(page, f"phone-{name}")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"], f"{name} is {scroll_width}px wide"
    assert page.evaluate(CONTROLS_OUT_OF_REACH) == []
    if page.locator("a.filter-toggle").count():
        page.locator("a.filter-toggle").click()  # the filters open from a link on a phone
    for details in page.locator("details").all():
        details.locator("summary").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate(CONTROLS_OUT_OF_REACH) == []


def tab_to(page, selector, limit=80):
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_is_visible(page):
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
    )
    outline_style, outline_width, box_shadow = style
    return (outline_style != "none" and outline_width != "0px") or box_shadow != "none"


def test_filters_work_with_the_keyboard_alone(page, demo):
    page.goto("/solutions/")
    tab_to(page, "#id_q")
    assert focus_is_visible(page)
    page.keyboard.type("water")
    tab_to(page, "details:nth-of-type(2) > summary")  # Region
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    tab_to(page, "input[name=region][value=africa]")
    assert focus_is_visible(page)
    page.keyboard.press("Space")
    tab_to(page, "form.filters button[type=submit]")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/solutions/?*")
    assert "region=africa" in page.url and "q=water" in page.url
    assert page.locator(".active-filters").get_by_text("Region: Africa").is_visible()


def test_the_submission_form_works_with_the_keyboard_alone(page, staff_user):
    log_in(page, "writer")
    page.goto("/submit/")
    tab_to(page, "#id_title")
    assert focus_is_visible(page)
    page.keyboard.type("Street trees by request")
    tab_to(page, "#id_city")
    assert focus_is_visible(page)
    page.keyboard.type("Madison, Wisconsin, United States")
    tab_to(page, "#id_summary")
    page.keyboard.type("Residents ask for a street tree and the city plants it.")
    tab_to(page, "input[name=themes]")
    assert focus_is_visible(page)
    page.keyboard.press("Space")
    tab_to(page, "button[value=save]")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/submit/street-trees-by-request/")

    solution = Solution.objects.get(title="Street trees by request")
    assert solution.status == Status.DRAFT
    assert solution.city.name == "Madison"
    assert solution.themes.count() == 1


def test_on_a_phone_the_results_come_first_and_the_filters_open_from_a_link(new_page, demo):
    page = new_page(**PHONE)
    page.goto("/solutions/?q=water")
    screenshot(page, "phone-list-results-first")

    count = page.locator(".result-count")
    first = page.locator(".cards .card").first
    assert count.is_visible() and first.is_visible()
    # Both in the first screen, without scrolling.
    assert count.bounding_box()["y"] + count.bounding_box()["height"] <= PHONE["height"]
    assert first.bounding_box()["y"] < PHONE["height"] - 100
    assert not page.locator("form.filters").is_visible()

    page.get_by_role("link", name="Filters").click()
    assert page.locator("form.filters").is_visible()
    page.locator("details:nth-of-type(2) > summary").click()  # Region
    page.locator("input[name=region][value=africa]").check()
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/solutions/?*#results")
    screenshot(page, "phone-list-after-filtering")

    assert "region=africa" in page.url
    assert not page.locator("form.filters").is_visible()  # closed again: the results show
    chip = page.locator(".active-filters").get_by_text("Region: Africa")
    assert chip.is_visible()
    box = page.locator(".result-count").bounding_box()
    assert 0 <= box["y"] < PHONE["height"]  # landed on the results
    assert page.get_by_role("link", name="Filters (2 chosen)").is_visible()


CARDS_OVERFLOWING = """
() => [...document.querySelectorAll('.theme-grid li')].filter((card) => {
  const box = card.getBoundingClientRect();
  return [...card.children].some((child) => {
    const inner = child.getBoundingClientRect();
    return inner.bottom > box.bottom + 1 || inner.right > box.right + 1;
  });
}).map((card) => card.textContent.trim().slice(0, 60))
"""


@pytest.mark.parametrize("width", [375, 768, 1280])
def test_the_theme_cards_hold_their_descriptions_at_every_width(new_page, demo, width):
    page = new_page(width=width, height=900)
    page.goto("/themes/")
    screenshot(page, f"themes-{width}")
    assert page.evaluate(CARDS_OVERFLOWING) == []
    last = page.locator(".theme-grid li").last.bounding_box()
    footer = page.locator("footer.site-footer").bounding_box()
    assert last["y"] + last["height"] <= footer["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

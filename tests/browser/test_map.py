"""The maps in a browser: nothing is fetched from another site; the map zooms, pans and shows a
city's panel with the keyboard alone; on a phone the map, the transfers and the indicator
charts fit the screen and stay legible."""

from urllib.parse import urlsplit

from playwright.sync_api import expect

from cities.models import City
from networks.models import Network
from solutions.models import Solution, Status
from tests.browser.conftest import BROWSER_TEST, screenshot

pytestmark = BROWSER_TEST

PHONE = {"width": 375, "height": 812}


def view_box(page, selector="#world-map .map-svg"):
    return [float(n) for n in page.locator(selector).get_attribute("viewBox").split()]


def test_the_maps_load_nothing_from_another_site(page, live_server, demo):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    city = City.objects.filter(solutions__status=Status.PUBLISHED).first()
    network = Network.objects.first()
    paths = [
        "/map/",
        "/map/?theme=water-and-sanitation",
        city.get_absolute_url(),
        network.get_absolute_url(),
        "/themes/housing-and-zoning/",
    ]
    for path in paths:
        page.goto(path)
        expect(page.locator("figure.map .map-svg").first).to_be_visible()
    page.goto("/cities/")  # the cities index and the map's lists: pages without a map
    page.goto("/cities/like-mine/?country=KE&population=4000000")

    own = urlsplit(live_server.url).netloc
    elsewhere = [url for url in requested if urlsplit(url).scheme in {"http", "https"}]
    elsewhere = [url for url in elsewhere if urlsplit(url).netloc != own]
    assert elsewhere == []
    # The basemap was fetched, from this site.
    assert any(urlsplit(url).path.endswith("/maps/world.svg") for url in requested)
    assert errors == []


def test_the_map_works_with_the_keyboard_alone(page, demo):
    page.goto("/map/")
    whole = view_box(page)
    zoom_in = page.locator("#world-map .map-controls button").first
    expect(zoom_in).to_have_accessible_name("Zoom in")

    zoom_in.focus()
    page.keyboard.press("Enter")
    closer = view_box(page)
    assert closer[2] < whole[2]  # a narrower view: zoomed in

    page.keyboard.press("ArrowRight")
    moved = view_box(page)
    assert moved[0] > closer[0] and moved[2] == closer[2]

    page.keyboard.press("0")
    assert view_box(page) == whole

    # The focus on a city opens its panel: its name and its newest solutions.
    city = page.locator("#world-map .map-point:not(.is-clustered)").first
    name = city.locator("title").text_content()
    city.focus()
    panel = page.locator("#world-map .map-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("h3")).to_have_text(name)
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()


def test_on_a_phone_the_map_fits_and_its_lists_follow(new_page, demo):
    page = new_page(**PHONE)
    page.goto("/map/")
    screenshot(page, "phone-map")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator("#world-map .map-svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert box["height"] > 100  # a map, not a strip
    # The zoom buttons are big enough to tap.
    for button in page.locator("#world-map .map-controls button").all():
        size = button.bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24
    # The lists under the map name every city the map draws.
    points = page.locator("#world-map .map-point").count()
    assert points > 0
    assert page.get_by_role("heading", name="The map as a list").is_visible()


def test_on_a_phone_each_transfer_shows_every_column_on_screen(new_page, demo):
    page = new_page(**PHONE)
    page.goto("/transfers/")
    screenshot(page, "phone-transfers")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first = page.locator("table.stack-on-phone tbody tr").first
    cells = first.locator("td").all()
    assert len(cells) == 6
    for cell in cells:
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    # Each line says which column it is.
    label = page.evaluate(
        "(cell) => getComputedStyle(cell, '::before').content",
        cells[4].element_handle(),
    )
    assert label == '"Status: "'


def test_on_a_phone_the_chart_labels_are_at_least_11_pixels(new_page, demo):
    solution = Solution.objects.filter(
        status=Status.PUBLISHED, indicators__measurements__isnull=False
    ).first()
    page = new_page(**PHONE)
    page.goto(solution.get_absolute_url())
    labels = page.locator(".indicator svg text")
    assert labels.count() > 0
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.indicator svg text')].map((text) => {
             const scale = text.getScreenCTM().a;
             return parseFloat(getComputedStyle(text).fontSize) * scale;
           })"""
    )
    assert min(sizes) >= 11, sizes
    # And the y-axis labels are not cut off at the chart's left edge.
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.indicator svg text')]
             .filter((text) => text.getBBox().x < 0).map((text) => text.textContent)"""
    )
    assert cut == []

"""The user journeys in a real browser: a visitor, network staff, and a curator's review."""

import csv
import io
import re
from xml.etree import ElementTree

from django.core import mail
from PIL import Image

from solutions.models import Solution, Status
from tests.browser.conftest import BROWSER_TEST, log_in, screenshot

pytestmark = BROWSER_TEST
ATOM = "{http://www.w3.org/2005/Atom}"


def test_visitor_browses_narrows_searches_follows_a_transfer_and_downloads(page, demo):
    page.goto("/")
    page.get_by_role("link", name=re.compile("^Water and sanitation")).first.click()
    assert page.locator("h1").inner_text() == "Water and sanitation"

    page.locator("summary", has_text=re.compile(r"^Region$")).click()
    page.locator("input[name=region][value=asia]").check()
    page.get_by_role("button", name="Show solutions").click()
    assert "region=asia" in page.url
    assert page.get_by_role("link", name="Remove Region: Asia").is_visible()

    page.get_by_label("Search", exact=True).fill("toilet")
    page.get_by_role("button", name="Show solutions").click()
    results = page.locator(".card h3 a")
    assert "Community-managed toilet blocks in informal settlements" in results.all_inner_texts()

    results.filter(has_text="Community-managed toilet blocks").click()
    assert page.locator("h1").inner_text().startswith("Community-managed toilet blocks")

    page.locator(".solution header .meta a", has_text="Mumbai").click()
    assert page.locator("h1").inner_text() == "Mumbai"

    sent = page.locator("section", has=page.locator("#sent-heading"))
    sent.get_by_role("link", name="Dhaka").click()
    assert page.locator("h1").inner_text() == "Dhaka"
    adopted = page.locator("section", has=page.locator("#adopted-heading"))
    assert adopted.get_by_text("Community-managed toilet blocks").first.is_visible()

    page.goto("/solutions/?region=asia&theme=water-and-sanitation")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    rows = list(csv.DictReader(io.StringIO(open(download_info.value.path()).read())))
    listed = Solution.objects.published().filter(
        city__region="asia", themes__slug="water-and-sanitation"
    )
    assert sorted(row["slug"] for row in rows) == sorted(listed.values_list("slug", flat=True))
    assert all(row["region"] == "Asia" for row in rows)


def write_png(path):
    Image.new("RGB", (40, 30), (20, 120, 180)).save(path, "PNG")
    return path


def fill_complete_case_study(page, title):
    page.locator("#id_title").fill(title)
    page.get_by_label("Origin city").fill("Madison, Wisconsin, United States")
    page.get_by_label("Summary").fill("Schools collect roof water for their gardens and toilets.")
    page.get_by_label("Problem").fill("Summer droughts and rising water bills.")
    page.get_by_label("Approach").fill("Barrels at every school, maintained by pupils.")
    page.get_by_role("checkbox", name="Water and sanitation", exact=True).check()


def test_staff_writes_a_case_study_with_an_image_saves_a_draft_and_submits_it(
    page, staff_user, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(page, "writer")
    page.goto("/submit/")
    fill_complete_case_study(page, "Rain barrels for every school")
    page.locator("#images > summary").click()  # the optional images start folded away
    page.locator("#id_images-0-image").set_input_files(str(write_png(tmp_path / "barrels.png")))
    page.locator("#id_images-0-alt_text").fill("Blue rain barrels beside a school wall")
    page.get_by_role("button", name="Save draft").click()

    assert (
        page.locator(".messages").inner_text()
        == "Saved “Rain barrels for every school” as a draft."
    )
    solution = Solution.objects.get(title="Rain barrels for every school")
    assert solution.status == Status.DRAFT
    assert solution.images.get().alt_text == "Blue rain barrels beside a school wall"

    page.get_by_role("button", name="Save and submit for review").click()
    assert page.locator("h1").inner_text() == "My submissions"
    row = page.locator("tr", has_text="Rain barrels for every school")
    assert row.locator(".status").inner_text() == "In review"
    solution.refresh_from_db()
    assert solution.status == Status.IN_REVIEW


def test_curator_sends_back_staff_fixes_curator_publishes_and_visitors_find_it(
    new_page, staff_user, curator_user
):
    staff = new_page()
    log_in(staff, "writer")
    staff.goto("/submit/")
    fill_complete_case_study(staff, "Rain barrels for every school")
    staff.get_by_role("button", name="Save and submit for review").click()
    solution = Solution.objects.get(title="Rain barrels for every school")
    assert solution.status == Status.IN_REVIEW

    curator = new_page()
    log_in(curator, "reviewer", admin=True)
    curator.goto("/admin/")
    curator.get_by_role("link", name="Review queue", exact=True).click()
    curator.get_by_role("link", name="Rain barrels for every school").click()
    curator.get_by_role("link", name="Request changes…").click()
    curator.get_by_label("Comment").fill("Please add the results you measured.")
    curator.get_by_role("button", name="Request changes").click()
    assert "now has changes requested" in curator.locator(".messagelist").inner_text()

    staff.goto("/my/submissions/")
    row = staff.locator("tr", has_text="Rain barrels for every school")
    assert "Please add the results you measured." in row.inner_text()
    row.get_by_role("link", name="Edit").click()
    staff.get_by_label("Results").fill("Water bills fell by a third in the first year.")
    staff.get_by_role("button", name="Save and resubmit for review").click()
    solution.refresh_from_db()
    assert solution.status == Status.IN_REVIEW

    curator.goto(f"/admin/solutions/solution/{solution.pk}/change/")
    curator.get_by_role("link", name="Publish…").click()
    curator.get_by_role("button", name="Publish").click()  # on the page that asks to confirm
    solution.refresh_from_db()
    assert solution.status == Status.PUBLISHED
    assert any(
        "is now published" in m.subject.lower() or "Published" in m.subject for m in mail.outbox
    )

    visitor = new_page()
    visitor.goto("/solutions/?q=rain+barrels")
    assert visitor.get_by_role("link", name="Rain barrels for every school").is_visible()
    feed = visitor.request.get("/solutions/feed/")
    titles = [
        e.findtext(f"{ATOM}title") for e in ElementTree.fromstring(feed.body()).iter(f"{ATOM}entry")
    ]
    assert any(title.startswith("Rain barrels for every school") for title in titles)
    screenshot(visitor, "journey-published-search")

"""The case-study form guides its writer: what review needs is marked before any save, every
problem is listed at the top with a link to its field, optional rows are not "required", a
section's own save returns to it, a chosen image lost by a failed save is named, and the
curator's request for changes is on the form where the work is done."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from solutions.models import Solution, Status
from solutions.workflow.transitions import transition
from tests.support.factories import make_solution, make_staff, make_user
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

SUBMIT = "/submit/"


@pytest.fixture
def writer(network):
    user = make_user(username="writer")
    make_staff(network, user=user)
    return user


@pytest.fixture
def writer_client(client, writer):
    client.force_login(writer)
    return client


def label_of(html, field_id):
    found = re.search(rf'<label for="{field_id}">(.*?)</label>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def legend_of(html, fieldset_id):
    found = re.search(rf'<fieldset id="{fieldset_id}"[^>]*>\s*<legend>(.*?)</legend>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def summary_links(html):
    """(href, text) of each entry of the error summary."""
    block = re.search(r'<div class="error-summary".*?</ul>', html, re.S).group(0)
    return [
        (href, " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for href, text in re.findall(r'<li><a href="([^"]+)">(.*?)</a></li>', block, re.S)
    ]


def test_what_review_needs_is_marked_before_any_save(writer_client, theme, city):
    html = writer_client.get(SUBMIT).text

    for field in ["summary", "problem", "approach"]:
        assert label_of(html, f"id_{field}").endswith("(needed for review)"), field
    assert legend_of(html, "id_themes") == "Themes (needed for review)"
    assert label_of(html, "id_title") == "Title (required)"
    assert label_of(html, "id_results") == "Results"
    checklist = re.search(r"<ul class=\"checklist\".*?</ul>", html, re.S).group(0)
    items = [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li.*?</li>", checklist)
    ]
    assert items == [
        "To do: A summary",
        "To do: The problem",
        "To do: The approach",
        "To do: An origin city",
        "To do: At least one theme",
    ]


def test_the_checklist_shows_what_a_saved_draft_already_has(writer_client, writer, city, theme):
    draft = make_solution(
        status=Status.DRAFT, author=writer, city=city, summary="Kiosks.", problem="", themes=[]
    )
    html = writer_client.get(reverse("solutions:edit", kwargs={"slug": draft.slug})).text
    assert 'data-field="summary" class="done"' in html
    assert 'data-field="city" class="done"' in html
    assert 'data-field="problem">' in html
    assert 'data-field="themes">' in html


def test_optional_rows_are_never_marked_required(writer_client):
    html = writer_client.get(SUBMIT).text
    for field_id in ["id_partners-0-name", "id_sources-0-title", "id_indicators-0-name"]:
        assert "required" not in label_of(html, field_id), field_id
    assert label_of(html, "id_images-0-image") == "Image"
    assert html.count("Every row is optional: leave a row empty to skip it.") == 4


def test_every_problem_is_listed_at_the_top_with_a_link_to_its_field(writer_client, network):
    form = read_form(writer_client.get(SUBMIT), css_class="submission")
    data = form.data()
    data.update(
        {
            "title": "",
            "city": "Nowhere At All",
            "start_year": "2020",
            "end_year": "1850",
            "partners-0-role": "Paid for the kiosks",  # a row begun, without its name
            "sources-0-title": "Report",
            "sources-0-url": "not a web address",
            "action": "save",
        }
    )
    response = writer_client.post(SUBMIT, data)

    assert response.status_code == 200
    assert Solution.objects.count() == 0
    html = response.text
    links = summary_links(html)
    targets = [href for href, _text in links]
    assert targets == [
        "#id_title",
        "#id_city",
        "#id_end_year",
        "#id_partners-0-name",
        "#id_partners-0-sector",
        "#id_sources-0-url",
    ]
    for href in targets:  # each link leads to a field on the page
        assert f'id="{href[1:]}"' in html
    assert links[0][1] == "Title: This field is required."
    assert links[1][1].startswith("Origin city: No city called “Nowhere At All”")
    assert links[3][1] == "Partner 1: Name: This field is required."
    assert links[2][1] == "End year: Years must be between 1900 and 2100."
    assert links[5][1] == "Source 1: URL: Enter a valid URL."
    heading = re.search(r'<h2 id="error-summary-title">(.*?)</h2>', html).group(1)
    assert heading == "There are 6 problems"
    assert 'id="error-summary" role="alert" tabindex="-1" autofocus' in html
    # The typing is kept.
    shown = read_form(response, css_class="submission").data()
    assert shown["partners-0-role"] == "Paid for the kiosks"
    assert shown["city"] == "Nowhere At All"


def test_years_out_of_order_are_said_beside_the_end_year(writer_client, city):
    data = read_form(writer_client.get(SUBMIT), css_class="submission").data()
    data.update({"title": "Rain barrels", "city": "Nairobi, Kenya", "action": "save"})
    data.update({"start_year": "2020", "end_year": "2019"})
    response = writer_client.post(SUBMIT, data)
    assert summary_links(response.text) == [
        ("#id_end_year", "End year: The end year cannot be before the start year.")
    ]
    assert Solution.objects.count() == 0


def test_a_sections_own_save_returns_to_that_section(writer_client, city):
    form = read_form(writer_client.get(SUBMIT), css_class="submission")
    data = form.data()
    data.update({"title": "Rain barrels", "city": "Nairobi, Kenya", "action": "save:partners"})
    response = writer_client.post(SUBMIT, data)
    saved = Solution.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("solutions:edit", kwargs={"slug": saved.slug}) + (
        "#partners"
    )

    edit = reverse("solutions:edit", kwargs={"slug": saved.slug})
    data = read_form(writer_client.get(edit), css_class="submission").data()
    data["action"] = "save:nowhere"  # not a section: back to the top
    response = writer_client.post(edit, data)
    assert response["Location"] == edit


def png_upload(name="kiosk.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_image_chosen_in_a_failed_save_is_named_so_it_is_chosen_again(writer_client, city):
    form = read_form(writer_client.get(SUBMIT), css_class="submission")
    data = form.data()
    data.update({"title": "", "city": "Nairobi, Kenya", "action": "save"})
    data["images-0-alt_text"] = "A kiosk"
    data["images-0-image"] = png_upload("kiosk-photo.png")
    response = writer_client.post(SUBMIT, data)

    assert response.status_code == 200
    links = summary_links(response.text)
    assert (
        "#id_images-0-image",
        "Image 1: Image: Choose “kiosk-photo.png” again: nothing was saved, and a chosen file "
        "is not kept.",
    ) in links
    assert "but choose any image files again." in response.text


def test_the_curators_request_for_changes_is_on_the_edit_form(writer_client, writer, city, theme):
    curator = make_user(username="curator", first_name="Ada", last_name="Curie")
    curator.groups.add(Group.objects.get(name="Curators"))
    solution = make_solution(
        status=Status.DRAFT,
        author=writer,
        city=city,
        themes=[theme],
        summary="S.",
        problem="P.",
        approach="A.",
    )
    edit = reverse("solutions:edit", kwargs={"slug": solution.slug})
    transition(solution, user=writer, name="submit")
    transition(solution, user=curator, name="request_changes", comment="Add the 2023 figures.")

    html = writer_client.get(edit).text
    block = re.search(r'<section class="curator-comment".*?</section>', html, re.S).group(0)
    assert "The curator asked for changes" in block
    assert "Add the 2023 figures." in block
    assert "Ada Curie" in block

    transition(solution, user=writer, name="resubmit")
    transition(solution, user=curator, name="request_changes", comment="Now the sources.")
    block = re.search(
        r'<section class="curator-comment".*?</section>', writer_client.get(edit).text, re.S
    )
    assert "Now the sources." in block.group(0)
    assert "2023 figures" not in block.group(0)  # only the latest


def test_no_curator_comment_on_a_draft(writer_client, writer, city):
    solution = make_solution(status=Status.DRAFT, author=writer, city=city)
    html = writer_client.get(reverse("solutions:edit", kwargs={"slug": solution.slug})).text
    assert "curator-comment" not in html

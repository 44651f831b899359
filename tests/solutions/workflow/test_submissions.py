"""Network staff write, save, submit and follow their case studies through the site's pages.

Every test drives the HTTP pages as a browser would: forms are read from the rendered HTML
(what a browser would send back) and posted with their formset management fields.
"""

import io
import itertools
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from PIL import Image
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from networks.models import NetworkStaff
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    Status,
    SustainableDevelopmentGoal,
    WorkflowEvent,
)
from solutions.workflow.transitions import transition
from tests.support.asserts import assert_not_found
from tests.support.factories import (
    make_city,
    make_indicator,
    make_membership,
    make_network,
    make_partner,
    make_solution,
    make_staff,
    make_theme,
    make_user,
)
from tests.support.html_forms import read_form
from tests.support.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

FORMSETS = ("partners", "sources", "indicators", "images")
SOLUTION_FIELDS = [
    "title",
    "network",
    "city",
    "summary",
    "problem",
    "approach",
    "results",
    "lessons_learned",
    "themes",
    "tags",
    "sdgs",
    "stage",
    "start_year",
    "end_year",
    "cost_usd",
    "funding",
    "contact_name",
    "contact_organisation",
    "contact_email",
]
NOTHING_SAVED = "Nothing was saved: please correct the problems marked below."
MISSING = ["a summary", "the problem", "the approach", "at least one theme"]
SUBMIT_URL = "solutions:submit"
MY_SUBMISSIONS = "solutions:my-submissions"
SERIAL = itertools.count(1)


# --- Reading pages as a browser would -------------------------------------------------------


def submission_form(response):
    """The case-study form of the submit and edit pages."""
    return read_form(response, css_class="submission")


def h1_count(response):
    return len(re.findall(r"<h1[\s>]", response.content.decode()))


def as_strings(value):
    values = value if isinstance(value, list) else [value]
    return sorted(str(v) for v in values)


def assert_site_page(response, status_code=200):
    """A page of the site itself: base.html with its header and exactly one h1."""
    assert "base.html" in [t.name for t in response.templates]
    assertContains(response, '<a class="brand"', status_code=status_code)
    assertContains(response, "Urban Solutions Exchange</a>", status_code=status_code)
    assert h1_count(response) == 1


# --- Building posts --------------------------------------------------------------------------


def management(**totals):
    data = {}
    for prefix in FORMSETS:
        data[f"{prefix}-TOTAL_FORMS"] = str(totals.get(prefix, 0))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    return data


def rows(prefix, *forms):
    data = {}
    for i, form in enumerate(forms):
        for key, value in form.items():
            data[f"{prefix}-{i}-{key}"] = value
    return data


def new_case_study(action="save", partners=(), sources=(), indicators=(), images=(), **fields):
    data = management(
        partners=len(partners),
        sources=len(sources),
        indicators=len(indicators),
        images=len(images),
    )
    data |= rows("partners", *partners) | rows("sources", *sources)
    data |= rows("indicators", *indicators) | rows("images", *images)
    # A browser always sends the stage select's preselected value.
    data |= {"action": action, "stage": "implemented"}
    data.update(fields)
    return data


def complete_fields(network, theme, **overrides):
    fields = {
        "title": "Community water kiosks",
        "network": str(network.pk),
        "city": "Nairobi",
        "summary": "Kiosks sell clean water by the jerrycan.",
        "problem": "Informal settlements had no piped water.",
        "approach": "The utility licensed community groups to run kiosks.",
        "themes": [str(theme.pk)],
        "stage": "implemented",
    }
    fields.update(overrides)
    return fields


def png_bytes(size=(8, 6), colour=(30, 120, 200)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def edit_url(solution):
    return reverse("solutions:edit", kwargs={"slug": solution.slug})


def transition_url(solution, name):
    return reverse("solutions:submission-transition", kwargs={"slug": solution.slug, "name": name})


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def summary_of(response):
    """The error summary's opening sentence, as shown above a refused form."""
    found = re.search(r'<p class="error-summary-lead">(.*?)</p>', response.text, re.S)
    return found and found.group(1).strip()


# --- People ----------------------------------------------------------------------------------


@pytest.fixture
def people(network):
    author = make_user(username="author", email="author@example.org", first_name="Amina")
    make_staff(network, user=author)
    colleague = make_user(username="colleague", email="colleague@example.org")
    make_staff(network, user=colleague)
    curator = make_user(username="curator", email="curator@example.org")
    curator.groups.add(Group.objects.get(name="Curators"))
    other_network = make_network(name="Other Cities Network", acronym="OCN")
    outsider = make_user(username="outsider", email="outsider@example.org")
    make_staff(other_network, user=outsider)
    nobody = make_user(username="nobody", email="nobody@example.org")
    return {
        "network": network,
        "other_network": other_network,
        "author": author,
        "colleague": colleague,
        "curator": curator,
        "outsider": outsider,
        "nobody": nobody,
    }


@pytest.fixture
def author_client(client, people):
    client.force_login(people["author"])
    return client


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def draft_of(people, city, theme=None, **overrides):
    fields = {
        "status": Status.DRAFT,
        "network": people["network"],
        "author": people["author"],
        "city": city,
    }
    fields.update(overrides)
    return make_solution(themes=[theme] if theme else [], **fields)


# --- 1. Submit a case study ------------------------------------------------------------------


def test_submit_page_shows_every_field_of_a_case_study_and_the_related_rows(
    author_client, people, city, theme
):
    member_city = make_city(name="Mombasa", slug="mombasa-ke", country="KE")
    make_membership(network=people["network"], city=member_city)

    response = author_client.get(reverse(SUBMIT_URL))

    assert response.status_code == 200
    assertContains(response, "<h1>Submit a case study</h1>", html=True)
    form = submission_form(response)
    assert set(SOLUTION_FIELDS) <= form.names()
    for prefix, first_row_fields in [
        ("partners", ["name", "sector", "role"]),
        ("sources", ["title", "url"]),
        ("indicators", ["name", "unit", "direction", "measurements"]),
        ("images", ["image", "alt_text", "caption", "credit"]),
    ]:
        for management_field in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            assert f"{prefix}-{management_field}" in form.names()
        for field in first_row_fields:
            assert f"{prefix}-0-{field}" in form.names()
    network_options = [o["value"] for o in form.control("network")["options"]]
    assert network_options == [str(people["network"].pk)]
    city_input = form.control("city")
    assert city_input["type"] == "text"
    assert city_input["list"] == "city-options"
    assert "Mombasa, Kenya" in form.datalists["city-options"]
    themes = form.controls_named("themes")
    assert [(c["type"], c["value"]) for c in themes] == [("checkbox", str(theme.pk))]
    sdgs = form.controls_named("sdgs")
    assert len(sdgs) == SustainableDevelopmentGoal.objects.count() == 17
    assert form.control("images-0-image")["type"] == "file"
    assert form.control("contact_email")["type"] == "email"
    buttons = {c["value"] for c in form.controls if c["type"] == "submit"}
    sections = ["essentials", "case-study", "classification", "years-cost", "contact"]
    sections += ["partners", "indicators", "sources", "images"]
    assert buttons == {"save", "submit"} | {f"save:{section}" for section in sections}


def test_every_control_on_the_submit_page_has_a_label(author_client, theme):
    form = submission_form(author_client.get(reverse(SUBMIT_URL)))

    assert form.unlabelled() == []


def test_a_draft_needs_only_a_title_a_network_and_a_city(author_client, people, city):
    response = author_client.post(
        reverse(SUBMIT_URL),
        new_case_study(
            title="Street lights run on solar", network=people["network"].pk, city="Nairobi"
        ),
    )

    solution = Solution.objects.get()
    assertRedirects(response, edit_url(solution), fetch_redirect_response=False)
    assert solution.status == Status.DRAFT
    assert solution.author == people["author"]
    assert solution.slug == "street-lights-run-on-solar"
    assert solution.city == city
    assert solution.network == people["network"]
    assert WorkflowEvent.objects.count() == 0
    page = author_client.get(response.url)
    assert "Saved “Street lights run on solar” as a draft." in messages_of(page)
    assertContains(page, "Status: <strong>Draft</strong>")


def test_a_repeated_title_gets_its_own_slug(author_client, people, city):
    for _ in range(3):
        author_client.post(
            reverse(SUBMIT_URL),
            new_case_study(
                title="Bus Rapid Transit!", network=people["network"].pk, city="Nairobi"
            ),
        )

    slugs = list(Solution.objects.order_by("pk").values_list("slug", flat=True))
    assert slugs == ["bus-rapid-transit", "bus-rapid-transit-2", "bus-rapid-transit-3"]


def test_a_draft_cannot_be_filed_under_a_network_the_user_does_not_work_for(
    author_client, people, city
):
    response = author_client.post(
        reverse(SUBMIT_URL),
        new_case_study(title="Borrowed", network=people["other_network"].pk, city="Nairobi"),
    )

    assert response.status_code == 200
    assertContains(response, "Select a valid choice.")
    assert Solution.objects.count() == 0


@pytest.mark.parametrize(
    "typed",
    [
        "Kisumu",
        "kisumu",
        "  Kisumu ,  Kenya ",
        "Kisumu, Kenya",
        "Kisumu, KE",
        "Kisumu, Kisumu County, Kenya",
        "kisumu-ke",
    ],
)
def test_the_city_can_be_typed_as_name_name_country_name_area_country_or_slug(
    author_client, people, typed
):
    kisumu = make_city(name="Kisumu", slug="kisumu-ke", country="KE", admin_area="Kisumu County")
    make_city(name="Kisumu Ndogo", slug="kisumu-ndogo", country="KE")

    response = author_client.post(
        reverse(SUBMIT_URL),
        new_case_study(title="Lake clean-up", network=people["network"].pk, city=typed),
    )

    assert response.status_code == 302
    assert Solution.objects.get().city == kisumu


def test_an_unknown_city_gives_a_readable_message(author_client, people, city):
    response = author_client.post(
        reverse(SUBMIT_URL),
        new_case_study(title="Lost", network=people["network"].pk, city="Atlantis"),
    )

    assert response.status_code == 200
    assertContains(response, "No city called “Atlantis” was found.")
    assertContains(response, "ask a curator to add the city")
    assert Solution.objects.count() == 0


def test_an_ambiguous_city_lists_the_options_and_the_country_settles_it(author_client, people):
    canada = make_city(
        name="Victoria",
        slug="victoria-ca",
        country="CA",
        admin_area="British Columbia",
        population=92_000,
    )
    seychelles = make_city(name="Victoria", slug="victoria-sc", country="SC", population=26_000)

    response = author_client.post(
        reverse(SUBMIT_URL),
        new_case_study(title="Harbour", network=people["network"].pk, city="Victoria"),
    )

    assert response.status_code == 200
    assertContains(
        response,
        "Several cities match “Victoria”: “Victoria, British Columbia, Canada”; "
        "“Victoria, Seychelles”. Add the area or the country to say which.",
    )
    assert Solution.objects.count() == 0

    for typed, city in [("Victoria, Seychelles", seychelles), ("Victoria, Canada", canada)]:
        response = author_client.post(
            reverse(SUBMIT_URL),
            new_case_study(title=f"Harbour {city.slug}", network=people["network"].pk, city=typed),
        )
        assert response.status_code == 302
        assert Solution.objects.get(title=f"Harbour {city.slug}").city == city


def test_the_city_spelled_as_the_help_text_suggests_is_accepted(author_client, people):
    salem = make_city(name="Salem", slug="salem-ma-us", country="US", admin_area="Massachusetts")
    response = author_client.post(
        reverse(SUBMIT_URL),
        new_case_study(
            title="Harbour walk",
            network=people["network"].pk,
            city="Salem, Massachusetts, United States",
        ),
    )

    assert "No city called" not in response.content.decode()
    assert response.status_code == 302
    assert Solution.objects.get().city == salem


def test_a_saved_city_shown_in_the_edit_form_is_understood_when_the_form_comes_back(
    author_client, people
):
    kralendijk = make_city(name="Kralendijk", slug="kralendijk-bq", country="BQ")
    solution = draft_of(people, kralendijk, title="Reef moorings")
    form = submission_form(author_client.get(edit_url(solution)))
    assert form.control("city")["value"] == "Kralendijk, Bonaire, Sint Eustatius and Saba"
    data = form.data() | {"summary": "Moorings protect the reef.", "action": "save"}

    response = author_client.post(edit_url(solution), data)

    assert "No city called" not in response.content.decode()
    assertRedirects(response, edit_url(solution))
    solution.refresh_from_db()
    assert solution.summary == "Moorings protect the reef."


# --- 2. Everything in one go: partners, sources, indicators and images ----------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_case_study_is_saved_with_partners_sources_indicator_and_image_in_one_go(
    author_client, people, city, theme, media
):
    data = new_case_study(
        **complete_fields(people["network"], theme),
        results="Water costs fell by half.",
        lessons_learned="Community groups need training.",
        tags="water, kiosks",
        sdgs=["6", "11"],
        start_year="2015",
        end_year="2021",
        cost_usd="250000",
        funding="The utility and a development bank.",
        contact_name="Wanjiru Kamau",
        contact_organisation="Nairobi Water",
        contact_email="wanjiru@example.org",
        partners=[
            {"name": "Nairobi Water", "sector": "government", "role": "Licensed the kiosks"},
            {"name": "Kiosk Women's Group", "sector": "community", "role": "Ran the kiosks"},
        ],
        sources=[{"title": "Utility annual report", "url": "https://example.org/report.pdf"}],
        indicators=[
            {
                "name": "Households served",
                "unit": "households",
                "direction": "increase",
                "measurements": "2019: 10; 2020: 12.5\n2021: 14,5",
            }
        ],
        images=[
            {
                "image": SimpleUploadedFile("kiosk.png", png_bytes(), content_type="image/png"),
                "alt_text": "A blue water kiosk with jerrycans in front",
                "caption": "A kiosk in Kibera",
                "credit": "Nairobi Water",
            }
        ],
    )

    response = author_client.post(reverse(SUBMIT_URL), data)

    solution = Solution.objects.get()
    assertRedirects(response, edit_url(solution))
    assert solution.status == Status.DRAFT
    assert (solution.results, solution.start_year, solution.end_year) == (
        "Water costs fell by half.",
        2015,
        2021,
    )
    assert solution.cost_usd == 250_000
    assert solution.contact_email == "wanjiru@example.org"
    assert list(solution.themes.all()) == [theme]
    assert sorted(solution.tags.names()) == ["kiosks", "water"]
    assert sorted(solution.sdgs.values_list("number", flat=True)) == [6, 11]
    assert sorted(solution.partners.values_list("name", "sector", "role")) == [
        ("Kiosk Women's Group", "community", "Ran the kiosks"),
        ("Nairobi Water", "government", "Licensed the kiosks"),
    ]
    assert list(solution.sources.values_list("title", "url")) == [
        ("Utility annual report", "https://example.org/report.pdf")
    ]
    indicator = solution.indicators.get()
    assert (indicator.name, indicator.unit, indicator.direction) == (
        "Households served",
        "households",
        "increase",
    )
    assert list(indicator.measurements.values_list("year", "value")) == [
        (2019, 10.0),
        (2020, 12.5),
        (2021, 14.5),
    ]
    image = SolutionImage.objects.get(solution=solution)
    assert image.alt_text == "A blue water kiosk with jerrycans in front"
    assert (image.caption, image.credit) == ("A kiosk in Kibera", "Nairobi Water")
    stored = Path(media, image.image.name)
    assert stored.is_file()
    assert image.image.name.startswith("solutions/")
    with Image.open(stored) as saved:
        assert saved.size == (8, 6)

    edit_page = author_client.get(edit_url(solution))
    form = submission_form(edit_page)
    assert form.control("indicators-0-measurements")["value"] == "2019: 10; 2020: 12.5; 2021: 14.5"
    assert form.control("partners-INITIAL_FORMS")["value"] == "2"
    assertContains(edit_page, image.image.url)


def test_saving_the_edit_form_unchanged_keeps_every_related_row(author_client, people, city):
    solution = draft_of(people, city, title="Rain gardens")
    make_partner(solution, name="Residents' association", sector="community")
    make_indicator(solution, name="Flooded streets", measurements=[(2019, 12), (2020, 7.5)])
    form = submission_form(author_client.get(edit_url(solution)))

    response = author_client.post(edit_url(solution), form.data() | {"action": "save"})

    assertRedirects(response, edit_url(solution))
    assert list(Partner.objects.values_list("name", flat=True)) == ["Residents' association"]
    assert list(Measurement.objects.values_list("year", "value")) == [(2019, 12.0), (2020, 7.5)]


def test_measurements_of_an_indicator_are_replaced_when_edited(author_client, people, city):
    solution = draft_of(people, city, title="Cycle lanes")
    make_indicator(solution, name="Cyclists a day", measurements=[(2019, 100), (2020, 150)])
    form = submission_form(author_client.get(edit_url(solution)))
    data = form.data() | {"indicators-0-measurements": "2020: 160\n2021: 210", "action": "save"}

    author_client.post(edit_url(solution), data)

    assert list(Measurement.objects.values_list("year", "value")) == [(2020, 160.0), (2021, 210.0)]


def test_large_measurements_survive_a_round_trip_through_the_edit_form(author_client, people, city):
    solution = draft_of(people, city, title="Metro line")
    make_indicator(solution, name="Riders a year", measurements=[(2019, 1_500_000)])
    form = submission_form(author_client.get(edit_url(solution)))
    assert form.control("indicators-0-measurements")["value"] == "2019: 1500000"

    response = author_client.post(
        edit_url(solution), form.data() | {"summary": "A new line.", "action": "save"}
    )

    assert "is not “year: value”" not in response.content.decode()
    assertRedirects(response, edit_url(solution))
    assert list(Measurement.objects.values_list("year", "value")) == [(2019, 1_500_000.0)]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("twenty: 5", "“twenty: 5” is not “year: value”, for example “2020: 14.5”."),
        ("2019: 10; 2019: 11", "2019 is given twice."),
        ("2019 10", "“2019 10” is not “year: value”"),
        ("1850: 3", "1850 is not a year between 1900 and 2100."),
    ],
)
def test_badly_typed_measurements_give_a_readable_error_and_save_nothing(
    author_client, people, city, typed, message
):
    data = new_case_study(
        title="Bike share",
        network=people["network"].pk,
        city="Nairobi",
        indicators=[{"name": "Trips", "direction": "increase", "measurements": typed}],
    )

    response = author_client.post(reverse(SUBMIT_URL), data)

    assert response.status_code == 200
    assertContains(response, escape(message))
    assert submission_form(response).control("indicators-0-measurements")["value"] == typed
    assert Solution.objects.count() == 0
    assert Indicator.objects.count() == 0


@pytest.mark.parametrize(
    "name, content, content_type, message",
    [
        ("photo.png", b"this is not a picture at all", "image/png", "Upload a valid image."),
        (
            "drawing.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
            "Upload a valid image.",
        ),
        (
            "page.html",
            b"<html><body><script>alert(1)</script></body></html>",
            "text/html",
            "Upload a valid image.",
        ),
        (
            "real-png.html",
            png_bytes(),
            "text/html",
            "File extension “html” is not allowed.",
        ),
    ],
)
def test_files_that_are_not_photos_are_refused_with_a_clear_message(
    author_client, people, city, media, name, content, content_type, message
):
    data = new_case_study(
        title="Market hall",
        network=people["network"].pk,
        city="Nairobi",
        images=[
            {
                "image": SimpleUploadedFile(name, content, content_type=content_type),
                "alt_text": "The market hall",
            }
        ],
    )

    response = author_client.post(reverse(SUBMIT_URL), data)

    assert response.status_code == 200
    assertContains(response, escape(message))
    assert summary_of(response) == (
        f"{NOTHING_SAVED} Everything you typed is still here, but choose any image files again."
    )
    assert Solution.objects.count() == 0
    assert SolutionImage.objects.count() == 0
    assert list(media.rglob("*.*")) == []


def test_an_image_over_the_size_limit_is_refused(author_client, people, city, media, monkeypatch):
    monkeypatch.setattr("solutions.images.MAX_IMAGE_BYTES", 50)
    picture = png_bytes(size=(40, 40))
    assert len(picture) > 50
    data = new_case_study(
        title="Market hall",
        network=people["network"].pk,
        city="Nairobi",
        images=[
            {
                "image": SimpleUploadedFile("big.png", picture, content_type="image/png"),
                "alt_text": "The market hall",
            }
        ],
    )

    response = author_client.post(reverse(SUBMIT_URL), data)

    assert response.status_code == 200
    assertContains(response, "the largest allowed is")
    assert Solution.objects.count() == 0
    assert SolutionImage.objects.count() == 0


def test_an_image_needs_alternative_text(author_client, people, city, media):
    data = new_case_study(
        title="Market hall",
        network=people["network"].pk,
        city="Nairobi",
        images=[{"image": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")}],
    )

    response = author_client.post(reverse(SUBMIT_URL), data)

    assert response.status_code == 200
    errors = response.context["formsets"]["images"].forms[0].errors
    assert errors["alt_text"] == ["This field is required."]
    assert submission_form(response).data()["images-0-alt_text"] == ""
    assert SolutionImage.objects.count() == 0


# --- 3. Save and submit for review ------------------------------------------------------------


def test_save_and_submit_sends_a_complete_case_study_to_review_and_emails_curators(
    author_client, people, city, theme, django_capture_on_commit_callbacks
):
    data = new_case_study(action="submit", **complete_fields(people["network"], theme))

    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(reverse(SUBMIT_URL), data)

    assertRedirects(response, reverse(MY_SUBMISSIONS), fetch_redirect_response=False)
    solution = Solution.objects.get()
    assert solution.status == Status.IN_REVIEW
    assert solution.author == people["author"]
    event = WorkflowEvent.objects.get()
    assert (event.solution, event.actor, event.from_status, event.to_status) == (
        solution,
        people["author"],
        Status.DRAFT,
        Status.IN_REVIEW,
    )
    assert [message.to for message in mail.outbox] == [["curator@example.org"]]
    assert "Community water kiosks" in mail.outbox[0].subject
    page = author_client.get(response.url)
    assert "“Community water kiosks” was submitted for review." in messages_of(page)


def test_no_email_goes_out_before_the_submission_commits(
    author_client, people, city, theme, django_capture_on_commit_callbacks
):
    data = new_case_study(action="submit", **complete_fields(people["network"], theme))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        author_client.post(reverse(SUBMIT_URL), data)
        assert mail.outbox == []

    for callback in callbacks:
        callback()
    # Once committed, the notification goes out exactly once.
    assert [message.subject for message in mail.outbox] == [
        "[Urban Solutions Exchange] Submitted for review: Community water kiosks"
    ]


def test_submitting_an_incomplete_case_study_saves_a_draft_and_lists_what_is_missing(
    author_client, people, city, django_capture_on_commit_callbacks
):
    data = new_case_study(
        action="submit", title="Half done", network=people["network"].pk, city="Nairobi"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(reverse(SUBMIT_URL), data)

    solution = Solution.objects.get()
    assertRedirects(response, edit_url(solution), fetch_redirect_response=False)
    assert solution.status == Status.DRAFT
    assert WorkflowEvent.objects.count() == 0
    assert mail.outbox == []
    page = author_client.get(response.url)
    missing = "; ".join(MISSING)
    assert messages_of(page) == [
        f"Saved as a draft, but not submitted. Not ready for review. Still missing: {missing}."
    ]
    assertContains(page, f"Before it can be submitted for review it still needs: {missing}.")


def test_a_case_study_sent_back_is_resubmitted_from_its_edit_form(
    author_client, people, city, theme, django_capture_on_commit_callbacks
):
    solution = draft_of(people, city, theme, status=Status.CHANGES_REQUESTED, title="Night bus")
    page = author_client.get(edit_url(solution))
    assertContains(page, "Save and resubmit for review")
    data = submission_form(page).data() | {"results": "Ridership doubled.", "action": "submit"}

    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(edit_url(solution), data)

    assertRedirects(response, reverse(MY_SUBMISSIONS))
    solution.refresh_from_db()
    assert solution.status == Status.IN_REVIEW
    assert solution.results == "Ridership doubled."
    assert WorkflowEvent.objects.get().from_status == Status.CHANGES_REQUESTED
    assert [message.to for message in mail.outbox] == [["curator@example.org"]]


# --- 4. A failed submission keeps everything typed --------------------------------------------

TYPED = {
    "title": "Green roofs for schools",
    "summary": "Schools got green roofs.\n\nPupils look after them.",
    "problem": "Classrooms were too hot:\n\n- 35 °C in June\n- no shade",
    "approach": "The city paid for **roofs**; parents <planted> them & kept them watered.",
    "results": "Rooms are 4 °C cooler.",
    "lessons_learned": "Start with one school.",
    "tags": "heat, schools, green roofs",
    "stage": "pilot",
    "start_year": "2018",
    "end_year": "2022",
    "cost_usd": "120000",
    "funding": "City budget.",
    "contact_name": "Jo Otieno",
    "contact_organisation": "City Hall",
    "contact_email": "jo@example.org",
    "city": "Nairobi",
}


@pytest.mark.parametrize(
    "mistake, message",
    [
        ({"end_year": "2011"}, "The end year cannot be before the start year."),
        ({"contact_email": "jo at example"}, "Enter a valid email address."),
        ({"city": "Nairobbi"}, "No city called “Nairobbi” was found."),
    ],
)
def test_a_refused_new_case_study_keeps_everything_typed(
    author_client, people, city, theme, mistake, message
):
    data = new_case_study(
        **(TYPED | mistake),
        network=str(people["network"].pk),
        themes=[str(theme.pk)],
        sdgs=["3", "13"],
        partners=[
            {"name": "Parents' association", "sector": "community", "role": "Planting"},
            {"name": "Roofs Ltd", "sector": "business", "role": "Built the roofs"},
        ],
        sources=[{"title": "Evaluation", "url": "https://example.org/eval"}],
        indicators=[
            {
                "name": "Classroom temperature",
                "unit": "°C",
                "direction": "decrease",
                "measurements": "2019: 35; 2020: 31.5",
                "notes": "Measured in June.",
            }
        ],
    )

    response = author_client.post(reverse(SUBMIT_URL), data)

    assert response.status_code == 200
    assert Solution.objects.count() == 0
    assert Partner.objects.count() == Indicator.objects.count() == SourceLink.objects.count() == 0
    assert summary_of(response) == f"{NOTHING_SAVED} Everything you typed is still here."
    assertContains(response, escape(message))
    shown = submission_form(response).data()
    for name, value in data.items():
        if name not in ("action", "csrfmiddlewaretoken"):
            assert as_strings(shown.get(name, [])) == as_strings(value), name


def test_a_refused_edit_changes_nothing_and_keeps_everything_typed(author_client, people, city):
    solution = draft_of(
        people, city, title="Cool pavements", summary="Old summary.", start_year=2015
    )
    make_partner(solution, name="Paint Co", sector="business")
    make_indicator(solution, name="Surface temperature", measurements=[(2019, 50)])
    before = Solution.objects.values().get(pk=solution.pk)
    form = submission_form(author_client.get(edit_url(solution)))
    data = form.data() | {
        "title": "Cool pavements everywhere",
        "summary": "New summary.",
        "problem": "Hot streets.",
        "tags": "heat, paint",
        "end_year": "2010",
        "partners-0-name": "Paint Company Ltd",
        "partners-1-name": "Street Vendors",
        "partners-1-sector": "community",
        "indicators-0-measurements": "2019: 50; 2021: 41",
        "action": "save",
    }

    response = author_client.post(edit_url(solution), data)

    assert response.status_code == 200
    assertContains(response, "The end year cannot be before the start year.")
    assert summary_of(response) == f"{NOTHING_SAVED} Everything you typed is still here."
    assert Solution.objects.values().get(pk=solution.pk) == before
    assert list(Partner.objects.values_list("name", flat=True)) == ["Paint Co"]
    assert list(Measurement.objects.values_list("year", "value")) == [(2019, 50.0)]
    shown = submission_form(response).data()
    for name, value in data.items():
        if name not in ("action", "csrfmiddlewaretoken"):
            assert as_strings(shown.get(name, [])) == as_strings(value), name


# --- 5. My submissions -------------------------------------------------------------------------


def test_my_submissions_lists_the_networks_case_studies_with_status_comment_and_next_step(
    author_client, people, city, theme
):
    mine = draft_of(people, city, theme, title="My draft")
    sent_back = draft_of(
        people,
        city,
        theme,
        title="Sent back",
        status=Status.CHANGES_REQUESTED,
        author=people["colleague"],
    )
    WorkflowEvent.objects.create(
        solution=sent_back,
        actor=people["author"],
        from_status=Status.DRAFT,
        to_status=Status.IN_REVIEW,
    )
    WorkflowEvent.objects.create(
        solution=sent_back,
        actor=people["curator"],
        from_status=Status.IN_REVIEW,
        to_status=Status.CHANGES_REQUESTED,
        comment="Please add results & a photo.",
    )
    waiting = draft_of(people, city, theme, title="Waiting", status=Status.IN_REVIEW)
    live = draft_of(
        people, city, theme, title="Live one", status=Status.PUBLISHED, author=people["colleague"]
    )
    gone = draft_of(people, city, theme, title="Old one", status=Status.ARCHIVED)
    theirs = make_solution(title="Not ours", status=Status.DRAFT, network=people["other_network"])

    response = author_client.get(reverse(MY_SUBMISSIONS))

    assert response.status_code == 200
    assert_site_page(response)
    rows = {row["solution"].title: row for row in response.context["rows"]}
    assert set(rows) == {s.title for s in [mine, sent_back, waiting, live, gone]}
    assertNotContains(response, theirs.title)
    assertContains(
        response,
        '<span class="status status-changes_requested">Changes requested</span>',
        html=True,
    )
    assertContains(response, '<span class="status status-in_review">In review</span>', html=True)
    assertContains(response, "<blockquote>Please add results &amp; a photo.</blockquote>")
    for text in [
        "Finish it and submit it for review.",
        "Make the changes the curator asked for, then resubmit.",
        "Waiting for a curator to review it.",
        "Published: anyone can read it.",
        "Archived by a curator: no longer on the public site.",
    ]:
        assertContains(response, text, count=1)
    for solution in [mine, sent_back]:
        assertContains(response, f'href="{edit_url(solution)}"', count=1)
    for solution in [waiting, live, gone]:
        assertNotContains(response, f'href="{edit_url(solution)}"')
    assertContains(response, f'action="{transition_url(mine, "submit")}"', count=1)
    assertContains(response, f'action="{transition_url(sent_back, "resubmit")}"', count=1)
    assertContains(response, '<button type="submit">Submit for review</button>', count=1)
    assertContains(response, '<button type="submit">Resubmit</button>', count=1)
    assertContains(response, f'href="{reverse(SUBMIT_URL)}"')
    assert rows["Sent back"]["comment"].comment == "Please add results & a photo."
    assert rows["My draft"]["comment"] is None


def test_the_submit_button_on_my_submissions_sends_the_case_study_to_review(
    author_client, people, city, theme, django_capture_on_commit_callbacks
):
    solution = draft_of(people, city, theme, title="Ready")

    with django_capture_on_commit_callbacks(execute=True):
        response = author_client.post(transition_url(solution, "submit"), follow=True)

    assertRedirects(response, reverse(MY_SUBMISSIONS))
    assert "“Ready” is now In review." in messages_of(response)
    solution.refresh_from_db()
    assert solution.status == Status.IN_REVIEW
    assert WorkflowEvent.objects.filter(solution=solution).count() == 1
    assert [message.to for message in mail.outbox] == [["curator@example.org"]]
    assertContains(response, "Waiting for a curator to review it.")


def test_a_colleague_resubmits_from_my_submissions(people, city, theme):
    solution = draft_of(people, city, theme, status=Status.CHANGES_REQUESTED, title="Back")
    colleague = client_for(people["colleague"])

    response = colleague.post(transition_url(solution, "resubmit"), follow=True)

    assert "“Back” is now In review." in messages_of(response)
    solution.refresh_from_db()
    assert solution.status == Status.IN_REVIEW


def test_submitting_an_incomplete_draft_from_my_submissions_says_what_is_missing(
    author_client, people, city
):
    solution = draft_of(people, city, title="Bare", summary="", problem="", approach="")

    response = author_client.post(transition_url(solution, "submit"), follow=True)

    missing = "; ".join(MISSING)
    assert messages_of(response) == [f"Not ready for review. Still missing: {missing}."]
    solution.refresh_from_db()
    assert solution.status == Status.DRAFT
    assert WorkflowEvent.objects.count() == 0


def test_a_submitter_cannot_publish_from_my_submissions(author_client, people, city, theme):
    solution = draft_of(people, city, theme, status=Status.IN_REVIEW, title="Eager")

    response = author_client.post(transition_url(solution, "publish"), follow=True)

    assert messages_of(response) == ["You may not publish this solution."]
    solution.refresh_from_db()
    assert solution.status == Status.IN_REVIEW


def test_the_transition_url_needs_a_post_and_is_404_for_another_network(people, city, theme):
    solution = draft_of(people, city, theme, title="Private")
    outsider = client_for(people["outsider"])

    assert client_for(people["author"]).get(transition_url(solution, "submit")).status_code == 405
    assert_not_found(outsider.post(transition_url(solution, "submit")), "Private")
    solution.refresh_from_db()
    assert solution.status == Status.DRAFT


def test_someone_without_a_staff_link_sees_why_and_cannot_open_the_submit_page(client, people):
    client.force_login(people["nobody"])

    response = client.get(reverse(MY_SUBMISSIONS))

    assert response.status_code == 200
    assertContains(
        response,
        "You are not on any network's staff yet, so you cannot submit case studies. Ask a "
        "curator to add you to your network.",
    )
    assertNotContains(response, "Submit a case study")
    assertNotContains(response, f'href="{reverse(SUBMIT_URL)}"')

    response = client.get(reverse(SUBMIT_URL))

    assert response.status_code == 403
    assert_site_page(response, status_code=403)
    assertContains(
        response,
        escape(
            "Only staff of a network can submit case studies. Ask a curator to add you to your "
            "network's staff."
        ),
        status_code=403,
    )
    assert client.post(reverse(SUBMIT_URL), new_case_study(title="x")).status_code == 403
    assert Solution.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for url in [reverse(SUBMIT_URL), reverse(MY_SUBMISSIONS)]:
        response = client.get(url)
        assertRedirects(response, f"{reverse('login')}?next={url}")


def fill_my_submissions(people, count):
    """`count` case studies of the author's network, at every status; the last one made."""
    statuses = [Status.DRAFT, Status.CHANGES_REQUESTED, Status.IN_REVIEW, Status.PUBLISHED]
    for i in range(count):
        status = statuses[i % len(statuses)]
        solution = make_solution(
            status=status,
            network=people["network"],
            author=people["colleague" if i % 2 else "author"],
        )
        if status == Status.CHANGES_REQUESTED:
            WorkflowEvent.objects.create(
                solution=solution,
                actor=people["curator"],
                from_status=Status.IN_REVIEW,
                to_status=status,
                comment=f"Comment {i}",
            )
    return solution


def test_my_submissions_runs_the_same_exact_queries_for_3_rows_and_for_60(
    author_client, people, django_assert_num_queries
):
    def add(count):
        return fill_my_submissions(people, count).title

    assert_queries_do_not_grow(
        author_client, reverse(MY_SUBMISSIONS), add, django_assert_num_queries, 7, warm=7
    )
    assert len(author_client.get(reverse(MY_SUBMISSIONS)).context["rows"]) == 60


def test_the_submit_form_runs_the_same_exact_queries_for_3_rows_and_for_60(
    author_client, people, django_assert_num_queries
):
    """More themes to tick, member cities to suggest and networks to choose from."""
    author = people["author"]

    def add(count):
        for _ in range(count):
            n = next(SERIAL)
            make_theme(name=f"Form theme {n:05}", slug=f"form-theme-{n}")
            city = make_city(name=f"Member city {n:05}", slug=f"member-city-{n}", country="KE")
            make_membership(network=people["network"], city=city)
            make_staff(make_network(name=f"Form network {n:05}"), user=author)
        return f"Member city {n:05}, Kenya"

    assert_queries_do_not_grow(
        author_client, reverse(SUBMIT_URL), add, django_assert_num_queries, 8, warm=8
    )


def test_the_edit_form_runs_the_same_exact_queries_for_3_rows_and_for_60(
    author_client, people, city, django_assert_num_queries
):
    """More partners, sources and images to edit (and one indicator: see the next test)."""
    solution = draft_of(people, city)
    make_indicator(solution, measurements=[(2019, 1), (2020, 2)])

    def add(count):
        for _ in range(count):
            n = next(SERIAL)
            make_partner(solution, name=f"Form partner {n:05}")
            SourceLink.objects.create(
                solution=solution, title=f"Form source {n:05}", url=f"https://example.org/{n}"
            )
            SolutionImage.objects.create(
                solution=solution, image=f"solutions/form-{n}.png", alt_text=f"Form image {n}"
            )
        return f"Form partner {n:05}"

    assert_queries_do_not_grow(
        author_client, edit_url(solution), add, django_assert_num_queries, 19, warm=19
    )


def test_the_edit_form_runs_the_same_exact_queries_for_3_indicators_and_for_60(
    author_client, people, city, django_assert_num_queries
):
    solution = draft_of(people, city)

    def add(count):
        for _ in range(count):
            n = next(SERIAL)
            make_indicator(solution, name=f"Form indicator {n:05}", measurements=[(2019, n)])
        return f"Form indicator {n:05}"

    assert_queries_do_not_grow(
        author_client, edit_url(solution), add, django_assert_num_queries, 19, warm=19
    )


# --- 6. Editing only while a draft or sent back ------------------------------------------------


@pytest.mark.parametrize(
    "status, shown",
    [
        (Status.IN_REVIEW, "in review"),
        (Status.PUBLISHED, "published"),
        (Status.ARCHIVED, "archived"),
    ],
)
def test_a_case_study_out_of_the_submitters_hands_cannot_be_edited(
    author_client, people, city, theme, status, shown
):
    solution = draft_of(people, city, theme, status=status, title="Locked")
    before = Solution.objects.values().get(pk=solution.pk)
    data = new_case_study(
        title="Changed",
        network=people["network"].pk,
        city="Nairobi",
        opened_at=solution.updated_at.isoformat(),
    )
    notice = (
        f"“Locked” is {shown}, so it cannot be edited now. Case studies can be edited while "
        "they are drafts or sent back for changes."
    )

    for response in [
        author_client.get(edit_url(solution), follow=True),
        author_client.post(edit_url(solution), data, follow=True),
    ]:
        assertRedirects(response, reverse(MY_SUBMISSIONS))
        assert messages_of(response) == [notice]

    assert Solution.objects.values().get(pk=solution.pk) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_the_author_and_colleagues_can_edit_drafts_and_sent_back_case_studies(people, city, status):
    solution = draft_of(people, city, status=status, title="Open")

    for who in ["author", "colleague"]:
        response = client_for(people[who]).get(edit_url(solution))
        assert response.status_code == 200
        assert submission_form(response).control("title")["value"] == "Open"


def test_staff_of_another_network_cannot_see_or_edit_the_case_study(people, city):
    solution = draft_of(people, city, title="Ours")
    outsider = client_for(people["outsider"])

    assert_not_found(outsider.get(edit_url(solution)), "Ours")
    response = outsider.post(
        edit_url(solution),
        new_case_study(
            title="Theirs",
            network=people["other_network"].pk,
            city="Nairobi",
            opened_at=solution.updated_at.isoformat(),
        ),
    )
    assert_not_found(response, "Ours")
    solution.refresh_from_db()
    assert solution.title == "Ours"


def test_saving_an_edit_never_moves_the_case_study_to_another_network(author_client, people, city):
    solution = draft_of(people, city, title="Staff turnover")
    NetworkStaff.objects.filter(user=people["author"]).delete()
    make_staff(people["other_network"], user=people["author"])
    form = submission_form(author_client.get(edit_url(solution)))

    author_client.post(
        edit_url(solution), form.data() | {"summary": "Typo fixed.", "action": "save"}
    )

    solution.refresh_from_db()
    assert solution.network == people["network"]


# --- 7. Preview on the case study's own page ---------------------------------------------------


@pytest.mark.parametrize(
    "status, label, editable",
    [
        (Status.DRAFT, "Draft", True),
        (Status.CHANGES_REQUESTED, "Changes requested", True),
        (Status.IN_REVIEW, "In review", False),
        (Status.ARCHIVED, "Archived", False),
    ],
)
@pytest.mark.parametrize("viewer", ["author", "colleague", "curator"])
def test_a_case_study_not_yet_public_is_previewed_with_a_status_banner(
    people, city, theme, status, label, editable, viewer
):
    solution = draft_of(people, city, theme, status=status, title="Preview me")

    response = client_for(people[viewer]).get(solution.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, f"<strong>Preview: {label}.</strong>")
    assertContains(response, 'class="status-banner" role="status"')
    edit_link = f'<a href="{edit_url(solution)}">Edit it</a>'
    if editable and viewer != "curator":
        assertContains(response, edit_link)
    else:
        assertNotContains(response, edit_link)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_a_case_study_not_yet_public_is_hidden_from_visitors_and_other_networks(
    client, people, city, theme, status
):
    solution = draft_of(people, city, theme, status=status, title="Secret")

    assert_not_found(client.get(solution.get_absolute_url()), "Secret")
    client.force_login(people["outsider"])
    assert_not_found(client.get(solution.get_absolute_url()), "Secret")
    client.force_login(people["nobody"])
    assert_not_found(client.get(solution.get_absolute_url()), "Secret")


def test_a_published_case_study_has_no_preview_banner(client, people, city, theme):
    solution = draft_of(people, city, theme, status=Status.PUBLISHED, title="Public")
    client.force_login(people["author"])

    response = client.get(solution.get_absolute_url())

    assertContains(response, "<h1>Public</h1>", html=True)
    assertNotContains(response, "status-banner")


def test_a_new_draft_can_be_previewed_from_its_edit_form(author_client, people, city):
    author_client.post(
        reverse(SUBMIT_URL),
        new_case_study(title="Fresh draft", network=people["network"].pk, city="Nairobi"),
    )
    solution = Solution.objects.get()
    edit_page = author_client.get(edit_url(solution))
    assertContains(edit_page, f'<a href="{solution.get_absolute_url()}">Preview</a>')

    response = author_client.get(solution.get_absolute_url())

    assert response.status_code == 200
    assertContains(response, "<strong>Preview: Draft.</strong>")
    assertContains(response, "<h1>Fresh draft</h1>", html=True)


def test_a_case_study_titled_like_another_page_still_gets_its_own_page(author_client, people, city):
    author_client.post(
        reverse(SUBMIT_URL),
        new_case_study(title="Feed", network=people["network"].pk, city="Nairobi"),
    )
    solution = Solution.objects.get()

    response = author_client.get(solution.get_absolute_url())

    assertContains(response, "<strong>Preview: Draft.</strong>")


# --- 8. No lost edits ---------------------------------------------------------------------------


def test_a_second_save_of_a_form_opened_before_the_first_save_is_refused(people, city, theme):
    solution = draft_of(
        people,
        city,
        theme,
        title="Tree planting",
        summary="Original summary.",
        problem="Original problem.",
    )
    make_partner(solution, name="Tree Trust", sector="nonprofit")
    first, second = client_for(people["author"]), client_for(people["colleague"])
    first_form = submission_form(first.get(edit_url(solution))).data()
    second_form = submission_form(second.get(edit_url(solution))).data()
    assert first_form["opened_at"] == second_form["opened_at"] == solution.updated_at.isoformat()

    first_data = first_form | {"summary": "First editor's summary.", "action": "save"}
    assertRedirects(first.post(edit_url(solution), first_data), edit_url(solution))
    second_data = second_form | {
        "summary": "Second editor's summary.",
        "problem": "Second editor's problem.",
        "partners-0-name": "Tree Trust Kenya",
        "action": "save",
    }
    response = second.post(edit_url(solution), second_data)

    assert response.status_code == 200
    assertContains(response, "Someone else saved this case study after you opened it")
    assertContains(response, "Your changes have not been saved")
    assert summary_of(response).startswith(NOTHING_SAVED)
    shown = submission_form(response).data()
    assert shown["summary"] == "Second editor's summary."
    assert shown["problem"] == "Second editor's problem."
    assert shown["partners-0-name"] == "Tree Trust Kenya"
    solution.refresh_from_db()
    assert solution.summary == "First editor's summary."
    assert solution.problem == "Original problem."
    assert list(Partner.objects.values_list("name", flat=True)) == ["Tree Trust"]


def test_a_form_reopened_after_a_save_can_be_saved(author_client, people, city):
    solution = draft_of(people, city, title="Step by step")
    form = submission_form(author_client.get(edit_url(solution))).data()
    author_client.post(edit_url(solution), form | {"summary": "One.", "action": "save"})

    reopened = submission_form(author_client.get(edit_url(solution))).data()
    assert reopened["opened_at"] != form["opened_at"]
    response = author_client.post(
        edit_url(solution), reopened | {"summary": "Two.", "action": "save"}
    )

    assertRedirects(response, edit_url(solution))
    solution.refresh_from_db()
    assert solution.summary == "Two."


def test_workflow_steps_after_the_form_was_opened_also_block_the_stale_save(
    author_client, people, city, theme
):
    solution = draft_of(people, city, theme, status=Status.CHANGES_REQUESTED, title="Roofs")
    form = submission_form(author_client.get(edit_url(solution))).data()
    # While the form is open, a colleague resubmits and a curator sends it back again.
    transition(solution, user=people["colleague"], name="resubmit")
    transition(solution, user=people["curator"], name="request_changes", comment="Add a photo.")

    response = author_client.post(edit_url(solution), form | {"summary": "Late.", "action": "save"})

    assertContains(response, "Someone else saved this case study after you opened it")
    solution.refresh_from_db()
    assert solution.summary != "Late."


# --- 9. Logging in and out, and resetting a password -------------------------------------------


def test_the_login_page_uses_the_sites_templates(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert_site_page(response)
    assert "registration/login.html" in [t.name for t in response.templates]
    form = read_form(response, css_class="narrow")
    assert {"username", "password"} <= form.names()
    assert form.unlabelled() == []
    assertContains(response, f'href="{reverse("password_reset")}"')


def test_a_wrong_password_shows_an_error_and_keeps_the_username(client, people):
    response = client.post(reverse("login"), {"username": "author", "password": "wrong-one"})

    assert response.status_code == 200
    assert_site_page(response)
    assertContains(response, 'class="errors" role="alert"')
    assertContains(response, "Please enter a correct username and password.")
    form = read_form(response, css_class="narrow").data()
    assert form["username"] == "author"
    assert form["password"] == ""
    assert "_auth_user_id" not in client.session


def test_logging_in_leads_to_my_submissions_and_logging_out_needs_a_post(client, people):
    response = client.post(
        reverse("login"), {"username": "author", "password": "a-long-test-password"}
    )
    assertRedirects(response, reverse(MY_SUBMISSIONS))
    page = client.get(reverse(MY_SUBMISSIONS))
    assertContains(page, f'action="{reverse("logout")}"')

    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"), follow=True)

    assertRedirects(response, reverse("solutions:home"))
    assert_site_page(response)
    assert "_auth_user_id" not in client.session
    assertContains(response, f'href="{reverse("login")}"')


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, people, settings):
    response = client.get(reverse("password_reset"))
    assert_site_page(response)
    assert read_form(response, css_class="narrow").unlabelled() == []

    response = client.post(reverse("password_reset"), {"email": "author@example.org"}, follow=True)

    assertRedirects(response, reverse("password_reset_done"))
    assert_site_page(response)
    assertContains(response, "Check your email")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["author@example.org"]
    assert "Urban Solutions Exchange" in mail.outbox[0].body
    # The link starts with SITE_URL, whatever host the request named (tests/security).
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link

    response = client.get(link[1], follow=True)
    assert response.status_code == 200
    assert_site_page(response)
    assert response.context["validlink"]
    form = read_form(response, css_class="narrow")
    assert {"new_password1", "new_password2"} <= form.names()
    assert form.unlabelled() == []
    set_password_url = response.redirect_chain[-1][0]

    new_password = "a-brand-new-long-password"
    response = client.post(
        set_password_url,
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )

    assertRedirects(response, reverse("password_reset_complete"))
    assert_site_page(response)
    people["author"].refresh_from_db()
    assert people["author"].check_password(new_password)
    assert client.get(link[1], follow=True).context["validlink"] is False
    response = client.post(reverse("login"), {"username": "author", "password": new_password})
    assertRedirects(response, reverse(MY_SUBMISSIONS))


def test_a_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client, db):
    response = client.post(reverse("password_reset"), {"email": "stranger@example.org"})

    assertRedirects(response, reverse("password_reset_done"))
    assert mail.outbox == []


def test_my_submissions_lists_a_case_study_that_has_no_author(author_client, people, city):
    # Demo content loaded without demo users, or an author whose account was deleted.
    make_solution(title="Orphaned case study", network=people["network"], city=city, author=None)

    response = author_client.get(reverse("solutions:my-submissions"))

    assert response.status_code == 200
    assertContains(response, "Orphaned case study")

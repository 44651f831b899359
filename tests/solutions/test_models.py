"""Database constraints in the solutions app, their admin messages, trends and transfers."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pytest_django.asserts import assertContains

from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    Status,
    SustainableDevelopmentGoal,
    Transfer,
    Trend,
    WorkflowEvent,
)
from tests.support.asserts import (
    assert_admin_accepts,
    assert_admin_rejects,
    assert_forbidden,
    assert_rejected_by_database,
    assert_validation_message,
    inline_management_data,
)
from tests.support.factories import (
    make_city,
    make_indicator,
    make_network,
    make_partner,
    make_solution,
    make_transfer,
)

pytestmark = pytest.mark.django_db

SDG_MESSAGE = "There are 17 Sustainable Development Goals."
YEARS_MESSAGE = "Years must be between 1900 and 2100."
END_BEFORE_START_MESSAGE = "The end year cannot be before the start year."
PUBLISHED_DATE_MESSAGE = "A published solution needs a publication date."
STATUS_MESSAGE = "Unknown workflow status."
TITLE_MESSAGE = "A solution needs a title."
PARTNER_MESSAGE = "This partner is already listed for this solution."
SOURCE_MESSAGE = "This link is already a source of this solution."
ALT_TEXT_MESSAGE = "Every image needs alternative text."
TARGET_BEFORE_BASELINE_MESSAGE = "The target year cannot be before the baseline year."
MEASUREMENT_MESSAGE = "This indicator already has a value for that year."
TRANSFER_CITIES_MESSAGE = "A transfer goes from one city to a different city."
TRANSFER_UNIQUE_MESSAGE = "This solution is already recorded as transferred there."
EVENT_MESSAGE = "A workflow event must change the status."
REQUIRED_MESSAGE = "This field is required."

SOLUTION_INLINES = ["partners", "sources", "images", "indicators", "transfers", "events"]


def png_upload(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_sdg(**fields):
    return SustainableDevelopmentGoal.objects.create(**fields)


def make_source(solution, **overrides):
    fields = {"title": "Evaluation report", "url": "https://example.org/report"}
    fields.update(overrides)
    return SourceLink.objects.create(solution=solution, **fields)


def make_image(solution, **overrides):
    fields = {"image": "solutions/2025/01/photo.png", "alt_text": "A toilet block"}
    fields.update(overrides)
    return SolutionImage.objects.create(solution=solution, **fields)


def make_measurement(indicator, **overrides):
    fields = {"year": 2020, "value": 1.0}
    fields.update(overrides)
    return Measurement.objects.create(indicator=indicator, **fields)


def make_event(solution, **overrides):
    fields = {"from_status": Status.DRAFT, "to_status": Status.IN_REVIEW}
    fields.update(overrides)
    return WorkflowEvent.objects.create(solution=solution, **fields)


# Sustainable Development Goals


def sdg_form_data(**overrides):
    data = {"number": "18", "name": "Something new"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("number", [0, 18, 100])
def test_database_rejects_sdg_numbers_outside_1_to_17(number):
    assert_rejected_by_database(make_sdg, number=number, name=f"Goal {number}")


@pytest.mark.parametrize("number", [1, 17])
def test_database_accepts_sdg_numbers_on_the_boundary(number):
    SustainableDevelopmentGoal.objects.filter(number=number).delete()
    assert make_sdg(number=number, name=f"Goal {number}").number == number


def test_all_seventeen_goals_are_stored():
    assert list(SustainableDevelopmentGoal.objects.values_list("number", flat=True)) == list(
        range(1, 18)
    )


@pytest.mark.parametrize("number", ["0", "18"])
def test_admin_shows_sdg_number_message(admin_client, number):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_sustainabledevelopmentgoal_add",
        sdg_form_data(number=number),
        SDG_MESSAGE,
        SustainableDevelopmentGoal,
    )


# Solution


@pytest.fixture
def solution_form_data(city, network):
    def build(**overrides):
        data = {
            "title": "Rainwater harvesting in schools",
            "slug": "rainwater-harvesting-in-schools",
            "summary": "Schools collect rain.",
            "city": city.pk,
            "network": network.pk,
            "problem": "",
            "approach": "",
            "results": "",
            "lessons_learned": "",
            "tags": "water, schools",
            "stage": "implemented",
            "start_year": "2018",
            "end_year": "",
            "cost_usd": "",
            "funding": "",
            "contact_name": "",
            "contact_organisation": "",
            "contact_email": "",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
            "author": "",
            **inline_management_data(*SOLUTION_INLINES),
        }
        data.update(overrides)
        return data

    return build


def test_admin_adds_a_draft_solution_from_the_baseline_form_data(admin_client, solution_form_data):
    assert_admin_accepts(
        admin_client, "admin:solutions_solution_add", solution_form_data(), Solution
    )
    solution = Solution.objects.get(slug="rainwater-harvesting-in-schools")
    assert sorted(solution.tags.names()) == ["schools", "water"]


def test_admin_adds_a_published_solution_with_a_date(admin_client, solution_form_data):
    data = solution_form_data(
        status="published", published_at_0="2025-01-01", published_at_1="09:00:00"
    )
    assert_admin_accepts(admin_client, "admin:solutions_solution_add", data, Solution)


@pytest.mark.parametrize(("start_year", "end_year"), [(2020, 2019), (2100, 1900)])
def test_database_rejects_solution_ending_before_it_started(start_year, end_year):
    assert_rejected_by_database(make_solution, start_year=start_year, end_year=end_year)


@pytest.mark.parametrize(
    ("start_year", "end_year"), [(2020, 2020), (2020, 2021), (2020, None), (None, 2021)]
)
def test_database_accepts_solution_years_in_order_or_open(start_year, end_year):
    solution = make_solution(start_year=start_year, end_year=end_year)
    assert (solution.start_year, solution.end_year) == (start_year, end_year)


def test_admin_shows_solution_years_order_message(admin_client, solution_form_data):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_solution_add",
        solution_form_data(start_year="2020", end_year="2019"),
        END_BEFORE_START_MESSAGE,
        Solution,
    )


@pytest.mark.parametrize(
    ("start_year", "end_year"), [(1899, None), (2101, None), (2000, 2101), (None, 1899)]
)
def test_database_rejects_implausible_solution_years(start_year, end_year):
    assert_rejected_by_database(make_solution, start_year=start_year, end_year=end_year)


@pytest.mark.parametrize(("start_year", "end_year"), [(1900, 2100), (None, None)])
def test_database_accepts_solution_years_on_the_boundary(start_year, end_year):
    solution = make_solution(start_year=start_year, end_year=end_year)
    assert (solution.start_year, solution.end_year) == (start_year, end_year)


@pytest.mark.parametrize(("start_year", "end_year"), [("1899", ""), ("2015", "2101")])
def test_admin_shows_solution_years_range_message(
    admin_client, solution_form_data, start_year, end_year
):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_solution_add",
        solution_form_data(start_year=start_year, end_year=end_year),
        YEARS_MESSAGE,
        Solution,
    )


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.ARCHIVED])
def test_database_rejects_published_or_archived_solution_without_date(status):
    assert_rejected_by_database(make_solution, status=status, published_at=None)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED])
def test_database_accepts_unpublished_solution_without_date(status):
    assert make_solution(status=status).published_at is None


@pytest.mark.parametrize("status", ["published", "archived"])
def test_model_validation_reports_the_publication_date_message(city, network, status):
    # The admin cannot reach this rule: the status is read-only there and only the workflow,
    # which sets the date, changes it.
    solution = Solution(title="T", slug="t", city=city, network=network, status=status)
    assert_validation_message(solution, PUBLISHED_DATE_MESSAGE)


@pytest.mark.parametrize("status", ["published", "bogus"])
def test_admin_does_not_let_the_status_be_set_by_hand(admin_client, solution_form_data, status):
    response = admin_client.post(
        reverse("admin:solutions_solution_add"), solution_form_data(status=status)
    )
    assert Solution.objects.get().status == Status.DRAFT
    assert response.status_code == 302


@pytest.mark.parametrize("status", ["bogus", "", "Published"])
def test_database_rejects_unknown_status(status):
    assert_rejected_by_database(make_solution, status=status)


@pytest.mark.parametrize("status", Status.values)
def test_database_accepts_every_known_status(status):
    assert make_solution(status=status).status == status


def test_model_validation_reports_the_unknown_status_message(city, network):
    solution = Solution(title="T", slug="t", city=city, network=network, status="bogus")
    assert_validation_message(solution, STATUS_MESSAGE)


def test_database_rejects_an_empty_title():
    assert_rejected_by_database(make_solution, title="")


def test_model_validation_reports_the_empty_title_message(city, network):
    solution = Solution(title="", slug="untitled", city=city, network=network)
    assert_validation_message(solution, TITLE_MESSAGE)


@pytest.mark.parametrize("title", ["", "   "])
def test_admin_rejects_an_empty_title_as_a_required_field(admin_client, solution_form_data, title):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_solution_add",
        solution_form_data(title=title),
        REQUIRED_MESSAGE,
        Solution,
    )


def test_published_returns_only_published_solutions():
    solutions = {status: make_solution(status=status) for status in Status.values}
    assert list(Solution.objects.published()) == [solutions[Status.PUBLISHED]]


# Partner


def partner_form_data(solution, **overrides):
    data = {"solution": solution.pk, "name": "Kenya Red Cross", "sector": "nonprofit", "role": ""}
    data.update(overrides)
    return data


def test_database_rejects_the_same_partner_twice_for_a_solution(solution):
    make_partner(solution, name="Kenya Red Cross")
    assert_rejected_by_database(make_partner, solution, name="Kenya Red Cross", sector="business")


def test_database_accepts_the_same_partner_for_another_solution(solution):
    make_partner(solution, name="Kenya Red Cross")
    make_partner(make_solution(), name="Kenya Red Cross")
    assert Partner.objects.filter(name="Kenya Red Cross").count() == 2


def test_admin_adds_a_partner_from_the_baseline_form_data(admin_client, solution):
    assert_admin_accepts(
        admin_client, "admin:solutions_partner_add", partner_form_data(solution), Partner
    )


def test_admin_shows_duplicate_partner_message(admin_client, solution):
    make_partner(solution, name="Kenya Red Cross")
    assert_admin_rejects(
        admin_client,
        "admin:solutions_partner_add",
        partner_form_data(solution),
        PARTNER_MESSAGE,
        Partner,
    )


# Source link


def source_form_data(solution, **overrides):
    data = {
        "solution": solution.pk,
        "title": "Evaluation report",
        "url": "https://example.org/report",
    }
    data.update(overrides)
    return data


def test_database_rejects_the_same_source_url_twice_for_a_solution(solution):
    make_source(solution)
    assert_rejected_by_database(make_source, solution, title="Same report, other title")


def test_database_accepts_the_same_source_url_for_another_solution(solution):
    make_source(solution)
    make_source(make_solution())
    assert SourceLink.objects.filter(url="https://example.org/report").count() == 2


def test_admin_adds_a_source_from_the_baseline_form_data(admin_client, solution):
    assert_admin_accepts(
        admin_client, "admin:solutions_sourcelink_add", source_form_data(solution), SourceLink
    )


def test_admin_shows_duplicate_source_message(admin_client, solution):
    make_source(solution)
    assert_admin_rejects(
        admin_client,
        "admin:solutions_sourcelink_add",
        source_form_data(solution, title="Another title"),
        SOURCE_MESSAGE,
        SourceLink,
    )


# Solution image


def image_form_data(solution, **overrides):
    data = {
        "solution": solution.pk,
        "image": png_upload(),
        "alt_text": "Children at a water tank",
        "caption": "",
        "credit": "",
        "position": "0",
    }
    data.update(overrides)
    return data


def test_database_rejects_an_image_without_alt_text(solution):
    assert_rejected_by_database(make_image, solution, alt_text="")


def test_database_accepts_an_image_with_alt_text(solution):
    assert make_image(solution, alt_text="A").alt_text == "A"


def test_model_validation_reports_the_alt_text_message(solution):
    image = SolutionImage(solution=solution, image="solutions/x.png", alt_text="")
    assert_validation_message(image, ALT_TEXT_MESSAGE)


def test_admin_adds_an_image_from_the_baseline_form_data(
    admin_client, solution, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assert_admin_accepts(
        admin_client, "admin:solutions_solutionimage_add", image_form_data(solution), SolutionImage
    )


@pytest.mark.parametrize("alt_text", ["", "   "])
def test_admin_rejects_an_image_without_alt_text_as_a_required_field(
    admin_client, solution, alt_text
):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_solutionimage_add",
        image_form_data(solution, alt_text=alt_text),
        REQUIRED_MESSAGE,
        SolutionImage,
    )


# Indicator


def indicator_form_data(solution, **overrides):
    data = {
        "solution": solution.pk,
        "name": "Households served",
        "unit": "households",
        "direction": "increase",
        "baseline_value": "100",
        "baseline_year": "2015",
        "target_value": "500",
        "target_year": "2025",
        "notes": "",
        **inline_management_data("measurements"),
    }
    data.update(overrides)
    return data


def test_admin_adds_an_indicator_from_the_baseline_form_data(admin_client, solution):
    assert_admin_accepts(
        admin_client, "admin:solutions_indicator_add", indicator_form_data(solution), Indicator
    )


def test_database_rejects_target_year_before_baseline_year(solution):
    assert_rejected_by_database(make_indicator, solution, baseline_year=2020, target_year=2019)


@pytest.mark.parametrize(
    ("baseline_year", "target_year"), [(2020, 2020), (2020, 2030), (None, 2030), (2020, None)]
)
def test_database_accepts_indicator_years_in_order_or_open(solution, baseline_year, target_year):
    indicator = make_indicator(solution, baseline_year=baseline_year, target_year=target_year)
    assert (indicator.baseline_year, indicator.target_year) == (baseline_year, target_year)


def test_admin_shows_indicator_years_order_message(admin_client, solution):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_indicator_add",
        indicator_form_data(solution, baseline_year="2020", target_year="2019"),
        TARGET_BEFORE_BASELINE_MESSAGE,
        Indicator,
    )


@pytest.mark.parametrize(
    ("baseline_year", "target_year"), [(1899, None), (None, 2101), (2000, 2101), (1899, 2000)]
)
def test_database_rejects_implausible_indicator_years(solution, baseline_year, target_year):
    assert_rejected_by_database(
        make_indicator, solution, baseline_year=baseline_year, target_year=target_year
    )


def test_database_accepts_indicator_years_on_the_boundary(solution):
    indicator = make_indicator(solution, baseline_year=1900, target_year=2100)
    assert (indicator.baseline_year, indicator.target_year) == (1900, 2100)


@pytest.mark.parametrize(("baseline_year", "target_year"), [("1899", "2000"), ("2000", "2101")])
def test_admin_shows_indicator_years_range_message(
    admin_client, solution, baseline_year, target_year
):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_indicator_add",
        indicator_form_data(solution, baseline_year=baseline_year, target_year=target_year),
        YEARS_MESSAGE,
        Indicator,
    )


# Measurement


def measurement_form_data(indicator, **overrides):
    data = {"indicator": indicator.pk, "year": "2020", "value": "42", "note": ""}
    data.update(overrides)
    return data


@pytest.fixture
def indicator(solution):
    return make_indicator(solution, name="Households served")


def test_database_rejects_a_second_measurement_in_the_same_year(indicator):
    make_measurement(indicator, year=2020, value=1)
    assert_rejected_by_database(make_measurement, indicator, year=2020, value=2)


def test_database_accepts_the_same_year_for_another_indicator(indicator, solution):
    make_measurement(indicator, year=2020)
    make_measurement(make_indicator(solution), year=2020)
    assert Measurement.objects.filter(year=2020).count() == 2


def test_admin_adds_a_measurement_from_the_baseline_form_data(admin_client, indicator):
    assert_admin_accepts(
        admin_client,
        "admin:solutions_measurement_add",
        measurement_form_data(indicator),
        Measurement,
    )


def test_admin_shows_duplicate_measurement_message(admin_client, indicator):
    make_measurement(indicator, year=2020)
    assert_admin_rejects(
        admin_client,
        "admin:solutions_measurement_add",
        measurement_form_data(indicator, year="2020"),
        MEASUREMENT_MESSAGE,
        Measurement,
    )


def test_indicator_admin_inline_rejects_a_year_measured_twice(admin_client, solution):
    data = indicator_form_data(solution)
    data.update(
        {
            "measurements-TOTAL_FORMS": "2",
            "measurements-0-year": "2020",
            "measurements-0-value": "1",
            "measurements-1-year": "2020",
            "measurements-1-value": "2",
        }
    )
    count = Indicator.objects.count()
    response = admin_client.post(reverse("admin:solutions_indicator_add"), data)
    assert response.status_code == 200
    assertContains(response, "Please correct the duplicate data for year")
    assert Indicator.objects.count() == count
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("year", [1899, 2101])
def test_database_rejects_implausible_measurement_year(indicator, year):
    assert_rejected_by_database(make_measurement, indicator, year=year)


@pytest.mark.parametrize("year", [1900, 2100])
def test_database_accepts_measurement_year_on_the_boundary(indicator, year):
    assert make_measurement(indicator, year=year).year == year


@pytest.mark.parametrize("year", ["1899", "2101"])
def test_admin_shows_measurement_year_message(admin_client, indicator, year):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_measurement_add",
        measurement_form_data(indicator, year=year),
        YEARS_MESSAGE,
        Measurement,
    )


# Transfer


def transfer_form_data(solution, adopting_city, **overrides):
    data = {
        "solution": solution.pk,
        "origin_city": solution.city.pk,
        "adopting_city": adopting_city.pk,
        "network": solution.network.pk,
        "status": "adopted",
        "start_year": "2020",
        "end_year": "",
        "adaptations": "",
        "outcome": "",
    }
    data.update(overrides)
    return data


def test_admin_adds_a_transfer_from_the_baseline_form_data(admin_client, solution):
    assert_admin_accepts(
        admin_client,
        "admin:solutions_transfer_add",
        transfer_form_data(solution, make_city(country="TZ")),
        Transfer,
    )


def test_database_rejects_a_transfer_to_the_origin_city(solution):
    assert_rejected_by_database(make_transfer, solution, adopting_city=solution.city)


def test_database_accepts_a_transfer_to_another_city_in_the_same_country(solution):
    transfer = make_transfer(solution, adopting_city=make_city(country=solution.city.country))
    assert transfer.origin_city != transfer.adopting_city


def test_admin_shows_transfer_cities_differ_message(admin_client, solution):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_transfer_add",
        transfer_form_data(solution, solution.city),
        TRANSFER_CITIES_MESSAGE,
        Transfer,
    )


def test_database_rejects_a_second_transfer_of_a_solution_to_the_same_city(solution):
    adopting_city = make_city(country="TZ")
    make_transfer(solution, adopting_city=adopting_city)
    assert_rejected_by_database(
        make_transfer, solution, adopting_city=adopting_city, status="proposed"
    )


def test_database_accepts_transfers_of_two_solutions_to_the_same_city(solution):
    adopting_city = make_city(country="TZ")
    make_transfer(solution, adopting_city=adopting_city)
    make_transfer(make_solution(), adopting_city=adopting_city)
    assert Transfer.objects.filter(adopting_city=adopting_city).count() == 2


def test_admin_shows_duplicate_transfer_message(admin_client, solution):
    adopting_city = make_city(country="TZ")
    make_transfer(solution, adopting_city=adopting_city)
    assert_admin_rejects(
        admin_client,
        "admin:solutions_transfer_add",
        transfer_form_data(solution, adopting_city, status="proposed"),
        TRANSFER_UNIQUE_MESSAGE,
        Transfer,
    )


def test_database_rejects_a_transfer_ending_before_it_started(solution):
    assert_rejected_by_database(make_transfer, solution, start_year=2020, end_year=2019)


@pytest.mark.parametrize(
    ("start_year", "end_year"), [(2020, 2020), (2020, 2022), (None, 2022), (2020, None)]
)
def test_database_accepts_transfer_years_in_order_or_open(solution, start_year, end_year):
    transfer = make_transfer(solution, start_year=start_year, end_year=end_year)
    assert (transfer.start_year, transfer.end_year) == (start_year, end_year)


def test_admin_shows_transfer_years_order_message(admin_client, solution):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_transfer_add",
        transfer_form_data(solution, make_city(), start_year="2020", end_year="2019"),
        END_BEFORE_START_MESSAGE,
        Transfer,
    )


@pytest.mark.parametrize(
    ("start_year", "end_year"), [(1899, None), (2101, None), (2000, 2101), (None, 1899)]
)
def test_database_rejects_implausible_transfer_years(solution, start_year, end_year):
    assert_rejected_by_database(make_transfer, solution, start_year=start_year, end_year=end_year)


def test_database_accepts_transfer_years_on_the_boundary(solution):
    transfer = make_transfer(solution, start_year=1900, end_year=2100)
    assert (transfer.start_year, transfer.end_year) == (1900, 2100)


@pytest.mark.parametrize(("start_year", "end_year"), [("1899", ""), ("2020", "2101")])
def test_admin_shows_transfer_years_range_message(admin_client, solution, start_year, end_year):
    assert_admin_rejects(
        admin_client,
        "admin:solutions_transfer_add",
        transfer_form_data(solution, make_city(), start_year=start_year, end_year=end_year),
        YEARS_MESSAGE,
        Transfer,
    )


# Workflow event


def test_database_rejects_a_workflow_event_that_keeps_the_status(solution):
    assert_rejected_by_database(
        make_event, solution, from_status=Status.DRAFT, to_status=Status.DRAFT
    )


@pytest.mark.parametrize("field", ["from_status", "to_status"])
def test_database_rejects_a_workflow_event_with_an_unknown_status(solution, field):
    statuses = {"from_status": Status.DRAFT, "to_status": Status.IN_REVIEW, field: "lost"}
    assert_rejected_by_database(make_event, solution, **statuses)


def test_database_accepts_a_workflow_event_that_changes_the_status(solution):
    event = make_event(solution, from_status=Status.DRAFT, to_status=Status.IN_REVIEW)
    assert (event.from_status, event.to_status) == (Status.DRAFT, Status.IN_REVIEW)


def test_model_validation_reports_the_workflow_event_message(solution):
    event = WorkflowEvent(solution=solution, from_status=Status.DRAFT, to_status=Status.DRAFT)
    assert_validation_message(event, EVENT_MESSAGE)


def test_admin_offers_no_add_form_for_workflow_events(admin_client):
    response = admin_client.get(reverse("admin:solutions_workflowevent_add"))
    assert_forbidden(response)


# Indicator trend


@pytest.mark.parametrize(
    ("direction", "measurements", "trend"),
    [
        ("increase", [(2018, 10), (2022, 20)], Trend.IMPROVING),
        ("increase", [(2018, 20), (2022, 10)], Trend.WORSENING),
        ("decrease", [(2018, 20), (2022, 10)], Trend.IMPROVING),
        ("decrease", [(2018, 10), (2022, 20)], Trend.WORSENING),
        ("increase", [(2018, 10), (2022, 10)], Trend.STEADY),
        ("decrease", [(2018, 10), (2022, 10)], Trend.STEADY),
    ],
)
def test_trend_compares_first_and_last_measurement_by_direction(
    solution, direction, measurements, trend
):
    indicator = make_indicator(solution, measurements, direction=direction)
    assert indicator.trend() == trend


def test_trend_orders_measurements_by_year_not_by_insertion(solution):
    indicator = make_indicator(solution, [(2022, 5), (2018, 10)], direction="increase")
    assert indicator.trend() == Trend.WORSENING


def test_trend_ignores_measurements_between_the_first_and_last(solution):
    indicator = make_indicator(solution, [(2018, 10), (2020, 1), (2022, 11)], direction="increase")
    assert indicator.trend() == Trend.IMPROVING


@pytest.mark.parametrize("measurements", [[], [(2020, 10)]], ids=["none", "one"])
def test_trend_is_none_with_fewer_than_two_measurements(solution, measurements):
    assert make_indicator(solution, measurements).trend() is None


def test_trend_uses_prefetched_measurements(solution, django_assert_num_queries):
    make_indicator(solution, [(2018, 10), (2022, 20)])
    indicator = Indicator.objects.prefetch_related("measurements").get(solution=solution)
    with django_assert_num_queries(0):
        assert indicator.trend() == Trend.IMPROVING


# Transfer borders and querysets


@pytest.fixture
def transfers():
    origin = make_city(country="KE")
    solution = make_solution(city=origin)
    return {
        "same-country": make_transfer(solution, adopting_city=make_city(country="KE")),
        "same-region": make_transfer(solution, adopting_city=make_city(country="TZ")),
        "other-region": make_transfer(solution, adopting_city=make_city(country="BR")),
    }


@pytest.mark.parametrize(
    ("name", "national", "regional"),
    [
        ("same-country", False, False),
        ("same-region", True, False),
        ("other-region", True, True),
    ],
)
def test_transfer_border_crossing_properties(transfers, name, national, regional):
    transfer = Transfer.objects.get(pk=transfers[name].pk)
    assert transfer.crosses_national_border is national
    assert transfer.crosses_regional_border is regional


def test_across_national_borders_excludes_transfers_within_a_country(transfers):
    assert set(Transfer.objects.across_national_borders()) == {
        transfers["same-region"],
        transfers["other-region"],
    }


def test_across_regional_borders_keeps_only_transfers_between_regions(transfers):
    assert list(Transfer.objects.across_regional_borders()) == [transfers["other-region"]]


def test_queryset_and_property_agree_on_border_crossings(transfers):
    all_transfers = Transfer.objects.all()
    assert set(Transfer.objects.across_national_borders()) == {
        t for t in all_transfers if t.crosses_national_border
    }
    assert set(Transfer.objects.across_regional_borders()) == {
        t for t in all_transfers if t.crosses_regional_border
    }


def test_of_published_solutions_keeps_only_transfers_of_published_solutions():
    network = make_network()
    by_status = {
        status: make_transfer(make_solution(status=status, network=network))
        for status in Status.values
    }
    assert list(Transfer.objects.of_published_solutions()) == [by_status[Status.PUBLISHED]]

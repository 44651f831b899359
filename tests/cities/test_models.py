"""Database constraints on City, their messages in the admin, and derived region and size."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertRedirects

from cities.models import City, SizeClass
from tests.support.asserts import assert_rejected_by_database
from tests.support.factories import make_city

pytestmark = pytest.mark.django_db

LATITUDE_MESSAGE = "Latitude must be between -90 and 90."
LONGITUDE_MESSAGE = "Longitude must be between -180 and 180."
COORDINATES_MESSAGE = "Give both latitude and longitude, or neither."
POPULATION_YEAR_MESSAGE = "The population year must be between 1800 and 2100."
NAME_MESSAGE = "A city needs a name."


def city_form_data(**overrides):
    data = {
        "name": "Mombasa",
        "slug": "mombasa-ke",
        "country": "KE",
        "admin_area": "",
        "description": "",
        "population": "1208333",
        "population_year": "2019",
        "latitude": "-4.05",
        "longitude": "39.67",
        "geonames_id": "",
        "alternate_names": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def post_city_add(client, **overrides):
    return client.post(reverse("admin:cities_city_add"), city_form_data(**overrides))


def assert_admin_shows_error(client, message, **overrides):
    count = City.objects.count()
    response = post_city_add(client, **overrides)
    assert response.status_code == 200
    assertContains(response, escape(message))
    assert City.objects.count() == count


def test_admin_adds_a_city_from_the_baseline_form_data(admin_client):
    response = post_city_add(admin_client)
    assertRedirects(response, reverse("admin:cities_city_changelist"))
    assert City.objects.get(slug="mombasa-ke").region == "africa"


# Latitude


@pytest.mark.parametrize("latitude", [90.5, -91, 1000])
def test_database_rejects_latitude_out_of_range(latitude):
    assert_rejected_by_database(make_city, latitude=latitude)


@pytest.mark.parametrize("latitude", [90, -90, 0])
def test_database_accepts_latitude_on_the_boundary(latitude):
    assert make_city(latitude=latitude).latitude == latitude


@pytest.mark.parametrize("latitude", ["90.5", "-91"])
def test_admin_shows_latitude_range_message(admin_client, latitude):
    assert_admin_shows_error(admin_client, LATITUDE_MESSAGE, latitude=latitude)


# Longitude


@pytest.mark.parametrize("longitude", [180.5, -181, 360])
def test_database_rejects_longitude_out_of_range(longitude):
    assert_rejected_by_database(make_city, longitude=longitude)


@pytest.mark.parametrize("longitude", [180, -180, 0])
def test_database_accepts_longitude_on_the_boundary(longitude):
    assert make_city(longitude=longitude).longitude == longitude


@pytest.mark.parametrize("longitude", ["180.5", "-181"])
def test_admin_shows_longitude_range_message(admin_client, longitude):
    assert_admin_shows_error(admin_client, LONGITUDE_MESSAGE, longitude=longitude)


# Both coordinates or neither


@pytest.mark.parametrize(
    "coordinates",
    [{"latitude": None, "longitude": 36.82}, {"latitude": -1.28, "longitude": None}],
    ids=["longitude-only", "latitude-only"],
)
def test_database_rejects_a_single_coordinate(coordinates):
    assert_rejected_by_database(make_city, **coordinates)


def test_database_accepts_a_city_without_coordinates():
    city = make_city(latitude=None, longitude=None)
    assert (city.latitude, city.longitude) == (None, None)


@pytest.mark.parametrize(
    "coordinates",
    [{"latitude": "", "longitude": "39.67"}, {"latitude": "-4.05", "longitude": ""}],
    ids=["longitude-only", "latitude-only"],
)
def test_admin_shows_both_or_neither_coordinates_message(admin_client, coordinates):
    assert_admin_shows_error(admin_client, COORDINATES_MESSAGE, **coordinates)


# Population year


@pytest.mark.parametrize("population_year", [1799, 2101])
def test_database_rejects_implausible_population_year(population_year):
    assert_rejected_by_database(make_city, population_year=population_year)


@pytest.mark.parametrize("population_year", [1800, 2100, None])
def test_database_accepts_population_year_on_the_boundary(population_year):
    assert make_city(population_year=population_year).population_year == population_year


@pytest.mark.parametrize("population_year", ["1799", "2101"])
def test_admin_shows_population_year_message(admin_client, population_year):
    assert_admin_shows_error(admin_client, POPULATION_YEAR_MESSAGE, population_year=population_year)


# Name


def test_database_rejects_an_empty_name():
    assert_rejected_by_database(make_city, name="")


def test_database_accepts_a_one_letter_name():
    assert make_city(name="Å").name == "Å"


def test_model_validation_reports_the_empty_name_message():
    city = City(name="", slug="nameless", country="KE")
    with pytest.raises(ValidationError) as error:
        city.validate_constraints()
    assert error.value.messages == [NAME_MESSAGE]


@pytest.mark.parametrize("name", ["", "   "])
def test_admin_rejects_an_empty_name_as_a_required_field(admin_client, name):
    assert_admin_shows_error(admin_client, "This field is required.", name=name)


# Region derived from the country


@pytest.mark.parametrize(
    ("country", "region", "subregion"),
    [
        ("KE", "africa", "sub-saharan-africa"),
        ("EG", "africa", "northern-africa"),
        ("BR", "south-america", "latin-america-and-the-caribbean"),
        ("MX", "north-america", "latin-america-and-the-caribbean"),
        ("US", "north-america", "northern-america"),
        ("NL", "europe", "western-europe"),
        ("JP", "asia", "eastern-asia"),
        ("TH", "asia", "south-eastern-asia"),
        ("TW", "asia", "eastern-asia"),  # not in M49: placed by hand
        ("XK", "europe", "southern-europe"),
        ("AQ", "antarctica", ""),  # no M49 sub-region
    ],
)
def test_region_and_un_subregion_are_derived_from_the_country_on_save(country, region, subregion):
    city = make_city(country=country)
    city.refresh_from_db()
    assert (city.region, city.subregion) == (region, subregion)


def test_every_country_has_an_m49_subregion_but_antarctica():
    from django_countries import countries

    from cities.regions import subregion_for_country

    assert [code for code, _name in countries if not subregion_for_country(code)] == ["AQ"]


def test_region_follows_a_change_of_country():
    city = make_city(country="KE")
    city.country = "BR"
    city.save()
    city.refresh_from_db()
    assert city.region == "south-america"


def test_region_follows_a_change_of_country_saved_with_update_fields():
    city = make_city(country="KE")
    city.country = "NL"
    city.save(update_fields=["country"])
    city.refresh_from_db()
    assert (city.region, city.subregion) == ("europe", "western-europe")


def test_region_cannot_be_set_by_hand():
    city = make_city(country="KE")
    city.region = "europe"
    city.save()
    city.refresh_from_db()
    assert city.region == "africa"


# Size class


@pytest.mark.parametrize(
    ("population", "size_class"),
    [
        (0, SizeClass.SMALL),
        (99_999, SizeClass.SMALL),
        (100_000, SizeClass.MEDIUM),
        (999_999, SizeClass.MEDIUM),
        (1_000_000, SizeClass.LARGE),
        (9_999_999, SizeClass.LARGE),
        (10_000_000, SizeClass.MEGA),
        (None, None),
    ],
)
def test_size_class_boundaries(population, size_class):
    assert City(population=population).size_class == size_class


def test_size_class_display_is_empty_without_population():
    assert City(population=None).get_size_class_display() == ""


def test_size_class_display_uses_the_label():
    assert City(population=100_000).get_size_class_display() == "100,000 to 1 million"


@pytest.mark.parametrize(
    ("size_class", "expected"),
    [
        (SizeClass.SMALL, {99_999}),
        (SizeClass.MEDIUM, {100_000, 999_999}),
        (SizeClass.LARGE, {1_000_000, 9_999_999}),
        (SizeClass.MEGA, {10_000_000}),
    ],
)
def test_of_size_filters_by_the_size_class_bounds(size_class, expected):
    for population in [99_999, 100_000, 999_999, 1_000_000, 9_999_999, 10_000_000, None]:
        make_city(population=population)
    populations = set(City.objects.of_size(size_class).values_list("population", flat=True))
    assert populations == expected


def test_of_size_agrees_with_size_class_for_every_city():
    cities = [make_city(population=p) for p in [99_999, 100_000, 1_000_000, 10_000_000, None]]
    for size_class in SizeClass:
        matched = set(City.objects.of_size(size_class))
        assert matched == {city for city in cities if city.size_class == size_class}

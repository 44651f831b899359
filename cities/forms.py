"""A form field for choosing a city by typing its name, as people say it."""

from django import forms
from django.core.exceptions import ValidationError
from django_countries import countries

from cities.models import City
from core.text import clean_text

COUNTRY_ALIASES = {"usa": "US", "uk": "GB", "britain": "GB", "great britain": "GB"}


def city_label(city):
    parts = [city.name, city.admin_area, city.country.name]
    return ", ".join(part for part in parts if part)


def country_codes(text):
    """ISO codes for a country typed as its code, its name or the start of its name."""
    text = text.strip().lower()
    if text in COUNTRY_ALIASES:
        return [COUNTRY_ALIASES[text]]
    exact = [code for code, name in countries if text in (code.lower(), name.lower())]
    if exact:
        return exact
    if len(text) < 4:
        return []
    return [code for code, name in countries if name.lower().startswith(text)]


class CityField(forms.CharField):
    """A city typed as "Name", "Name, Country" or "Name, Area, Country" (or its slug)."""

    default_error_messages = {
        "unknown": "No city called “%(value)s” was found. Check the spelling, add the country "
        "(for example “Salem, United States”), or ask a curator to add the city.",
        "ambiguous": "Several cities match “%(value)s”: %(options)s. Add the area or the "
        "country to say which.",
    }

    def prepare_value(self, value):
        if isinstance(value, City):
            return city_label(value)
        if isinstance(value, int):
            city = City.objects.filter(pk=value).first()
            return city_label(city) if city else ""
        return value

    def to_python(self, value):
        text = clean_text(str(value or ""))  # also drops NUL and other control characters
        if not text:
            return None
        by_slug = City.objects.filter(slug=text.lower()).first()
        if by_slug:
            return by_slug
        found = list(self.matches(text).order_by("-population")[:6])
        if not found:
            raise ValidationError(self.error_messages["unknown"], "unknown", {"value": text})
        if len(found) > 1:
            options = "; ".join(f"“{city_label(c)}”" for c in found[:5])
            raise ValidationError(
                self.error_messages["ambiguous"],
                "ambiguous",
                {"value": text, "options": options},
            )
        return found[0]

    def matches(self, text):
        """Cities for "Name[, Area][, Country]"; a country's name may itself hold commas."""
        parts = [part.strip() for part in text.split(",") if part.strip()]
        for start in range(1, len(parts)):
            codes = country_codes(", ".join(parts[start:]))
            if codes:
                matches = City.objects.filter(name__iexact=parts[0], country__in=codes)
                if start > 1:
                    matches = matches.filter(admin_area__iexact=", ".join(parts[1:start]))
                return matches
        return City.objects.filter(name__iexact=", ".join(parts))

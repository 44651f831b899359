"""The case-study form network staff fill in on the public site, with its related rows."""

import math
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils import timezone
from django_countries import countries

from cities.models import City
from networks.models import Network
from solutions.images import clean_uploaded_image
from solutions.models import (
    Indicator,
    Measurement,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    SustainableDevelopmentGoal,
    Theme,
)
from solutions.roles import staff_network_ids
from solutions.search import clean_query

MAX_TAGS = 20
MAX_TAG_LENGTH = 100
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]
CONFLICT_MESSAGE = (
    "Someone else saved this case study after you opened it, at {saved}. Your changes have "
    "not been saved, and nothing of theirs was overwritten. Your version is still in the form "
    "below: open the latest version in another tab, copy your changes across and save there."
)


def city_label(city):
    parts = [city.name, city.admin_area, city.country.name]
    return ", ".join(part for part in parts if part)


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
        text = clean_query(str(value or ""))  # also drops NUL and other control characters
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


COUNTRY_ALIASES = {"usa": "US", "uk": "GB", "britain": "GB", "great britain": "GB"}


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


def opened_at_field():
    return forms.CharField(widget=forms.HiddenInput, required=False)


class ConcurrentEditMixin:
    """Refuses a save when the solution changed after the form was opened.

    The form carries the `updated_at` it was opened with; every save sets a new one. The check
    locks the row, so two saves cannot both pass it.
    """

    def set_opened_at(self):
        """Forms using this declare `opened_at = opened_at_field()`."""
        if self.instance.pk and not self.is_bound:
            self.initial["opened_at"] = self.instance.updated_at.isoformat()

    def check_not_changed_since_opened(self):
        if not self.instance.pk:
            return
        saved = (
            Solution.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if saved is not None and self.cleaned_data.get("opened_at") != saved.isoformat():
            when = timezone.localtime(saved).strftime("%d %B %Y %H:%M:%S %Z")
            raise ValidationError(CONFLICT_MESSAGE.format(saved=when), code="conflict")


class SolutionForm(ConcurrentEditMixin, forms.ModelForm):
    city = CityField(
        label="Origin city",
        help_text="Type the city, e.g. “Nairobi”, “Salem, United States” or "
        "“Salem, Massachusetts, United States”.",
        widget=forms.TextInput(attrs={"list": "city-options", "autocomplete": "off"}),
    )
    opened_at = opened_at_field()

    class Meta:
        model = Solution
        fields = [
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
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "problem": forms.Textarea(attrs={"rows": 8}),
            "approach": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 8}),
            "lessons_learned": forms.Textarea(attrs={"rows": 8}),
            "funding": forms.Textarea(attrs={"rows": 3}),
            "themes": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The case study's own network stays a choice even if its author has moved on.
        networks = Q(pk__in=staff_network_ids(user)) | Q(pk=self.instance.network_id)
        self.fields["network"].queryset = Network.objects.filter(networks)
        self.fields["network"].empty_label = None
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["sdgs"].queryset = SustainableDevelopmentGoal.objects.all()
        self.fields["sdgs"].label_from_instance = lambda goal: f"{goal.number}. {goal.name}"
        self.fields["tags"].required = False
        self.set_opened_at()

    def clean_tags(self):
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise ValidationError(f"Give at most {MAX_TAGS} tags.")
        too_long = [tag for tag in tags if len(tag) > MAX_TAG_LENGTH]
        if too_long:
            raise ValidationError(
                f"A tag can be at most {MAX_TAG_LENGTH} characters; "
                f"“{too_long[0][:40]}…” is longer."
            )
        return tags

    def clean(self):
        cleaned = super().clean()
        self.check_not_changed_since_opened()
        return cleaned

    def city_options(self):
        """Cities to suggest: members of the user's networks and cities already documented."""
        networks = staff_network_ids(self.user)
        return (
            City.objects.filter(Q(memberships__network__in=networks) | Q(solutions__isnull=False))
            .distinct()
            .order_by("name")[:300]
        )


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "sector", "role"]


class SourceLinkForm(forms.ModelForm):
    class Meta:
        model = SourceLink
        fields = ["title", "url"]


MEASUREMENT_PATTERN = re.compile(r"^\s*(\d{4})\s*[:=]\s*(-?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?)\s*$")


def plain_number(value):
    """A number as people type it: no exponent, no trailing zeros."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


class IndicatorForm(forms.ModelForm):
    measurements = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One “year: value” per line or separated by semicolons, "
        "e.g. 2019: 12.5; 2020: 14",
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "unit",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "target_year",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["measurements"] = "; ".join(
                f"{m.year}: {plain_number(m.value)}" for m in self.instance.measurements.all()
            )

    def clean_measurements(self):
        text = self.cleaned_data["measurements"]
        values = {}
        for part in re.split(r"[;\n]", text):
            if not part.strip():
                continue
            match = MEASUREMENT_PATTERN.match(part)
            if not match:
                raise ValidationError(
                    f"“{part.strip()[:40]}” is not “year: value”, for example “2020: 14.5”."
                )
            year, value = int(match[1]), float(match[2].replace(",", "."))
            if not math.isfinite(value):
                raise ValidationError(f"{match[2][:20]} is too large a number.")
            if not 1900 <= year <= 2100:
                raise ValidationError(f"{year} is not a year between 1900 and 2100.")
            if year in values:
                raise ValidationError(f"{year} is given twice.")
            values[year] = value
        return sorted(values.items())

    def save(self, commit=True):
        indicator = super().save(commit=commit)
        if commit:
            indicator.measurements.all().delete()
            Measurement.objects.bulk_create(
                Measurement(indicator=indicator, year=year, value=value)
                for year, value in self.cleaned_data["measurements"]
            )
        return indicator


class SolutionImageForm(forms.ModelForm):
    """Used on the public form and in the admin alike."""

    image = forms.ImageField(
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
        help_text="A JPEG, PNG, GIF or WebP photo of at most 5 MB.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )

    class Meta:
        model = SolutionImage
        fields = ["image", "alt_text", "caption", "credit"]

    def clean_image(self):
        image = self.cleaned_data["image"]
        if isinstance(image, UploadedFile):
            return clean_uploaded_image(image)
        return image  # the image saved earlier, unchanged


def formset(model, form, extra):
    return inlineformset_factory(Solution, model, form=form, extra=extra, can_delete=True)


PartnerFormSet = formset(Partner, PartnerForm, 2)
SourceLinkFormSet = formset(SourceLink, SourceLinkForm, 2)
IndicatorFormSet = formset(Indicator, IndicatorForm, 1)
SolutionImageFormSet = formset(SolutionImage, SolutionImageForm, 1)
RELATED_FORMSETS = {
    "partners": PartnerFormSet,
    "sources": SourceLinkFormSet,
    "indicators": IndicatorFormSet,
    "images": SolutionImageFormSet,
}


class CommentForm(forms.Form):
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="Shown to the people who submitted it.",
    )

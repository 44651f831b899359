"""The case-study form network staff fill in on the public site, with its related rows."""

import math
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.forms import inlineformset_factory

from cities.forms import CityField
from cities.models import City
from networks.models import Network
from solutions.images import clean_uploaded_image
from solutions.models import (
    Indicator,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    SustainableDevelopmentGoal,
    Theme,
)
from solutions.models.years import YEAR_MAX, YEAR_MIN, YEARS
from solutions.services import ensure_unchanged_since
from solutions.workflow.roles import staff_network_ids

MAX_TAGS = 20
MAX_TAG_LENGTH = 100
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]


def opened_at_field():
    return forms.CharField(widget=forms.HiddenInput, required=False)


class OpenedAtMixin:
    """Carries the `updated_at` the form was opened with, for the lost-edit check
    (`solutions.services.ensure_unchanged_since`). Forms using this declare
    `opened_at = opened_at_field()`."""

    def set_opened_at(self):
        if self.instance.pk and not self.is_bound:
            self.initial["opened_at"] = self.instance.updated_at.isoformat()

    def check_unchanged_since_opened(self, *, lock):
        if self.instance.pk:
            ensure_unchanged_since(
                solution_pk=self.instance.pk,
                opened_at=self.cleaned_data.get("opened_at"),
                lock=lock,
            )


class SolutionForm(OpenedAtMixin, forms.ModelForm):
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
        # Said at once, beside any other problem; the save checks again, under a lock.
        self.check_unchanged_since_opened(lock=False)
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
            if year not in YEARS:
                raise ValidationError(f"{year} is not a year between {YEAR_MIN} and {YEAR_MAX}.")
            if year in values:
                raise ValidationError(f"{year} is given twice.")
            values[year] = value
        return sorted(values.items())


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

"""The case-study form network staff fill in on the public site, with its related rows."""

import math
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import FileExtensionValidator
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy, ngettext_lazy

from cities.forms import CityField
from cities.models import City
from core.ids import valid_value
from networks.models import Network
from solutions.images import (
    MIME_TYPES,
    clean_uploaded_image,
    read_header,
    save_refusal,
    upload_help_text,
)
from solutions.models import (
    Indicator,
    Partner,
    Solution,
    SolutionImage,
    SourceLink,
    SustainableDevelopmentGoal,
    Theme,
)
from solutions.models.solution import REVIEW_REQUIREMENTS
from solutions.models.years import (
    YEAR_MAX,
    YEAR_MIN,
    YEARS,
    YEARS_MESSAGE,
    YEARS_ORDER_MESSAGE,
)
from solutions.services import ensure_unchanged_since
from solutions.submission_help import SUBMISSION_HELP_TEXTS
from solutions.workflow.roles import staff_network_ids

MAX_TAGS = 20
MAX_TAG_LENGTH = 100
IMAGE_EXTENSIONS = ["jpg", "jpeg", "png", "gif", "webp"]  # of the formats in solutions.images
MAX_IMAGES_PER_CASE_STUDY = 20


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


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """An id no row can have (2**63 overflows SQLite's lookup) is an invalid choice, not a 500."""

    def _check_values(self, value):
        model = self.queryset.model
        key = model._meta.get_field(self.to_field_name) if self.to_field_name else model._meta.pk
        for item in value:
            if not valid_value(key, item):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


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
        field_classes = {
            "themes": BoundedModelMultipleChoiceField,
            "sdgs": BoundedModelMultipleChoiceField,
        }
        # Plain words for the staff who fill it in (the admin keeps the models' shorter ones).
        help_texts = SUBMISSION_HELP_TEXTS
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
        # Marked from the start, so nobody learns of them only when submitting fails.
        for name, _label in REVIEW_REQUIREMENTS:
            self.fields[name].needed_for_review = True
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

    # The years are checked here as well as by the model's constraints so that each problem
    # is said beside its field (and linked from the error summary), not above the form.
    def _clean_year(self, name):
        year = self.cleaned_data.get(name)
        if year is not None and year not in YEARS:
            raise ValidationError(YEARS_MESSAGE)
        return year

    def clean_start_year(self):
        return self._clean_year("start_year")

    def clean_end_year(self):
        return self._clean_year("end_year")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start is not None and end is not None and end < start:
            self.add_error("end_year", YEARS_ORDER_MESSAGE)
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
    """Used on the public form and in the admin alike. When the new images of one save are over
    its limits, the formset sets `refused_upload` to why, and no image is decoded."""

    image = forms.ImageField(
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS)],
        help_text=lazy(upload_help_text, str)(),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(MIME_TYPES.values())}),
    )
    refused_upload = None

    class Meta:
        model = SolutionImage
        fields = ["image", "alt_text", "caption", "credit"]

    def clean_image(self):
        image = self.cleaned_data["image"]
        if not isinstance(image, UploadedFile):
            return image  # the image saved earlier, unchanged
        if self.refused_upload:
            read_header(image)  # what is wrong with this file itself comes first
            raise ValidationError(
                gettext_lazy("Not added: %(reason)s"), params={"reason": self.refused_upload}
            )
        return clean_uploaded_image(image)


class BaseSolutionImageFormSet(BaseInlineFormSet):
    """Bounds the work one save can ask for before any image is decoded: how many new images and
    how many pixels in all (`solutions.images.save_refusal`). The admin's inline can use it too."""

    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "A case study can have at most %(num)d image.",
            "A case study can have at most %(num)d images.",
            "num",
        ),
    }

    def full_clean(self):
        refusal = None
        if self.is_bound:
            uploads = {form: self.files.get(form.add_prefix("image")) for form in self.forms}
            refusal = save_refusal([upload for upload in uploads.values() if upload])
            for form, upload in uploads.items():
                form.refused_upload = refusal if upload else None
        super().full_clean()
        if refusal:
            self._non_form_errors.append(refusal)


# Rows of one kind a case study can have: far more than any has, and few enough that a
# forged form with thousands of rows is refused before they are built.
MAX_ROWS = 100


class BoundedFormSet(BaseInlineFormSet):
    """Says in words how many rows of its kind a case study can have."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["too_many_forms"] = gettext_lazy(
            "A case study can have at most %(num)d %(rows)s."
        ) % {"num": self.max_num, "rows": self.model._meta.verbose_name_plural}


class IndicatorFormSetBase(BoundedFormSet):
    def __init__(self, *args, **kwargs):
        # Each indicator's form lists its measurements: one query for all of them.
        kwargs.setdefault("queryset", Indicator.objects.prefetch_related("measurements"))
        super().__init__(*args, **kwargs)


def formset(model, form, extra, base=BoundedFormSet):
    return inlineformset_factory(
        Solution,
        model,
        form=form,
        formset=base,
        extra=extra,
        can_delete=True,
        max_num=MAX_ROWS,
        absolute_max=MAX_ROWS,
        validate_max=True,
    )


PartnerFormSet = formset(Partner, PartnerForm, 2)
SourceLinkFormSet = formset(SourceLink, SourceLinkForm, 2)
IndicatorFormSet = formset(Indicator, IndicatorForm, 1, base=IndicatorFormSetBase)
SolutionImageFormSet = inlineformset_factory(
    Solution,
    SolutionImage,
    form=SolutionImageForm,
    formset=BaseSolutionImageFormSet,
    extra=1,
    can_delete=True,
    # A forged TOTAL_FORMS builds no more forms than this, and is refused.
    max_num=MAX_IMAGES_PER_CASE_STUDY,
    absolute_max=MAX_IMAGES_PER_CASE_STUDY,
    validate_max=True,
)
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

"""The form a visitor describes their own city with, to find cities like it."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cities.regions import Subregion
from solutions.models import Theme

MAX_POPULATION = 50_000_000


class CityDescriptionForm(forms.Form):
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any country"))]
    )
    subregion = forms.ChoiceField(
        label=_("Or a part of the world"),
        required=False,
        choices=[("", _("Anywhere"))] + list(Subregion.choices),
        help_text=_("Used when no country is chosen."),
    )
    population = forms.IntegerField(
        label=_("Population"),
        required=False,
        min_value=1,
        max_value=MAX_POPULATION,
        help_text=_("Roughly, e.g. 450000."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("What you care about"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + list(countries)

    def describes_something(self):
        data = self.cleaned_data
        return any([data["country"], data["subregion"], data["population"], data["themes"]])

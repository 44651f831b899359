"""A FilterSet that cleans a query string before filtering, instead of failing on it.

Several values of one filter combine with OR, different filters with AND. Values the site
does not know (a misspelt theme, a year that is not a number) are dropped and recorded in
`adjustments`, so a shared or hand-edited URL always shows something, and the page can say
what it left out (`solutions.filters.presentation`).
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.http import QueryDict


class CleanedChoiceField(forms.MultipleChoiceField):
    """Takes any of the values it is given: the FilterSet kept only known ones already.

    Its choices stay off the field: the form deep-copies every field's choices each time it
    is made, which for thousands of cities cost more than the rest of the page.
    """

    def valid_value(self, value):
        return True


class CleanedMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """A multiple choice whose choices come from the database (`set_choices`)."""

    field_class = CleanedChoiceField


@dataclass(frozen=True)
class Adjustment:
    """Something the cleaning changed in what was asked: `kind`, and about what."""

    kind: str
    label: str = ""
    value: str = ""


class LenientFilterSet(django_filters.FilterSet):
    """Subclasses list their multiple-choice filters in MULTIPLE and may clean more in
    `clean_more(raw, cleaned)`. `fixed` filters are set by the page (a theme page's theme)."""

    MULTIPLE = []

    def __init__(self, data=None, queryset=None, *, fixed=(), **kwargs):
        self.fixed = set(fixed)
        self.adjustments = []
        self.dynamic_choices = {}
        super().__init__(self._clean(data or QueryDict()), queryset, **kwargs)
        self.set_choices()
        for name in self.fixed:
            del self.filters[name]

    @property
    def multiple(self):
        """The multiple-choice filters a visitor can set on this page."""
        return [name for name in self.MULTIPLE if name not in self.fixed]

    def set_choices(self):
        """Fill `dynamic_choices` (name -> [(value, label)]) for the filters whose choices
        come from the database (CleanedMultipleChoiceFilter)."""

    def valid_values(self, name):
        return {value for value, _label in self.base_filters[name].extra["choices"]}

    def adjust(self, kind, label="", value=""):
        self.adjustments.append(Adjustment(kind, label, value))

    def _clean(self, raw):
        cleaned = QueryDict(mutable=True)
        for name in self.multiple:
            values = [v for v in dict.fromkeys(raw.getlist(name)) if v.strip()]
            valid = self.valid_values(name) if values else set()
            for value in values:
                if value in valid:
                    cleaned.appendlist(name, value)
                else:
                    self.adjust("unknown-value", self.base_filters[name].label, value[:60])
        self.clean_more(raw, cleaned)
        # Names in a fixed order, so the same state always gives the same links.
        ordered = QueryDict(mutable=True)
        for name, values in sorted(cleaned.lists()):
            ordered.setlist(name, values)
        return ordered

    def clean_more(self, raw, cleaned):
        pass

    def choices_of(self, name):
        if name in self.dynamic_choices:
            return self.dynamic_choices[name]
        return self.filters[name].extra["choices"]

    def listed_values(self, name):
        """The values to list in the form for this filter; None lists them all."""
        return None

"""The filters of the transfer list: network, status, region and which border it crossed."""

import django_filters
from django.db.models import Count, Q, TextChoices

from cities.regions import Region
from networks.models import Network
from solutions.filters.lenient import CleanedMultipleChoiceFilter, LenientFilterSet
from solutions.models import Transfer, TransferStatus
from solutions.models.transfers import CROSSES_NATIONAL_BORDER, CROSSES_REGIONAL_BORDER


class Crossing(TextChoices):
    NATIONAL = "national", "Across a national border"
    REGIONAL = "regional", "Across a regional border"
    DOMESTIC = "domestic", "Within one country"


CROSSING_CONDITIONS = {
    Crossing.NATIONAL: CROSSES_NATIONAL_BORDER,
    Crossing.REGIONAL: CROSSES_REGIONAL_BORDER,
    Crossing.DOMESTIC: ~CROSSES_NATIONAL_BORDER,
}


class TransferFilterSet(LenientFilterSet):
    network = CleanedMultipleChoiceFilter(
        field_name="network__slug", label="Network", distinct=False
    )
    status = django_filters.MultipleChoiceFilter(
        choices=TransferStatus.choices, label="Status", distinct=False
    )
    region = django_filters.MultipleChoiceFilter(
        method="filter_region", choices=Region.choices, label="Region (either city)"
    )
    crossing = django_filters.MultipleChoiceFilter(
        method="filter_crossing", choices=Crossing.choices, label="Border"
    )

    MULTIPLE = ["network", "status", "region", "crossing"]

    class Meta:
        model = Transfer
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        self.network_choices = list(Network.objects.values_list("slug", "name"))
        super().__init__(data, queryset, **kwargs)

    def set_choices(self):
        self.dynamic_choices["network"] = self.network_choices

    def valid_values(self, name):
        if name == "network":
            return {slug for slug, _name in self.network_choices}
        return super().valid_values(name)

    def filter_region(self, queryset, name, values):
        return queryset.filter(
            Q(origin_city__region__in=values) | Q(adopting_city__region__in=values)
        )

    def filter_crossing(self, queryset, name, values):
        q = Q()
        for value in values:
            q |= CROSSING_CONDITIONS[value]
        return queryset.filter(q)

    def totals(self):
        return self.qs.aggregate(
            total=Count("pk"),
            national=Count("pk", filter=CROSSES_NATIONAL_BORDER),
            regional=Count("pk", filter=CROSSES_REGIONAL_BORDER),
        )

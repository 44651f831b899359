"""The filters of the transfer list: network, status, region, direction (where it came from
and where it went, by continent or UN sub-region) and which border it crossed; and the flows
between sub-regions under those filters."""

from dataclasses import dataclass

import django_filters
from django.db.models import Count, Q, TextChoices
from django.utils.translation import gettext_lazy as _

from cities.regions import Region, Subregion
from networks.models import Network
from solutions.filters.lenient import CleanedMultipleChoiceFilter, LenientFilterSet
from solutions.models import Transfer, TransferStatus
from solutions.models.transfers import (
    CROSSES_NATIONAL_BORDER,
    CROSSES_REGIONAL_BORDER,
    TAKEN_UP,
    UNDER_WAY,
)


@dataclass(frozen=True)
class Flow:
    origin_value: str
    destination_value: str
    origin: str
    destination: str
    total: int
    taken_up: int
    under_way: int
    discontinued: int


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
    from_region = django_filters.MultipleChoiceFilter(
        field_name="origin_city__region", choices=Region.choices, label=_("From (region)")
    )
    from_subregion = django_filters.MultipleChoiceFilter(
        field_name="origin_city__subregion",
        choices=Subregion.choices,
        label=_("From (sub-region)"),
    )
    to_region = django_filters.MultipleChoiceFilter(
        field_name="adopting_city__region", choices=Region.choices, label=_("To (region)")
    )
    to_subregion = django_filters.MultipleChoiceFilter(
        field_name="adopting_city__subregion",
        choices=Subregion.choices,
        label=_("To (sub-region)"),
    )
    crossing = django_filters.MultipleChoiceFilter(
        method="filter_crossing", choices=Crossing.choices, label="Border"
    )

    MULTIPLE = [
        "network",
        "status",
        "region",
        "from_region",
        "from_subregion",
        "to_region",
        "to_subregion",
        "crossing",
    ]

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

    def flows(self):
        """Transfers from each origin sub-region to each adopting one under these filters, most
        first, with how they turned out: (from, to, counts by outcome and in all)."""
        rows = (
            self.qs.order_by()
            .values("origin_city__subregion", "adopting_city__subregion")
            .annotate(
                total=Count("pk"),
                taken_up=Count("pk", filter=Q(status__in=TAKEN_UP)),
                under_way=Count("pk", filter=Q(status__in=UNDER_WAY)),
                discontinued=Count("pk", filter=Q(status=TransferStatus.DISCONTINUED)),
            )
        )
        labels = dict(Subregion.choices)
        flows = [
            Flow(
                origin_value=row["origin_city__subregion"],
                destination_value=row["adopting_city__subregion"],
                origin=labels.get(row["origin_city__subregion"], _("Elsewhere")),
                destination=labels.get(row["adopting_city__subregion"], _("Elsewhere")),
                total=row["total"],
                taken_up=row["taken_up"],
                under_way=row["under_way"],
                discontinued=row["discontinued"],
            )
            for row in rows
        ]
        return sorted(flows, key=lambda f: (-f.total, str(f.origin), str(f.destination)))

    def totals(self):
        return self.qs.aggregate(
            total=Count("pk"),
            national=Count("pk", filter=CROSSES_NATIONAL_BORDER),
            regional=Count("pk", filter=CROSSES_REGIONAL_BORDER),
        )

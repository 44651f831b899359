"""Transfers: a solution carried from one city to another, often brokered by a network."""

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from cities.models import City
from networks.models import Network
from solutions.models.solution import LONG_TEXT_FIELDS, Solution, published_q
from solutions.models.years import (
    YEARS_MESSAGE,
    YEARS_ORDER_MESSAGE,
    year_in_range_q,
    years_in_order_q,
)


class TransferStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_PROGRESS = "in_progress", "In progress"
    ADOPTED = "adopted", "Adopted"
    ADAPTED = "adapted", "Adapted"
    DISCONTINUED = "discontinued", "Discontinued"


# How a transfer turned out, as the flows summary and a city's page group it: taken up (as it
# was, or adapted), still under way (proposed or in progress), or discontinued.
TAKEN_UP = [TransferStatus.ADOPTED, TransferStatus.ADAPTED]
UNDER_WAY = [TransferStatus.PROPOSED, TransferStatus.IN_PROGRESS]

# Whether a transfer crossed a border: as query conditions here, and as the properties of the
# same names on Transfer for one row. Nowhere else.
CROSSES_NATIONAL_BORDER = ~Q(origin_city__country=F("adopting_city__country"))
CROSSES_REGIONAL_BORDER = ~Q(origin_city__region=F("adopting_city__region"))


# The start year, undated ones (as 0) last.
NEWEST_FIRST = Coalesce("start_year", Value(0)).desc()


class TransferQuerySet(models.QuerySet):
    def of_published_solutions(self):
        return self.filter(published_q("solution__"))

    def across_national_borders(self):
        return self.filter(CROSSES_NATIONAL_BORDER)

    def across_regional_borders(self):
        return self.filter(CROSSES_REGIONAL_BORDER)

    def for_listing(self):
        """What a list of transfers shows: the solution's title, not its long sections."""
        return self.select_related("solution", "origin_city", "adopting_city", "network").defer(
            *(f"solution__{name}" for name in LONG_TEXT_FIELDS)
        )


class Transfer(models.Model):
    """A solution carried from one city to another."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="transfers")
    origin_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="outgoing_transfers"
    )
    adopting_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="incoming_transfers"
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokered_transfers",
        help_text="The network that brokered the transfer, if any.",
    )
    status = models.CharField(
        max_length=20, choices=TransferStatus, default=TransferStatus.PROPOSED
    )
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    adaptations = models.TextField(blank=True, help_text="What was changed for the new place.")
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        # Most recent first, undated last: the transfer list's order, which its indexes match
        # (an expression both databases index, where SQLite has no NULLS LAST in an index).
        ordering = [NEWEST_FIRST, "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(origin_city=F("adopting_city")),
                name="solutions_transfer_cities_differ",
                violation_error_message="A transfer goes from one city to a different city.",
            ),
            models.UniqueConstraint(
                fields=["solution", "adopting_city"],
                name="solutions_transfer_unique_solution_adopting_city",
                violation_error_message="This solution is already recorded as transferred there.",
            ),
            models.CheckConstraint(
                condition=years_in_order_q("start_year", "end_year"),
                name="solutions_transfer_years_in_order",
                violation_error_message=YEARS_ORDER_MESSAGE,
            ),
            models.CheckConstraint(
                condition=year_in_range_q("start_year") & year_in_range_q("end_year"),
                name="solutions_transfer_years_plausible",
                violation_error_message=YEARS_MESSAGE,
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="solutions_transfer_status_idx"),
            # The list's order (then LIMIT), overall and on a network's page.
            models.Index(NEWEST_FIRST, "id", name="solutions_transfer_ord_idx"),
            models.Index("network", NEWEST_FIRST, "id", name="solutions_transfer_netord_idx"),
        ]

    def __str__(self):
        return f"{self.solution.title}: {self.origin_city.name} → {self.adopting_city.name}"

    def get_absolute_url(self):
        return reverse("solutions:transfers") + f"#transfer-{self.pk}"

    @property
    def outcome_group(self):
        """How it turned out: "taken_up", "under_way" or "discontinued" (TAKEN_UP ...)."""
        if self.status in TAKEN_UP:
            return "taken_up"
        if self.status in UNDER_WAY:
            return "under_way"
        return "discontinued"

    @property
    def crosses_national_border(self):
        return self.origin_city.country != self.adopting_city.country

    @property
    def crosses_regional_border(self):
        return self.origin_city.region != self.adopting_city.region

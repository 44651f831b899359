"""Indicators: what a city measured, year by year, so a reader can see the trend."""

from django.db import models

from solutions.models.solution import Solution
from solutions.models.years import YEARS_MESSAGE, year_in_range_q, years_in_order_q


class Direction(models.TextChoices):
    INCREASE = "increase", "Higher is better"
    DECREASE = "decrease", "Lower is better"


class Trend(models.TextChoices):
    IMPROVING = "improving", "Improving"
    WORSENING = "worsening", "Worsening"
    STEADY = "steady", "No change"


class Indicator(models.Model):
    """Something the city measured, so a reader can see whether it trends the right way."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=60, blank=True)
    direction = models.CharField(max_length=10, choices=Direction, default=Direction.INCREASE)
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=years_in_order_q("baseline_year", "target_year"),
                name="solutions_indicator_years_in_order",
                violation_error_message="The target year cannot be before the baseline year.",
            ),
            models.CheckConstraint(
                condition=year_in_range_q("baseline_year") & year_in_range_q("target_year"),
                name="solutions_indicator_years_plausible",
                violation_error_message=YEARS_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def get_absolute_url(self):
        return self.solution.get_absolute_url() + f"#indicator-{self.pk}"

    def trend(self):
        """Compare the latest measurement with the first (uses prefetched measurements)."""
        values = [m.value for m in sorted(self.measurements.all(), key=lambda m: m.year)]
        if len(values) < 2:
            return None
        change = values[-1] - values[0]
        if change == 0:
            return Trend.STEADY
        going_up = change > 0
        return (
            Trend.IMPROVING
            if going_up == (self.direction == Direction.INCREASE)
            else (Trend.WORSENING)
        )


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="solutions_measurement_one_per_year",
                violation_error_message="This indicator already has a value for that year.",
            ),
            models.CheckConstraint(
                condition=year_in_range_q("year"),
                name="solutions_measurement_year_plausible",
                violation_error_message=YEARS_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.indicator.name} {self.year}: {self.value:g}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

"""Indicator charts: points placed in the plot for any finite values, labels people can read."""

import math

import pytest

from solutions.charts import TOP, format_number, indicator_chart
from solutions.models import Indicator, Measurement


def chart_of(values, target=None):
    indicator = Indicator(pk=1, name="Value", target_value=target)  # never saved
    measurements = [Measurement(year=2000 + n, value=v) for n, v in enumerate(values)]
    indicator._prefetched_objects_cache = {"measurements": measurements}
    return indicator_chart(indicator)


def coordinates(chart):
    return (
        [p.y for p in chart.points]
        + [y for y, _label in chart.y_ticks]
        + ([chart.target_y] if chart.target_y is not None else [])
    )


@pytest.mark.parametrize(
    "values, target",
    [
        ([1.7e308, -1.7e308], None),
        ([1.7e308, 1.7e308], None),
        ([1e300], 1.7e308),
        ([-1.7e308, 0, 5], None),
        ([5e-324, 0], None),
        ([12.5, 14], 20),
    ],
)
def test_every_coordinate_is_inside_the_plot(values, target):
    chart = chart_of(values, target)

    for y in coordinates(chart):
        assert math.isfinite(y)
        assert TOP - 0.001 <= y <= chart.bottom + 0.001
    assert "nan" not in chart.polyline and "inf" not in chart.polyline


def test_higher_values_are_drawn_higher():
    chart = chart_of([10, 30, 20])
    low, high, middle = (p.y for p in chart.points)
    assert high < middle < low


def test_labels_stay_readable_for_huge_numbers():
    assert format_number(1.7e308) == "1.7e+308"
    assert format_number(12_345) == "12,345"
    assert format_number(12.5) == "12.5"
    assert all(len(label) < 12 for _y, label in chart_of([1.7e308, -1.7e308]).y_ticks)


def test_the_plot_starts_after_the_longest_tick_label():
    """The y-axis labels are drawn left of the plot; long numbers move the plot right instead
    of being cut off at the chart's edge (where a phone's larger labels would not fit)."""
    short = chart_of([1, 2, 3])
    long = chart_of([1_250_000, 3_750_000])
    assert short.left == 56
    longest = max(len(label) for _y, label in long.y_ticks)
    assert longest == len("4,125,000")
    assert long.left >= 8 + 10.5 * longest
    assert all(long.left <= p.x <= long.right for p in long.points)

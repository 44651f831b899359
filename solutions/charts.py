"""Small server-rendered SVG line charts of an indicator's measurements."""

import math
import sys
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 32
LABEL_CHAR_WIDTH, LABEL_GAP = 10.5, 8  # a digit of an 18-unit label, and the space after it


def format_number(value):
    if value is None:
        return ""
    if abs(value) >= 1e15:  # beyond what people write out in full
        return f"{value:.3g}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass
class Point:
    x: float
    y: float
    year: int
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    points: list = field(default_factory=list)
    y_ticks: list = field(default_factory=list)
    target_y: float | None = None
    target_label: str = ""
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    @property
    def polyline(self):
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def indicator_chart(indicator):
    """A chart of the prefetched measurements, with the target as a dashed line; None if empty.

    Positions are worked out on values divided by the largest magnitude, so values near the
    largest float (1.7e308) neither overflow to infinity nor turn the coordinates into NaN.
    """
    measurements = sorted(indicator.measurements.all(), key=lambda m: m.year)
    if not measurements:
        return None
    values = [m.value for m in measurements]
    scale_values = values + [v for v in [indicator.target_value] if v is not None]
    magnitude = max(abs(v) for v in scale_values) or 1.0
    scaled = [v / magnitude for v in scale_values]  # all within [-1, 1]
    low, high = min(scaled), max(scaled)
    if low == high:
        low, high = low - 0.5, high + 0.5
    padding = (high - low) * 0.1
    low, high = low - padding, high + padding
    if min(scaled) >= 0:
        low = max(low, 0)

    chart = Chart()
    tick_values = (low, (low + high) / 2, high)
    tick_labels = [format_number(unscaled(v, magnitude)) for v in tick_values]
    # Room for the longest tick label at the size a phone shows it (site.css: 18 units).
    chart.left = max(LEFT, math.ceil(LABEL_GAP + LABEL_CHAR_WIDTH * max(map(len, tick_labels))))
    plot_width = chart.right - chart.left
    plot_height = chart.bottom - TOP
    first, last = measurements[0].year, measurements[-1].year
    span = max(last - first, 1)

    def y_for(value):
        return chart.bottom - (value / magnitude - low) / (high - low) * plot_height

    for m in measurements:
        x = (
            chart.left + (m.year - first) / span * plot_width
            if last != first
            else (chart.left + plot_width / 2)
        )
        chart.points.append(Point(x, y_for(m.value), m.year, format_number(m.value)))
    chart.y_ticks = [
        (chart.bottom - (v - low) / (high - low) * plot_height, label)
        for v, label in zip(tick_values, tick_labels, strict=True)
    ]
    if indicator.target_value is not None:
        chart.target_y = y_for(indicator.target_value)
        target = format_number(indicator.target_value)
        if indicator.target_year:
            chart.target_label = _("Target %(target)s by %(year)s") % {
                "target": target,
                "year": indicator.target_year,
            }
        else:
            chart.target_label = _("Target %(target)s") % {"target": target}
    return chart


def unscaled(value, magnitude):
    """value × magnitude, held within the finite floats (a padded axis may reach past them)."""
    product = value * magnitude
    if math.isinf(product):
        return math.copysign(sys.float_info.max, product)
    return product

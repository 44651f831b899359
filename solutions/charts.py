"""Small server-rendered SVG line charts of an indicator's measurements."""

import math
import sys
from dataclasses import dataclass, field

WIDTH, HEIGHT = 480, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 32


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
        (
            chart.bottom - (v - low) / (high - low) * plot_height,
            format_number(unscaled(v, magnitude)),
        )
        for v in (low, (low + high) / 2, high)
    ]
    if indicator.target_value is not None:
        chart.target_y = y_for(indicator.target_value)
        chart.target_label = f"Target {format_number(indicator.target_value)}"
        if indicator.target_year:
            chart.target_label += f" by {indicator.target_year}"
    return chart


def unscaled(value, magnitude):
    """value × magnitude, held within the finite floats (a padded axis may reach past them)."""
    product = value * magnitude
    if math.isinf(product):
        return math.copysign(sys.float_info.max, product)
    return product

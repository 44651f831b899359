"""A map drawn: where each city and transfer of a `MapData` goes on the SVG, and how big.

Cities are circles whose area follows their number of published solutions; a city that only
sent or adopted a solution shown is a small ring. Transfers are curved arcs from the origin to
the adopting city, bending to the left of their way, so two cities that exchanged both ways
get two arcs. The view is fitted to what is drawn (a map of Kenya's solutions shows East
Africa), in the proportions of the whole map; sizes follow the view, so a circle looks the
same size at any fit. Everything here is plain Python on the cached `MapData`: no query.
"""

import math
from dataclasses import dataclass, field
from functools import cache

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django_countries import countries

from solutions.maps.projection import HEIGHT, WIDTH, project
from solutions.models import TransferStatus

# Radii in map units (the map is WIDTH = 1000 wide) at the whole world's view.
RADIUS_MIN, RADIUS_MAX, RING_RADIUS = 3.0, 13.0, 2.6
ARROW = 5.0
GAP = 1.0  # between an arrowhead and the circle it points at
# A fitted view shows at least this much of the map's width, and a margin around it.
MIN_VIEW_WIDTH = 180
VIEW_MARGIN = 30
# How far an arc bends: its middle is this share of its length off the straight line.
BEND = 0.22


@dataclass
class Drawn:
    place: object  # queries.Place
    country_name: str
    url: str  # the city's page
    list_url: str = ""  # its solutions in the list, under the same filters
    newest: list = field(default_factory=list)  # (url, title) of its newest solutions
    x: float | None = None
    y: float | None = None
    r: float = 0.0


@dataclass
class DrawnLink:
    link: object  # queries.Link
    origin: Drawn
    adopting: Drawn
    status_label: str
    solution_url: str
    d: str = ""  # path data; empty when a city has no coordinates


@dataclass
class Drawing:
    """What the SVG and the list under it show; `points` in drawing order (largest first)."""

    data: object  # queries.MapData
    points: list
    rings: list  # Drawn cities with no solution shown (only transfers)
    links: list
    view_box: str
    scale: float  # the view's width over the map's: sizes are multiplied by it
    largest: int
    statuses: list = field(default_factory=list)  # (value, label) of the statuses drawn

    @property
    def located_points(self):
        return [point for point in self.points if point.x is not None]

    @property
    def unlocated(self):
        return [point for point in self.points if point.x is None]

    @property
    def drawn_links(self):
        return [link for link in self.links if link.d]

    @property
    def is_empty(self):
        return not self.points and not self.links


def url_for_slug(name):
    """A function slug -> the URL of the named route that takes one slug (reversed once)."""
    placeholder = "slug-placeholder"
    head, tail = reverse(name, kwargs={"slug": placeholder}).split(placeholder)
    return lambda slug: f"{head}{slug}{tail}"


@cache
def country_name(code):
    return str(countries.name(code)) or code


def radius(count, largest):
    """A circle's radius: its area grows with the count, the largest at RADIUS_MAX."""
    return RADIUS_MIN + (RADIUS_MAX - RADIUS_MIN) * math.sqrt(count / max(largest, 1))


def fitted_view(coordinates):
    """(x, y, width, height) around the coordinates with a margin, in the map's proportions,
    inside the map; the whole map when there is nothing to fit."""
    if not coordinates:
        return 0.0, 0.0, float(WIDTH), float(HEIGHT)
    xs, ys = [x for x, _ in coordinates], [y for _, y in coordinates]
    left, right = min(xs) - VIEW_MARGIN, max(xs) + VIEW_MARGIN
    top, bottom = min(ys) - VIEW_MARGIN, max(ys) + VIEW_MARGIN
    aspect = WIDTH / HEIGHT
    width = max(right - left, (bottom - top) * aspect, MIN_VIEW_WIDTH)
    width = min(width, WIDTH)
    height = width / aspect
    x = min(max((left + right) / 2 - width / 2, 0), WIDTH - width)
    y = min(max((top + bottom) / 2 - height / 2, 0), HEIGHT - height)
    return x, y, width, height


def arc_path(start, end, *, trim_start=0.0, trim_end=0.0):
    """A quadratic curve from start to end, bending to the left of its way, trimmed at each
    end by a distance (the cities' radii, so the arrowhead shows outside the circle)."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    cx, cy = (x1 + x2) / 2 + dy * BEND, (y1 + y2) / 2 - dx * BEND
    x1, y1 = _towards((x1, y1), (cx, cy), trim_start)
    x2, y2 = _towards((x2, y2), (cx, cy), trim_end)
    return f"M{x1:.1f} {y1:.1f}Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}"


def _towards(point, target, distance):
    """The point moved `distance` towards target (no further than half way)."""
    (x, y), (tx, ty) = point, target
    length = math.hypot(tx - x, ty - y)
    if length == 0:
        return x, y
    step = min(distance, length / 2) / length
    return x + (tx - x) * step, y + (ty - y) * step


def draw(data, *, list_url=None):
    """The drawing of a MapData; `list_url(slug)` is the list of a city's solutions shown."""
    city_url = url_for_slug("cities:detail")
    solution_url = url_for_slug("solutions:detail")
    drawn = {}
    for pk, place in data.places.items():
        city = Drawn(
            place,
            country_name(place.country),
            city_url(place.slug),
            list_url(place.slug) if list_url and place.count else "",
            [(solution_url(slug), title) for slug, title in place.newest],
        )
        if place.located:
            city.x, city.y = project(place.longitude, place.latitude)
        drawn[pk] = city
    points = [drawn[point.pk] for point in data.points]
    point_pks = {point.pk for point in data.points}
    links = [
        DrawnLink(
            link,
            drawn[link.origin],
            drawn[link.adopting],
            TransferStatus(link.status).label,
            solution_url(link.solution_slug),
        )
        for link in data.links
    ]
    ring_pks = {pk for link in links for pk in (link.link.origin, link.link.adopting)} - point_pks
    rings = [drawn[pk] for pk in sorted(ring_pks, key=lambda pk: drawn[pk].place.name)]
    coordinates = [(city.x, city.y) for city in points + rings if city.x is not None]
    x, y, width, height = fitted_view(coordinates)
    scale = width / WIDTH
    largest = max((point.place.count for point in points), default=0)
    for point in points:
        point.r = radius(point.place.count, largest) * scale
    for ring in rings:
        ring.r = RING_RADIUS * scale
    for link in links:
        if link.origin.x is not None and link.adopting.x is not None:
            link.d = arc_path(
                (link.origin.x, link.origin.y),
                (link.adopting.x, link.adopting.y),
                trim_start=link.origin.r,
                trim_end=link.adopting.r + GAP * scale,
            )
    drawn_statuses = {link.link.status for link in links}
    return Drawing(
        data=data,
        points=points,
        rings=rings,
        links=links,
        view_box=f"{x:.1f} {y:.1f} {width:.1f} {height:.1f}",
        scale=scale,
        largest=largest,
        statuses=[
            (value, label) for value, label in TransferStatus.choices if value in drawn_statuses
        ],
    )


def solutions_label(count):
    return ngettext("%(count)d solution", "%(count)d solutions", count) % {"count": count}


def summary(data):
    """ "3 cities, 4 solutions, 2 transfers": everything the filters select, drawn or not."""
    return gettext("%(cities)s, %(solutions)s, %(transfers)s") % {
        "cities": ngettext("%(count)d city", "%(count)d cities", data.point_total)
        % {"count": data.point_total},
        "solutions": solutions_label(data.solution_total),
        "transfers": ngettext("%(count)d transfer", "%(count)d transfers", data.link_total)
        % {"count": data.link_total},
    }


def point_title(point):
    place = point.place
    if place.count:
        return gettext("%(city)s, %(country)s: %(solutions)s") % {
            "city": place.name,
            "country": point.country_name,
            "solutions": solutions_label(place.count),
        }
    return gettext("%(city)s, %(country)s: transfers only") % {
        "city": place.name,
        "country": point.country_name,
    }


def link_title(link):
    return gettext("%(solution)s: from %(origin)s to %(adopting)s, %(status)s") % {
        "solution": link.link.solution_title,
        "origin": link.origin.place.name,
        "adopting": link.adopting.place.name,
        "status": link.status_label.lower(),
    }


def svg_points(drawing):
    """The cities' circles, each a link to the city's page, largest first (so the smaller
    ones are drawn over them and stay reachable)."""
    return format_html_join(
        "",
        '<a href="{}" class="map-point" data-place="{}" data-count="{}">'
        '<circle cx="{}" cy="{}" r="{}"/><title>{}</title></a>',
        (
            (
                p.url,
                p.place.pk,
                p.place.count,
                f"{p.x:.1f}",
                f"{p.y:.1f}",
                f"{p.r:.2f}",
                point_title(p),
            )
            for p in drawing.located_points
        ),
    )


def svg_rings(drawing):
    return format_html_join(
        "",
        '<a href="{}" class="map-ring" data-place="{}" data-count="0">'
        '<circle cx="{}" cy="{}" r="{}"/><title>{}</title></a>',
        (
            (r.url, r.place.pk, f"{r.x:.1f}", f"{r.y:.1f}", f"{r.r:.2f}", point_title(r))
            for r in drawing.rings
            if r.x is not None
        ),
    )


def svg_links(drawing, marker_prefix):
    return format_html_join(
        "",
        '<path d="{}" class="map-link map-link-{}" data-from="{}" data-to="{}" '
        'marker-end="url(#{}-{})"><title>{}</title></path>',
        (
            (
                link.d,
                link.link.status,
                link.link.origin,
                link.link.adopting,
                marker_prefix,
                link.link.status,
                link_title(link),
            )
            for link in drawing.drawn_links
        ),
    )


def svg_markers(drawing, marker_prefix):
    """An arrowhead for each status drawn, sized for the view."""
    size = f"{ARROW * drawing.scale:.2f}"
    return format_html_join(
        "",
        '<marker id="{}-{}" class="map-arrow map-arrow-{}" viewBox="0 0 10 10" refX="10" '
        'refY="5" markerUnits="userSpaceOnUse" markerWidth="{}" markerHeight="{}" '
        'orient="auto"><path d="M0 1L10 5L0 9z"/></marker>',
        ((marker_prefix, value, value, size, size) for value, _label in drawing.statuses),
    )


def svg_layers(drawing, marker_prefix):
    """The arrowheads, arcs, rings and circles, in drawing order."""
    return format_html(
        '<defs>{}</defs><g class="map-links">{}</g><g class="map-rings">{}</g>'
        '<g class="map-points">{}</g>',
        svg_markers(drawing, marker_prefix),
        svg_links(drawing, marker_prefix),
        svg_rings(drawing),
        svg_points(drawing),
    )

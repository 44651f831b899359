"""The world basemap: Natural Earth's countries, projected once, shipped as a static SVG file.

Not run by the site: the site serves the file it wrote, `static/maps/world.svg`, and draws
its cities and transfers over it. Run it again only when the projection or the drawing
changes (a test fails when the committed file differs from what this module makes):

    .venv/bin/python -m solutions.maps.basemap

The source, `data/countries-110m.json`, is Natural Earth's 1:110m Admin 0 countries (public
domain) as TopoJSON, from the npm package world-atlas 2.0.2 (see `data/README.md`). This
module decodes the TopoJSON arcs itself (a TopoJSON file is quantised, delta-encoded lines
shared between neighbouring countries), projects them with `projection.project`, simplifies
each shared line once (Douglas-Peucker, so neighbours keep a common border), and writes
three paths: the ocean (the projection's outline), the land (every country but Antarctica)
and the borders between countries (each drawn once).
"""

import itertools
import json
import math
from pathlib import Path

from solutions.maps.projection import (
    BOTTOM_LATITUDE,
    CENTRE_X,
    HEIGHT,
    TOP_LATITUDE,
    WIDTH,
    project,
)

DATA = Path(__file__).resolve().parent / "data" / "countries-110m.json"
OUTPUT = Path(__file__).resolve().parents[2] / "static" / "maps" / "world.svg"
STATIC_NAME = "maps/world.svg"

ANTARCTICA = "010"  # ISO 3166-1 numeric
# Map units (the map is WIDTH = 1000 wide): lines are simplified to within this distance,
# and islands smaller than MIN_AREA square units are left out.
TOLERANCE = 0.35
MIN_AREA = 0.4
GRATICULE_STEP = 30  # degrees
OCEAN, LAND, BORDER, GRATICULE = "#edf3f8", "#d5dade", "#ffffff", "#dbe5ee"


def decode_arcs(topology):
    """Every arc of a quantised TopoJSON topology as a list of (longitude, latitude)."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def polygons_of(geometry):
    """The polygons of a geometry, each a list of rings, each ring a list of arc indexes."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def perpendicular_distance(point, start, end):
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    if length == 0:
        return math.hypot(px - ax, py - ay)
    return abs(dy * px - dx * py + bx * ay - by * ax) / length


def simplify(points, tolerance=TOLERANCE):
    """Douglas-Peucker: the points that keep the line within `tolerance`; both ends kept."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, index = 0.0, None
        for i in range(first + 1, last):
            distance = perpendicular_distance(points[i], points[first], points[last])
            if distance > farthest:
                farthest, index = distance, i
        if index is not None and farthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def split_at_antimeridian(points):
    """A line in degrees as the parts between its crossings of longitude ±180 (Fiji and
    Russia's far east cross it): each part ends, and the next begins, on the edge."""
    parts = [[points[0]]]
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(points):
        if abs(lon1 - lon0) > 180:
            side = 180 if lon0 > 0 else -180
            unwrapped = lon1 + (360 if side > 0 else -360)
            t = (side - lon0) / (unwrapped - lon0) if unwrapped != lon0 else 0
            latitude = lat0 + t * (lat1 - lat0)
            parts[-1].append((side, latitude))
            parts.append([(-side, latitude)])
        parts[-1].append((lon1, lat1))
    return parts


def projected_arcs(topology):
    """Each arc as its parts (one, unless it crosses the antimeridian), projected to map
    units and simplified."""
    return [
        [simplify([project(*point) for point in part]) for part in split_at_antimeridian(arc)]
        for arc in decode_arcs(topology)
    ]


def ring_points(ring, arcs):
    """The closed lines of a ring of arcs (~i is arc i reversed): one, or where the ring
    crosses the antimeridian, one on each side, each closed along the map's edge."""
    runs = [[]]
    for index in ring:
        parts = arcs[index] if index >= 0 else [part[::-1] for part in arcs[~index][::-1]]
        for number, part in enumerate(parts):
            if number:
                runs.append([])
            run = runs[-1]
            run.extend(part if not run else part[1:])
    if len(runs) == 1:
        return runs
    runs[0] = runs.pop() + runs[0][1:]  # the ring closes where it started
    return [run + edge_between(run[-1], run[0]) for run in runs]


def edge_between(end, start):
    """Points along the map's edge (longitude ±180) from one point on it to another."""
    longitude = 180 if end[0] > CENTRE_X else -180
    (_, lat_end), (_, lat_start) = unproject_edge(end, longitude), unproject_edge(start, longitude)
    steps = max(1, int(abs(lat_start - lat_end)))
    return [
        project(longitude, lat_end + (lat_start - lat_end) * i / steps) for i in range(1, steps)
    ]


def unproject_edge(point, longitude):
    """The latitude of a point on the edge, found by bisection (the projection is monotonic
    in latitude along a meridian)."""
    low, high = -90.0, 90.0
    for _ in range(40):
        middle = (low + high) / 2
        if project(longitude, middle)[1] > point[1]:
            low = middle
        else:
            high = middle
    return longitude, (low + high) / 2


def area(points):
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise([*points, points[0]]))
        / 2
    )


def path_data(lines, *, closed):
    """SVG path data for lines of points: each line absolute at its start, then relative,
    with one decimal."""
    parts = []
    for line in lines:
        rounded = [(round(x, 1), round(y, 1)) for x, y in line]
        deduplicated = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
        if closed and len(deduplicated) > 1 and deduplicated[0] == deduplicated[-1]:
            deduplicated.pop()
        if len(deduplicated) < (3 if closed else 2):
            continue
        (x, y), rest = deduplicated[0], deduplicated[1:]
        steps = []
        for nx, ny in rest:
            steps.append(f"{_number(nx - x)} {_number(ny - y)}")
            x, y = nx, ny
        parts.append(f"M{_number(deduplicated[0][0])} {_number(deduplicated[0][1])}l")
        parts.append(" ".join(steps).replace(" -", "-"))
        if closed:
            parts.append("z")
    return "".join(parts)


def _number(value):
    """A number with at most one decimal, without a leading zero or a trailing ".0"."""
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def land_and_borders(topology):
    """(land rings, border lines) in map units: every country but Antarctica; a border is an
    arc shared by two countries."""
    arcs = projected_arcs(topology)
    countries = [
        geometry
        for geometry in topology["objects"]["countries"]["geometries"]
        if geometry.get("id") != ANTARCTICA
    ]
    rings = []
    users = {}
    for number, geometry in enumerate(countries):
        for polygon in polygons_of(geometry):
            for ring in polygon:
                for points in ring_points(ring, arcs):
                    if len(points) >= 4 and area(points) >= MIN_AREA:
                        rings.append(points)
                for index in ring:
                    users.setdefault(index if index >= 0 else ~index, set()).add(number)
    borders = [
        part for index, owners in sorted(users.items()) if len(owners) > 1 for part in arcs[index]
    ]
    return rings, borders


def outline():
    """The projection's edge between the top and bottom latitudes: the ocean."""
    left = [project(-180, lat / 2) for lat in range(TOP_LATITUDE * 2, BOTTOM_LATITUDE * 2, -1)]
    right = [project(180, lat / 2) for lat in range(BOTTOM_LATITUDE * 2, TOP_LATITUDE * 2)]
    return simplify(left + [project(-180, BOTTOM_LATITUDE)] + right + [project(180, TOP_LATITUDE)])


def graticule():
    """Meridians and parallels every GRATICULE_STEP degrees."""
    lines = []
    for longitude in range(-180 + GRATICULE_STEP, 180, GRATICULE_STEP):
        lines.append(
            [project(longitude, lat) for lat in range(BOTTOM_LATITUDE, TOP_LATITUDE + 1, 2)]
        )
    for latitude in range(-GRATICULE_STEP, TOP_LATITUDE, GRATICULE_STEP):
        lines.append([project(lon, latitude) for lon in range(-180, 181, 2)])
    return [simplify(line) for line in lines]


def world_svg(topology):
    """The basemap as an SVG document."""
    rings, borders = land_and_borders(topology)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">\n'
        "<!-- Generated by solutions/maps/basemap.py (python -m solutions.maps.basemap) from "
        "Natural Earth 1:110m Admin 0 countries (public domain), via world-atlas 2.0.2. "
        "Natural Earth projection. Do not edit by hand. -->\n"
        f'<path fill="{OCEAN}" d="{path_data([outline()], closed=True)}"/>\n'
        f'<path fill="none" stroke="{GRATICULE}" stroke-width=".6" '
        f'd="{path_data(graticule(), closed=False)}"/>\n'
        f'<path fill="{LAND}" d="{path_data(rings, closed=True)}"/>\n'
        f'<path fill="none" stroke="{BORDER}" stroke-width=".6" stroke-linejoin="round" '
        f'd="{path_data(borders, closed=False)}"/>\n'
        "</svg>\n"
    )


def build():
    return world_svg(json.loads(DATA.read_text(encoding="utf-8")))


def main():
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(build(), encoding="utf-8")
    print(f"Wrote {OUTPUT} ({OUTPUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

"""The Natural Earth projection, in the map's own units: longitude and latitude to x and y.

The Natural Earth projection (Tom Patterson; polynomials by Šavrič, Jenny, Patterson, Petrovski
and Hurni, 2011, the same as d3-geo's `geoNaturalEarth1`) is a compromise in the manner of
Robinson's: the whole world in one piece, the poles as curved lines, little distortion where
people live. Longitude 0 is the map's centre line (x = WIDTH / 2); east is to the right and
north is up (y grows downwards, as in SVG).

The map is WIDTH units wide; its height is cut to the latitudes where there are cities, from
TOP_LATITUDE to BOTTOM_LATITUDE (Antarctica is left out). The basemap (`basemap.py`) is drawn
with these same functions, so a point and the country under it always agree.
"""

import math

WIDTH = 1000
# Room around the world's outline, so a city on the edge is drawn whole.
PAD = 8
TOP_LATITUDE = 84
BOTTOM_LATITUDE = -58


def natural_earth(longitude, latitude):
    """The projection of a point in degrees, in the unit sphere's coordinates (y up)."""
    lam, phi = math.radians(longitude), math.radians(latitude)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (
        0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4))
    )
    y = phi * (
        1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4))
    )
    return x, y


_HALF_WIDTH = natural_earth(180, 0)[0]
_TOP = natural_earth(0, TOP_LATITUDE)[1]
_BOTTOM = natural_earth(0, BOTTOM_LATITUDE)[1]
SCALE = (WIDTH - 2 * PAD) / (2 * _HALF_WIDTH)
HEIGHT = round((_TOP - _BOTTOM) * SCALE + 2 * PAD)
CENTRE_X = WIDTH / 2


def project(longitude, latitude):
    """(x, y) on the map for a point in degrees: x from 0 (west) to WIDTH, y from 0 (north)."""
    longitude = max(-180.0, min(180.0, float(longitude)))
    latitude = max(-90.0, min(90.0, float(latitude)))
    x, y = natural_earth(longitude, latitude)
    return CENTRE_X + x * SCALE, PAD + (_TOP - y) * SCALE

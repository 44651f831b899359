"""The world map (/map/) and the small maps on city, network and theme pages.

What the SVG draws (a circle per city with published solutions, an arc per transfer of a
published solution, never a draft's), where (the projection: longitude 0 on the centre line,
east to the right, north up), under which filters (the solution list's query string), the
lists under it that hold every circle and arc, the basemap shipped as a static file, and the
exact number of queries, the same for few rows and many.
"""

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from solutions.maps import basemap, queries
from solutions.maps.drawing import fitted_view, radius
from solutions.maps.projection import CENTRE_X, HEIGHT, WIDTH, project
from solutions.models import Stage, Status
from tests.support.factories import (
    make_city,
    make_network,
    make_newest_solution,
    make_solution,
    make_theme,
    make_transfer,
)
from tests.support.html_pages import get_html, part, text_of
from tests.support.queries import assert_queries_do_not_grow
from tests.support.world import UNPUBLISHED_TITLES, assert_no_unpublished_solution, public_world

pytestmark = pytest.mark.django_db

MAP_URL = reverse("solutions:map")


class MapReader(HTMLParser):
    """The circles, rings and arcs of the maps in some HTML, and the rows of their lists."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.points, self.rings, self.arcs = {}, {}, []
        self.city_rows, self.transfer_rows = [], []
        self.view_boxes, self.images = [], []
        self._shape = None
        self._title = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = attrs.get("class", "").split()
        if tag == "svg" and "map-svg" in classes:
            self.view_boxes.append([float(n) for n in attrs["viewbox"].split()])
        elif tag == "image":
            self.images.append(attrs["href"])
        elif tag == "a" and {"map-point", "map-ring"} & set(classes):
            self._shape = {
                "href": attrs["href"],
                "pk": int(attrs["data-place"]),
                "count": int(attrs["data-count"]),
                "title": "",
            }
            target = self.points if "map-point" in classes else self.rings
            target[self._shape["pk"]] = self._shape
        elif tag == "circle" and self._shape is not None:
            self._shape.update(x=float(attrs["cx"]), y=float(attrs["cy"]), r=float(attrs["r"]))
        elif tag == "path" and "map-link" in classes and "data-from" in attrs:
            status = next(c[len("map-link-") :] for c in classes if c.startswith("map-link-"))
            self._shape = {
                "from": int(attrs["data-from"]),
                "to": int(attrs["data-to"]),
                "status": status,
                "d": attrs["d"],
                "title": "",
            }
            self.arcs.append(self._shape)
        elif tag == "title" and self._shape is not None:
            self._title = self._shape
        elif tag == "tr" and attrs.get("id"):
            if match := re.search(r"-city-(\d+)$", attrs["id"]):
                self.city_rows.append(int(match[1]))
            elif match := re.search(r"-transfer-(\d+)$", attrs["id"]):
                self.transfer_rows.append(int(match[1]))

    def handle_data(self, data):
        if self._title is not None:
            self._title["title"] += data

    def handle_endtag(self, tag):
        if tag == "title":
            self._title = None
        elif tag in ("a", "path"):
            self._shape = None

    @property
    def arc_pairs(self):
        return sorted((arc["from"], arc["to"]) for arc in self.arcs)


def read_map(client, url=MAP_URL):
    return MapReader(get_html(client, url))


@pytest.fixture
def world(db):
    return public_world()


# What is drawn: cities with published solutions, transfers of published solutions


def test_one_circle_per_city_with_published_solutions_and_one_arc_per_their_transfer(client, world):
    html = get_html(client, MAP_URL)
    drawn = MapReader(html)

    # Porto has only an archived solution, Kampala none: they are rings, at a transfer's end.
    assert {pk: p["count"] for pk, p in drawn.points.items()} == {
        world.nairobi.pk: 2,
        world.mombasa.pk: 1,
        world.lisbon.pk: 1,
    }
    assert set(drawn.rings) == {world.kampala.pk, world.porto.pk}
    assert drawn.arc_pairs == sorted(
        (t.origin_city_id, t.adopting_city_id) for t in [world.t1, world.t2, world.t3, world.t4]
    )
    assert {arc["status"] for arc in drawn.arcs} == {
        "adopted",
        "in_progress",
        "proposed",
        "adapted",
    }
    assert drawn.points[world.nairobi.pk]["href"] == world.nairobi.get_absolute_url()
    assert drawn.points[world.nairobi.pk]["title"] == "Nairobi, Kenya: 2 solutions"
    arc = next(a for a in drawn.arcs if a["to"] == world.kampala.pk)
    assert arc["title"] == "Community toilet blocks: from Nairobi to Kampala, in progress"
    assert_no_unpublished_solution(html)


def test_a_city_whose_only_solutions_are_unpublished_is_not_on_the_map(client):
    lonely = make_city(name="Draftville", slug="draftville")
    for status in [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ARCHIVED]:
        unpublished = make_solution(city=lonely, status=status)
        make_transfer(unpublished, adopting_city=make_city(name=f"Adopter {status}"))

    drawn = read_map(client)

    assert drawn.points == drawn.rings == {} and drawn.arcs == []
    assert "Draftville" not in get_html(client, MAP_URL)


def test_the_largest_circle_is_the_city_with_the_most_solutions(client):
    big, small = make_city(name="Big"), make_city(name="Small", latitude=40, longitude=-3)
    for _ in range(4):
        make_solution(city=big)
    make_solution(city=small)

    drawn = read_map(client)

    assert drawn.points[big.pk]["r"] > drawn.points[small.pk]["r"]
    assert radius(4, 4) > radius(1, 4) > 0


# Where: the projection


def test_the_projection_puts_longitude_0_on_the_centre_line_east_right_and_north_up():
    assert project(0, 51.48)[0] == CENTRE_X == WIDTH / 2
    assert project(0, -30)[0] == CENTRE_X
    assert (
        project(36.8, -1.3)[0] > project(-0.1, 51.5)[0] > project(-74, 40.7)[0]
    )  # Nairobi, London, New York
    assert (
        project(-0.1, 51.5)[1] < project(36.8, -1.3)[1] < project(18.4, -33.9)[1]
    )  # London, Nairobi, Cape Town
    assert project(-180, 0)[0] < project(180, 0)[0]
    # Symmetric about the centre line.
    west, east = project(-60, 20), project(60, 20)
    assert west[1] == east[1] and west[0] + east[0] == pytest.approx(WIDTH)
    for longitude, latitude in [(-180, 84), (180, -58), (0, 0)]:
        x, y = project(longitude, latitude)
        assert 0 <= x <= WIDTH and 0 <= y <= HEIGHT


def test_known_cities_are_drawn_where_the_projection_puts_them(client):
    greenwich = make_city(name="Greenwich", latitude=51.48, longitude=0.0, country="GB")
    nairobi = make_city(name="Nairobi", latitude=-1.286, longitude=36.817)
    quito = make_city(name="Quito", latitude=-0.22, longitude=-78.51, country="EC")
    reykjavik = make_city(name="Reykjavik", latitude=64.14, longitude=-21.94, country="IS")
    for city in (greenwich, nairobi, quito, reykjavik):
        make_solution(city=city)

    points = read_map(client).points

    assert points[greenwich.pk]["x"] == CENTRE_X
    assert points[quito.pk]["x"] < points[reykjavik.pk]["x"] < points[greenwich.pk]["x"]
    assert points[greenwich.pk]["x"] < points[nairobi.pk]["x"]
    assert points[reykjavik.pk]["y"] < points[greenwich.pk]["y"] < points[nairobi.pk]["y"]
    for city in (nairobi, quito):
        x, y = project(city.longitude, city.latitude)
        assert (points[city.pk]["x"], points[city.pk]["y"]) == (round(x, 1), round(y, 1))


def test_an_arc_runs_from_the_origin_to_the_adopting_city(client):
    lima = make_city(name="Lima", latitude=-12.05, longitude=-77.04, country="PE")
    dakar = make_city(name="Dakar", latitude=14.69, longitude=-17.44, country="SN")
    make_transfer(make_solution(city=lima), adopting_city=dakar)

    drawn = read_map(client)
    (arc,) = drawn.arcs
    numbers = [float(n) for n in re.findall(r"-?[\d.]+", arc["d"])]
    start, end = numbers[:2], numbers[-2:]

    # Each end stops at its city's edge, so the arrowhead shows outside the circle.
    lima_at, dakar_at = drawn.points[lima.pk], drawn.rings[dakar.pk]
    assert abs(start[0] - lima_at["x"]) <= lima_at["r"] + 0.2
    assert start[0] < end[0]  # from Lima, east to Dakar
    assert abs(end[0] - dakar_at["x"]) <= dakar_at["r"] + 2
    assert "url(#world-map-adopted)" in get_html(client, MAP_URL)


def test_the_view_is_fitted_to_what_is_drawn_in_the_maps_proportions():
    x, y, width, height = fitted_view([project(-10, 40), project(30, 60)])  # Europe
    assert width < WIDTH / 2
    assert width / height == pytest.approx(WIDTH / HEIGHT)
    assert x >= 0 and y >= 0 and x + width <= WIDTH + 1e-9 and y + height <= HEIGHT + 1e-9
    assert fitted_view([]) == (0, 0, WIDTH, HEIGHT)


def test_a_city_without_coordinates_is_listed_but_not_drawn(client):
    nowhere = make_city(name="Nowhere", latitude=None, longitude=None)
    make_solution(city=nowhere, title="Somewhere else")

    html = get_html(client, MAP_URL)
    drawn = MapReader(html)

    assert drawn.points == {}
    assert drawn.city_rows == [nowhere.pk]
    assert "no coordinates, so not on the map" in text_of(html)


# Filters: the solution list's query string


@pytest.mark.parametrize(
    "query, cities, transfers",
    [
        ("theme=water", ["nairobi", "mombasa"], ["t1", "t2"]),
        ("theme=energy", ["lisbon"], ["t3", "t4"]),
        ("region=europe", ["lisbon"], ["t3", "t4"]),
        ("region=africa&theme=mobility", ["nairobi", "mombasa"], []),
        ("network=city2city&country=KE", ["nairobi", "mombasa"], ["t1", "t2"]),
        ("q=tram", ["lisbon"], ["t3", "t4"]),
    ],
)
def test_the_filters_of_the_solution_list_select_what_is_drawn(
    client, world, query, cities, transfers
):
    drawn = read_map(client, f"{MAP_URL}?{query}")

    assert set(drawn.points) == {getattr(world, city).pk for city in cities}
    expected = [getattr(world, name) for name in transfers]
    assert drawn.arc_pairs == sorted((t.origin_city_id, t.adopting_city_id) for t in expected)
    assert sorted(drawn.transfer_rows) == sorted(t.pk for t in expected)


def test_unknown_filter_values_are_named_and_dropped_and_nothing_fails(client, world):
    html = get_html(client, f"{MAP_URL}?theme=no-such-theme&region=atlantis&page=99999999999")

    assert "Ignored the unknown theme “no-such-theme”." in html
    assert "Ignored the unknown region “atlantis”." in html
    assert len(MapReader(html).points) == 3  # the filters it knew nothing of are dropped


def test_the_chips_remove_a_filter_and_the_list_link_keeps_them(client, world):
    html = get_html(client, f"{MAP_URL}?theme=water&region=africa")

    chips = part(html, '<ul class="chips active-filters"', "</ul>")
    assert "Theme: Water and sanitation" in text_of(chips)
    assert f'href="{MAP_URL}?region=africa"' in chips
    list_link = re.search(r'<a href="([^"]+)">List these solutions</a>', html)[1]
    assert parse_qs(urlsplit(list_link.replace("&amp;", "&")).query) == {
        "region": ["africa"],
        "theme": ["water"],
    }


def test_the_solution_list_links_to_the_map_with_its_own_filters(client, world):
    html = get_html(client, reverse("solutions:list") + "?theme=water&stage=pilot&page=2&bogus=1")

    link = re.search(r'<a href="([^"]+)">See these on a map</a>', html)[1].replace("&amp;", "&")
    assert urlsplit(link).path == MAP_URL
    assert parse_qs(urlsplit(link).query) == {"stage": ["pilot"], "theme": ["water"]}


# The lists under the map: every circle and every arc


def test_the_lists_hold_every_city_and_every_transfer_drawn(client, world):
    html = get_html(client, MAP_URL)
    drawn = MapReader(html)

    assert drawn.city_rows == [world.nairobi.pk, world.lisbon.pk, world.mombasa.pk]  # most first
    assert sorted(drawn.transfer_rows) == sorted(
        t.pk for t in [world.t1, world.t2, world.t3, world.t4]
    )
    cities = part(html, '<table class="map-cities">', "</table>")
    nairobi = part(cities, f'<tr id="world-map-city-{world.nairobi.pk}">', "</tr>")
    assert world.nairobi.get_absolute_url() in nairobi
    assert "Kenya" in nairobi
    assert f"{reverse('solutions:list')}?city=nairobi" in nairobi
    assert "Matatu route mapping" in text_of(nairobi) and "Community toilet blocks" in nairobi
    transfers = part(html, '<table class="map-transfers">', "</table>")
    row = text_of(part(transfers, f'<tr id="world-map-transfer-{world.t2.pk}">', "</tr>"))
    assert row == "Community toilet blocks Nairobi, Kenya Kampala, Uganda In progress 2021"
    for title in UNPUBLISHED_TITLES:
        assert title not in transfers


def test_past_the_limits_the_map_draws_the_largest_and_newest_and_says_so(client, monkeypatch):
    monkeypatch.setattr(queries, "MAX_POINTS", 2)
    monkeypatch.setattr(queries, "MAX_LINKS", 1)
    big = make_city(name="Big")
    for _ in range(3):
        make_solution(city=big)
    middle = make_city(name="Middle", latitude=10, longitude=10)
    make_solution(city=middle)
    make_solution(city=middle)
    small = make_city(name="Small", latitude=20, longitude=20)
    old = make_transfer(make_solution(city=small), start_year=2001)
    new = make_transfer(make_solution(city=big), start_year=2020)

    html = get_html(client, MAP_URL)
    drawn = MapReader(html)

    assert set(drawn.points) == {big.pk, middle.pk} and drawn.city_rows == [big.pk, middle.pk]
    assert drawn.transfer_rows == [new.pk] and old.pk not in drawn.transfer_rows
    text = text_of(html)
    assert "The map shows the 2 cities with the most solutions of 3" in text
    assert "The map shows the newest 1 transfers of 2" not in text  # one: the singular
    assert "The map shows the newest transfer of 2" in text
    assert "3 cities, 7 solutions, 2 transfers" in text


def test_an_empty_map_says_so(client):
    html = get_html(client, MAP_URL)

    assert "No published solutions match these filters." in html
    assert MapReader(html).view_boxes == [[0, 0, WIDTH, HEIGHT]]


# The basemap: Natural Earth, shipped as a static file, nothing from another site


def test_the_basemap_is_the_committed_static_file_made_from_natural_earth(client, world):
    html = get_html(client, MAP_URL)

    assert MapReader(html).images == ["/static/maps/world.svg"]
    assert basemap.OUTPUT.read_text(encoding="utf-8") == basemap.build(), (
        "static/maps/world.svg is not what solutions/maps/basemap.py makes: "
        "run .venv/bin/python -m solutions.maps.basemap"
    )
    svg = basemap.OUTPUT.read_text(encoding="utf-8")
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}"' in svg
    assert len(svg) < 100_000
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", svg)


def test_the_map_page_loads_nothing_from_another_site(client, world):
    html = get_html(client, MAP_URL)

    addresses = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert addresses
    assert [a for a in addresses if "//" in a and not a.startswith("http://testserver/")] == []


# The small maps on city, network and theme pages


def test_a_city_page_maps_the_city_its_partners_and_its_transfers_both_ways(client, world):
    html = get_html(client, world.nairobi.get_absolute_url())
    drawn = MapReader(part(html, '<section class="map-section"'))

    # Sent: toilets to Mombasa and Kampala; adopted: trams from Lisbon.
    assert drawn.arc_pairs == sorted(
        (t.origin_city_id, t.adopting_city_id) for t in [world.t1, world.t2, world.t4]
    )
    assert set(drawn.points) == {world.nairobi.pk, world.mombasa.pk, world.lisbon.pk}
    assert set(drawn.rings) == {world.kampala.pk}
    assert f'href="{MAP_URL}?city=nairobi"' in html
    assert_no_unpublished_solution(html)


def test_a_network_page_maps_its_solutions_like_the_map_filtered_by_it(client, world):
    html = get_html(client, world.eux.get_absolute_url())
    small = MapReader(part(html, '<section class="map-section"'))
    full = read_map(client, f"{MAP_URL}?network={world.eux.slug}")

    assert set(small.points) == set(full.points) == {world.lisbon.pk}
    assert (
        small.arc_pairs
        == full.arc_pairs
        == sorted((t.origin_city_id, t.adopting_city_id) for t in [world.t3, world.t4])
    )
    assert f'href="{MAP_URL}?network={world.eux.slug}"' in html


def test_a_theme_page_maps_its_solutions_under_its_filters(client, world):
    url = reverse("solutions:theme", kwargs={"slug": "mobility"})
    everything = MapReader(part(get_html(client, url), '<section class="map-section"'))
    html = get_html(client, f"{url}?region=europe")
    european = MapReader(part(html, '<section class="map-section"'))

    assert set(everything.points) == {world.nairobi.pk, world.mombasa.pk, world.lisbon.pk}
    assert set(european.points) == {world.lisbon.pk}
    assert european.arc_pairs == sorted(
        (t.origin_city_id, t.adopting_city_id) for t in [world.t3, world.t4]
    )
    link = re.search(r'<a href="([^"]+)">Open it on the world map</a>', html)[1]
    assert parse_qs(urlsplit(link.replace("&amp;", "&")).query) == {
        "region": ["europe"],
        "theme": ["mobility"],
    }


def test_a_page_without_anything_to_map_shows_an_empty_map(client):
    quiet = make_network(name="Quiet", slug="quiet")
    html = get_html(client, quiet.get_absolute_url())

    section = part(html, '<section class="map-section"')
    assert "Nothing to show on the map." in section
    assert "The map as a list" not in section


# Queries: a fixed number, whatever the rows


_serial = iter(range(1, 10_000))


def map_case(query=""):
    """Rows that match the query: each a published solution in a city of its own, with a
    transfer, and a draft beside it that must not count."""
    theme = make_theme(name="Mapped", slug="mapped")
    network = make_network(name="Mapping network", slug="mapping")
    rows = []

    def add(count):
        for _ in range(count):
            n = next(_serial)
            city = make_city(name=f"Row city {n:05}", latitude=n % 80 - 40, longitude=n % 340 - 170)
            solution = make_newest_solution(
                city=city, network=network, themes=[theme], stage=Stage.PILOT
            )
            make_transfer(solution, adopting_city=make_city(name=f"Adopter {n:05}"))
            make_solution(city=city, status=Status.DRAFT, themes=[theme])
            rows.append(solution)
        return f"{len(rows)} cities, {len(rows)} solutions, {len(rows)} transfers"

    return MAP_URL + query, add


# (case, its rows, exact queries on a cold cache, on a warm one). Cold: the filter choices
# (themes, networks, the places with solutions in two, the tags in two), then the map's three
# (solutions per city, the newest titles of the cities drawn, the transfers). Warm: none.
MAP_PAGES = [
    ("unfiltered", map_case, 9, 0),
    ("filtered", lambda: map_case("?theme=mapped&region=africa&network=mapping&stage=pilot"), 9, 0),
]


@pytest.mark.parametrize(
    "build, cold, warm",
    [(build, cold, warm) for _name, build, cold, warm in MAP_PAGES],
    ids=[name for name, *_rest in MAP_PAGES],
)
def test_the_map_runs_the_same_exact_queries_for_3_rows_and_for_60(
    client, django_assert_num_queries, build, cold, warm
):
    url, add_rows = build()

    assert_queries_do_not_grow(client, url, add_rows, django_assert_num_queries, cold, warm=warm)

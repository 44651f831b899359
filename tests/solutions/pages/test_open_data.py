"""Open data: the CSV and JSON exports, the Atom feeds, the sitemap and robots.txt."""

import csv
import io
import json
import math
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from urllib.robotparser import RobotFileParser

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from solutions.models import Solution, Status
from solutions.views import exports
from solutions.views.exports import COLUMNS
from tests.support.asserts import assert_not_found
from tests.support.factories import (
    make_city,
    make_network,
    make_newest_solution,
    make_solution,
    make_theme,
    make_transfer,
)
from tests.support.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://testserver"
PUBLISHED = ["solar-schools-osaka", "toilets-nairobi", "water-kiosks-pune", "bus-lanes-lima"]
HIDDEN = ["draft-kiosks-pune", "archived-kiosks-pune", "review-kiosks-osaka"]
# List-page filters and the published solutions of the catalogue fixture they match.
FILTERS = {
    "": PUBLISHED,
    "region=asia": ["solar-schools-osaka", "water-kiosks-pune"],
    "region=asia&theme=water": ["water-kiosks-pune"],
    "region=asia&theme=x": ["solar-schools-osaka", "water-kiosks-pune"],
    "theme=water&theme=energy": PUBLISHED[:3],
    "q=kiosk": ["water-kiosks-pune"],
    "q=nairobi": ["toilets-nairobi"],
    "q=%22water+kiosks%22": ["water-kiosks-pune"],
    "network=city2city&year_from=2015": ["water-kiosks-pune"],
    "year_from=2012&year_to=2018&sort=title": PUBLISHED[1:],
    "tag=sanitation": ["toilets-nairobi"],
    "sdg=6": ["water-kiosks-pune"],
    "stage=pilot": [],
}


def when(year, month, day):
    return datetime(year, month, day, 9, tzinfo=UTC)


@pytest.fixture
def catalogue(db):
    """Four published solutions in three regions, and three that must never be shown."""
    water = make_theme(name="Water and sanitation", slug="water", position=1)
    energy = make_theme(name="Energy", slug="energy", position=2)
    housing = make_theme(name="Housing", slug="housing", position=3)
    pune = make_city(name="Pune", slug="pune-in", country="IN")
    osaka = make_city(name="Osaka", slug="osaka-jp", country="JP")
    nairobi = make_city(name="Nairobi", slug="nairobi-ke", country="KE")
    lima = make_city(name="Lima", slug="lima-pe", country="PE")
    c2c = make_network(name="City2City Network", slug="city2city", acronym="C2C")
    mip = make_network(name="Municipal Innovation Partnership", slug="mip", acronym="MIP")
    kiosks = make_solution(
        title="Water kiosks",
        slug="water-kiosks-pune",
        summary="Prepaid kiosk water points.",
        city=pune,
        network=c2c,
        themes=[water, energy],
        tags=["tariffs", "kiosks"],
        start_year=2016,
        end_year=2020,
        cost_usd=120_000,
        published_at=when(2024, 3, 1),
    )
    kiosks.sdgs.set([11, 6])
    solar = make_solution(
        title="Solar schools",
        slug="solar-schools-osaka",
        city=osaka,
        network=mip,
        themes=[energy],
        start_year=2019,
        published_at=when(2024, 5, 1),
    )
    toilets = make_solution(
        title="Community toilets",
        slug="toilets-nairobi",
        city=nairobi,
        network=c2c,
        themes=[water],
        tags=["sanitation"],
        start_year=2012,
        published_at=when(2024, 4, 1),
    )
    lanes = make_solution(
        title="Bus lanes",
        slug="bus-lanes-lima",
        city=lima,
        network=mip,
        start_year=2018,
        published_at=when(2023, 1, 1),
    )
    hidden = [
        make_solution(
            title="Draft water kiosks",
            slug="draft-kiosks-pune",
            status=Status.DRAFT,
            city=pune,
            network=c2c,
            themes=[water, energy],
            tags=["kiosks"],
        ),
        make_solution(
            title="Archived water kiosks",
            slug="archived-kiosks-pune",
            status=Status.ARCHIVED,
            city=pune,
            network=c2c,
            themes=[water, energy],
            tags=["kiosks"],
            published_at=when(2025, 6, 1),
        ),
        make_solution(
            title="Kiosks under review",
            slug="review-kiosks-osaka",
            status=Status.IN_REVIEW,
            city=osaka,
            network=mip,
            themes=[water, energy],
        ),
    ]
    return {
        "themes": {"water": water, "energy": energy, "housing": housing},
        "cities": {"pune": pune, "osaka": osaka, "nairobi": nairobi, "lima": lima},
        "networks": {"c2c": c2c, "mip": mip},
        "solutions": {"kiosks": kiosks, "solar": solar, "toilets": toilets, "lanes": lanes},
        "hidden": hidden,
    }


def export_url(format, query=""):
    url = reverse("solutions:export", kwargs={"format": format})
    return f"{url}?{query}" if query else url


def streamed_body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def csv_export(client, query=""):
    response = client.get(export_url("csv", query))
    assert response.status_code == 200
    reader = csv.DictReader(io.StringIO(streamed_body(response)))
    rows = list(reader)
    return reader.fieldnames, rows


def json_export(client, query=""):
    response = client.get(export_url("json", query))
    assert response.status_code == 200
    return json.loads(streamed_body(response))


def exported_slugs(client, format, query=""):
    if format == "csv":
        return [row["slug"] for row in csv_export(client, query)[1]]
    return [row["slug"] for row in json_export(client, query)]


def list_page_slugs(client, query=""):
    response = client.get(reverse("solutions:list") + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return [solution.slug for solution in response.context["page_obj"].paginator.object_list]


def parse_xml(response):
    return ET.fromstring(response.content)


# Exports


def test_csv_export_is_streamed_as_an_attachment_with_the_documented_header(client, catalogue):
    response = client.get(export_url("csv"))

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="solutions.csv"'
    reader = csv.reader(io.StringIO(streamed_body(response)))
    assert next(reader) == COLUMNS


def test_json_export_is_streamed_as_a_list_of_objects_with_the_documented_keys(client, catalogue):
    response = client.get(export_url("json"))

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="solutions.json"'
    rows = json.loads(streamed_body(response))
    assert isinstance(rows, list)
    assert rows
    assert all(list(row) == COLUMNS for row in rows)


def test_csv_header_row_equals_the_columns_even_when_nothing_matches(client, catalogue):
    fieldnames, rows = csv_export(client, "q=nothing-matches-this")

    assert fieldnames == COLUMNS
    assert rows == []


def test_json_export_of_nothing_is_an_empty_list(client, catalogue):
    assert json_export(client, "q=nothing-matches-this") == []


@pytest.mark.parametrize("format", ["csv", "json"])
@pytest.mark.parametrize(
    "query, expected",
    [pytest.param(query, expected, id=query or "no-filter") for query, expected in FILTERS.items()],
)
def test_export_rows_are_exactly_the_published_solutions_the_list_page_shows(
    client, catalogue, format, query, expected
):
    rows = exported_slugs(client, format, query)

    assert rows == list_page_slugs(client, query)
    assert sorted(rows) == sorted(expected)
    assert not set(HIDDEN) & set(rows)


@pytest.mark.parametrize("format", ["csv", "json"])
def test_export_is_ordered_newest_first_like_the_list_page(client, catalogue, format):
    assert exported_slugs(client, format) == PUBLISHED


@pytest.mark.parametrize("format", ["csv", "json"])
def test_export_ignores_unknown_filter_values_and_parameters(client, catalogue, format):
    query = (
        "theme=nope&region=mars&network=&sdg=99&tag=%ff%fe&sort=sideways"
        "&year_from=abc&year_to=1e9&page=zz&colour=red&theme[]=x"
    )

    assert sorted(exported_slugs(client, format, query)) == sorted(PUBLISHED)


def test_csv_export_fields(client, catalogue):
    kiosks = catalogue["solutions"]["kiosks"]
    kiosks.refresh_from_db()
    _fieldnames, rows = csv_export(client)
    row = next(row for row in rows if row["slug"] == "water-kiosks-pune")

    assert row == {
        "slug": "water-kiosks-pune",
        "title": "Water kiosks",
        "url": f"{BASE}/solutions/water-kiosks-pune/",
        "summary": "Prepaid kiosk water points.",
        "city": "Pune",
        "country_code": "IN",
        "country": "India",
        "region": "Asia",
        "network": "City2City Network",
        "themes": "Water and sanitation; Energy",
        "tags": "kiosks; tariffs",
        "stage": "Implemented",
        "start_year": "2016",
        "end_year": "2020",
        "sdgs": "6; 11",
        "cost_usd": "120000",
        "published_at": "2024-03-01T09:00:00+00:00",
        "updated_at": kiosks.updated_at.isoformat(),
    }
    assert datetime.fromisoformat(row["published_at"]) == kiosks.published_at


def test_csv_export_leaves_missing_values_empty(client, catalogue):
    _fieldnames, rows = csv_export(client)
    row = next(row for row in rows if row["slug"] == "bus-lanes-lima")

    assert row["themes"] == ""
    assert row["tags"] == ""
    assert row["sdgs"] == ""
    assert row["end_year"] == ""
    assert row["cost_usd"] == ""
    assert row["region"] == "South America"


def test_json_export_fields(client, catalogue):
    kiosks = catalogue["solutions"]["kiosks"]
    kiosks.refresh_from_db()
    row = next(row for row in json_export(client) if row["slug"] == "water-kiosks-pune")

    assert row["title"] == "Water kiosks"
    assert row["url"] == f"{BASE}/solutions/water-kiosks-pune/"
    assert row["summary"] == "Prepaid kiosk water points."
    assert row["city"] == "Pune"
    assert row["country_code"] == "IN"
    assert row["country"] == "India"
    assert row["region"] == "Asia"
    assert row["network"] == "City2City Network"
    assert row["themes"] == ["Water and sanitation", "Energy"]
    assert row["tags"] == ["kiosks", "tariffs"]
    assert row["stage"] == "Implemented"
    assert row["start_year"] == 2016
    assert row["end_year"] == 2020
    assert row["sdgs"] == [6, 11]
    assert row["cost_usd"] == 120_000
    assert datetime.fromisoformat(row["published_at"]) == when(2024, 3, 1)
    # DjangoJSONEncoder writes datetimes to the millisecond.
    assert abs(datetime.fromisoformat(row["updated_at"]) - kiosks.updated_at) < timedelta(
        milliseconds=1
    )


def test_json_export_gives_missing_values_as_null_and_empty_lists(client, catalogue):
    row = next(row for row in json_export(client) if row["slug"] == "bus-lanes-lima")

    assert row["themes"] == []
    assert row["tags"] == []
    assert row["sdgs"] == []
    assert row["end_year"] is None
    assert row["cost_usd"] is None


@pytest.mark.parametrize(
    "format",
    ["xml", "html", "txt", "csv.gz", "jsonl", pytest.param("", id="empty"), "%00", "csv%2F"],
)
def test_an_unknown_export_format_is_not_found(client, catalogue, format):
    response = client.get(f"/solutions/export.{format}")

    assert_not_found(response)


@pytest.fixture
def many_solutions(db):
    """Published solutions made in bulk, oldest first."""

    def make(count):
        city = make_city(name="Bulk City", slug="bulk-city")
        network = make_network(name="Bulk Network", slug="bulk-network")
        Solution.objects.bulk_create(
            Solution(
                title=f"Bulk solution {i}",
                slug=f"bulk-solution-{i}",
                summary="Made in bulk.",
                city=city,
                network=network,
                status=Status.PUBLISHED,
                published_at=datetime(2020, 1, 1, tzinfo=UTC).replace(minute=i % 60, hour=i // 60),
                start_year=2015,
            )
            for i in range(count)
        )

    return make


def test_csv_export_of_1200_solutions_streams_every_row_through_an_iterator(
    client, many_solutions, monkeypatch
):
    many_solutions(1200)
    chunk_sizes = []
    original_iterator = QuerySet.iterator

    def spy(queryset, *args, **kwargs):
        if queryset.model is Solution:
            chunk_sizes.append(kwargs.get("chunk_size", args[0] if args else None))
        return original_iterator(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "iterator", spy)

    _fieldnames, rows = csv_export(client)

    assert len(rows) == 1200
    assert len({row["slug"] for row in rows}) == 1200
    assert chunk_sizes == [exports.CHUNK_SIZE]


def test_export_reads_nothing_of_the_solutions_until_the_response_is_consumed(client, catalogue):
    with CaptureQueriesContext(connection) as before:
        response = client.get(export_url("csv"))
    with CaptureQueriesContext(connection) as during:
        body = streamed_body(response)

    main_select = '"solutions_solution"."summary"'
    assert not any(main_select in query["sql"] for query in before.captured_queries)
    assert any(main_select in query["sql"] for query in during.captured_queries)
    assert "water-kiosks-pune" in body


@pytest.mark.parametrize("format", ["csv", "json"])
def test_export_queries_grow_with_chunks_not_with_rows(client, many_solutions, monkeypatch, format):
    rows = 45
    many_solutions(rows)

    def queries_with_chunk_size(chunk_size):
        monkeypatch.setattr(exports, "CHUNK_SIZE", chunk_size)
        response = client.get(export_url(format))
        with CaptureQueriesContext(connection) as queries:
            body = streamed_body(response)
        # Every row once, named twice: by its slug and in its URL.
        assert body.count("bulk-solution-") == 2 * rows
        return len(queries)

    one_chunk = queries_with_chunk_size(1000)
    chunks = math.ceil(rows / 10)
    in_chunks_of_ten = queries_with_chunk_size(10)

    # One select, then a query for each of themes, tags and SDGs per chunk.
    assert one_chunk == 1 + 3
    assert in_chunks_of_ten == 1 + 3 * chunks
    assert in_chunks_of_ten < rows


# Feeds


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return parse_xml(response).findall("atom:entry", ATOM)


def entry_slug(entry):
    href = entry.find("atom:link[@rel='alternate']", ATOM).get("href")
    return href.removeprefix(f"{BASE}/solutions/").rstrip("/")


def test_feed_is_atom_with_its_title_and_links(client, catalogue):
    root = parse_xml(client.get(reverse("solutions:feed")))

    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.findtext("atom:title", namespaces=ATOM) == "Urban Solutions Exchange: new solutions"
    links = {link.get("rel"): link.get("href") for link in root.findall("atom:link", ATOM)}
    assert links == {"alternate": f"{BASE}/solutions/", "self": f"{BASE}/solutions/feed/"}


def test_feed_entries_are_exactly_the_published_solutions_newest_first(client, catalogue):
    found = [entry_slug(entry) for entry in entries(client.get(reverse("solutions:feed")))]

    assert found == PUBLISHED


@pytest.mark.parametrize("query", FILTERS)
def test_the_feed_of_a_filtered_list_holds_what_the_list_holds(client, catalogue, query):
    """Every list can be followed: its feed has the same query string and the same case
    studies, newest first (what the list shows when not sorted otherwise)."""
    found = [entry_slug(entry) for entry in entries(client.get(f"/solutions/feed/?{query}"))]
    assert sorted(found) == sorted(FILTERS[query])
    assert found == [slug for slug in PUBLISHED if slug in found]  # newest first


def test_a_filtered_feed_names_its_filters_and_links_back_to_its_list(client, catalogue):
    root = parse_xml(client.get("/solutions/feed/?region=asia&theme=water&theme=nonsense"))
    title = root.findtext("atom:title", namespaces=ATOM)
    assert (
        title
        == "Urban Solutions Exchange: new solutions, Theme: Water and sanitation; Region: Asia"
    )
    links = {link.get("rel"): link.get("href") for link in root.findall("atom:link", ATOM)}
    assert links == {
        "alternate": f"{BASE}/solutions/?region=asia&theme=water",
        "self": f"{BASE}/solutions/feed/?region=asia&theme=water",
    }


def test_the_list_links_its_own_feed(client, catalogue):
    html = client.get("/solutions/?region=asia&theme=water").content.decode()
    feed = "/solutions/feed/?region=asia&amp;theme=water"
    head = '<link rel="alternate" type="application/atom+xml" title="New solutions in this list"'
    assert f'{head} href="{feed}">' in html
    assert f'<a href="{feed}">Follow this list in a feed reader (Atom)</a>' in html


def test_feed_entry_has_title_link_summary_dates_author_and_theme_categories(client, catalogue):
    kiosks = catalogue["solutions"]["kiosks"]
    kiosks.refresh_from_db()
    entry = next(
        entry
        for entry in entries(client.get(reverse("solutions:feed")))
        if entry_slug(entry) == "water-kiosks-pune"
    )

    assert entry.findtext("atom:title", namespaces=ATOM) == "Water kiosks (Pune)"
    link = entry.find("atom:link[@rel='alternate']", ATOM)
    assert link.get("href") == f"{BASE}/solutions/water-kiosks-pune/"
    assert entry.findtext("atom:id", namespaces=ATOM) == f"{BASE}/solutions/water-kiosks-pune/"
    assert entry.findtext("atom:summary", namespaces=ATOM) == "Prepaid kiosk water points."
    updated = entry.findtext("atom:updated", namespaces=ATOM)
    assert datetime.fromisoformat(updated) == kiosks.updated_at
    published = entry.findtext("atom:published", namespaces=ATOM)
    assert datetime.fromisoformat(published) == when(2024, 3, 1)
    assert entry.findtext("atom:author/atom:name", namespaces=ATOM) == "City2City Network"
    categories = [category.get("term") for category in entry.findall("atom:category", ATOM)]
    assert categories == ["Water and sanitation", "Energy"]


def test_feed_escapes_markup_in_titles_and_summaries(client, catalogue):
    make_solution(
        title="Pipes & <b>pumps</b>",
        summary="<script>alert(1)</script> & more",
        published_at=when(2026, 1, 1),
    )
    entry = entries(client.get(reverse("solutions:feed")))[0]

    assert entry.findtext("atom:title", namespaces=ATOM).startswith("Pipes & <b>pumps</b> (")
    assert entry.findtext("atom:summary", namespaces=ATOM) == "<script>alert(1)</script> & more"


def test_feed_holds_at_most_the_30_newest_solutions(client, many_solutions):
    many_solutions(34)
    newest_first = [f"bulk-solution-{i}" for i in range(33, 3, -1)]

    found = [entry_slug(entry) for entry in entries(client.get(reverse("solutions:feed")))]

    assert found == newest_first


def test_theme_feed_has_only_that_themes_published_solutions(client, catalogue):
    response = client.get(reverse("solutions:theme-feed", kwargs={"slug": "water"}))
    found = [entry_slug(entry) for entry in entries(response)]

    assert found == ["toilets-nairobi", "water-kiosks-pune"]
    root = parse_xml(response)
    assert root.findtext("atom:title", namespaces=ATOM) == (
        "Urban Solutions Exchange: new solutions in Water and sanitation"
    )
    alternate = root.find("atom:link[@rel='alternate']", ATOM).get("href")
    assert alternate == f"{BASE}/themes/water/"


def test_theme_feed_of_a_theme_without_published_solutions_is_empty(client, catalogue):
    response = client.get(reverse("solutions:theme-feed", kwargs={"slug": "housing"}))

    assert entries(response) == []


@pytest.mark.parametrize("slug", ["no-such-theme", "Water", "water-"])
def test_theme_feed_of_an_unknown_theme_is_not_found(client, catalogue, slug):
    response = client.get(reverse("solutions:theme-feed", kwargs={"slug": slug}))

    assert_not_found(response)


# Sitemap and robots.txt


@pytest.fixture
def sitemap_locations(client, catalogue):
    kiosks = catalogue["solutions"]["kiosks"]
    make_transfer(kiosks, adopting_city=make_city(name="Kisumu", slug="kisumu-ke", country="KE"))
    draft_only = make_city(name="Draft Town", slug="draft-town", country="KE")
    make_solution(slug="draft-town-plan", status=Status.DRAFT, city=draft_only)
    draft = catalogue["hidden"][0]
    make_transfer(draft, adopting_city=make_city(name="Ghost", slug="ghost-adopter", country="TZ"))
    make_transfer(
        catalogue["hidden"][1],
        adopting_city=make_city(name="Archive", slug="archive-adopter", country="TZ"),
    )
    make_network(name="Quiet Network", slug="quiet-network")

    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    root = parse_xml(response)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP)]


def test_sitemap_lists_every_published_solution_and_no_other(sitemap_locations):
    solutions = {loc for loc in sitemap_locations if loc.startswith(f"{BASE}/solutions/")}

    assert solutions == {f"{BASE}/solutions/"} | {f"{BASE}/solutions/{s}/" for s in PUBLISHED}
    for hidden in HIDDEN:
        assert f"{BASE}/solutions/{hidden}/" not in sitemap_locations


def test_sitemap_lists_the_main_pages_themes_and_networks(sitemap_locations):
    expected = {
        f"{BASE}/",
        f"{BASE}/solutions/",
        f"{BASE}/themes/",
        f"{BASE}/transfers/",
        f"{BASE}/themes/water/",
        f"{BASE}/themes/energy/",
        f"{BASE}/themes/housing/",
        f"{BASE}/networks/city2city/",
        f"{BASE}/networks/mip/",
        f"{BASE}/networks/quiet-network/",
    }

    assert expected <= set(sitemap_locations)


def test_sitemap_lists_cities_with_published_or_adopted_solutions_only(sitemap_locations):
    cities = {loc for loc in sitemap_locations if loc.startswith(f"{BASE}/cities/")}

    assert cities == {
        f"{BASE}/cities/{slug}/"
        for slug in ["pune-in", "osaka-jp", "nairobi-ke", "lima-pe", "kisumu-ke"]
    }


def test_sitemap_lists_each_location_once(sitemap_locations):
    assert len(sitemap_locations) == len(set(sitemap_locations))


def robots(client):
    response = client.get(reverse("robots"))
    assert response.status_code == 200
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return response, parser


def test_robots_txt_is_plain_text_disallows_admin_and_names_the_sitemap(client):
    response, parser = robots(client)

    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert parser.site_maps() == [f"{BASE}/sitemap.xml"]
    assert not parser.can_fetch("*", f"{BASE}/admin/")
    assert not parser.can_fetch("*", f"{BASE}/admin/solutions/solution/")
    assert parser.can_fetch("*", f"{BASE}/solutions/")
    assert parser.can_fetch("*", f"{BASE}/solutions/water-kiosks-pune/")


@pytest.mark.parametrize("format", ["csv", "json"])
def test_robots_txt_keeps_crawlers_off_the_exports_it_means_to_disallow(client, format):
    _response, parser = robots(client)

    assert not parser.can_fetch("*", BASE + reverse("solutions:export", kwargs={"format": format}))


# Query counts: the same exact number of queries for 3 rows as for 60


def rows_of_solutions(marker):
    """Adds published solutions (with a theme, a tag, an SDG and a transfer each); the marker
    of the newest one."""

    def add(count):
        for _ in range(count):
            solution = make_newest_solution(tags=["drainage"], stage="implemented")
            solution.sdgs.add(11)
            make_transfer(solution)
        return marker(solution)

    return add


def export_case(format, query=""):
    return export_url(format, query), rows_of_solutions(lambda solution: solution.slug)


def feed_case():
    return reverse("solutions:feed"), rows_of_solutions(lambda solution: solution.title)


def theme_feed_case():
    theme = make_theme(name="Fed theme", slug="fed")

    def add(count):
        for _ in range(count):
            solution = make_newest_solution(themes=[theme])
        return solution.title

    return reverse("solutions:theme-feed", kwargs={"slug": "fed"}), add


def sitemap_case():
    return reverse("sitemap"), rows_of_solutions(lambda solution: solution.get_absolute_url())


EXPORT_FILTERS = "q=row&tag=drainage&stage=implemented&sdg=11&region=africa"

# (what, its rows, exact queries on a cold cache, exact queries on a warm one). The exports
# build the list's filters, whose choices are cached; the feeds and the sitemap cache nothing.
# An export reads its solutions with one select and, per chunk, one query each for themes,
# tags and goals; a searched one with two selects: the ranked candidates, then the older rest.
OPEN_DATA = [
    ("csv export", lambda: export_case("csv"), 10, 4),
    ("csv export, searched and filtered", lambda: export_case("csv", EXPORT_FILTERS), 11, 5),
    ("json export", lambda: export_case("json"), 10, 4),
    ("json export, searched and filtered", lambda: export_case("json", EXPORT_FILTERS), 11, 5),
    ("atom feed", feed_case, 8, 2),  # cold: the filters' choices (6) for its query string
    ("theme atom feed", theme_feed_case, 3, 3),
    ("sitemap", sitemap_case, 8, 8),
]


@pytest.mark.parametrize(
    "build, cold, warm",
    [(build, cold, warm) for _what, build, cold, warm in OPEN_DATA],
    ids=[what for what, *_rest in OPEN_DATA],
)
def test_open_data_runs_the_same_exact_queries_for_3_rows_and_for_60(
    client, django_assert_num_queries, build, cold, warm
):
    url, add_rows = build()

    assert_queries_do_not_grow(client, url, add_rows, django_assert_num_queries, cold, warm=warm)

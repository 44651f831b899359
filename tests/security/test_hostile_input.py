"""Hostile query strings and paths on every public page: a 4xx or a page, never a 500.

Each public page that reads its query string (filters, search, sort, page) is requested with
every hostile query string below, so a failure names both; the sitemap, which reads only its
page number, with hostile page numbers; every other public page is shown to ignore its query
string (the same page with all of them at once), which is why it does not get them one by one.
Pages that echo the search must escape it.
"""

import json
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from solutions.models import Status
from tests.security.module_data import built_once_per_module
from tests.support.factories import (
    make_city,
    make_indicator,
    make_membership,
    make_network,
    make_partner,
    make_solution,
    make_theme,
    make_transfer,
)

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"


def q(text):
    return "q=" + quote(text, safe="")


# Every hostile query string, by a readable id. Values are sent exactly as written here.
HOSTILE_QUERIES = {
    "unknown-filter-values": (
        "theme=nope&region=mars&subregion=mars&network=nope&stage=nope&size=huge&country=XX&city=atlantis"
        "&sdg=99&sdg=abc&tag=nope&status=nope&crossing=nope&sort=sideways"
    ),
    "unknown-parameters": "colour=red&utm_source=x&format=xml&slug=..%2F..",
    "repeated-parameters": (
        "q=a&q=b&page=1&page=2&theme=x&theme=x&region=asia&region=asia&region=europe"
        "&sort=title&sort=newest&year_from=2000&year_from=2010&network=city2city&network=city2city"
    ),
    "page-0": "page=0",
    "page-minus-1": "page=-1",
    "page-abc": "page=abc",
    "page-huge": "page=99999999999999999999999",
    "page-superscript-two": "page=" + quote("²"),
    "page-arabic-indic-digit": "page=" + quote("٣"),
    "page-fraction": "page=1.5",
    "page-empty": "page=",
    "year-from-1e9": "year_from=1e9",
    "year-from-superscript-two": "year_from=" + quote("²"),
    "year-to-minus-5": "year_to=-5",
    "year-huge": "year_from=99999999999999999999&year_to=99999999999999999999",
    "years-reversed": "year_from=2020&year_to=1990",
    "sort-sql": "sort=" + quote(";DROP TABLE solutions_solution;--", safe=""),
    "q-10000-characters": q(("water kiosk " * 1000)[:10_000]),
    "q-very-long-word": q("w" * 5000),
    "q-many-words": q(" ".join(f"word{i}" for i in range(200))),
    "q-triple-double-quote": q('"""'),
    "q-single-quote": q("'"),
    "q-percent": q("%"),
    "q-underscore": q("_"),
    "q-backslash": q("\\"),
    "q-asterisk": q("*"),
    "q-dash": q("-"),
    "q-double-dash": q("--"),
    "q-OR": q("OR"),
    "q-operators": q('a -b "c d" or e'),
    "q-sql-injection": q("' OR 1=1 --"),
    "q-sql-union": q("x' UNION SELECT password FROM auth_user --"),
    "q-script": q(SCRIPT),
    "q-attribute-breakout": q('"><img src=x onerror=alert(1)>'),
    "q-null-byte": "q=%00",
    "q-null-byte-in-word": "q=water%00kiosk",
    "q-control-characters": q("\x01\x07\x1b[31m\x7f"),
    "q-emoji": q("🚰💧 water 🏙️👩🏽‍🔧"),
    "q-rtl": q("\u202ekiosk\u202c שלום"),
    "q-chinese": q("城市供水"),
    "q-cyrillic": q("водоснабжение"),
    "q-arabic": q("إمدادات المياه"),
    "q-combining-characters": q("Z\u0351\u0362a\u0336\u0322l\u0337g\u0334o e\u0301\u0301\u0301"),
    "q-whitespace-only": q(" \t\n\u00a0\u3000 "),
    "q-empty": "q=",
    "theme-brackets": "theme[]=x&theme%5B%5D=y",
    "region-empty": "region=",
    "percent-encoded-garbage": "q=%ff%fe&theme=%ff%fe&%ff%fe=%ff&region=%c0%af",
    "broken-percent-escapes": "q=%&theme=%zz&page=%&%=%",
    "utf8-surrogate": "q=%ed%a0%80&city=%ed%a0%80",
    "null-bytes-in-filters": (
        "theme=%00&region=%00&subregion=%00&network=%00&city=%00&tag=%00&sort=%00&year_from=%00&page=%00"
    ),
}

# Every public URL pattern, by a readable id, with the data made by the `site` fixture: those
# whose view reads the query string (filters, search, sort and page), and the others.
READING_THE_QUERY_STRING = {
    "solution-list": ("solutions:list", {}),
    "theme": ("solutions:theme", {"slug": "water"}),
    "transfers": ("solutions:transfers", {}),
    "cities": ("solutions:cities", {}),
    "cities-like-mine": ("solutions:cities-like-mine", {}),
    "map": ("solutions:map", {}),
    "export-csv": ("solutions:export", {"format": "csv"}),
    "export-json": ("solutions:export", {"format": "json"}),
    "feed": ("solutions:feed", {}),  # the list's filters and search
}
IGNORING_THE_QUERY_STRING = {
    "home": ("solutions:home", {}),
    "solution-detail": ("solutions:detail", {"slug": "water-kiosks"}),
    "themes": ("solutions:themes", {}),
    "theme-feed": ("solutions:theme-feed", {"slug": "water"}),
    "city": ("cities:detail", {"slug": "nairobi-ke"}),
    "networks": ("networks:index", {}),
    "network": ("networks:detail", {"slug": "city2city"}),
    "robots": ("robots", {}),
    # It reads only ?p=, its page: see test_sitemap_refuses_a_page_that_does_not_exist.
    "sitemap": ("sitemap", {}),
}
PUBLIC_URLS = READING_THE_QUERY_STRING | IGNORING_THE_QUERY_STRING


def url_and_query_cases():
    """Every public URL that reads its query string with every hostile one, each its own id."""
    return [
        pytest.param(url_id, query_id, id=f"{url_id}-{query_id}")
        for url_id in READING_THE_QUERY_STRING
        for query_id in HOSTILE_QUERIES
    ]


def build_site():
    """One of everything the public pages show, so each of them has something to render."""
    water = make_theme(name="Water and sanitation", slug="water")
    city = make_city(name="Nairobi", slug="nairobi-ke", country="KE")
    network = make_network(name="City2City Network", slug="city2city", acronym="C2C")
    solution = make_solution(
        title="Water kiosks",
        slug="water-kiosks",
        city=city,
        network=network,
        themes=[water],
        tags=["kiosks"],
        funding="Paid by **the utility**.",
    )
    solution.sdgs.set([6])
    make_indicator(solution, measurements=[(2019, 10), (2022, 40)])
    make_partner(solution)
    make_transfer(solution, adopting_city=make_city(name="Pune", slug="pune-in", country="IN"))
    make_membership(network=network, city=city)
    make_solution(slug="draft-kiosks", status=Status.DRAFT, city=city, network=network)
    return solution


shared_site = built_once_per_module(build_site, "shared_site")


@pytest.fixture
def site(shared_site, db):
    return shared_site


def get(client, path):
    """The response, with a streamed body read so that errors while streaming surface."""
    response = client.get(path)
    if response.streaming:
        response.body = b"".join(response.streaming_content)
    else:
        response.body = response.content
    return response


def assert_is_the_page(url_id, response):
    """The page itself, not an error page with a 200: its heading, or the export's rows."""
    if url_id == "export-csv":
        assert response.body.decode().startswith("slug,title,url,")
    elif url_id == "export-json":
        assert isinstance(json.loads(response.body), list)
    elif url_id == "feed":
        assert ElementTree.fromstring(response.body).tag == "{http://www.w3.org/2005/Atom}feed"
        assert SCRIPT.encode() not in response.body
    else:
        assert b"<h1>" in response.body
        assert SCRIPT.encode() not in response.body
        assert b"<img src=x onerror" not in response.body


@pytest.mark.usefixtures("templates_render_as_in_production")
@pytest.mark.parametrize("url_id, query_id", url_and_query_cases())
def test_public_url_survives_hostile_query_string(client, site, url_id, query_id):
    name, kwargs = PUBLIC_URLS[url_id]
    path = f"{reverse(name, kwargs=kwargs)}?{HOSTILE_QUERIES[query_id]}"

    response = get(client, path)

    # The page exists, so a bad query string is ignored or explained, never an error.
    assert response.status_code == 200
    assert_is_the_page(url_id, response)


@pytest.mark.usefixtures("templates_render_as_in_production")
@pytest.mark.parametrize("url_id", IGNORING_THE_QUERY_STRING)
def test_a_page_that_reads_no_query_string_ignores_a_hostile_one(client, site, url_id):
    """Every hostile query string at once changes nothing on these pages, byte for byte: they
    do not read it, so they need not get them one by one (if one starts reading its query
    string, this fails: move it to READING_THE_QUERY_STRING)."""
    name, kwargs = PUBLIC_URLS[url_id]
    path = reverse(name, kwargs=kwargs)
    everything = "&".join(HOSTILE_QUERIES.values())

    plain, hostile = get(client, path), get(client, f"{path}?{everything}")

    assert (plain.status_code, hostile.status_code) == (200, 200)
    assert hostile.body == plain.body


@pytest.mark.parametrize(
    "page, status",
    [("1", 200), ("2", 404), ("0", 404), ("-1", 404), ("abc", 404), (str(10**30), 404)]
    + [("%00", 404), ("1&p=2", 404), (quote("²"), 404)],
)
def test_sitemap_refuses_a_page_that_does_not_exist(client, site, page, status):
    response = client.get(f"{reverse('sitemap')}?p={page}")

    assert response.status_code == status
    if status == 200:
        assert b"/solutions/water-kiosks/</loc>" in response.content


@pytest.mark.parametrize("url_id", ["solution-list", "theme"])
def test_search_is_echoed_escaped(client, site, url_id):
    name, kwargs = PUBLIC_URLS[url_id]
    response = client.get(f"{reverse(name, kwargs=kwargs)}?{HOSTILE_QUERIES['q-script']}")

    assert response.status_code == 200
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content
    assert SCRIPT.encode() not in response.content


@pytest.mark.parametrize("url_id", ["solution-list", "theme", "transfers"])
@pytest.mark.parametrize(
    "query_id", ["page-0", "page-minus-1", "page-abc", "page-huge", "page-superscript-two"]
)
def test_a_bad_page_number_shows_the_first_or_last_page_with_a_notice(
    client, site, url_id, query_id
):
    name, kwargs = PUBLIC_URLS[url_id]
    response = client.get(f"{reverse(name, kwargs=kwargs)}?{HOSTILE_QUERIES[query_id]}")

    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert response.context["notices"]


@pytest.mark.parametrize(
    "query_id",
    ["unknown-filter-values", "year-from-1e9", "year-to-minus-5", "sort-sql", "region-empty"],
)
def test_unknown_filter_values_are_ignored_and_the_published_solution_still_shows(
    client, site, query_id
):
    response = client.get(f"{reverse('solutions:list')}?{HOSTILE_QUERIES[query_id]}")

    assert response.status_code == 200
    assert [solution.slug for solution in response.context["solutions"]] == ["water-kiosks"]


@pytest.mark.parametrize("url_id", ["solution-list", "theme"])
def test_a_nul_character_in_the_search_counts_as_a_space(client, site, url_id):
    name, kwargs = PUBLIC_URLS[url_id]
    response = client.get(f"{reverse(name, kwargs=kwargs)}?q=water%00kiosks")

    assert response.status_code == 200
    assert [solution.slug for solution in response.context["solutions"]] == ["water-kiosks"]


@pytest.mark.parametrize("format", ["csv", "json"])
def test_a_nul_character_in_the_search_does_not_break_the_export(client, site, format):
    url = reverse("solutions:export", kwargs={"format": format})

    body = get(client, f"{url}?q=water%00kiosks").body.decode()

    assert "/solutions/water-kiosks/" in body


LONG = "a" * 5000
HOSTILE_PATHS = {
    "solution-unknown": "/solutions/no-such-solution/",
    "solution-draft": "/solutions/draft-kiosks/",
    "solution-unicode": "/solutions/été-kiosks/",
    "solution-unicode-encoded": "/solutions/%C3%A9t%C3%A9/",
    "solution-emoji": "/solutions/%F0%9F%9A%B0/",
    "solution-dot-dot": "/solutions/../admin/",
    "solution-dot-dot-encoded": "/solutions/..%2F..%2Fetc%2Fpasswd/",
    "solution-dots": "/solutions/..../",
    "solution-null-byte": "/solutions/water-kiosks%00/",
    "solution-very-long": f"/solutions/{LONG}/",
    "solution-sql": "/solutions/%27%20OR%201%3D1%20--/",
    "solution-script": "/solutions/%3Cscript%3Ealert(1)%3C%2Fscript%3E/",
    "theme-unknown": "/themes/no-such-theme/",
    "theme-unicode": "/themes/wässer/",
    "theme-dot-dot": "/themes/../",
    "theme-very-long": f"/themes/{LONG}/",
    "theme-feed-unknown": "/themes/no-such-theme/feed/",
    "theme-feed-unicode": "/themes/%E2%80%AEwater/feed/",
    "theme-feed-very-long": f"/themes/{LONG}/feed/",
    "theme-feed-extra": "/themes/water/feed/extra/",
    "city-unknown": "/cities/atlantis/",
    "city-unicode": "/cities/zürich/",
    "city-dot-dot": "/cities/..%2Fadmin/",
    "city-null-byte": "/cities/nairobi-ke%00/",
    "city-very-long": f"/cities/{LONG}/",
    "network-unknown": "/networks/no-such-network/",
    "network-unicode": "/networks/сеть/",
    "network-dot-dot": "/networks/..%5C..%5C/",
    "network-very-long": f"/networks/{LONG}/",
    "export-unknown-format": "/solutions/export.xml",
    "export-null-byte": "/solutions/export.csv%00",
    "export-unicode-format": "/solutions/export.%C3%A9",
    "export-very-long-format": f"/solutions/export.{LONG}",
    "export-dot-dot": "/solutions/export...",
    "sitemap-extra": "/sitemap.xml/extra",
    "robots-extra": "/robots.txt/extra",
}


@pytest.mark.parametrize("path", HOSTILE_PATHS.values(), ids=HOSTILE_PATHS.keys())
def test_hostile_path_is_not_found(client, site, path):
    response = get(client, path)

    assert response.status_code == 404
    assert SCRIPT.encode() not in response.body

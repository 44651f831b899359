"""The public pages as an anonymous visitor sees them: content, page structure, query counts.

Each content test builds a small, known world and checks what the page says about it, not
just that it answers. The query-count table checks that no list or detail page runs more
queries with 60 rows than with 3.
"""

import itertools
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.defaultfilters import date as format_date
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from solutions.models import SolutionImage, SourceLink, Stage, Status
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
from tests.support.html_forms import read_form

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


# Reading the HTML


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(html):
    """The visible text of an HTML fragment, entities decoded, whitespace collapsed."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return " ".join("".join(collector.parts).split())


def part(html, start, end="</section>"):
    """The HTML from the first `start` up to the next `end`."""
    begin = html.find(start)
    assert begin != -1, f"{start!r} is not on the page"
    finish = html.find(end, begin + len(start))
    assert finish != -1, f"{end!r} does not follow {start!r}"
    return html[begin : finish + len(end)]


def head_of(html):
    return part(html, "<head>", "</head>")


def page_title(html):
    return text_of(re.search(r"<title>(.*?)</title>", head_of(html), re.S).group(1))


def meta_description(html):
    match = re.search(r'<meta name="description" content="([^"]*)">', head_of(html))
    assert match, "no meta description"
    return text_of(match.group(1))


def canonical_url(html):
    match = re.search(r'<link rel="canonical" href="([^"]*)">', head_of(html))
    assert match, "no canonical link"
    return match.group(1)


def h1_texts(html):
    return [text_of(h1) for h1 in re.findall(r"<h1[\s>].*?</h1>", html, re.S)]


def card_titles(html):
    return [
        text_of(title)
        for title in re.findall(r'<article class="card">\s*<h3><a href="[^"]*">(.*?)</a>', html)
    ]


def transfer_rows(html):
    """{transfer pk: [cell texts]} of every transfer table row, in page order."""
    rows = re.findall(r'<tr id="transfer-(\d+)">(.*?)</tr>', html, re.S)
    return {
        int(pk): [text_of(cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for pk, row in rows
    }


def transfer_ids(html):
    return list(transfer_rows(html))


def key_figure(html, label):
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd>(\d+)</dd>", html)
    assert match, f"no figure {label!r}"
    return int(match.group(1))


def theme_grid(html):
    found = re.findall(
        r'<span class="theme-name">(.*?)</span> <span class="count">(.*?)</span>', html
    )
    return [(text_of(name), text_of(count)) for name, count in found]


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# The world the content tests look at


def at(year, month=1, day=1):
    return datetime(year, month, day, 9, tzinfo=UTC)


@pytest.fixture
def world(db):
    """Four published solutions, one in each other status, and their transfers.

    Published: trams (Lisbon, newest), matatu and toilets (Nairobi), kiosks (Mombasa, oldest).
    The archived solution has the latest publication date of all, so only the status keeps it
    off the pages. Every transfer of an unpublished solution crosses a national border.
    """
    w = SimpleNamespace()
    w.nairobi = make_city(
        name="Nairobi",
        slug="nairobi",
        country="KE",
        population=4_397_073,
        population_year=2019,
        admin_area="Nairobi County",
    )
    w.mombasa = make_city(name="Mombasa", slug="mombasa", country="KE", population=1_208_333)
    w.kampala = make_city(name="Kampala", slug="kampala", country="UG", population=1_680_600)
    w.lisbon = make_city(name="Lisbon", slug="lisbon", country="PT", population=545_000)
    w.porto = make_city(name="Porto", slug="porto", country="PT", population=232_000)

    w.c2c = make_network(
        name="City2City Network",
        slug="city2city",
        acronym="C2C",
        tagline="Peer learning between African cities",
        description="# About\n\nCities **learn from each other**.",
        founded_year=2010,
        run_by="United Cities Africa",
        website="https://c2c.example.org",
    )
    w.eux = make_network(
        name="Eurocities Exchange",
        slug="eurocities-exchange",
        acronym="EUX",
        tagline="European cities swapping what works",
        founded_year=1986,
    )
    w.quiet = make_network(name="Quiet Network", slug="quiet", acronym="", tagline="")

    w.water = make_theme(
        name="Water and sanitation",
        slug="water",
        description="Clean water and safe toilets.",
        position=1,
    )
    w.mobility = make_theme(
        name="Mobility", slug="mobility", description="Getting around the city.", position=2
    )
    w.housing = make_theme(
        name="Housing", slug="housing", description="Homes people can afford.", position=3
    )
    w.energy = make_theme(
        name="Energy", slug="energy", description="Power for homes and streets.", position=4
    )

    w.toilets = make_solution(
        title="Community toilet blocks",
        slug="community-toilet-blocks",
        summary="Toilet blocks run by residents groups in informal settlements.",
        problem="# Background\n\nHalf of the households **shared** a pit latrine.",
        city=w.nairobi,
        network=w.c2c,
        themes=[w.water],
        published_at=at(2024, 3),
    )
    w.matatu = make_solution(
        title="Matatu route mapping",
        slug="matatu-route-mapping",
        city=w.nairobi,
        network=w.c2c,
        themes=[w.mobility],
        published_at=at(2024, 6),
    )
    w.kiosks = make_solution(
        title="Water kiosks",
        slug="water-kiosks",
        city=w.mombasa,
        network=w.c2c,
        themes=[w.water, w.mobility],
        published_at=at(2023, 1),
    )
    w.trams = make_solution(
        title="Tram priority lanes",
        slug="tram-priority-lanes",
        city=w.lisbon,
        network=w.eux,
        themes=[w.mobility, w.energy],
        published_at=at(2024, 9),
    )
    w.draft = make_solution(
        title="Draft slum upgrading",
        city=w.nairobi,
        network=w.quiet,
        themes=[w.housing, w.water],
        status=Status.DRAFT,
    )
    w.archived = make_solution(
        title="Archived bus rapid transit",
        city=w.porto,
        network=w.eux,
        themes=[w.mobility, w.housing],
        status=Status.ARCHIVED,
        published_at=at(2025, 6),
    )
    w.flood = make_solution(
        title="Flood warnings awaiting changes",
        city=w.mombasa,
        network=w.c2c,
        themes=[w.water],
        status=Status.CHANGES_REQUESTED,
    )
    w.review = make_solution(
        title="Rooftop gardens in review",
        city=w.lisbon,
        network=w.eux,
        themes=[w.housing],
        status=Status.IN_REVIEW,
    )

    # Transfers of published solutions.
    w.t1 = make_transfer(
        w.toilets,
        adopting_city=w.mombasa,
        network=w.c2c,
        status="adopted",
        start_year=2018,
        end_year=2020,
    )
    w.t2 = make_transfer(
        w.toilets, adopting_city=w.kampala, network=w.c2c, status="in_progress", start_year=2021
    )
    w.t3 = make_transfer(
        w.trams, adopting_city=w.porto, network=w.eux, status="proposed", start_year=2019
    )
    w.t4 = make_transfer(
        w.trams, adopting_city=w.nairobi, network=None, status="adapted", start_year=2022
    )
    # Transfers of unpublished solutions: never shown, never counted.
    w.t_draft = make_transfer(w.draft, adopting_city=w.kampala, network=w.quiet)
    w.t_archived = make_transfer(w.archived, adopting_city=w.nairobi, network=w.eux)
    w.t_flood = make_transfer(w.flood, adopting_city=w.kampala, network=w.c2c)

    make_membership(network=w.c2c, city=w.nairobi, role="lead-city", since_year=2010)
    make_membership(network=w.c2c, city=w.mombasa, since_year=2012)
    make_membership(network=w.c2c, city=w.kampala, since_year=2015)
    make_membership(network=w.eux, city=w.lisbon, role="founding-member", since_year=1986)
    make_membership(network=w.eux, city=w.porto, since_year=1990)
    make_membership(network=w.eux, city=w.nairobi, since_year=2018)
    return w


UNPUBLISHED_TITLES = [
    "Draft slum upgrading",
    "Archived bus rapid transit",
    "Flood warnings awaiting changes",
    "Rooftop gardens in review",
]


def assert_no_unpublished_solution(html):
    for title in UNPUBLISHED_TITLES:
        assert title not in html


# 1. Home


def test_home_shows_every_theme_with_its_number_of_published_solutions(client, world):
    html = get_html(client, reverse("solutions:home"))

    grid = theme_grid(part(html, '<section aria-labelledby="themes-heading">'))
    assert sorted(grid) == [
        ("Energy", "1 solution"),
        ("Housing", "0 solutions"),
        ("Mobility", "3 solutions"),
        ("Water and sanitation", "2 solutions"),
    ]
    assert 'href="/themes/water/"' in html


def test_home_lists_the_newest_published_solutions_newest_first(client, world):
    html = get_html(client, reverse("solutions:home"))

    newest = part(html, '<section aria-labelledby="newest-heading">')
    assert card_titles(newest) == [
        "Tram priority lanes",
        "Matatu route mapping",
        "Community toilet blocks",
        "Water kiosks",
    ]
    assert_no_unpublished_solution(html)


def test_home_lists_at_most_six_newest_solutions(client, db):
    for month in range(1, 9):
        make_solution(title=f"Monthly solution {month:02}", published_at=at(2024, month))

    html = get_html(client, reverse("solutions:home"))

    newest = part(html, '<section aria-labelledby="newest-heading">')
    assert card_titles(newest) == [f"Monthly solution {month:02}" for month in range(8, 2, -1)]


def test_home_key_figures_count_only_published_solutions_and_their_transfers(client, world):
    html = get_html(client, reverse("solutions:home"))

    figures = part(html, '<dl class="figures">', "</dl>")
    assert key_figure(figures, "Solutions") == 4
    assert key_figure(figures, "Cities with solutions") == 3  # Nairobi, Mombasa, Lisbon
    assert key_figure(figures, "Countries") == 2  # Kenya, Portugal
    assert key_figure(figures, "Networks") == 2  # C2C, EUX; the quiet one has only a draft
    assert key_figure(figures, "Transfers between cities") == 4
    assert key_figure(figures, "Transfers across a national border") == 2


def test_home_key_figures_are_zero_on_an_empty_site(client, db):
    html = get_html(client, reverse("solutions:home"))

    for label in [
        "Solutions",
        "Cities with solutions",
        "Countries",
        "Networks",
        "Transfers between cities",
        "Transfers across a national border",
    ]:
        assert key_figure(html, label) == 0
    assert "No published solutions yet." in html


# 2. Theme index


def test_theme_index_shows_every_theme_with_description_and_published_count(client, world):
    html = get_html(client, reverse("solutions:themes"))

    found = re.findall(
        r'<span class="theme-name">(.*?)</span> <span class="count">(.*?)</span></a>'
        r"<p>(.*?)</p>",
        html,
    )
    assert sorted(found) == [
        ("Energy", "1 solution", "Power for homes and streets."),
        ("Housing", "0 solutions", "Homes people can afford."),
        ("Mobility", "3 solutions", "Getting around the city."),
        ("Water and sanitation", "2 solutions", "Clean water and safe toilets."),
    ]
    for slug in ["water", "mobility", "housing", "energy"]:
        assert f'href="/themes/{slug}/"' in html


@pytest.fixture
def themes_out_of_name_order(db):
    """Five themes whose site order (position) is neither their name order nor their pk order."""
    for name, position in [("Alpha", 5), ("Delta", 1), ("Bravo", 4), ("Echo", 2), ("Charlie", 3)]:
        make_theme(name=name, slug=name.lower(), position=position)
    return ["Delta", "Echo", "Charlie", "Bravo", "Alpha"]


@pytest.mark.parametrize("url_name", ["solutions:home", "solutions:themes"])
def test_themes_appear_in_their_site_order(client, themes_out_of_name_order, url_name):
    html = get_html(client, reverse(url_name))

    assert [name for name, _count in theme_grid(html)] == themes_out_of_name_order


# 3. Solution page


@pytest.fixture
def rich(db):
    """A published solution with every section filled in, and its neighbours."""
    r = SimpleNamespace()
    r.nairobi = make_city(name="Nairobi", slug="nairobi", country="KE", population=4_397_073)
    r.kampala = make_city(name="Kampala", slug="kampala", country="UG", population=1_680_600)
    r.mombasa = make_city(name="Mombasa", slug="mombasa", country="KE", population=1_208_333)
    r.c2c = make_network(name="City2City Network", slug="city2city", acronym="C2C")
    r.water = make_theme(name="Water and sanitation", slug="water", position=1)
    r.health = make_theme(name="Public health", slug="public-health", position=2)
    r.energy = make_theme(name="Energy", slug="energy", position=3)
    r.solution = make_solution(
        title="Community toilet blocks",
        slug="community-toilet-blocks",
        summary="Toilet blocks run by youth groups in informal settlements.",
        problem="Half of the households **shared** a pit latrine.",
        approach="Youth groups *ran* the blocks and charged a small fee.",
        results="Queues fell to **five minutes** at peak hours.",
        lessons_learned="- Pay the caretakers\n- Keep **water** on site",
        city=r.nairobi,
        network=r.c2c,
        themes=[r.water, r.health],
        tags=["sanitation", "public toilets"],
        stage=Stage.SCALED,
        start_year=2012,
        end_year=2019,
        cost_usd=1_250_000,
        funding="The **county** gave the land; a water utility paid for the pipes.",
        published_at=at(2024, 3),
    )
    r.solution.sdgs.set([6, 11])
    make_partner(r.solution, name="Nairobi City County", sector="government", role="Gave land")
    make_partner(r.solution, name="Mathare Youth Group", sector="community", role="Runs blocks")
    make_partner(r.solution, name="Kibera Residents Forum", sector="community")
    make_partner(r.solution, name="Umande Trust", sector="nonprofit")
    r.access = make_indicator(
        r.solution,
        name="Households with a toilet nearby",
        unit="households",
        direction="increase",
        baseline_value=1200,
        baseline_year=2012,
        target_value=12000,
        target_year=2025,
        measurements=[(2012, 1200), (2015, 4800), (2019, 9000)],
    )
    r.cholera = make_indicator(
        r.solution,
        name="Cholera cases",
        unit="cases a year",
        direction="decrease",
        measurements=[(2012, 40), (2019, 55)],
    )
    r.to_kampala = make_transfer(
        r.solution,
        adopting_city=r.kampala,
        network=r.c2c,
        status="adopted",
        start_year=2015,
        end_year=2017,
        adaptations="Pay-per-use pricing",
        outcome="Twelve blocks built",
    )
    r.to_mombasa = make_transfer(
        r.solution, adopting_city=r.mombasa, network=None, status="in_progress", start_year=2020
    )
    SolutionImage.objects.create(
        solution=r.solution,
        image="solutions/x.png",
        alt_text="A toilet block in Mathare",
        caption="The first block",
        credit="Jane Wanjiru",
        position=1,
    )
    SolutionImage.objects.create(
        solution=r.solution, image="solutions/y.png", alt_text="The queue at noon", position=2
    )
    SourceLink.objects.create(
        solution=r.solution, title="Evaluation report 2019", url="https://example.org/eval.pdf"
    )
    SourceLink.objects.create(
        solution=r.solution, title="County press release", url="https://example.org/press"
    )
    # Neighbours: two share both themes or one, one is a draft, one shares nothing.
    make_solution(title="Clinic toilets", themes=[r.water, r.health], published_at=at(2020))
    make_solution(title="Rain tanks", themes=[r.water], published_at=at(2021))
    make_solution(title="Water kiosks", themes=[r.water], published_at=at(2023))
    make_solution(title="Draft latrine loans", themes=[r.water, r.health], status=Status.DRAFT)
    make_solution(title="Solar street lights", themes=[r.energy], published_at=at(2024))
    r.solution.refresh_from_db()
    r.html_url = r.solution.get_absolute_url()
    return r


def test_solution_page_shows_title_summary_and_every_section_as_markdown(client, rich):
    html = get_html(client, rich.html_url)

    assert h1_texts(html) == ["Community toilet blocks"]
    assert (
        '<p class="summary">Toilet blocks run by youth groups in informal settlements.</p>' in html
    )
    problem = part(html, '<section aria-labelledby="problem">')
    assert "The problem" in problem
    assert "<p>Half of the households <strong>shared</strong> a pit latrine.</p>" in problem
    approach = part(html, '<section aria-labelledby="approach">')
    assert "Youth groups <em>ran</em> the blocks" in approach
    results = part(html, '<section aria-labelledby="results">')
    assert "Queues fell to <strong>five minutes</strong> at peak hours." in results
    lessons = part(html, '<section aria-labelledby="lessons">')
    assert "Lessons learned" in lessons
    assert "<li>Pay the caretakers</li>" in lessons
    assert "<li>Keep <strong>water</strong> on site</li>" in lessons


def test_solution_page_links_origin_city_network_themes_tags_and_sdgs(client, rich):
    html = get_html(client, rich.html_url)

    assert '<a href="/cities/nairobi/">Nairobi</a>, Kenya' in html
    assert '<a href="/networks/city2city/">City2City Network</a>' in html
    assert '<dt>City</dt><dd><a href="/cities/nairobi/">Nairobi</a>, Kenya (Africa)</dd>' in html

    themes_and_tags = part(html, "<section><h2>Themes and tags</h2>")
    assert '<a href="/themes/water/">Water and sanitation</a>' in themes_and_tags
    assert '<a href="/themes/public-health/">Public health</a>' in themes_and_tags
    assert '<a href="/solutions/?tag=sanitation">#sanitation</a>' in themes_and_tags
    assert '<a href="/solutions/?tag=public-toilets">#public toilets</a>' in themes_and_tags

    goals = part(html, "<section><h2>Sustainable Development Goals</h2>")
    assert '<a href="/solutions/?sdg=6">6. Clean water and sanitation</a>' in goals
    assert '<a href="/solutions/?sdg=11">11. Sustainable cities and communities</a>' in goals
    assert "Climate action" not in goals


def test_solution_page_shows_stage_years_cost_and_funding(client, rich):
    html = get_html(client, rich.html_url)

    assert "<dt>Stage</dt><dd>Scaled up</dd>" in html
    assert "<dt>Years</dt><dd>2012–2019</dd>" in html
    assert "<dt>Cost</dt><dd>About US$1,250,000</dd>" in html
    assert "Scaled up · 2012–2019" in text_of(part(html, "<header>", "</header>"))
    funding = part(html, '<section id="funding">')
    assert "Cost and funding" in funding
    assert "The <strong>county</strong> gave the land" in funding


def test_solution_page_groups_partners_under_sector_headings(client, rich):
    html = get_html(client, rich.html_url)

    partners = part(html, '<section id="partners">')
    groups = [
        (heading, re.findall(r"<strong>(.*?)</strong>", names))
        for heading, names in re.findall(r"<h3>(.*?)</h3>\s*<ul>(.*?)</ul>", partners, re.S)
    ]
    assert groups == [
        ("Community and grassroots", ["Kibera Residents Forum", "Mathare Youth Group"]),
        ("Government", ["Nairobi City County"]),
        ("Non-profit", ["Umande Trust"]),
    ]
    assert "<strong>Mathare Youth Group</strong>: Runs blocks" in partners


def test_solution_page_charts_each_indicator_and_tables_its_measurements(client, rich):
    html = get_html(client, rich.html_url)

    access = part(html, f'<div id="indicator-{rich.access.pk}" class="indicator">', "</table>")
    assert "Households with a toilet nearby (households)" in text_of(access)
    assert f'role="img" aria-labelledby="chart-title-{rich.access.pk}"' in access
    assert re.search(r"<svg [^>]*role=\"img\"", access)
    title = re.search(r'<title id="chart-title-\d+">(.*?)</title>', access).group(1)
    assert title == (
        "Households with a toilet nearby: 2012 1,200, 2015 4,800, 2019 9,000. Target 12,000 by 2025"
    )
    table = part(access, '<table class="measurements">', "</table>")
    assert re.findall(r'<th scope="col">(.*?)</th>', table) == ["Year", "2012", "2015", "2019"]
    assert re.findall(r"<td>(.*?)</td>", table) == ["1,200", "4,800", "9,000"]
    assert (
        "Higher is better. Trend: Improving. Baseline 1,200 in 2012. Target 12,000 by 2025."
        in text_of(access)
    )
    assert '<span class="trend-improving">Improving</span>' in access

    cholera = part(html, f'<div id="indicator-{rich.cholera.pk}" class="indicator">', "</table>")
    assert "Lower is better. Trend: Worsening." in text_of(cholera)
    assert '<span class="trend-worsening">Worsening</span>' in cholera
    assert re.search(
        r"<title id=\"chart-title-\d+\">Cholera cases: 2012 40, 2019 55</title>", cholera
    )


def test_solution_page_lists_where_it_travelled(client, rich):
    html = get_html(client, rich.html_url)

    travelled = part(html, '<section id="transfers" aria-labelledby="transfers-heading">')
    text = text_of(travelled)
    assert "Where it travelled" in text
    assert "From Nairobi to 2 other cities." in text
    assert (
        "Nairobi → Kampala, Uganda: adopted (2015–2017), brokered by C2C"
        " · across a national border." in text
    )
    assert "What changed: Pay-per-use pricing" in text
    assert "Outcome: Twelve blocks built" in text
    mombasa = part(travelled, f'<li id="transfer-{rich.to_mombasa.pk}">', "</li>")
    assert text_of(mombasa) == "Nairobi → Mombasa, Kenya: in progress (2020)."
    assert '<a href="/cities/kampala/">Kampala</a>' in travelled
    assert '<a href="/networks/city2city/">C2C</a>' in travelled
    # Newest transfer first.
    assert travelled.index(f"transfer-{rich.to_mombasa.pk}") < travelled.index(
        f"transfer-{rich.to_kampala.pk}"
    )


def test_solution_page_without_transfers_says_so(client, db):
    solution = make_solution(title="Stay-at-home solution")

    html = get_html(client, solution.get_absolute_url())

    assert "No transfer of this solution to another city has been recorded yet." in html


def test_solution_page_lists_related_published_solutions_by_shared_themes(client, rich):
    html = get_html(client, rich.html_url)

    related = part(html, '<section class="related">')
    titles = [text_of(t) for t in re.findall(r'<li><a href="[^"]*">(.*?)</a>', related)]
    # Most shared themes first, then the most recently published; at most four.
    assert titles == ["Clinic toilets", "Water kiosks", "Rain tanks"]
    assert "Community toilet blocks" not in related
    assert "Draft latrine loans" not in html
    assert "Solar street lights" not in html


def test_solution_page_shows_images_with_alt_text_and_credit(client, rich):
    html = get_html(client, rich.html_url)

    images = part(html, '<section id="images"')
    assert '<img src="/media/solutions/x.png" alt="A toilet block in Mathare"' in images
    assert '<img src="/media/solutions/y.png" alt="The queue at noon"' in images
    assert "The first block <span>Credit: Jane Wanjiru</span>" in images
    assert images.index("x.png") < images.index("y.png")


def test_solution_page_shows_sources_and_when_it_was_last_updated(client, rich):
    html = get_html(client, rich.html_url)

    sources = part(html, '<section id="sources">')
    assert (
        '<a href="https://example.org/eval.pdf" rel="nofollow noopener">Evaluation report 2019</a>'
        in sources
    )
    assert "County press release" in sources
    updated = timezone.localtime(rich.solution.updated_at)
    assert (
        f'Last updated <time datetime="{format_date(updated, "c")}">'
        f"{format_date(updated, 'j F Y')}</time>" in html
    )
    assert "Published 1 March 2024." in html


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ARCHIVED]
)
def test_solution_page_is_not_found_unless_published(client, db, status):
    solution = make_solution(title="Hidden entry", slug="hidden-entry", status=status)

    response = client.get(solution.get_absolute_url())

    assert response.status_code == 404
    assert b"Hidden entry" not in response.content


def test_solution_page_of_an_unknown_slug_is_not_found(client, db):
    assert (
        client.get(reverse("solutions:detail", kwargs={"slug": "no-such-thing"})).status_code == 404
    )


# 4. City page


def test_city_page_shows_population_size_class_country_and_region(client, world):
    html = get_html(client, reverse("cities:detail", kwargs={"slug": "nairobi"}))

    facts = part(html, '<dl class="facts">', "</dl>")
    assert "<dt>Country</dt><dd>Kenya</dd>" in facts
    assert "<dt>Region</dt><dd>Africa</dd>" in facts
    assert "<dt>Area</dt><dd>Nairobi County</dd>" in facts
    assert "<dt>Population</dt><dd>4,397,073 (2019) · 1 to 10 million</dd>" in facts


@pytest.mark.parametrize(
    "population, label",
    [
        (99_999, "Under 100,000"),
        (100_000, "100,000 to 1 million"),
        (999_999, "100,000 to 1 million"),
        (1_000_000, "1 to 10 million"),
        (10_000_000, "10 million and over"),
    ],
)
def test_city_page_names_the_size_class_of_its_population(client, db, population, label):
    city = make_city(name="Sizeville", slug="sizeville", population=population)

    html = get_html(client, city.get_absolute_url())

    assert f"{population:,} · {label}</dd>" in html


def test_city_page_lists_solutions_that_started_there_published_only(client, world):
    html = get_html(client, reverse("cities:detail", kwargs={"slug": "nairobi"}))

    started = part(html, '<section aria-labelledby="solutions-heading">')
    assert card_titles(started) == ["Matatu route mapping", "Community toilet blocks"]
    assert_no_unpublished_solution(html)


def test_city_page_lists_solutions_it_adopted_and_where_its_own_went(client, world):
    html = get_html(client, reverse("cities:detail", kwargs={"slug": "nairobi"}))

    adopted = part(html, '<section aria-labelledby="adopted-heading">')
    assert transfer_rows(adopted) == {
        world.t4.pk: [
            "Tram priority lanes",
            "Lisbon, Portugal",
            "Nairobi, Kenya",
            "—",
            "Adapted",
            "2022",
        ]
    }
    sent = part(html, '<section aria-labelledby="sent-heading">')
    assert transfer_ids(sent) == [world.t2.pk, world.t1.pk]
    assert transfer_rows(sent)[world.t1.pk] == [
        "Community toilet blocks",
        "Nairobi, Kenya",
        "Mombasa, Kenya",
        "C2C",
        "Adopted",
        "2018–2020",
    ]


def test_city_page_without_transfers_says_so(client, world):
    html = get_html(client, reverse("cities:detail", kwargs={"slug": "porto"}))

    assert "No published solutions from this city yet." in html
    assert "None of its solutions has been recorded elsewhere yet." in html
    adopted = part(html, '<section aria-labelledby="adopted-heading">')
    assert transfer_ids(adopted) == [world.t3.pk]


def test_city_page_lists_its_networks_with_role_and_joining_year(client, world):
    html = get_html(client, reverse("cities:detail", kwargs={"slug": "nairobi"}))

    networks = part(html, '<section aria-labelledby="networks-heading">')
    items = [text_of(item) for item in re.findall(r"<li>(.*?)</li>", networks)]
    assert items == [
        "City2City Network · Lead city since 2010",
        "Eurocities Exchange · Member since 2018",
    ]
    assert '<a href="/networks/city2city/">City2City Network</a>' in networks


# 5. Networks


def test_network_index_lists_every_network_with_its_facts_and_counts(client, world):
    html = get_html(client, reverse("networks:index"))

    cards = [
        text_of(card) for card in re.findall(r'<article class="card">(.*?)</article>', html, re.S)
    ]
    assert cards == [
        "City2City Network (C2C) Peer learning between African cities "
        "Since 2010 · 3 current member cities listed · 3 published solutions",
        "Eurocities Exchange (EUX) European cities swapping what works "
        "Since 1986 · 3 current member cities listed · 1 published solution",
        "Quiet Network 0 current member cities listed · 0 published solutions",
    ]
    assert '<a href="/networks/city2city/">City2City Network</a>' in html


def test_network_page_shows_facts_and_description(client, world):
    html = get_html(client, reverse("networks:detail", kwargs={"slug": "city2city"}))

    assert h1_texts(html) == ["City2City Network (C2C)"]
    facts = part(html, '<dl class="facts">', "</dl>")
    assert "<dt>Founded</dt><dd>2010</dd>" in facts
    assert "<dt>Run by</dt><dd>United Cities Africa</dd>" in facts
    assert '<dt>Website</dt><dd><a href="https://c2c.example.org"' in facts
    assert "Cities <strong>learn from each other</strong>." in html


def test_network_page_lists_member_cities_with_region_and_joining_year(client, world):
    html = get_html(client, reverse("networks:detail", kwargs={"slug": "city2city"}))

    members = part(html, '<section id="members"')
    items = [text_of(item) for item in re.findall(r"<li>(.*?)</li>", members)]
    assert items == [
        "Kampala, Uganda (Africa), joined 2015",
        "Mombasa, Kenya (Africa), joined 2012",
        "Nairobi, Kenya (Africa), joined 2010",
    ]
    assert '<a href="/cities/kampala/">Kampala</a>' in members


def test_network_page_lists_published_solutions_it_documented(client, world):
    html = get_html(client, reverse("networks:detail", kwargs={"slug": "city2city"}))

    documented = part(html, '<section aria-labelledby="solutions-heading">')
    assert card_titles(documented) == [
        "Matatu route mapping",
        "Community toilet blocks",
        "Water kiosks",
    ]
    assert_no_unpublished_solution(html)


def test_network_page_lists_transfers_it_brokered_of_published_solutions(client, world):
    html = get_html(client, reverse("networks:detail", kwargs={"slug": "city2city"}))

    brokered = part(html, '<section aria-labelledby="transfers-heading">')
    assert transfer_ids(brokered) == [world.t2.pk, world.t1.pk]
    assert transfer_rows(brokered)[world.t2.pk] == [
        "Community toilet blocks",
        "Nairobi, Kenya",
        "Kampala, Uganda",
        "C2C",
        "In progress",
        "2021",
    ]


def test_network_page_without_anything_published_says_so(client, world):
    html = get_html(client, reverse("networks:detail", kwargs={"slug": "quiet"}))

    assert "No member cities recorded." in html
    assert "No published solutions yet." in html
    assert "No transfers recorded." in html
    assert_no_unpublished_solution(html)


# 6. Transfers page


def transfers_page(client, query=""):
    return get_html(client, reverse("solutions:transfers") + (f"?{query}" if query else ""))


def totals(html):
    figures = part(html, '<dl class="figures" aria-label="Totals">', "</dl>")
    return (
        key_figure(figures, "Transfers"),
        key_figure(figures, "Across a national border"),
        key_figure(figures, "Across a regional border"),
    )


def test_transfers_page_lists_every_transfer_of_a_published_solution(client, world):
    html = transfers_page(client)

    rows = transfer_rows(html)
    # Latest start year first.
    assert list(rows) == [world.t4.pk, world.t2.pk, world.t3.pk, world.t1.pk]
    assert rows[world.t1.pk] == [
        "Community toilet blocks",
        "Nairobi, Kenya",
        "Mombasa, Kenya",
        "C2C",
        "Adopted",
        "2018–2020",
    ]
    assert rows[world.t3.pk] == [
        "Tram priority lanes",
        "Lisbon, Portugal",
        "Porto, Portugal",
        "EUX",
        "Proposed",
        "2019",
    ]
    assert rows[world.t4.pk][3] == "—"
    assert totals(html) == (4, 2, 1)
    assert_no_unpublished_solution(html)


@pytest.mark.parametrize(
    "query, expected, expected_totals",
    [
        ("network=city2city", ["t2", "t1"], (2, 1, 0)),
        ("network=eurocities-exchange", ["t3"], (1, 0, 0)),
        ("network=quiet", [], (0, 0, 0)),
        ("status=adopted&status=adapted", ["t4", "t1"], (2, 1, 1)),
        ("status=proposed", ["t3"], (1, 0, 0)),
        ("region=europe", ["t4", "t3"], (2, 1, 1)),
        ("region=africa", ["t4", "t2", "t1"], (3, 2, 1)),
        ("region=asia", [], (0, 0, 0)),
        ("crossing=national", ["t4", "t2"], (2, 2, 1)),
        ("crossing=regional", ["t4"], (1, 1, 1)),
        ("crossing=domestic", ["t3", "t1"], (2, 0, 0)),
        ("crossing=national&crossing=domestic", ["t4", "t2", "t3", "t1"], (4, 2, 1)),
        ("network=city2city&crossing=national", ["t2"], (1, 1, 0)),
        ("region=europe&crossing=domestic", ["t3"], (1, 0, 0)),
        ("region=africa&status=adopted", ["t1"], (1, 0, 0)),
    ],
)
def test_transfers_page_filters_the_rows_and_the_totals(
    client, world, query, expected, expected_totals
):
    html = transfers_page(client, query)

    assert transfer_ids(html) == [getattr(world, name).pk for name in expected]
    assert totals(html) == expected_totals
    if not expected:
        assert "No transfers match these filters." in html


def test_transfers_page_shows_the_chosen_filters_as_removable_chips(client, world):
    response = client.get(reverse("solutions:transfers") + "?network=city2city&crossing=national")

    assert response.status_code == 200
    chips = part(response.content.decode(), '<ul class="chips active-filters"', "</ul>")
    assert "Network: City2City Network" in chips
    assert "Border: Across a national border" in chips
    assert 'href="/transfers/?crossing=national"' in chips
    form = read_form(response, css_class="filters")
    assert form.method == "get"
    assert form.checked("network") == {"city2city"}
    assert form.checked("crossing") == {"national"}


@pytest.mark.parametrize(
    "query, notice",
    [
        ("network=nowhere", "Ignored the unknown network “nowhere”."),
        ("status=lost", "Ignored the unknown status “lost”."),
        ("region=mars", "Ignored the unknown region (either city) “mars”."),
        ("crossing=sideways", "Ignored the unknown border “sideways”."),
    ],
)
def test_transfers_page_ignores_an_unknown_filter_value_with_a_notice(client, world, query, notice):
    response = client.get(reverse("solutions:transfers") + "?" + query)

    assert response.status_code == 200
    html = response.content.decode()
    assert notice in text_of(part(html, '<div class="notices" role="status">', "</div>"))
    assert transfer_ids(html) == [world.t4.pk, world.t2.pk, world.t3.pk, world.t1.pk]
    assert totals(html) == (4, 2, 1)


def test_transfers_page_keeps_the_known_values_next_to_an_unknown_one(client, world):
    html = transfers_page(client, "network=city2city&network=nowhere")

    assert "Ignored the unknown network “nowhere”." in html
    assert transfer_ids(html) == [world.t2.pk, world.t1.pk]
    assert totals(html) == (2, 1, 0)


# 7. Page structure, on every page type


def _page_cases():
    return [
        # name, url, words the <title> and the <h1> must contain, description must contain
        ("home", "/", "Urban Solutions Exchange", "What cities tried", "knowledge base"),
        ("solution list", "/solutions/", "Solutions", "Solutions", "published urban solutions"),
        ("theme index", "/themes/", "Themes", "Themes", "knowledge base"),
        (
            "theme page",
            "/themes/water/",
            "Water and sanitation",
            "Water and sanitation",
            "Clean water and safe toilets.",
        ),
        (
            "solution page",
            "/solutions/community-toilet-blocks/",
            "Community toilet blocks",
            "Community toilet blocks",
            "Toilet blocks run by residents groups",
        ),
        ("city page", "/cities/nairobi/", "Nairobi", "Nairobi", "Solutions from Nairobi, Kenya"),
        ("network index", "/networks/", "Networks", "Networks", "knowledge base"),
        (
            "network page",
            "/networks/city2city/",
            "City2City Network",
            "City2City Network",
            "Peer learning between African cities",
        ),
        ("transfers page", "/transfers/", "Transfers", "Transfers", "transfer"),
    ]


@pytest.mark.parametrize(
    "url, subject, heading, description",
    [case[1:] for case in _page_cases()],
    ids=[case[0] for case in _page_cases()],
)
def test_every_page_has_one_h1_a_skip_link_main_title_description_and_canonical(
    client, world, url, subject, heading, description
):
    html = get_html(client, url)

    headings = h1_texts(html)
    assert len(headings) == 1, headings
    assert heading in headings[0]
    assert '<a class="skip-link" href="#main">' in html
    assert html.count('<main id="main"') == 1
    title = page_title(html)
    assert subject in title
    assert title.endswith("Urban Solutions Exchange")
    assert description in meta_description(html)
    assert canonical_url(html) == f"http://testserver{url}"


def test_markdown_headings_never_add_a_second_h1(client, world):
    # The world's toilets problem and C2C description both start with "# ...".
    for url in ["/solutions/community-toilet-blocks/", "/networks/city2city/"]:
        html = get_html(client, url)
        assert len(h1_texts(html)) == 1, url


def test_canonical_link_drops_filters_but_keeps_the_page_number(client, db):
    network = make_network(slug="busy")
    for n in range(21):
        make_solution(
            title=f"Paged solution {n}", network=network, published_at=at(2020) + timedelta(days=n)
        )

    html = get_html(client, "/solutions/?network=busy&page=2")

    assert canonical_url(html) == "http://testserver/solutions/?page=2"
    assert page_title(html).startswith("Solutions, page 2")


def test_theme_page_without_a_description_still_has_a_meta_description(client, db):
    make_theme(name="Heat", slug="heat", description="")

    html = get_html(client, reverse("solutions:theme", kwargs={"slug": "heat"}))

    assert meta_description(html)


def test_solution_page_without_a_summary_still_has_a_meta_description(client, db):
    solution = make_solution(title="Untitled summary", summary="")

    html = get_html(client, solution.get_absolute_url())

    assert meta_description(html)


# 8. Query counts: the same number of queries for 3 rows as for 60


_serial = itertools.count(1)


def _next():
    n = next(_serial)
    return n, at(2000) + timedelta(hours=n)


def _published_row(**overrides):
    """A published solution with a theme and a tag, published after every earlier row."""
    n, published_at = _next()
    fields = {
        "title": f"Row solution {n:05}",
        "slug": f"row-solution-{n}",
        "tags": [f"row tag {n}"],
        "published_at": published_at,
    }
    fields.update(overrides)
    if "themes" not in fields:
        fields["themes"] = [make_theme(name=f"Row theme {n:05}", slug=f"row-theme-{n}")]
    return make_solution(**fields)


def home_case():
    def add(count):
        for _ in range(count):
            solution = _published_row()
            make_transfer(solution)
        return solution.title

    return reverse("solutions:home"), add


def solution_list_case():
    rows = []

    def add(count):
        rows.extend(_published_row() for _ in range(count))
        return f"<strong>{len(rows)}</strong> solutions"

    return reverse("solutions:list"), add


def solution_search_case():
    city = make_city(name="Floodtown", slug="floodtown", country="KE", population=2_000_000)
    network = make_network(name="Search network", slug="search-net")
    theme = make_theme(name="Flooding", slug="flooding")
    rows = []
    query = [
        ("q", "flood park"),
        ("theme", "flooding"),
        ("region", "africa"),
        ("country", "KE"),
        ("city", "floodtown"),
        ("network", "search-net"),
        ("stage", "implemented"),
        ("sdg", "11"),
        ("tag", "drainage"),
        ("size", "large"),
        ("year_from", "2010"),
        ("year_to", "2020"),
    ]

    def add(count):
        for _ in range(count):
            n, _at = _next()
            solution = _published_row(
                title=f"Flood park {n:05}",
                city=city,
                network=network,
                themes=[theme],
                tags=["drainage"],
                stage=Stage.IMPLEMENTED,
                start_year=2015,
            )
            solution.sdgs.add(11)
            rows.append(solution)
        return f"<strong>{len(rows)}</strong> solutions matching your search"

    return reverse("solutions:list") + "?" + urlencode(query), add


def theme_index_case():
    def add(count):
        for _ in range(count):
            solution = _published_row()
        return solution.themes.get().name

    return reverse("solutions:themes"), add


def theme_page_case():
    theme = make_theme(name="Crowded theme", slug="crowded")
    rows = []

    def add(count):
        for _ in range(count):
            n, _at = _next()
            other = make_theme(name=f"Side theme {n:05}", slug=f"side-{n}")
            rows.append(_published_row(themes=[theme, other]))
        return f"<strong>{len(rows)}</strong> solutions"

    return reverse("solutions:theme", kwargs={"slug": "crowded"}), add


PARTNER_SECTORS = ["government", "business", "nonprofit", "community", "academia", "media"]


def solution_page_case():
    solution = make_solution(title="Detail subject", slug="detail-subject")

    def add(count):
        for _ in range(count):
            n, _at = _next()
            theme = make_theme(name=f"Detail theme {n:05}", slug=f"detail-theme-{n}")
            solution.themes.add(theme)
            solution.tags.add(f"detail tag {n}")
            solution.sdgs.add(n % 17 + 1)
            make_partner(
                solution,
                name=f"Detail partner {n:05}",
                sector=PARTNER_SECTORS[n % len(PARTNER_SECTORS)],
            )
            make_indicator(solution, measurements=[(2018, n), (2020, n + 1), (2022, n + 3)])
            SourceLink.objects.create(
                solution=solution, title=f"Source {n}", url=f"https://example.org/{n}"
            )
            SolutionImage.objects.create(
                solution=solution, image=f"solutions/row-{n}.png", alt_text=f"Image {n}"
            )
            make_transfer(solution)
            _published_row(themes=[theme])  # a related solution
        return f"Detail partner {n:05}"

    return solution.get_absolute_url(), add


def city_page_case():
    city = make_city(name="Hub city", slug="hub-city")

    def add(count):
        for _ in range(count):
            n, _at = _next()
            make_transfer(_published_row(city=city))  # a solution of its own, sent elsewhere
            make_transfer(_published_row(), adopting_city=city)  # a solution it adopted
            network = make_network(name=f"Member network {n:05}", slug=f"member-network-{n}")
            make_membership(network=network, city=city, since_year=2000)
        return network.name

    return city.get_absolute_url(), add


def network_index_case():
    def add(count):
        for _ in range(count):
            n, _at = _next()
            network = make_network(name=f"Listed network {n:05}", slug=f"listed-{n}")
            make_membership(network=network)
            _published_row(network=network)
        return network.name

    return reverse("networks:index"), add


def network_page_case():
    network = make_network(name="Hub network", slug="hub-network")

    def add(count):
        for _ in range(count):
            n, _at = _next()
            city = make_city(name=f"Member city {n:05}", slug=f"member-city-{n}")
            make_membership(network=network, city=city, since_year=2001)
            make_transfer(_published_row(network=network, city=city), network=network)
        return city.name

    return network.get_absolute_url(), add


def transfers_page_case(query=""):
    def build():
        network = make_network(name="Broker", slug="broker")
        rows = []

        def add(count):
            for _ in range(count):
                solution = _published_row(network=network)  # from Kenya
                rows.append(make_transfer(solution, network=network, status="adopted"))  # to TZ
            return f"<dt>Transfers</dt><dd>{len(rows)}</dd>"

        return reverse("solutions:transfers") + query, add

    return build


def feed_case():
    def add(count):
        for _ in range(count):
            solution = _published_row()
        return solution.title

    return reverse("solutions:feed"), add


def sitemap_case():
    def add(count):
        for _ in range(count):
            solution = _published_row()
            make_transfer(solution)
        return solution.get_absolute_url()

    return reverse("sitemap"), add


QUERY_COUNT_CASES = [
    ("home", home_case),
    ("solution list", solution_list_case),
    ("solution list, search and filters", solution_search_case),
    ("theme index", theme_index_case),
    ("theme page", theme_page_case),
    ("solution page", solution_page_case),
    ("city page", city_page_case),
    ("network index", network_index_case),
    ("network page", network_page_case),
    ("transfers page", transfers_page_case()),
    (
        "transfers page, filtered",
        transfers_page_case("?network=broker&status=adopted&region=africa&crossing=national"),
    ),
    ("atom feed", feed_case),
    ("sitemap", sitemap_case),
]


def count_queries(client, url):
    """Queries for the page with nothing cached: the most it ever costs."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


@pytest.mark.parametrize(
    "build", [case for _name, case in QUERY_COUNT_CASES], ids=[n for n, _c in QUERY_COUNT_CASES]
)
def test_page_runs_as_many_queries_for_60_rows_as_for_3(client, db, build):
    url, add_rows = build()
    marker = add_rows(3)
    client.get(url)  # warm-up: content types and other per-process caches
    few, html = count_queries(client, url)
    assert marker in html

    marker = add_rows(57)
    many, html = count_queries(client, url)
    assert marker in html

    assert few == many, f"{few} queries for 3 rows, {many} for 60"
    assert many <= MAX_QUERIES


def test_network_index_counts_only_cities_that_are_still_members(client):
    network = make_network(name="Leavers Network", slug="leavers")
    make_membership(network=network, since_year=2001)
    make_membership(network=network, since_year=2001, until_year=2010)

    html = get_html(client, reverse("networks:index"))

    assert "1 current member city listed" in html


@pytest.mark.parametrize("page", ["network", "city"])
def test_network_and_city_pages_list_the_newest_twenty_and_link_to_all(client, page):
    network, city = make_network(slug="big-network"), make_city(slug="big-city")
    for n in range(25):
        make_solution(title=f"Case {n:02d}", network=network, city=city)
    obj = network if page == "network" else city

    html = get_html(client, obj.get_absolute_url())

    assert html.count('<article class="card">') == 20
    link = f"?{page}={obj.slug}"
    assert link in html and "All 25 solutions" in html
